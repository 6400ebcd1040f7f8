"""The results manifest from a state: the same bytes for the same state, what each status of
a video shows, what each product records, and a write that readers never see half done. A spec
from a real file and a real state database; nothing is rendered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from runs.core_kit import BLUSH as PRODUCT
from runs.core_kit import SCOPE, load_spec

from jogg_pipeline.run.decide import DecideOptions, Decisions, decide
from jogg_pipeline.run.failures import IN_DOUBT_MESSAGE
from jogg_pipeline.run.manifest import Where, build_manifest, dumps, write_atomically
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import Failure, Step, VideoStatus
from jogg_pipeline.state.store import StateStore

# Videos listed out of id order, one per status a test gives it.
SPEC = """\
version: 1
campaign: sale
backend: jogg
products:
  - url: https://shop.example.com/blush
    key: blush
    overrides:
      name: "{{ product.name }} – 20% off"
      target_audience: "Fans of {{ product.details.brand }}"
    videos:
      - name: zed
      - name: alpha
      - name: mid
      - name: queued
      - name: lost
      - name: refused
  - url: https://shop.example.com/kettle
    key: kettle
"""
# As created, with media, details and a warning of its own.
BLUSH: dict[str, Any] = {
    **PRODUCT,
    "media": [{"type": 1, "url": "https://cdn.example.com/a.jpg"}],
    "details": {"price": "24.00", "currency": "USD", "brand": ""},
    "warnings": ["1 of 2 images could not be fetched"],
}
SENT = {"name": "Blush – 20% off", "target_audience": "Fans of "}
FILES = "https://api.example.test/files/projects"


@pytest.fixture
def plan(tmp_path: Path) -> ExpandedCampaign:
    return load_spec(tmp_path / "specs", SPEC)


@pytest.fixture
def state(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / ".jogg" / "state.sqlite3")


def manifest(plan: ExpandedCampaign, state: StateStore, root: Path) -> dict[str, Any]:
    return build_manifest(plan, state, backend="jogg", scope=SCOPE, where=Where(root))


def requested(plan: ExpandedCampaign, state: StateStore) -> Decisions:
    """The blush product created and its override sent; each of its videos' requests and
    content as a run would record them."""
    state.adopt_product(SCOPE, "sale", "blush", BLUSH["url"], BLUSH, SENT)
    decisions = decide(plan, state, SCOPE, DecideOptions())
    for video in decisions.videos:
        if video.content_key is not None:
            state.assign("sale", video.video_id, SCOPE, video.product_key, video.content_key)
    return decisions


def record(
    state: StateStore, decisions: Decisions, video_id: str, status: VideoStatus, **found: Any
) -> str:
    """The video recorded in `status`, as the backend reported it; its content key."""
    (video,) = [v for v in decisions.videos if v.video_id == video_id]
    assert video.content_key is not None and video.request is not None
    state.adopt_video(
        SCOPE, video.content_key, video.request, video.content, status=status, **found
    )
    return video.content_key


def test_an_empty_state_lists_every_video_pending_in_id_order(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    document = manifest(plan, state, tmp_path)
    assert [v["id"] for v in document["videos"]] == [
        "blush/alpha",
        "blush/lost",
        "blush/mid",
        "blush/queued",
        "blush/refused",
        "blush/zed",
        "kettle",
    ]
    assert {v["status"] for v in document["videos"]} == {"pending"}
    assert document["summary"] == {"success": 0, "failed": 0, "pending": 7}
    assert document["spec"]["path"] == "specs/sale.yaml"  # relative to the project
    assert document["products"]["kettle"] == {
        "url": "https://shop.example.com/kettle",
        "product_id": None,
        "name": None,
        "price": None,
        "media": 0,
        "overrides": {},
        "extracted": None,
        "warnings": [],
        "error": None,
    }
    kettle = document["videos"][-1]
    assert kettle["settings"]["video_length"] == "15"  # the spec's, before any request
    assert (kettle["project_id"], kettle["video_url"], kettle["error"]) == (None, None, None)


def test_what_each_status_of_a_video_shows(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    decisions = requested(plan, state)
    record(
        state, decisions, "blush/alpha", VideoStatus.SUCCESS, project_id="V1", status_code=3,
        video_url=f"{FILES}/V1/video.mp4", cover_url=f"{FILES}/V1/cover.jpg", duration=15.0,
        warnings=["voice en-US-ChristopherNeural is played by a local voice"],
    )  # fmt: skip
    failed = Failure(Step.RENDER, 5, "the voice could not be made")
    record(state, decisions, "blush/mid", VideoStatus.FAILED, project_id="V2", error=failed)
    record(state, decisions, "blush/queued", VideoStatus.PENDING, project_id="V3")
    record(state, decisions, "blush/lost", VideoStatus.REQUESTING, project_id=None)
    refused = Failure(Step.CREATE_VIDEO, 18020, "Insufficient credit; not carried out")
    record(state, decisions, "blush/refused", VideoStatus.REFUSED, project_id=None, error=refused)
    template = Failure(Step.RENDER_TEMPLATES, "template", "video_name: no attribute 'colour'")
    state.assign("sale", "blush/zed", SCOPE, "blush", None, template)

    videos = {v["id"]: v for v in manifest(plan, state, tmp_path)["videos"]}
    success = videos["blush/alpha"]
    assert success["status"] == "success"
    assert (success["project_id"], success["duration"]) == ("V1", 15.0)
    assert success["video_url"] == f"{FILES}/V1/video.mp4"  # a remote backend's, as given
    assert success["settings"]["video_name"] == "sale blush/alpha"  # as sent
    assert "product_id" not in success["settings"]
    # What the product said, what the template read empty, then what the backend said.
    assert success["warnings"] == [
        "1 of 2 images could not be fetched",
        "products[0].overrides.target_audience reads product.details.brand, which the page "
        "does not have",
        "voice en-US-ChristopherNeural is played by a local voice",
    ]
    assert (videos["blush/mid"]["status"], videos["blush/mid"]["error"]) == (
        "failed",
        {"step": "render", "code": 5, "msg": "the voice could not be made"},
    )
    assert (videos["blush/queued"]["status"], videos["blush/queued"]["error"]) == ("pending", None)
    assert videos["blush/queued"]["project_id"] == "V3"
    assert (videos["blush/lost"]["status"], videos["blush/lost"]["error"]) == (
        "pending",
        {"step": "create_video", "code": "in_doubt", "msg": IN_DOUBT_MESSAGE},
    )
    assert (videos["blush/refused"]["status"], videos["blush/refused"]["error"]) == (
        "pending",
        {"step": "create_video", "code": 18020, "msg": "Insufficient credit; not carried out"},
    )
    assert (videos["blush/zed"]["status"], videos["blush/zed"]["error"]) == (
        "failed",
        {
            "step": "render_templates",
            "code": "template",
            "msg": "video_name: no attribute 'colour'",
        },
    )
    assert videos["kettle"]["status"] == "pending"
    assert manifest(plan, state, tmp_path)["summary"] == {"success": 1, "failed": 2, "pending": 4}


def test_a_product_step_that_was_refused_leaves_its_videos_pending(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    refused = Failure(Step.CREATE_PRODUCT, 50000, "Server error; it was not carried out")
    state.product_failed(SCOPE, "sale", "kettle", "https://shop.example.com/kettle", refused)
    state.assign("sale", "kettle", SCOPE, "kettle", None, refused)
    document = manifest(plan, state, tmp_path)
    kettle = document["videos"][-1]
    assert (kettle["status"], kettle["error"]["code"]) == ("pending", 50000)
    assert document["products"]["kettle"]["error"] == {
        "step": "create_product",
        "code": 50000,
        "msg": "Server error; it was not carried out",
    }


def test_a_created_product_records_what_was_sent_and_what_was_extracted(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    requested(plan, state)
    assert manifest(plan, state, tmp_path)["products"]["blush"] == {
        "url": "https://shop.example.com/blush",
        "product_id": "P1",
        "name": "Blush – 20% off",
        "price": "24.00 USD",
        "media": 1,
        "overrides": SENT,
        "extracted": {
            "name": "Blush",
            "description": "Soft.",
            "target_audience": "",
            "media": [{"type": 1, "url": "https://cdn.example.com/a.jpg"}],
            "details": {"price": "24.00", "currency": "USD", "brand": ""},
        },
        "warnings": [
            "1 of 2 images could not be fetched",
            "products[0].overrides.target_audience reads product.details.brand, which the page "
            "does not have",
        ],
        "error": None,
    }


def test_the_in_process_engines_files_are_paths_in_the_project(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    decisions = requested(plan, state)
    local = "http://127.0.0.1:8123/files/projects/V1"
    key = record(
        state, decisions, "blush/alpha", VideoStatus.SUCCESS, project_id="V1",
        video_url=f"{local}/video.mp4", cover_url=f"{local}/cover.jpg", duration=15.0,
    )  # fmt: skip
    state.downloaded(SCOPE, key, "videos/alpha.mp4", "ab12")
    where = Where(tmp_path, engine_files=tmp_path / ".jogg" / "engine" / "files")
    document = build_manifest(plan, state, backend="local", scope=SCOPE, where=where)
    alpha = document["videos"][0]
    assert alpha["video_url"] == ".jogg/engine/files/projects/V1/video.mp4"
    assert alpha["cover_url"] == ".jogg/engine/files/projects/V1/cover.jpg"
    assert (alpha["file"], alpha["sha256"]) == ("videos/alpha.mp4", "ab12")


def test_quality_is_shown_only_for_videos_made_with_one(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    state.adopt_product(SCOPE, "sale", "blush", BLUSH["url"], BLUSH, SENT)
    decisions = decide(plan, state, SCOPE, DecideOptions(quality="preview"))
    alpha = decisions.videos[1]
    assert alpha.content_key is not None and alpha.request is not None
    state.adopt_video(
        SCOPE, alpha.content_key, alpha.request, alpha.content,
        status=VideoStatus.PENDING, project_id="V1",
    )  # fmt: skip
    state.assign("sale", "blush/alpha", SCOPE, "blush", alpha.content_key)
    videos = manifest(plan, state, tmp_path)["videos"]
    assert videos[0]["quality"] == "preview"
    assert all("quality" not in video for video in videos[1:])


def test_videos_of_another_backend_are_not_this_ones(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    decisions = requested(plan, state)
    record(state, decisions, "blush/alpha", VideoStatus.SUCCESS, project_id="V1")
    elsewhere = build_manifest(
        plan, state, backend="jogg", scope="https://other.example/v1#ff", where=Where(tmp_path)
    )
    assert elsewhere["summary"] == {"success": 0, "failed": 0, "pending": 7}
    assert elsewhere["products"]["blush"]["product_id"] is None


def test_the_same_state_gives_the_same_bytes(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    decisions = requested(plan, state)
    record(state, decisions, "blush/alpha", VideoStatus.SUCCESS, project_id="V1", duration=15.0)
    first = dumps(manifest(plan, state, tmp_path))
    state.close()
    reopened = StateStore(tmp_path / ".jogg" / "state.sqlite3")
    assert dumps(manifest(plan, reopened, tmp_path)) == first
    assert first.endswith("}\n") and not first.endswith("\n\n")
    assert "Blush – 20% off" in first  # written as it reads, not \u-escaped
    lines = first.splitlines()
    assert lines[:3] == ["{", '  "backend": "jogg",', '  "campaign": "sale",']  # sorted keys
    assert json.loads(first) == manifest(plan, reopened, tmp_path)


def test_a_spec_outside_the_project_is_named_by_its_absolute_path(
    plan: ExpandedCampaign, state: StateStore, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    document = manifest(plan, state, elsewhere)
    assert document["spec"]["path"] == (tmp_path / "specs" / "sale.yaml").resolve().as_posix()


def test_writing_replaces_the_file_whole_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "results" / "sale.json"
    write_atomically(path, "first\n")
    write_atomically(path, "second\n")
    assert path.read_text() == "second\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["sale.json"]

    blocked = tmp_path / "results" / "folder.json"
    blocked.mkdir()  # a folder where the manifest goes: the rename fails
    with pytest.raises(IsADirectoryError):
        write_atomically(blocked, "third\n")
    assert sorted(p.name for p in path.parent.iterdir()) == ["folder.json", "sale.json"]
