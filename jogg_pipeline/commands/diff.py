"""`jogg-pipeline diff OLD NEW` and `diff --since REV MANIFEST...`: what changed between results
manifests and why, as text, markdown or JSON. With `--since`, each old manifest is read from
git (`git show REV:path` in the manifest's own repository)."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path
from typing import Any

from jogg_pipeline.commands.exits import EXIT_INCOMPLETE, EXIT_OK
from jogg_pipeline.errors import UsageError
from jogg_pipeline.run.diff import (
    FORMATS,
    ManifestDiff,
    diff_manifests,
    empty_manifest,
    load_manifest,
    parse_manifest,
    render,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what changed between results manifests, and why",
        usage="%(prog)s [-h] [--format {text,markdown,json}] [--exit-code] "
        "(OLD NEW | --since REV MANIFEST...)",
        description=(
            "Compare two manifests (e.g. yesterday's, from git, and today's): products and "
            "videos added and removed; for the others a changed status (with the error when it "
            "failed), a new video and what made it (changed settings, product fields), "
            "warnings that appeared or went away. --since REV compares each MANIFEST with its "
            "version at git revision REV (a manifest new since REV shows as all added)."
        ),
    )
    parser.add_argument(
        "manifests",
        nargs="+",
        type=Path,
        metavar="MANIFEST",
        help="OLD and NEW; with --since, the manifests to compare with that revision",
    )
    parser.add_argument(
        "--since",
        metavar="REV",
        help="compare each MANIFEST with the same file at this git revision (e.g. HEAD)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text for people (default), markdown for a pull request or job summary, json",
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when the manifests differ (as git diff)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.since is None:
        if len(args.manifests) != 2:
            raise UsageError(
                "diff takes two manifests, OLD and NEW, or --since REV and the manifests "
                f"to compare with that revision (got {len(args.manifests)})"
            )
        old, new = args.manifests
        diffs = [
            diff_manifests(
                load_manifest(old), load_manifest(new), old_label=str(old), new_label=str(new)
            )
        ]
    else:
        diffs = [diff_since(args.since, path) for path in args.manifests]
    print(render(diffs, args.format, many=args.since is not None))
    changed = any(not diff.empty for diff in diffs)
    return EXIT_INCOMPLETE if args.exit_code and changed else EXIT_OK


def diff_since(revision: str, path: Path) -> ManifestDiff:
    new = load_manifest(path)
    old = manifest_at(revision, path)
    label = f"{revision}:{path}"
    return diff_manifests(old or empty_manifest(new), new, old_label=label, new_label=str(path))


def manifest_at(revision: str, path: Path) -> dict[str, Any] | None:
    """The manifest at `path` as it was at `revision`, or None if it did not exist then."""
    folder = path.absolute().parent
    if _git(folder, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise UsageError(f"{path}: not in a git repository, so --since cannot read its old version")
    unknown = revision.startswith("-") or (
        _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode != 0
    )
    if unknown:
        raise UsageError(f"--since {revision}: no such revision in the git repository of {path}")
    # `./name` is the path relative to the folder git runs in; resolving it reads only trees.
    spec = f"{revision}:./{path.name}"
    if _git(folder, "rev-parse", "--verify", "--quiet", spec).returncode != 0:
        return None
    shown = _git(folder, "show", spec)
    label = f"{revision}:{path}"
    if shown.returncode != 0:  # the path is in the revision's tree, but git cannot read it
        lines = shown.stderr.decode("utf-8", "replace").strip().splitlines() or ["no reason"]
        reason = lines[-1].removeprefix("fatal: ").removeprefix("error: ")
        raise UsageError(f"{label}: git cannot read it ({reason})")
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{label}: cannot read it ({error})") from None
    return parse_manifest(text, label)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--since reads manifests from git, and no git command was found") from None
    except OSError as error:
        raise UsageError(f"--since: cannot run git in {folder} ({error.strerror})") from None
