from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine.engine_support import ServedEngine, start_serve
from runs.run_kit import API_KEY, PAGES


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedEngine]:
    """`jogg-pipeline serve` on a loopback port: the server the runs talk to."""
    engine = start_serve(
        tmp_path / "engine",
        "--api-key",
        API_KEY,
        "--allow-file-root",
        str(tmp_path),
        "--allow-file-root",
        str(PAGES),
        "--workers",
        "2",
    )
    yield engine
    engine.stop()


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands find their project from the current folder: run them outside this repository."""
    monkeypatch.chdir(tmp_path)
