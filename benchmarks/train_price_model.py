"""Train the price model on the dev pages and write the weights the package ships.

Deterministic: the same pages give the same file (the L2 strength by cross-validation by site,
then Newton's method from the prior; no sampling). `--check` writes nothing and fails when the
shipped file is not what the pages give.

    python benchmarks/train_price_model.py [FOLDER] [--output FILE] [--check]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from extraction import DEFAULT_FOLDER, load_pages

from jogg_pipeline.engine.extract.price_model import WEIGHTS_FILE, train_on_pages

# Weights are written rounded to six places; another BLAS may differ in the last of them.
_TOLERANCE = 1e-5


def trained_json(folder: Path) -> dict[str, Any]:
    """The model trained on every page of `folder`, as the weights file holds it."""
    return train_on_pages(load_pages(folder)).as_json()


def render(model: Mapping[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def differences(shipped: Mapping[str, Any], trained: Mapping[str, Any]) -> list[str]:
    """What differs between two weight files beyond rounding, as lines to print."""
    found = [
        f"{key}: shipped {shipped.get(key)}, trained {trained[key]}"
        for key in ("l2",)
        if not math.isclose(shipped.get(key, math.nan), trained[key], abs_tol=_TOLERANCE)
    ]
    shipped_weights: Mapping[str, float] = shipped.get("weights", {})
    for name, weight in trained["weights"].items():
        if not math.isclose(shipped_weights.get(name, math.nan), weight, abs_tol=_TOLERANCE):
            found.append(f"{name}: shipped {shipped_weights.get(name)}, trained {weight}")
    found += [
        f"{name}: shipped but not trained"
        for name in set(shipped_weights) - set(trained["weights"])
    ]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--output", type=Path, default=WEIGHTS_FILE, help="weights file")
    parser.add_argument(
        "--check", action="store_true", help="compare with the weights file, write nothing"
    )
    args = parser.parse_args(argv)
    if not (args.folder / "ground-truth.json").is_file():
        print(f"no ground-truth.json in {args.folder}", file=sys.stderr)
        return 2
    trained = trained_json(args.folder)
    if args.check:
        shipped = json.loads(args.output.read_text(encoding="utf-8"))
        found = differences(shipped, trained)
        for line in found:
            print(line, file=sys.stderr)
        if found:
            message = f"{args.output} is not what the pages train: run without --check"
            print(message, file=sys.stderr)
            return 1
        print(f"{args.output} is what {args.folder} trains")
        return 0
    args.output.write_text(render(trained), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
