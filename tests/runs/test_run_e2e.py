"""Campaigns run end to end against a real engine over loopback, as a user runs them."""

from __future__ import annotations

import hashlib
import json

import av
import pytest
from runs.run_kit import API_KEY, SPEC, make_campaign, run_cli, run_process, server_counts
from support.cli import run_in_process

from jogg_pipeline.state.lock import StateLock


@pytest.mark.slow
def test_campaign_runs_to_success_and_a_second_run_sends_nothing(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    first = run_cli(campaign, base_url=served.api_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "nightly: 4 success, 0 failed, 0 pending -> results/nightly.json\n"
    manifest = campaign.manifest_json()
    assert manifest["summary"] == {"success": 4, "failed": 0, "pending": 0}
    assert [v["id"] for v in manifest["videos"]] == [
        "blush/short",
        "blush/wide",
        "headphones/short",
        "headphones/wide",
    ]
    wide = manifest["videos"][1]
    assert wide["settings"]["aspect_ratio"] == 1 and wide["duration"] == 15.0
    assert wide["video_url"].startswith(served.root_url + "/files/")
    assert server_counts(served.data_dir) == {"products": 2, "videos": 4, "duplicate_requests": 0}
    before = campaign.manifest.read_bytes()

    second = run_cli(campaign, base_url=served.api_url)
    assert second.returncode == 0, second.stderr
    assert campaign.manifest.read_bytes() == before
    sent = campaign.last_record()["requests"]["sent"]
    assert not [route for route in sent if route.startswith(("POST", "PUT"))], sent
    assert server_counts(served.data_dir)["videos"] == 4


@pytest.mark.slow
def test_one_changed_override_updates_one_product_and_remakes_its_videos(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, base_url=served.api_url).returncode == 0
    old = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    campaign.spec.write_text(SPEC.replace("% off", "% off today"))

    result = run_cli(campaign, base_url=served.api_url)
    assert result.returncode == 0, result.stderr
    steps = campaign.last_record()["steps"]
    assert steps["products_updated"] == 1
    assert steps["videos_requested"] == 2
    assert steps["products_created"] == 0
    new = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    changed = {i for i in new if new[i]["project_id"] != old[i]["project_id"]}
    assert changed == {"blush/short", "blush/wide"}
    assert server_counts(served.data_dir) == {"products": 2, "videos": 6, "duplicate_requests": 0}


@pytest.mark.slow
def test_an_expired_wait_leaves_pending_videos_that_the_next_run_finishes(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    first = run_cli(campaign, "--wait", "0", base_url=served.api_url)
    assert first.returncode == 1, first.stderr
    manifest = campaign.manifest_json()
    assert manifest["summary"]["pending"] >= 1
    assert all(v["project_id"] for v in manifest["videos"])

    second = run_cli(campaign, base_url=served.api_url)
    assert second.returncode == 0, second.stderr
    assert campaign.manifest_json()["summary"] == {"success": 4, "failed": 0, "pending": 0}
    assert campaign.last_record()["steps"]["videos_requested"] == 0
    assert server_counts(served.data_dir)["videos"] == 4


def test_a_second_run_on_the_same_state_is_refused_naming_the_holder(tmp_path) -> None:
    campaign = make_campaign(tmp_path)
    with StateLock(campaign.state_dir):  # held by this process: the run is another one
        result = run_process(campaign)
    assert result.returncode == 3
    assert result.stderr.startswith(
        f"jogg-pipeline: error: another run holds the state directory {campaign.state_dir} (pid "
    )
    assert result.stderr.rstrip().endswith("wait for it to finish, or use another --state-dir")
    assert not campaign.manifest.exists()


def test_the_jogg_backend_without_a_key_stops_before_sending(tmp_path) -> None:
    campaign = make_campaign(
        tmp_path,
        "version: 1\ncampaign: nightly\nbackend: jogg\nproducts:\n"
        "  - url: https://shop.example.com/products/blush\n",
    )
    result = run_cli(campaign)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: no API key for the JoggAI API: set JOGG_API_KEY or pass "
        "--api-key-file FILE (nothing was sent)\n"
    )
    assert not campaign.state_dir.exists()


@pytest.mark.slow
def test_the_default_local_backend_runs_in_process(tmp_path) -> None:
    campaign = make_campaign(tmp_path)
    result = run_cli(campaign, "--only", "blush/short", "headphones/wide")
    assert result.returncode == 0, result.stderr
    videos = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    assert videos["blush/short"]["status"] == "success"
    assert videos["blush/wide"]["status"] == "pending"  # not selected, not started
    assert videos["blush/wide"]["project_id"] is None
    local_file = campaign.folder.parent / videos["blush/short"]["video_url"]
    assert local_file.is_file() and local_file.stat().st_size > 10_000
    record = json.loads(json.dumps(campaign.last_record()))
    assert record["steps"]["videos_requested"] == 2


@pytest.mark.slow
def test_download_writes_the_files_and_their_sha256(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    folder = tmp_path / "videos"
    result = run_cli(campaign, "--download", str(folder), base_url=served.api_url)
    assert result.returncode == 0, result.stderr
    for entry in campaign.manifest_json()["videos"]:
        path = campaign.folder.parent / entry["file"]
        assert path == folder / "nightly" / (entry["id"].replace("/", "--") + ".mp4")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        with av.open(str(path)) as container:
            assert abs(container.duration / 1e6 - 15) < 0.1
    before = campaign.manifest.read_bytes()
    again = run_cli(campaign, "--download", str(folder), base_url=served.api_url)
    assert again.returncode == 0 and campaign.manifest.read_bytes() == before
    assert "downloaded" not in again.stderr  # already there: not fetched again


@pytest.mark.slow
def test_failures_are_reported_per_video_with_their_step(tmp_path, served) -> None:
    campaign = make_campaign(
        tmp_path,
        SPEC.replace("pages/studio-wireless-headphones.html", "pages/empty.html").replace(
            "      - name: wide\n",
            '      - name: wide\n        video_name: "{{ product.colour }}"\n',
            1,
        ),
    )
    (campaign.folder / "pages" / "empty.html").write_text("<html><body></body></html>")
    result = run_cli(campaign, base_url=served.api_url)
    assert result.returncode == 1, result.stderr
    videos = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    assert videos["blush/short"]["status"] == "success"
    failed = videos["headphones/wide"]
    assert failed["status"] == "failed"
    assert failed["error"]["step"] == "create_product"
    assert failed["error"]["code"] == 40000
    template = videos["blush/wide"]["error"]
    assert template["step"] == "render_templates"
    assert template["msg"] == (
        f"{campaign.spec}:16:21: video_name: 'dict object' has no attribute 'colour' (product "
        "has: description, details, media, name, product_id, target_audience, url)"
    )
    assert campaign.manifest_json()["summary"] == {"success": 1, "failed": 3, "pending": 0}
    status = run_in_process(
        "status", campaign.spec, "--state-dir", campaign.state_dir, "--base-url", served.api_url,
        cwd=tmp_path, env={"JOGG_API_KEY": API_KEY},
    )  # fmt: skip
    assert status.returncode == 1
    assert "  headphones/wide   failed  create_product: " in status.stdout


@pytest.mark.slow
def test_two_videos_with_the_same_content_are_made_once(tmp_path) -> None:
    campaign = make_campaign(
        tmp_path,
        "version: 1\ncampaign: nightly\ndefaults:\n  video_name: Blush\nproducts:\n"
        "  - url: pages/happy-booster-blush.html\n    key: blush\n    videos:\n"
        "      - name: a\n      - name: b\n",
    )
    result = run_cli(campaign)
    assert result.returncode == 0, result.stderr
    videos = campaign.manifest_json()["videos"]
    assert [v["status"] for v in videos] == ["success", "success"]
    assert videos[0]["project_id"] == videos[1]["project_id"]
    assert campaign.last_record()["steps"]["videos_requested"] == 1
