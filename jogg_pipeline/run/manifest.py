"""The results manifest: made to be committed and diffed. Deterministic bytes (sorted keys,
videos sorted by id, fixed indentation, a final newline); no timings and no secrets, which go
to the run record instead. It records, per product, what was sent to the backend, so that a git
diff reads as the change it is, and enough to rebuild a lost state (`run/rebuild.py`)."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jogg_pipeline.run.backends import local_file
from jogg_pipeline.run.content import desired_product, template_warnings
from jogg_pipeline.run.failures import IN_DOUBT, Shown, assigned_status
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct
from jogg_pipeline.state.records import Failure, VideoStatus
from jogg_pipeline.state.store import StateStore, VideoRow

# Fields of a created product that the manifest gives on their own, not in `extracted`.
_OWN_FIELDS = ("product_id", "url", "warnings")

MANIFEST_VERSION = 1
STATUSES = tuple(str(status) for status in Shown)


@dataclass(frozen=True)
class Where:
    """What the manifest's paths are relative to, and where the in-process engine keeps the
    files it serves (None for a remote backend, whose URLs are given as they are)."""

    root: Path
    engine_files: Path | None = None

    def path(self, path: Path) -> str:
        """A path as the manifest names it: relative to the project when inside it."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()

    def url(self, url: str | None) -> str | None:
        if self.engine_files is None:
            return url
        return local_file(self.engine_files, url, self.root)


def product_entries(
    plan: ExpandedCampaign, state: StateStore, scope: str
) -> dict[str, dict[str, Any]]:
    """Per product, what was sent to the backend."""
    return {
        product.key: _product_entry(product, state, scope, plan.campaign)
        for product in plan.products
    }


def _product_entry(
    product: ExpandedProduct, state: StateStore, scope: str, campaign: str
) -> dict[str, Any]:
    row = state.product(scope, campaign, product.key)
    entry: dict[str, Any] = {
        "url": product.url,
        "product_id": row.product_id if row else None,
        "name": None,
        "price": None,
        "media": 0,
        "overrides": {},
        "extracted": None,
        "warnings": [],
        "error": _error(row.error if row else None),
    }
    if row is not None and row.product_id and row.extracted is not None:
        current = desired_product(row.extracted, row.sent or {})
        details = current.get("details") or {}
        price = " ".join(str(details[n]) for n in ("price", "currency") if details.get(n))
        entry |= {
            "name": current.get("name"),
            "price": price or None,
            "media": len(current.get("media") or []),
            "overrides": row.sent or {},
            "extracted": {k: v for k, v in row.extracted.items() if k not in _OWN_FIELDS},
            "warnings": product_warnings(product, row.extracted),
        }
    return entry


def product_warnings(product: ExpandedProduct, extracted: dict[str, Any]) -> list[str]:
    """What the backend said of the product, and the override templates that read an empty
    field of it."""
    return [*(extracted.get("warnings") or []), *template_warnings(product, extracted)]


def video_entries(
    plan: ExpandedCampaign, state: StateStore, scope: str, where: Where
) -> list[dict[str, Any]]:
    """Where each video of the spec stands, from the state."""
    assignments = state.assignments(plan.campaign)
    products = {p.key: p for p in plan.products}
    product_rows = {key: state.product(scope, plan.campaign, key) for key in products}
    entries = []
    for video in sorted(plan.videos, key=lambda v: v.id):
        product = products[video.product_key]
        product_row = product_rows[product.key]
        warnings: list[str] = []
        if product_row is not None and product_row.extracted is not None:
            current = desired_product(product_row.extracted, product_row.sent or {})
            warnings = [
                *product_warnings(product, product_row.extracted),
                *template_warnings(product, current, video),
            ]
        entry: dict[str, Any] = {
            "id": video.id,
            "product_key": product.key,
            "url": product.url,
            "product_id": product_row.product_id if product_row else None,
            "project_id": None,
            "settings": dict(video.settings),
            "status": str(Shown.PENDING),
            "video_url": None,
            "cover_url": None,
            "duration": None,
            "error": None,
            "warnings": warnings,
        }
        assignment = assignments.get(video.id)
        if assignment is not None and assignment.scope == scope:
            key = assignment.content_key
            row = None if key is None else state.video(scope, key)
            entry["status"] = str(assigned_status(assignment, row))
            if key is None:
                entry["error"] = _error(assignment.error)
            elif row is not None:
                _fill_from_video(entry, state, scope, row, where)
        entries.append(entry)
    return entries


def _fill_from_video(
    entry: dict[str, Any], state: StateStore, scope: str, row: VideoRow, where: Where
) -> None:
    entry["settings"] = {k: v for k, v in row.request.items() if k != "product_id"}
    entry["project_id"] = row.project_id
    quality = (row.content or {}).get("quality")
    if quality is not None:
        entry["quality"] = quality
    entry["warnings"] = [*entry["warnings"], *row.warnings]
    if row.status is VideoStatus.REQUESTING:
        entry["error"] = _error(IN_DOUBT)
    elif row.status is VideoStatus.SUCCESS:
        entry["video_url"] = where.url(row.video_url)
        entry["cover_url"] = where.url(row.cover_url)
        entry["duration"] = row.duration
    elif row.status in (VideoStatus.FAILED, VideoStatus.REFUSED):
        entry["error"] = _error(row.error)
    for path, sha256 in state.downloads_of(scope, row.content_key):
        entry["file"] = path
        entry["sha256"] = sha256


def _error(record: Failure | None) -> dict[str, Any] | None:
    return None if record is None else record.as_json()


def build_manifest(
    plan: ExpandedCampaign, state: StateStore, *, backend: str, scope: str, where: Where
) -> dict[str, Any]:
    videos = video_entries(plan, state, scope, where)
    counts = Counter(video["status"] for video in videos)
    return {
        "manifest_version": MANIFEST_VERSION,
        "campaign": plan.campaign,
        "backend": backend,
        "spec": {"path": where.path(plan.spec_path), "sha256": plan.spec_sha256},
        "products": product_entries(plan, state, scope),
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
