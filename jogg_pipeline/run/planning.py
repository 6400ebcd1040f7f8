"""The decision for whole campaigns as `plan` shows it and saves it, worked out on a copy of the
state in memory: a plan never creates or changes anything, not even the state folder. Products
the state lacks are taken from the manifests, as a run would rebuild them (a run checks them with
the backend first). A saved plan (`plan -o`) is carried out by `run --plan` only while the same
decision still stands."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import UsageError
from jogg_pipeline.quantities import Rate
from jogg_pipeline.run.adoption import adopt_offline, manifest_path, read_manifest
from jogg_pipeline.run.decide import DecideOptions, Decisions, decide
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.store import StateStore

PLAN_VERSION = 1


@dataclass(frozen=True)
class CampaignContext:
    """What a campaign's decision depends on beyond the spec and the state."""

    scope: str
    quality: str | None  # part of a video's identity on the in-process engine
    rate: Rate | None  # the POST limit the time estimate uses
    credits: bool  # whether videos cost credits on this backend


@dataclass
class CampaignDecisions:
    plan: ExpandedCampaign
    context: CampaignContext
    decisions: Decisions
    rebuilt_from: Path | None  # the manifest products were taken from, if any


def state_copy(state_file: Path) -> StateStore:
    """The state as it is now, in memory; empty when there is none yet."""
    return StateStore.in_memory(state_file if state_file.exists() else None)


def decide_campaigns(
    plans: list[ExpandedCampaign],
    contexts: dict[str, CampaignContext],
    state: StateStore,
    results_dir: Path,
    options: DecideOptions,
) -> list[CampaignDecisions]:
    """Each campaign's decision; `state` (a copy) gains what the manifests say."""
    decided = []
    for plan in plans:
        context = contexts[plan.campaign]
        path = manifest_path(results_dir, plan.campaign)
        taken = adopt_offline(plan, state, context.scope, read_manifest(path), context.quality)
        decisions = decide(plan, state, context.scope, replace(options, quality=context.quality))
        decided.append(CampaignDecisions(plan, context, decisions, path if taken else None))
    return decided


def document(decided: list[CampaignDecisions], where: Path) -> dict[str, Any]:
    """The plan as JSON: for people's tools, and what `plan -o` saves."""
    campaigns = []
    for item in decided:
        decisions, context = item.decisions, item.context
        rate = context.rate
        campaigns.append(
            {
                "campaign": item.plan.campaign,
                "backend": item.plan.backend,
                "spec": {
                    "path": _shown(item.plan.spec_path, where),
                    "sha256": item.plan.spec_sha256,
                },
                "rebuilt_from": _shown(item.rebuilt_from, where) if item.rebuilt_from else None,
                "products": [
                    {
                        "key": d.key,
                        "actions": [str(a) for a in d.actions],
                        "reason": d.error or d.reason,
                        "changes": [c.as_json() for c in d.changes],
                    }
                    for d in decisions.products.values()
                ],
                "videos": [
                    {
                        "id": v.video_id,
                        "actions": [str(a) for a in decisions.actions_of(v)],
                        "reason": v.reason,
                        "changes": [c.as_json() for c in v.changes],
                        "shares": v.shares,
                    }
                    for v in decisions.videos
                ],
                "totals": {
                    "posts": decisions.posts,
                    "credits": decisions.credits if context.credits else None,
                    "seconds_at_rate_limit": rate.minimum_time(decisions.posts) if rate else 0.0,
                    "rate_limit": str(rate) if rate else None,
                },
            }
        )
    return {"plan_version": PLAN_VERSION, "campaigns": campaigns}


def _shown(path: Path, where: Path) -> str:
    try:
        return path.resolve().relative_to(where.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


# --- saved plans ------------------------------------------------------------------------------


def saved_options(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A saved plan and the options it was made with."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--plan {path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"--plan {path}: not a saved plan ({error})") from None
    if (
        not isinstance(saved, dict)
        or saved.get("plan_version") != PLAN_VERSION
        or not isinstance(saved.get("campaigns"), list)
        or not isinstance(saved.get("options"), dict)
    ):
        raise UsageError(
            f"--plan {path}: not a plan saved by `jogg-pipeline plan -o` (plan_version "
            f"{PLAN_VERSION})"
        )
    return saved, saved["options"]


def stale_reasons(saved: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between a saved plan and the plan now; empty when it still stands."""
    before = {c["campaign"]: c for c in saved["campaigns"] if isinstance(c, dict)}
    after = {c["campaign"]: c for c in now["campaigns"]}
    reasons = []
    for name in sorted(before.keys() ^ after.keys()):
        reasons.append(f"campaign {name!r} {'is new' if name in after else 'is gone'}")
    for name in sorted(before.keys() & after.keys()):
        old, new = before[name], after[name]
        if old.get("spec", {}).get("sha256") != new["spec"]["sha256"]:
            reasons.append(f"{name}: its spec {new['spec']['path']} changed")
            continue
        old_videos = {v.get("id"): v for v in old.get("videos", []) if isinstance(v, dict)}
        for video in new["videos"]:
            was = old_videos.get(video["id"])
            if was is None or was.get("actions") != video["actions"]:
                then = ", ".join(was.get("actions", [])) if was else "not planned"
                reasons.append(
                    f"{name}: {video['id']} was planned as {then!r}, now "
                    f"{', '.join(video['actions'])!r}"
                )
        if not reasons and old.get("products") != new["products"]:
            reasons.append(f"{name}: its products' changes are not the ones planned")
    return reasons
