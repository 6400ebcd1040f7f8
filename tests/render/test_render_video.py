"""Rendering real videos and reading them back with PyAV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jogg_pipeline.engine.render import QUALITIES, RenderResult, RenderSpec, render_video

from .conftest import Probe

SIZES = {
    ("preview", 0): (360, 640),
    ("preview", 1): (640, 360),
    ("preview", 2): (360, 360),
    ("hd", 0): (720, 1280),
    ("hd", 1): (1280, 720),
    ("hd", 2): (720, 720),
    ("full", 0): (1080, 1920),
    ("full", 1): (1920, 1080),
    ("full", 2): (1080, 1080),
}

DESCRIPTION = (
    "Keeps drinks cold for 24 hours and hot for 12. Double-wall vacuum steel with a "
    "leak-proof lid. Fits every cup holder."
)


def render(
    tmp_path: Path, name: str = "video", threads: int | None = None, **fields: object
) -> tuple[RenderResult, Path, Path]:
    defaults: dict[str, object] = dict(
        aspect_ratio=0,
        video_length=3,
        title="Aurora Steel Bottle",
        price="$34.90",
        description=DESCRIPTION,
        quality="preview",
    )
    spec = RenderSpec(**{**defaults, **fields})  # type: ignore[arg-type]
    video, cover = tmp_path / f"{name}.mp4", tmp_path / f"{name}.jpg"
    return render_video(spec, video, cover, threads=threads), video, cover


def red_share(frame: np.ndarray, brightest: int = 170) -> float:
    """Share of pixels that are clearly red (at least `brightest` in the red channel)."""
    red, green, blue = (frame[..., channel].astype(int) for channel in range(3))
    return float(((red > brightest) & (red > 3 * green) & (red > 3 * blue)).mean())


@pytest.mark.parametrize("aspect", [0, 1, 2])
def test_each_aspect_ratio_is_an_exact_length_h264_aac_mp4(
    tmp_path: Path, aspect: int, product_images: tuple[Path, ...], probe: Callable[[Path], Probe]
) -> None:
    result, video, cover = render(
        tmp_path, aspect_ratio=aspect, video_length=4, images=product_images
    )
    found = probe(video)
    width, height = SIZES[("preview", aspect)]
    assert (result.width, result.height) == (found.width, found.height) == (width, height)
    for seconds in (found.container_seconds, found.video_seconds, found.audio_seconds):
        assert abs(seconds - 4) <= 0.1
    assert (found.video_codec, found.audio_codec, found.pix_fmt) == ("h264", "aac", "yuv420p")
    assert found.fps == result.fps == QUALITIES["preview"].fps
    assert len(found.frames) == result.frames == 4 * result.fps
    assert found.channels == 2 and found.sample_rate in (44_100, 48_000)
    rms = float(np.sqrt(np.mean(found.audio.astype(np.float64) ** 2)))
    assert rms > 0.02, "the music bed is silent"
    assert float(np.abs(found.audio).max()) < 1.0
    # Motion: consecutive frames differ (Ken Burns), not only at scene changes.
    middle = len(found.frames) // 2
    assert (
        np.abs(found.frames[middle].astype(int) - found.frames[middle + 1].astype(int)).mean()
        > 0.05
    )
    with Image.open(cover) as image:
        assert image.format == "JPEG"
        assert image.width / image.height == pytest.approx(width / height, rel=0.01)


@pytest.mark.parametrize(("quality", "aspect"), [("hd", 0), ("full", 1), ("hd", 2)])
def test_quality_sets_the_frame_size(
    tmp_path: Path, quality: str, aspect: int, probe: Callable[[Path], Probe]
) -> None:
    result, video, _ = render(tmp_path, quality=quality, aspect_ratio=aspect, video_length=1)
    found = probe(video)
    assert (found.width, found.height) == (result.width, result.height) == SIZES[(quality, aspect)]
    assert abs(found.container_seconds - 1) <= 0.1
    assert abs(found.audio_seconds - 1) <= 0.1


def test_a_red_product_image_shows_in_the_video(
    tmp_path: Path, red_image: Path, probe: Callable[[Path], Probe]
) -> None:
    _, video, cover = render(tmp_path, images=(red_image,), video_length=5, caption=False)
    found = probe(video)
    middle = found.frames[len(found.frames) // 2]
    assert red_share(middle) > 0.2
    with Image.open(cover) as image:
        # The title card darkens the picture under it, so the red is dimmer there.
        assert red_share(np.asarray(image.convert("RGB")), brightest=100) > 0.2


def test_a_product_without_images_gets_a_designed_moving_video(
    tmp_path: Path, probe: Callable[[Path], Probe]
) -> None:
    _, video, cover = render(tmp_path, images=(), video_length=6, aspect_ratio=1)
    found = probe(video)
    frames = found.frames
    assert abs(found.container_seconds - 6) <= 0.1
    assert all(frame.mean() > 10 for frame in frames[:: len(frames) // 6]), "a black frame"
    # The backdrop drifts: far-apart frames of the body differ.
    body = frames[len(frames) // 3 : 2 * len(frames) // 3]
    assert np.abs(body[0].astype(int) - body[-1].astype(int)).mean() > 1
    with Image.open(cover) as image:
        assert image.size == (640, 360)


def test_unreadable_corrupt_and_tiny_images_are_skipped(
    tmp_path: Path, red_image: Path, probe: Callable[[Path], Probe]
) -> None:
    truncated = tmp_path / "truncated.jpg"
    Image.new("RGB", (300, 300), (0, 200, 0)).save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("this is not a picture")
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (12, 12), (0, 0, 255)).save(tiny)
    missing = tmp_path / "missing.jpg"
    images = (truncated, not_an_image, tiny, missing, red_image)
    _, video, _ = render(tmp_path, images=images, video_length=3, caption=False)
    found = probe(video)
    assert red_share(found.frames[len(found.frames) // 2]) > 0.2


def test_only_broken_images_fall_back_to_the_designed_video(
    tmp_path: Path, probe: Callable[[Path], Probe]
) -> None:
    broken = tmp_path / "broken.webp"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 garbage")
    _, video, _ = render(tmp_path, images=(broken,), video_length=2)
    assert abs(probe(video).container_seconds - 2) <= 0.1


def test_long_unicode_title_and_price_render(
    tmp_path: Path, probe: Callable[[Path], Probe]
) -> None:
    title = "Crème brûlée Ærøskøbing Świętokrzyskie Größenverstellbarer Café-Stuhl „Ünïcødé“ " * 6
    _, video, cover = render(
        tmp_path, title=title, price="119,01 €", video_length=2, aspect_ratio=2
    )
    assert abs(probe(video).container_seconds - 2) <= 0.1
    with Image.open(cover) as image:
        assert image.size == (360, 360)


def test_same_spec_gives_the_same_frames(
    tmp_path: Path, product_images: tuple[Path, ...], probe: Callable[[Path], Probe]
) -> None:
    _, first, _ = render(tmp_path, "first", images=product_images, seed=7)
    # Drawing threads do not change the result.
    _, second, _ = render(tmp_path, "second", threads=1, images=product_images, seed=7)
    _, other, _ = render(tmp_path, "other", images=product_images, seed=8)
    assert first.read_bytes() == second.read_bytes()
    first_frames, second_frames = probe(first).frames, probe(second).frames
    assert all(np.array_equal(a, b) for a, b in zip(first_frames, second_frames, strict=True))
    other_frames = probe(other).frames
    assert any(not np.array_equal(a, b) for a, b in zip(first_frames, other_frames, strict=True))


def test_png_cover_by_suffix(tmp_path: Path) -> None:
    spec = RenderSpec(aspect_ratio=1, video_length=1, title="Lamp", quality="preview")
    render_video(spec, tmp_path / "lamp.mp4", tmp_path / "covers" / "lamp.png")
    with Image.open(tmp_path / "covers" / "lamp.png") as image:
        assert image.format == "PNG" and image.size == (640, 360)
