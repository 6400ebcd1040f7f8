"""What the visible page says when its markup does not: the main heading, the price, labelled
values ("SKU: 123", "Brand | Acme"), the identifier an element is marked as, and availability."""

from __future__ import annotations

import re

from lxml import etree

from jogg_pipeline.engine.extract.availability import availability_from_page
from jogg_pipeline.engine.extract.candidate import Candidate
from jogg_pipeline.engine.extract.document import Page, clean_text, visible_text
from jogg_pipeline.engine.extract.labels import labelled_values, marked_identifier
from jogg_pipeline.engine.extract.prices import labelled_price_in, visible_price
from jogg_pipeline.engine.extract.values import find_currency, parse_decimal
from jogg_pipeline.engine.extract.visible import attribute_words, page_elements


def heuristic_candidate(page: Page, country: str) -> Candidate:
    """Name, description, price, sku, brand and availability read from the visible page."""
    elements = page_elements(page)
    candidate = Candidate(
        name=_heading(page, elements),
        description=clean_text(page.first_meta("description", "twitter:description")),
    )
    words = [attribute_words(element) for element in elements]
    price, currency = visible_price(elements, words, country)
    if not price:
        summary = labelled_price_in(page.first_meta("og:description", "description"))
        if summary:
            price, currency = (
                parse_decimal(summary) or "",
                find_currency(summary, country=country) or "",
            )
    candidate.price, candidate.currency = price, currency
    labelled = labelled_values(elements)
    candidate.sku, candidate.sku_is_strong = labelled.get("sku", ("", False))
    # The identifier the markup names as the product's, as shoppers read it, stands beside a
    # labelled item number ("Product code: 123"); it beats a maker's or a listing's number.
    marked = marked_identifier(elements)
    if marked and not candidate.sku_is_strong:
        candidate.sku, candidate.sku_is_strong = marked, True
    candidate.brand = labelled.get("brand", ("", False))[0]
    candidate.availability = availability_from_page(elements, words, has_price=bool(price))
    return candidate


def _heading(page: Page, elements: list[etree._Element]) -> str:
    """The main heading: of the visible <h1>s, the one most like the page title (pages keep
    extra <h1>s in dialogs and banners); the title itself when there is no <h1>."""
    title_element = page.root.find(".//title")
    title = clean_text("".join(title_element.itertext())) if title_element is not None else ""
    title_words = _words(title)
    headings = [visible_text(e) for e in elements if e.tag == "h1"][:8]
    headings = [text for text in headings if 2 <= len(text) <= 300]
    if headings:
        return max(headings, key=lambda text: len(_words(text) & title_words))
    # "Product name | Shop" and "Product name - Shop": keep the longest part.
    parts = [part.strip() for part in re.split(r"\s[|–—-]\s|\s::\s", title) if part.strip()]
    return max(parts, key=len) if parts else ""


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w{2,}", text.lower()))
