"""Audition clips of the catalogue: each voice saying a sentence, each music bed's opening.

They are made on first request, in a thread (a clip takes a fraction of a second), and kept
under the files folder, where the files route serves them from then on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from jogg_pipeline.engine import catalog
from jogg_pipeline.engine.files import FILES_ROUTE, DataLayout
from jogg_pipeline.engine.media import write_atomically
from jogg_pipeline.engine.replies import error_response, not_found

ROUTE = f"{FILES_ROUTE}/{catalog.AUDITIONS}/{{name}}"
MUSIC_RATE = 24_000


def _make(name: str) -> bytes | None:
    """The clip a file name stands for, or None when it names none."""
    from jogg_pipeline.engine.narration.audition import audition, encode_mp3

    stem = name.removesuffix(".mp3")
    if stem == name:
        return None
    if stem.startswith("voice-"):
        for voice in catalog.local_voices():
            if voice.voice_id == stem.removeprefix("voice-"):
                return audition(voice)
        return None
    if stem.startswith("music-") and stem.removeprefix("music-").isdigit():
        from jogg_pipeline.engine.render.music import find_bed, music_bed

        bed = find_bed(int(stem.removeprefix("music-")))
        if bed is None:
            return None
        stereo = music_bed(bed.id, catalog.MUSIC_AUDITION_SECONDS, MUSIC_RATE, 0)
        return encode_mp3(stereo.mean(axis=0), MUSIC_RATE)
    return None


def make_auditions_endpoint(layout: DataLayout) -> Callable[[Request], Awaitable[Response]]:
    async def serve_audition(request: Request) -> Response:
        name = request.path_params["name"]
        path = layout.files / catalog.AUDITIONS / name
        if not path.is_file():
            clip = await asyncio.to_thread(_make, name)
            if clip is None:
                error = not_found(f"no file {catalog.AUDITIONS + '/' + name!r}")
                error.status = 404
                return error_response(error)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, clip)
        return FileResponse(path, media_type="audio/mpeg")

    return serve_audition
