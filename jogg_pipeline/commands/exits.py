"""The exit codes of every command; `cli.py` maps exceptions onto them."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # the run finished, but some videos failed or are still pending
EXIT_USAGE = 2  # bad usage or an invalid spec: nothing was sent
EXIT_FAILURE = 3  # anything else that stopped the command (network, API, files)
EXIT_INTERRUPTED = 130
