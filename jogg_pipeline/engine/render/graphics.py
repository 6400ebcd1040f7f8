"""Drawn elements: gradients, scrims, rounded panels, badges and shadows."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from jogg_pipeline.engine.render.text import Color, FittedText, draw_text, fit_text


def vertical_gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    width, height = size
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    rows = np.asarray(top, np.float32) * (1 - ramp) + np.asarray(bottom, np.float32) * ramp
    return Image.fromarray(np.repeat(rows[:, None, :], width, axis=1).round().astype(np.uint8))


def scrim(
    size: tuple[int, int], color: Color, max_alpha: float, fade_down: bool = True
) -> Image.Image:
    """A colour whose opacity ramps from 0 to max_alpha (downwards, or upwards)."""
    width, height = size
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)
    ramp = ramp**1.6 if fade_down else (1 - ramp) ** 1.6
    alpha = np.repeat((ramp * max_alpha * 255).round().astype(np.uint8)[:, None], width, axis=1)
    layer = Image.new("RGBA", size, (*color, 0))
    layer.putalpha(Image.fromarray(alpha))
    return layer


def rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


def shadow_mask(
    size: tuple[int, int], box: tuple[int, int, int, int], radius: int, spread: int
) -> Image.Image:
    """Opacity of a soft shadow under a rounded rectangle floating slightly above the canvas."""
    x0, y0, x1, y1 = box
    offset = spread // 3
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((x0, y0 + offset, x1, y1 + offset), radius, fill=150)
    return mask.filter(ImageFilter.GaussianBlur(spread))


def drop_shadow(
    canvas: Image.Image, box: tuple[int, int, int, int], radius: int, spread: int
) -> None:
    """Darken the canvas softly under a rectangle, as if a card floated above it."""
    shade = shadow_mask(canvas.size, box, radius, spread)
    canvas.paste(Image.new("RGB", canvas.size, (0, 0, 0)), (0, 0), shade)


def designed_backdrop(
    size: tuple[int, int], top: Color, bottom: Color, accent: Color, seed: int
) -> Image.Image:
    """A gradient with large soft light shapes: a clean background when there is no photo."""
    width, height = size
    canvas = vertical_gradient(size, top, bottom)
    shapes = Image.new("L", size, 0)
    draw = ImageDraw.Draw(shapes)
    rng = random.Random(seed)
    short = min(width, height)
    for _ in range(5):
        radius = rng.uniform(0.25, 0.6) * short
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=rng.randint(40, 90))
    shapes = shapes.filter(ImageFilter.GaussianBlur(short / 12))
    canvas.paste(Image.new("RGB", size, accent), (0, 0), shapes.point(lambda v: v // 2))
    return canvas


def badge(fitted: FittedText, fill: Color, text_color: Color) -> Image.Image:
    """A pill with text centred in it (the price badge)."""
    text = draw_text(fitted, text_color, align="center")
    pad_x, pad_y = round(fitted.size * 0.7), round(fitted.size * 0.35)
    width, height = text.width + 2 * pad_x, text.height + 2 * pad_y
    pill = Image.new("RGBA", (width, height), (*fill, 0))
    ImageDraw.Draw(pill).rounded_rectangle(
        (0, 0, width - 1, height - 1), height // 2, fill=(*fill, 255)
    )
    pill.alpha_composite(text, (pad_x, pad_y - round(fitted.size * 0.06)))
    return pill


def text_plate(text: Image.Image, fill: Color, opacity: float, pad: int) -> Image.Image:
    """Text on a translucent rounded box, readable over any photo (caption lines)."""
    width, height = text.width + 2 * pad, text.height + pad
    plate = Image.new("RGBA", (width, height), (*fill, 0))
    ImageDraw.Draw(plate).rounded_rectangle(
        (0, 0, width - 1, height - 1), pad, fill=(*fill, round(255 * opacity))
    )
    plate.alpha_composite(text, (pad, pad // 2))
    return plate


def accent_bar(size: tuple[int, int], color: Color) -> Image.Image:
    bar = Image.new("RGBA", size, (*color, 0))
    ImageDraw.Draw(bar).rounded_rectangle(
        (0, 0, size[0] - 1, size[1] - 1), size[0] // 2, fill=(*color, 255)
    )
    return bar


def initials(title: str) -> str:
    """One or two letters standing for a product name ("Aurora Insulated Bottle" -> "AI")."""
    words = [word for word in title.split() if word[0].isalnum()]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or "•"


def monogram(
    canvas: Image.Image, center: tuple[int, int], diameter: int, letters: str, accent: Color
) -> None:
    """Draw a brand-like disc with the product's initials: the hero when there is no photo."""
    cx, cy = center
    radius = diameter // 2
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    shadow = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(shadow).ellipse(
        (box[0], box[1] + radius // 10, box[2], box[3] + radius // 10), fill=110
    )
    canvas.paste((0, 0, 0), (0, 0), shadow.filter(ImageFilter.GaussianBlur(max(2, radius // 6))))
    red, green, blue = (round(channel * 0.62) for channel in accent)
    disc = vertical_gradient((diameter, diameter), accent, (red, green, blue))
    mask = Image.new("L", (diameter, diameter), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, diameter - 1, diameter - 1), fill=255)
    canvas.paste(disc, (box[0], box[1]), mask)
    ring = Image.new("L", canvas.size, 0)
    inset = max(2, diameter // 22)
    ImageDraw.Draw(ring).ellipse(
        (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset),
        outline=150,
        width=max(1, diameter // 90),
    )
    canvas.paste((255, 255, 255), (0, 0), ring)
    fitted = fit_text(letters, diameter * 0.62, 1, round(diameter * 0.4), 8, bold=True)
    text = draw_text(fitted, (255, 255, 255), align="center", shadow=0.35)
    canvas.paste(text, (cx - text.width // 2, cy - text.height // 2 - diameter // 30), text)
