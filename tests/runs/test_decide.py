"""The decision on its own: a pure function of the spec and the state, checked on a real state
database in memory and specs loaded from real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from runs.core_kit import BLUSH, SCOPE, load_spec

from jogg_pipeline.run.decide import (
    Action,
    Change,
    DecideOptions,
    decide,
    decide_product,
    show_value,
    video_identity,
)
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import Failure, VideoStatus
from jogg_pipeline.state.store import StateStore

SPEC = """\
version: 1
campaign: sale
backend: jogg
vars: {discount: 20}
products:
  - url: https://shop.example.com/blush
    key: blush
    overrides:
      name: "{{ product.name }} – {{ vars.discount }}% off"
    videos:
      - name: short
      - name: long
        video_length: 60
  - url: https://shop.example.com/kettle
    key: kettle
"""


def load(tmp_path: Path, text: str = SPEC) -> ExpandedCampaign:
    return load_spec(tmp_path, text)


@pytest.fixture
def state() -> StateStore:
    return StateStore.in_memory()


def created(state: StateStore, plan: ExpandedCampaign, key: str, product: dict, sent=None) -> None:
    state.adopt_product(SCOPE, plan.campaign, key, product["url"], product, sent)


def actions(plan: ExpandedCampaign, state: StateStore, **options) -> dict[str, tuple[str, ...]]:
    decided = decide(plan, state, SCOPE, DecideOptions(**options))
    return {video.video_id: decided.actions_of(video) for video in decided.videos}


def test_a_first_run_creates_and_counts_every_request(tmp_path, state) -> None:
    plan = load(tmp_path)
    decided = decide(plan, state, SCOPE, DecideOptions())
    assert {v.video_id: decided.actions_of(v) for v in decided.videos} == {
        "blush/short": ("create product", "update product", "create video"),
        "blush/long": ("create product", "update product", "create video"),
        "kettle": ("create product", "create video"),
    }
    assert decided.posts == 6  # 2 products, 1 update, 3 videos
    assert decided.credits == 1 + 1 + 1  # a 60 s video is one credit: 1 per started 2 minutes


def test_product_decisions(tmp_path, state) -> None:
    plan = load(tmp_path)
    blush = plan.products[0]
    assert decide_product(plan, blush, None, refresh=False).reason == "new product"

    state.begin_product(SCOPE, "sale", "blush", blush.fetch_url, "create", {"url": blush.fetch_url})
    lost = decide_product(plan, blush, state.product(SCOPE, "sale", "blush"), refresh=False)
    assert lost.actions == (Action.RECONCILE_PRODUCT, Action.UPDATE_PRODUCT)

    created(state, plan, "blush", BLUSH)
    row = state.product(SCOPE, "sale", "blush")
    first = decide_product(plan, blush, row, refresh=False)
    assert first.actions == (Action.UPDATE_PRODUCT,)
    assert first.changes == (Change("name", "Blush", "Blush – 20% off"),)
    assert first.content is not None and first.content["name"] == "Blush – 20% off"

    created(state, plan, "blush", BLUSH, {"name": "Blush – 20% off"})
    row = state.product(SCOPE, "sale", "blush")
    assert decide_product(plan, blush, row, refresh=False).actions == ()
    assert decide_product(plan, blush, row, refresh=True).reason == "extracted again (--refresh)"

    moved = load(tmp_path, SPEC.replace("shop.example.com/blush", "shop.example.com/blush-2"))
    assert decide_product(moved, moved.products[0], row, refresh=False).reason == (
        "its URL changed from https://shop.example.com/blush"
    )

    plain = load(
        tmp_path, SPEC.replace('      name: "{{ product.name }} – {{ vars.discount }}% off"\n', "")
    )
    back = decide_product(plain, plain.products[0], row, refresh=False)
    assert back.actions == (Action.UPDATE_PRODUCT,)
    assert back.payload == {"name": "Blush"}  # the field goes back to its value as extracted
    assert back.changes == (Change("name", "Blush – 20% off", "Blush"),)

    broken = load(tmp_path, SPEC.replace("product.name", "product.details.brand"))
    failed = decide_product(broken, broken.products[0], row, refresh=False)
    assert failed.actions == () and failed.error is not None
    assert "brand" in failed.error or "details" in failed.error


def test_video_decisions_follow_the_state(tmp_path, state) -> None:
    plan = load(tmp_path)
    created(state, plan, "blush", BLUSH, {"name": "Blush – 20% off"})
    decided = decide(plan, state, SCOPE, DecideOptions())
    short, long = decided.videos[0], decided.videos[1]
    assert short.action is Action.CREATE_VIDEO and short.reason == "new video"
    assert short.request is not None and short.request["video_name"] == "sale blush/short"

    state.begin_video(SCOPE, short.content_key, short.request, short.content)
    state.assign("sale", "blush/short", SCOPE, "blush", short.content_key)
    assert actions(plan, state)["blush/short"] == ("reconcile video",)
    assert actions(plan, state, retry_in_doubt=True)["blush/short"] == ("create video",)

    state.video_requested(SCOPE, short.content_key, "proj-1")
    assert actions(plan, state)["blush/short"] == ("wait",)
    state.video_progress(
        SCOPE, short.content_key, status=VideoStatus.FAILED, error=Failure("render", 5, "no font")
    )
    assert actions(plan, state)["blush/short"] == ("failed",)
    assert actions(plan, state, retry_failed=True)["blush/short"] == ("create video",)
    state.video_progress(SCOPE, short.content_key, status=VideoStatus.SUCCESS)
    assert actions(plan, state)["blush/short"] == ("up to date",)
    assert long.credits == 1

    # A changed setting: the new video says what differs from the one it replaces.
    longer = load(
        tmp_path,
        SPEC.replace(
            "      - name: short\n", "      - name: short\n        aspect_ratio: landscape\n"
        ),
    )
    again = decide(longer, state, SCOPE, DecideOptions()).videos[0]
    assert again.action is Action.CREATE_VIDEO and again.reason == "it changed"
    assert again.changes == (Change("aspect_ratio", 0, 1),)

    # A changed product: so does the product field.
    created(state, plan, "blush", {**BLUSH, "description": "Softer."}, {"name": "Blush – 20% off"})
    changed = decide(plan, state, SCOPE, DecideOptions()).videos[0]
    assert changed.changes == (Change("product description", "Soft.", "Softer."),)


def test_videos_with_the_same_content_are_made_once(tmp_path, state) -> None:
    text = SPEC.replace("      - name: long\n        video_length: 60\n", "      - name: twin\n")
    text = text.replace("products:", "defaults: {video_name: Teaser}\nproducts:")
    plan = load(tmp_path, text)
    before = decide(plan, state, SCOPE, DecideOptions())
    assert [(v.action, v.shares) for v in before.videos[:2]] == [
        (Action.CREATE_VIDEO, None),
        (Action.WAIT, "blush/short"),
    ]
    created(state, plan, "blush", BLUSH, {"name": "Blush – 20% off"})
    after = decide(plan, state, SCOPE, DecideOptions())
    assert after.videos[1].shares == "blush/short"
    assert after.videos[1].content_key == after.videos[0].content_key
    assert after.posts == 1 + 1 + 1  # one shared video, the kettle and its video


def test_quality_is_part_of_the_identity_only_when_set() -> None:
    settings = {"aspect_ratio": 0}
    plain, _ = video_identity("P1", BLUSH, settings, None)
    preview, content = video_identity("P1", BLUSH, settings, "preview")
    hd, _ = video_identity("P1", BLUSH, settings, "hd")
    assert len({plain, preview, hd}) == 3
    assert content["quality"] == "preview"


def test_values_are_shown_short() -> None:
    assert show_value("x" * 100).count("…") == 1
    assert len(show_value("x" * 100)) <= 60
    assert show_value([1, 2]) == "2 items"
    assert show_value(None) == "none"
    assert show_value(0) == "0"


def test_only_limits_the_decision(tmp_path, state) -> None:
    plan = load(tmp_path)
    decided = decide(plan, state, SCOPE, DecideOptions(only=frozenset({"kettle"})))
    assert [v.video_id for v in decided.videos] == ["kettle"]
    assert list(decided.products) == ["kettle"]
    assert decided.posts == 2
