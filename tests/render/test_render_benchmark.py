"""The renderer benchmark runs and reports JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "render.py"


@pytest.mark.slow
def test_benchmark_reports_json_for_a_folder_of_images(tmp_path: Path) -> None:
    for index, color in enumerate(((200, 40, 40), (40, 200, 40))):
        Image.new("RGB", (300, 300), color).save(tmp_path / f"{index}.png")
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            "--images",
            str(tmp_path),
            "--quality",
            "preview",
            "--aspect",
            "2",
            "--length",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(completed.stdout)
    (row,) = report["results"]
    assert row["aspect"] == "square" and row["quality"] == "preview"
    assert row["size"] == "360x360" and row["seconds"] == 2
    assert 0 < row["wall_min"] <= row["wall_median"] <= row["wall_max"]
    assert row["x_realtime"] > 0 and row["cpu_seconds"] > 0 and row["peak_mib"] > 50
