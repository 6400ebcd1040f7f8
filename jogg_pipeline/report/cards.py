"""The page's view of each video: one card, with the values its filters read (status,
language, aspect ratio, script style, product), its product, settings, warnings, and for a
video that did not succeed its error and what to do next."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from jogg_pipeline.report.advice import next_step
from jogg_pipeline.report.locations import Found, Locations, Source
from jogg_pipeline.report.sources import Manifest, text
from jogg_pipeline.run.manifest import STATUSES
from jogg_pipeline.wire.enums import ASPECT_RATIO_SHAPES, ASPECT_RATIOS, AVATAR_TYPES

# The settings a card lists first, in this order; any other follows by name.
SETTING_ORDER = (
    "video_length",
    "aspect_ratio",
    "language",
    "script_style",
    "visual_style",
    "template_id",
    "template_type",
    "avatar_id",
    "avatar_type",
    "voice_id",
    "music_id",
    "caption",
    "video_name",
    "override_script",
)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    price: str
    url: str
    link: Source | None
    overrides: list[tuple[str, str]]


@dataclass(frozen=True)
class Card:
    anchor: str  # the card's element id, for links from the changes
    campaign: str
    video_id: str
    status: str
    language: str
    aspect: str
    style: str
    product: Product
    settings: list[tuple[str, str]]
    warnings: list[str]
    error: str
    advice: str
    video: Found
    cover: Found
    duration: str

    @property
    def facts(self) -> str:
        """The line under the product's name: its key (unless the name is only that), its
        price and the video's length."""
        key = self.product.key if self.product.name != self.product.key else ""
        return " · ".join(part for part in (key, self.product.price, self.duration) if part)

    @property
    def search_text(self) -> str:
        """What the search box matches: the product's name and key, in any letter case (lower
        case, as the page's script lowers what is typed)."""
        return f"{self.product.name} {self.product.key}".lower()


def products_of(manifest: Manifest, locations: Locations) -> dict[str, Product]:
    """The manifest's products; a product only its videos name (an older manifest) gets what
    they say of it."""
    spec = manifest.spec_path
    pages = locations.root / PurePosixPath(spec).parent if spec else locations.root
    found: dict[str, Product] = {}
    for key, entry in manifest.products.items():
        url = text(entry.get("url"))
        overrides = entry.get("overrides")
        overrides = overrides if isinstance(overrides, dict) else {}
        found[key] = Product(
            key=key,
            name=text(entry.get("name")) or key,
            price=text(entry.get("price")),
            url=url,
            link=locations.find(url, "product page", relative_to=pages).source,
            overrides=[
                (str(name), shown_value(value)) for name, value in sorted(overrides.items())
            ],
        )
    for video in manifest.videos:
        key = text(video.get("product_key")) or UNKNOWN
        if key not in found:
            url = text(video.get("url"))
            link = locations.find(url, "product page", relative_to=pages).source
            found[key] = Product(key, key, "", url, link, [])
    return found


def cards_of(manifest: Manifest, locations: Locations, anchors: Anchors) -> list[Card]:
    products = products_of(manifest, locations)
    return [
        card_of(manifest, video, products, locations, anchors)
        for video in sorted(manifest.videos, key=lambda v: str(v.get("id")))
    ]


def card_of(
    manifest: Manifest,
    video: dict[str, Any],
    products: dict[str, Product],
    locations: Locations,
    anchors: Anchors,
) -> Card:
    settings = video.get("settings")
    settings = settings if isinstance(settings, dict) else {}
    error = video.get("error")
    error = error if isinstance(error, dict) else None
    warnings = video.get("warnings")
    warnings = warnings if isinstance(warnings, list) else []
    status = text(video.get("status"))
    status = status if status in STATUSES else "pending"  # only a hand-edited one is not
    video_id = text(video.get("id"))
    success = status == "success"
    return Card(
        anchor=anchors.of(manifest.campaign, video_id),
        campaign=manifest.campaign,
        video_id=video_id,
        status=status,
        language=text(settings.get("language")) or UNKNOWN,
        aspect=ASPECT_RATIOS.get(_integer(settings.get("aspect_ratio")), UNKNOWN),
        style=text(settings.get("script_style")) or UNKNOWN,
        product=products[text(video.get("product_key")) or UNKNOWN],
        settings=settings_shown(settings, video.get("quality")),
        warnings=[shown_value(warning) for warning in warnings if warning],
        error=error_text(error),
        advice=next_step(status, error, video.get("project_id"), manifest.backend),
        video=_video(video, locations) if success else Found(None),
        cover=locations.find(video.get("cover_url"), "cover") if success else Found(None),
        duration=_seconds(video.get("duration")),
    )


def _video(video: dict[str, Any], locations: Locations) -> Found:
    """A downloaded copy plays first: it is the file kept beside the page in an artifact."""
    return locations.first([(video.get("file"), "video file"), (video.get("video_url"), "video")])


def settings_shown(settings: dict[str, Any], quality: Any) -> list[tuple[str, str]]:
    """The settings a video was requested with, as people read them (`portrait (9:16)`,
    `15 s`, `on`); empty ones left out."""
    rank = {name: index for index, name in enumerate(SETTING_ORDER)}
    names = sorted(settings, key=lambda name: (rank.get(name, len(rank)), name))
    shown = [(name, _setting(name, settings[name])) for name in names]
    if isinstance(quality, str) and quality:
        shown.append(("quality", quality))
    return [(name, value) for name, value in shown if value]


def _setting(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name == "aspect_ratio" and _integer(value) in ASPECT_RATIOS:
        number = _integer(value)
        return f"{ASPECT_RATIOS[number]} ({ASPECT_RATIO_SHAPES[number]})"
    if name == "avatar_type" and _integer(value) in AVATAR_TYPES:
        return AVATAR_TYPES[_integer(value)]
    if name == "video_length":
        return f"{value} s"
    if isinstance(value, bool):
        return "on" if value else "off"
    return shown_value(value)


def error_text(error: dict[str, Any] | None) -> str:
    """`step code: message`, as `status` and `diff` give a failure."""
    if not error:
        return ""
    head = " ".join(str(error[k]) for k in ("step", "code") if error.get(k) not in (None, ""))
    message = str(error.get("msg") or "")
    return f"{head}: {message}" if head and message else head or message


def shown_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _integer(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _seconds(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g} s"
    return ""


class Anchors:
    """Element ids for the cards, readable in a link (`nightly--blush-short`) and unique in
    the page."""

    def __init__(self) -> None:
        self._given: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def of(self, campaign: str, video_id: str) -> str:
        if (campaign, video_id) in self._given:
            return self._given[(campaign, video_id)]
        base = "video-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{campaign}--{video_id}").strip("-")
        anchor, n = base, 1
        while anchor in self._taken:
            n += 1
            anchor = f"{base}-{n}"
        self._given[(campaign, video_id)] = anchor
        self._taken.add(anchor)
        return anchor

    def get(self, campaign: str, video_id: str) -> str | None:
        return self._given.get((campaign, video_id))
