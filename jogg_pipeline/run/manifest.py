"""The results manifest: made to be committed and diffed. Deterministic bytes (sorted keys,
videos sorted by id, fixed indentation, a final newline); no timings and no secrets, which go
to the run record instead."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from jogg_pipeline.run.backends import public_url
from jogg_pipeline.spec.expand import CampaignPlan
from jogg_pipeline.state.store import FAILED, PENDING, REQUESTING, SUCCESS, StateStore

MANIFEST_VERSION = 1
STATUSES = ("success", "failed", "pending")
IN_DOUBT = {
    "step": "create_video",
    "code": "in_doubt",
    "msg": "the request was sent but its answer was lost, so the video may exist already; "
    "run with --retry-in-doubt to send it again",
}


def display_path(path: Path) -> str:
    """The spec's path as the manifest names it: relative to the working folder if inside."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def video_entries(plan: CampaignPlan, state: StateStore, scope: str) -> list[dict[str, Any]]:
    """Where each video of the spec stands, from the state."""
    assignments = state.assignments(plan.campaign)
    products = {p.key: p for p in plan.products}
    entries = []
    for video in sorted(plan.videos, key=lambda v: v.id):
        product = products[video.product_key]
        product_row = state.product(scope, plan.campaign, product.key)
        entry: dict[str, Any] = {
            "id": video.id,
            "product_key": product.key,
            "url": product.url,
            "product_id": product_row.product_id if product_row else None,
            "project_id": None,
            "settings": dict(video.settings),
            "status": "pending",
            "video_url": None,
            "cover_url": None,
            "duration": None,
            "error": None,
        }
        assignment = assignments.get(video.id)
        if assignment is not None and assignment.scope == scope:
            if assignment.content_key is None:
                entry["error"] = assignment.error
                in_doubt = (assignment.error or {}).get("code") == "in_doubt"
                entry["status"] = "pending" if in_doubt else "failed"
            else:
                _fill_from_video(entry, state, scope, assignment.content_key)
        entries.append(entry)
    return entries


def _fill_from_video(entry: dict[str, Any], state: StateStore, scope: str, key: str) -> None:
    row = state.video(scope, key)
    if row is None:
        return
    entry["settings"] = {k: v for k, v in row.request.items() if k != "product_id"}
    entry["project_id"] = row.project_id
    if row.status == REQUESTING:
        entry["error"] = IN_DOUBT
    elif row.status == PENDING:
        pass
    elif row.status == SUCCESS:
        entry["status"] = "success"
        entry["video_url"] = public_url(scope, row.video_url)
        entry["cover_url"] = public_url(scope, row.cover_url)
        entry["duration"] = row.duration
    elif row.status == FAILED:
        entry["status"] = "failed"
        entry["error"] = row.error
    for path, sha256 in state.downloads_of(scope, key):
        entry["file"] = path
        entry["sha256"] = sha256


def build_manifest(
    plan: CampaignPlan, state: StateStore, *, backend: str, scope: str
) -> dict[str, Any]:
    videos = video_entries(plan, state, scope)
    counts = Counter(video["status"] for video in videos)
    return {
        "manifest_version": MANIFEST_VERSION,
        "campaign": plan.campaign,
        "backend": backend,
        "spec": {"path": display_path(plan.spec_path), "sha256": plan.spec_sha256},
        "videos": videos,
        "summary": {status: counts.get(status, 0) for status in STATUSES},
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Readers never see half a file, and a crash leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
