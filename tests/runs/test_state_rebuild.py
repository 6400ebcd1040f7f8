"""Losing the state costs time, never credits: deleted, moved or lost mid-run, it is rebuilt
from the manifest and the backend's lists, and nothing is requested twice."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess

import pytest
from runs.run_kit import (
    API_KEY,
    SPEC,
    Campaign,
    make_campaign,
    run_cli,
    run_command,
    server_counts,
)

from jogg_pipeline.cli import main
from jogg_pipeline.state.store import StateStore


def posts_and_puts(record: dict) -> list[str]:
    return [route for route in record["requests"]["sent"] if route.startswith(("POST", "PUT"))]


def plan_actions(capsys, campaign, *args: str) -> dict[str, list[str]]:
    code = main(
        ["plan", str(campaign.spec), "--state-dir", str(campaign.state_dir), "--results",
         str(campaign.results), "--quality", "preview", "--json", *args]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    return {video["id"]: video["actions"] for video in json.loads(out)["campaigns"][0]["videos"]}


@pytest.fixture
def with_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOGG_API_KEY", API_KEY)


@pytest.mark.slow
def test_a_deleted_state_is_rebuilt_from_the_manifest_and_sends_nothing(
    tmp_path, served, capsys, with_key
) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, base_url=served.api_url).returncode == 0
    before = campaign.manifest.read_bytes()
    records = sorted((campaign.state_dir / "runs").rglob("*.json"))
    shutil.rmtree(campaign.state_dir)

    actions = plan_actions(capsys, campaign, "--base-url", served.api_url)
    assert actions == {video: ["up to date"] for video in actions}
    assert len(actions) == 4
    assert not campaign.state_dir.exists(), "plan must not create anything"

    again = run_cli(campaign, base_url=served.api_url)
    assert again.returncode == 0, again.stderr
    assert campaign.manifest.read_bytes() == before
    record = campaign.last_record()
    assert posts_and_puts(record) == []
    assert record["steps"]["rebuilt_products"] == 2
    assert record["steps"]["rebuilt_videos"] == 4
    assert "state rebuilt: 2 products and 4 videos from the manifest" in again.stderr
    assert server_counts(served.data_dir) == {"products": 2, "videos": 4, "duplicate_requests": 0}
    assert records  # the first run's record went with the state


@pytest.mark.slow
def test_a_state_copied_elsewhere_finds_its_own_rows(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, base_url=served.api_url).returncode == 0
    before = campaign.manifest.read_bytes()
    moved = tmp_path / "elsewhere" / "state"
    shutil.copytree(campaign.state_dir, moved)
    campaign.state_dir = moved

    again = run_cli(campaign, base_url=served.api_url.replace("127.0.0.1", "localhost"))
    assert again.returncode == 0, again.stderr
    assert campaign.manifest.read_bytes() == before
    record = campaign.last_record()
    assert posts_and_puts(record) == []
    assert record["steps"]["rebuilt_products"] == 0  # the copy knew everything
    assert server_counts(served.data_dir)["videos"] == 4


@pytest.mark.slow
def test_the_local_engine_keeps_its_identity_when_its_folder_moves(tmp_path) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, "--only", "blush/short").returncode == 0
    moved = tmp_path / "moved-state"
    shutil.move(campaign.state_dir, moved)
    campaign.state_dir = moved

    again = run_cli(campaign, "--only", "blush/short")
    assert again.returncode == 0, again.stderr
    assert campaign.last_record()["steps"]["videos_requested"] == 0
    video = campaign.manifest_json()["videos"][0]
    assert video["status"] == "success"
    assert video["video_url"].startswith("moved-state/engine/files/projects/")


def kill_after_first_request(campaign, base_url: str) -> None:
    """Start a run, and kill it once it has requested its first video."""
    command, environment = run_command(campaign, base_url=base_url)
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=campaign.folder.parent,
    )  # fmt: skip
    assert process.stderr is not None
    for line in process.stderr:
        if "video requested" in line:
            break
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)


@pytest.mark.slow
def test_a_state_lost_mid_run_is_rebuilt_without_requesting_twice(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    kill_after_first_request(campaign, served.api_url)
    assert server_counts(served.data_dir)["videos"] >= 1
    assert campaign.manifest.exists(), "the manifest names each product once it is created"
    shutil.rmtree(campaign.state_dir)

    final = run_cli(campaign, base_url=served.api_url)
    assert final.returncode == 0, final.stderr
    assert campaign.manifest_json()["summary"] == {"success": 4, "failed": 0, "pending": 0}
    assert campaign.last_record()["steps"]["products_created"] == 0
    assert server_counts(served.data_dir) == {"products": 2, "videos": 4, "duplicate_requests": 0}


@pytest.mark.slow
def test_with_no_manifest_either_products_and_videos_are_found_in_the_backends_lists(
    tmp_path, served
) -> None:
    # Overrides that do not read the field they set: the product as the backend has it
    # now is as good as the one first extracted.
    campaign = make_campaign(
        tmp_path, SPEC.replace('"{{ product.name }} – {{ vars.discount }}% off"', "Blush sale")
    )
    kill_after_first_request(campaign, served.api_url)
    shutil.rmtree(campaign.state_dir)
    shutil.rmtree(campaign.results, ignore_errors=True)  # if a checkpoint wrote one

    final = run_cli(campaign, base_url=served.api_url)
    assert final.returncode == 0, final.stderr
    steps = campaign.last_record()["steps"]
    assert steps["products_created"] == 0
    assert steps["products_by_url"] == 2
    assert steps["videos_by_name"] >= 1
    assert server_counts(served.data_dir) == {"products": 2, "videos": 4, "duplicate_requests": 0}


@pytest.mark.slow
def test_another_campaigns_products_are_never_adopted(tmp_path, served) -> None:
    first = make_campaign(tmp_path)
    assert run_cli(first, "--only", "blush/short", base_url=served.api_url).returncode == 0
    # The same pages, so the same product URLs, beside the first campaign's manifest.
    spec = first.folder / "other.yaml"
    spec.write_text(SPEC.replace("campaign: nightly", "campaign: other"))
    second = Campaign(first.folder, spec, first.state_dir, first.results)
    shutil.rmtree(first.state_dir)

    result = run_cli(second, "--only", "blush/short", base_url=served.api_url)
    assert result.returncode == 0, result.stderr
    steps = json.loads(sorted((second.state_dir / "runs" / "other").glob("*.json"))[-1].read_text())
    assert steps["steps"]["products_by_url"] == 0  # blush is nightly's, by its manifest
    assert steps["steps"]["products_created"] == 1


@pytest.mark.slow
def test_the_in_process_engine_goes_with_its_state_and_plan_says_so(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, "--only", "blush/short").returncode == 0
    shutil.rmtree(campaign.state_dir)  # the engine's videos were in it

    actions = plan_actions(capsys, campaign, "--only", "blush/short")
    assert actions == {"blush/short": ["create product", "update product", "create video"]}
    again = run_cli(campaign, "--only", "blush/short")
    assert again.returncode == 0, again.stderr
    steps = campaign.last_record()["steps"]
    assert (steps["rebuilt_products"], steps["products_created"]) == (0, 1)


@pytest.mark.slow
def test_what_the_rebuild_cannot_read_stops_the_run_before_anything_is_sent(
    tmp_path, served, capsys, with_key
) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, "--only", "blush/short", base_url=served.api_url).returncode == 0
    shutil.rmtree(campaign.state_dir)
    args = ["run", str(campaign.spec), "--state-dir", str(campaign.state_dir), "--results",
            str(campaign.results), "--base-url", served.api_url, "--quiet"]  # fmt: skip

    text = campaign.manifest.read_text()
    campaign.manifest.write_text(text[: len(text) // 2])
    assert main(args) == 3
    err = capsys.readouterr().err
    assert err.startswith(
        f"jogg-pipeline: error: {campaign.manifest}: cannot read the manifest the state would be "
        "rebuilt from ("
    )
    assert err.endswith(
        "); restore it from git, or remove it to create every product and video again\n"
    )

    campaign.manifest.write_text(text)
    served.stop()
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "jogg-pipeline: warning: retry 1 of 4 of GET /products" in err  # the retries, said
    assert err.splitlines()[-1].startswith(
        "jogg-pipeline: error: nightly: cannot check the recorded products and videos with the "
        "backend before sending anything: "
    ), err
    assert "Traceback" not in err


def test_a_state_written_by_a_newer_version_is_refused(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    state = StateStore(campaign.state_dir / "state.sqlite3")
    with state.transaction() as db:
        db.execute("UPDATE meta SET value='99' WHERE name='schema_version'")
    state.close()
    assert main(["status", str(campaign.spec), "--state-dir", str(campaign.state_dir)]) == 3
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: the state in {campaign.state_dir} was written by a newer "
        "jogg-pipeline (state schema 99, this version reads up to 2); upgrade jogg-pipeline, or "
        "move the state folder away to rebuild it from the manifests\n"
    )
