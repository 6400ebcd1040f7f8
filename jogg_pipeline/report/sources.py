"""What a report reads: manifests (from files, or from git for `--since`) and the campaign's
latest run record in the state folder, which holds what the manifest leaves out on purpose
(run time, requests)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import UsageError
from jogg_pipeline.run.diff import is_manifest, load_manifest, parse_manifest

RUNS_FOLDER = "runs"


@dataclass(frozen=True)
class Manifest:
    """A manifest's document, how the page names it (a path, or REV:path from git), and the
    file it was read from (None for one from git)."""

    document: dict[str, Any]
    label: str
    path: Path | None = None

    @property
    def campaign(self) -> str:
        return text(self.document.get("campaign")) or "?"

    @property
    def backend(self) -> str:
        return text(self.document.get("backend")) or "local"

    @property
    def videos(self) -> list[dict[str, Any]]:
        return [video for video in self.document["videos"] if isinstance(video, dict)]

    @property
    def products(self) -> dict[str, dict[str, Any]]:
        products = self.document.get("products")
        if not isinstance(products, dict):
            return {}  # a manifest from before products were recorded
        return {str(k): v for k, v in products.items() if isinstance(v, dict)}

    @property
    def spec_path(self) -> str | None:
        spec = self.document.get("spec")
        return text(spec.get("path")) if isinstance(spec, dict) else None


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`; one line (UsageError) when it is missing, unreadable, not JSON
    or not a manifest, worded as `diff` words it."""
    return Manifest(load_manifest(path), str(path), path)


def manifests_in(folder: Path, shown_folder: Path) -> list[Manifest]:
    """The manifests directly in a results folder, by name (labelled under `shown_folder`,
    the folder as messages name it). A JSON file that is not a manifest is left out, as `gc`
    leaves it; one that cannot be read, or is not JSON, stops the report with diff's words."""
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        shown = shown_folder / path.name  # relative to the current folder when that is short
        label = str(shown)
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"{label}: cannot read it ({error})") from None
        try:
            document = json.loads(content)
        except json.JSONDecodeError:
            document = parse_manifest(content, label)  # raises the line `diff` gives
        if is_manifest(document):
            found.append(Manifest(document, label, shown))
    return found


@dataclass(frozen=True)
class RunRecord:
    """A run's record (`run/session.py` writes it): when it started, how long it took, and
    the requests it sent by route (e.g. `POST /product`)."""

    started: float | None
    seconds: float | None
    interrupted: bool
    requests: dict[str, int] = field(default_factory=dict)


def latest_run(state_dir: Path | None, campaign: str) -> RunRecord | None:
    """The campaign's latest run record, or None when there is none that can be read: the
    record is a nicety of the report, never a reason to fail it."""
    if state_dir is None or not campaign or campaign in (".", "..") or "/" in campaign:
        return None
    folder = state_dir / RUNS_FOLDER / campaign
    records = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not records:
        return None
    try:
        record = json.loads(records[-1].read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict):
        return None
    requests = record.get("requests")
    sent = requests.get("sent") if isinstance(requests, dict) else None
    return RunRecord(
        started=number(record.get("started")),
        seconds=number(record.get("seconds")),
        interrupted=record.get("interrupted") is True,
        requests={
            str(route): count
            for route, count in (sent.items() if isinstance(sent, dict) else ())
            if isinstance(count, int) and not isinstance(count, bool)
        },
    )


def text(value: Any) -> str:
    """A manifest's value as text; anything that is not text (a hand-edited manifest) is ''."""
    return value if isinstance(value, str) else ""


def number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
