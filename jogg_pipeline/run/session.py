"""One `run` of one or more campaigns: the backend, the runner, downloads, the manifest and
the run record, with the state locked throughout."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from jogg_pipeline.client.errors import ApiError, TransportFailure
from jogg_pipeline.run.adoption import claims_of_others, manifest_path, read_manifest
from jogg_pipeline.run.backends import BackendOptions, engine_files, open_backend
from jogg_pipeline.run.failures import Shown
from jogg_pipeline.run.manifest import Where, build_manifest, dumps, write_atomically
from jogg_pipeline.run.progress import Reporter
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.state.records import VideoStatus
from jogg_pipeline.state.store import StateStore

STATE_FILE = "state.sqlite3"


@dataclass
class CampaignOutcome:
    campaign: str
    manifest_path: Path
    summary: dict[str, int]
    selected_ok: bool


def where_of(backend_options: BackendOptions, root: Path) -> Where:
    return Where(root, engine_files(backend_options))


async def run_campaign(
    plan: ExpandedCampaign,
    backend_options: BackendOptions,
    options: RunOptions,
    state: StateStore,
    *,
    results_dir: Path,
    root: Path,
    download_dir: Path | None,
    report: Reporter,
) -> Runner:
    manifest = read_manifest(manifest_path(results_dir, plan.campaign))
    claims = claims_of_others(results_dir, plan.campaign)
    async with open_backend(backend_options) as backend:
        where = where_of(backend_options, root)

        def checkpoint() -> None:
            write_results(plan, state, backend.scope, results_dir, options.only, where)

        runner = Runner(
            plan,
            backend,
            state,
            options,
            report,
            manifest=manifest,
            claims=claims,
            checkpoint=checkpoint,
        )
        await runner.run()
        if download_dir is not None:
            await download_videos(runner, download_dir, report, where)
        return runner


async def download_videos(runner: Runner, folder: Path, report: Reporter, where: Where) -> None:
    """Fetch each finished video once; its path and sha256 go into the manifest."""
    state, scope = runner.state, runner.scope
    assignments = state.assignments(runner.plan.campaign)
    for video in runner.selected():
        assignment = assignments.get(video.id)
        if assignment is None or assignment.content_key is None or assignment.scope != scope:
            continue
        row = state.video(scope, assignment.content_key)
        if row is None or row.status is not VideoStatus.SUCCESS or not row.video_url:
            continue
        target = folder / runner.plan.campaign / (video.id.replace("/", "--") + ".mp4")
        name = where.path(target)
        if state.download(scope, row.content_key, name) and target.is_file():
            continue
        try:
            digest = await runner.client.download(row.video_url, target)
        except (ApiError, TransportFailure) as error:
            report(f"{video.id}: download failed: {error}")
            continue
        state.downloaded(scope, row.content_key, name, digest)
        report(f"{video.id}: downloaded to {name}")


def write_results(
    plan: ExpandedCampaign,
    state: StateStore,
    scope: str,
    results_dir: Path,
    only: frozenset[str] | None,
    where: Where,
) -> CampaignOutcome:
    manifest = build_manifest(plan, state, backend=plan.backend, scope=scope, where=where)
    path = results_dir / f"{plan.campaign}.json"
    write_atomically(path, dumps(manifest))
    selected = [v for v in manifest["videos"] if only is None or v["id"] in only]
    return CampaignOutcome(
        campaign=plan.campaign,
        manifest_path=path,
        summary=manifest["summary"],
        selected_ok=all(v["status"] == Shown.SUCCESS for v in selected),
    )


def write_run_record(
    state_dir: Path,
    outcome: CampaignOutcome,
    runner: Runner | None,
    started: float,
    interrupted: bool,
) -> Path:
    """Timings and request counts of this run: kept out of the manifest, which stays diffable."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started))
    path = state_dir / "runs" / outcome.campaign / f"{stamp}.json"
    record = {
        "campaign": outcome.campaign,
        "started": started,
        "seconds": round(time.time() - started, 3),
        "interrupted": interrupted,
        "summary": outcome.summary,
        "steps": asdict(runner.counts) if runner else None,
        "actions": dict(sorted(runner.actions.items())) if runner else None,
        "requests": runner.client.stats.as_dict() if runner else None,
    }
    write_atomically(path, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return path


def open_state(state_dir: Path) -> StateStore:
    return StateStore(state_dir / STATE_FILE)
