"""Re-hosting a product's media: download what can be fetched, keep it under the engine's files.

A re-hosted item is stored with a `path` under the files folder (its URL is built per request,
from the host the client reached); an item that cannot be fetched or is not what its type says
keeps its original URL and the reason as `problem`, and the renderer skips it; so does an item
not fetched by the product's deadline, for the product is answered within the time its client
waits. What could not be re-hosted is said in the product's warnings (`media_warnings`), from
the stored items alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import mimetypes
import uuid
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from jogg_pipeline.engine.extract import FetchError, FetchPolicy, fetch
from jogg_pipeline.engine.files import FILES_ROUTE, DataLayout, public_url
from jogg_pipeline.wire.models import Media

log = logging.getLogger("jogg_pipeline.engine")

MEDIA_IMAGE = 1
MEDIA_VIDEO = 2
_ACCEPT = {MEDIA_IMAGE: "image/*,*/*;q=0.5", MEDIA_VIDEO: "video/*,*/*;q=0.5"}
_IMAGE_SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "BMP": ".bmp"}
_VIDEO_SUFFIXES = (".mp4", ".webm", ".mov", ".m4v", ".mkv")
_CONCURRENT_DOWNLOADS = 8


def image_suffix(content: bytes) -> str | None:
    """The file suffix of an image Pillow can decode, or None if `content` is not one."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return _IMAGE_SUFFIXES.get(image.format or "", f".{(image.format or 'img').lower()}")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def video_suffix(url: str, content_type: str | None) -> str | None:
    """The suffix of a video download, from its content type or its URL, or None."""
    if content_type and content_type.split(";")[0].strip().lower().startswith("video/"):
        guessed = mimetypes.guess_extension(content_type.split(";")[0].strip().lower())
        return guessed if guessed in _VIDEO_SUFFIXES else ".mp4"
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return suffix if suffix in _VIDEO_SUFFIXES else None


class MediaHost:
    """Downloads media into the engine's files and turns stored items back into wire Media."""

    def __init__(self, layout: DataLayout, policy: FetchPolicy, max_items: int) -> None:
        self.layout = layout
        self.policy = policy
        self.max_items = max_items

    async def rehost_all(
        self, items: list[Media], base_url: str, deadline: float | None = None
    ) -> list[dict[str, Any]]:
        """Stored forms of `items`, downloading up to `max_items` of them concurrently; those
        not downloaded by `deadline` (event-loop time) stay at their URL."""
        limit = asyncio.Semaphore(_CONCURRENT_DOWNLOADS)

        async def download(item: Media) -> dict[str, Any]:
            async with limit:
                return await self._rehost(item)

        stored: list[dict[str, Any] | None] = []
        downloads: dict[int, asyncio.Task[dict[str, Any]]] = {}
        for index, item in enumerate(items):
            local = self.local_path(item.url, base_url)
            if local is not None:
                stored.append({**item.model_dump(), "path": local})
            elif index >= self.max_items:
                problem = f"this engine fetches at most {self.max_items} media per product"
                stored.append({**item.model_dump(), "problem": problem})
            else:
                stored.append(None)
                downloads[index] = asyncio.create_task(download(item))
        if downloads:
            loop = asyncio.get_running_loop()
            timeout = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                await asyncio.wait(downloads.values(), timeout=timeout)
            finally:
                late = [task for task in downloads.values() if not task.done()]
                for task in late:
                    task.cancel()
                # Let the cancelled downloads close their connections before answering.
                await asyncio.gather(*late, return_exceptions=True)
        for index, task in downloads.items():
            if task.cancelled():
                log.info(
                    "media kept at its original URL (%s): not fetched in time", items[index].url
                )
                stored[index] = {
                    **items[index].model_dump(),
                    "problem": f"{items[index].url} was not fetched in time",
                }
            else:
                stored[index] = task.result()
        return [item for item in stored if item is not None]

    def local_path(self, url: str, base_url: str) -> str | None:
        """The files-relative path of a URL that points at a file this engine serves."""
        parts = urlsplit(url)
        ours = urlsplit(base_url)
        if parts.netloc and (parts.scheme, parts.netloc) != (ours.scheme, ours.netloc):
            return None
        prefix = ours.path.rstrip("/") + FILES_ROUTE + "/"
        if not parts.path.startswith(prefix):
            return None
        relative = parts.path[len(prefix) :]
        return relative if self.layout.resolve(relative) is not None else None

    async def _rehost(self, item: Media) -> dict[str, Any]:
        stored = item.model_dump()
        try:
            resource = await fetch(item.url, self.policy, accept=_ACCEPT[item.type])
        except FetchError as error:
            log.info("media kept at its original URL (%s): %s", item.url, error)
            return {**stored, "problem": _portable(str(error), item.url)}
        content = resource.content
        if item.type == MEDIA_IMAGE:
            suffix = await asyncio.to_thread(image_suffix, content)
        else:
            suffix = video_suffix(resource.url, resource.content_type)
        if suffix is None:
            log.info("media kept at its original URL (%s): not a decodable file", item.url)
            kind = "an image" if item.type == MEDIA_IMAGE else "a video"
            return {**stored, "problem": f"{item.url} is not {kind} this engine can read"}
        name = hashlib.sha256(content).hexdigest()[:32] + suffix
        target = self.layout.media / name
        if not target.exists():
            await asyncio.to_thread(write_atomically, target, content)
        stored["path"] = self.layout.relative(target)
        if not stored["name"]:
            stored["name"] = name
        return stored

    def to_wire(self, stored: dict[str, Any], base_url: str) -> Media:
        path = stored.get("path")
        url = public_url(base_url, path) if path else stored["url"]
        return Media(
            type=stored["type"],
            url=url,
            name=stored.get("name", ""),
            description=stored.get("description", ""),
        )


def _portable(reason: str, url: str) -> str:
    """A reason as a committed manifest may keep it: a local file by its name, not by the
    folder the checkout happens to sit in."""
    if not url.startswith("file:"):
        return reason
    path = unquote(urlsplit(url).path)
    return reason.replace(path, PurePosixPath(path).name)


def media_warnings(stored: list[dict[str, Any]]) -> list[str]:
    """What a product's stored media mean for its videos: the images that could not be
    re-hosted (the videos go without them), and a product left without any image."""
    images = [item for item in stored if item["type"] == MEDIA_IMAGE]
    if not images:
        return ["the product has no image: its videos show a designed card instead"]
    failed = [item for item in images if "path" not in item]
    if not failed:
        return []
    # Items stored before reasons were kept have none: the count still holds.
    reason = next((f" ({item['problem']})" for item in failed if item.get("problem")), "")
    if len(failed) == len(images):
        lost = (
            "the product's image could not be used"
            if len(images) == 1
            else f"none of the product's {len(images)} images could be used"
        )
        return [f"{lost}{reason}: its videos show a designed card instead"]
    return [f"{len(failed)} of {len(images)} images could not be used{reason}"]


def write_atomically(target: Any, content: bytes) -> None:
    """Write through a partial file of its own name, so concurrent writers never mix."""
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex}.part")
    partial.write_bytes(content)
    partial.replace(target)
