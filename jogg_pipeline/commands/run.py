"""`jogg-pipeline run [SPEC...]`: do what the specs ask, resumably, and write the manifests."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from jogg_pipeline.commands.common import (
    add_run_arguments,
    add_spec_arguments,
    backend_options,
    load_campaigns,
    plan_campaigns,
    shown,
)
from jogg_pipeline.commands.exits import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_OK
from jogg_pipeline.commands.report import report_results
from jogg_pipeline.errors import PipelineError, UsageError
from jogg_pipeline.project import current_project
from jogg_pipeline.quantities import QUALITY_NAMES, parse_duration
from jogg_pipeline.run.backends import plan_scope
from jogg_pipeline.run.planning import document, saved_options, stale_reasons
from jogg_pipeline.run.progress import Reporter
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.run.session import (
    open_state,
    run_campaign,
    where_of,
    write_results,
    write_run_record,
)
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.lock import StateLock


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the campaigns: create products and videos, wait, write manifests",
        description=(
            "Run every step the specs ask for, idempotently: products are created once and "
            "updated only when their overrides change, a video is requested only when none "
            "exists for the same content and settings. A killed run resumes where it stopped, "
            "and a lost state is rebuilt from the manifests and the backend before anything is "
            "sent. Writes results/<campaign>.json. Exit 0 when every video succeeded, 1 when "
            "some failed or are still pending."
        ),
    )
    add_spec_arguments(parser)
    add_run_arguments(parser)
    parser.add_argument(
        "--results",
        type=Path,
        metavar="DIR",
        help="where manifests go (default: results/ in the project's root)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="requests at once (4)")
    parser.add_argument(
        "--wait",
        metavar="DURATION",
        help="stop waiting for videos after this long (e.g. 20m, 0); default: until all end",
    )
    parser.add_argument("--download", type=Path, metavar="DIR", help="download the videos")
    parser.add_argument(
        "--quality",
        choices=QUALITY_NAMES,
        help="local engine render quality (default: the spec's `quality`, else full); "
        "preview renders small and fast; a change of quality renders again",
    )
    parser.add_argument("--post-rate", metavar="N/UNIT", help="POST limit, e.g. 20/min")
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="let the local engine fetch pages on private and loopback addresses",
    )
    parser.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        dest="saved_plan",
        help="carry out a plan saved by `plan -o FILE`; refused if anything changed since",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="then write results/report.html: a page to watch the videos (see `report`)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    saved = take_saved_plan(args) if args.saved_plan else None
    plans = load_campaigns(args)
    project = current_project()
    root = project.root
    options = RunOptions(
        concurrency=max(1, args.concurrency),
        wait=_wait(args.wait),
        only=args.only,
        retry_failed=args.retry_failed,
        retry_in_doubt=args.retry_in_doubt,
        refresh=args.refresh,
    )
    settings = {p.campaign: backend_options(args, p, quality=args.quality) for p in plans}
    scopes = {name: plan_scope(opts) for name, opts in settings.items()}  # key missing: stop now

    interrupted = False
    all_ok = True
    with StateLock(args.state_dir), Reporter(quiet=args.quiet) as report:
        state = open_state(args.state_dir)
        try:
            if saved is not None:
                check_saved_plan(saved, plans, args)
            for plan in plans:
                started = time.time()
                runner: Runner | None = None
                selected = [v for v in plan.videos if options.only is None or v.id in options.only]
                report.campaign(plan.campaign, len(selected), plan.backend)
                try:
                    if not interrupted:
                        runner = asyncio.run(
                            run_campaign(
                                plan,
                                settings[plan.campaign],
                                options,
                                state,
                                results_dir=args.results,
                                root=root,
                                download_dir=args.download,
                                report=report,
                            )
                        )
                except KeyboardInterrupt:
                    interrupted = True
                report.close()
                scope = runner.scope if runner else scopes[plan.campaign]
                where = where_of(settings[plan.campaign], root)
                outcome = write_results(plan, state, scope, args.results, options.only, where)
                write_run_record(args.state_dir, outcome, runner, started, interrupted)
                all_ok = all_ok and outcome.selected_ok
                counts = ", ".join(f"{n} {status}" for status, n in outcome.summary.items())
                print(f"{plan.campaign}: {counts} -> {shown(outcome.manifest_path)}", flush=True)
        finally:
            state.close()
    if args.report and not interrupted:
        try:
            print(report_results(args.results, args.state_dir, project), flush=True)
        except UsageError as error:  # the run is done: not "nothing was sent", so not exit 2
            raise PipelineError(str(error)) from None
    if interrupted:
        print(
            "jogg-pipeline: interrupted; the next run continues where this one stopped",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_OK if all_ok else EXIT_INCOMPLETE


def take_saved_plan(args: argparse.Namespace) -> dict[str, Any]:
    """The saved plan; its specs and options replace the command line's."""
    saved, options = saved_options(args.saved_plan)
    for name in ("backend", "refresh", "retry_failed", "retry_in_doubt", "quality", "base_url"):
        setattr(args, name, options.get(name))
    args.specs = options.get("specs") or []
    args.only = options.get("only")
    args.state_dir = Path(options["state_dir"]) if options.get("state_dir") else None
    args.results = Path(options["results"]) if options.get("results") else None
    return saved


def check_saved_plan(
    saved: dict[str, Any], plans: list[ExpandedCampaign], args: argparse.Namespace
) -> None:
    """Carry out a saved plan only while it still stands (checked under the state's lock)."""
    now = document(plan_campaigns(args, plans), current_project().root)
    reasons = stale_reasons(saved, now)
    if reasons:
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        raise UsageError(
            f"the plan in {args.saved_plan} no longer stands: {reasons[0]}{more}; nothing was "
            f"sent; make a new one with `jogg-pipeline plan -o {args.saved_plan}`"
        )


def _wait(text: str | None) -> float | None:
    """`--wait`, in the one grammar of durations (`jogg_pipeline.quantities`)."""
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as error:
        raise UsageError(f"--wait {error}") from None
