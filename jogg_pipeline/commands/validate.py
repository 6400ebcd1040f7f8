"""`jogg-pipeline validate SPEC...`: check specs and print every problem; sends nothing."""

from __future__ import annotations

import argparse
import json
import sys

from jogg_pipeline.commands.common import spec_arguments_or_project
from jogg_pipeline.commands.exits import EXIT_OK, EXIT_USAGE
from jogg_pipeline.spec.problems import Severity
from jogg_pipeline.spec.validate import BACKENDS, CheckResult, check_specs


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check spec files and report every problem",
        description=(
            "Check campaign specs: syntax, keys, values, templates, their expansion into "
            "videos, and that no two of them name the same campaign. Problems are printed as "
            "FILE:LINE:COLUMN: message. Exit 0 when every spec is valid, 2 when any has an "
            "error (warnings alone do not fail)."
        ),
    )
    parser.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help="spec file, or folder of them (default: the project's specs/)",
    )
    parser.add_argument(
        "--backend", choices=BACKENDS, help="check for this backend (default: the spec's)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    results = check_specs(spec_arguments_or_project(args.specs), backend=args.backend)
    if args.json:
        print(json.dumps({"files": [_as_json(r) for r in results]}, indent=2, ensure_ascii=False))
    else:
        for result in results:
            for problem in result.problems:
                print(problem.render(result.path), file=sys.stderr)
            if result.ok and result.expanded is not None:
                plan = result.expanded
                print(
                    f"{result.path}: ok: campaign {plan.campaign}, {len(plan.products)} "
                    f"product{'s' * (len(plan.products) != 1)}, {len(plan.videos)} "
                    f"video{'s' * (len(plan.videos) != 1)}, backend {plan.backend}"
                )
    return EXIT_OK if all(r.ok for r in results) else EXIT_USAGE


def _as_json(result: CheckResult) -> dict[str, object]:
    return {
        "file": str(result.path),
        "valid": result.ok,
        "campaign": result.expanded.campaign if result.expanded else None,
        "products": len(result.expanded.products) if result.expanded else None,
        "videos": [v.id for v in result.expanded.videos] if result.expanded else None,
        "errors": sum(p.severity is Severity.ERROR for p in result.problems),
        "warnings": sum(p.severity is Severity.WARNING for p in result.problems),
        "problems": [p.as_json() for p in result.problems],
    }
