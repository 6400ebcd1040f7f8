"""`jogg-pipeline schema`: print the JSON Schema of the spec format, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from jogg_pipeline.commands.exits import EXIT_OK
from jogg_pipeline.commands.output import write_file
from jogg_pipeline.spec.schema import spec_schema


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the spec format",
        description=(
            "Print the JSON Schema (draft 2020-12) of campaign specs. Point your editor at it "
            "for completion and checks while you type (see the README)."
        ),
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="write to this file (its folders are created if missing)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_file(args.output, text)
    else:
        print(text, end="")
    return EXIT_OK
