"""`plan`'s side of the decision without a run: products taken from a committed manifest when
the state has none, the plan as JSON, and what makes a saved plan stale. A real state file, a
manifest written as a run writes it, and specs from real files; nothing is sent or rendered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from runs.core_kit import BLUSH, SCOPE, load_spec

from jogg_pipeline.errors import UsageError
from jogg_pipeline.quantities import Rate
from jogg_pipeline.run.decide import DecideOptions, decide
from jogg_pipeline.run.manifest import Where, build_manifest, dumps
from jogg_pipeline.run.planning import (
    PLAN_VERSION,
    CampaignContext,
    decide_campaigns,
    document,
    saved_options,
    stale_reasons,
    state_copy,
)
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import VideoStatus
from jogg_pipeline.state.store import StateStore

SPEC = """\
version: 1
campaign: sale
backend: jogg
products:
  - url: https://shop.example.com/blush
    key: blush
    overrides:
      name: "{{ product.name }} – 20% off"
    videos:
      - name: short
      - name: long
        video_length: 60
"""
CONTEXT = CampaignContext(SCOPE, None, Rate.cloud(), credits=True)


def load(root: Path, text: str = SPEC) -> ExpandedCampaign:
    return load_spec(root / "specs", text)


def made(plan: ExpandedCampaign, root: Path) -> Path:
    """A run that made every video, as its state and its committed manifest record it; the
    manifest's path."""
    state = StateStore(root / ".jogg" / "state.sqlite3")
    state.adopt_product(SCOPE, "sale", "blush", BLUSH["url"], BLUSH, {"name": "Blush – 20% off"})
    for number, video in enumerate(decide(plan, state, SCOPE, DecideOptions()).videos):
        assert video.content_key is not None and video.request is not None
        state.adopt_video(
            SCOPE, video.content_key, video.request, video.content,
            status=VideoStatus.SUCCESS, project_id=f"V{number}", duration=15.0,
        )  # fmt: skip
        state.assign("sale", video.video_id, SCOPE, "blush", video.content_key)
    manifest = root / "results" / "sale.json"
    manifest.parent.mkdir()
    where = Where(root)
    manifest.write_text(
        dumps(build_manifest(plan, state, backend="jogg", scope=SCOPE, where=where))
    )
    state.close()
    return manifest


def plan_document(
    plan: ExpandedCampaign, root: Path, state: StateStore, **options: Any
) -> dict[str, Any]:
    decided = decide_campaigns(
        [plan], {"sale": CONTEXT}, state, root / "results", DecideOptions(**options)
    )
    return document(decided, root)


def test_a_first_plan_as_json(tmp_path: Path) -> None:
    plan = load(tmp_path)
    state = state_copy(tmp_path / ".jogg" / "state.sqlite3")
    (campaign,) = plan_document(plan, tmp_path, state)["campaigns"]
    assert campaign["campaign"] == "sale" and campaign["backend"] == "jogg"
    assert campaign["spec"] == {"path": "specs/sale.yaml", "sha256": plan.spec_sha256}
    assert campaign["rebuilt_from"] is None
    assert campaign["products"] == [
        {"key": "blush", "actions": ["create product", "update product"], "reason": "new product",
         "changes": []},
    ]  # fmt: skip
    assert [(v["id"], v["actions"], v["reason"]) for v in campaign["videos"]] == [
        ("blush/short", ["create product", "update product", "create video"], "new product"),
        ("blush/long", ["create product", "update product", "create video"], "new product"),
    ]
    assert campaign["totals"] == {
        "posts": 4,
        "credits": 2,
        "seconds_at_rate_limit": 0.0,
        "rate_limit": "20/min",
    }
    assert not (tmp_path / ".jogg").exists()  # a plan creates no state


def test_a_lost_state_is_planned_from_the_committed_manifest(tmp_path: Path) -> None:
    plan = load(tmp_path)
    made(plan, tmp_path)
    (tmp_path / ".jogg" / "state.sqlite3").unlink()
    state = state_copy(tmp_path / ".jogg" / "state.sqlite3")
    (campaign,) = plan_document(plan, tmp_path, state)["campaigns"]
    assert campaign["rebuilt_from"] == "results/sale.json"
    assert [(v["id"], v["actions"]) for v in campaign["videos"]] == [
        ("blush/short", ["up to date"]),
        ("blush/long", ["up to date"]),
    ]
    assert campaign["totals"]["posts"] == 0

    # A change of the spec since: the manifest's products are taken, the change planned.
    changed = load(tmp_path, SPEC.replace("% off", "% off today"))
    (campaign,) = plan_document(changed, tmp_path, StateStore.in_memory())["campaigns"]
    assert campaign["products"][0]["actions"] == ["update product"]
    assert campaign["products"][0]["changes"] == [
        {"field": "name", "old": "Blush – 20% off", "new": "Blush – 20% off today"}
    ]
    assert campaign["videos"][0]["changes"] == [
        {"field": "product name", "old": "Blush – 20% off", "new": "Blush – 20% off today"}
    ]


def test_the_state_is_read_not_written(tmp_path: Path) -> None:
    plan = load(tmp_path)
    made(plan, tmp_path)
    state_file = tmp_path / ".jogg" / "state.sqlite3"
    before = state_file.read_bytes()
    changed = load(tmp_path, SPEC.replace("% off", "% off today"))
    (campaign,) = plan_document(changed, tmp_path, state_copy(state_file))["campaigns"]
    assert campaign["rebuilt_from"] is None  # the state had the products
    assert campaign["totals"]["posts"] == 3  # an update and two new videos
    assert state_file.read_bytes() == before


# --- a saved plan ---------------------------------------------------------------------------


def test_a_saved_plan_stands_while_nothing_changed(tmp_path: Path) -> None:
    plan = load(tmp_path)
    now = plan_document(plan, tmp_path, StateStore.in_memory())
    assert stale_reasons(json.loads(json.dumps(now)), now) == []


def test_what_makes_a_saved_plan_stale(tmp_path: Path) -> None:
    plan = load(tmp_path)
    now = plan_document(plan, tmp_path, StateStore.in_memory())
    (campaign,) = now["campaigns"]

    other_spec = {**campaign, "spec": {**campaign["spec"], "sha256": "0" * 64}}
    assert stale_reasons({"campaigns": [other_spec]}, now) == [
        "sale: its spec specs/sale.yaml changed"
    ]

    gone = {**campaign, "campaign": "launch"}
    assert stale_reasons({"campaigns": [gone]}, now) == [
        "campaign 'launch' is gone",
        "campaign 'sale' is new",
    ]

    short = campaign["videos"][0]
    other_actions = {**campaign, "videos": [{**short, "actions": ["up to date"]}]}
    assert stale_reasons({"campaigns": [other_actions]}, now) == [
        "sale: blush/short was planned as 'up to date', now 'create product, update product, "
        "create video'",
        "sale: blush/long was planned as 'not planned', now 'create product, update product, "
        "create video'",
    ]

    other_products = {**campaign, "products": []}
    assert stale_reasons({"campaigns": [other_products]}, now) == [
        "sale: its products' changes are not the ones planned"
    ]


def test_a_saved_plan_is_read_back_with_its_options(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps({"plan_version": 1, "campaigns": [], "options": {"only": ["blush"]}})
    )
    document_read, options = saved_options(path)
    assert options == {"only": ["blush"]}
    assert document_read["plan_version"] == PLAN_VERSION


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[]", "not a plan saved by `jogg-pipeline plan -o` (plan_version 1)"),
        ('{"plan_version": 2, "campaigns": [], "options": {}}',
         "not a plan saved by `jogg-pipeline plan -o` (plan_version 1)"),
        ('{"plan_version": 1, "campaigns": []}',
         "not a plan saved by `jogg-pipeline plan -o` (plan_version 1)"),
        ('{"plan_version": 1,', "not a saved plan (Expecting property name enclosed in double "
         "quotes: line 1 column 20 (char 19))"),
        (b"\xff\xfe", "not a saved plan ('utf-8' codec can't decode byte 0xff in position 0: "
         "invalid start byte)"),
    ],
    ids=["a-list", "another-version", "no-options", "cut-short", "not-utf-8"],
)  # fmt: skip
def test_what_is_not_a_saved_plan_is_one_line(
    tmp_path: Path, content: str | bytes, reason: str
) -> None:
    path = tmp_path / "plan.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(UsageError) as refused:
        saved_options(path)
    assert str(refused.value) == f"--plan {path}: {reason}"
