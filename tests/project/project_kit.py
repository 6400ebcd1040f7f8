"""Helpers of the project tests: the nightly workflow as data, its linter, installed-distribution
metadata made on disk, and running as an unprivileged user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_WORKFLOW = REPO / "examples" / "github-actions" / "nightly-videos.yml"
PACKAGED_WORKFLOW = REPO / "jogg_pipeline" / "scaffold" / "nightly-videos.yml"
NOBODY = 65534


def lint_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its vendored GitHub workflow schema: offline."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def load_workflow(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    steps = [s for s in workflow["jobs"]["videos"]["steps"] if s.get("name") == name]
    assert len(steps) == 1, f"one step named {name!r}"
    return steps[0]


def make_distribution(site: Path, direct_url: dict[str, Any] | None) -> Path:
    """An installed jogg-pipeline as an installer leaves it: a dist-info folder in `site`."""
    info = site / "jogg_pipeline-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: jogg-pipeline\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return site


@contextmanager
def unprivileged() -> Iterator[None]:
    """Act as the user nobody while in the block, when running as root (root passes every
    permission check, so a refusal can only be seen without it)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
