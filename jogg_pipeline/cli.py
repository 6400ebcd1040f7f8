"""The command line: parses arguments, dispatches to a command, maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from jogg_pipeline import __version__
from jogg_pipeline.errors import EXIT_INTERRUPTED, PipelineError

# In the order `--help` lists them.
COMMANDS = (
    "validate",
    "plan",
    "run",
    "status",
    "diff",
    "gc",
    "schema",
    "init",
    "convert",
    "extract",
    "serve",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jogg-pipeline",
        description="Turn product pages into marketing videos in batches, from campaign specs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        import_module(f"jogg_pipeline.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except PipelineError as error:
        print(f"jogg-pipeline: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("jogg-pipeline: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `jogg-pipeline schema | head`
        return 0
