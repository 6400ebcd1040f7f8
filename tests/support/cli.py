"""The command line run in the test's own process: `main(argv)` with its own current folder,
environment, stdout and stderr, answering as `subprocess.run(..., capture_output=True)` does.

A process costs a second of interpreter start and imports per command; the tests that need one
(a signal, a second process holding the lock, the installed console script) start it
themselves. Whatever `main` changes in the process (the folder, the environment, the handlers
of the `jogg_pipeline` logger) is put back afterwards, as the end of a process would."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, chdir, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from jogg_pipeline.cli import main


@dataclass(frozen=True)
class CliResult:
    """What a command returned and wrote, named as `subprocess.CompletedProcess` names it."""

    returncode: int
    stdout: str
    stderr: str


def run_in_process(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    without_env: tuple[str, ...] = (),
) -> CliResult:
    """`jogg-pipeline ARGS` in `cwd`, with `env` set and variables starting with any of
    `without_env` unset."""
    out, err = io.StringIO(), io.StringIO()
    with ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(chdir(cwd))
        stack.enter_context(_environment(env or {}, without_env))
        stack.enter_context(_logging_left_as_found())
        stack.enter_context(redirect_stdout(out))
        stack.enter_context(redirect_stderr(err))
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as stopped:  # argparse: --help, --version and usage errors
            code = _exit_status(stopped.code, err)
    return CliResult(code, out.getvalue(), err.getvalue())


def _exit_status(code: object, err: io.StringIO) -> int:
    """The status `sys.exit(code)` gives a process (a message is printed and means 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


@contextmanager
def _environment(env: Mapping[str, str], without: tuple[str, ...]) -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for name in [name for name in os.environ if without and name.startswith(without)]:
            del os.environ[name]
        os.environ.update(env)
        yield
    finally:
        # Name by name, never emptied: other threads of this process may be reading it.
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        for name, value in saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


@contextmanager
def _logging_left_as_found() -> Iterator[None]:
    """`main` points the `jogg_pipeline` logger at the stderr of its call: once the call is
    over that stream is gone, so the logger gets its handlers of before back."""
    logger = logging.getLogger("jogg_pipeline")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    try:
        yield
    finally:
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        for handler in handlers:
            if handler not in logger.handlers:
                logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
