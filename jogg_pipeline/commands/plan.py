"""`jogg-pipeline plan SPEC...`: what a run would do, video by video, and what it would cost.
Reads the specs and the state only: it sends nothing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from jogg_pipeline.api.limiter import RatePolicy
from jogg_pipeline.commands.common import (
    add_run_arguments,
    add_spec_arguments,
    backend_options,
    load_plans,
    parse_rate,
)
from jogg_pipeline.errors import EXIT_OK
from jogg_pipeline.run.backends import plan_scope
from jogg_pipeline.run.plan import plan_run
from jogg_pipeline.run.session import STATE_FILE
from jogg_pipeline.state.store import StateStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="show what a run would do and cost, without sending anything",
        description=(
            "For each video: the actions a run would take (create product, update product, "
            "create video, wait, up to date, failed), then the totals: POST requests, credits "
            "(1 per started 2 minutes of video) and the least time the POST rate limit allows."
        ),
    )
    add_spec_arguments(parser)
    add_run_arguments(parser)
    parser.add_argument("--post-rate", metavar="N/UNIT", help="rate to plan for (cloud: 20/min)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    only = frozenset(args.only) if args.only else None
    documents = []
    for campaign in load_plans(args):
        scope = plan_scope(backend_options(args, campaign))
        state = _read_state(args.state_dir)
        try:
            planned = (
                plan_run(
                    campaign,
                    state,
                    scope,
                    only=only,
                    refresh=args.refresh,
                    retry_failed=args.retry_failed,
                    retry_in_doubt=args.retry_in_doubt,
                )
                if state
                else plan_run(campaign, _EmptyState(), scope, only=only)
            )
        finally:
            if state:
                state.close()
        rate = (
            parse_rate(args.post_rate)
            if args.post_rate
            else (RatePolicy.cloud() if campaign.backend == "jogg" else None)
        )
        seconds = rate.minimum_time(planned.posts) if rate else 0.0
        documents.append(
            {
                "campaign": campaign.campaign,
                "backend": campaign.backend,
                "videos": [
                    {"id": s.video_id, "actions": list(s.actions), "reason": s.reason}
                    for s in planned.steps
                ],
                "totals": {
                    "posts": planned.posts,
                    "credits": planned.credits,
                    "seconds_at_rate_limit": seconds,
                    "rate_limit": _rate_text(rate) if rate else None,
                },
            }
        )
    if args.json:
        print(json.dumps({"campaigns": documents}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for document in documents:
        print(f"{document['campaign']} (backend {document['backend']}):")
        width = max((len(v["id"]) for v in document["videos"]), default=0)
        for video in document["videos"]:
            reason = f"  ({video['reason']})" if video["reason"] else ""
            print(f"  {video['id']:<{width}}  {', '.join(video['actions'])}{reason}")
        totals = document["totals"]
        limit = totals["rate_limit"]
        at_rate = (
            f", at least {_duration(totals['seconds_at_rate_limit'])} at {limit}" if limit else ""
        )
        print(f"  total: {totals['posts']} POST requests, {totals['credits']} credits{at_rate}")
    return EXIT_OK


def _read_state(state_dir: Path) -> StateStore | None:
    path = state_dir / STATE_FILE
    return StateStore(path) if path.exists() else None


class _EmptyState:
    """A state with nothing in it, for a first plan that should not create a state folder."""

    def product(self, *args: object) -> None:
        return None

    def video(self, *args: object) -> None:
        return None


def _rate_text(rate: RatePolicy) -> str:
    unit = {1.0: "s", 60.0: "min", 3600.0: "h"}.get(rate.per_seconds)
    return f"{rate.requests}/{unit}" if unit else f"{rate.requests} per {rate.per_seconds:g} s"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
