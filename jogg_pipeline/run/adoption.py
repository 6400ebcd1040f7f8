"""What a manifest says of a campaign, as rows of the state: the products it names (as created,
with the overrides last sent) and their videos (with the settings they were made with). Pure:
`run/rebuild.py` checks these with the backend before trusting them; `plan` and `status` take
them as they are (`adopt_offline`), on a state that lives in memory."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import PipelineError
from jogg_pipeline.run.backends import NEW_ENGINE_SCOPE
from jogg_pipeline.run.content import desired_product, render_settings
from jogg_pipeline.run.decide import decide_product, video_identity, wire_body
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct, ExpandedVideo
from jogg_pipeline.spec.templates import TemplateError
from jogg_pipeline.state.records import Failure, VideoStatus
from jogg_pipeline.state.store import ProductRow, StateStore

# A manifest's word for a video, as the state's; pending ones are checked with the backend.
MANIFEST_STATUSES = {
    "success": VideoStatus.SUCCESS,
    "pending": VideoStatus.PENDING,
    "failed": VideoStatus.FAILED,
}


class ManifestUnreadable(PipelineError):
    """A manifest the state would be rebuilt from cannot be read: guessing could cost credits."""


@dataclass(frozen=True)
class AdoptedVideo:
    video_id: str
    content_key: str
    request: dict[str, Any]
    content: dict[str, Any]
    status: VideoStatus
    project_id: str | None
    error: Failure | None
    warnings: list[str]


@dataclass
class Adoption:
    """What a manifest says of one campaign, as state rows."""

    products: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = field(
        default_factory=dict
    )  # product key -> (the product as created, the overrides last sent)
    videos: dict[str, list[AdoptedVideo]] = field(default_factory=dict)  # by product key


@dataclass(frozen=True)
class Claims:
    """Ids that other campaigns' manifests name: never adopted for this one."""

    product_ids: frozenset[str] = frozenset()
    project_ids: frozenset[str] = frozenset()


def manifest_path(results_dir: Path, campaign: str) -> Path:
    return results_dir / f"{campaign}.json"


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at `path`, None when there is none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestUnreadable(
            f"{path}: cannot read the manifest the state would be rebuilt from ({error}); "
            "restore it from git, or remove it to create every product and video again"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("videos"), list):
        raise ManifestUnreadable(
            f"{path}: not a jogg-pipeline manifest; restore it from git, or remove it to "
            "create every product and video again"
        )
    return document


def claims_of_others(results_dir: Path, campaign: str) -> Claims:
    """The product and project ids named by the other campaigns' manifests."""
    products: set[str] = set()
    projects: set[str] = set()
    for path in sorted(results_dir.glob("*.json")) if results_dir.is_dir() else ():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(document, dict) or document.get("campaign") in (campaign, None):
            continue
        for video in document.get("videos") or ():
            if isinstance(video, dict):
                products.update(_text(video.get("product_id")))
                projects.update(_text(video.get("project_id")))
        for product in (document.get("products") or {}).values():
            if isinstance(product, dict):
                products.update(_text(product.get("product_id")))
    return Claims(frozenset(products), frozenset(projects))


def _text(value: Any) -> list[str]:
    return [value] if isinstance(value, str) and value else []


def from_manifest(
    plan: ExpandedCampaign, manifest: dict[str, Any] | None, quality: str | None
) -> Adoption:
    """The products and videos the manifest names for products of this spec with the same
    URL. A video made from what the spec still asks is recorded under the content key the
    decision computes for it; one made from something else under its own, so that the
    decision says what changed. Pure: nothing is checked yet."""
    adoption = Adoption()
    if not manifest or manifest.get("campaign") != plan.campaign:
        return adoption
    recorded = manifest.get("products")
    recorded = recorded if isinstance(recorded, dict) else {}
    entries: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest["videos"]:
        if isinstance(entry, dict) and isinstance(entry.get("product_key"), str):
            entries.setdefault(entry["product_key"], []).append(entry)
    videos = {video.id: video for video in plan.videos}
    for product in plan.products:
        record = recorded.get(product.key)
        if not isinstance(record, dict) or record.get("url") != product.url:
            continue
        product_id, extracted = record.get("product_id"), record.get("extracted")
        if not isinstance(product_id, str) or not isinstance(extracted, dict):
            continue
        warnings = record.get("warnings")
        created = {
            **extracted,
            "product_id": product_id,
            "url": product.fetch_url,
            "warnings": [w for w in warnings if isinstance(w, str)]
            if isinstance(warnings, list)
            else [],
        }
        sent = record.get("overrides") or None
        adoption.products[product.key] = (created, sent)
        made_from = desired_product(created, sent or {})
        row = ProductRow(plan.campaign, product.key, product.fetch_url, product_id, created, sent,
                         None, None, None)  # fmt: skip
        unchanged = decide_product(plan, product, row, refresh=False).content == made_from
        adopted = []
        for entry in entries.get(product.key, []):
            same = videos.get(str(entry.get("id"))) if unchanged else None
            found = _video(plan, product, entry, made_from, same, quality)
            if found is not None:
                adopted.append(found)
        adoption.videos[product.key] = adopted
    return adoption


def _video(
    plan: ExpandedCampaign,
    product: ExpandedProduct,
    entry: dict[str, Any],
    made_from: dict[str, Any],
    current: ExpandedVideo | None,
    quality: str | None,
) -> AdoptedVideo | None:
    settings = entry.get("settings")
    product_id = made_from["product_id"]
    if not isinstance(settings, dict) or entry.get("product_id") != product_id:
        return None
    project_id = entry.get("project_id") if isinstance(entry.get("project_id"), str) else None
    error = Failure.from_json(entry.get("error"))
    in_doubt = error is not None and error.in_doubt
    if project_id is None and not in_doubt:
        return None  # a step before the video failed: nothing was made
    shown = entry.get("status")
    status = (
        VideoStatus.REQUESTING
        if project_id is None
        else MANIFEST_STATUSES.get(shown)
        if isinstance(shown, str)
        else None
    )
    if status is None:
        return None
    made_quality = entry.get("quality") if isinstance(entry.get("quality"), str) else None
    key, content = video_identity(product_id, made_from, settings, made_quality)
    request = {"product_id": product_id, **settings}
    if current is not None and made_quality == quality:
        try:
            rendered = render_settings(current, product, plan.campaign, made_from)
            body = wire_body({"product_id": product_id, **rendered})
        except (TemplateError, ValueError):
            body = None
        if body == request:  # the spec still asks for this very video
            key, content = video_identity(product_id, made_from, rendered, quality)
    warnings = entry.get("warnings")
    return AdoptedVideo(
        video_id=str(entry.get("id")),
        content_key=key,
        request=request,
        content=content,
        status=status,
        project_id=project_id,
        error=None if in_doubt else error,
        warnings=[w for w in warnings if isinstance(w, str)] if isinstance(warnings, list) else [],
    )


def missing_products(
    plan: ExpandedCampaign, state: StateStore, scope: str
) -> list[ExpandedProduct]:
    return [p for p in plan.products if state.product(scope, plan.campaign, p.key) is None]


def adopt_offline(
    plan: ExpandedCampaign,
    state: StateStore,
    scope: str,
    manifest: dict[str, Any] | None,
    quality: str | None,
) -> int:
    """Take the manifest's word for the products the state lacks (for `plan` and `status`, on
    a state that lives in memory); how many products were taken. An in-process engine with no
    data has none of them: its folder went with the state."""
    if scope == NEW_ENGINE_SCOPE:
        return 0
    adoption = from_manifest(plan, manifest, quality)
    taken = 0
    for product in missing_products(plan, state, scope):
        if product.key not in adoption.products:
            continue
        created, sent = adoption.products[product.key]
        state.adopt_product(scope, plan.campaign, product.key, product.fetch_url, created, sent)
        for video in adoption.videos.get(product.key, []):
            record_video(state, scope, plan.campaign, product.key, video, video.status)
        taken += 1
    return taken


def record_video(
    state: StateStore,
    scope: str,
    campaign: str,
    product_key: str,
    video: AdoptedVideo,
    status: VideoStatus,
    **found: Any,
) -> None:
    state.adopt_video(
        scope,
        video.content_key,
        video.request,
        video.content,
        status=status,
        project_id=video.project_id,
        error=found.pop("error", video.error),
        warnings=found.pop("warnings", video.warnings),
        **found,
    )
    state.assign(campaign, video.video_id, scope, product_key, video.content_key)
