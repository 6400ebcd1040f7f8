"""What a render is asked for, what it produces, and the quality presets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jogg_pipeline.errors import PipelineError

MAX_VIDEO_LENGTH = 600
MAX_TITLE_CHARS = 2000
MAX_DESCRIPTION_CHARS = 20000

# Width and height units of each JoggAI aspect ratio code.
ASPECT_SHAPES: dict[int, tuple[int, int]] = {0: (9, 16), 1: (16, 9), 2: (1, 1)}


class RenderError(PipelineError):
    """A render could not be made; the message says why in one line."""


@dataclass(frozen=True)
class Quality:
    """An output preset: frame size, frame rate and encoder effort."""

    name: str
    short_side: int
    fps: int
    x264_preset: str
    crf: int
    audio_bitrate: int
    x264_params: str = ""  # overrides on top of the preset, "key=value:key=value"


QUALITIES: dict[str, Quality] = {
    # veryfast with the fastest subpixel search, by measured SSIM per CPU second against a slow
    # reference (benchmarks/encoder_choice.py): 33% less encoding CPU than veryfast CRF 20, SSIM
    # 0.9974 against 0.9982 (the reference: 0.9988). MB-tree is off: with it, renders of the
    # same spec did not always give the same bytes; without it, files are about a third larger.
    "full": Quality("full", 1080, 30, "veryfast", 23, 160_000, "subme=1:mbtree=0"),
    # ultrafast's speed with CABAC, the deblocking filter, 8x8 transforms and B-frames back
    # on: chosen by measured SSIM per CPU second (benchmarks/encoder_choice.py): 11% less
    # encoding CPU and 42% smaller files than CABAC and deblocking alone, at the same SSIM.
    "hd": Quality(
        "hd", 720, 30, "ultrafast", 22, 128_000, "8x8dct=1:bframes=3:cabac=1:deblock=0,0"
    ),
    "preview": Quality("preview", 360, 15, "ultrafast", 26, 96_000),
}


@dataclass(frozen=True)
class RenderSpec:
    """One video to render; every field is plain data so it crosses process boundaries."""

    aspect_ratio: int
    video_length: int
    title: str
    price: str | None = None
    description: str = ""
    images: tuple[Path, ...] = ()
    caption: bool = True
    visual_style: str = "FullScreen"
    quality: str = "full"
    seed: int = 0
    script: tuple[str, ...] = ()  # the narration, sentence by sentence; none: no voice
    language: str = "english"  # the narration's wire language
    voice_id: str = ""  # a local voice id (empty: the language's first voice)
    music_id: int | None = None  # a bed of the music library (None: the default one)
    presenter_id: int | None = None  # a presenter look, shown where the style puts one


@dataclass(frozen=True)
class RenderResult:
    """What was written: the video's exact length, frame size, rate and frame count."""

    duration: float
    width: int
    height: int
    fps: int
    frames: int
    notes: tuple[str, ...] = ()  # what the video does differently from its spec, one sentence each
    captions: bool = False  # whether a WebVTT file of the narration was written


def frame_size(aspect_ratio: int, quality: Quality) -> tuple[int, int]:
    """Width and height in pixels, both even, with the quality's short side."""
    shape_w, shape_h = ASPECT_SHAPES[aspect_ratio]
    short = quality.short_side
    long = 2 * round(short * max(shape_w, shape_h) / min(shape_w, shape_h) / 2)
    return (
        (short, long)
        if shape_w < shape_h
        else (long, short)
        if shape_w > shape_h
        else (short, short)
    )


def validate(spec: RenderSpec) -> Quality:
    """Check a spec and return its quality preset, or raise RenderError naming the bad field."""
    if spec.quality not in QUALITIES:
        known = ", ".join(QUALITIES)
        raise RenderError(f"unknown render quality {spec.quality!r} (known: {known})")
    if isinstance(spec.aspect_ratio, bool) or spec.aspect_ratio not in ASPECT_SHAPES:
        raise RenderError(
            f"aspect_ratio must be 0 (portrait), 1 (landscape) or 2 (square), "
            f"got {spec.aspect_ratio!r}"
        )
    length = spec.video_length
    if isinstance(length, bool) or not isinstance(length, int):
        raise RenderError(f"video_length must be a whole number of seconds, got {length!r}")
    if not 1 <= length <= MAX_VIDEO_LENGTH:
        raise RenderError(
            f"video_length must be between 1 and {MAX_VIDEO_LENGTH} seconds, got {length}"
        )
    if not isinstance(spec.title, str) or not spec.title.strip():
        raise RenderError("title must be a non-empty string")
    if len(spec.title) > MAX_TITLE_CHARS:
        raise RenderError(f"title is longer than {MAX_TITLE_CHARS} characters")
    if isinstance(spec.images, str | bytes | Path):
        raise RenderError("images must be a tuple of image file paths, not a single path")
    if not isinstance(spec.visual_style, str):
        raise RenderError(f"visual_style must be a style name, got {spec.visual_style!r}")
    if not isinstance(spec.description, str):
        raise RenderError("description must be a string")
    if len(spec.description) > MAX_DESCRIPTION_CHARS:
        raise RenderError(f"description is longer than {MAX_DESCRIPTION_CHARS} characters")
    if isinstance(spec.script, str) or not all(isinstance(s, str) for s in spec.script):
        raise RenderError("script must be a tuple of sentences")
    if sum(len(sentence) for sentence in spec.script) > MAX_DESCRIPTION_CHARS:
        raise RenderError(f"script is longer than {MAX_DESCRIPTION_CHARS} characters")
    return QUALITIES[spec.quality]
