"""Scene pictures: a product image moving over a blurred fill of itself, or a designed backdrop.

Everything static is prepared once, as yuv planes; a frame costs one crop of the fill (soft, so
whole-pixel steps are invisible) and one sub-pixel resize of the sharp image only.
"""

from __future__ import annotations

import math
from typing import Protocol

from PIL import Image, ImageFilter

from jogg_pipeline.engine.render.graphics import designed_backdrop, monogram
from jogg_pipeline.engine.render.motion import MAX_ZOOM, Motion
from jogg_pipeline.engine.render.palette import Palette
from jogg_pipeline.engine.render.planar import Planes, even, from_rgb

# The fill is this much larger than the box so it can drift against the image (parallax).
FILL_OVERSCAN = 1.08
# Images this close to the box's shape fill it edge to edge instead of floating over the fill.
COVER_TOLERANCE = 1.2


class Scene(Protocol):
    size: tuple[int, int]

    def render(self, progress: float) -> Planes: ...


def cover_fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The image scaled to cover size and centre-cropped to it."""
    width, height = size
    scale = max(width / image.width, height / image.height)
    scaled_w, scaled_h = image.width * scale, image.height * scale
    left = max(0.0, (scaled_w - width) / 2 / scale)
    top = max(0.0, (scaled_h - height) / 2 / scale)
    box = (
        left,
        top,
        min(image.width, left + width / scale),
        min(image.height, top + height / scale),
    )
    return image.resize(size, Image.Resampling.BILINEAR, box=box, reducing_gap=2.0)


def blurred_fill(
    image: Image.Image, size: tuple[int, int], tint: tuple[int, int, int]
) -> Image.Image:
    """The image blown up, blurred and tinted towards a dark tone: a backdrop that matches it."""
    small = (max(8, size[0] // 10), max(8, size[1] // 10))
    soft = cover_fit(image, small).filter(ImageFilter.GaussianBlur(max(2, min(small) / 14)))
    fill = soft.resize(size, Image.Resampling.BICUBIC)
    return Image.blend(fill, Image.new("RGB", size, tint), 0.5)


class ImagePlate:
    """A product image prepared once for a box: sharp planes and a blurred fill.

    Shared by every scene that shows the image, so long videos cost no more memory.
    """

    def __init__(self, image: Image.Image, size: tuple[int, int], palette: Palette):
        self.size = size
        width, height = size
        shape_ratio = (image.width / image.height) / (width / height)
        self.cover = 1 / COVER_TOLERANCE <= shape_ratio <= COVER_TOLERANCE
        fit = max if self.cover else min
        scale = fit(width / image.width, height / image.height)
        self.fitted = (image.width * scale, image.height * scale)
        sharp_size = (
            max(2, even(self.fitted[0] * MAX_ZOOM + 1)),
            max(2, even(self.fitted[1] * MAX_ZOOM + 1)),
        )
        self.sharp = from_rgb(image.resize(sharp_size, Image.Resampling.LANCZOS))
        fill_size = (even(width * FILL_OVERSCAN + 2), even(height * FILL_OVERSCAN + 2))
        self.fill = None if self.cover else from_rgb(blurred_fill(image, fill_size, palette.deep))


class ImageScene:
    """A product photo with Ken Burns motion over a blurred, tinted fill of itself."""

    def __init__(self, plate: ImagePlate, motion: Motion):
        self.size = plate.size
        self.motion = motion
        self.cover = plate.cover
        self.fitted = plate.fitted
        self.sharp = plate.sharp
        self.fill = plate.fill

    def render(self, progress: float) -> Planes:
        width, height = self.size
        zoom, dx, dy = self.motion.at(progress)
        shown_w, shown_h = self.fitted[0] * zoom, self.fitted[1] * zoom
        center_x, center_y = width / 2 + dx * width, height / 2 + dy * height
        if self.cover:
            # Never let the drift uncover an edge of the box.
            center_x = _clamp(center_x, width - shown_w / 2, shown_w / 2)
            center_y = _clamp(center_y, height - shown_h / 2, shown_h / 2)
        x0, y0 = center_x - shown_w / 2, center_y - shown_h / 2
        to_source = self.sharp.size[0] / shown_w
        if self.cover:
            return self._sharp_part(0, 0, width, height, x0, y0, to_source)
        assert self.fill is not None
        spare_x, spare_y = self.fill.size[0] - width, self.fill.size[1] - height
        left = even(_clamp(spare_x / 2 * (1 - dx * 25), 0, spare_x))
        top = even(_clamp(spare_y / 2 * (1 - dy * 25), 0, spare_y))
        canvas = self.fill.crop(left, top, width, height)
        ix0, iy0 = even(max(0, math.ceil(x0)) + 1), even(max(0, math.ceil(y0)) + 1)
        ix1, iy1 = (
            even(min(width, math.floor(x0 + shown_w))),
            even(min(height, math.floor(y0 + shown_h))),
        )
        if ix1 > ix0 and iy1 > iy0:
            picture = self._sharp_part(ix0, iy0, ix1, iy1, x0, y0, to_source)
            canvas.paste(picture, ix0, iy0)
        return canvas

    def _sharp_part(
        self, ix0: int, iy0: int, ix1: int, iy1: int, x0: float, y0: float, to_source: float
    ) -> Planes:
        """Pixels [ix0, ix1) x [iy0, iy1) of the box, sampled from the sharp image."""
        sharp_w, sharp_h = self.sharp.size
        source_box = (
            _clamp((ix0 - x0) * to_source, 0, sharp_w),
            _clamp((iy0 - y0) * to_source, 0, sharp_h),
            _clamp((ix1 - x0) * to_source, 0, sharp_w),
            _clamp((iy1 - y0) * to_source, 0, sharp_h),
        )
        return self.sharp.resized((ix1 - ix0, iy1 - iy0), source_box)


class DesignedScene:
    """A gradient backdrop with soft shapes that drifts slowly: for products without photos."""

    def __init__(
        self,
        size: tuple[int, int],
        palette: Palette,
        seed: int,
        direction: int = 0,
        letters: str | None = None,
    ):
        self.size = size
        width, height = size
        plate_size = (even(width * 1.12 + 2), even(height * 1.12 + 2))
        plate = designed_backdrop(plate_size, palette.mid, palette.deep, palette.accent, seed)
        if letters:
            center = (plate_size[0] // 2, round(plate_size[1] * (0.42 if height > width else 0.46)))
            monogram(plate, center, round(min(width, height) * 0.5), letters, palette.accent)
        self.plate = from_rgb(plate)
        self.direction = 1 if direction % 2 == 0 else -1

    def render(self, progress: float) -> Planes:
        width, height = self.size
        spare_x, spare_y = self.plate.size[0] - width, self.plate.size[1] - height
        along = progress if self.direction > 0 else 1 - progress
        return self.plate.crop(
            even(spare_x * along), even(spare_y * (0.3 + 0.4 * along)), width, height
        )


def _clamp(value: float, low: float, high: float) -> float:
    if low > high:
        low, high = high, low
    return min(high, max(low, value))
