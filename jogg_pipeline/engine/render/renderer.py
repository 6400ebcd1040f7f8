"""render_video: a spec in, an MP4 and a cover out."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from jogg_pipeline.engine.render.audio import SAMPLE_RATE, soundtrack
from jogg_pipeline.engine.render.captions import Phrase, description_cues, phrases_of, webvtt
from jogg_pipeline.engine.render.compose import Compositor, PresenterTrack
from jogg_pipeline.engine.render.cover import save_cover
from jogg_pipeline.engine.render.encode import Mp4Writer
from jogg_pipeline.engine.render.images import load_images
from jogg_pipeline.engine.render.layout import make_layout
from jogg_pipeline.engine.render.listicle import list_items
from jogg_pipeline.engine.render.palette import make_palette
from jogg_pipeline.engine.render.planar import to_rgb, to_video_frame
from jogg_pipeline.engine.render.presenter_layer import presenter_for
from jogg_pipeline.engine.render.spec import (
    RenderError,
    RenderResult,
    RenderSpec,
    frame_size,
    validate,
)
from jogg_pipeline.engine.render.spoken_captions import SpokenCaptions
from jogg_pipeline.engine.render.styles import PICTURE_IN_PICTURE, resolve_style
from jogg_pipeline.engine.render.text import can_draw
from jogg_pipeline.engine.render.timeline import plan_timeline
from jogg_pipeline.engine.render.voiceover import VoiceOver, find_voice, voice_over

# Audio is muxed this far ahead of the video so the two stay interleaved in the file.
AUDIO_LEAD_SECONDS = 0.5
MAX_DRAW_THREADS = 4


@dataclass(frozen=True)
class Prepared:
    """Everything of a video made before its first frame: the compositor and the sound."""

    compositor: Compositor
    size: tuple[int, int]
    fps: int
    voice: VoiceOver | None
    phrases: list[Phrase]
    notes: tuple[str, ...]
    cover_presenter: PresenterTrack | None = None

    def cover(self) -> Image.Image:
        """The cover: the opening title frame, with the presenter in a corner when the style
        does not show one in the video."""
        compositor = self.compositor
        frame = compositor.frame(compositor.cover_time)
        if self.cover_presenter is not None and self.cover_presenter is not compositor.presenter:
            self.cover_presenter.paste(frame, compositor.cover_time)
        return to_rgb(frame)


def prepare(spec: RenderSpec) -> Prepared:
    """The narration spoken and timed, and the compositor of every frame built around it."""
    quality = validate(spec)
    size = frame_size(spec.aspect_ratio, quality)
    layout = make_layout(resolve_style(spec.visual_style)[0], *size)
    images = load_images(tuple(Path(path) for path in spec.images))
    duration = float(spec.video_length)
    timeline = plan_timeline(duration, len(images))
    palette = make_palette(images[0] if images else None, spec.seed)
    voice = None
    if spec.script:
        speaker = find_voice(spec.voice_id, spec.language)
        voice = voice_over(spec.script, speaker, duration, SAMPLE_RATE)
    phrases = phrases_of(voice.words(), end_limit=duration) if voice else []
    # Without a narration, the description is shown as captions instead.
    cues = description_cues(spec.description, *timeline.body) if spec.caption and not voice else []
    notes = list(voice.notes) if voice else []
    drawable = all(can_draw(phrase.text) for phrase in phrases)
    if spec.caption and phrases and not drawable:
        notes.append(
            "captions are off: no installed font has the glyphs of this language (for "
            "Japanese, install jogg-pipeline[japanese])"
        )
    shown = spec.caption and phrases and drawable
    captions = SpokenCaptions(layout, phrases, palette) if shown else None
    # The style decides whether the presenter is in the video; the cover always shows it.
    presenter = presenter_for(
        layout, spec.presenter_id, voice.visemes() if voice else (), palette, spec.seed
    )
    cover_presenter = presenter
    if presenter is None and spec.presenter_id is not None:
        corner = make_layout(PICTURE_IN_PICTURE, *size)
        cover_presenter = presenter_for(corner, spec.presenter_id, (), palette, spec.seed)
    items = list_items(voice.sentence_starts()) if voice and layout.list_box else []
    title = " ".join(spec.title.split())
    price = " ".join(spec.price.split()) if spec.price and spec.price.strip() else None
    compositor = Compositor(
        layout,
        timeline,
        palette,
        images,
        title,
        price,
        cues,
        spec.seed,
        captions=captions,
        presenter=presenter,
        items=items,
    )
    return Prepared(compositor, size, quality.fps, voice, phrases, tuple(notes), cover_presenter)


def build_compositor(spec: RenderSpec) -> tuple[Compositor, tuple[int, int], int]:
    """Everything static of a video, prepared once: the compositor, frame size and fps."""
    prepared = prepare(spec)
    return prepared.compositor, prepared.size, prepared.fps


def _video_frame(compositor: Compositor, t: float) -> av.VideoFrame:
    return to_video_frame(compositor.frame(t))


def render_video(
    spec: RenderSpec,
    video_path: Path,
    cover_path: Path,
    *,
    threads: int | None = None,
    captions_path: Path | None = None,
) -> RenderResult:
    """Render spec to video_path (MP4) and cover_path, and the narration's WebVTT captions to
    captions_path when given and the video is narrated; synchronous and CPU-bound.

    threads caps the threads that draw frames (default: one per core, at most 4). The
    encoder's own thread count is fixed, because x264's output depends on it: the same spec
    gives the same bytes on any machine with the same libraries.
    """
    quality = validate(spec)
    prepared = prepare(spec)
    compositor, size, fps = prepared.compositor, prepared.size, prepared.fps
    cores = max(1, threads or min(os.cpu_count() or 1, MAX_DRAW_THREADS))
    frame_count = spec.video_length * fps
    duration = float(spec.video_length)
    voice = prepared.voice.track(duration) if prepared.voice else None
    audio = soundtrack(duration, SAMPLE_RATE, spec.seed, music_id=spec.music_id, voice=voice)
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
                    in_flight.append(pool.submit(_video_frame, compositor, next_index / fps))
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
        save_cover(prepared.cover(), cover_path)
        if captions_path is not None and prepared.phrases:
            _write_text(captions_path, webvtt(prepared.phrases, spec.language))
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
        notes=prepared.notes,
        captions=bool(captions_path is not None and prepared.phrases),
    )


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _discard(path: Path) -> None:
    """Remove a half-written file, if there is one and it can be removed."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
