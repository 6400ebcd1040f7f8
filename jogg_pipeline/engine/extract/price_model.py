"""A learned ranking of a page's price candidates.

A candidate's score is a weighted sum of its features (`price_candidates.FEATURES`); among the
candidates that may be the price at all (`price_candidates.may_be_the_price`: not an old,
monthly, shipping or unit price, not in a list of other products, with currency evidence) the
highest score is the price. No score threshold decides whether a page has a price: what may be
a price does.

The weights are a conditional logit: for each labelled page, a softmax over that page's own
candidates, fitted so its right candidates are the most probable, so a page with a hundred
amounts weighs what a page with three does. The fit is pulled towards `PRIOR`, what each mark
says before any page is seen, rather than towards zero (Newton's method from the prior:
deterministic). The strength of that pull is the one tunable, chosen by cross-validation by
site on the training pages alone (`choose_l2`), so the benchmark's cross-validation never
chooses it on the pages it scores.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jogg_pipeline.engine.extract.document import parse_page
from jogg_pipeline.engine.extract.folds import site_count, site_folds
from jogg_pipeline.engine.extract.price_candidates import (
    FEATURES,
    PRIOR,
    PriceCandidate,
    currency_evidence,
    is_old_price,
    may_be_the_price,
    page_candidates,
)
from jogg_pipeline.engine.extract.values import decimal_value, page_country

if TYPE_CHECKING:
    from jogg_pipeline.engine.extract.tuning import LabeledPage

WEIGHTS_FILE = Path(__file__).with_name("price_weights.json")
# How strongly `choose_l2` may pull the weights towards the prior. Below 1 they follow single
# sites; far above 10 the pages would no longer count.
L2_CHOICES = (1.0, 3.0, 10.0)
# With too few sites to cross-validate, the middle of the choices.
DEFAULT_L2 = 3.0
INNER_FOLDS = 5
INNER_SEED = 12

Matrix = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class PriceModel:
    """Weights over `FEATURES`, and the L2 strength they were fitted with."""

    weights: Mapping[str, float]
    l2: float

    def score(self, candidate: PriceCandidate) -> float:
        return sum(
            self.weights.get(name, 0.0) * value for name, value in candidate.features.items()
        )

    def choose(self, candidates: Sequence[PriceCandidate]) -> PriceCandidate | None:
        """The best-scoring candidate (the earliest among equals) that may be the price."""
        currencies = currency_evidence(candidates)
        best: tuple[float, PriceCandidate] | None = None
        for candidate in candidates:
            if not may_be_the_price(candidate, currencies):
                continue
            score = self.score(candidate)
            if best is None or score > best[0]:
                best = (score, candidate)
        return None if best is None else best[1]

    def as_json(self) -> dict[str, Any]:
        return {
            "about": "Price candidate ranking: conditional logit weights per feature "
            "(jogg_pipeline/engine/extract/price_model.py); written by "
            "benchmarks/train_price_model.py.",
            "l2": self.l2,
            "weights": {name: round(self.weights.get(name, 0.0), 6) for name in FEATURES},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        unknown = sorted(set(weights) - set(FEATURES))
        if unknown:
            raise ValueError(f"price weights name unknown features: {', '.join(unknown)}")
        return cls(weights=weights, l2=float(data["l2"]))


def load_price_model(path: Path = WEIGHTS_FILE) -> PriceModel:
    """The model whose weights ship in the package."""
    return PriceModel.from_json(json.loads(path.read_text(encoding="utf-8")))


# --- training ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageExample:
    """A labelled page's candidates, which of them carry an accepted price, and whether the
    page has a price at all."""

    candidates: list[PriceCandidate]
    correct: list[bool]
    has_price: bool

    @functools.cached_property
    def learnt(self) -> tuple[Matrix, Matrix]:
        """The features of the candidates a fit learns from (not old prices: those are never
        chosen) and 1 for each right one; made once, however often the page is trained on."""
        kept = [i for i, candidate in enumerate(self.candidates) if not is_old_price(candidate)]
        rows = feature_matrix([self.candidates[i] for i in kept])
        return rows, np.array([float(self.correct[i]) for i in kept])

    def is_right(self, chosen: PriceCandidate) -> bool:
        """Whether `chosen`, one of the candidates, carries an accepted price."""
        return self.correct[self.candidates.index(chosen)]


def labelled_example(candidates: list[PriceCandidate], accepted: Sequence[str]) -> PageExample:
    """`candidates` marked against the prices a person read from the page."""
    values = {v for v in map(decimal_value, accepted) if v is not None}
    return PageExample(
        candidates=candidates,
        correct=[candidate.value in values for candidate in candidates],
        has_price=bool(values),
    )


def feature_matrix(candidates: Sequence[PriceCandidate]) -> Matrix:
    """The candidates' features as rows, in the order of `FEATURES`."""
    return np.array(
        [[c.features.get(name, 0.0) for name in FEATURES] for c in candidates], dtype=float
    ).reshape(len(candidates), len(FEATURES))


def fit_conditional_logit(
    rows: Matrix, correct: Matrix, starts: Sequence[int], l2: float, prior: Matrix
) -> Matrix:
    """Weights maximising, over the pages, the log of the softmax probability of each page's
    right candidates among its own, minus `l2`/2 times their squared distance from `prior`.
    `rows` holds every page's candidates, each page's starting at its index in `starts`;
    `correct` is 1 for a right candidate. Newton's method with step halving."""
    offsets = np.asarray(starts)
    page_of = np.repeat(np.arange(len(offsets)), np.diff(np.append(offsets, len(rows))))
    penalty = l2 * np.eye(rows.shape[1])

    def shares(weights: Matrix) -> tuple[float, Matrix, Matrix]:
        """The loss, each candidate's share of its page, and of its page's right ones (sums
        of exponentials taken from each page's largest score, so none overflows or
        vanishes)."""
        scores = rows @ weights
        right_scores = np.where(correct > 0, scores, -np.inf)
        top = np.maximum.reduceat(scores, offsets)
        right_top = np.maximum.reduceat(right_scores, offsets)
        exps = np.exp(scores - top[page_of])
        right_exps = np.exp(right_scores - right_top[page_of])
        totals = np.add.reduceat(exps, offsets)
        right = np.add.reduceat(right_exps, offsets)
        distance = weights - prior
        log_odds = np.log(right) + right_top - np.log(totals) - top
        loss = float(-log_odds.sum() + 0.5 * l2 * distance @ distance)
        return loss, exps / totals[page_of], right_exps / right[page_of]

    def spread(share: Matrix) -> Matrix:
        """The covariance of the features under `share`, summed over the pages."""
        means = np.add.reduceat(rows * share[:, None], offsets)
        return rows.T @ (rows * share[:, None]) - means.T @ means

    weights = prior.copy()
    loss, probabilities, right_share = shares(weights)
    for _ in range(100):
        gradient = rows.T @ (probabilities - right_share) + l2 * (weights - prior)
        curvature = spread(probabilities) - spread(right_share) + penalty
        step = np.linalg.solve(curvature, gradient)
        if gradient @ step <= 0:  # not a descent direction: the always positive part alone
            step = np.linalg.solve(spread(probabilities) + penalty, gradient)
        scale = 1.0
        while True:
            trial = weights - scale * step
            trial_loss, trial_probabilities, trial_right = shares(trial)
            if trial_loss <= loss or scale < 1e-4:
                break
            scale /= 2
        weights, loss, probabilities, right_share = (
            trial,
            trial_loss,
            trial_probabilities,
            trial_right,
        )
        if float(np.max(np.abs(scale * step))) < 1e-9:
            break
    return weights


def train(examples: Sequence[PageExample], l2: float = DEFAULT_L2) -> PriceModel:
    """Fit the weights on `examples`: the pages with a right candidate, each ranking its
    candidates that are not old prices (those are never chosen, so nothing is learnt from
    them)."""
    blocks: list[Matrix] = []
    labels: list[Matrix] = []
    starts: list[int] = []
    size = 0
    for example in examples:
        rows, right = example.learnt
        if not right.any():
            continue
        starts.append(size)
        blocks.append(rows)
        labels.append(right)
        size += len(right)
    prior = np.array([PRIOR.get(name, 0.0) for name in FEATURES])
    if not blocks:
        return PriceModel(weights=dict(zip(FEATURES, prior.tolist(), strict=True)), l2=l2)
    weights = fit_conditional_logit(np.vstack(blocks), np.concatenate(labels), starts, l2, prior)
    return PriceModel(weights=dict(zip(FEATURES, (float(w) for w in weights), strict=True)), l2=l2)


def page_example(page: LabeledPage) -> PageExample:
    """A labelled page's candidates."""
    candidates = list(_cached_candidates(page.html, page.url))
    return labelled_example(candidates, page.truth.get("price", []))


def candidates_of(html: bytes | str, url: str) -> list[PriceCandidate]:
    """The price candidates of a page as the model learns from them. The extractor adds one
    more when its other readers (script data, social cards) found an amount no candidate has;
    knowing it takes a whole extraction, and on none of the 73 dev pages is it apart from the
    candidates, so training goes without it."""
    parsed = parse_page(html, url)
    return page_candidates(parsed, page_country(parsed.base_url, parsed.language))


# Cached: a cross-validation fits on every page once per fold but the one it is in.
@functools.lru_cache(maxsize=512)
def _cached_candidates(html: bytes, url: str) -> tuple[PriceCandidate, ...]:
    return tuple(candidates_of(html, url))


def choose_l2(pages: Sequence[LabeledPage]) -> float:
    """The L2 strength of `L2_CHOICES` whose models, each fitted on some sites of `pages`
    and scored on the others (`INNER_FOLDS` folds by site), find the most prices (pooled F1;
    the stronger one among equals)."""
    if site_count(pages) < INNER_FOLDS:
        return DEFAULT_L2
    examples = {page.page_id: page_example(page) for page in pages}
    parts = [
        [examples[page.page_id] for page in part]
        for part in site_folds(pages, INNER_FOLDS, INNER_SEED)
    ]
    best: tuple[float, float] | None = None
    for l2 in sorted(L2_CHOICES, reverse=True):
        outcomes: list[tuple[bool, bool, bool]] = []
        for index, held_out in enumerate(parts):
            training = [page for other, part in enumerate(parts) if other != index for page in part]
            model = train(training, l2)
            outcomes += [_outcome(model, example) for example in held_out]
        quality = _f1(outcomes)
        if best is None or quality > best[0]:
            best = (quality, l2)
    assert best is not None
    return best[1]


def train_on_pages(pages: Sequence[LabeledPage], l2: float | None = None) -> PriceModel:
    """The model fitted on `pages` alone, with the L2 strength `choose_l2` finds on them
    unless `l2` is given."""
    strength = choose_l2(pages) if l2 is None else l2
    return train([page_example(page) for page in pages], strength)


def _outcome(model: PriceModel, example: PageExample) -> tuple[bool, bool, bool]:
    """Whether the model names a price on the page, whether it is right, and whether the
    page has one."""
    chosen = model.choose(example.candidates)
    return chosen is not None, chosen is not None and example.is_right(chosen), example.has_price


def _f1(outcomes: Sequence[tuple[bool, bool, bool]]) -> float:
    """F1 as the benchmark counts it: a wrong price is a false positive (and a miss when the
    page has a price), no price on a page with one is a miss."""
    right = sum(1 for named, correct, _ in outcomes if named and correct)
    wrong = sum(1 for named, correct, _ in outcomes if named and not correct)
    missed = sum(1 for _, correct, has_price in outcomes if has_price and not correct)
    return 2 * right / (2 * right + wrong + missed) if right else 0.0
