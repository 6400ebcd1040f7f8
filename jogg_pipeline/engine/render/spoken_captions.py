"""Captions of the narration, drawn phrase by phrase with the word being spoken highlighted.

Each (phrase, spoken word) picture is drawn the first time a frame needs it and kept while its
phrase is on screen: frames are drawn roughly in order, so only a few pictures live at once,
however long the video.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PIL import Image, ImageDraw

from jogg_pipeline.engine.render.captions import Phrase
from jogg_pipeline.engine.render.layout import Layout
from jogg_pipeline.engine.render.palette import WHITE, Palette
from jogg_pipeline.engine.render.planar import Overlay, Planes, even
from jogg_pipeline.engine.render.text import (
    Color,
    fit_box,
    font,
    line_height,
    stroke_for,
    text_width,
)

PLATE = (12, 12, 16)
PLATE_OPACITY = 0.62
MAX_LINES = 2


@dataclass(frozen=True)
class _WordBox:
    line: int
    left: float
    width: float


@dataclass(frozen=True)
class _Drawn:
    overlay: Overlay
    x: int
    y: int


class SpokenCaptions:
    """The caption pictures of a narration and where they go in the frame."""

    def __init__(self, layout: Layout, phrases: list[Phrase], palette: Palette) -> None:
        self.layout = layout
        self.phrases = phrases
        self.palette = palette
        self._drawn: dict[tuple[int, int], _Drawn] = {}
        self._lock = threading.Lock()

    def phrase_at(self, t: float) -> int | None:
        for index, phrase in enumerate(self.phrases):
            if phrase.start <= t < phrase.end:
                return index
        return None

    def paste(self, frame: Planes, t: float) -> None:
        index = self.phrase_at(t)
        if index is None:
            return
        word = self.phrases[index].current(t)
        drawn = self._picture(index, 0 if word is None else word)
        frame.paste(drawn.overlay.planes, drawn.x, drawn.y, drawn.overlay.mask)

    def _picture(self, phrase: int, word: int) -> _Drawn:
        key = (phrase, word)
        with self._lock:
            found = self._drawn.get(key)
        if found is not None:
            return found
        drawn = self._draw(self.phrases[phrase], word)
        with self._lock:
            # Pictures of phrases already over are not needed again.
            for old in [k for k in self._drawn if k[0] < phrase - 1]:
                del self._drawn[old]
            self._drawn[key] = drawn
        return drawn

    def _draw(self, phrase: Phrase, highlighted: int) -> _Drawn:
        layout, palette = self.layout, self.palette
        box = layout.caption_box
        size = layout.caption_size
        pad = round(size * 0.45)
        words = [word.text for word in phrase.words]
        fitted = fit_box(" ".join(words), box.w - 2 * pad, box.h - pad, size, size * 2 // 3, 2)
        face_of = fitted.fallback  # one face for the whole phrase, as it was fitted
        boxes = _word_boxes(words, fitted.lines, fitted.size, face_of)
        step = line_height(fitted.size)
        text_w = max(text_width(line, fitted.size, fallback=face_of) for line in fitted.lines)
        width = round(text_w) + 2 * pad
        height = step * len(fitted.lines) + pad
        on_plate = layout.caption_plate or not layout.text_on_panel
        image = Image.new("RGBA", (even(width + 1), even(height + 1)), (*PLATE, 0))
        draw = ImageDraw.Draw(image)
        if on_plate:
            draw.rounded_rectangle(
                (0, 0, width - 1, height - 1), pad, fill=(*PLATE, round(255 * PLATE_OPACITY))
            )
        text_color: Color = WHITE if on_plate else palette.on_panel
        face = font(fitted.size, fallback=face_of)
        stroke = stroke_for(fitted.size, False, face_of)
        offsets = [
            (text_w - text_width(line, fitted.size, fallback=face_of)) / 2 for line in fitted.lines
        ]
        top = pad // 2
        for number, line in enumerate(fitted.lines):
            draw.text(
                (pad + offsets[number] + stroke, top + number * step),
                line,
                fill=(*text_color, 255),
                font=face,
            )
        if boxes is not None and 0 <= highlighted < len(boxes):
            spot = boxes[highlighted]
            left = pad + offsets[spot.line] + spot.left
            y = top + spot.line * step
            grow = round(fitted.size * 0.12)
            draw.rounded_rectangle(
                (left - grow, y, left + spot.width + grow, y + step - 1),
                round(step * 0.22),
                fill=(*palette.accent, 255),
            )
            draw.text(
                (left + stroke, y), words[highlighted], fill=(*palette.on_accent, 255), font=face
            )
        x = box.x + (box.w - image.width) // 2
        if layout.caption_anchor == "top":
            y_pos = box.y
        elif layout.caption_anchor == "bottom":
            y_pos = box.bottom - image.height
        else:
            y_pos = box.y + (box.h - image.height) // 2
        return _Drawn(Overlay.from_rgba(image), even(x), even(y_pos))


def _word_boxes(
    words: list[str], lines: tuple[str, ...], size: int, fallback: bool
) -> list[_WordBox] | None:
    """Where each word sits in the wrapped lines; None when wrapping broke or cut a word (an
    ellipsis, a word split across lines), and the phrase is then shown without a highlight."""
    boxes: list[_WordBox] = []
    remaining = list(words)
    for number, line in enumerate(lines):
        tokens = line.split(" ")
        left = 0.0
        for token in tokens:
            if not remaining or token != remaining[0]:
                return None
            remaining.pop(0)
            boxes.append(_WordBox(number, left, text_width(token, size, fallback=fallback)))
            left += text_width(token + " ", size, fallback=fallback)
    return boxes if not remaining else None
