"""The suite runs most commands in its own process (`support.cli.run_in_process`): what a
command answers there is what `python -m jogg_pipeline` answers in a process of its own, and
the test process is left as it was found."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_in_process

BROKEN = "version: 1\ncampaign: c\nproducts: []\n"


def in_a_process(*args: str, cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jogg_pipeline", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "broken.yaml"),  # a spec error: exit 2, located on stderr
        ("validate", "--backend", "cloud"),  # argparse's usage error: SystemExit(2)
        ("--version",),  # argparse's exit 0, on stdout
        ("plan",),  # no spec and no project: one line, exit 2
    ],
    ids=["spec-error", "usage-error", "version", "no-project"],
)
def test_a_command_answers_as_in_a_process_of_its_own(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN)
    here = run_in_process(*args, cwd=tmp_path)
    assert (here.returncode, here.stdout, here.stderr) == in_a_process(*args, cwd=tmp_path)


def test_the_test_process_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOGG_API_KEY", "the-tests-own")
    logger = logging.getLogger("jogg_pipeline")
    handlers, folder = list(logger.handlers), Path.cwd()
    result = run_in_process(
        "-v", "plan", cwd=tmp_path, env={"JOGG_PROBE": "set for the call"}, without_env=("JOGG_",)
    )
    assert result.returncode == 2
    assert Path.cwd() == folder
    assert os.environ["JOGG_API_KEY"] == "the-tests-own"
    assert "JOGG_PROBE" not in os.environ
    assert logger.handlers == handlers
