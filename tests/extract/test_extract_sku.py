"""Which identifier a page means as its sku: labels shoppers read, elements the markup names
as the product's reference, and what must never be taken for one (dates, prices, phone
numbers, counts)."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.extract import extract_product

URL = "https://shop.example/p/item"


def sku_of(body: str, head: str = "", url: str = URL) -> str | None:
    page = f"<html><head>{head}</head><body><h1>Boots</h1>{body}</body></html>"
    return extract_product(page, url).details.sku


def json_ld(*skus: str) -> str:
    """One Product item per sku, all named alike: a shop listing each size as a product."""
    items = ",".join(
        f'{{"@type": "Product", "name": "Boots", "sku": "{sku}",'
        f' "offers": {{"@type": "Offer", "price": "69.95", "priceCurrency": "EUR"}}}}'
        for sku in skus
    )
    return f'<script type="application/ld+json">[{items}]</script>'


# --- labels written without a colon, and labels of other shops and languages ------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p class="pull-right">SKU MKI6IKW1N4</p>', "MKI6IKW1N4"),
        ('<div id="articleNr">Artikel-Nr. 2800395267</div>', "2800395267"),
        ("<strong>AD ID 1021493409</strong>", "1021493409"),
        ("<span>Item # 4417</span>", "4417"),
        ("<p>Produkta kods 545642356</p>", "545642356"),
        ("<td>商品編號：M67296549</td>", "M67296549"),
        ("<dl><dt>Bestellnummer:</dt><dd>79961</dd></dl>", "79961"),
        ("<p>Cat. no. 466/7999</p>", "466/7999"),
        ("<p>N° d'article : 7142014</p>", "7142014"),
        ("<p>post id: 7235216655</p>", "7235216655"),
        ("<p>Ad #&nbsp;<span>35985065</span></p>", "35985065"),
        ('<div class="lbl">Anzeige:</div><strong><span>278526196</span></strong>', "278526196"),
    ],
)
def test_labelled_item_numbers(body: str, expected: str) -> None:
    assert sku_of(body) == expected


def test_a_label_without_colon_beats_a_variant_suffix_in_markup() -> None:
    # Markup names the first variant ("-1"); the page shows shoppers the product's number.
    body = json_ld("MKI6IKW1N4-1") + '<p class="pull-right">SKU MKI6IKW1N4</p>'
    assert sku_of(body) == "MKI6IKW1N4"


def test_a_listing_number_gives_way_to_the_markup_sku() -> None:
    # "Ad ID" is the weak kind: a listing's number, quoted when nothing else names the item.
    assert sku_of(json_ld("HX-2090") + "<strong>AD ID 1021493409</strong>") == "HX-2090"


# --- the identifier the markup names as the product's reference --------------------------


def test_the_shown_reference_beats_markup_that_lists_each_size() -> None:
    shown = """<p><span class="colour">Black</span> -
      <span data-qa-qualifier="product-reference">1002/710</span></p>
      <label class="product-size" data-sku="78485439">35</label>
      <label class="product-size" data-sku="78485437">36</label>"""
    assert sku_of(json_ld("84518927-040-35", "84518927-040-36") + shown) == "1002/710"


def test_the_number_as_shoppers_read_it_beats_its_machine_form() -> None:
    body = '<span itemprop="sku" content="4667999">466/7999</span>'
    assert sku_of(body, url="https://shop.example/product/4667999") == "466/7999"


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ('<span class="product-identifier">002.937.72</span>', "002.937.72"),
        ('<span id="refNumber">82514129</span>', "82514129"),
        ('<span data-test="product-name-catNumber">924/9556</span>', "924/9556"),
        ('<p id="product__ref">VE900</p>', "VE900"),
        ('<div class="product-sku-2">TE502955-1</div>', "TE502955-1"),
        ('<div class="descItemNumber">302474151804</div>', "302474151804"),
    ],
)
def test_role_names_that_mark_an_identifier(element: str, expected: str) -> None:
    assert sku_of(element + element) == expected


def test_a_marked_reference_among_other_products_is_not_taken() -> None:
    # The main product's element shows a label and a part; a related product's, its own
    # number: which one the page means is unclear, so the markup's sku stands.
    body = (
        '<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Boots</span>'
        '<span itemprop="sku" content="WK7-WEISS">Artikel WK7</span></div>'
        '<div class="related"><span class="sku">ENT-1</span></div>'
    )
    assert sku_of(body) == "WK7-WEISS"
    listing = '<span class="sku">A-100</span><span class="sku">B-200</span>'
    assert sku_of(listing) is None


# --- what is never an identifier -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<p>Ref.: 12/05/2021</p>",  # a date
        "<dl><dt>Product code</dt><dd>2021-05-12</dd></dl>",  # an ISO date
        "<dl><dt>SKU</dt><dd>£12.99</dd></dl>",  # a price
        "<dl><dt>Réf.</dt><dd>29,99 €</dd></dl>",  # a price with a decimal comma
        "<p>Item #: 0800 123 456</p>",  # a phone number written in groups
        "<p>Ref. 12</p>",  # a count or a size, too short for an item number
        "<div>Anzeige</div><div>3 Zimmer Wohnung</div>",  # an advertisement's marker
        '<span class="contact-ref">0800 123 4567</span>',  # a phone number, marked
        '<span class="ratings-number">1234</span>',  # a rating count
        '<span class="phone-number">08001234567</span>',  # a phone number's role
        '<div class="bv-content-reference-data">Jimbo123</div>',  # a reviewer's name
        '<span class="sku">12:30</span>',  # a time
        '<label class="product-size" data-sku="78485439">36/38</label>',  # a size
    ],
)
def test_values_that_are_not_item_numbers(body: str) -> None:
    assert sku_of(body) is None


def test_a_brand_label_is_not_read_without_its_colon() -> None:
    page = "<html><body><h1>Boots</h1><p>Brand new</p></body></html>"
    assert extract_product(page, URL).details.brand is None
