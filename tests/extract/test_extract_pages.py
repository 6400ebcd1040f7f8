"""Extraction from fixture pages, one per kind of markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jogg_pipeline.engine.extract import (
    ExtractedDetails,
    ExtractedMedia,
    ExtractedProduct,
    extract_product,
)

PAGES = Path(__file__).parent / "pages"


def extract(name: str, base_url: str = "https://shop.example/p/item") -> ExtractedProduct:
    return extract_product((PAGES / name).read_bytes(), base_url)


def test_json_ld_graph_with_referenced_aggregate_offer() -> None:
    product = extract("jsonld_graph.html", "https://shop.example/p/trail-runner-2")
    assert product.url == "https://shop.example/p/trail-runner-2"
    assert product.name == "Trail Runner 2 & Co"
    assert product.description == "A light trail shoe. Grips on wet rock."
    assert product.target_audience == "Trail runners"
    # The product's own offers, not the related sock's; in stock because one offer is.
    assert product.details == ExtractedDetails(
        price="89.50", currency="GBP", brand="Stridewell", sku="TR2-0042", availability="InStock"
    )
    assert product.media == (
        ExtractedMedia(
            1,
            "https://shop.example/img/trail-runner-2_front.jpg",
            "trail-runner-2_front.jpg",
            "Front view",
        ),
        ExtractedMedia(
            1, "https://cdn.shop.example/img/trail-runner-2_side.jpg", "trail-runner-2_side.jpg", ""
        ),
    )


def test_microdata_skips_related_and_other_products() -> None:
    product = extract("microdata.html", "https://shop.example/kueche/wk7.html")
    assert product.name == "Wasserkocher WK-7"
    assert product.description == "Kocht 1,7 Liter in drei Minuten."
    assert product.details == ExtractedDetails(
        price="39.90", currency="EUR", brand="Kochfix", sku="WK7-WEISS", availability="PreOrder"
    )
    assert [m.url for m in product.media] == ["https://shop.example/kueche/bilder/wk7-gross.jpg"]
    assert product.media[0].description == "Wasserkocher WK-7 in Weiß"


def test_rdfa_product() -> None:
    product = extract("rdfa.html")
    assert product.name == "Lampe Orbe"
    assert product.details == ExtractedDetails(
        price="1249.00",
        currency="EUR",
        brand="Lumen",
        sku="ORB-12",
        availability="LimitedAvailability",
    )
    assert product.media[0].url == "https://img.boutique.example/orbe-1200x1200.jpg"


def test_opengraph_and_twitter_only() -> None:
    product = extract("opengraph.html")
    assert product.name == "Cedar Canoe Paddle"
    assert product.description == "Hand-carved from red cedar."
    assert product.details == ExtractedDetails(
        price="149.00", currency="CAD", brand="Paddle Co", sku="PDL-CEDAR", availability="InStock"
    )
    assert product.media == (
        ExtractedMedia(
            1, "https://static.paddle.example/paddle.jpg", "paddle.jpg", "A cedar paddle on a dock"
        ),
        ExtractedMedia(1, "https://static.paddle.example/paddle-card.jpg", "paddle-card.jpg", ""),
        ExtractedMedia(2, "https://static.paddle.example/paddle-demo.mp4", "paddle-demo.mp4", ""),
    )


def test_heuristics_only() -> None:
    product = extract("heuristics.html", "https://werkzeug.example/bx18")
    # The visible heading, not the hidden dialog's; entities decoded in the description.
    assert product.name == "Akku-Bohrschrauber BX 18"
    assert product.description == "Der BX 18 bohrt & schraubt – kabellos."
    assert product.target_audience == ""
    # The current price, not the struck-out one, the header's or a related product's.
    assert product.details == ExtractedDetails(
        price="1299.00", currency="EUR", brand="Bohrwerk", sku="BW-18-2020", availability="InStock"
    )
    assert [m.url for m in product.media] == ["https://werkzeug.example/media/bx18.jpg"]


def test_media_dedup_filtering_and_order() -> None:
    product = extract("media.html", "https://lamps.example/arc")
    images = [m for m in product.media if m.type == 1]
    videos = [m for m in product.media if m.type == 2]
    # The main image (og:image) first, at its largest size; then the sharpest.
    assert [m.url for m in images] == [
        "https://cdn.lamps.example/arc_1200x1200.jpg",
        "https://cdn.lamps.example/arc-side.jpg?w=1600",
        "https://lamps.example/photos/arc-detail.jpg",
    ]
    assert images[0].name == "arc_1200x1200.jpg"
    assert images[1].description == "Desk Lamp Arc from the side"
    assert videos == [
        ExtractedMedia(2, "https://lamps.example/video/arc-tour.mp4", "arc-tour.mp4", "Arc tour")
    ]


def test_empty_and_non_product_pages() -> None:
    product = extract_product(b"", "https://shop.example/")
    assert product.name == ""
    assert product.media == ()
    assert product.details == ExtractedDetails(None, None, None, None, None)
    article = extract_product(
        "<html><head><title>About us</title></head></html>", "https://x.example/"
    )
    assert article.name == "About us"
    assert article.details.price is None


def test_broken_json_ld_is_tolerated() -> None:
    page = """<html><head><script type="application/ld+json">
    <!-- {"@type": "Product", "name": "Mug",
          "offers": {"@type": "Offer", "price": "7,50", "priceCurrency": "EUR",},
          "brand": "Potter",} -->
    </script><script type="application/ld+json">{not json at all</script></head></html>"""
    product = extract_product(page, "https://mugs.example/mug")
    assert product.name == "Mug"
    assert product.details.price == "7.50"
    assert product.details.brand == "Potter"


def test_charsets() -> None:
    latin1 = (
        '<html><head><meta charset="iso-8859-1"><title>x</title></head>'
        "<body><h1>Crème brûlée</h1></body></html>"
    )
    assert extract_product(latin1.encode("latin-1"), "https://x.example/").name == "Crème brûlée"
    plain = "<html><body><h1>Crème brûlée</h1></body></html>".encode("cp1252")
    assert extract_product(plain, "https://x.example/", charset="cp1252").name == "Crème brûlée"
    bom = "\ufeff<html><body><h1>Grüße</h1></body></html>"
    assert extract_product(bom.encode("utf-16"), "https://x.example/").name == "Grüße"
    # A BOM wins over a wrong declared charset.
    utf8 = b"\xef\xbb\xbf<html><body><h1>\xc3\xa9t\xc3\xa9</h1></body></html>"
    assert extract_product(utf8, "https://x.example/", charset="latin-1").name == "été"
    # An XML declaration does not stop the parser.
    xhtml = '<?xml version="1.0" encoding="utf-8"?><html><body><h1>Ünï</h1></body></html>'
    assert extract_product(xhtml.encode(), "https://x.example/").name == "Ünï"


def test_base_href_resolves_relative_media() -> None:
    page = """<html><head><base href="https://cdn.example/shop/">
    <meta property="og:image" content="img/kettle.jpg"></head><body><h1>Kettle</h1></body></html>"""
    product = extract_product(page, "https://shop.example/kettle")
    assert product.media[0].url == "https://cdn.example/shop/img/kettle.jpg"


_MARKUP = st.sampled_from(
    [
        "<h1>",
        "</h1>",
        '<script type="application/ld+json">',
        "</script>",
        '{"@type": "Product", "offers": {"price": ',
        '<div itemscope itemtype="http://schema.org/Product">',
        '<span itemprop="price">',
        '<meta property="og:image" content="',
        '<img src="',
        '<div class="price">',
        "1.299,00 €",
        "&amp;",
        "\x00",
        '"',
        ">",
    ]
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_MARKUP, st.text(max_size=20)), max_size=30), st.binary(max_size=40))
def test_never_fails_on_arbitrary_markup(parts: list[str], noise: bytes) -> None:
    page = "".join(parts)
    for content in (page, page.encode("utf-8", "surrogatepass") + noise):
        product = extract_product(content, "https://shop.example/p/1")
        assert isinstance(product.name, str)
        assert all(m.url.startswith(("http://", "https://")) for m in product.media)
