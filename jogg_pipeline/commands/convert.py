"""`jogg-pipeline convert SPEC --to yaml|toml`: the same spec in the other format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jogg_pipeline.commands.exits import EXIT_OK, EXIT_USAGE
from jogg_pipeline.commands.output import check_target, write_file
from jogg_pipeline.errors import UsageError
from jogg_pipeline.spec.convert import FORMATS, dump, rebase_local_urls
from jogg_pipeline.spec.load import LoadError, load_document
from jogg_pipeline.spec.problems import SpecError
from jogg_pipeline.spec.validate import check_spec


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="write a spec in the other format (YAML <-> TOML)",
        description=(
            "Write SPEC as YAML or TOML with exactly the same meaning. The spec must be valid. "
            "Comments are not carried over. Relative paths of local product pages are rewritten "
            "for the output file's folder."
        ),
    )
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument("--to", required=True, choices=FORMATS, help="the format to write")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write to this file (default: stdout); its folders are created if missing",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not args.spec.is_file():
        raise UsageError(f"{args.spec}: no such file")
    result = check_spec(args.spec)
    if not result.ok:
        for problem in result.problems:
            print(problem.render(args.spec), file=sys.stderr)
        return EXIT_USAGE
    try:
        document = load_document(args.spec)
    except LoadError as error:  # the file changed since it was checked
        raise SpecError(args.spec, [error.problem]) from None
    data = document.data
    if args.output is not None:
        data = rebase_local_urls(data, args.spec.parent, args.output.parent)
    text = dump(data, args.to)
    if args.output is None:
        print(text, end="")
        return EXIT_OK
    check_target(args.output)
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists; use --force to overwrite it")
    write_file(args.output, text)
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
