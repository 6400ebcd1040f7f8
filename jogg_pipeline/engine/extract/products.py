"""Reading a schema.org Product item, and choosing the page's main product among many."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from jogg_pipeline.engine.extract.candidate import Candidate, MediaHint
from jogg_pipeline.engine.extract.document import Page, clean_text, strip_tags
from jogg_pipeline.engine.extract.structured import Item
from jogg_pipeline.engine.extract.values import (
    find_currency,
    normalize_availability,
    normalize_currency,
    parse_decimal,
    price_amount,
)

PRODUCT_TYPES = frozenset(
    {
        "product",
        "productgroup",
        "productmodel",
        "individualproduct",
        "someproducts",
        "vehicle",
        "car",
        "motorcycle",
        "book",
        "@loose",
    }
)
OFFER_TYPES = frozenset({"offer", "aggregateoffer"})
# Properties through which a product names other products, not itself.
_OTHER_PRODUCT_KEYS = frozenset(
    {
        "isrelatedto",
        "issimilarto",
        "isaccessoryorsparepartfor",
        "isconsumablefor",
        "itemlistelement",
        "hasvariant",
        "mainentity",
        "about",
    }
)


def types_of(item: Item) -> set[str]:
    return {t.lower() for t in item.get("@type", []) if isinstance(t, str)}


def first_text(item: Item, *keys: str) -> str:
    """The first non-empty plain-text value among `keys` (nested items give their name)."""
    for key in keys:
        for value in item.get(key, []):
            if isinstance(value, dict):
                value = first_text(value, "name", "@value")
            text = strip_tags(value) if isinstance(value, str) else ""
            if text:
                return text
    return ""


def find_products(items: list[Item]) -> list[Item]:
    """Product items in document order: top-level ones, and ones nested as the subject of a
    page or offer (not related products), then offers that wrap an `itemOffered`."""
    found: list[Item] = []

    def walk(item: Item, depth: int) -> None:
        if depth > 8:
            return
        kinds = types_of(item)
        if kinds & PRODUCT_TYPES:
            found.append(item)
        elif kinds & OFFER_TYPES:
            for offered in item.get("itemOffered", []):
                if isinstance(offered, dict):
                    merged = dict(offered)
                    merged.setdefault("offers", []).append(item)
                    found.append(merged)
        for key, values in item.items():
            if key.lower() in _OTHER_PRODUCT_KEYS and kinds & PRODUCT_TYPES:
                continue
            for value in values:
                if isinstance(value, dict) and key not in ("offers", "itemOffered"):
                    walk(value, depth + 1)

    for item in items:
        walk(item, 0)
    return found


def choose_main_product(products: list[Item], page: Page, title: str) -> Item | None:
    """The product the page is about: the best-described one, named like the page's title."""
    if not products:
        return None
    title_key = _key(title)

    def score(item: Item) -> float:
        points = 0.0
        if list(offers_of(item)) or item.get("price"):
            points += 3
        name = _key(first_text(item, "name"))
        if name and title_key and (name in title_key or title_key in name):
            points += 4
        if item.get("image"):
            points += 1
        if item.get("sku") or item.get("productID") or item.get("mpn"):
            points += 1
        if "@loose" in types_of(item):
            points -= 2
        return points

    best = max(range(len(products)), key=lambda i: (score(products[i]), -i))
    return products[best]


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def same_name_products(products: list[Item], main: Item) -> list[Item]:
    """Other products named exactly like `main` (its sizes or colours)."""
    name = _key(first_text(main, "name"))
    if not name:
        return []
    return [p for p in products if p is not main and _key(first_text(p, "name")) == name]


def offers_of(item: Item) -> Iterator[Item]:
    """Offers of a product, descending into AggregateOffer's own offers."""
    for offer in item.get("offers", []):
        if isinstance(offer, dict):
            yield offer
            for inner in offer.get("offers", []):
                if isinstance(inner, dict):
                    yield inner


def candidate_from_product(item: Item, page: Page, country: str) -> Candidate:
    """What a Product item says, with its offers, variants and media."""
    candidate = Candidate(
        name=first_text(item, "name", "headline"),
        description=first_text(item, "description"),
        brand=_brand(item),
        sku=first_text(item, "sku", "productID", "productId", "productid"),
        audience=_audience(item),
    )
    if not candidate.brand and "@loose" not in types_of(item):
        candidate.brand = first_text(item, "manufacturer")
    _readoffers_of(item, candidate, country)
    if not candidate.price or not candidate.sku:
        for variant in _variants(item, page):
            if not candidate.price:
                _readoffers_of(variant, candidate, country)
            candidate.sku = candidate.sku or first_text(variant, "sku")
            if candidate.price and candidate.sku:
                break
    candidate.images = _media(item, "image", page, "thumbnailUrl")
    candidate.videos = _media(item, "video", page, "subjectOf")
    return candidate


def _variants(item: Item, page: Page) -> list[Item]:
    variants = [v for v in item.get("hasVariant", []) if isinstance(v, dict)]
    here = page.base_url.split("#", 1)[0]
    # A variant whose URL is the page's own comes first.
    variants.sort(key=lambda v: 0 if first_text(v, "url") == here else 1)
    return variants


def _brand(item: Item) -> str:
    brand = first_text(item, "brand")
    return "" if brand.lower() in ("", "null", "none", "undefined", "n/a") else brand


def _audience(item: Item) -> str:
    for audience in item.get("audience", []):
        if isinstance(audience, dict):
            text = first_text(audience, "audienceType", "name", "suggestedGender")
        else:
            text = clean_text(audience) if isinstance(audience, str) else ""
        if text:
            return text
    return ""


def _readoffers_of(item: Item, candidate: Candidate, country: str) -> None:
    """Price and availability from the offers: the lowest price, and in stock when any offer
    is (offers are often one per size or seller)."""
    sources: list[Item] = [*offers_of(item), item]
    prices: list[tuple[Decimal, str, str]] = []
    for source in sources:
        price_text, currency_text = _offer_price(source)
        price = price_amount(price_text, machine=True)
        if price is not None:
            prices.append((Decimal(price), price, currency_text or price_text))
    if prices and not candidate.price:
        _, candidate.price, currency_text = min(prices, key=lambda entry: entry[0])
        candidate.currency = _currency(currency_text, country)
        if not candidate.currency:
            for source in sources:
                currency = first_text(source, "priceCurrency")
                if currency:
                    candidate.currency = _currency(currency, country)
                    break
    if not candidate.availability:
        candidate.availability = combined_availability(
            value for source in sources for value in source.get("availability", [])
        )


def combined_availability(values: Iterable[Any]) -> str:
    """InStock when any value says so, else the first recognised value."""
    names = [normalize_availability(v) for v in values if isinstance(v, str)]
    known = [name for name in names if name]
    if "InStock" in known:
        return "InStock"
    return known[0] if known else ""


def _offer_price(offer: Item) -> tuple[str, str]:
    currency = first_text(offer, "priceCurrency")
    for key in ("price", "lowPrice", "highPrice"):
        price = first_text(offer, key)
        if price and parse_decimal(price, machine=True) is not None:
            return price, currency
    for spec in offer.get("priceSpecification", []):
        if isinstance(spec, dict):
            price = first_text(spec, "price", "minPrice")
            if price:
                return price, first_text(spec, "priceCurrency") or currency
    return "", currency


def _currency(text: str, country: str) -> str:
    return normalize_currency(text, country=country) or find_currency(text, country=country) or ""


def _media(item: Item, key: str, page: Page, fallback: str) -> list[MediaHint]:
    hints: list[MediaHint] = []
    for name in (key, fallback):
        for value in item.get(name, []):
            hints.extend(_media_hints(value, page))
        if hints:
            break
    return hints


def _media_hints(value: Any, page: Page) -> list[MediaHint]:
    if isinstance(value, str):
        url = page.absolute(value)
        return [MediaHint(url=url)] if url else []
    if not isinstance(value, dict):
        return []
    url = ""
    for key in ("contentUrl", "url", "embedUrl", "@id"):
        url = page.absolute(first_text(value, key))
        if url:
            break
    if not url:
        return []
    return [
        MediaHint(
            url=url,
            alt=first_text(value, "caption", "name", "description"),
            width=_pixels(first_text(value, "width")),
            height=_pixels(first_text(value, "height")),
        )
    ]


def _pixels(text: str) -> int:
    match = re.match(r"\s*(\d+)", text)
    return int(match.group(1)) if match else 0
