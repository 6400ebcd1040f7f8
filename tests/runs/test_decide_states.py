"""The decision for every state a product or a video can be in: created or not, its creation
or its update failed or in doubt, a video in each status, a template or a setting that cannot
make a request. Pure: a spec loaded from a real file and a real SQLite state file."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from runs.core_kit import BLUSH, SCOPE, load_spec

from jogg_pipeline.run.decide import (
    Action,
    Change,
    DecideOptions,
    Decisions,
    decide,
    decide_product,
    what_changed,
)
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import Failure, Intent, Step, VideoStatus
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
  - url: https://shop.example.com/kettle
    key: kettle
"""
KETTLE: dict[str, Any] = {
    **BLUSH,
    "product_id": "P2",
    "url": "https://shop.example.com/kettle",
    "name": "Kettle",
}
SALE_NAME = {"name": "Blush – 20% off"}


def load(tmp_path: Path, text: str = SPEC) -> ExpandedCampaign:
    return load_spec(tmp_path, text)


@pytest.fixture
def state(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "state" / "state.sqlite3")


def made(state: StateStore) -> None:
    """Both products created, blush's override sent: nothing left to do for the products."""
    state.adopt_product(SCOPE, "sale", "blush", BLUSH["url"], BLUSH, SALE_NAME)
    state.adopt_product(SCOPE, "sale", "kettle", KETTLE["url"], KETTLE, None)


def decided(plan: ExpandedCampaign, state: StateStore, **options: Any) -> Decisions:
    return decide(plan, state, SCOPE, DecideOptions(**options))


def by_id(decisions: Decisions) -> dict[str, tuple[str, str]]:
    """Each video's action and reason."""
    return {v.video_id: (str(v.action), v.reason) for v in decisions.videos}


# --- products ---------------------------------------------------------------------------------


def test_a_product_whose_creation_failed_is_created_again_saying_why(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path)
    failure = Failure(Step.CREATE_PRODUCT, 40000, "no product on the page")
    state.product_failed(SCOPE, "sale", "blush", BLUSH["url"], failure)
    decision = decide_product(
        plan, plan.products[0], state.product(SCOPE, "sale", "blush"), refresh=False
    )
    assert decision.actions == (Action.CREATE_PRODUCT, Action.UPDATE_PRODUCT)
    assert decision.reason == "its creation failed before: no product on the page"
    assert decision.content is None  # its videos wait for the product


def test_an_update_whose_answer_was_lost_is_sent_again(tmp_path: Path, state: StateStore) -> None:
    plan = load(tmp_path)
    made(state)
    state.begin_product(SCOPE, "sale", "blush", BLUSH["url"], Intent.UPDATE, SALE_NAME)
    decision = decide_product(
        plan, plan.products[0], state.product(SCOPE, "sale", "blush"), refresh=False
    )
    assert decision.actions == (Action.UPDATE_PRODUCT,)
    assert decision.reason == "its last update's answer was lost"
    assert decision.payload == SALE_NAME
    assert decision.changes == ()  # the same fields as last sent: PUT is idempotent


def test_a_product_without_overrides_is_never_updated(tmp_path: Path, state: StateStore) -> None:
    plan = load(tmp_path)
    made(state)
    kettle = decide_product(
        plan, plan.products[1], state.product(SCOPE, "sale", "kettle"), refresh=False
    )
    assert kettle.actions == ()
    assert kettle.content == KETTLE


def test_a_created_product_whose_creation_intent_is_open_is_not_reconciled(
    tmp_path: Path, state: StateStore
) -> None:
    # A newer creation request after the product exists (e.g. --refresh) lost its answer:
    # the product known is kept, only a product never created is looked up.
    plan = load(tmp_path)
    made(state)
    state.begin_product(SCOPE, "sale", "kettle", KETTLE["url"], Intent.CREATE, {})
    kettle = decide_product(
        plan, plan.products[1], state.product(SCOPE, "sale", "kettle"), refresh=False
    )
    assert kettle.actions == ()


# --- videos in each status ----------------------------------------------------------------------

REFUSED = Failure(
    Step.CREATE_VIDEO,
    18020,
    "Insufficient credit; it was not carried out, and the next run sends it again",
)
RENDER_FAILED = Failure(Step.RENDER, 5, "the voice could not be made")
NOT_SENT = (VideoStatus.REQUESTING, VideoStatus.REFUSED)  # no project was made


@pytest.mark.parametrize(
    ("status", "error", "options", "expected"),
    [
        (VideoStatus.SUCCESS, None, {}, ("up to date", "")),
        (VideoStatus.PENDING, None, {}, ("wait", "project proj-1")),
        (
            VideoStatus.REQUESTING,
            None,
            {},
            (
                "reconcile video",
                "its request's answer was lost: looked up in the video list before anything "
                "is sent (--retry-in-doubt sends it again)",
            ),
        ),
        (
            VideoStatus.REQUESTING,
            None,
            {"retry_in_doubt": True},
            ("create video", "its answer was lost; sent again (--retry-in-doubt)"),
        ),
        (
            VideoStatus.REFUSED,
            REFUSED,
            {},
            (
                "create video",
                "not carried out last time (Insufficient credit; it was not carried out, and "
                "the next run sends it again)",
            ),
        ),
        (VideoStatus.REFUSED, None, {}, ("create video", "not carried out last time (refused)")),
        (VideoStatus.FAILED, RENDER_FAILED, {}, ("failed", "the voice could not be made")),
        (VideoStatus.FAILED, None, {}, ("failed", "the video failed")),
        (
            VideoStatus.FAILED,
            RENDER_FAILED,
            {"retry_failed": True},
            ("create video", "a failed video, requested again (--retry-failed)"),
        ),
    ],
    ids=[
        "success",
        "pending",
        "in-doubt",
        "in-doubt-retried",
        "refused",
        "refused-no-record",
        "failed",
        "failed-no-record",
        "failed-retried",
    ],
)
def test_a_video_in_each_status(
    tmp_path: Path,
    state: StateStore,
    status: VideoStatus,
    error: Failure | None,
    options: dict[str, bool],
    expected: tuple[str, str],
) -> None:
    plan = load(tmp_path)
    made(state)
    first = decided(plan, state).videos[0]
    assert first.content_key is not None and first.request is not None
    state.adopt_video(
        SCOPE, first.content_key, first.request, first.content, status=status,
        project_id=None if status in NOT_SENT else "proj-1", error=error,
    )  # fmt: skip
    now = decided(plan, state, **options)
    assert by_id(now)["blush/short"] == expected
    creates = expected[0] == "create video"
    assert now.posts == (1 if creates else 0) + 2  # and the other videos: blush/long, kettle
    assert now.credits == (1 if creates else 0) + 1 + 1


def test_failed_videos_of_a_campaign_and_the_requests_they_cost(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path)
    made(state)
    for video in decided(plan, state).videos:
        assert video.content_key is not None and video.request is not None
        state.adopt_video(
            SCOPE, video.content_key, video.request, video.content,
            status=VideoStatus.FAILED, project_id="p", error=RENDER_FAILED,
        )  # fmt: skip
    now = decided(plan, state)
    assert {v.action for v in now.videos} == {Action.FAILED}
    assert (now.posts, now.credits) == (0, 0)
    retried = decided(plan, state, retry_failed=True)
    assert (retried.posts, retried.credits) == (3, 3)


# --- a product step that fails: every video of the product says so ----------------------------


def test_an_override_that_cannot_render_fails_each_of_the_products_videos(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path, SPEC.replace("{{ product.name }}", "{{ product.details.brand }}"))
    made(state)
    now = decided(plan, state)
    blush = now.products["blush"]
    assert blush.actions == ()
    message = (
        f"{tmp_path / 'sale.yaml'}:8:13: products[0].overrides.name: 'dict object' has no "
        "attribute 'details' (product has: description, media, name, product_id, "
        "target_audience, url)"
    )
    assert blush.error == message
    assert by_id(now) == {
        "blush/short": ("failed", message),
        "blush/long": ("failed", message),
        "kettle": ("create video", "new video"),
    }
    assert (now.posts, now.credits) == (1, 1)  # only the kettle's video


def test_a_video_template_that_cannot_render_fails_that_video_alone(
    tmp_path: Path, state: StateStore
) -> None:
    text = SPEC.replace(
        "      - name: short\n", '      - name: short\n        video_name: "{{ product.colour }}"\n'
    )
    plan = load(tmp_path, text)
    made(state)
    now = decided(plan, state)
    assert by_id(now)["blush/short"] == (
        "failed",
        f"{tmp_path / 'sale.yaml'}:11:21: video_name: 'dict object' has no attribute 'colour' "
        "(product has: description, media, name, product_id, target_audience, url)",
    )
    assert by_id(now)["blush/long"] == ("create video", "new video")


def test_settings_that_make_no_valid_request_fail_the_video(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path)
    made(state)
    short = plan.videos[0]
    # No layout at all: validation refuses such a spec, so the plan is changed after loading;
    # the decision still sends nothing the API would refuse.
    settings = {k: v for k, v in short.settings.items() if k != "visual_style"}
    broken = dataclasses.replace(short, settings=settings)
    plan = dataclasses.replace(plan, videos=(broken, *plan.videos[1:]))
    assert by_id(decided(plan, state))["blush/short"] == (
        "failed",
        "blush/short: the settings are not a valid request: "
        "Value error, visual_style or template_id is required",
    )


# --- a new video for an id: what changed since the video it stood for -------------------------


def test_a_remade_video_names_the_product_id_and_the_quality_that_changed(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path)
    made(state)
    before = decided(plan, state, quality="preview").videos[0]
    assert before.content_key is not None and before.request is not None
    state.adopt_video(
        SCOPE, before.content_key, before.request, before.content,
        status=VideoStatus.SUCCESS, project_id="proj-1",
    )  # fmt: skip
    state.assign("sale", "blush/short", SCOPE, "blush", before.content_key)
    state.adopt_product(SCOPE, "sale", "blush", BLUSH["url"], {**BLUSH, "product_id": "P9"}, None)
    state.product_updated(SCOPE, "sale", "blush", SALE_NAME)

    after = decided(plan, state, quality="full").videos[0]
    assert (after.action, after.reason) == (Action.CREATE_VIDEO, "it changed")
    assert after.changes == (Change("product_id", "P1", "P9"), Change("quality", "preview", "full"))
    assert after.changes[0].describe() == 'product_id: "P1" -> "P9"'


def test_what_changed_for_a_video_made_before_its_content_was_recorded(
    tmp_path: Path, state: StateStore
) -> None:
    # A video of a state written by the first schema has no content: only its request tells.
    plan = load(tmp_path)
    made(state)
    video = decided(plan, state).videos[0]
    assert video.content_key is not None and video.request is not None
    state.adopt_video(
        SCOPE, video.content_key, {**video.request, "caption": False}, None,
        status=VideoStatus.SUCCESS, project_id="proj-1",
    )  # fmt: skip
    previous = state.video(SCOPE, video.content_key)
    assert previous is not None
    assert what_changed(previous, video.request, video.content or {}) == (
        Change("caption", False, True),
    )


def test_an_assignment_in_another_scope_is_not_this_videos_past(
    tmp_path: Path, state: StateStore
) -> None:
    plan = load(tmp_path)
    made(state)
    state.assign("sale", "blush/short", "https://other.example/v1#ffff", "blush", "elsewhere")
    assert by_id(decided(plan, state))["blush/short"] == ("create video", "new video")
