"""Frames as BT.709 yuv420p planes.

Compositing straight in the encoder's format skips a colour conversion per frame, and a luma
plane plus two quarter-size chroma planes is 1.5 bytes a pixel where Pillow's RGB is 4: every
resize, paste and blend does less than half the work.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np
from PIL import Image

_KR, _KB = 0.2126, 0.0722
_KG = 1 - _KR - _KB


def even(value: float) -> int:
    """Round down to an even number (chroma planes are half size)."""
    return int(value) // 2 * 2


@dataclass
class Planes:
    y: Image.Image  # luma, full size
    u: Image.Image  # Cb, half width and height
    v: Image.Image  # Cr, half width and height

    @property
    def size(self) -> tuple[int, int]:
        return self.y.size

    def copy(self) -> Planes:
        return Planes(self.y.copy(), self.u.copy(), self.v.copy())

    def crop(self, left: int, top: int, width: int, height: int) -> Planes:
        """Crop at an even position and size."""
        half = (left // 2, top // 2, (left + width) // 2, (top + height) // 2)
        return Planes(
            self.y.crop((left, top, left + width, top + height)),
            self.u.crop(half),
            self.v.crop(half),
        )

    def paste(self, other: Planes, x: int, y: int, mask: Mask | None = None) -> None:
        """Paste at an even position, through a mask if given."""
        self.y.paste(other.y, (x, y), mask.full if mask else None)
        self.u.paste(other.u, (x // 2, y // 2), mask.half if mask else None)
        self.v.paste(other.v, (x // 2, y // 2), mask.half if mask else None)

    def resized(self, size: tuple[int, int], box: tuple[float, float, float, float]) -> Planes:
        """The box of these planes (luma coordinates) scaled to an even size, bilinear."""
        half_size = (size[0] // 2, size[1] // 2)
        half_box = (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)
        bilinear = Image.Resampling.BILINEAR
        return Planes(
            self.y.resize(size, bilinear, box=box),
            self.u.resize(half_size, bilinear, box=half_box),
            self.v.resize(half_size, bilinear, box=half_box),
        )


@dataclass
class Mask:
    full: Image.Image
    half: Image.Image

    @classmethod
    def from_alpha(cls, alpha: Image.Image) -> Mask:
        return cls(alpha, alpha.reduce(2))

    def faded(self, opacity: float) -> Mask:
        table = [round(value * opacity) for value in range(256)]
        return Mask(self.full.point(table), self.half.point(table))


def blend(first: Planes, second: Planes, weight: float) -> Planes:
    return Planes(
        Image.blend(first.y, second.y, weight),
        Image.blend(first.u, second.u, weight),
        Image.blend(first.v, second.v, weight),
    )


def _pad_even(image: Image.Image) -> Image.Image:
    width, height = image.size
    if width % 2 == 0 and height % 2 == 0:
        return image
    padded = Image.new(image.mode, (width + width % 2, height + height % 2))
    padded.paste(image, (0, 0))
    return padded


def from_rgb(image: Image.Image) -> Planes:
    """BT.709 limited-range planes of an RGB image (padded to even size)."""
    rgb = np.asarray(_pad_even(image.convert("RGB")), dtype=np.float32) / 255
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    luma = _KR * red + _KG * green + _KB * blue
    y = 16 + 219 * luma
    cb = 128 + 224 * (blue - luma) / (2 - 2 * _KB)
    cr = 128 + 224 * (red - luma) / (2 - 2 * _KR)

    def plane(values: np.ndarray) -> Image.Image:
        return Image.fromarray(np.clip(values + 0.5, 0, 255).astype(np.uint8))

    return Planes(plane(y), plane(cb).reduce(2), plane(cr).reduce(2))


def to_rgb(planes: Planes) -> Image.Image:
    """An RGB image of the planes (for covers and inspection, not per frame)."""
    size = planes.size
    y = (np.asarray(planes.y, dtype=np.float32) - 16) / 219
    up = Image.Resampling.BILINEAR
    pb = (np.asarray(planes.u.resize(size, up), dtype=np.float32) - 128) / 224
    pr = (np.asarray(planes.v.resize(size, up), dtype=np.float32) - 128) / 224
    red = y + (2 - 2 * _KR) * pr
    blue = y + (2 - 2 * _KB) * pb
    green = (y - _KR * red - _KB * blue) / _KG
    rgb = np.stack([red, green, blue], axis=-1) * 255
    return Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8))


@dataclass
class Overlay:
    """An RGBA layer split into planes and masks once, so pasting it per frame is cheap."""

    planes: Planes
    mask: Mask

    @classmethod
    def from_rgba(cls, image: Image.Image) -> Overlay:
        padded = _pad_even(image.convert("RGBA"))
        planes = from_rgb(_fill_transparent(padded))
        return cls(planes, Mask.from_alpha(padded.getchannel("A")))


def _fill_transparent(rgba: Image.Image) -> Image.Image:
    """RGB of a layer whose fully transparent pixels take the layer's mean opaque colour.

    Chroma is averaged over 2x2 pixels, so colour hidden under transparency would bleed
    into the edges of text; the mean colour keeps edges clean.
    """
    alpha = np.asarray(rgba.getchannel("A"))
    if alpha.min() > 0 or alpha.max() == 0:
        return rgba.convert("RGB")
    rgb = np.asarray(rgba.convert("RGB"), dtype=np.float32)
    weights = alpha.astype(np.float32)[..., None] / 255
    mean = (rgb * weights).sum(axis=(0, 1)) / max(1e-6, weights.sum())
    filled = np.where(alpha[..., None] > 0, rgb, mean)
    return Image.fromarray(filled.round().astype(np.uint8))


def to_video_frame(planes: Planes) -> av.VideoFrame:
    """A yuv420p VideoFrame holding a copy of the planes (no colour conversion)."""
    width, height = planes.size
    frame = av.VideoFrame(width, height, "yuv420p")
    for target, source in zip(frame.planes, (planes.y, planes.u, planes.v), strict=True):
        # numpy's stubs take a memoryview, not any object with the buffer protocol
        rows = np.frombuffer(memoryview(target), np.uint8).reshape(-1, target.line_size)
        rows[: source.height, : source.width] = np.asarray(source)
    return frame
