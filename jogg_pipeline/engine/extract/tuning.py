"""Everything about extraction that is chosen from labelled pages, and the one place that
chooses it, so a cross-validation can fit on some sites and score on others."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jogg_pipeline.engine.extract.price_model import PriceModel, load_price_model, train_on_pages


@dataclass(frozen=True)
class LabeledPage:
    """A page snapshot with the values a person read from it (attribute -> accepted values)."""

    page_id: str
    url: str
    html: bytes
    truth: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class ExtractionParams:
    """The tunable parts of extraction; `DEFAULT_PARAMS` is what ships."""

    # The learned ranking of price candidates; None keeps the hand-ordered rules.
    price_model: PriceModel | None = None


# The price model trained on the dev pages by benchmarks/train_price_model.py.
DEFAULT_PARAMS = ExtractionParams(price_model=load_price_model())


def fit_params(pages: Sequence[LabeledPage]) -> ExtractionParams:
    """Choose every tunable from `pages` alone (the benchmark's cross-validation passes the
    pages of the other folds, so nothing is chosen on the pages it scores)."""
    return ExtractionParams(price_model=train_on_pages(pages))
