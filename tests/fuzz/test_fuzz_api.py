"""Fuzzing the engine's API from the JoggAI v1 OpenAPI document: whatever is sent, the answer is
an envelope with an int code, never 50000 and never a 5xx, and nothing leaves the machine. The
default run sends a few dozen requests; the soak suite (`pytest -m soak`) thousands."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from fuzz.api_fuzzing import cases, check_answer, fenced_engine
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow  # fuzzing, the engine in this process


def _fuzz(data_dir: Path, examples: int) -> int:
    sent = 0
    with fenced_engine(data_dir) as served, requests.Session() as session:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases())
        def run(case: object) -> None:
            nonlocal sent
            check_answer(case, served.base_url, session)
            sent += 1

        run()
        assert served.fence.connections == [], "a fetch opened a connection"
    return sent


def test_fuzzed_requests_get_envelopes(tmp_path: Path) -> None:
    assert _fuzz(tmp_path / "engine", 60) >= 50


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_fuzzed_requests_soak(tmp_path: Path) -> None:
    assert _fuzz(tmp_path / "engine", 5_000) >= 4_000
