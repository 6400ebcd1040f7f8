"""The price a page shows: price boxes named as such, and prices written after a price word."""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from jogg_pipeline.engine.extract.document import Page
from jogg_pipeline.engine.extract.price_candidates import (
    LABELLED_PRICE,
    OTHER_PRODUCTS,
    PRICE_WORD,
    STRUCK_TAGS,
    is_price_text,
    page_candidates,
)
from jogg_pipeline.engine.extract.price_model import PriceModel
from jogg_pipeline.engine.extract.values import (
    AMOUNT_PATTERN,
    find_currency,
    price_amount,
)
from jogg_pipeline.engine.extract.visible import SKIP_TAGS, attribute_words, short_text, within

_PRICE_HINT = re.compile(r"price|preis|prix|prezzo|precio|preco|cena|цена|amount", re.IGNORECASE)
# Prices that are not what the product costs now.
_NOT_CURRENT_PRICE = re.compile(
    r"old|was|strike|regular|list|before|orig|compare|rrp|msrp|uvp|save|saving|discount|"
    r"per[-_]?unit|unit|shipping|delivery|instal|monthly|range|filter|"
    r"(?<![a-z])from(?![a-z])|crossed|reference|recommend|percent",
    re.IGNORECASE,
)
_NOT_CURRENT_WORD = re.compile(
    r"(?:old|was|regular|list|rrp|uvp|statt|before|original|原|市|定|建議)\W{0,2}$", re.IGNORECASE
)
_AMOUNT = re.compile(AMOUNT_PATTERN)


def visible_price(
    elements: list[etree._Element], words: list[str], country: str
) -> tuple[str, str]:
    """The first current-price box after the main heading (or anywhere, failing that)."""
    heading_at = next((i for i, e in enumerate(elements) if e.tag == "h1"), 0)
    found: list[tuple[int, bool, str, str]] = []
    for index, element in enumerate(elements):
        hinted = bool(_PRICE_HINT.search(words[index])) and not _NOT_CURRENT_PRICE.search(
            words[index]
        )
        text = _price_text(element) if hinted else _labelled_price(element)
        if not text or _struck(element) or within(element, OTHER_PRODUCTS):
            continue
        amount = price_amount(text)
        if amount is None:
            continue
        currency = find_currency(text, country=country) or ""
        found.append((index, bool(currency), amount, currency))
        if len(found) > 60:
            break
    if not found:
        return "", ""
    after = [f for f in found if f[0] >= heading_at]
    for group in ([f for f in after if f[1]], [f for f in found if f[1]], after, found):
        if group:
            _, _, amount, currency = group[0]
            return amount, currency
    return "", ""


def model_price(
    page: Page,
    country: str,
    model: PriceModel,
    *,
    rules_price: str,
    rules_currency: str,
) -> tuple[str, str]:
    """The price and currency the model chooses among the page's candidates ("", "" when
    none may be the price). `rules_*` are what the extractor's readers chose, a candidate of
    their own when no other has the amount; when the model agrees, their answer is kept as
    they wrote it."""
    candidates = page_candidates(page, country, rules_price, rules_currency)
    best = model.choose(candidates)
    if best is None:
        return "", ""
    if rules_price and Decimal(rules_price) == best.value:
        return rules_price, rules_currency or best.currency
    # A visible amount often shows a symbol the structured data of the same amount names.
    agreeing = (c.currency for c in candidates if c.value == best.value and c.currency)
    return best.amount, best.currency or next(agreeing, "")


def _price_text(element: etree._Element) -> str:
    """The element's price text: an attribute, its own text, or its first price-like part
    (price boxes often add words such as "negotiable" around the amount)."""
    for attribute in ("content", "data-price", "data-price-amount", "data-value"):
        value = (element.get(attribute) or "").strip()
        if value and _AMOUNT.search(value):
            return value
    text = short_text(element, 40)
    if text and is_price_text(text):
        return text
    if text is None and len(element) > 12:
        return ""
    for part in element.iterdescendants():
        if not isinstance(part.tag, str) or part.tag in SKIP_TAGS or _struck(part):
            continue
        if _NOT_CURRENT_PRICE.search(attribute_words(part)):
            continue
        text = short_text(part, 40)
        if text and is_price_text(text):
            # A bare number next to a currency written in the box keeps that currency.
            return text if find_currency(text) else f"{text} {short_text(element, 80) or ''}"
    return ""


def _labelled_price(element: etree._Element) -> str:
    """A price written after a price word in the element's own text."""
    own = element.text or ""
    if not PRICE_WORD.search(own):
        return ""
    return labelled_price_in(short_text(element, 60) or "")


def labelled_price_in(text: str) -> str:
    """The first "price word, amount with currency" in `text` that is not an old price."""
    for match in LABELLED_PRICE.finditer(text):
        if not _NOT_CURRENT_WORD.search(text[: match.start()]):
            return match.group("price")
    return ""


def _struck(element: etree._Element) -> bool:
    parent: etree._Element | None = element
    for _ in range(4):
        if parent is None:
            return False
        if parent.tag in STRUCK_TAGS:
            return True
        parent = parent.getparent()
    return False
