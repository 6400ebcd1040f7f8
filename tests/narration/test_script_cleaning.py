"""What is never narrated: markup, addresses, codes, shop boilerplate."""

from __future__ import annotations

import re

import pytest

from jogg_pipeline.engine.narration.script import ProductFacts, write_script
from jogg_pipeline.engine.narration.script.boilerplate import BOILERPLATE, is_boilerplate
from jogg_pipeline.engine.narration.script.cleaning import (
    calm_caps,
    has_address,
    is_code,
    remove_codes,
    strip_markup,
)
from jogg_pipeline.engine.narration.script.names import full_name, spoken_name
from jogg_pipeline.wire.enums import SCRIPT_STYLES

PLANTED = ProductFacts(
    name="<h1>AquaPure&nbsp;Bottle</h1> 750 ml &amp;amp; Lid - SKU AP-75012X | BestShop",
    description=(
        "<p>Keeps drinks cold for 24 hours and hot for 12.</p><ul>"
        "<li>Leak-proof lid you can open with one hand</li>"
        "<li>Made from recycled stainless steel&nbsp;that never rusts&#8230; ever</li></ul>"
        "<script>var sku = 'AP-75012X';</script><!-- tracking -->"
        "Free shipping and free returns on all orders. "
        "Visit https://aquapure.example.com/bottle or www.aquapure.example/faq for more. "
        "Questions? Write to help@aquapure.example.com today. "
        "Add to cart now and save! EAN: 4006381333931. "
        "Model AP-75012X fits most cup holders in your car. "
        "The K35HWMEBG version ships with a straw lid. "
        "Batch 099482467999 was tested on 2020-12-02 in our lab. "
        "We use cookies to improve your experience. Click here for more. "
        "Shop AquaPure and other bottles at Amazon.com. "
        "Dieses Produkt ist jetzt online bei OTTO bestellen. In den Warenkorb legen und sparen. "
        "Livraison gratuite dès 25 euros. Envío gratis en 24 horas. "
        "Spedizione gratuita in tutta Italia. Gratis verzending vanaf 20 euro. "
        "Frete grátis para todo o Brasil. 送料無料でお届けします。 "
        "Only $19.99 today, down from $29.99! "
        "It stands steady on a desk and slips into a backpack pocket."
    ),
    price="$24.99",
    brand="AquaPure",
    availability="InStock",
    sku="AP-75012X",
)
NEVER = re.compile(
    r"[<>]|&\w+;|&#|https?|www|@|\.com|\.example|AP-75012X|K35HWMEBG|\d{6,}|2020|EAN|cookie|cart|"
    r"click|shipping|returns|Amazon|OTTO|Warenkorb|Livraison|Envío|Spedizione|verzending|"
    r"Frete|送料|\$19\.99|\$29\.99|BestShop|tracking|var ",
    re.I,
)


def test_no_markup_address_code_or_boilerplate_in_any_script() -> None:
    for style in SCRIPT_STYLES:
        for seconds in (15.0, 30.0, 60.0):
            text = write_script(PLANTED, style, "english", seconds).text
            assert not NEVER.search(text), (style, seconds, NEVER.search(text), text)


def test_what_is_left_after_cleaning_is_said() -> None:
    text = write_script(PLANTED, "Don't Worry", "english", 60.0).text
    assert text.startswith("Not sure about AquaPure Bottle 750 ml & Lid?")
    for kept in (
        "Keeps drinks cold for 24 hours and hot for 12.",
        "Leak-proof lid you can open with one hand.",
        "Made from recycled stainless steel that never rusts… ever.",
        "Fits most cup holders in your car.",  # its model code and the code's label gone
        "It stands steady on a desk and slips into a backpack pocket.",
        "All that for $24.99.",
    ):
        assert kept[1:] in text  # the first letter is lower case after a frame


def test_markup_becomes_plain_text_with_item_breaks() -> None:
    assert strip_markup("<p>One &amp;amp; two</p><li>Three&nbsp;four</li>") == (
        "One & two\nThree four"
    )
    assert strip_markup("a<script>x = 1 < 2;</script>b<style>p{}</style>c") == "a b c"
    assert strip_markup("Smart speaker™ • 2nd Gen® | Chalk*") == "Smart speaker\n2nd Gen\nChalk"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("B07FW264WL", True),
        ("5018479061991.", True),
        ("DR-2401,", True),
        ("akg-008", True),
        ("(MQ2Y2SL/A)", True),
        ("2020-12-02", True),
        ("VE900", True),
        ("128GB", False),
        ("1080p", False),
        ("0.7l", False),
        ("235x100cm", False),
        ("2,433", False),
        ("C200", False),
        ("2nd", False),
        ("i7", False),
        ("45%", False),
    ],
)
def test_codes_are_told_from_numbers_and_measures(token: str, code: bool) -> None:
    assert is_code(token) is code


def test_a_known_code_goes_even_when_it_looks_like_a_word() -> None:
    assert remove_codes("Ask for XX802 in store.", frozenset({"xx802"})) == "Ask for in store."
    assert remove_codes("Galaxy SM A 015 red", frozenset({"sm a 015"})) == "Galaxy red"
    assert remove_codes("Sku AP-75012X: steel, 750 ml.") == "steel, 750 ml."


def test_addresses_are_found_bare_too() -> None:
    assert has_address("Buy it at Amazon.co.uk")
    assert has_address("mail orders@shop.example")
    assert has_address("see www.shop.example/faq")
    assert not has_address("It weighs 1.5 kg, approx. 3 lb.")
    assert not has_address("Love it.It's great")  # a missing space, not a domain


def test_shouting_is_calmed() -> None:
    assert calm_caps("PRICES ARE FIRM AND NEGOTIABLE") == "Prices are firm and negotiable"
    assert calm_caps("Made by KÄRCHER for the LED lamp") == "Made by Kärcher for the LED lamp"


def test_every_framed_language_has_its_boilerplate_list() -> None:
    framed = {"english", "spanish", "french", "german", "portuguese", "italian", "dutch"}
    assert framed | {"japanese", "any"} <= set(BOILERPLATE)
    for examples in (
        "Free delivery on orders over £20.",
        "Jetzt online bei Jumbo.ch bestellen",
        "Ajouter au panier",
        "Añadir al carrito",
        "Aggiungi al carrello",
        "Adicionar ao carrinho",
        "In winkelwagen",
        "カートに入れる",
        "This site uses cookies.",
    ):
        assert is_boilerplate(examples), examples
    assert not is_boilerplate("Keeps drinks cold for 24 hours.")


def test_names_lose_shop_decoration() -> None:
    none: frozenset[str] = frozenset()
    assert (
        full_name("Details about BMW X1 SDRIVE 2.0 AUTOMATIC", none)
        == "BMW X1 Sdrive 2.0 Automatic"
    )
    assert full_name("【下營農會】鵝肉鬆-原味-250g-罐｜PChome商店街", none) == "鵝肉鬆-原味-250g-罐"
    assert full_name(" Log In needed $60 · 1970's Vintage Skate Board", none) == (
        "1970's Vintage Skate Board"
    )
    assert full_name("FLAT OVER-THE-KNEE BOOTS WITH TRACK SOLES", none) == (
        "Flat Over-the-Knee Boots with Track Soles"
    )
    assert spoken_name("TP-Link Tapo C200 Pan/Tilt 1080P Wi-Fi Smart Indoor Camera", "TP-Link") == (
        "TP-Link Tapo C200"
    )
    assert spoken_name(
        "365 by Whole Foods Market, Potato Chips, Sour Cream", "365 by Whole Foods Market"
    ) == ("365 by Whole Foods Market Potato Chips")
    assert spoken_name("Google Nest Mini Hands-Free Smart Speaker, 2nd Gen, Chalk", "Google") == (
        "Google Nest Mini Hands-Free Smart Speaker"
    )


def test_a_description_that_repeats_the_name_is_not_read_twice() -> None:
    facts = ProductFacts(
        name="MÖCKELBY Table - oak 235x100 cm",
        description="MÖCKELBY Table - oak 235x100 cm. The table has a full plank design. Seats 6.",
    )
    text = write_script(facts, "Discovery", "english", 30.0).text
    assert text.count("235x100") == 0
    assert "the table has a full plank design." in text
