"""The project's own failures: each is shown to the user as one line.

    PipelineError        an expected failure (network, API, files, state, rendering)
    └── UsageError       the command line or its inputs are wrong; nothing was done
        └── spec.problems.SpecError   a spec is invalid, with file, line and column

The client's `JoggError` tree (client/errors.py) and the engine's errors derive from
`PipelineError`. Which exit code each kind ends a command with is decided in `cli.py` alone.
"""

from __future__ import annotations


class PipelineError(Exception):
    """An expected failure, shown to the user as one line."""


class UsageError(PipelineError):
    """The command line or its inputs are wrong; nothing was done."""
