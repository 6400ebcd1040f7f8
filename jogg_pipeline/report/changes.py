"""What changed between two manifests of a campaign, as lines of the page's changes view. The
reasoning is `diff`'s own (`run/diff.py`); this only lays its findings out as list items that
link to the cards of the videos they name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jogg_pipeline.report.sources import Manifest
from jogg_pipeline.run.diff import (
    TEXT,
    ManifestDiff,
    describe_product,
    describe_video,
    diff_manifests,
    summary,
)

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class ChangeLine:
    kind: str  # added | removed | changed
    item: str  # "product blush", or a video id
    details: str
    anchor: str | None = None  # the card of the video, when the newer manifest has it


@dataclass
class CampaignChanges:
    campaign: str
    old_label: str
    new_label: str
    summary: str
    lines: list[ChangeLine] = field(default_factory=list)


def changes_between(
    old: Manifest, new: Manifest, anchor_of: Callable[[str], str | None]
) -> CampaignChanges:
    diff = diff_manifests(old.document, new.document, old_label=old.label, new_label=new.label)
    lines = _lines(diff, anchor_of)
    return CampaignChanges(new.campaign, old.label, new.label, summary(diff), lines)


def _lines(diff: ManifestDiff, anchor_of: Callable[[str], str | None]) -> list[ChangeLine]:
    lines = [
        ChangeLine(ADDED, f"product {key}", TEXT.value(product.get("name")))
        for key, product in diff.products_added.items()
    ]
    lines += [
        ChangeLine(REMOVED, f"product {key}", TEXT.value(product.get("name")))
        for key, product in diff.products_removed.items()
    ]
    lines += [
        ChangeLine(CHANGED, f"product {change.key}", describe_product(change))
        for change in diff.products_changed
    ]
    lines += [
        ChangeLine(ADDED, str(video["id"]), f"status {video.get('status')}", anchor_of(video["id"]))
        for video in diff.added
    ]
    lines += [
        ChangeLine(REMOVED, str(video["id"]), f"status {video.get('status')}")
        for video in diff.removed
    ]
    lines += [
        ChangeLine(CHANGED, change.id, describe_video(change), anchor_of(change.id))
        for change in diff.changed
    ]
    return lines
