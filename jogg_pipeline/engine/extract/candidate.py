"""What one source (structured data, social tags, heuristics) says about the product."""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = ("name", "description", "price", "currency", "brand", "sku", "availability", "audience")


@dataclass
class MediaHint:
    """A media URL a source names, with what it knows about it."""

    url: str
    alt: str = ""
    width: int = 0
    height: int = 0


@dataclass
class Candidate:
    """One source's view of the product; empty strings mean the source does not say."""

    name: str = ""
    description: str = ""
    price: str = ""
    currency: str = ""
    brand: str = ""
    sku: str = ""
    availability: str = ""
    audience: str = ""
    # The sku is labelled for shoppers as the shop's own number ("Item no.", "SKU").
    sku_is_strong: bool = False
    images: list[MediaHint] = field(default_factory=list)
    videos: list[MediaHint] = field(default_factory=list)

    def merged_with(self, fallback: Candidate) -> Candidate:
        """This candidate with its gaps filled from `fallback`."""
        merged = Candidate(
            **{name: getattr(self, name) or getattr(fallback, name) for name in FIELDS}
        )
        merged.images = [*self.images, *fallback.images]
        merged.videos = [*self.videos, *fallback.videos]
        return merged
