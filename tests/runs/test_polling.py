"""Each status check runs on its own: one slow answer never delays the others."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from runs.run_kit import API_KEY, make_campaign
from support.faults import Fault, FaultyApp

from jogg_pipeline.api.client import JoggClient
from jogg_pipeline.api.retry import PollPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.progress import Reporter
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.validate import load_plan
from jogg_pipeline.state.store import StateStore

SLOW = 6.0  # seconds the first status check takes to be answered


class Lines(Reporter):
    """What the run reports, with when."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
        self.lines: list[tuple[float, str]] = []

    def __call__(self, line: str) -> None:
        self.lines.append((time.monotonic(), line))


async def slow_first_check(tmp_path: Path) -> tuple[FaultyApp, Lines, int]:
    campaign = make_campaign(tmp_path)
    plan = load_plan(campaign.spec)
    config = EngineConfig(
        data_dir=tmp_path / "engine",
        api_keys=(API_KEY,),
        quality="preview",
        workers=2,
        allowed_file_roots=(campaign.folder,),
    )
    state = StateStore(tmp_path / "state.sqlite3")
    report = Lines()
    try:
        async with LocalEngine(config) as engine:
            app = FaultyApp(engine.app, schedule={"GET /v1/project": [Fault.delay(SLOW)]})
            async with JoggClient(
                "http://engine/v1",
                API_KEY,
                transport=httpx.ASGITransport(app=app),
                post_rate=None,
                poll=PollPolicy.local(),
            ) as client:
                runner = Runner(
                    plan, Backend("local", client, "engine"), state, RunOptions(), report
                )
                await runner.run()
    finally:
        state.close()
    return app, report, len(plan.videos)


def test_a_slow_status_answer_does_not_hold_back_the_other_videos(tmp_path: Path) -> None:
    app, report, videos = asyncio.run(slow_first_check(tmp_path))
    slow_asked = next(at for at, key, fault in app.calls if fault is not None)
    successes = [at for at, line in report.lines if ": success (" in line]
    assert len(successes) == videos
    # Other videos are seen finished while the first check still waits for its answer (a
    # poller that waits for each batch of checks to end sees none of them before it).
    assert sum(at < slow_asked + SLOW for at in successes) >= 1
    assert app.calls[0][0] <= slow_asked
