"""`jogg-pipeline status [SPEC...]`: where each video stands, from the state (and, where the
state has lost a campaign, from its manifest); sends nothing and changes nothing."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from jogg_pipeline.commands.common import (
    add_spec_arguments,
    backend_options,
    context_of,
    load_campaigns,
    project_of,
    shown,
)
from jogg_pipeline.commands.exits import EXIT_INCOMPLETE, EXIT_OK
from jogg_pipeline.errors import UsageError
from jogg_pipeline.run.adoption import adopt_offline, manifest_path, read_manifest
from jogg_pipeline.run.failures import Shown, assigned_status
from jogg_pipeline.run.manifest import video_entries
from jogg_pipeline.run.planning import state_copy
from jogg_pipeline.run.session import STATE_FILE, where_of
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import FailureCode
from jogg_pipeline.state.store import StateStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="where each video stands, from the state",
        description=(
            "Show each video's status (success, failed, pending, in doubt) and warnings, from "
            "the state, or from the manifest where the state has lost a campaign. Without SPEC, "
            "the campaigns of the project's specs/, and the campaigns whose spec is gone. Exit "
            "0 when every video shown succeeded, 1 otherwise."
        ),
    )
    add_spec_arguments(parser)
    parser.add_argument("--results", type=Path, metavar="DIR", help="the manifests (results/)")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    state_file = args.state_dir / STATE_FILE
    if not args.specs and not project.specs.is_dir():
        if not state_file.exists():
            raise UsageError(_nothing_ran(args))
        state = StateStore.in_memory(state_file)
        try:
            return _campaigns(state, args.json)
        finally:
            state.close()
    plans = load_campaigns(args)
    manifests = {p.campaign: read_manifest(manifest_path(args.results, p.campaign)) for p in plans}
    if not state_file.exists() and not any(manifests.values()):
        raise UsageError(_nothing_ran(args))
    state = state_copy(state_file)
    try:
        report = [
            _campaign(args, plan, state, manifests[plan.campaign], project.root) for plan in plans
        ]
        gone = [] if args.specs else _gone(args, state, {p.campaign for p in plans})
    finally:
        state.close()
    if args.json:
        document = {"campaigns": report, "specs_gone": gone}
        print(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for campaign in report:
            print(f"{campaign['campaign']}:")
            width = max((len(v["id"]) for v in campaign["videos"]), default=0)
            for video in campaign["videos"]:
                print(f"  {video['id']:<{width}}  {_describe(video)}")
                for warning in video.get("warnings") or ():
                    print(f"  {'':<{width}}  warning: {warning}")
        for campaign in gone:
            print(f"{campaign['campaign']}: spec gone ({campaign['where']}); {campaign['counts']}")
    ok = all(v["status"] == Shown.SUCCESS for c in report for v in c["videos"])
    return EXIT_OK if ok else EXIT_INCOMPLETE


def _nothing_ran(args: argparse.Namespace) -> str:
    return (
        f"no state in {args.state_dir} and no manifest: nothing has run yet "
        "(see `jogg-pipeline run`)"
    )


def _campaign(
    args: argparse.Namespace,
    plan: ExpandedCampaign,
    state: StateStore,
    manifest: dict[str, Any] | None,
    root: Path,
) -> dict[str, Any]:
    context = context_of(args, plan)
    adopt_offline(plan, state, context.scope, manifest, context.quality)
    where = where_of(backend_options(args, plan), root)
    entries = video_entries(plan, state, context.scope, where)
    if args.only:
        entries = [e for e in entries if e["id"] in args.only]
    return {"campaign": plan.campaign, "videos": entries}


def _gone(args: argparse.Namespace, state: StateStore, current: set[str]) -> list[dict[str, Any]]:
    """Campaigns that the state or the results know and no spec names any more."""
    gone = []
    known = set(state.campaigns())
    results: dict[str, Path] = {}
    if args.results.is_dir():
        for path in sorted(args.results.glob("*.json")):
            manifest = read_manifest(path)
            if manifest is not None and isinstance(manifest.get("campaign"), str):
                results[manifest["campaign"]] = path
    for name in sorted((known | results.keys()) - current):
        counts = _counts(state, name) if name in known else None
        if counts is None and name in results:
            manifest = read_manifest(results[name]) or {}
            counts = dict(Counter(v.get("status") for v in manifest.get("videos", [])))
        where = (
            f"last results in {shown(results[name])}" if name in results else "in the state only"
        )
        text = ", ".join(f"{n} {status}" for status, n in sorted((counts or {}).items()))
        gone.append({"campaign": name, "where": where, "counts": text or "no videos"})
    return gone


def _describe(video: dict) -> str:
    error = video.get("error")
    if video["status"] == Shown.SUCCESS:
        return f"success  {video['video_url']}"
    if error and error.get("code") == FailureCode.IN_DOUBT:
        return f"in doubt  {error['msg']}"
    if error:
        return f"{video['status']}  {error['step']}: {error['msg']} (code {error['code']})"
    if video["project_id"]:
        return f"pending  project {video['project_id']}"
    return "not started"


def _counts(state: StateStore, campaign: str) -> dict[str, int]:
    """Videos by the status the manifest would give them."""
    counts: Counter[str] = Counter()
    for assignment in state.assignments(campaign).values():
        key = assignment.content_key
        row = None if key is None else state.video(assignment.scope, key)
        counts[str(assigned_status(assignment, row))] += 1
    return dict(sorted(counts.items()))


def _campaigns(state: StateStore, as_json: bool) -> int:
    counts = {name: _counts(state, name) for name in state.campaigns()}
    if as_json:
        rows = [{"campaign": name, "videos": videos} for name, videos in counts.items()]
        print(json.dumps({"campaigns": rows}, indent=2))
    else:
        for name, videos in counts.items():
            counts_text = ", ".join(f"{n} {status}" for status, n in videos.items())
            print(f"{name}: {counts_text}")
    return EXIT_OK
