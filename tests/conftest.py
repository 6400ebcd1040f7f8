"""What every folder of the suite shares: the soak suite runs only when asked for by name,
and xdist's `auto` starts one worker more than the machine has cores."""

from __future__ import annotations

import os

import pytest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """A core and one: much of the suite waits on engine and render subprocesses, so a third
    worker on 2 cores finished it in 292 s where two took 316 s (2026-11-30)."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the soak suite unless the -m expression names it (`-m soak`): a -m given on
    the command line replaces any in addopts, so `pytest -m "not slow"` would otherwise start
    40 minutes of kills."""
    if "soak" in (config.option.markexpr or ""):
        return
    soak = [item for item in items if item.get_closest_marker("soak") is not None]
    if soak:
        config.hook.pytest_deselected(items=soak)
        items[:] = [item for item in items if item.get_closest_marker("soak") is None]
