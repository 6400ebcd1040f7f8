"""Validate and expand a generated 5,000-product campaign (10,000 videos, the most a spec
expands to without `max_videos`; 1.3 MB of YAML, 1.4 MB of TOML, under the 2 MB limit).

Each step runs in a fresh process, `--repeat` times (min / median / max): the step as timed
inside the process (wall and CPU, its imports included), and the whole process measured from
outside by the harness (wall, CPU, its own peak memory). Beside ours: the time to merely parse
the same file (the floor any validator pays) and to check it against the JSON Schema with
jsonschema (the plain alternative a user would write).

    python benchmarks/spec_validation.py [--products 5000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import harness

STEPS = {
    "toml-positions": "TOML position scan alone",
    "parse": "parse only (floor)",
    "jsonschema": "parse + jsonschema",
    "validate": "validate + expand (ours)",
}


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


def step(path: Path, mode: str) -> None:
    """One step in this fresh process, its imports included: prints its wall, CPU and count."""
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode == "validate":
        from jogg_pipeline.spec.validate import check_spec

        result = check_spec(path)
        if not result.ok:  # e.g. more products than a spec may hold
            first = next(problem for problem in result.problems if problem.severity == "error")
            raise SystemExit(first.render(path))
        assert result.expanded is not None  # a valid spec is expanded
        count = len(result.expanded.videos)
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
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"wall": wall, "cpu": cpu, "count": count}))


def measure(path: Path, fmt: str, mode: str, repeat: int) -> dict[str, Any]:
    """One step, `repeat` fresh processes: as timed inside them and as measured from outside."""
    process, runs = harness.time_process(
        STEPS[mode], [sys.executable, __file__, "_step", path, mode], repeat
    )
    inside = [json.loads(run.stdout) for run in runs]
    return {
        "format": fmt,
        "lines": path.read_text(encoding="utf-8").count("\n"),
        "megabytes": round(path.stat().st_size / 1e6, 2),
        "step": mode,
        "count": inside[0]["count"],
        "step_wall": harness.Spread.of([run["wall"] for run in inside]),
        "step_cpu": harness.Spread.of([run["cpu"] for run in inside]),
        "process": process,
    }


def print_row(row: dict[str, Any]) -> None:
    process = row["process"]
    print(
        f"{row['format']:6} {row['lines']:>7} {STEPS[row['step']]:26} "
        f"step {row['step_wall'].text()} s wall, {row['step_cpu'].median:.2f} s CPU | "
        f"process {process.wall.text()} s wall, {process.cpu.median:.2f} s CPU, "
        f"{process.peak_mib.max:.0f} MiB peak",
        flush=True,
    )


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "step_wall": row["step_wall"].as_json(),
        "step_cpu": row["step_cpu"].as_json(),
        "process": row["process"].as_json(),
    }


def main() -> None:
    if sys.argv[1:2] == ["_step"]:
        step(Path(sys.argv[2]), sys.argv[3])
        return
    # Imported here: a step's process pays only for its own imports.
    from jogg_pipeline.spec.convert import dump

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=5_000)
    harness.add_arguments(parser)
    args = parser.parse_args()
    title = (
        f"{args.products} products, 2 variants each; each step in a fresh process, "
        f"{args.repeat} runs (min / median / max)"
    )
    with harness.session(title, args.json) as results, tempfile.TemporaryDirectory() as folder:
        data = campaign(args.products)
        for fmt in ("yaml", "toml"):
            path = Path(folder) / f"big.{fmt}"
            path.write_text(dump(data, fmt), encoding="utf-8")
            modes: tuple[str, ...] = ("parse", "jsonschema", "validate")
            if fmt == "toml":
                modes = ("toml-positions", *modes)
            for mode in modes:
                row = measure(path, fmt, mode, args.repeat)
                results.append(as_json(row))
                if not args.json:
                    print_row(row)


if __name__ == "__main__":
    main()
