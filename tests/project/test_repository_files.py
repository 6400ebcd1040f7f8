"""The repository's own files agree with each other: the license the package declares, the
checks pre-commit runs and the ones CI runs, the layout CONTRIBUTING describes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]


def test_the_license_file_is_the_license_the_package_declares() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")


def test_pre_commit_runs_the_checks_ci_runs() -> None:
    config = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text())
    entries = {hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    ci = (REPO / ".ci" / "run").read_text()
    for tool in ("ruff check", "ruff format", "mypy"):
        assert any(entry.startswith(tool) for entry in entries), tool
        assert f"\n{tool}" in ci, f".ci/run does not run {tool}"


def test_contributing_names_every_package_folder() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text()
    folders = [p.name for p in (REPO / "jogg_pipeline").iterdir() if (p / "__init__.py").exists()]
    assert folders
    for name in folders:
        assert f"{name}/" in text, f"CONTRIBUTING.md's layout does not name {name}/"
