"""Options shared by the commands that run or inspect campaigns (run, plan, status)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jogg_pipeline.api.limiter import RatePolicy
from jogg_pipeline.errors import UsageError
from jogg_pipeline.run.backends import BackendOptions
from jogg_pipeline.spec.expand import CampaignPlan
from jogg_pipeline.spec.problems import Severity, SpecError
from jogg_pipeline.spec.validate import BACKENDS, check_spec, spec_files

DEFAULT_STATE_DIR = Path(".jogg")
DEFAULT_RESULTS_DIR = Path("results")


def add_spec_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "specs", nargs="+" if required else "*", metavar="SPEC", help="spec file, or folder of them"
    )
    parser.add_argument("--backend", choices=BACKENDS, help="overrides the spec's backend")
    parser.add_argument(
        "--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="state folder (%(default)s)"
    )
    parser.add_argument(
        "--base-url",
        help="API base URL: a `jogg-pipeline serve` for local, or JOGG_BASE_URL for jogg",
    )
    parser.add_argument(
        "--api-key-file", type=Path, help="read the API key from this file (else JOGG_API_KEY)"
    )
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these video ids")


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


def load_plans(args: argparse.Namespace) -> list[CampaignPlan]:
    """Every spec checked before anything is sent; all their problems printed at once."""
    plans: list[CampaignPlan] = []
    failed: list[SpecError] = []
    for path in spec_files(args.specs):
        result = check_spec(path, backend=args.backend)
        for problem in result.problems:
            if problem.severity is Severity.WARNING or result.plan is None:
                print(problem.render(path), file=sys.stderr)
        if result.plan is None:
            failed.append(SpecError(path, result.problems))
        else:
            plans.append(result.plan)
    if failed:
        raise UsageError(f"{len(failed)} spec{'s' * (len(failed) > 1)} invalid; nothing was sent")
    names = [plan.campaign for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise UsageError(f"two specs name the campaign {duplicates[0]!r}; campaigns must differ")
    if args.only:
        known = {video.id for plan in plans for video in plan.videos}
        unknown = [video_id for video_id in args.only if video_id not in known]
        if unknown:
            raise UsageError(f"--only: no video {unknown[0]!r} in the specs given")
    return plans


def backend_options(
    args: argparse.Namespace, plan: CampaignPlan, *, quality: str = "full"
) -> BackendOptions:
    rate = getattr(args, "post_rate", None)
    return BackendOptions(
        name=plan.backend,
        state_dir=args.state_dir,
        file_roots=(plan.spec_path.parent.resolve(),),
        base_url=args.base_url,
        api_key_file=args.api_key_file,
        post_rate=parse_rate(rate) if rate else None,
        quality=quality,
        allow_private_urls=getattr(args, "allow_private_urls", False),
    )


def parse_rate(text: str) -> RatePolicy:
    """`20/min`, `5/s`, `100/h`."""
    units = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "hour": 3600.0}
    count, _, unit = text.partition("/")
    try:
        return RatePolicy(int(count), units[unit.strip().lower()])
    except (ValueError, KeyError):
        raise UsageError(f"--post-rate {text!r}: write it as COUNT/UNIT, e.g. 20/min") from None
