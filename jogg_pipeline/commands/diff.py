"""`jogg-pipeline diff OLD NEW`: what changed between two results manifests."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from jogg_pipeline.errors import EXIT_INCOMPLETE, EXIT_OK
from jogg_pipeline.run.diff import diff_manifests, load_manifest, render_diff


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what changed between two results manifests",
        description=(
            "Compare two manifests (e.g. yesterday's, from git, and today's): videos added and "
            "removed, changed status, new video URLs, changed settings."
        ),
    )
    parser.add_argument("old", type=Path, metavar="OLD")
    parser.add_argument("new", type=Path, metavar="NEW")
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when the manifests differ (as git diff)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    diff = diff_manifests(load_manifest(args.old), load_manifest(args.new))
    if args.json:
        print(json.dumps(diff.as_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print("\n".join(render_diff(diff)))
    return EXIT_INCOMPLETE if args.exit_code and not diff.empty else EXIT_OK
