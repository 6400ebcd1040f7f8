"""The general rules that decide between sources, on small inline pages."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.extract import extract_product
from jogg_pipeline.engine.extract.fallbacks import url_identifier


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example/itm/302474151804", "302474151804"),
        ("https://shop.example/d/washing-machine/7235216655.html", "7235216655"),
        ("https://shop.example/massivholz-regal-p400105394.html", "400105394"),
        ("https://shop.example/dp/B07FW264WL", "B07FW264WL"),
        ("https://shop.example/item.html?childSku=545642356", "545642356"),
        ("https://shop.example/category/shoes", ""),
        ("https://shop.example/p/2020", ""),
    ],
)
def test_identifier_in_the_url(url: str, expected: str) -> None:
    assert url_identifier(url) == expected


def test_url_identifier_is_the_last_resort_for_the_sku() -> None:
    page = "<html><body><h1>Pony harness</h1></body></html>"
    assert extract_product(page, "https://shop.example/itm/143863282131").details.sku == (
        "143863282131"
    )
    marked = '<html><body><h1>Harness</h1><span itemprop="sku">H-1</span></body></html>'
    assert extract_product(marked, "https://shop.example/itm/143863282131").details.sku == "H-1"


def test_sku_and_brand_from_script_data() -> None:
    page = """<html><head><script>
      window.dataLayer = [{"event": "view", "ecommerce": {"detail": {"products": [
        {"name": "Microwave 800W", "sku": "1236291", "brand": "Panasonic", "price": "109.00"}
      ]}}}];
      var template = {"brand": "${brand}"};
    </script></head><body><h1>Microwave 800W</h1></body></html>"""
    details = extract_product(page, "https://shop.example/microwave").details
    assert (details.sku, details.brand) == ("1236291", "Panasonic")


def test_labelled_shop_number_beats_markup_sku_but_a_model_number_does_not() -> None:
    shown = """<html><body><h1>Throw</h1>
      <script type="application/ld+json">{"@type": "Product", "name": "Throw", "sku": "237972452",
        "offers": {"@type": "Offer", "price": "150.00", "priceCurrency": "GBP"}}</script>
      <p>Product code: 64981901</p></body></html>"""
    assert extract_product(shown, "https://shop.example/throw").details.sku == "64981901"
    model = shown.replace("Product code", "Model number")
    assert extract_product(model, "https://shop.example/throw").details.sku == "237972452"


def test_markup_sku_keeps_only_the_code_before_words() -> None:
    page = """<html><body><div itemscope itemtype="http://schema.org/Product">
      <h1 itemprop="name">Chair cover</h1>
      <span itemprop="sku">TE502955-1293415 Housse de chaise</span></div></body></html>"""
    assert extract_product(page, "https://shop.example/c").details.sku == "TE502955-1293415"


def test_lowest_offer_price_and_in_stock_if_any_variant_is() -> None:
    page = """<html><head><script type="application/ld+json">[
      {"@type": "Product", "name": "Boots", "sku": "B-35",
       "offers": {"@type": "Offer", "price": "69.95", "priceCurrency": "EUR",
                  "availability": "http://schema.org/OutOfStock"}},
      {"@type": "Product", "name": "Boots", "sku": "B-36",
       "offers": [{"@type": "Offer", "price": "79.95", "priceCurrency": "EUR",
                   "availability": "http://schema.org/InStock"},
                  {"@type": "Offer", "price": "64.95", "priceCurrency": "EUR",
                   "availability": "http://schema.org/InStock"}]}
    ]</script></head><body><h1>Boots</h1></body></html>"""
    details = extract_product(page, "https://shop.example/boots").details
    assert details.sku == "B-35"
    assert details.price == "69.95"
    assert details.availability == "InStock"


def test_price_written_after_a_price_word() -> None:
    page = """<html><body><div class="info">
      <ul><li>原價：<strike>1,390</strike></li></ul>
      <div class="deal">最低價$<span>99</span>元起/包</div>
      <div class="btn">買一組 每組 990 元</div></div></body></html>"""
    details = extract_product(page, "https://shop.example.tw/p/1409").details
    assert (details.price, details.currency) == ("99", "TWD")
    summary = (
        '<html><head><meta property="og:description" content="Price: €24,50. Soft."></head></html>'
    )
    assert extract_product(summary, "https://shop.example/p").details.price == "24.50"


def test_price_box_with_extra_words_and_old_prices() -> None:
    page = """<html><body><h1>Remote control</h1>
      <div class="price has-type"><strong>€ <span>20,-</span></strong><div>negotiable</div></div>
      <div class="price"><span class="price-old">881,00</span> <span>169,00 Kn</span></div>
      </body></html>"""
    details = extract_product(page, "https://ads.example/at/remote").details
    assert (details.price, details.currency) == ("20", "EUR")


def test_out_of_stock_box_and_disabled_buy_button() -> None:
    page = """<html lang="de-DE"><body><h1>Kaffeemühle</h1>
      <div id="availability"><span>Derzeit nicht verfügbar.</span>
      Ob und wann dieser Artikel wieder vorrätig sein wird, ist unbekannt.</div>
      </body></html>"""
    assert extract_product(page, "https://shop.example/m").details.availability == "OutOfStock"
    disabled = """<html><body><h1>Mill</h1>
      <button class="add-to-cart" disabled>Add to cart</button></body></html>"""
    assert extract_product(disabled, "https://shop.example/m").details.availability is None
    enabled = disabled.replace(" disabled", "")
    assert extract_product(enabled, "https://shop.example/m").details.availability == "InStock"


def test_a_buy_button_that_says_sold_out_is_out_of_stock() -> None:
    page = """<html><body><h1>Mug</h1><span class="price">$12.00</span>
      <button type="submit" name="add" class="product-form__submit" disabled>
      <span>Sold out</span></button></body></html>"""
    assert extract_product(page, "https://shop.example/m").details.availability == "OutOfStock"
    # Disabled until a size is chosen, "Add to cart" says nothing of the stock: priced, in stock.
    choose = page.replace("<span>Sold out</span>", "<span>Add to cart</span>")
    assert extract_product(choose, "https://shop.example/m").details.availability == "InStock"


def test_stock_words_inside_a_buy_button_are_its_state_labels() -> None:
    # The page's style shows one of the button's labels; the stock box outside it is the word.
    page = """<html><body><h1>Mug</h1><span class="price">12,00 zł</span>
      <a class="btn-buy" href="#">Dodaj do koszyka
      <span class="unavailable-label">Produkt niedostępny</span></a>
      <div class="stock-info">Dostępne</div></body></html>"""
    assert extract_product(page, "https://shop.example/m").details.availability == "InStock"
    outside = page.replace('<div class="stock-info">Dostępne</div>', "").replace(
        '<span class="unavailable-label">Produkt niedostępny</span></a>',
        '</a><span class="unavailable-label">Produkt niedostępny</span>',
    )
    assert extract_product(outside, "https://shop.example/m").details.availability == "OutOfStock"


def test_prices_in_recommendation_carousels_are_ignored() -> None:
    page = """<html><body><h1>Dog hair dye</h1>
      <div class="a-carousel-container"><span class="product-price">2,86 €</span></div>
      </body></html>"""
    assert extract_product(page, "https://shop.example/dye").details.price is None


def test_placeholders_and_labels_are_not_brands() -> None:
    page = """<html><head><meta property="product:brand" content="$metabrand"></head>
      <body><h1>Microwave</h1><table><tr><th><span>Brand</span></th>
      <td>Ver mais artigos da Marca: Panasonic</td></tr></table></body></html>"""
    assert extract_product(page, "https://shop.example/m").details.brand == "Panasonic"
