"""Validate and expand a generated 10,000-product campaign, in YAML and in TOML.

Reports wall time and peak memory (each run in a fresh process), next to the time to merely
parse the same file (the floor any validator pays) and to check it against the JSON Schema
with jsonschema (the plain alternative a user would write).

    python benchmarks/spec_validation.py [--products 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jogg_pipeline.spec.convert import dump


def campaign(products: int) -> dict:
    return {
        "version": 1,
        "campaign": "benchmark",
        "vars": {"discount": 20, "season": "Spring"},
        "defaults": {"aspect_ratio": "portrait", "video_length": 15, "language": "english"},
        "products": [
            {
                "url": f"https://shop.example.com/products/item-{i}",
                "key": f"item-{i}",
                "overrides": {
                    "name": "{{ product.name }} – {{ vars.discount }}% off",
                    "target_audience": "{{ vars.season }} shoppers",
                },
                "videos": [{"name": "short"}, {"name": "long", "video_length": 30}],
            }
            for i in range(products)
        ],
    }


MEASURE = """
import json, resource, sys, time
from pathlib import Path
path, mode = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
if mode == "validate":
    from jogg_pipeline.spec.validate import check_spec
    result = check_spec(path)
    assert result.ok, result.problems[:3]
    count = len(result.plan.videos)
elif mode == "toml-positions":
    from jogg_pipeline.spec.toml_positions import toml_positions
    count = len(toml_positions(path.read_text(encoding="utf-8")))
elif mode == "parse":
    from jogg_pipeline.spec.load import load_document
    count = len(load_document(path).data["products"])
else:
    import jsonschema
    from jogg_pipeline.spec.load import load_document
    from jogg_pipeline.spec.schema import spec_schema
    data = load_document(path).data
    jsonschema.Draft202012Validator(spec_schema()).validate(data)
    count = len(data["products"])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak, "count": count}))
"""


def measure(path: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), mode], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = campaign(args.products)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("yaml", "toml"):
            path = Path(folder) / f"big.{fmt}"
            path.write_text(dump(data, fmt), encoding="utf-8")
            lines = path.read_text().count("\n")
            modes = ("parse", "jsonschema", "validate")
            if fmt == "toml":
                modes = ("toml-positions", *modes)
            for mode in modes:
                rows.append({"format": fmt, "lines": lines, "mode": mode, **measure(path, mode)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(
        f"{args.products} products, 2 variants each; {platform.processor() or platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}"
    )
    print(f"{'format':6} {'lines':>7} {'step':30} {'seconds':>8} {'peak MiB':>9}")
    names = {
        "toml-positions": "TOML position scan alone",
        "parse": "parse only (floor)",
        "jsonschema": "parse + jsonschema",
        "validate": "validate + expand (ours)",
    }
    for row in rows:
        print(
            f"{row['format']:6} {row['lines']:>7} {names[row['mode']]:30} "
            f"{row['seconds']:8.2f} {row['peak_mib']:9.0f}"
        )


if __name__ == "__main__":
    main()
