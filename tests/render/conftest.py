"""Fixtures for renderer tests: generated images and a PyAV probe of finished videos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw


@dataclass
class Probe:
    container_seconds: float
    video_seconds: float
    audio_seconds: float
    video_codec: str
    audio_codec: str
    width: int
    height: int
    pix_fmt: str
    fps: float
    sample_rate: int
    channels: int
    frames: list[np.ndarray]  # decoded RGB frames
    audio: np.ndarray  # decoded samples, shape (channels, n)


def probe_video(path: Path) -> Probe:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        info = dict(
            container_seconds=container.duration / av.time_base,
            video_seconds=float(video.duration * video.time_base),
            audio_seconds=float(audio.duration * audio.time_base),
            video_codec=video.codec_context.name,
            audio_codec=audio.codec_context.name,
            width=video.codec_context.width,
            height=video.codec_context.height,
            pix_fmt=video.codec_context.pix_fmt,
            fps=float(video.average_rate),
            sample_rate=audio.codec_context.sample_rate,
            channels=audio.codec_context.channels,
        )
    with av.open(str(path)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    with av.open(str(path)) as container:
        samples = np.concatenate(
            [frame.to_ndarray() for frame in container.decode(audio=0)], axis=1
        )
    return Probe(**info, frames=frames, audio=samples)


@pytest.fixture
def probe() -> Callable[[Path], Probe]:
    return probe_video


@pytest.fixture
def red_image(tmp_path: Path) -> Path:
    path = tmp_path / "red.png"
    Image.new("RGB", (400, 400), (230, 10, 10)).save(path)
    return path


@pytest.fixture
def product_images(tmp_path: Path) -> tuple[Path, ...]:
    """Three photo-like images of different shapes: square, landscape, portrait."""
    paths = []
    for index, (size, color) in enumerate(
        (((600, 600), (30, 90, 170)), ((900, 560), (200, 120, 40)), ((500, 760), (40, 140, 90)))
    ):
        image = Image.new("RGB", size, (245, 245, 242))
        draw = ImageDraw.Draw(image)
        width, height = size
        draw.rounded_rectangle(
            (width * 0.3, height * 0.2, width * 0.7, height * 0.85), 30, fill=color
        )
        draw.ellipse(
            (width * 0.05, height * 0.05, width * 0.2, height * 0.05 + width * 0.15),
            fill=(250, 200, 60),
        )
        path = tmp_path / f"product-{index}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return tuple(paths)
