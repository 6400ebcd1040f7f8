"""Frame phrases: the words a script puts around the product's own, one module a language.

A frame is a `str.format` template; its fields are {name} (the spoken product name), {point}
(a sentence of the description), {price}, {brand} and {audience}. Each language
module defines FRAMES: the shared lines (price, brand, audience, stock, calls to action for
a product that cannot be ordered now, short reasons made of the details) and, for each of the
16 script styles, the lines its writer (writers.py) asks for. Frames speak to the viewer
informally and avoid words that would have to agree with the product's grammatical gender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

StyleFrames = Mapping[str, str | tuple[str, ...]]


@dataclass(frozen=True)
class Frames:
    """One language's frame phrases."""

    language: str
    this_product: str  # said when the page gives no name
    price: str
    brand: str
    audience: str
    stock: Mapping[str, str]  # stock state -> a sentence
    reasons: Mapping[str, str]  # "price", "brand", "audience" or a stock state -> a reason
    cta: Mapping[str, str]  # stock state -> the call to action replacing the style's own
    styles: Mapping[str, StyleFrames]  # style key (styles.py) -> its lines


def _load() -> dict[str, Frames]:
    from jogg_pipeline.engine.narration.script.phrases import de, en, es, fr, it, ja, nl, pt

    frames = {module.FRAMES.language: module.FRAMES for module in (en, es, fr, de, pt, it, nl, ja)}
    frames["flemish"] = nl.FRAMES  # Flemish is written in standard Dutch
    return frames


FRAMES: dict[str, Frames] = _load()
