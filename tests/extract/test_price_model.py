"""The price model: the features of hand-made pages, the shipped model's choice on them, the
trainer's determinism, and the shipped weights being what the training script makes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jogg_pipeline.engine.extract.document import parse_page
from jogg_pipeline.engine.extract.price_model import (
    FEATURES,
    WEIGHTS_FILE,
    PageExample,
    PriceCandidate,
    PriceModel,
    candidates_of,
    load_price_model,
    page_candidates,
    train,
)
from jogg_pipeline.engine.extract.prices import model_price
from jogg_pipeline.engine.extract.tuning import DEFAULT_PARAMS

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "../shared/data/product-pages"
URL = "https://shop.example/p/1"


def _load_script() -> ModuleType:
    # The script imports its sibling `extraction` (and that `harness`) as benchmarks/ do.
    if str(REPO / "benchmarks") not in sys.path:
        sys.path.append(str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "train_price_model", REPO / "benchmarks" / "train_price_model.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


script = _load_script()


def _page(body: str, head: str = "") -> str:
    heading = "<h1>Steel kettle 1.7 l</h1>"
    return f'<html lang="en"><head>{head}</head><body>{heading}{body}</body></html>'


def _by_amount(candidates: list[PriceCandidate], amount: str) -> PriceCandidate:
    return next(c for c in candidates if c.source == "visible" and c.amount == amount)


def _chosen(html: str) -> str | None:
    model = DEFAULT_PARAMS.price_model
    assert model is not None
    best = model.choose(candidates_of(html, URL))
    return best.amount if best else None


SALE = _page(
    '<div class="product-price"><del>€ 49,99</del> <span class="price">€ 39,99</span></div>'
    '<button type="submit">Add to cart</button>'
)


def test_an_old_price_is_struck_through_and_never_chosen() -> None:
    candidates = candidates_of(SALE, URL)
    assert _by_amount(candidates, "49.99").features["struck_through"] == 1.0
    assert _by_amount(candidates, "39.99").features["struck_through"] == 0.0
    assert _chosen(SALE) == "39.99"


def test_old_price_words_before_an_amount_are_read() -> None:
    html = _page('<p class="amount"><span>Was</span> <span>$20.00</span> <b>$15.00</b></p>')
    candidates = candidates_of(html, URL)
    assert _by_amount(candidates, "20.00").features["old_price_word"] == 1.0
    assert _by_amount(candidates, "15.00").features["old_price_word"] == 0.0
    assert _chosen(html) == "15.00"


def test_an_instalment_is_not_the_price() -> None:
    html = _page(
        '<div class="price"><span>199,00 €</span></div>'
        "<p>or <span>4 x</span> <span>49,75 €</span> with Klarna</p>"
        "<p>Pay <span>16,58 €</span> / month</p>"
    )
    candidates = candidates_of(html, URL)
    assert _by_amount(candidates, "49.75").features["instalment"] == 1.0
    assert _by_amount(candidates, "16.58").features["per_period"] == 1.0
    assert _by_amount(candidates, "199.00").features["instalment"] == 0.0
    assert _chosen(html) == "199.00"


def test_shipping_saving_and_from_are_marked() -> None:
    html = _page(
        '<p class="price">€ 30,00</p><p>Shipping <span>€ 4,95</span></p>'
        "<p>You save <span>€ 5,00</span></p><p>Sets from <span>€ 12,00</span></p>"
    )
    candidates = candidates_of(html, URL)
    assert _by_amount(candidates, "4.95").features["shipping"] == 1.0
    assert _by_amount(candidates, "5.00").features["saving"] == 1.0
    assert _by_amount(candidates, "12.00").features["from_word"] == 1.0
    assert _chosen(html) == "30.00"


def test_agreement_counts_the_other_sources_with_the_same_amount() -> None:
    offer = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Steel kettle 1.7 l",
        "offers": {"@type": "Offer", "price": "39.99", "priceCurrency": "EUR"},
    }
    html = _page(
        '<span class="price">39,99 €</span><span class="price">39,99 €</span>'
        '<span class="price">12,00 €</span>',
        head=f'<script type="application/ld+json">{json.dumps(offer)}</script>'
        '<meta property="product:price:amount" content="39.99">',
    )
    candidates = candidates_of(html, URL)
    structured = next(c for c in candidates if c.source == "structured")
    assert (structured.amount, structured.currency) == ("39.99", "EUR")
    assert structured.features["agrees_visible"] == 1.0
    assert structured.features["agrees_meta"] == 1.0
    assert structured.features["agreement_sources"] == 1.0  # both other sources
    visible = _by_amount(candidates, "39.99")
    assert visible.features["agrees_structured"] == 1.0
    assert visible.features["agrees_visible"] == 1.0  # the second box
    lonely = _by_amount(candidates, "12.00")
    assert lonely.features["agreement_sources"] == 0.0
    assert _chosen(html) == "39.99"


def test_a_price_in_the_summary_is_a_candidate() -> None:
    html = (
        '<html><head><meta property="og:description" content="Price: €24,50. Soft."></head></html>'
    )
    [summary] = candidates_of(html, URL)
    assert (summary.amount, summary.currency, summary.source) == ("24.50", "EUR", "meta")
    assert summary.features["labelled_by_price_word"] == 1.0
    assert _chosen(html) == "24.50"


def test_an_answer_only_the_rules_found_stays_a_candidate() -> None:
    html = _page("<p>Call us for a quote.</p>")
    [ruled] = page_candidates(parse_page(html, URL), "us", "12.00", "")
    assert (ruled.amount, ruled.source) == ("12.00", "rules")
    assert ruled.features["source_rules_only"] == ruled.features["rules_choice"] == 1.0
    assert _model_price(html, "12.00", "USD") == ("12.00", "USD")


def test_a_page_without_amounts_has_no_price() -> None:
    html = _page("<p>Call us for a quote.</p>")
    assert candidates_of(html, URL) == []
    assert _chosen(html) is None


def _model_price(html: str, rules_price: str, rules_currency: str) -> tuple[str, str]:
    model = DEFAULT_PARAMS.price_model
    assert model is not None
    return model_price(
        parse_page(html, URL),
        "us",
        model,
        rules_price=rules_price,
        rules_currency=rules_currency,
        rules_visible_price=rules_price,
    )


def test_the_model_overrules_the_rules_when_they_chose_an_old_price() -> None:
    html = _page('<p class="amount"><span>Was</span> <span>$20.00</span> <b>$15.00</b></p>')
    assert _model_price(html, "20.00", "USD") == ("15.00", "USD")


def test_agreeing_with_the_rules_keeps_their_answer_as_written() -> None:
    html = _page('<span class="price">$15.0</span>')
    assert _model_price(html, "15.00", "USD") == ("15.00", "USD")


def test_a_bare_amount_takes_the_currency_of_a_source_that_agrees() -> None:
    html = _page(
        '<div class="price"><s>49.99</s> <span class="price-now">39.99</span></div>',
        head='<meta property="product:price:amount" content="39.99">'
        '<meta property="product:price:currency" content="EUR">',
    )
    model = DEFAULT_PARAMS.price_model
    assert model is not None
    best = model.choose(candidates_of(html, URL))
    assert best is not None and (best.source, best.currency) == ("visible", "")
    # Rules that took the struck amount are overruled; the currency comes from the meta tag.
    assert _model_price(html, "49.99", "EUR") == ("39.99", "EUR")


def test_no_candidate_likely_enough_gives_no_price() -> None:
    assert _model_price(_page("<p>Call us for a quote.</p>"), "", "") == ("", "")


def _examples() -> list[PageExample]:
    """Small pages where the struck amount is always wrong and the other one right."""

    def candidate(amount: str, struck: float, rank: float) -> PriceCandidate:
        features = {"source_visible": 1.0, "struck_through": struck, "visible_rank": rank}
        return PriceCandidate(amount=amount, currency="EUR", source="visible", features=features)

    return [
        PageExample(
            candidates=[candidate("20", 1.0, 0.0), candidate(str(10 + i), 0.0, 0.05)],
            correct=[False, True],
            has_price=True,
        )
        for i in range(6)
    ]


def test_the_trainer_is_deterministic_and_learns_what_the_pages_show() -> None:
    first, second = train(_examples()), train(_examples())
    assert first.as_json() == second.as_json()
    assert first.weights["struck_through"] < 0
    assert set(first.weights) == set(FEATURES)
    for example in _examples():
        best = first.choose(example.candidates)
        assert best is not None and best.features["struck_through"] == 0.0


def test_weights_naming_an_unknown_feature_are_refused(tmp_path: Path) -> None:
    data = load_price_model().as_json()
    data["weights"]["shop_specific_class"] = 1.0
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError) as raised:
        load_price_model(path)
    assert str(raised.value) == "price weights name unknown features: shop_specific_class"


def test_the_shipped_model_round_trips_through_its_file() -> None:
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert PriceModel.from_json(shipped).as_json() == shipped
    assert DEFAULT_PARAMS.price_model == load_price_model()


def test_the_script_needs_a_folder_with_ground_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main([str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"no ground-truth.json in {tmp_path}\n"


@pytest.mark.skipif(not (DATA / "ground-truth.json").is_file(), reason="no dev pages here")
def test_the_shipped_weights_are_what_the_script_trains_on_the_dev_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trained = script.trained_json(DATA)
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert script.differences(shipped, trained) == []
    # A file that drifted from the pages fails the check and says what differs.
    drifted = dict(trained, bias=trained["bias"] + 1)
    path = tmp_path / "weights.json"
    path.write_text(script.render(drifted))
    assert script.main([str(DATA), "--check", "--output", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"bias: shipped {drifted['bias']}, trained {trained['bias']}\n"
        f"{path} is not what the pages train: run without --check\n"
    )
