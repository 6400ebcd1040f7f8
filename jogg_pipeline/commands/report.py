"""`jogg-pipeline report [MANIFEST...]`: one HTML page to watch the campaigns' videos, with
their summaries and, given two manifests of a campaign or `--since REV`, what changed."""

from __future__ import annotations

import argparse
import logging
import webbrowser
from pathlib import Path

from jogg_pipeline.commands.common import shown
from jogg_pipeline.commands.diff import manifest_at
from jogg_pipeline.commands.exits import EXIT_OK
from jogg_pipeline.commands.output import write_file
from jogg_pipeline.errors import UsageError
from jogg_pipeline.project import Project, current_project, find_project
from jogg_pipeline.report.build import Subject, build_report
from jogg_pipeline.report.sources import Manifest, manifests_in, read_manifest
from jogg_pipeline.run.diff import empty_manifest

PAGE_NAME = "report.html"

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="an HTML page to watch the campaigns' videos",
        description=(
            "Write one self-contained HTML page (no server, no network) with, per campaign, a "
            "summary (videos by status, credits spent, the last run's time and requests, the "
            "backend) and every video: its cover, a player, its product, settings and "
            "warnings, and for one that did not succeed its error and what to do next; with "
            "filters and a search by product name. Given two manifests of a campaign (OLD "
            "NEW) or --since REV, it also shows what changed, as `diff` says it. Local files "
            "play from disk through paths relative to the page."
        ),
    )
    parser.add_argument(
        "manifests",
        nargs="*",
        type=Path,
        metavar="MANIFEST",
        help="the manifests to show (default: every manifest in the project's results/); "
        "two of one campaign are OLD and NEW",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help=f"where the page goes (default: {PAGE_NAME} next to the first MANIFEST, else "
        f"results/{PAGE_NAME} in the project)",
    )
    parser.add_argument(
        "--since",
        metavar="REV",
        help="show what changed since git revision REV (each manifest as it was then)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help="the state folder whose run records give run times (default: the project's .jogg/)",
    )
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.manifests:
        manifests = [read_manifest(path) for path in args.manifests]
        project = find_project(args.manifests[0].absolute().parent) or current_project()
        default_output = args.manifests[0].parent / PAGE_NAME
    else:
        project = current_project()
        manifests = manifests_in(project.results, shown(project.results))
        if not manifests:
            raise UsageError(
                f"no MANIFEST given and no manifest in {shown(project.results)}: run "
                "`jogg-pipeline run` first, or name the manifests to report on"
            )
        default_output = project.results / PAGE_NAME
    subjects = subjects_since(manifests, args.since) if args.since else subjects_of(manifests)
    output = args.output or default_output
    print(write_report(subjects, output, project, args.state_dir or project.state_dir))
    if args.open:
        open_in_browser(output)
    return EXIT_OK


def report_results(results: Path, state_dir: Path, project: Project) -> str:
    """`run --report`: the page of every manifest in the results folder, written beside them;
    the line that says so."""
    subjects = subjects_of(manifests_in(results, shown(results)))
    return write_report(subjects, shown(results / PAGE_NAME), project, state_dir)


def write_report(subjects: list[Subject], output: Path, project: Project, state_dir: Path) -> str:
    page = build_report(subjects, root=project.root, state_dir=state_dir, page=output)
    write_file(output, page)
    campaigns = len(subjects)
    videos = sum(len(subject.manifest.videos) for subject in subjects)
    return (
        f"report: {campaigns} campaign{'s' * (campaigns != 1)}, "
        f"{videos} video{'s' * (videos != 1)} -> {shown(output)}"
    )


def subjects_of(manifests: list[Manifest]) -> list[Subject]:
    """A campaign per manifest; two manifests of one campaign are OLD and NEW, as `diff`
    takes them."""
    by_campaign: dict[str, list[Manifest]] = {}
    for manifest in manifests:
        given = by_campaign.setdefault(manifest.campaign, [])
        if len(given) == 2:
            raise UsageError(
                f"{manifest.label}: a third manifest of campaign {manifest.campaign}; give one "
                "manifest of a campaign, or two (OLD NEW) to see what changed"
            )
        given.append(manifest)
    return [
        Subject(given[-1], given[0] if len(given) == 2 else None) for given in by_campaign.values()
    ]


def subjects_since(manifests: list[Manifest], revision: str) -> list[Subject]:
    """Each manifest against its version at `revision` (a manifest new since then shows all
    its videos added, as `diff --since` shows it)."""
    seen: set[str] = set()
    for manifest in manifests:
        if manifest.campaign in seen:
            raise UsageError(
                f"{manifest.label}: campaign {manifest.campaign} is given twice; with --since, "
                "give each campaign's manifest once"
            )
        seen.add(manifest.campaign)
    return [Subject(manifest, _older(manifest, revision)) for manifest in manifests]


def _older(manifest: Manifest, revision: str) -> Manifest:
    assert manifest.path is not None  # read from a file: only those are given
    older = manifest_at(revision, manifest.path)
    label = f"{revision}:{manifest.label}"
    if older is None:
        return Manifest(empty_manifest(manifest.document), f"{label} (not there yet)")
    return Manifest(older, label)


def open_in_browser(page: Path) -> None:
    if not webbrowser.open(page.resolve().as_uri()):
        logger.warning("no browser could open %s; open it yourself", shown(page))
