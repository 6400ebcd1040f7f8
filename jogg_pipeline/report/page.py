"""The page: one HTML file that needs no server and no network. The template is autoescaped
(product names and messages come from web pages and specs); the CSS and the script are
inlined, and a Content-Security-Policy lets only those two run and only the videos' and
covers' own addresses load."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from jogg_pipeline import __version__
from jogg_pipeline.report.cards import Card
from jogg_pipeline.report.changes import CampaignChanges
from jogg_pipeline.report.summary import Summary
from jogg_pipeline.run.manifest import STATUSES
from jogg_pipeline.wire.enums import ASPECT_RATIOS, LANGUAGES

TEMPLATES = "templates"
# Local files (file: when opened from disk, 'self' when served) and cloud URLs.
MEDIA_SOURCES = "'self' file: http: https:"


@dataclass(frozen=True)
class CampaignSection:
    name: str
    manifest: str  # the manifest's label
    summary: Summary
    cards: list[Card]
    changes: CampaignChanges | None


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Filter:
    id: str
    attribute: str  # the card's data-* attribute it compares
    label: str
    all: str
    choices: list[Choice]


def render_page(campaigns: list[CampaignSection]) -> str:
    environment = Environment(
        loader=PackageLoader("jogg_pipeline.report", TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    css, script = _asset("report.css"), _asset("report.js")
    cards = [card for campaign in campaigns for card in campaign.cards]
    names = [campaign.name for campaign in campaigns]
    title = f"Campaign report: {', '.join(names)}" if len(names) < 4 else "Campaign report"
    return environment.get_template("report.html.j2").render(
        title=title,
        version=__version__,
        campaigns=campaigns,
        compared=[c for c in campaigns if c.changes is not None],
        filters=filters_of(cards),
        total=len(cards),
        css=Markup(css),  # our own file, put in as it is (its hash is in the policy)
        script=Markup(script),
        policy=_policy(css, script),
    )


def filters_of(cards: list[Card]) -> list[Filter]:
    """A filter per card attribute, offering the values the cards have (statuses always)."""
    languages = sorted({card.language for card in cards})
    aspects = [a for a in (*ASPECT_RATIOS.values(), "unknown") if any(c.aspect == a for c in cards)]
    products = {card.product.key: card.product.name for card in cards}
    return [
        Filter("filter-status", "status", "Status", "All statuses", _plain(STATUSES)),
        Filter(
            "filter-language",
            "language",
            "Language",
            "All languages",
            [Choice(language, LANGUAGES.get(language, language)) for language in languages],
        ),
        Filter("filter-aspect", "aspect", "Aspect ratio", "All aspect ratios", _plain(aspects)),
        Filter(
            "filter-style",
            "style",
            "Script style",
            "All script styles",
            _plain(sorted({card.style for card in cards})),
        ),
        Filter(
            "filter-product",
            "product",
            "Product",
            "All products",
            [
                Choice(key, name if name == key else f"{name} ({key})")
                for key, name in sorted(products.items(), key=lambda item: (item[1], item[0]))
            ],
        ),
    ]


def _plain(values: Iterable[str]) -> list[Choice]:
    return [Choice(value, value) for value in values]


def _asset(name: str) -> str:
    return (files("jogg_pipeline.report") / TEMPLATES / name).read_text(encoding="utf-8")


def _policy(css: str, script: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {_hash(css)}",
            f"script-src {_hash(script)}",
            f"img-src {MEDIA_SOURCES}",
            f"media-src {MEDIA_SOURCES}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"
