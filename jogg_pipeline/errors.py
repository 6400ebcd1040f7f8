"""The exception tree. The CLI maps each kind to an exit code and prints one line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # the run finished, but some videos failed or are still pending
EXIT_USAGE = 2  # bad usage or an invalid spec: nothing was sent
EXIT_FAILURE = 3  # anything else that stopped the command (network, API, files)
EXIT_INTERRUPTED = 130


class PipelineError(Exception):
    """An expected failure, shown to the user as one line."""

    exit_code = EXIT_FAILURE


class UsageError(PipelineError):
    """The command line or its inputs are wrong; nothing was done."""

    exit_code = EXIT_USAGE
