"""Colours of a video: taken from the main product image, or from a curated set by seed."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np
from PIL import Image

from jogg_pipeline.engine.render.text import Color

WHITE: Color = (255, 255, 255)
INK: Color = (24, 24, 28)


@dataclass(frozen=True)
class Palette:
    deep: Color  # darkest background tone
    mid: Color  # second gradient stop
    accent: Color  # badges, bars
    on_accent: Color  # text on the accent
    panel: Color  # split-screen text panel
    on_panel: Color  # text on the panel
    on_panel_muted: Color


# Hues (0..1) of the fallback palettes, chosen to read as "retail" rather than "test pattern".
_CURATED_HUES = (0.58, 0.03, 0.75, 0.47, 0.92, 0.1)


def _hls(hue: float, lightness: float, saturation: float) -> Color:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _dominant_hue(image: Image.Image) -> tuple[float, float] | None:
    """Hue of the image's saturated pixels and how colourful it is, or None if it is grey."""
    small = np.asarray(image.convert("RGB").resize((48, 48)), dtype=np.float32) / 255
    high, low = small.max(axis=2), small.min(axis=2)
    chroma = high - low
    weights = chroma * (chroma > 0.15)
    if weights.sum() < 20:
        return None
    red, green, blue = small[..., 0], small[..., 1], small[..., 2]
    # Circular mean of hue, weighted by chroma, so red wraps correctly.
    angle = np.arctan2(np.sqrt(3) * (green - blue), 2 * red - green - blue)
    mean = np.arctan2((np.sin(angle) * weights).sum(), (np.cos(angle) * weights).sum())
    return float((mean / (2 * np.pi)) % 1.0), float(weights.mean())


def make_palette(main_image: Image.Image | None, seed: int) -> Palette:
    found = _dominant_hue(main_image) if main_image is not None else None
    hue = found[0] if found else _CURATED_HUES[seed % len(_CURATED_HUES)]
    # Seeds nudge the hue a little so sibling variants of one product differ.
    hue = (hue + ((seed * 0.618) % 1.0 - 0.5) * 0.06) % 1.0
    accent = _hls(hue, 0.56, 0.78)
    accent_luma = 0.299 * accent[0] + 0.587 * accent[1] + 0.114 * accent[2]
    return Palette(
        deep=_hls(hue, 0.10, 0.45),
        mid=_hls(hue + 0.06, 0.24, 0.5),
        accent=accent,
        on_accent=INK if accent_luma > 150 else WHITE,
        panel=_hls(hue, 0.96, 0.35),
        on_panel=_hls(hue, 0.12, 0.4),
        on_panel_muted=_hls(hue, 0.32, 0.2),
    )
