"""`jogg-pipeline init`: scaffold a campaign repository that runs at once, or, given FILE, write
one commented starter spec."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from jogg_pipeline import scaffold
from jogg_pipeline.commands.exits import EXIT_OK
from jogg_pipeline.commands.output import append_file, check_target, reason, write_file
from jogg_pipeline.errors import PipelineError, UsageError
from jogg_pipeline.project import Project, find_project
from jogg_pipeline.scaffold.source import InstallSource, given, install_source
from jogg_pipeline.spec.urls import slug

SPEC_SUFFIXES = (".yaml", ".yml", ".toml")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="scaffold a campaign repository, or write a starter spec",
        description=(
            "Without FILE: make the current folder (or --dir) a campaign repository that runs "
            "at once, offline: specs/ with a commented campaign of a sample product page, "
            "pages/ with that page, results/ for the manifests, .jogg/ in .gitignore, and with "
            "--github-actions the nightly workflow. With FILE: write one commented starter spec."
        ),
    )
    parser.add_argument(
        "path", nargs="?", type=Path, default=None, metavar="FILE", help="write one spec here"
    )
    parser.add_argument("--format", choices=("yaml", "toml"), help="default: yaml, or FILE's")
    parser.add_argument(
        "--campaign", help="campaign name (default: from the folder's or the file's name)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    parser.add_argument(
        "--dir", type=Path, help="the project's folder, created if missing (default: here)"
    )
    parser.add_argument(
        "--github-actions",
        action="store_true",
        help="also write .github/workflows/nightly-videos.yml",
    )
    parser.add_argument(
        "--source",
        metavar="REQUIREMENT",
        help="the pip requirement the workflow installs jogg-pipeline from "
        "(default: where this copy was installed from)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.path is not None:
        for option, value in (("--dir", args.dir), ("--github-actions", args.github_actions)):
            if value:
                raise UsageError(f"{option} is for a project: leave out FILE to scaffold one")
        return write_starter(args)
    return write_project(args)


def campaign_name(args: argparse.Namespace, default: str) -> str:
    campaign = args.campaign or slug(default) or "campaign"
    if slug(campaign) != campaign:
        raise UsageError(
            f"campaign name '{campaign}' must use lowercase letters, digits, '.', '_' and '-'"
            f" (e.g. '{slug(campaign) or 'spring-sale'}')"
        )
    return campaign


def write_starter(args: argparse.Namespace) -> int:
    path: Path = args.path
    fmt = args.format or ("toml" if path.suffix.lower() == ".toml" else "yaml")
    if path.suffix.lower() not in SPEC_SUFFIXES:
        raise UsageError(f"{path}: a spec file ends in .yaml, .yml or .toml")
    if (path.suffix.lower() == ".toml") != (fmt == "toml"):
        raise UsageError(f"{path}: the file name does not match --format {fmt}")
    if args.source is not None:
        raise UsageError("--source sets the nightly workflow's: use it with --github-actions")
    check_target(path)
    if path.exists() and not args.force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    campaign = campaign_name(args, path.stem)
    write_file(path, scaffold.starter_spec(fmt, campaign, path.name))
    print(f"wrote {path}; edit it, then run: jogg-pipeline validate {path}")
    return EXIT_OK


def workflow_source(args: argparse.Namespace) -> InstallSource | None:
    if args.source is not None and not args.github_actions:
        raise UsageError("--source sets the nightly workflow's: use it with --github-actions")
    if not args.github_actions:
        return None
    if args.source is None:
        return install_source()
    requirement = args.source.strip()
    if not requirement or "\n" in requirement or "${{" in requirement:
        raise UsageError(
            f"--source {args.source!r}: give one pip requirement on one line, e.g. "
            f"'jogg-pipeline @ git+https://github.com/you/jogg-pipeline@<commit>'"
        )
    return given(requirement)


def write_project(args: argparse.Namespace) -> int:
    root: Path = args.dir if args.dir is not None else Path(".")
    refuse_inside_a_project_part(root)
    fmt = args.format or "yaml"
    campaign = campaign_name(args, root.resolve().name)
    source = workflow_source(args)
    if source is not None and has_entries(Project(root).specs):
        # A project with its specs wants the workflow, not a starter spec in their midst.
        return write_workflow(args, root, source)
    files = scaffold.project_files(campaign, fmt, source)
    if not has_entries(Project(root).results):
        files.append(scaffold.ProjectFile(scaffold.RESULTS_KEEP, b""))
    targets = [(root / item.path, item.content) for item in files]
    # Everything is checked before anything is written: a refusal leaves no half project.
    for path, _ in targets:
        check_target(path)
    existing = [path for path, _ in targets if path.exists()]
    if existing and not args.force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise UsageError(f"{existing[0]} exists{more}; use --force to overwrite")
    gitignore = root / scaffold.GITIGNORE
    check_target(gitignore)
    before = read_text(gitignore)
    addition = scaffold.gitignore_addition(before)

    for path, content in targets:
        write_file(path, content)
    if addition and before is None:
        write_file(gitignore, addition)
    elif addition:
        append_file(gitignore, addition)
    written = [item.path for item in files]
    report(args, root, campaign, written, gitignore_note(before, addition), source)
    return EXIT_OK


def write_workflow(args: argparse.Namespace, root: Path, source: InstallSource) -> int:
    """The nightly workflow alone, into a project that has its specs already."""
    path = root / scaffold.WORKFLOW
    check_target(path)
    if path.exists() and not args.force:
        raise UsageError(f"{path} exists; use --force to overwrite")
    write_file(path, scaffold.workflow(source).encode())
    where = _where(args, root)
    lines = [
        f"the jogg-pipeline project in {where} keeps its specs:",
        f"  wrote {scaffold.WORKFLOW}",
    ]
    lines += workflow_notes(source)
    lines += ["next:", f"  commit {scaffold.WORKFLOW}: GitHub runs the specs every night"]
    print("\n".join(lines))
    return EXIT_OK


def _where(args: argparse.Namespace, root: Path) -> str:
    """The project's folder as the report names it."""
    return "this folder" if args.dir is None else f"{root}{os.sep}"


def workflow_notes(source: InstallSource | None) -> list[str]:
    if source is None or source.usable:
        return []
    return [
        f"  note: set JOGG_PIPELINE at the top of {scaffold.WORKFLOW} to your copy's "
        f"repository and commit: this jogg-pipeline came from {source.origin}"
    ]


def refuse_inside_a_project_part(root: Path) -> None:
    """`cd specs && jogg-pipeline init` would make a project inside a project's specs/."""
    here = root.resolve()
    enclosing = find_project(here.parent)
    if enclosing is None:
        return
    for part in (enclosing.specs, enclosing.results, enclosing.state_dir):
        if here == part or part in here.parents:
            raise UsageError(
                f"{root} is inside {part.name}/ of the project in {enclosing.root}: "
                "run init in a project's root, or pass --dir"
            )


def has_entries(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError as error:
        raise PipelineError(f"cannot read {folder}: {reason(error)}") from None


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PipelineError(f"cannot read {path}: {reason(error)}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: it is not UTF-8 text") from None


def gitignore_note(before: str | None, addition: str) -> str:
    entries = ", ".join(line for line in addition.splitlines() if line in scaffold.IGNORED)
    if before is None:
        return f".gitignore ({entries})"
    if addition:
        return f".gitignore (added {entries})"
    return ""


def report(
    args: argparse.Namespace,
    root: Path,
    campaign: str,
    written: list[str],
    gitignore: str,
    source: InstallSource | None,
) -> None:
    where = _where(args, root)
    lines = [f"a jogg-pipeline project in {where}, campaign {campaign}:"]
    lines += [f"  wrote {path}" for path in written]
    if gitignore:
        lines.append(f"  wrote {gitignore}")
    lines += workflow_notes(source)
    lines.append("next:")
    if args.dir is not None and root.resolve() != Path.cwd().resolve():
        lines.append(f"  cd {root}")
    lines += [
        "  jogg-pipeline validate   # check the specs in specs/",
        "  jogg-pipeline plan       # what a run would do; sends nothing",
        "  jogg-pipeline run        # make the videos, on the local engine: offline and free",
    ]
    print("\n".join(lines))
