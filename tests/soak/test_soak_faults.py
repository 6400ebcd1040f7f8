"""The long suite: a campaign run through a fault proxy in front of the engine, over real
loopback sockets, that fails up to 30% of the calls in every way a network and a gateway do,
ends in the clean run's manifest within the client's own retry budget, with nothing requested
twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from runs.run_kit import API_KEY, Campaign, server_counts
from runs.test_run_resilience import comparable
from soak.soak_kit import Deadline, make_soak_campaign, report, setting
from starlette.types import ASGIApp
from support.faults import RANDOM_FAULTS, Fault, FaultyApp, LoopbackServer

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.manifest import Where, build_manifest
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.validate import load_campaign
from jogg_pipeline.state.store import StateStore

VIDEOS = setting("FAULT_VIDEOS", 60)  # videos of the campaign, per fault rate
RATES = (0.1, 0.2, 0.3)  # the share of API calls that meet a fault
SEED = setting("SEED", 8)
TIMEOUT = 2.0  # seconds a try may take: the delays below are on both sides of it
FAULTS = (
    *RANDOM_FAULTS,  # errors, 429 with Retry-After, drops, garbage and truncated bodies
    Fault.delay(0.5),  # a slow answer, within the timeout
    Fault.delay(TIMEOUT * 2),  # a timeout before the engine saw the request
    Fault.delay(TIMEOUT * 2, after=True),  # a timeout after it carried it out: an answer lost
)
DEADLINE = 15 * 60  # seconds each rate's test may take
ENGINE = "http://engine.invalid"  # the engine's own address, as the manifests are compared


def fault_name(fault: Fault) -> str:
    name = str(fault.kind)
    if fault.kind == "delay":
        name = "slow_answer" if fault.seconds < TIMEOUT else "timeout"
    return f"{name}_after" if fault.after else name


@contextlib.asynccontextmanager
async def faulty_engine(
    data_dir: Path, campaign: Campaign, rate: float, seed: int, apps: list[FaultyApp]
) -> AsyncIterator[ASGIApp]:
    config = EngineConfig(
        data_dir=data_dir,
        api_keys=(API_KEY,),
        quality="preview",
        workers=2,
        allowed_file_roots=(campaign.folder,),
    )
    async with LocalEngine(config) as engine:
        app = FaultyApp(
            engine.app, rate=rate, choices=FAULTS, seed=seed, drop_as="mark"
        )  # only the API's /v1/ calls: the media files are not the client's to retry
        apps.append(app)
        yield app


async def run_through(server: LoopbackServer, campaign: Campaign, root: Path) -> dict[str, Any]:
    plan = load_campaign(campaign.spec)
    state = StateStore(root / "state.sqlite3")
    try:
        async with JoggClient(
            f"{server.url}/v1",
            API_KEY,
            post_rate=None,
            poll=PollPolicy.local(),
            timeout=TIMEOUT,  # and the default retry budget, as `run` has it
        ) as client:
            backend = Backend("local", client, "engine-under-test")
            await Runner(plan, backend, state, RunOptions()).run()
        manifest = build_manifest(
            plan, state, backend="local", scope="engine-under-test", where=Where(campaign.folder)
        )
    finally:
        state.close()
    # The engine's media URLs name the address it was reached at: the proxy's port.
    return json.loads(json.dumps(manifest).replace(server.url, ENGINE))


def run_campaign(
    root: Path, campaign: Campaign, rate: float, seed: int, deadline: Deadline
) -> tuple[dict[str, Any], FaultyApp, int]:
    apps: list[FaultyApp] = []
    server = LoopbackServer(
        lambda: faulty_engine(root / "engine", campaign, rate, seed, apps), drop_proxy=True
    )
    with server:
        manifest = asyncio.run(
            asyncio.wait_for(run_through(server, campaign, root), deadline.left())
        )
        assert server.proxy is not None
        dropped = server.proxy.dropped
    return manifest, apps[0], dropped


@pytest.mark.soak
@pytest.mark.timeout(DEADLINE + 60)
@pytest.mark.parametrize("rate", RATES)
def test_faults_up_to_a_third_of_the_calls_end_in_the_clean_manifest(
    tmp_path: Path, rate: float
) -> None:
    deadline = Deadline(DEADLINE)
    campaign = make_soak_campaign(tmp_path, VIDEOS)
    products = -(-VIDEOS // 4)
    clean, _, _ = run_campaign(tmp_path / "clean", campaign, 0.0, SEED, deadline)
    assert clean["summary"] == {"success": VIDEOS, "failed": 0, "pending": 0}

    faulty, app, dropped = run_campaign(tmp_path / "faulty", campaign, rate, SEED, deadline)
    counts = server_counts(tmp_path / "faulty" / "engine")
    kinds = Counter(fault_name(fault) for _, fault in app.injected)
    report(
        tmp_path,
        {
            "test": "faults",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "rate": rate,
            "videos": VIDEOS,
            "calls": sum(app.seen.values()),
            "faults": len(app.injected),
            "faults_by_kind": dict(sorted(kinds.items())),
            "connections_dropped": dropped,
            "summary": faulty["summary"],
            "server_counts": counts,
            "wall_seconds": round(deadline.elapsed(), 1),
        },
    )
    assert comparable(faulty) == comparable(clean)
    assert counts == {"products": products, "videos": VIDEOS, "duplicate_requests": 0}
    assert len(app.injected) >= rate * sum(app.seen.values()) / 2, "too few faults injected"
