"""Prices, currencies and availability as pages write them."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.extract.values import (
    find_currency,
    normalize_availability,
    normalize_currency,
    page_country,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1299.00", "1299.00"),
        ("1.299,00 €", "1299.00"),
        ("$87.11", "87.11"),
        ("£1,299.99", "1299.99"),
        ("1 299,00 zł", "1299.00"),
        ("1\u00a0299,50 Kč", "1299.50"),
        ("CHF 1'299.90", "1299.90"),
        ("12,99 €", "12.99"),
        ("€ 20,-", "20"),
        ("Rs 23,450", "23450"),
        ("R$ 1.759,99", "1759.99"),
        ("¥12,800", "12800"),
        ("1,234,567.89", "1234567.89"),
        ("0.50", "0.50"),
        ("Preis: 4.386 €", "4386"),
        ("-20% 79,99 €", "79.99"),  # a percentage is a discount, not an amount
        ("-20 %", None),
        ("free", None),
    ],
)
def test_visible_prices(text: str, expected: str | None) -> None:
    assert parse_decimal(text) == expected


def test_machine_prices_use_a_dot() -> None:
    assert parse_decimal("23.450", machine=True) == "23.450"
    assert parse_decimal("19,90", machine=True) == "19.90"
    assert parse_decimal("1299", machine=True) == "1299"


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("€", "", "EUR"),
        ("£", "", "GBP"),
        ("eur", "", "EUR"),
        ("zł", "", "PLN"),
        ("$", "ca", "CAD"),
        ("$", "us", "USD"),
        ("$", "", "USD"),
        ("¥", "cn", "CNY"),
        ("¥", "jp", "JPY"),
        ("￥", "cn", "CNY"),
        ("￥", "", "JPY"),
        ("円", "", "JPY"),
        ("TL", "", "TRY"),
        ("kr", "se", "SEK"),
        ("kr", "", None),
        ("Lei", "", "RON"),
        ("ر.س", "", "SAR"),
        ("???", "", None),
    ],
)
def test_currencies(text: str, country: str, expected: str | None) -> None:
    assert normalize_currency(text, country=country) == expected


def test_currency_in_text_and_page_country() -> None:
    assert find_currency("ab 1.299,00 € inkl. MwSt.") == "EUR"
    assert find_currency("Price: 20 USD") == "USD"
    assert find_currency("The END of 20") is None
    assert find_currency("2,449円（税込）") == "JPY"
    assert find_currency("1.249,90 TL") == "TRY"
    assert find_currency("Title 20") is None
    assert page_country("https://www.shop.co.uk/p/1", "") == "gb"
    assert page_country("https://shop.example.com/p/1", "en-CA") == "ca"
    assert page_country("https://shop.example.com/p/1", "ja") == "jp"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://schema.org/InStock", "InStock"),
        ("https://schema.org/OutOfStock", "OutOfStock"),
        ("schema:PreOrder", "PreOrder"),
        ("in stock", "InStock"),
        ("in_stock", "InStock"),
        ("out of stock", "OutOfStock"),
        ("BackOrder", "BackOrder"),
        ("discontinued", "Discontinued"),
        ("SoldOut", "SoldOut"),
        ("InStoreOnly", "InStoreOnly"),
        ("maybe", None),
    ],
)
def test_availability(text: str, expected: str | None) -> None:
    assert normalize_availability(text) == expected
