"""Score product extraction against a folder of page snapshots with ground truth.

The folder holds `ground-truth.json` (per page id: lists of accepted values per attribute and
the page's original `url`) and `html/<id>.html.gz`. For each attribute a prediction is a true
positive when it matches any accepted value (prices compared as decimals, the rest as trimmed
strings), a false positive when it is wrong or the truth has no value, and a missing prediction
where the truth has one is a false negative.

    python benchmarks/extraction.py [FOLDER] [--json] [--show-errors]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jogg_pipeline.engine.extract import ExtractedProduct, extract_product

ATTRIBUTES = ("price", "availability", "sku", "brand")
DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "../shared/data/product-pages"
TARGETS = {"price": 0.92, "availability": 0.95, "sku": 0.85, "brand": 0.70}


@dataclass
class Counts:
    """True positives, false positives and false negatives of one attribute."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores of one benchmark run."""

    counts: dict[str, Counts]
    pages: int
    seconds: float
    missing_name: list[str] = field(default_factory=list)
    missing_image: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str | None, list[str]]] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 2),
            "attributes": {
                name: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                }
                for name, c in self.counts.items()
            },
            "pages_without_name": self.missing_name,
            "pages_without_image": self.missing_image,
        }


def _as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def matches(attribute: str, predicted: str, truths: Sequence[str]) -> bool:
    """Whether `predicted` equals any accepted value of `attribute`."""
    if attribute == "price":
        value = _as_decimal(predicted)
        return value is not None and any(_as_decimal(t) == value for t in truths)
    return any(predicted.strip() == truth.strip() for truth in truths)


def score_page(
    attribute: str, predicted: str | None, truths: Sequence[str] | None, counts: Counts
) -> bool:
    """Add one page's outcome to `counts`; True when the page counts as right."""
    accepted = [t for t in truths or [] if t.strip()]
    if predicted is None or not predicted.strip():
        if accepted:
            counts.fn += 1
            return False
        return True
    if accepted and matches(attribute, predicted, accepted):
        counts.tp += 1
        return True
    counts.fp += 1
    if accepted:
        counts.fn += 1
    return False


def score(
    predictions: Mapping[str, Mapping[str, str | None]],
    truth: Mapping[str, Mapping[str, Any]],
    attributes: Sequence[str] = ATTRIBUTES,
) -> dict[str, Counts]:
    """Counts per attribute for predictions keyed by page id."""
    counts = {name: Counts() for name in attributes}
    for page_id, expected in truth.items():
        predicted = predictions.get(page_id, {})
        for name in attributes:
            score_page(name, predicted.get(name), expected.get(name), counts[name])
    return counts


def _details(product: ExtractedProduct) -> dict[str, str | None]:
    details = product.details
    return {
        "price": details.price,
        "availability": details.availability,
        "sku": details.sku,
        "brand": details.brand,
    }


def run(folder: Path) -> Report:
    """Extract every page of `folder` and score it."""
    truth: dict[str, dict[str, Any]] = json.loads((folder / "ground-truth.json").read_text())
    predictions: dict[str, dict[str, str | None]] = {}
    seconds = 0.0
    missing_name: list[str] = []
    missing_image: list[str] = []
    for page_id, expected in sorted(truth.items()):
        content = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        started = time.perf_counter()
        product = extract_product(content, expected["url"])
        seconds += time.perf_counter() - started
        predictions[page_id] = _details(product)
        if not product.name:
            missing_name.append(page_id)
        if not any(m.type == 1 for m in product.media):
            missing_image.append(page_id)
    counts = score(predictions, truth)
    errors = [
        (page_id, name, predictions[page_id].get(name), list(expected.get(name) or []))
        for page_id, expected in sorted(truth.items())
        for name in ATTRIBUTES
        if not score_page(name, predictions[page_id].get(name), expected.get(name), Counts())
    ]
    return Report(counts, len(truth), seconds, missing_name, missing_image, errors)


def format_table(report: Report) -> str:
    lines = [f"{'attribute':<14}{'precision':>10}{'recall':>10}{'F1':>8}{'target':>8}"]
    for name, c in report.counts.items():
        target = TARGETS.get(name)
        mark = "" if target is None else f"{target:>8.2f}"
        lines.append(f"{name:<14}{c.precision:>10.3f}{c.recall:>10.3f}{c.f1:>8.3f}{mark}")
    lines.append(
        f"{report.pages} pages in {report.seconds:.2f} s: {report.pages_per_second:.1f} pages/s; "
        f"without a name: {len(report.missing_name)}, without an image: "
        f"{len(report.missing_image)}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong value")
    args = parser.parse_args(argv)
    if not (args.folder / "ground-truth.json").is_file():
        print(f"no ground-truth.json in {args.folder}", file=sys.stderr)
        return 2
    report = run(args.folder)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(format_table(report))
    if args.show_errors:
        for page_id, name, predicted, expected in report.errors:
            print(f"{page_id[:10]} {name:<13} got {predicted!r:<30} want {expected}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
