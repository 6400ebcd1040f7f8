"""`jogg-pipeline gc`: remove the local engine's files that no manifest references, and say
how much that freed."""

from __future__ import annotations

import argparse
from pathlib import Path

from jogg_pipeline.commands.exits import EXIT_OK
from jogg_pipeline.project import current_project
from jogg_pipeline.run.gc import Collection, collect, human_size, shown


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gc",
        help="remove the local engine's files that no manifest references",
        description=(
            "Remove the in-process local engine's video, cover and media files that no manifest "
            "in the results folder references (projects not named by a project_id, media of "
            "products not named by a product_id; the images of products the run state still "
            "holds stay, since a later run reuses those products), and say how many files and "
            "bytes that freed. The removed projects are marked deleted in the engine and "
            "forgotten by the run state, so a later run makes such a video again if a spec "
            "still asks for it."
        ),
    )
    parser.add_argument(
        "--state-dir", type=Path, metavar="DIR", help="state folder (default: the project's .jogg/)"
    )
    parser.add_argument(
        "--results",
        type=Path,
        metavar="DIR",
        help="the manifests that reference files (default: the project's results/)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be removed; remove nothing"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="remove every project (and media file no held product uses), whatever the "
        "manifests name",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = current_project()
    result = collect(
        args.state_dir or project.state_dir,
        args.results or project.results,
        dry_run=args.dry_run,
        everything=args.all,
    )
    print("\n".join(report(result)))
    return EXIT_OK


def report(result: Collection) -> list[str]:
    garbage = result.garbage
    lines = []
    if result.dry_run:
        for entry in [*garbage.projects, *garbage.media]:
            lines.append(f"would remove {shown(entry)}{'/' if entry.is_dir() else ''}")
    files, size = len(garbage.files), garbage.size
    what = (
        f"{_count(files, 'file')}, {size} bytes"
        + (f" ({human_size(size)})" if size >= 1024 else "")
        + f": {_count(len(garbage.projects), 'project')}, "
        + f"{_count(len(garbage.media), 'media file')}"
    )
    kept = (
        f"kept {_count(garbage.kept_projects, 'project')}, "
        f"{_count(garbage.kept_media, 'media file')}"
    )
    lines.append(f"{'would free' if result.dry_run else 'freed'} {what}; {kept}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
