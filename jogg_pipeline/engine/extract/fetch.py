"""Fetching a page safely: allowed destinations only (connections go to the very address that
was checked), every redirect checked, a size cap enforced while streaming, and one clear line for
whatever goes wrong."""

from __future__ import annotations

import asyncio
import mimetypes
import socket
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpcore
import httpx

from jogg_pipeline.engine.extract.destinations import (
    CheckedBackend,
    CheckedTransport,
    DestinationRefused,
    HostNotResolved,
    Resolver,
    system_resolver,
)
from jogg_pipeline.engine.extract.document import sniff_charset

_USER_AGENT = "jogg-pipeline/1 (+product extraction)"
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchPolicy:
    """Where fetching may go and how much it may take."""

    allowed_file_roots: tuple[Path, ...] = ()
    allow_private: bool = False
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 15.0
    max_redirects: int = 5
    # The whole of a product's creation (page, extraction, media), under the 30 s a client
    # waits for its answer; media not fetched by then stay at their URL.
    product_deadline: float = 20.0
    # How names are resolved and connections opened: the system's, unless a caller (a test)
    # brings its own.
    resolver: Resolver = system_resolver
    dialer: httpcore.AsyncNetworkBackend | None = None


@dataclass(frozen=True)
class FetchedResource:
    """A fetched document."""

    url: str
    content: bytes
    content_type: str
    charset: str | None


class FetchError(Exception):
    """The resource could not be fetched; the message is one line for the user."""


async def fetch(url: str, policy: FetchPolicy, *, accept: str = "text/html,*/*") -> FetchedResource:
    """Fetch `url` (http, https, or file under an allowed root) within `policy`."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return _read_file(url, policy)
    if scheme not in ("http", "https"):
        raise FetchError(f"cannot fetch {url!r}: only http, https and file URLs are supported")
    backend = CheckedBackend(
        policy.allow_private, policy.resolver, policy.dialer or httpcore.AnyIOBackend()
    )
    async with httpx.AsyncClient(
        transport=CheckedTransport(backend),
        timeout=policy.timeout,
        follow_redirects=False,
        trust_env=False,
    ) as client:
        return await _fetch_http(url, policy, client, accept)


async def _fetch_http(
    url: str, policy: FetchPolicy, client: httpx.AsyncClient, accept: str
) -> FetchedResource:
    current = url
    for _hop in range(policy.max_redirects + 1):
        try:
            # One budget per hop, the address lookup included.
            async with asyncio.timeout(policy.timeout):
                _check_url(current)
                result = await _request(current, policy, client, accept)
        except TimeoutError:
            raise FetchError(f"timed out after {policy.timeout:g} s fetching {current}") from None
        if isinstance(result, FetchedResource):
            return result
        current = result
    raise FetchError(f"too many redirects (more than {policy.max_redirects}) fetching {url}")


async def _request(
    url: str, policy: FetchPolicy, client: httpx.AsyncClient, accept: str
) -> FetchedResource | str:
    """The resource, or the URL a redirect points to."""
    headers = {"Accept": accept, "User-Agent": _USER_AGENT}
    try:
        async with client.stream(
            "GET", url, headers=headers, follow_redirects=False, timeout=policy.timeout
        ) as response:
            if response.status_code in _REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(
                        f"{url} redirects without saying where (HTTP {response.status_code})"
                    )
                target = urljoin(url, location.strip())
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError(f"{url} redirects to {target!r}, which is not an http(s) URL")
                return target
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(f"HTTP {response.status_code} {reason} fetching {url}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise _too_large(url, policy)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise _too_large(url, policy)
                chunks.append(chunk)
            content = b"".join(chunks)
            content_type, charset = _content_type(response.headers.get("content-type", ""))
            return FetchedResource(
                url=str(response.url),
                content=content,
                content_type=content_type or _guess_type(url, content),
                charset=_charset_for(content_type, charset, content),
            )
    except DestinationRefused as refused:
        raise FetchError(
            f"not allowed to fetch {url}: {refused} (use --allow-private-urls to permit it)"
        ) from None
    except HostNotResolved as unresolved:
        raise FetchError(f"{unresolved} (DNS lookup failed) for {url}") from None
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {policy.timeout:g} s fetching {url}") from None
    except httpx.ConnectError as error:
        raise FetchError(_connect_message(url, error)) from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects fetching {url}") from None
    except httpx.HTTPError as error:
        raise FetchError(f"could not fetch {url}: {error or type(error).__name__}") from None


def _too_large(url: str, policy: FetchPolicy) -> FetchError:
    return FetchError(f"{url} is larger than the limit of {policy.max_bytes} bytes")


def _connect_message(url: str, error: Exception) -> str:
    host = urlsplit(url).hostname or url
    causes: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(causes) < 8:
        causes.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(cause, socket.gaierror) for cause in causes):
        return f"cannot resolve host {host!r} (DNS lookup failed) for {url}"
    text = " ".join(str(cause).lower() for cause in causes)
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in text:
        return f"connection refused by {host} for {url}"
    if "name or service not known" in text or "nodename" in text:
        return f"cannot resolve host {host!r} (DNS lookup failed) for {url}"
    return f"cannot connect to {host} for {url}: {error}"


def _check_url(url: str) -> None:
    """A URL fetching can try at all; where it may connect is checked when it connects."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"cannot fetch {url!r}: only http, https and file URLs are supported")
    if not parts.hostname:
        raise FetchError(f"cannot fetch {url!r}: the URL has no host")
    try:
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError:
        raise FetchError(f"cannot fetch {url!r}: the port is not valid") from None


def _read_file(url: str, policy: FetchPolicy) -> FetchedResource:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"cannot read {url}: file URLs on other hosts are not supported")
    raw = Path(unquote(parts.path))
    try:
        path = raw.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise FetchError(f"file not found: {raw}") from None
    except (OSError, RuntimeError) as error:
        raise FetchError(f"cannot read {raw}: {error}") from None
    roots = [root.resolve() for root in policy.allowed_file_roots]
    if not any(path.is_relative_to(root) for root in roots):
        raise FetchError(f"not allowed to read {raw}: it is outside the allowed folders")
    if not path.is_file():
        raise FetchError(f"cannot read {raw}: it is not a regular file")
    try:
        with path.open("rb") as handle:
            content = handle.read(policy.max_bytes + 1)
    except OSError as error:
        raise FetchError(f"cannot read {raw}: {error.strerror or error}") from None
    if len(content) > policy.max_bytes:
        raise FetchError(f"{raw} is larger than the limit of {policy.max_bytes} bytes")
    content_type = _guess_type(str(path), content)
    return FetchedResource(
        url=path.as_uri(),
        content=content,
        content_type=content_type,
        charset=_charset_for(content_type, None, content),
    )


def _content_type(header: str) -> tuple[str, str | None]:
    if not header:
        return "", None
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower(), str(charset).strip() if charset else None


def _guess_type(name: str, content: bytes) -> str:
    guessed, encoding = mimetypes.guess_type(name)
    if encoding:
        # "page.html.gz" holds compressed bytes, not HTML.
        return _COMPRESSED_TYPES.get(encoding, "application/octet-stream")
    if guessed:
        return guessed
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<head" in head:
        return "text/html"
    return "application/octet-stream"


def _charset_for(content_type: str, declared: str | None, content: bytes) -> str | None:
    """A byte-order mark beats the header; the page's own <meta> fills a missing header."""
    sniffed = sniff_charset(content)
    for name in (
        sniffed if content.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) else None,
        declared,
    ):
        if name:
            return name.lower()
    if content_type.startswith("text/") or content_type.endswith(("xml", "html")):
        return sniffed.lower() if sniffed else None
    return None
