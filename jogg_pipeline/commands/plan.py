"""`jogg-pipeline plan [SPEC...]`: what a run would do, product by product and video by video,
why, and what it would cost. Reads the specs, the state and the manifests: it sends nothing and
writes nothing but `-o FILE`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from jogg_pipeline.commands.common import (
    add_run_arguments,
    add_spec_arguments,
    load_campaigns,
    plan_campaigns,
)
from jogg_pipeline.commands.exits import EXIT_OK
from jogg_pipeline.commands.output import write_file
from jogg_pipeline.project import current_project
from jogg_pipeline.quantities import QUALITY_NAMES
from jogg_pipeline.run.decide import Change
from jogg_pipeline.run.planning import document


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="show what a run would do and cost, without sending anything",
        description=(
            "For each product and video: the actions a run would take (create product, update "
            "product, create video, wait, up to date, failed, reconcile), why (the fields and "
            "settings that change), then the totals: POST requests, credits (1 per started 2 "
            "minutes of video, on the JoggAI cloud) and the least time the POST rate limit "
            "allows. `-o FILE` saves the plan for `run --plan FILE`."
        ),
    )
    add_spec_arguments(parser)
    add_run_arguments(parser)
    parser.add_argument(
        "--results", type=Path, metavar="DIR", help="the manifests (default: results/)"
    )
    parser.add_argument(
        "--quality", choices=QUALITY_NAMES, help="local engine render quality to plan for"
    )
    parser.add_argument("--post-rate", metavar="N/UNIT", help="rate to plan for (cloud: 20/min)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="save the plan for `run --plan FILE`"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    plans = load_campaigns(args)
    decided = plan_campaigns(args, plans)
    where = current_project().root
    plan = document(decided, where)
    if args.output is not None:
        saved = plan | {"options": saved_options(args)}
        write_file(args.output, json.dumps(saved, indent=2, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(plan, indent=2, ensure_ascii=False))
        return EXIT_OK
    for campaign in plan["campaigns"]:
        print("\n".join(describe(campaign)))
    if args.output is not None:
        print(f"saved to {args.output}; carry it out with: jogg-pipeline run --plan {args.output}")
    return EXIT_OK


def saved_options(args: argparse.Namespace) -> dict[str, Any]:
    """What `run --plan` needs to carry out the same plan."""
    return {
        "specs": [str(Path(spec).resolve()) for spec in args.specs] if args.specs else None,
        "backend": args.backend,
        "only": sorted(args.only) if args.only else None,
        "refresh": args.refresh,
        "retry_failed": args.retry_failed,
        "retry_in_doubt": args.retry_in_doubt,
        "quality": args.quality,
        "base_url": args.base_url,
        "state_dir": str(Path(args.state_dir).resolve()),
        "results": str(Path(args.results).resolve()),
    }


def describe(campaign: dict[str, Any]) -> list[str]:
    """The plan of one campaign, for people."""
    lines = [f"{campaign['campaign']} (backend {campaign['backend']}):"]
    if campaign["rebuilt_from"]:
        lines.append(
            f"  no state for some products: taken from {campaign['rebuilt_from']} "
            "(a run checks them with the backend before trusting them)"
        )
    for product in campaign["products"]:
        if product["reason"] in ("", "new product") and not product["changes"]:
            continue  # nothing to say beyond its videos' lines
        actions = ", ".join(product["actions"]) or "failed"
        reason = f"  ({product['reason']})" if product["reason"] else ""
        lines.append(f"  product {product['key']}: {actions}{reason}")
        lines += [f"    ~ {_change(change)}" for change in product["changes"]]
    width = max((len(v["id"]) for v in campaign["videos"]), default=0)
    for video in campaign["videos"]:
        why = _why(video)
        lines.append(f"  {video['id']:<{width}}  {', '.join(video['actions'])}{why}")
    lines.append(f"  total: {_totals(campaign['totals'])}")
    return lines


def _why(video: dict[str, Any]) -> str:
    changes = video["changes"]
    if changes:
        shown = "; ".join(
            change["field"] if change["field"].startswith("product ") else _change(change)
            for change in changes
        )
        return f"  ({video['reason']}: {shown})"
    return f"  ({video['reason']})" if video["reason"] else ""


def _change(change: dict[str, Any]) -> str:
    return Change(change["field"], change["old"], change["new"]).describe()


def _totals(totals: dict[str, Any]) -> str:
    posts = totals["posts"]
    parts = [f"{posts} POST request{'s' * (posts != 1)}"]
    if totals["credits"] is not None:
        credits = totals["credits"]
        parts.append(f"{credits} credit{'s' * (credits != 1)}")
    text = ", ".join(parts)
    if totals["rate_limit"]:
        text += f", at least {_duration(totals['seconds_at_rate_limit'])} at {totals['rate_limit']}"
    return text


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
