"""Fuzzing specs: generated, mutated and hostile specs through the loader and `validate` end in
exit 0 or 2 with one line a problem, in bounded time and memory. The default run tries a few
hundred; the soak suite (`pytest -m soak`) tries tens of thousands."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz.spec_fuzzing import (
    SpecFile,
    check_spec_file,
    peak_memory_kb,
    reset_peak_memory,
    spec_files,
)
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow  # fuzzing

# Peak memory the checking may add to the process: the specs that once took gigabytes stay
# far under it.
MAX_GROWTH_KB = 300 * 1024


def _fuzz(folder: Path, examples: int, laugh_levels: int) -> int:
    """Check `examples` specs; return how many were checked."""
    checked = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(spec=spec_files(laugh_levels))
    def run(spec: SpecFile | None) -> None:
        nonlocal checked
        check_spec_file(spec, folder)
        checked += 1

    baseline = reset_peak_memory()
    run()
    growth = peak_memory_kb() - baseline
    assert growth < MAX_GROWTH_KB, f"checking specs took {growth // 1024} MiB at its peak"
    return checked


def test_fuzzed_specs_fail_cleanly_in_bounded_memory(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, 250, laugh_levels=4) >= 200


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_fuzzed_specs_soak(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, 12_000, laugh_levels=9) >= 10_000
