"""Options shared by the commands that run or inspect campaigns (run, plan, status), and where
they act: the project around the current folder (`project.py`) gives the specs, the state and
the results unless the command line names them."""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from pathlib import Path

from jogg_pipeline.errors import UsageError
from jogg_pipeline.project import Project, current_project
from jogg_pipeline.quantities import Rate
from jogg_pipeline.run.backends import BackendOptions, identity_quality, plan_scope
from jogg_pipeline.run.decide import DecideOptions
from jogg_pipeline.run.planning import (
    CampaignContext,
    CampaignDecisions,
    decide_campaigns,
    state_copy,
)
from jogg_pipeline.run.session import STATE_FILE
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.spec.problems import Severity
from jogg_pipeline.spec.suggest import did_you_mean
from jogg_pipeline.spec.validate import BACKENDS, check_specs, spec_files

_GLOB = set("*?[")


def add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help="spec file, or folder of them (default: the project's specs/)",
    )
    parser.add_argument("--backend", choices=BACKENDS, help="overrides the spec's backend")
    parser.add_argument(
        "--state-dir", type=Path, help="state folder (default: .jogg/ in the project's root)"
    )
    parser.add_argument(
        "--base-url",
        help="API base URL: a `jogg-pipeline serve` for local, or JOGG_BASE_URL for jogg",
    )
    parser.add_argument(
        "--api-key-file", type=Path, help="read the API key from this file (else JOGG_API_KEY)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="ID",
        help="only these videos: ids, product keys, or globs such as 'blush/*'",
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--refresh", action="store_true", help="extract the products again")
    parser.add_argument(
        "--retry-failed", action="store_true", help="request failed videos again (spends credits)"
    )
    parser.add_argument(
        "--retry-in-doubt",
        action="store_true",
        help="send again the video requests whose answer was lost (may duplicate them)",
    )


def project_of(args: argparse.Namespace) -> Project:
    """The project the command acts on; `--state-dir` and `--results` default to its own."""
    project = current_project()
    if getattr(args, "state_dir", None) is None:
        args.state_dir = project.state_dir
    if hasattr(args, "results") and args.results is None:
        args.results = project.results
    return project


def spec_arguments_or_project(
    specs: list[str] | None, project: Project | None = None
) -> list[Path]:
    """The spec files named, or with none named, those in the project's `specs/`."""
    if specs:
        return spec_files(specs)
    project = project or current_project()
    if not project.specs.is_dir():
        raise UsageError(
            f"no SPEC given and no specs/ folder in {project.root} or above: name a spec file "
            "or folder, or create a project with `jogg-pipeline init`"
        )
    return spec_files([shown(project.specs)])


def shown(path: Path) -> Path:
    """A path as people read it: relative to the current folder when that is short."""
    absolute = path.absolute()
    relative = Path(os.path.relpath(absolute, Path.cwd()))
    return relative if len(relative.parts) <= len(absolute.parts) else absolute


def load_campaigns(args: argparse.Namespace) -> list[ExpandedCampaign]:
    """Every spec checked before anything is sent; all their problems printed at once."""
    project = project_of(args)
    plans: list[ExpandedCampaign] = []
    failed = 0
    paths = spec_arguments_or_project(args.specs, project)
    for result in check_specs(paths, backend=args.backend):
        for problem in result.problems:
            if problem.severity is Severity.WARNING or result.expanded is None:
                print(problem.render(result.path), file=sys.stderr)
        if result.expanded is None:
            failed += 1
        else:
            plans.append(result.expanded)
    if failed:
        raise UsageError(f"{failed} spec{'s' * (failed > 1)} invalid; nothing was sent")
    args.only = select_videos(args.only, plans)
    return plans


def select_videos(
    patterns: list[str] | None, plans: list[ExpandedCampaign]
) -> frozenset[str] | None:
    """The video ids `--only` names: ids, product keys (all their videos) and globs."""
    if not patterns:
        return None
    ids = [video.id for plan in plans for video in plan.videos]
    keys = {video.product_key for plan in plans for video in plan.videos}
    selected: set[str] = set()
    for pattern in patterns:
        if set(pattern) & _GLOB:
            matched = fnmatch.filter(ids, pattern)
        elif pattern in keys:
            matched = [i for i in ids if i.split("/", 1)[0] == pattern]
        else:
            matched = [pattern] if pattern in ids else []
        if not matched:
            hint = did_you_mean(pattern, [*keys, *ids], normalize=str)
            raise UsageError(f"--only {pattern!r}: no video matches it in the specs given{hint}")
        selected.update(matched)
    return frozenset(selected)


def backend_options(
    args: argparse.Namespace, plan: ExpandedCampaign, *, quality: str | None = None
) -> BackendOptions:
    """Where a campaign's requests go. Local pages may be read from the spec's folder and from
    the project's root."""
    rate = getattr(args, "post_rate", None)
    roots = {plan.spec_path.parent.resolve()}
    project = current_project(plan.spec_path.parent)
    if project.found:
        roots.add(project.root)
    return BackendOptions(
        name=plan.backend,
        state_dir=args.state_dir,
        file_roots=tuple(sorted(roots)),
        base_url=args.base_url,
        api_key_file=args.api_key_file,
        post_rate=parse_rate(rate) if rate else None,
        quality=quality or getattr(plan, "quality", None),
        allow_private_urls=getattr(args, "allow_private_urls", False),
    )


def parse_rate(text: str) -> Rate:
    """`--post-rate`, in the one grammar of rates (`jogg_pipeline.quantities`)."""
    try:
        return Rate.parse(text)
    except ValueError as error:
        raise UsageError(f"--post-rate {error}") from None


def plan_campaigns(
    args: argparse.Namespace, plans: list[ExpandedCampaign]
) -> list[CampaignDecisions]:
    """The decision for each campaign, on a copy of the state."""
    contexts = {plan.campaign: context_of(args, plan) for plan in plans}
    options = DecideOptions(
        only=args.only,
        refresh=args.refresh,
        retry_failed=args.retry_failed,
        retry_in_doubt=args.retry_in_doubt,
    )
    state = state_copy(args.state_dir / STATE_FILE)
    try:
        return decide_campaigns(plans, contexts, state, args.results, options)
    finally:
        state.close()


def context_of(args: argparse.Namespace, plan: ExpandedCampaign) -> CampaignContext:
    options = backend_options(args, plan, quality=getattr(args, "quality", None))
    rate: Rate | None = None
    if getattr(args, "post_rate", None):
        rate = parse_rate(args.post_rate)
    elif plan.backend == "jogg":
        rate = Rate.cloud()
    return CampaignContext(
        scope=plan_scope(options),
        quality=identity_quality(options),
        rate=rate,
        credits=plan.backend == "jogg",
    )
