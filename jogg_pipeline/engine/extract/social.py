"""OpenGraph (og:, product:) and Twitter card tags."""

from __future__ import annotations

import re

from jogg_pipeline.engine.extract.candidate import Candidate, MediaHint
from jogg_pipeline.engine.extract.document import Page, clean_text
from jogg_pipeline.engine.extract.values import (
    find_currency,
    normalize_availability,
    normalize_currency,
    parse_decimal,
)


def opengraph_candidate(page: Page, country: str) -> Candidate:
    """What the OpenGraph and product: tags say."""
    meta = page.first_meta
    candidate = Candidate(
        name=clean_text(meta("og:title")),
        description=clean_text(meta("og:description")),
        brand=clean_text(meta("product:brand", "og:brand")),
        sku=clean_text(meta("product:retailer_item_id", "product:sku", "og:sku")),
    )
    price = meta("product:price:amount", "og:price:amount", "product:sale_price:amount")
    if price:
        amount = parse_decimal(price, machine=True)
        if amount is not None:
            candidate.price = amount
            currency = meta("product:price:currency", "og:price:currency")
            candidate.currency = normalize_currency(currency, country=country) or (
                find_currency(price, country=country) or ""
            )
    availability = meta("product:availability", "og:availability")
    candidate.availability = normalize_availability(availability) or "" if availability else ""
    candidate.images = _tagged_media(page, "og:image")
    candidate.videos = _tagged_media(page, "og:video")
    return candidate


def twitter_candidate(page: Page, country: str) -> Candidate:
    """What the Twitter card says, including the label/data pairs shops use for prices."""
    meta = page.first_meta
    candidate = Candidate(
        name=clean_text(meta("twitter:title")),
        description=clean_text(meta("twitter:description")),
    )
    for number in ("1", "2", "3", "4"):
        label = meta(f"twitter:label{number}").lower()
        data = clean_text(meta(f"twitter:data{number}"))
        if not data:
            continue
        if "price" in label or (not label and find_currency(data, country=country)):
            amount = parse_decimal(data)
            if amount is not None and not candidate.price:
                candidate.price = amount
                candidate.currency = find_currency(data, country=country) or ""
        elif "availab" in label or "stock" in label:
            candidate.availability = normalize_availability(data) or ""
        elif "brand" in label:
            candidate.brand = data
    image = page.absolute(meta("twitter:image", "twitter:image:src"))
    if image:
        candidate.images = [MediaHint(url=image, alt=clean_text(meta("twitter:image:alt")))]
    player = page.absolute(meta("twitter:player:stream"))
    if player:
        candidate.videos = [MediaHint(url=player)]
    return candidate


def _tagged_media(page: Page, prefix: str) -> list[MediaHint]:
    """og:image / og:video tags, each with the :width, :height and :alt tags that follow it."""
    hints: list[MediaHint] = []
    for element in page.root.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if not key.startswith(prefix) or not content:
            continue
        suffix = key[len(prefix) :]
        if suffix in ("", ":url", ":secure_url"):
            url = page.absolute(content)
            if url and not (suffix and hints and hints[-1].url == url):
                if suffix == ":secure_url" and hints and _same_path(hints[-1].url, url):
                    hints[-1].url = url
                else:
                    hints.append(MediaHint(url=url))
        elif hints and suffix in (":width", ":height"):
            number = re.match(r"\d+", content)
            if number:
                setattr(hints[-1], suffix[1:], int(number.group(0)))
        elif hints and suffix == ":alt":
            hints[-1].alt = clean_text(content)
    return hints


def _same_path(first: str, second: str) -> bool:
    return first.split("://", 1)[-1] == second.split("://", 1)[-1]
