"""What a run would do, video by video, computed from the spec and the state alone: it sends
nothing, so it can be shown before any credit is spent."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from jogg_pipeline.run.content import (
    content_key,
    desired_product,
    render_overrides,
    render_settings,
)
from jogg_pipeline.spec.expand import CampaignPlan, VideoPlan
from jogg_pipeline.spec.templates import TemplateError
from jogg_pipeline.state.store import FAILED, PENDING, REQUESTING, SUCCESS, StateStore

CREATE_PRODUCT = "create product"
RECONCILE_PRODUCT = "reconcile product"
UPDATE_PRODUCT = "update product"
CREATE_VIDEO = "create video"
WAIT = "wait"
UP_TO_DATE = "up to date"
FAILED_ACTION = "failed"
IN_DOUBT = "in doubt"

CREDIT_SECONDS = 120  # one credit per started 2 minutes of video


@dataclass(frozen=True)
class VideoStep:
    video_id: str
    actions: tuple[str, ...]
    reason: str = ""


@dataclass
class RunPlan:
    campaign: str
    steps: list[VideoStep] = field(default_factory=list)
    posts: int = 0  # requests the rate limit counts: product creations and updates, videos
    credits: int = 0

    def seconds_at_rate(self, per_window: int, window: float) -> float:
        """The least time the POST limit allows for this many requests."""
        if self.posts <= per_window:
            return 0.0
        return math.ceil(self.posts / per_window - 1) * window


def video_credits(video_length: str | int) -> int:
    return max(1, math.ceil(int(video_length) / CREDIT_SECONDS))


def plan_run(
    plan: CampaignPlan,
    state: StateStore,
    scope: str,
    *,
    only: frozenset[str] | None = None,
    refresh: bool = False,
    retry_failed: bool = False,
    retry_in_doubt: bool = False,
) -> RunPlan:
    result = RunPlan(plan.campaign)
    products = {p.key: p for p in plan.products}
    product_actions: dict[str, tuple[str, ...]] = {}
    product_content: dict[str, dict | None] = {}
    for key, product in products.items():
        row = state.product(scope, plan.campaign, key)
        actions: list[str] = []
        content = None
        if row is not None and row.intent == "create" and not row.product_id:
            actions.append(RECONCILE_PRODUCT)
        elif row is None or not row.product_id or row.url != product.fetch_url or refresh:
            actions.append(CREATE_PRODUCT)
        if not actions and row is not None and row.extracted is not None:
            try:
                overrides = render_overrides(product, plan.campaign, row.extracted)
            except TemplateError:
                overrides = None
            if overrides is not None and (
                row.intent == "update" or (overrides and (row.sent or {}) != overrides)
            ):
                actions.append(UPDATE_PRODUCT)
            if overrides is not None:
                content = desired_product(row.extracted, overrides)
        elif product.overrides:
            actions.append(UPDATE_PRODUCT)
        product_actions[key] = tuple(actions)
        product_content[key] = content
    counted: set[str] = set()
    for video in plan.videos:
        if only is not None and video.id not in only:
            continue
        actions = product_actions[video.product_key]
        if video.product_key not in counted:
            counted.add(video.product_key)
            result.posts += sum(a in (CREATE_PRODUCT, UPDATE_PRODUCT) for a in actions)
        step = _video_step(
            video,
            plan,
            state,
            scope,
            actions,
            product_content[video.product_key],
            retry_failed=retry_failed,
            retry_in_doubt=retry_in_doubt,
        )
        if CREATE_VIDEO in step.actions:
            result.posts += 1
            result.credits += video_credits(video.settings["video_length"])
        result.steps.append(step)
    return result


def _video_step(
    video: VideoPlan,
    plan: CampaignPlan,
    state: StateStore,
    scope: str,
    product_actions: tuple[str, ...],
    product: dict | None,
    *,
    retry_failed: bool,
    retry_in_doubt: bool,
) -> VideoStep:
    if product is None:  # the product is not known yet: its video will be new
        return VideoStep(video.id, (*product_actions, CREATE_VIDEO, WAIT))
    products = {p.key: p for p in plan.products}
    try:
        settings = render_settings(video, products[video.product_key], plan.campaign, product)
    except TemplateError as error:
        return VideoStep(video.id, (*product_actions, FAILED_ACTION), str(error))
    row = state.video(scope, content_key(product["product_id"], product, settings))
    if row is None:
        return VideoStep(video.id, (*product_actions, CREATE_VIDEO, WAIT))
    if row.status == SUCCESS:
        return VideoStep(
            video.id, (*product_actions, UP_TO_DATE) if product_actions else (UP_TO_DATE,)
        )
    if row.status == PENDING:
        return VideoStep(video.id, (*product_actions, WAIT))
    if row.status == REQUESTING:
        if retry_in_doubt:
            return VideoStep(video.id, (*product_actions, CREATE_VIDEO, WAIT), "in doubt")
        return VideoStep(
            video.id,
            (*product_actions, IN_DOUBT),
            "its request's answer was lost (--retry-in-doubt sends it again)",
        )
    if row.status == FAILED and retry_failed:
        return VideoStep(video.id, (*product_actions, CREATE_VIDEO, WAIT), "retrying")
    reason = (row.error or {}).get("msg", "")
    return VideoStep(video.id, (*product_actions, FAILED_ACTION), reason)
