"""The command line: parses arguments, dispatches to a command, maps errors to exit codes.

Every exception a command may end with is turned into one line on stderr and an exit code
here, and only here (`EXIT_CODES`); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from jogg_pipeline import __version__
from jogg_pipeline.client.errors import ClientSetupError
from jogg_pipeline.commands.exits import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from jogg_pipeline.errors import PipelineError, UsageError

# In the order `--help` lists them.
COMMANDS = (
    "validate",
    "plan",
    "run",
    "status",
    "diff",
    "report",
    "gc",
    "schema",
    "init",
    "convert",
    "extract",
    "serve",
)

# The first kind an error is an instance of decides its exit code.
EXIT_CODES: tuple[tuple[type[PipelineError], int], ...] = (
    (UsageError, EXIT_USAGE),  # spec errors included: nothing was sent
    (ClientSetupError, EXIT_USAGE),  # a base URL or an API key that cannot work
    (PipelineError, EXIT_FAILURE),  # the API, the network, files, the state
)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# On the terminal, warnings read like the error line: "jogg-pipeline: warning: ...".
CONSOLE_FORMAT = "jogg-pipeline: %(levelname_lower)s: %(message)s"


def exit_code_of(error: PipelineError) -> int:
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jogg-pipeline",
        description="Turn product pages into marketing videos in batches, from campaign specs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log more to stderr: -v what the engine and the runner do, -vv every request",
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="FILE",
        help="also append the log to FILE, with every step (as -vv), whatever -v says",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        import_module(f"jogg_pipeline.commands.{name}").register(subparsers)
    return parser


class _ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.levelname_lower = record.levelname.lower()
        return super().format(record)


def configure_logging(verbose: int, log_file: Path | None) -> None:
    """Log records of `jogg_pipeline.*` go to stderr from WARNING (retries, a backend that counts
    PUTs), from INFO with -v, from DEBUG with -vv; `log_file` gets everything."""
    root = logging.getLogger("jogg_pipeline")
    for handler in list(root.handlers):  # main() may run more than once in a process
        root.removeHandler(handler)
        handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(
        logging.DEBUG if verbose >= 2 else logging.INFO if verbose == 1 else logging.WARNING
    )
    console.setFormatter(_ConsoleFormatter(CONSOLE_FORMAT if verbose == 0 else LOG_FORMAT))
    root.addHandler(console)
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"--log-file {log_file}: {error.strerror or error}") from None
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if (verbose >= 2 or log_file is not None) else logging.INFO)
    root.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        configure_logging(args.verbose, args.log_file)
        return int(args.handler(args))
    except PipelineError as error:
        print(f"jogg-pipeline: error: {error}", file=sys.stderr)
        return exit_code_of(error)
    except KeyboardInterrupt:
        print("jogg-pipeline: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `jogg-pipeline schema | head`
        return EXIT_OK
