"""What a script writer is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductFacts:
    """The product as a page describes it: raw text, cleaned by the writer, never trusted.

    `price` is as a viewer reads it ("$49.00", "19.50 CHF"); `availability` is a schema.org
    name ("InStock") or a shop's own words ("in stock", "Ausverkauft"); `sku` is the page's
    product code, kept only so that it is never read out."""

    name: str
    description: str = ""
    target_audience: str = ""
    price: str | None = None
    brand: str | None = None
    availability: str | None = None
    sku: str | None = None


@dataclass(frozen=True)
class Script:
    """A narration: `text` is `sentences` joined by single spaces."""

    text: str
    sentences: tuple[str, ...]
    language: str  # the wire language narrated
    notes: tuple[str, ...] = ()  # one sentence each, for the project's status_desc

    @classmethod
    def of(cls, sentences: list[str], language: str, notes: list[str]) -> Script:
        kept = tuple(sentence for sentence in sentences if sentence)
        return cls(" ".join(kept), kept, language, tuple(notes))
