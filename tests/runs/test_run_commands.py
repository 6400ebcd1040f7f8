"""plan, status and diff as a user runs them, and the errors they show."""

from __future__ import annotations

import json

import pytest
from runs.run_kit import SPEC, make_campaign, run_cli

from jogg_pipeline.cli import main
from jogg_pipeline.quantities import parse_duration


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_plan_before_and_after_a_run(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    state = str(campaign.state_dir)
    plan = ("plan", str(campaign.spec), "--state-dir", state, "--quality", "preview")
    code, out, _ = cli(capsys, *plan)
    assert code == 0
    assert out.splitlines() == [
        "nightly (backend local):",
        "  blush/short       create product, update product, create video  (new product)",
        "  blush/wide        create product, update product, create video  (new product)",
        "  headphones/short  create product, update product, create video  (new product)",
        "  headphones/wide   create product, update product, create video  (new product)",
        "  total: 8 POST requests",
    ]
    assert not campaign.state_dir.exists(), "plan must not create anything"

    assert run_cli(campaign, "--only", "blush/short").returncode == 0
    code, out, _ = cli(capsys, *plan, "--post-rate", "1/min", "--json")
    document = json.loads(out)["campaigns"][0]
    actions = {v["id"]: v["actions"] for v in document["videos"]}
    assert actions["blush/short"] == ["up to date"]
    assert actions["blush/wide"] == ["create video"]
    assert actions["headphones/short"][:2] == ["create product", "update product"]
    assert document["totals"] == {
        "posts": 5,
        "credits": None,  # the local engine costs no credits
        "seconds_at_rate_limit": 240.0,
        "rate_limit": "1/min",
    }

    campaign.spec.write_text(SPEC.replace("% off", "% off now"))
    code, out, _ = cli(capsys, *plan)
    lines = out.splitlines()
    assert lines[1:4] == [
        "  product blush: update product",
        '    ~ name: "Happy Booster Heart Blush – Rose – 20% off" -> "Happy Booster Heart Blush'
        ' – Rose – 20% off now"',
        "  blush/short       update product, create video  (it changed: product name)",
    ]
    assert lines[-1] == "  total: 7 POST requests"

    code, out, _ = cli(capsys, *plan[:-1], "full")
    assert (
        "  blush/short       update product, create video  (it changed: product name; quality: "
        '"preview" -> "full")' in out.splitlines()
    )


@pytest.mark.slow
def test_status_shows_each_video_and_fails_while_any_is_not_done(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    code, _, err = cli(capsys, "status", "--state-dir", str(campaign.state_dir))
    assert code == 2
    assert err == (
        f"jogg-pipeline: error: no state in {campaign.state_dir} and no manifest: nothing has "
        "run yet (see `jogg-pipeline run`)\n"
    )
    assert run_cli(campaign, "--only", "headphones/wide").returncode == 0
    code, out, _ = cli(capsys, "status", str(campaign.spec), "--state-dir", str(campaign.state_dir))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "nightly:"
    assert lines[1] == "  blush/short       not started"
    assert lines[4].startswith("  headphones/wide   success  ")
    assert lines[4].endswith("video.mp4")
    code, out, _ = cli(capsys, "status", "--state-dir", str(campaign.state_dir))
    assert (code, out) == (0, "nightly: 1 success\n")


def manifest(videos: list[dict]) -> dict:
    return {"manifest_version": 1, "campaign": "c", "videos": videos}


def video(video_id: str, status: str = "success", url: str | None = "v1.mp4", **settings) -> dict:
    return {
        "id": video_id,
        "status": status,
        "video_url": url,
        "settings": {"language": "english", **settings},
    }


def test_diff_for_people_and_machines(tmp_path, capsys) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(
        json.dumps(
            manifest(
                [
                    video("a"),
                    video("b", "pending", None),
                    video("c"),
                    video("gone"),
                ]
            )
        )
    )
    new.write_text(
        json.dumps(
            manifest(
                [
                    video("a"),
                    video("b", url="b.mp4"),
                    video("c", language="spanish"),
                    video("new"),
                ]
            )
        )
    )
    code, out, _ = cli(capsys, "diff", str(old), str(new))
    assert code == 0
    assert out.splitlines() == [
        "c: 1 video added, 1 video removed, 2 videos changed",
        "+ new (success)",
        "- gone (success)",
        "~ b: status pending -> success",
        '~ c: language "english" -> "spanish"',
    ]
    code, out, _ = cli(capsys, "diff", str(old), str(new), "--json", "--exit-code")
    assert code == 1
    document = json.loads(out)
    assert document["added"] == [{"id": "new", "status": "success"}]
    assert document["changed"][1]["settings"] == {"language": {"old": "english", "new": "spanish"}}
    assert cli(capsys, "diff", str(old), str(old), "--exit-code")[0] == 0


def test_diff_refuses_what_is_not_a_manifest(tmp_path, capsys) -> None:
    broken, other, good = tmp_path / "broken.json", tmp_path / "other.json", tmp_path / "m.json"
    broken.write_text('{"videos": [\n')
    other.write_text('{"name": "x"}')
    good.write_text(json.dumps(manifest([])))
    assert cli(capsys, "diff", str(broken), str(good))[2] == (
        f"jogg-pipeline: error: {broken}:2:1: not a manifest: invalid JSON (Expecting value)\n"
    )
    assert cli(capsys, "diff", str(other), str(good))[2] == (
        f"jogg-pipeline: error: {other}: not a jogg-pipeline manifest (no manifest_version "
        "and videos)\n"
    )
    code, _, err = cli(capsys, "diff", str(tmp_path / "none.json"), str(good))
    assert (code, err) == (2, f"jogg-pipeline: error: {tmp_path / 'none.json'}: no such manifest\n")


def test_run_refuses_bad_options_before_sending(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    spec, state = str(campaign.spec), str(campaign.state_dir)
    assert cli(capsys, "run", spec, "--state-dir", state, "--wait", "soon")[2] == (
        "jogg-pipeline: error: --wait 'soon' is not a duration; write e.g. 90s, 20m, 1h30m or 0\n"
    )
    assert cli(capsys, "run", spec, "--state-dir", state, "--only", "blush/tall")[2] == (
        "jogg-pipeline: error: --only 'blush/tall': no video matches it in the specs given; "
        "did you mean 'blush/short'?\n"
    )
    assert cli(capsys, "run", spec, "--state-dir", state, "--post-rate", "fast")[2] == (
        "jogg-pipeline: error: --post-rate 'fast' is not a rate; write COUNT/PERIOD, e.g. "
        "20/min, 5/s, 100/hour or 20/2s\n"
    )
    campaign.spec.write_text(SPEC.replace("aspect_ratio: square", "aspect_ratio: round"))
    code, _, err = cli(capsys, "run", spec, "--state-dir", state)
    assert code == 2
    assert err.splitlines()[-1] == "jogg-pipeline: error: 1 spec invalid; nothing was sent"
    assert "error: defaults.aspect_ratio: 'round' is not a valid aspect_ratio" in err
    assert not campaign.state_dir.exists()


@pytest.mark.parametrize(
    ("text", "seconds"), [("0", 0), ("90", 90), ("90s", 90), ("20m", 1200), ("1h30m", 5400)]
)
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == seconds
