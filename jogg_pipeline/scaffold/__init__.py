"""The files `jogg-pipeline init` writes, kept next to this module as package data: the starter
spec of `init FILE`, and a campaign repository (specs/, results/, .jogg/ ignored): a campaign
whose product is a sample page shipped here, so that its first run works at once and offline,
and the nightly GitHub Actions workflow. This module fills them in; `commands/init.py` writes."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Template

from jogg_pipeline.project import RESULTS, SPECS, STATE
from jogg_pipeline.scaffold.source import InstallSource

WORKFLOW = ".github/workflows/nightly-videos.yml"
RESULTS_KEEP = f"{RESULTS}/.gitkeep"  # so that results/ is in git before the first run
GITIGNORE = ".gitignore"
IGNORED = (f"{STATE}/", "videos/")  # the run state (a cache) and what `run --download` fetches
_IGNORE_NOTE = (
    "# jogg-pipeline: the run state (a cache, rebuilt from results/) and downloaded videos"
)
# The workflow's one statement of its source: the comment lines after `env:` and the value.
_SOURCE = re.compile(r"^env:\n(?:  #.*\n)*  JOGG_PIPELINE: .*\n", re.MULTILINE)


@dataclass(frozen=True)
class ProjectFile:
    path: str  # relative to the project root, with `/`
    content: bytes


def resource(name: str) -> Traversable:
    return files(__name__).joinpath(*name.split("/"))


def starter_spec(fmt: str, campaign: str, file_name: str) -> str:
    """The commented single-file starter of `init FILE`."""
    text = resource(f"starter.{fmt}").read_text(encoding="utf-8")
    return Template(text).substitute(campaign=campaign, file=file_name)


def project_spec(fmt: str, campaign: str) -> str:
    """The campaign of a new project: the sample page in two short variants."""
    text = resource(f"campaign.{fmt}").read_text(encoding="utf-8")
    return Template(text).substitute(campaign=campaign)


def workflow(source: InstallSource | None = None) -> str:
    """The nightly workflow; with `source`, installing jogg-pipeline from there."""
    text = resource("nightly-videos.yml").read_text(encoding="utf-8")
    if source is None:
        return text
    comment = textwrap.fill(
        source.comment, width=100, initial_indent="  # ", subsequent_indent="  # "
    )
    # A JSON string is a YAML double-quoted scalar: any requirement stays one safe value.
    block = f"env:\n{comment}\n  JOGG_PIPELINE: {json.dumps(source.requirement)}\n"
    filled, count = _SOURCE.subn(lambda _: block, text)
    if count != 1:
        raise RuntimeError("the packaged workflow must state JOGG_PIPELINE once, under env:")
    return filled


def sample_pages() -> list[ProjectFile]:
    """The sample product page and its images, for the project's pages/ folder."""
    found: list[ProjectFile] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.name.startswith((".", "__")):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                found.append(ProjectFile(prefix + entry.name, entry.read_bytes()))

    walk(resource("pages"), "pages/")
    return found


def project_files(campaign: str, fmt: str, source: InstallSource | None) -> list[ProjectFile]:
    """Every file of a new project but .gitignore and results/.gitkeep, which depend on what is
    there already; the nightly workflow when `source` says where it installs jogg-pipeline from."""
    spec = ProjectFile(f"{SPECS}/{campaign}.{fmt}", project_spec(fmt, campaign).encode())
    chosen = [spec, *sample_pages()]
    if source is not None:
        chosen.append(ProjectFile(WORKFLOW, workflow(source).encode()))
    return chosen


def missing_ignores(existing: str) -> list[str]:
    """The entries of IGNORED that a .gitignore lacks (`.jogg`, `/.jogg/` and the like count)."""
    present = {line.strip().strip("/") for line in existing.splitlines()}
    return [entry for entry in IGNORED if entry.strip("/") not in present]


def gitignore_addition(existing: str | None) -> str:
    """What to append to a .gitignore (its whole text when there is none); empty if nothing."""
    missing = missing_ignores(existing or "")
    if not missing:
        return ""
    lead = ""
    if existing:
        lead = ("" if existing.endswith("\n") else "\n") + "\n"
    return lead + "\n".join([_IGNORE_NOTE, *missing]) + "\n"
