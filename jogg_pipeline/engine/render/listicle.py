"""The listicle layout's numbered cards: one per point of the script, shown as it is spoken."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from jogg_pipeline.engine.render.cards import Placed
from jogg_pipeline.engine.render.layout import Box
from jogg_pipeline.engine.render.palette import INK, Palette
from jogg_pipeline.engine.render.text import draw_text, fit_box, fit_text

MAX_ITEMS = 4
CARD_FILL = (255, 255, 255)
CARD_OPACITY = 0.94


@dataclass(frozen=True)
class ListItem:
    text: str
    start: float  # when its sentence begins to be spoken


def list_items(sentences: list[tuple[str, float]]) -> list[ListItem]:
    """The points of a script: its sentences between the opening hook and the closing call to
    action (all of them when there are too few), at most MAX_ITEMS, the first ones kept."""
    middle = sentences[1:-1] if len(sentences) >= 4 else sentences
    return [ListItem(text, start) for text, start in middle[:MAX_ITEMS]]


def item_cards(items: list[ListItem], box: Box, palette: Palette) -> list[Placed]:
    """A card per item, stacked evenly down the box."""
    if not items:
        return []
    gap = max(4, round(box.h * 0.035))
    slots = max(len(items), 3)  # a short list keeps cards of a normal height
    height = (box.h - gap * (slots - 1)) // slots
    cards: list[Placed] = []
    for number, item in enumerate(items, start=1):
        image = _card(number, item.text, (box.w, height), palette)
        cards.append(Placed(image, box.x, box.y + (number - 1) * (height + gap)))
    return cards


def _card(number: int, text: str, size: tuple[int, int], palette: Palette) -> Image.Image:
    width, height = size
    radius = round(height * 0.18)
    card = Image.new("RGBA", size, (*CARD_FILL, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle(
        (0, 0, width - 1, height - 1), radius, fill=(*CARD_FILL, round(255 * CARD_OPACITY))
    )
    pad = round(height * 0.14)
    disc = height - 2 * pad
    draw.ellipse((pad, pad, pad + disc, pad + disc), fill=(*palette.accent, 255))
    digit = fit_text(str(number), disc * 0.8, 1, round(disc * 0.6), 8, bold=True)
    digit_image = draw_text(digit, palette.on_accent, align="center")
    card.alpha_composite(
        digit_image,
        (pad + (disc - digit_image.width) // 2, pad + (disc - digit_image.height) // 2),
    )
    left = pad * 2 + disc
    room_w, room_h = width - left - pad, height - 2 * pad
    size_max = max(10, round(height * 0.3))
    fitted = fit_box(text, room_w, room_h, size_max, max(8, size_max // 2), 3)
    words = draw_text(fitted, INK)
    card.alpha_composite(words, (left, (height - words.height) // 2))
    return card
