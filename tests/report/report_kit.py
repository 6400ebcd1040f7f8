"""Helpers of the report tests: manifests written as a run writes them, a real local run of a
small campaign with its report, and the system's Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from runs.run_kit import Campaign, make_campaign, run_cli
from support.cli import CliResult, run_in_process

# Debian's Chromium, never a browser Playwright downloads (`.ci/run` installs it).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Two products of two videos each, in two languages, aspect ratios and script styles, and a
# product whose page has nothing to extract, so that its video fails.
SPEC = """\
version: 1
campaign: nightly
vars:
  discount: 20
defaults:
  video_length: 15
  aspect_ratio: square
products:
  - url: pages/happy-booster-blush.html
    key: blush
    overrides:
      name: "{{ product.name }} – {{ vars.discount }}% off"
    videos:
      - name: short
      - name: wide
        aspect_ratio: landscape
        language: spanish
  - url: pages/studio-wireless-headphones.html
    key: headphones
    overrides:
      target_audience: Commuters
    videos:
      - name: short
        script_style: Soft Selling
      - name: wide
        aspect_ratio: landscape
  - url: pages/retired.html
    key: retired
"""
CHANGED_SPEC = SPEC.replace("% off", "% off today")


@dataclass(frozen=True)
class ReportedRuns:
    """Two real runs of the campaign (the second after an override changed) and the report of
    the second compared with the first."""

    campaign: Campaign
    first: CliResult
    older: Path  # the manifest the first run wrote
    page: Path

    @property
    def url(self) -> str:
        return self.page.as_uri()


def run_twice_and_report(root: Path) -> ReportedRuns:
    """`run --report`, a changed override, another run, then `report OLD NEW`."""
    campaign = make_campaign(root, SPEC)
    (campaign.folder / "pages" / "retired.html").write_text("<html><body></body></html>")
    first = run_cli(campaign, "--report")
    assert first.returncode == 1, first.stderr  # the retired product's video failed
    older = root / "first-run.json"
    shutil.copyfile(campaign.manifest, older)
    campaign.spec.write_text(CHANGED_SPEC, encoding="utf-8")
    second = run_cli(campaign)
    assert second.returncode == 1, second.stderr
    page = campaign.results / "report.html"
    # Named as people name them, from the folder the campaign is in: the page shows them.
    manifests = (older.relative_to(root), campaign.manifest.relative_to(root))
    reported = run_in_process(
        "report", *manifests, "--state-dir", campaign.state_dir, "-o", page, cwd=root
    )
    assert reported.returncode == 0, reported.stderr
    return ReportedRuns(campaign, first, older, page)


def shared_runs(factory: pytest.TempPathFactory) -> ReportedRuns:
    """`run_twice_and_report` once per test session, whichever xdist workers ask for it: the
    first makes the runs under a lock, the others open the same page (which none changes)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, above each worker's own
    root, record = base / "report-runs", base / "report-runs.json"
    with FileLock(str(base / "report-runs.lock")):
        if not record.is_file():
            root.mkdir()
            runs = run_twice_and_report(root)
            first = {"returncode": runs.first.returncode, "stdout": runs.first.stdout}
            record.write_text(json.dumps({**first, "stderr": runs.first.stderr}))
    first = CliResult(**json.loads(record.read_text()))
    folder = root / "campaign"  # as make_campaign lays a campaign out
    campaign = Campaign(folder, folder / "nightly.yaml", root / "state", root / "results")
    return ReportedRuns(campaign, first, root / "first-run.json", root / "results" / "report.html")


@contextmanager
def chromium(**options: Any) -> Iterator[Any]:
    """A Chromium with a profile of its own, thrown away after; `options` go to Playwright's
    `launch_persistent_context` (e.g. `viewport`)."""
    if not CHROMIUM.is_file():
        missing = f"no Chromium at {CHROMIUM}: `apt-get install chromium` (CI installs it)"
        if os.environ.get("JOGG_REQUIRE_BROWSER"):  # set by .ci/run: CI never skips them
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="chromium-") as home:
        context = playwright.chromium.launch_persistent_context(
            home,
            executable_path=str(CHROMIUM),
            headless=True,
            args=list(CHROMIUM_ARGS),
            **options,
        )
        try:
            yield context
        finally:
            context.close()


# Manifests written by hand, shaped as `run/manifest.py` writes them.


def video_entry(video_id: str, status: str = "success", **fields: Any) -> dict[str, Any]:
    key = video_id.split("/", 1)[0]
    project = f"project-{video_id.replace('/', '-')}" if status != "failed" else None
    entry: dict[str, Any] = {
        "id": video_id,
        "product_key": key,
        "url": f"https://shop.example.com/{key}",
        "product_id": f"product-{key}",
        "project_id": project,
        "settings": {
            "aspect_ratio": 0,
            "avatar_id": 127,
            "avatar_type": 0,
            "caption": True,
            "language": "english",
            "script_style": "Don't Worry",
            "video_length": "15",
            "visual_style": "FullScreen",
            "voice_id": "en-US-ChristopherNeural",
        },
        "status": status,
        "video_url": None,
        "cover_url": None,
        "duration": 15.0 if status == "success" else None,
        "error": None,
        "warnings": [],
    }
    return entry | fields


def product_entry(key: str, name: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "url": f"https://shop.example.com/{key}",
        "product_id": f"product-{key}",
        "name": name,
        "price": "14.99 USD",
        "media": 2,
        "overrides": {},
        "extracted": {"name": name},
        "warnings": [],
        "error": None,
    }
    return entry | fields


def manifest_document(
    videos: list[dict[str, Any]],
    products: dict[str, dict[str, Any]],
    *,
    campaign: str = "nightly",
    backend: str = "local",
) -> dict[str, Any]:
    statuses = [video["status"] for video in videos]
    return {
        "manifest_version": 1,
        "campaign": campaign,
        "backend": backend,
        "spec": {"path": f"specs/{campaign}.yaml", "sha256": "0" * 64},
        "products": products,
        "videos": sorted(videos, key=lambda video: video["id"]),
        "summary": {s: statuses.count(s) for s in ("success", "failed", "pending")},
    }


def write_manifest(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
