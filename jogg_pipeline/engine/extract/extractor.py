"""Extraction: every source's view of the product, merged in the order they are trusted."""

from __future__ import annotations

import re

from jogg_pipeline.engine.extract.candidate import Candidate
from jogg_pipeline.engine.extract.document import Page, clean_text, parse_page
from jogg_pipeline.engine.extract.fallbacks import script_candidate, url_identifier, usable_text
from jogg_pipeline.engine.extract.heuristics import heuristic_candidate
from jogg_pipeline.engine.extract.media import choose_media, page_images, page_videos
from jogg_pipeline.engine.extract.model import ExtractedDetails, ExtractedMedia, ExtractedProduct
from jogg_pipeline.engine.extract.prices import model_price
from jogg_pipeline.engine.extract.products import (
    candidate_from_product,
    choose_main_product,
    combined_availability,
    find_products,
    offers_of,
    same_name_products,
)
from jogg_pipeline.engine.extract.social import opengraph_candidate, twitter_candidate
from jogg_pipeline.engine.extract.structured import all_items
from jogg_pipeline.engine.extract.tuning import DEFAULT_PARAMS, ExtractionParams
from jogg_pipeline.engine.extract.values import page_country

_MAX_DESCRIPTION = 5000
_LEFTOVER_ESCAPES = re.compile(r"\\[nrt]")
_BRAND_LABEL = re.compile(r"^.*\b(?:brand|marca|marke|marque|marka|merk)\s*:\s*", re.IGNORECASE)


def extract_product(
    page: bytes | str,
    base_url: str,
    *,
    charset: str | None = None,
    params: ExtractionParams = DEFAULT_PARAMS,
) -> ExtractedProduct:
    """Read the product a page shows. Pure: no network, no files. `params` holds what was
    fitted on labelled pages (tuning.py); the benchmark's cross-validation passes its own."""
    parsed = parse_page(page, base_url, charset)
    country = page_country(parsed.base_url, parsed.language)
    heuristic = heuristic_candidate(parsed, country)
    opengraph = opengraph_candidate(parsed, country)
    twitter = twitter_candidate(parsed, country)
    title = heuristic.name or opengraph.name
    merged = Candidate()
    sources = [*_structured_candidates(parsed, title, country), opengraph, twitter, heuristic]
    for source in sources:
        source.brand = _brand(source.brand)
        source.sku = _sku(source.sku)
        merged = merged.merged_with(source)
    if not merged.sku or not merged.brand:
        merged = merged.merged_with(script_candidate(parsed))
    merged.videos.extend(page_videos(parsed))
    if params.price_model is not None:
        # The learned model ranks every price candidate. A page's currency from elsewhere
        # stands when the chosen amount names none.
        price, currency = model_price(
            parsed,
            country,
            params.price_model,
            rules_price=merged.price,
            rules_currency=merged.currency,
        )
        merged.price, merged.currency = price, currency or merged.currency
    # The visible heading is the name a shopper reads; markup names are often SEO titles.
    name = merged.name or heuristic.name
    # An identifier the page labels for shoppers ("Product code: 123") is the one they quote;
    # markup often carries an internal variant id instead.
    strong_sku = heuristic.sku if heuristic.sku_is_strong else ""
    sku = strong_sku or merged.sku or url_identifier(base_url)
    return ExtractedProduct(
        url=base_url,
        name=name,
        description=_description(merged.description),
        target_audience=merged.audience,
        media=tuple(
            ExtractedMedia(type=m.type, url=m.url, name=m.name, description=m.description)
            for m in choose_media(merged.images, page_images(parsed, name), merged.videos)
        ),
        details=ExtractedDetails(
            price=merged.price or None,
            currency=merged.currency or None if merged.price else None,
            brand=merged.brand or None,
            sku=sku or None,
            availability=merged.availability or None,
        ),
    )


def _description(text: str) -> str:
    """The description without escape sequences left over from double-encoded JSON."""
    return clean_text(_LEFTOVER_ESCAPES.sub(" ", text))[:_MAX_DESCRIPTION]


def _brand(text: str) -> str:
    """The brand without a label the page wrote into it ("More from brand: Acme")."""
    text = usable_text(text)
    return _BRAND_LABEL.split(text)[-1].strip() if text else ""


def _sku(text: str) -> str:
    """The identifier without words written after it ("TE502-1 Sofa cover" gives "TE502-1")."""
    text = usable_text(text)
    first, _, rest = text.partition(" ")
    if rest and re.search(r"[^\W\d_]{3,}", rest) and any(c.isdigit() for c in first):
        return first
    return text


def _structured_candidates(page: Page, title: str, country: str) -> list[Candidate]:
    """The main product of each syntax, JSON-LD first."""
    candidates: list[Candidate] = []
    for items in all_items(page).values():
        products = find_products(items)
        product = choose_main_product(products, page, title)
        if product is None:
            continue
        candidate = candidate_from_product(product, page, country)
        # Shops often list one item per size or colour under the same name: the product is
        # in stock when any of them is.
        variants = same_name_products(products, product)
        if variants and candidate.availability != "InStock":
            availability = combined_availability(
                value
                for variant in [product, *variants]
                for offer in [variant, *offers_of(variant)]
                for value in offer.get("availability", [])
            )
            candidate.availability = availability or candidate.availability
        candidates.append(candidate)
    return candidates
