"""Scripts from real product pages, as the engine's extractor reads them (snapshots in
script_pages/, from the product-page dev set)."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

import pytest

from jogg_pipeline.engine.extract import extract_product
from jogg_pipeline.engine.narration.script import ProductFacts, Script, write_script
from jogg_pipeline.engine.narration.script.sizing import Budget
from jogg_pipeline.engine.projects import format_price
from jogg_pipeline.wire.enums import SCRIPT_STYLES

PAGES = Path(__file__).parent / "script_pages"
URLS = {
    "johnlewis-google-nest-mini": "https://www.johnlewis.com/google-nest-mini-hands-free-smart-speaker-2nd-gen/chalk/p4781720",
    "argos-tapo-c200": "https://www.argos.co.uk/product/4667999",
    "argos-tikkers-watch": "https://www.argos.co.uk/product/9249556",
    "smartprix-usha-fan": "https://www.smartprix.com/nf/pd/pd1hjfqnc2j",
    "otto-kaercher-k3": "https://www.otto.de/p/kaercher-hochdruckreiniger-k-3-full-control-848068924/",
}
# What each page holds and no script may say: codes, shop lines, addresses.
NEVER = {
    "johnlewis-google-nest-mini": r"John Lewis|Guarantee|warranty|Subscriptions",
    "argos-tapo-c200": r"EAN|6935364088101",
    "argos-tikkers-watch": r"EAN|5018479061991|Model number|akg-008",
    "smartprix-usha-fan": r"Price in India|Specs|Compare|Stores|2020",
    "otto-kaercher-k3": r"OTTO|119,01€",
}
ANYWHERE = r"[<>]|&\w+;|https?:|www\.|@|\.com\b|\.co\.uk\b|\.de\b|\d{6,}"


@cache
def page(name: str) -> ProductFacts:
    product = extract_product(gzip.decompress((PAGES / f"{name}.html.gz").read_bytes()), URLS[name])
    details = product.details
    return ProductFacts(
        name=product.name,
        description=product.description,
        target_audience=product.target_audience,
        price=format_price(details.price, details.currency),
        brand=details.brand,
        availability=details.availability,
        sku=details.sku,
    )


def write(name: str, style: str, language: str = "english", seconds: float = 30.0) -> Script:
    return write_script(page(name), style, language, seconds)


@pytest.mark.parametrize("name", list(URLS))
def test_every_style_and_length_fits_and_says_nothing_it_must_not(name: str) -> None:
    language = "german" if name.startswith("otto") else "english"
    sku = page(name).sku
    for style in SCRIPT_STYLES:
        for seconds in (15.0, 30.0, 60.0):
            written = write(name, style, language, seconds)
            assert Budget(seconds, 150.0, language).fits(written.sentences)
            assert len(written.text.split()) <= seconds * 150.0 / 60
            for pattern in (ANYWHERE, NEVER[name]):
                assert not re.search(pattern, written.text), (style, seconds, written.text)
            assert not sku or sku not in written.text


def test_a_rich_page_fills_its_video() -> None:
    for style in SCRIPT_STYLES:
        short = write("johnlewis-google-nest-mini", style, seconds=15.0)
        long = write("johnlewis-google-nest-mini", style, seconds=60.0)
        assert len(long.text.split()) >= 0.6 * 150, style
        assert len(short.text.split()) >= 0.6 * 37.5, style
        assert long.notes == short.notes == ()


def test_three_reasons_from_a_real_page() -> None:
    sentences = write("argos-tapo-c200", "Top 3 reasons").sentences
    assert sentences[0] == "Three reasons to choose TP-Link Tapo C200."
    assert sentences[1] == (
        "Reason one: protect your home and keep watch over those you care about most."
    )
    assert [s.split(":")[0] for s in sentences[1:4]] == ["Reason one", "Reason two", "Reason three"]
    assert "All that for £34.99." in sentences


def test_the_page_question_is_the_problem() -> None:
    sentences = write("argos-tikkers-watch", "Problem/Solution").sentences
    assert sentences[:2] == (
        "Looking for an ideal gift for a young girl?",
        "Here's the solution: Tikkers Girls' Pink Butterfly Watch Set.",
    )


def test_a_page_of_shop_lines_only_is_thin() -> None:
    written = write("smartprix-usha-fan", "Discovery")
    assert written.sentences[0] == (
        "Here's something worth discovering: Usha Bloom Promise 1250 mm 3 Blade Ceiling Fan."
    )
    assert written.notes == (
        "the product text is too thin for a full script: it is built from the product's name "
        "and details",
    )


def test_a_german_page_in_german() -> None:
    written = write("otto-kaercher-k3", "Data", "german")
    assert written.sentences[:3] == (
        "Kärcher Hochdruckreiniger »K 3 Full Control« in Zahlen.",
        "Preis: 119,01 €.",
        "Verfügbarkeit: auf Lager.",
    )


@pytest.mark.parametrize(
    ("language", "hook"),
    [
        (
            "spanish",
            "Hay algo que merece la pena descubrir: Google Nest Mini Hands-Free Smart Speaker.",
        ),
        ("german", "Hier gibt es etwas zu entdecken: Google Nest Mini Hands-Free Smart Speaker."),
        ("japanese", "きょうの はっけん、それが この しょうひんです。"),
    ],
)
def test_an_english_page_asked_in_another_language_keeps_only_frames(
    language: str, hook: str
) -> None:
    written = write("johnlewis-google-nest-mini", "Discovery", language, 60.0)
    assert written.sentences[0] == hook
    assert not re.search(r"\b(the|and|your|with)\b", written.text)  # no English sentence
    assert re.match(
        rf"\d+ sentences of the product description are not in {language} ", written.notes[0]
    )


def test_a_page_narrated_in_a_language_without_frames() -> None:
    written = write("johnlewis-google-nest-mini", "Discovery", "korean")
    assert written.sentences == ("Google Nest Mini Hands-Free Smart Speaker, 2nd Gen, Chalk.",)
    assert written.notes[0].startswith("language korean has no script frame in this engine")
