"""`status` without a SPEC counts a campaign's videos with the manifest's words, never the
state's own ("requesting", "refused"), from a real state file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jogg_pipeline.cli import main
from jogg_pipeline.run.failures import IN_DOUBT
from jogg_pipeline.state.records import Failure, Step, VideoStatus
from jogg_pipeline.state.store import StateStore

SCOPE = "local:test"


def state_with_every_status(path: Path) -> None:
    state = StateStore(path)
    refusal = Failure(Step.CREATE_VIDEO, 429, "Rate limit exceeded; it was not carried out")
    rows = {
        "a/requesting": (VideoStatus.REQUESTING, None),
        "a/pending": (VideoStatus.PENDING, None),
        "a/success": (VideoStatus.SUCCESS, None),
        "a/failed": (VideoStatus.FAILED, Failure(Step.RENDER, 5, "render failed")),
        "a/refused": (VideoStatus.REFUSED, refusal),
    }
    for video_id, (status, error) in rows.items():
        key = f"key-{video_id}"
        state.begin_video(SCOPE, key, {"video_name": video_id})
        if status is not VideoStatus.REQUESTING:
            state.video_progress(SCOPE, key, status=status, error=error)
        state.assign("spring", video_id, SCOPE, "a", key)
    # A step before the video failed; a video in doubt; a video the state forgot.
    state.assign(
        "spring", "b/template", SCOPE, "b", None, Failure("render_templates", "template", "x")
    )
    state.assign("spring", "b/doubt", SCOPE, "b", None, IN_DOUBT)
    state.assign("spring", "b/forgotten", SCOPE, "b", "key-gone")
    state.close()


def test_status_of_a_state_speaks_the_manifests_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    state_with_every_status(tmp_path / "state" / "state.sqlite3")
    assert main(["status", "--state-dir", str(tmp_path / "state")]) == 0
    assert capsys.readouterr().out == "spring: 2 failed, 5 pending, 1 success\n"
    assert main(["status", "--state-dir", str(tmp_path / "state"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "campaigns": [{"campaign": "spring", "videos": {"failed": 2, "pending": 5, "success": 1}}]
    }
