"""The scorer, and the quality targets on the product-page snapshots."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "../shared/data/product-pages"


def _load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmark_extraction", REPO / "benchmarks" / "extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


benchmark = _load_benchmark()


def test_scorer_counts() -> None:
    truth = {
        "a": {"price": ["1,299.00"], "sku": ["X1"], "brand": ["Acme "]},
        "b": {"price": ["5"], "sku": ["Y2"]},
        "c": {"price": [], "sku": ["Z3"]},
    }
    predictions = {
        "a": {"price": "1299", "sku": "X1", "brand": "Acme"},  # decimals compare, brand trimmed
        "b": {"price": "6", "sku": None, "brand": "Other"},  # wrong, missing, unexpected
        "c": {"price": "1", "sku": "Z3"},  # a price where the truth has none
    }
    counts = benchmark.score(predictions, truth, ("price", "sku", "brand"))
    assert (counts["price"].tp, counts["price"].fp, counts["price"].fn) == (1, 2, 1)
    assert (counts["sku"].tp, counts["sku"].fp, counts["sku"].fn) == (2, 0, 1)
    assert (counts["brand"].tp, counts["brand"].fp, counts["brand"].fn) == (1, 1, 0)
    assert counts["sku"].precision == 1.0
    assert counts["sku"].recall == pytest.approx(2 / 3)
    assert counts["price"].f1 == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))


@pytest.mark.skipif(not (DATA / "ground-truth.json").is_file(), reason="snapshots not present")
def test_quality_targets_on_the_snapshots() -> None:
    report = benchmark.run(DATA)
    f1 = {name: counts.f1 for name, counts in report.counts.items()}
    for name, target in benchmark.TARGETS.items():
        assert f1[name] >= target, f"{name} F1 {f1[name]:.3f} is below {target}: {f1}"
    assert report.missing_name == []
    assert report.missing_image == []
