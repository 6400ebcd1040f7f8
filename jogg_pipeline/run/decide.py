"""The one decision: what happens to each product and video of a campaign, computed from the spec
and the state alone. `plan` prints it; `run` carries it out, asking again once a product it
created is known, so the two cannot disagree. Pure: it reads the state and sends nothing."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from pydantic import ValidationError

from jogg_pipeline.run.content import (
    PRODUCT_FIELDS,
    content_key,
    desired_product,
    render_overrides,
    render_settings,
)
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct, ExpandedVideo
from jogg_pipeline.spec.templates import TemplateError
from jogg_pipeline.state.records import Intent, VideoStatus
from jogg_pipeline.state.store import Assignment, ProductRow, VideoRow
from jogg_pipeline.wire.models import CreateVideoRequest

CREDIT_SECONDS = 120  # one credit per started 2 minutes of video


class Action(StrEnum):
    CREATE_PRODUCT = "create product"
    RECONCILE_PRODUCT = "reconcile product"  # its creation's answer was lost: look it up first
    UPDATE_PRODUCT = "update product"
    CREATE_VIDEO = "create video"
    RECONCILE_VIDEO = "reconcile video"  # its request's answer was lost: look it up first
    WAIT = "wait"
    UP_TO_DATE = "up to date"
    FAILED = "failed"


POST_ACTIONS = (Action.CREATE_PRODUCT, Action.UPDATE_PRODUCT, Action.CREATE_VIDEO)


class StateView(Protocol):
    """What the decision reads of the state."""

    def product(self, scope: str, campaign: str, key: str) -> ProductRow | None: ...

    def video(self, scope: str, content_key: str) -> VideoRow | None: ...

    def assignment(self, campaign: str, video_id: str) -> Assignment | None: ...


@dataclass(frozen=True)
class Change:
    """One field that changes, with its value before and after."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        return f"{self.field}: {show_value(self.old)} -> {show_value(self.new)}"

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def show_value(value: Any, limit: int = 60) -> str:
    """A value as one short readable piece of a line."""
    if isinstance(value, list):
        return f"{len(value)} item{'s' * (len(value) != 1)}"
    if value is None:
        return "none"
    text = f'"{value}"' if isinstance(value, str) else str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        half = (limit - 1) // 2
        text = f"{text[:half]}…{text[-half:]}"
    return text


@dataclass(frozen=True)
class ProductDecision:
    key: str
    actions: tuple[Action, ...] = ()
    reason: str = ""
    changes: tuple[Change, ...] = ()
    extracted: dict[str, Any] | None = None  # the product as created, once it exists
    overrides: dict[str, Any] | None = None  # rendered, once the product exists
    payload: dict[str, Any] | None = None  # the fields an update sends
    error: str | None = None  # a template that cannot render against the product

    @property
    def content(self) -> dict[str, Any] | None:
        """The product as its videos will see it; None until it exists."""
        if self.extracted is None or self.overrides is None:
            return None
        return desired_product(self.extracted, self.overrides)


@dataclass(frozen=True)
class VideoDecision:
    video_id: str
    product_key: str
    action: Action
    reason: str = ""
    changes: tuple[Change, ...] = ()  # for a new video: what makes it differ from its last one
    content_key: str | None = None
    request: dict[str, Any] | None = None  # the create_video_from_url body, when known
    content: dict[str, Any] | None = None  # what else makes the video (product, quality)
    shares: str | None = None  # the video of this campaign it is made once with
    credits: int = 0


@dataclass
class Decisions:
    campaign: str
    products: dict[str, ProductDecision] = field(default_factory=dict)
    videos: list[VideoDecision] = field(default_factory=list)

    @property
    def posts(self) -> int:
        """The requests the rate limit counts: product creations and updates, videos."""
        product_posts = sum(
            action in POST_ACTIONS
            for key in {video.product_key for video in self.videos}
            for action in self.products[key].actions
        )
        return product_posts + sum(v.action is Action.CREATE_VIDEO for v in self.videos)

    @property
    def credits(self) -> int:
        return sum(video.credits for video in self.videos if video.action is Action.CREATE_VIDEO)

    def actions_of(self, video: VideoDecision) -> tuple[str, ...]:
        return (*self.products[video.product_key].actions, video.action)


@dataclass(frozen=True)
class DecideOptions:
    only: frozenset[str] | None = None
    refresh: bool = False
    retry_failed: bool = False
    retry_in_doubt: bool = False
    quality: str | None = None  # the in-process engine's render quality: part of a video


def video_credits(video_length: str | int) -> int:
    return max(1, math.ceil(int(video_length) / CREDIT_SECONDS))


def wire_body(request: Mapping[str, Any]) -> dict[str, Any]:
    """A create_video_from_url body as it is sent and recorded (ValueError if invalid)."""
    try:
        model = CreateVideoRequest.model_validate(dict(request))
    except ValidationError as error:
        raise ValueError(str(error.errors()[0]["msg"])) from None
    return model.model_dump(mode="json", exclude_none=True)


def video_identity(
    product_id: str, product: Mapping[str, Any], settings: Mapping[str, Any], quality: str | None
) -> tuple[str, dict[str, Any]]:
    """A video's content key, and the content (beside its settings) that it stands for."""
    identity_settings = dict(settings) if quality is None else {**settings, "quality": quality}
    content: dict[str, Any] = {"product": {name: product.get(name) for name in PRODUCT_FIELDS}}
    if quality is not None:
        content["quality"] = quality
    return content_key(product_id, product, identity_settings), content


# --- products ---------------------------------------------------------------------------------


def decide_product(
    campaign: ExpandedCampaign, product: ExpandedProduct, row: ProductRow | None, *, refresh: bool
) -> ProductDecision:
    """Create, reconcile, update or keep this product."""
    then_update = (Action.UPDATE_PRODUCT,) if product.overrides else ()
    if row is not None and row.intent is Intent.CREATE and not row.product_id:
        return ProductDecision(
            product.key,
            (Action.RECONCILE_PRODUCT, *then_update),
            "its creation's answer was lost: looked up by its URL before anything is sent",
        )
    if row is None or not row.product_id or row.extracted is None:
        reason = "new product"
        if row is not None and row.error:
            reason = f"its creation failed before: {row.error.msg}"
        return ProductDecision(product.key, (Action.CREATE_PRODUCT, *then_update), reason)
    if row.url != product.fetch_url:
        return ProductDecision(
            product.key,
            (Action.CREATE_PRODUCT, *then_update),
            f"its URL changed from {row.url}",
        )
    if refresh:
        return ProductDecision(
            product.key, (Action.CREATE_PRODUCT, *then_update), "extracted again (--refresh)"
        )
    try:
        overrides = render_overrides(product, campaign.campaign, row.extracted)
    except TemplateError as error:
        return ProductDecision(product.key, (), extracted=row.extracted, error=str(error))
    sent = row.sent or {}
    # A field no longer overridden goes back to its value as extracted.
    payload = {**{name: row.extracted.get(name) for name in sent}, **overrides}
    changes = tuple(
        Change(name, sent.get(name, row.extracted.get(name)), payload[name])
        for name in sorted(payload)
        if sent.get(name, row.extracted.get(name)) != payload[name]
    )
    # An update whose answer was lost is sent again: PUT is idempotent.
    if row.intent is Intent.UPDATE or sent != overrides:
        reason = "its last update's answer was lost" if row.intent is Intent.UPDATE else ""
        return ProductDecision(
            product.key,
            (Action.UPDATE_PRODUCT,),
            reason,
            changes,
            extracted=row.extracted,
            overrides=overrides,
            payload={name: value for name, value in payload.items() if value is not None},
        )
    return ProductDecision(product.key, extracted=row.extracted, overrides=overrides)


# --- videos -----------------------------------------------------------------------------------


def decide_videos(
    campaign: ExpandedCampaign,
    product: ExpandedProduct,
    videos: Iterable[ExpandedVideo],
    decision: ProductDecision,
    state: StateView,
    scope: str,
    options: DecideOptions,
) -> list[VideoDecision]:
    """The videos of one product, in spec order: the first of several with the very same
    content is requested, the others share it."""
    owners: dict[Any, VideoDecision] = {}
    decided: list[VideoDecision] = []
    for video in videos:
        credits = video_credits(video.settings["video_length"])
        if decision.error is not None:
            decided.append(
                VideoDecision(video.id, product.key, Action.FAILED, decision.error, credits=credits)
            )
            continue
        content = decision.content
        if content is None:  # the product does not exist yet: its videos will all be new
            same = _frozen(video.settings)
            owner = owners.get(same)
            if owner is not None:
                decided.append(_shared(video, owner, credits))
                continue
            made = VideoDecision(
                video.id, product.key, Action.CREATE_VIDEO, "new product", credits=credits
            )
            owners[same] = made
            decided.append(made)
            continue
        try:
            settings = render_settings(video, product, campaign.campaign, content)
        except TemplateError as error:
            decided.append(
                VideoDecision(video.id, product.key, Action.FAILED, str(error), credits=credits)
            )
            continue
        product_id = content["product_id"]
        try:
            body = wire_body({"product_id": product_id, **settings})
        except ValueError as error:
            reason = f"{video.id}: the settings are not a valid request: {error}"
            decided.append(VideoDecision(video.id, product.key, Action.FAILED, reason))
            continue
        key, identity = video_identity(product_id, content, settings, options.quality)
        owner = owners.get(key)
        if owner is not None:
            decided.append(_shared(video, owner, credits))
            continue
        made = _video_decision(
            video,
            product.key,
            key,
            body,
            identity,
            state.video(scope, key),
            _previous(state.assignment(campaign.campaign, video.id), state, scope, key),
            options,
            credits,
        )
        owners[key] = made
        decided.append(made)
    return decided


def _frozen(settings: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((name, repr(value)) for name, value in settings.items()))


def _shared(video: ExpandedVideo, owner: VideoDecision, credits: int) -> VideoDecision:
    action = Action.WAIT if owner.action is Action.CREATE_VIDEO else owner.action
    return VideoDecision(
        video.id,
        owner.product_key,
        action,
        f"the same video as {owner.video_id}",
        content_key=owner.content_key,
        request=owner.request,
        content=owner.content,
        shares=owner.video_id,
        credits=credits,
    )


def _previous(
    assignment: Assignment | None, state: StateView, scope: str, key: str
) -> VideoRow | None:
    """The video this id stood for before, if it stood for another one."""
    if assignment is None or assignment.scope != scope or not assignment.content_key:
        return None
    if assignment.content_key == key:
        return None
    return state.video(scope, assignment.content_key)


def _video_decision(
    video: ExpandedVideo,
    product_key: str,
    key: str,
    request: dict[str, Any],
    content: dict[str, Any],
    row: VideoRow | None,
    previous: VideoRow | None,
    options: DecideOptions,
    credits: int,
) -> VideoDecision:
    def decided(
        action: Action, reason: str = "", changes: tuple[Change, ...] = ()
    ) -> VideoDecision:
        return VideoDecision(
            video.id, product_key, action, reason, changes, key, request, content, None, credits
        )

    if row is None:
        changes = what_changed(previous, request, content) if previous else ()
        reason = "new video" if previous is None else "it changed"
        return decided(Action.CREATE_VIDEO, reason, changes)
    if row.status is VideoStatus.SUCCESS:
        return decided(Action.UP_TO_DATE)
    if row.status is VideoStatus.PENDING:
        return decided(Action.WAIT, f"project {row.project_id}")
    if row.status is VideoStatus.REQUESTING:
        if options.retry_in_doubt:
            return decided(
                Action.CREATE_VIDEO, "its answer was lost; sent again (--retry-in-doubt)"
            )
        return decided(
            Action.RECONCILE_VIDEO,
            "its request's answer was lost: looked up in the video list before anything is "
            "sent (--retry-in-doubt sends it again)",
        )
    if row.status is VideoStatus.REFUSED:
        msg = row.error.msg if row.error else "refused"
        return decided(Action.CREATE_VIDEO, f"not carried out last time ({msg})")
    if row.status is VideoStatus.FAILED and options.retry_failed:
        return decided(Action.CREATE_VIDEO, "a failed video, requested again (--retry-failed)")
    return decided(Action.FAILED, row.error.msg if row.error else "the video failed")


def what_changed(
    previous: VideoRow, request: Mapping[str, Any], content: Mapping[str, Any]
) -> tuple[Change, ...]:
    """Why a video id needs a new video: the settings and product fields that differ from the
    video it stood for before."""
    changes = [
        Change(name, previous.request.get(name), request.get(name))
        for name in sorted(previous.request.keys() | request.keys())
        if name != "product_id" and previous.request.get(name) != request.get(name)
    ]
    if previous.request.get("product_id") != request.get("product_id"):
        changes.append(
            Change("product_id", previous.request.get("product_id"), request.get("product_id"))
        )
    before = (previous.content or {}).get("product", {})
    after = content.get("product", {})
    if previous.content is not None:
        changes += [
            Change(f"product {name}", before.get(name), after.get(name))
            for name in PRODUCT_FIELDS
            if before.get(name) != after.get(name)
        ]
        old_quality, new_quality = previous.content.get("quality"), content.get("quality")
        if old_quality != new_quality:
            changes.append(Change("quality", old_quality, new_quality))
    return tuple(changes)


# --- a whole campaign -------------------------------------------------------------------------


def decide(
    campaign: ExpandedCampaign, state: StateView, scope: str, options: DecideOptions
) -> Decisions:
    """What a run with these options would do, product by product and video by video."""
    result = Decisions(campaign.campaign)
    by_product: dict[str, list[ExpandedVideo]] = {}
    for video in campaign.videos:
        if options.only is None or video.id in options.only:
            by_product.setdefault(video.product_key, []).append(video)
    for product in campaign.products:
        videos = by_product.get(product.key)
        if not videos:
            continue
        row = state.product(scope, campaign.campaign, product.key)
        decision = decide_product(campaign, product, row, refresh=options.refresh)
        result.products[product.key] = decision
        result.videos += decide_videos(campaign, product, videos, decision, state, scope, options)
    return result
