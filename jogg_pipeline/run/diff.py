"""What changed between two manifests: videos added and removed, and for the others a changed
status, a new video URL, or changed settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import UsageError


@dataclass
class VideoChange:
    id: str
    status: tuple[str, str] | None = None
    video_url: tuple[str | None, str | None] | None = None
    settings: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        change: dict[str, Any] = {"id": self.id}
        if self.status:
            change["status"] = {"old": self.status[0], "new": self.status[1]}
        if self.video_url:
            change["video_url"] = {"old": self.video_url[0], "new": self.video_url[1]}
        if self.settings:
            change["settings"] = {k: {"old": o, "new": n} for k, (o, n) in self.settings.items()}
        return change


@dataclass
class ManifestDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[VideoChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [{"id": v["id"], "status": v.get("status")} for v in self.added],
            "removed": [{"id": v["id"], "status": v.get("status")} for v in self.removed],
            "changed": [change.as_json() for change in self.changed],
        }


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}:{error.lineno}:{error.colno}: not a manifest: invalid JSON ({error.msg})"
        ) from None
    videos = document.get("videos") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or "manifest_version" not in document
        or not isinstance(videos, list)
        or not all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in videos)
    ):
        raise UsageError(f"{path}: not a jogg-pipeline manifest (no manifest_version and videos)")
    return document


def diff_manifests(old: dict[str, Any], new: dict[str, Any]) -> ManifestDiff:
    before = {video["id"]: video for video in old["videos"]}
    after = {video["id"]: video for video in new["videos"]}
    result = ManifestDiff()
    result.added = [after[i] for i in sorted(after.keys() - before.keys())]
    result.removed = [before[i] for i in sorted(before.keys() - after.keys())]
    for video_id in sorted(before.keys() & after.keys()):
        a, b = before[video_id], after[video_id]
        change = VideoChange(video_id)
        if a.get("status") != b.get("status"):
            change.status = (a.get("status"), b.get("status"))
        if a.get("video_url") != b.get("video_url"):
            change.video_url = (a.get("video_url"), b.get("video_url"))
        old_settings, new_settings = a.get("settings") or {}, b.get("settings") or {}
        for key in sorted(old_settings.keys() | new_settings.keys()):
            if old_settings.get(key) != new_settings.get(key):
                change.settings[key] = (old_settings.get(key), new_settings.get(key))
        if change.status or change.video_url or change.settings:
            result.changed.append(change)
    return result


def render_diff(diff: ManifestDiff) -> list[str]:
    """The diff for people, one line per video."""
    lines = [f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"]
    lines += [f"+ {v['id']} ({v.get('status')})" for v in diff.added]
    lines += [f"- {v['id']} ({v.get('status')})" for v in diff.removed]
    for change in diff.changed:
        parts = []
        if change.status:
            parts.append(f"status {change.status[0]} -> {change.status[1]}")
        if change.video_url:
            parts.append("new video" if change.video_url[1] else "video gone")
        if change.settings:
            shown = ", ".join(f"{k} {o!r} -> {n!r}" for k, (o, n) in change.settings.items())
            parts.append(f"settings: {shown}")
        lines.append(f"~ {change.id}: {'; '.join(parts)}")
    return lines
