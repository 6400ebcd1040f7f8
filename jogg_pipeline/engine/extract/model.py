"""The extracted product, as the rest of the engine sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

MediaKind = Literal[1, 2]  # as the wire's media `type`
IMAGE: Final = 1
VIDEO: Final = 2


@dataclass(frozen=True)
class ExtractedMedia:
    """An image (type 1) or video (type 2) of the product."""

    type: MediaKind
    url: str
    name: str
    description: str


@dataclass(frozen=True)
class ExtractedDetails:
    """Facts a narration script can use; None when the page does not say."""

    price: str | None
    currency: str | None
    brand: str | None
    sku: str | None
    availability: str | None


@dataclass(frozen=True)
class ExtractedProduct:
    """A product as read from its page."""

    url: str
    name: str
    description: str
    target_audience: str
    media: tuple[ExtractedMedia, ...]
    details: ExtractedDetails
