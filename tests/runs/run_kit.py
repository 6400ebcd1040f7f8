"""Helpers of the run tests: a campaign folder with offline product pages, `jogg-pipeline run`
on it (in this process, or in a process of its own where a test kills or interrupts it), and the
engine's own database to count what reached the server."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support.cli import CliResult, run_in_process

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "examples" / "pages"
API_KEY = "run-tests-key-0123456789"

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
  - url: pages/studio-wireless-headphones.html
    key: headphones
    overrides:
      target_audience: Commuters
    videos:
      - name: short
      - name: wide
        aspect_ratio: landscape
"""


@dataclass
class Campaign:
    folder: Path
    spec: Path
    state_dir: Path
    results: Path

    @property
    def manifest(self) -> Path:
        return self.results / "nightly.json"

    def manifest_json(self) -> dict:
        return json.loads(self.manifest.read_text())

    def last_record(self) -> dict:
        records = sorted((self.state_dir / "runs" / "nightly").glob("*.json"))
        return json.loads(records[-1].read_text())


def make_campaign(root: Path, spec: str = SPEC) -> Campaign:
    folder = root / "campaign"
    shutil.copytree(PAGES, folder / "pages")
    path = folder / "nightly.yaml"
    path.write_text(spec, encoding="utf-8")
    return Campaign(folder, path, root / "state", root / "results")


def run_arguments(campaign: Campaign, *args: str, base_url: str | None = None) -> list[str]:
    """The arguments of `jogg-pipeline run` on this campaign."""
    arguments = [
        "run", str(campaign.spec), "--state-dir", str(campaign.state_dir),
        "--results", str(campaign.results), "--quality", "preview", *args,
    ]  # fmt: skip
    return [*arguments, "--base-url", base_url] if base_url else arguments


def run_command(
    campaign: Campaign, *args: str, base_url: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of `jogg-pipeline run` on this campaign, for a process
    of its own (to be killed or interrupted)."""
    command = [
        sys.executable,
        "-m",
        "jogg_pipeline",
        *run_arguments(campaign, *args, base_url=base_url),
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOGG_")}
    if base_url:
        environment["JOGG_API_KEY"] = API_KEY
    return command, environment


def run_cli(campaign: Campaign, *args: str, base_url: str | None = None) -> CliResult:
    """`jogg-pipeline run` on this campaign in this process, from the campaign's parent folder,
    with no JOGG_ variable but the key of `base_url`'s engine."""
    return run_in_process(
        *run_arguments(campaign, *args, base_url=base_url),
        cwd=campaign.folder.parent,
        env={"JOGG_API_KEY": API_KEY} if base_url else {},
        without_env=("JOGG_",),
    )


def run_process(
    campaign: Campaign, *args: str, base_url: str | None = None, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """`jogg-pipeline run` in a process of its own, ended if it outlasts `timeout`."""
    command, environment = run_command(campaign, *args, base_url=base_url)
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        cwd=campaign.folder.parent,
        check=False,
    )


def server_counts(data_dir: Path) -> dict[str, int]:
    """What reached the engine: products created and videos requested (the same request for
    the same product content twice is a duplicate), from its database."""
    with sqlite3.connect(data_dir / "engine.sqlite3") as db:
        products = db.execute("SELECT COUNT(*) FROM products").fetchone()[0]
        videos = db.execute("SELECT COUNT(*) FROM projects WHERE kind='video'").fetchone()[0]
        duplicates = db.execute(
            "SELECT COUNT(*) FROM"
            " (SELECT 1 FROM projects GROUP BY request, job HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    return {"products": products, "videos": videos, "duplicate_requests": duplicates}
