"""`jogg-pipeline status [SPEC...]`: where each video stands, from the state; sends nothing."""

from __future__ import annotations

import argparse
import json
from collections import Counter

from jogg_pipeline.commands.common import (
    DEFAULT_STATE_DIR,
    add_spec_arguments,
    backend_options,
    load_plans,
)
from jogg_pipeline.errors import EXIT_INCOMPLETE, EXIT_OK, UsageError
from jogg_pipeline.run.backends import plan_scope
from jogg_pipeline.run.manifest import video_entries
from jogg_pipeline.run.session import STATE_FILE
from jogg_pipeline.state.store import StateStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="where each video stands, from the state",
        description=(
            "Show each video's status (success, failed, pending, in doubt) from the state. "
            "Without SPEC, list the campaigns the state knows. Exit 0 when every video shown "
            "succeeded, 1 otherwise."
        ),
    )
    add_spec_arguments(parser, required=False)
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = args.state_dir / STATE_FILE
    if not path.exists():
        where = "" if args.state_dir == DEFAULT_STATE_DIR else f" in {args.state_dir}"
        raise UsageError(f"no state{where}: nothing has run yet (see `jogg-pipeline run`)")
    state = StateStore(path)
    try:
        if not args.specs:
            return _campaigns(state, args.json)
        report = []
        for plan in load_plans(args):
            entries = video_entries(plan, state, plan_scope(backend_options(args, plan)))
            if args.only:
                entries = [e for e in entries if e["id"] in args.only]
            report.append({"campaign": plan.campaign, "videos": entries})
    finally:
        state.close()
    if args.json:
        print(json.dumps({"campaigns": report}, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for campaign in report:
            print(f"{campaign['campaign']}:")
            width = max((len(v["id"]) for v in campaign["videos"]), default=0)
            for video in campaign["videos"]:
                print(f"  {video['id']:<{width}}  {_describe(video)}")
    ok = all(v["status"] == "success" for c in report for v in c["videos"])
    return EXIT_OK if ok else EXIT_INCOMPLETE


def _describe(video: dict) -> str:
    error = video.get("error")
    if video["status"] == "success":
        return f"success  {video['video_url']}"
    if error and error.get("code") == "in_doubt":
        return f"in doubt  {error['msg']}"
    if error:
        return f"{video['status']}  {error['step']}: {error['msg']} (code {error['code']})"
    if video["project_id"]:
        return f"pending  project {video['project_id']}"
    return "not started"


def _campaigns(state: StateStore, as_json: bool) -> int:
    rows = []
    for campaign in state.campaigns():
        counts: Counter[str] = Counter()
        for assignment in state.assignments(campaign).values():
            row = state.video(assignment.scope, assignment.content_key or "")
            counts[row.status if row else "failed"] += 1
        rows.append({"campaign": campaign, "videos": dict(sorted(counts.items()))})
    if as_json:
        print(json.dumps({"campaigns": rows}, indent=2))
    else:
        for row in rows:
            counts_text = ", ".join(f"{n} {status}" for status, n in row["videos"].items())
            print(f"{row['campaign']}: {counts_text}")
    return EXIT_OK
