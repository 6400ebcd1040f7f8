"""What every folder of the suite shares: the soak suite runs only when asked for by name."""

from __future__ import annotations

import pytest


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
