"""The regression corpus: small pages written by hand (tests/extract/corpus/), each showing one
way shops write a price, a currency or their stock, with the answer a shopper reads from it.

Pages the extractor still reads wrong are strict xfails naming the reason: one that starts to
pass fails the run, so the mark goes when the rule is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from jogg_pipeline.engine.extract import extract_product
from jogg_pipeline.engine.extract.tuning import ExtractionParams

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Expected:
    """What a page shows: its price, currency and availability (None where it shows none)."""

    page: str
    price: str | None
    currency: str | None
    availability: str | None
    wrong_today: str = ""  # why today's extractor misreads it; empty when it reads it right


CASES = (
    # Sale and old prices: an old price is never the price.
    Expected("sale_strike_through", "99.00", "USD", "InStock"),
    Expected("sale_was_now", "30.00", "GBP", "InStock"),
    Expected("sale_rrp", "64.99", "GBP", "InStock"),
    Expected("sale_uvp", "199.99", "EUR", "InStock"),
    # The rules alone take the first amount of the box; the price model reads "statt".
    Expected("sale_statt", "149.95", "EUR", "InStock"),
    Expected("sale_percent_badge", "79.99", "EUR", "InStock"),
    Expected("price_unit_de", "6.99", "EUR", "InStock"),
    # Several offers in JSON-LD.
    Expected("offers_jsonld_sizes", "39.90", "USD", "InStock"),
    Expected("offers_jsonld_sellers", "54.00", "USD", "InStock"),
    # The rules alone read the ListPrice specification (products.py); the price model does not.
    Expected("offers_jsonld_list_price", "59.00", "USD", "InStock"),
    # Price ranges: the lowest price when the page states only a range, the product's own
    # price when "from" introduces other sellers.
    Expected("range_from_variants", "10.00", "USD", "InStock"),
    Expected("range_other_sellers", "12.00", "USD", "InStock"),
    # Instalments and monthly payments are not the price.
    Expected("instalments_pt_br", "2999.90", "BRL", "InStock"),
    Expected("instalments_es", "50.00", "EUR", "InStock"),
    Expected("instalments_per_month", "697.99", "USD", "InStock"),
    # The currency written only in markup.
    Expected("currency_og_meta", "64.95", "EUR", "InStock"),
    Expected("currency_itemprop", "1299.00", "EUR", "InStock"),
    # Thousands separators of each locale.
    Expected("locale_en", "2449.00", "USD", "InStock"),
    Expected("locale_de", "2449.00", "EUR", "InStock"),
    Expected("locale_fr", "2449.00", "EUR", "InStock"),
    Expected("locale_es", "2449", "EUR", "InStock"),
    Expected("locale_it", "2449.00", "EUR", "InStock"),
    Expected("locale_pt_br", "2449.90", "BRL", "InStock"),
    Expected("locale_nl", "2449", "EUR", "InStock"),
    Expected("locale_ja", "2449", "JPY", "InStock"),
    Expected("locale_ch", "2449", "CHF", "InStock"),
    Expected("locale_en_in", "244900", "INR", "InStock"),
    # Out-of-stock wording in the largest shop languages, and two pages in stock.
    Expected("stock_out_en", "34.00", "USD", "OutOfStock"),
    Expected("stock_out_es", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_de", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_fr", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_pt", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_it", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_ja", "3400", "JPY", "OutOfStock"),
    Expected("stock_out_zh", "240.00", "CNY", "OutOfStock"),
    Expected("stock_out_ru", "3400", "RUB", "OutOfStock"),
    Expected("stock_out_nl", "34.00", "EUR", "OutOfStock"),
    Expected("stock_out_pl", "149.00", "PLN", "OutOfStock"),
    Expected("stock_out_tr", "1249.90", "TRY", "OutOfStock"),
    Expected("stock_in_de", "29.00", "EUR", "InStock"),
    Expected("stock_in_ja", "2900", "JPY", "InStock"),
)


def page_url(page: str) -> str:
    """A site of its own per page, on a domain that names no country (the page's language
    does)."""
    return f"https://{page.replace('_', '-')}.example/p/1"


def _read(page: str) -> tuple[Decimal | None, str | None, str | None]:
    details = extract_product((CORPUS / f"{page}.html").read_bytes(), page_url(page)).details
    price = Decimal(details.price) if details.price is not None else None
    return price, details.currency, details.availability


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case.page,
            marks=[pytest.mark.xfail(reason=case.wrong_today, strict=True)]
            if case.wrong_today
            else [],
        )
        for case in CASES
    ],
)
def test_corpus_page(case: Expected) -> None:
    expected_price = Decimal(case.price) if case.price is not None else None
    assert _read(case.page) == (expected_price, case.currency, case.availability)


def test_every_corpus_page_has_its_answer() -> None:
    assert sorted(path.stem for path in CORPUS.glob("*.html")) == sorted(c.page for c in CASES)


def test_params_choose_between_the_rules_and_the_price_model() -> None:
    page = (CORPUS / "sale_statt.html").read_bytes()
    rules_only = extract_product(page, page_url("sale_statt"), params=ExtractionParams())
    assert rules_only.details.price == "189.95"
    assert extract_product(page, page_url("sale_statt")).details.price == "149.95"
