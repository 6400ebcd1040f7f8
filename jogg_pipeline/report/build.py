"""A report from its campaigns: each one's manifest (and the older manifest it is compared
with, if any), the project's root the manifests' paths are relative to, the state folder of
the run records, and where the page will be, which its files' addresses are relative to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jogg_pipeline.report.cards import Anchors, cards_of
from jogg_pipeline.report.changes import changes_between
from jogg_pipeline.report.locations import Locations
from jogg_pipeline.report.page import CampaignSection, render_page
from jogg_pipeline.report.sources import Manifest, latest_run
from jogg_pipeline.report.summary import summarise


@dataclass(frozen=True)
class Subject:
    """One campaign to report on, and the older manifest of it to compare with."""

    manifest: Manifest
    older: Manifest | None = None


def build_report(subjects: list[Subject], *, root: Path, state_dir: Path, page: Path) -> str:
    locations = Locations(root, page.parent)
    anchors = Anchors()
    sections = []
    for subject in subjects:
        manifest = subject.manifest
        cards = cards_of(manifest, locations, anchors)
        changes = None
        if subject.older is not None:
            changes = changes_between(
                subject.older, manifest, partial(anchors.get, manifest.campaign)
            )
        record = latest_run(state_dir, manifest.campaign)
        sections.append(
            CampaignSection(
                name=manifest.campaign,
                manifest=manifest.label,
                summary=summarise(manifest, record, _shown(state_dir, root)),
                cards=cards,
                changes=changes,
            )
        )
    return render_page(sections)


def _shown(path: Path, root: Path) -> str:
    """The state folder as the page names it: relative to the project when inside it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.absolute().as_posix()
