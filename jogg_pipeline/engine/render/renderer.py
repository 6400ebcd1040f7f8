"""render_video: a spec in, an MP4 and a cover out."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import av

from jogg_pipeline.engine.render.audio import SAMPLE_RATE, soundtrack
from jogg_pipeline.engine.render.captions import description_cues
from jogg_pipeline.engine.render.compose import Compositor
from jogg_pipeline.engine.render.cover import save_cover
from jogg_pipeline.engine.render.encode import Mp4Writer
from jogg_pipeline.engine.render.images import load_images
from jogg_pipeline.engine.render.layout import make_layout
from jogg_pipeline.engine.render.palette import make_palette
from jogg_pipeline.engine.render.planar import to_rgb, to_video_frame
from jogg_pipeline.engine.render.spec import (
    RenderError,
    RenderResult,
    RenderSpec,
    frame_size,
    validate,
)
from jogg_pipeline.engine.render.styles import resolve_style
from jogg_pipeline.engine.render.timeline import plan_timeline

# Audio is muxed this far ahead of the video so the two stay interleaved in the file.
AUDIO_LEAD_SECONDS = 0.5
MAX_DRAW_THREADS = 4


def build_compositor(spec: RenderSpec) -> tuple[Compositor, tuple[int, int], int]:
    """Everything static of a video, prepared once: the compositor, frame size and fps."""
    quality = validate(spec)
    size = frame_size(spec.aspect_ratio, quality)
    layout = make_layout(resolve_style(spec.visual_style), *size)
    images = load_images(tuple(Path(path) for path in spec.images))
    timeline = plan_timeline(float(spec.video_length), len(images))
    palette = make_palette(images[0] if images else None, spec.seed)
    cues = description_cues(spec.description, *timeline.body) if spec.caption else []
    title = " ".join(spec.title.split())
    price = " ".join(spec.price.split()) if spec.price and spec.price.strip() else None
    compositor = Compositor(layout, timeline, palette, images, title, price, cues, spec.seed)
    return compositor, size, quality.fps


def render_video(
    spec: RenderSpec, video_path: Path, cover_path: Path, *, threads: int | None = None
) -> RenderResult:
    """Render spec to video_path (MP4) and cover_path; synchronous and CPU-bound.

    threads caps the threads that draw frames (default: one per core, at most 4). The
    encoder's own thread count is fixed, because x264's output depends on it: the same spec
    gives the same bytes on any machine with the same libraries.
    """
    quality = validate(spec)
    compositor, size, fps = build_compositor(spec)
    cores = max(1, threads or min(os.cpu_count() or 1, MAX_DRAW_THREADS))
    frame_count = spec.video_length * fps
    audio = soundtrack(float(spec.video_length), SAMPLE_RATE, spec.seed)
    video_path, cover_path = Path(video_path), Path(cover_path)
    partial = video_path.with_name(f".{video_path.name}.partial")
    try:
        video_path.parent.mkdir(parents=True, exist_ok=True)
        cover_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            Mp4Writer(partial, size, fps, quality, SAMPLE_RATE) as writer,
            ThreadPoolExecutor(max_workers=cores) as pool,
        ):
            audio_sent = 0
            in_flight: deque[Future[av.VideoFrame]] = deque()
            next_index = 0
            while next_index < frame_count or in_flight:
                while next_index < frame_count and len(in_flight) < 3 * cores:
                    t = next_index / fps
                    in_flight.append(pool.submit(lambda t=t: to_video_frame(compositor.frame(t))))
                    next_index += 1
                writer.add_video(in_flight.popleft().result())
                audio_due = min(
                    audio.shape[1],
                    round((writer.video_frames / fps + AUDIO_LEAD_SECONDS) * SAMPLE_RATE),
                )
                if audio_due > audio_sent:
                    writer.add_audio(audio[:, audio_sent:audio_due])
                    audio_sent = audio_due
            writer.add_audio(audio[:, audio_sent:])
        save_cover(to_rgb(compositor.frame(compositor.cover_time)), cover_path)
        partial.replace(video_path)
    except OSError as error:
        _discard(partial)
        reason = error.strerror or str(error)
        raise RenderError(
            f"cannot write the video or cover: {reason} ({error.filename or video_path})"
        ) from error
    except av.FFmpegError as error:
        _discard(partial)
        raise RenderError(f"video encoding failed: {error}") from error
    return RenderResult(
        duration=float(spec.video_length),
        width=size[0],
        height=size[1],
        fps=fps,
        frames=frame_count,
    )


def _discard(path: Path) -> None:
    """Remove a half-written file, if there is one and it can be removed."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
