"""`--api-key-file` on the commands that talk to a backend: the messages of a file that cannot
be used, and the warning when other users may read it. Through `plan`, which reads the key to
know whose ids the state holds but sends nothing."""

from __future__ import annotations

from pathlib import Path

from runs.run_kit import make_campaign
from support.cli import CliResult, run_in_process

BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens there: plan sends nothing


def _plan(root: Path, key_file: Path) -> CliResult:
    campaign = make_campaign(root)
    return run_in_process(
        "plan", campaign.spec, "--state-dir", campaign.state_dir,
        "--base-url", BASE_URL, "--api-key-file", key_file,
        cwd=root, without_env=("JOGG_",),
    )  # fmt: skip


def _key_file(path: Path, mode: int, text: str = "k" * 32 + "\n") -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_a_key_file_other_users_may_read_is_warned_about(tmp_path: Path) -> None:
    shared = _key_file(tmp_path / "shared-key", 0o644)
    result = _plan(tmp_path / "a", shared)
    assert result.returncode == 0, result.stderr
    warning = f"jogg-pipeline: warning: --api-key-file {shared} is readable by other users: "
    assert result.stderr.count(warning + "chmod 600 it\n") == 1


def test_a_private_key_file_says_nothing(tmp_path: Path) -> None:
    private = _key_file(tmp_path / "private-key", 0o600)
    result = _plan(tmp_path / "a", private)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_a_key_file_that_cannot_be_used_stops_before_anything_is_sent(tmp_path: Path) -> None:
    missing = tmp_path / "missing-key"
    result = _plan(tmp_path / "a", missing)
    assert (result.returncode, result.stderr) == (
        2,
        f"jogg-pipeline: error: cannot read --api-key-file {missing}: No such file or directory\n",
    )
    empty = _key_file(tmp_path / "empty-key", 0o600, "\n  \n")
    result = _plan(tmp_path / "b", empty)
    assert (result.returncode, result.stderr) == (
        2,
        f"jogg-pipeline: error: --api-key-file {empty} is empty\n",
    )
