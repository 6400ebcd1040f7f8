"""Text layers of a video: title card, lower third, price badge, caption lines, end card."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from jogg_pipeline.engine.render.graphics import (
    accent_bar,
    badge,
    rounded_mask,
    shadow_mask,
    text_plate,
)
from jogg_pipeline.engine.render.layout import Box, Layout
from jogg_pipeline.engine.render.palette import WHITE, Palette
from jogg_pipeline.engine.render.scenes import blurred_fill, cover_fit
from jogg_pipeline.engine.render.styles import FULL_SCREEN
from jogg_pipeline.engine.render.text import Color, draw_text, fit_box, fit_text

SHADOW = 0.75


@dataclass(frozen=True)
class Placed:
    """An RGBA layer and the top-left corner where it goes."""

    image: Image.Image
    x: int
    y: int


def _text_colors(layout: Layout, palette: Palette) -> tuple[Color, Color, float]:
    """Main text colour, secondary text colour, and shadow opacity."""
    if layout.text_on_panel:
        return palette.on_panel, palette.on_panel_muted, 0.0
    return WHITE, (235, 235, 240), SHADOW


def price_badge(price: str, size: int, width_limit: int, palette: Palette) -> Image.Image:
    fitted = fit_text(price, width_limit - 1.4 * size, 1, size, max(8, size // 2), bold=True)
    return badge(fitted, palette.accent, palette.on_accent)


def badge_room(layout: Layout) -> int:
    """The widest the body's price badge may be, from its pin to the frame's edge."""
    x = layout.badge_point[0]
    room = x if layout.badge_anchor in ("tr", "cr") else layout.size[0] - x
    return min(room - layout.margin // 2, layout.size[0] // 2)


def pin(image: Image.Image, point: tuple[int, int], anchor: str) -> tuple[int, int]:
    """Top-left corner that puts the image's anchor corner on point."""
    x, y = point
    if anchor in ("tr", "cr"):
        x -= image.width
    if anchor == "bl":
        y -= image.height
    if anchor == "cr":
        y -= image.height // 2
    return x, y


def _stack(parts: list[Image.Image], gap: int, align: str) -> Image.Image:
    width = max(part.width for part in parts)
    height = sum(part.height for part in parts) + gap * (len(parts) - 1)
    stack = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    top = 0
    for part in parts:
        left = (width - part.width) // 2 if align == "center" else 0
        stack.alpha_composite(part, (left, top))
        top += part.height + gap
    return stack


def _place_in(image: Image.Image, box: Box, align: str, anchor: str) -> Placed:
    x = box.x + (box.w - image.width) // 2 if align == "center" else box.x
    if anchor == "top":
        y = box.y
    elif anchor == "bottom":
        y = box.bottom - image.height
    else:
        y = box.y + (box.h - image.height) // 2
    return Placed(image, x, y)


def _name_and_price(
    title: str,
    price: str | None,
    box: Box,
    sizes: tuple[int, int],
    color: Color,
    shadow: float,
    align: str,
    palette: Palette,
) -> Placed:
    """The product name in display type with the price badge under it, centred in box."""
    title_size, badge_size = sizes
    price_layer = price_badge(price, badge_size, box.w, palette) if price else None
    gap = round(title_size * 0.45)
    room = box.h - (price_layer.height + gap if price_layer else 0)
    fitted = fit_box(title, box.w, room, title_size, title_size // 2, 3, bold=True)
    parts = [draw_text(fitted, color, align=align, shadow=shadow)]
    if price_layer:
        parts.append(price_layer)
    return _place_in(_stack(parts, gap, align), box, align, "center")


def title_card(layout: Layout, title: str, price: str | None, palette: Palette) -> Placed:
    main, _, shadow = _text_colors(layout, palette)
    align = "center" if layout.style == FULL_SCREEN else layout.name_align
    sizes = (layout.title_size, layout.badge_size)
    return _name_and_price(title, price, layout.title_box, sizes, main, shadow, align, palette)


def lower_third(layout: Layout, title: str, palette: Palette) -> Placed:
    """The product name with an accent mark: a bar beside it over photos, a rule under it
    on panels and cards."""
    main, _, shadow = _text_colors(layout, palette)
    box = layout.name_box
    size = layout.name_size
    bar_w = max(3, round(size * 0.14))
    if layout.style == FULL_SCREEN:
        indent = bar_w * 3
        fitted = fit_box(title, box.w - indent, box.h, size, size * 2 // 3, 3, bold=True)
        text = draw_text(fitted, main, align="left", shadow=shadow)
        layer = Image.new("RGBA", (text.width + indent, text.height), (0, 0, 0, 0))
        layer.alpha_composite(accent_bar((bar_w, text.height - 8), palette.accent), (0, 4))
        layer.alpha_composite(text, (indent, 0))
        return _place_in(layer, box, "left", layout.name_anchor)
    fitted = fit_box(title, box.w, box.h, size, size * 2 // 3, 3, bold=True)
    text = draw_text(fitted, main, align=layout.name_align, shadow=shadow)
    rule = accent_bar((round(size * 1.6), bar_w), palette.accent)
    layer = _stack([text, rule], round(size * 0.2), layout.name_align)
    return _place_in(layer, Box(box.x, box.y, box.w, layer.height), layout.name_align, "top")


def caption_layer(layout: Layout, line: str, palette: Palette) -> Placed:
    _, secondary, shadow = _text_colors(layout, palette)
    box = layout.caption_box
    size = layout.caption_size
    pad = round(size * 0.45) if layout.caption_plate else 0
    fitted = fit_box(line, box.w - 2 * pad, box.h - pad, size, size * 2 // 3, 3)
    align = "center" if layout.caption_plate or layout.name_align == "center" else "left"
    if layout.caption_plate:
        text = draw_text(fitted, WHITE, align="center")
        layer = text_plate(text, (12, 12, 16), 0.58, pad)
    else:
        layer = draw_text(fitted, secondary, align=align, shadow=shadow)
    return _place_in(layer, box, align, layout.caption_anchor)


def panel_backdrop(layout: Layout, palette: Palette) -> Image.Image:
    """The split-screen canvas: panel colour with an accent line along the picture's edge."""
    canvas = Image.new("RGB", layout.size, palette.panel)
    box = layout.image_box
    thickness = max(2, round(min(layout.size) * 0.008))
    if box.w < layout.size[0]:
        canvas.paste(palette.accent, (box.right, 0, box.right + thickness, layout.size[1]))
    else:
        canvas.paste(palette.accent, (0, box.bottom, layout.size[0], box.bottom + thickness))
    return canvas


def end_card(
    size: tuple[int, int],
    main_image: Image.Image | None,
    title: str,
    price: str | None,
    palette: Palette,
) -> Placed:
    """The closing card: the product's picture on a floating tile (if any), name and price."""
    width, height = size
    short = min(width, height)
    landscape, portrait = width > height, height > width
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    inset = round(short * 0.08)
    text_box = Box(inset, inset, width - 2 * inset, height - 2 * inset)
    if main_image is not None:
        side = round(short * (0.62 if landscape else 0.56 if portrait else 0.44))
        if landscape:
            tile = Box(round(width * 0.1), (height - side) // 2, side, side)
            left = tile.right + round(short * 0.1)
            text_box = Box(left, inset, width - left - inset, height - 2 * inset)
        else:
            tile = Box(
                (width - side) // 2, round(height * (0.16 if portrait else 0.09)), side, side
            )
            top = tile.bottom + round(short * 0.05)
            text_box = Box(inset, top, width - 2 * inset, height - top - round(short * 0.06))
        _floating_tile(layer, main_image, tile, palette)
    align = "left" if landscape and main_image is not None else "center"
    sizes = (round(short * 0.08), round(short * 0.065))
    text = _name_and_price(title, price, text_box, sizes, WHITE, SHADOW, align, palette)
    layer.alpha_composite(text.image, (text.x, text.y))
    bbox = layer.getbbox() or (0, 0, 1, 1)
    return Placed(layer.crop(bbox), bbox[0], bbox[1])


def _floating_tile(layer: Image.Image, image: Image.Image, tile: Box, palette: Palette) -> None:
    """Draw the image on a rounded tile with a soft shadow under it."""
    radius = round(tile.w * 0.06)
    shade = shadow_mask(layer.size, (tile.x, tile.y, tile.right, tile.bottom), radius, radius)
    layer.paste(Image.new("RGBA", layer.size, (0, 0, 0, 255)), (0, 0), shade)
    shape = image.width / image.height
    if 0.85 <= shape <= 1.18:
        picture = cover_fit(image, tile.size)
    else:
        picture = blurred_fill(image, tile.size, palette.deep)
        inner = image.copy()
        inner.thumbnail(tile.size, Image.Resampling.LANCZOS)
        picture.paste(inner, ((tile.w - inner.width) // 2, (tile.h - inner.height) // 2))
    layer.paste(picture.convert("RGBA"), (tile.x, tile.y), rounded_mask(tile.size, radius))
