"""Each status check runs on its own: one slow answer never delays the others."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from runs.run_kit import API_KEY, make_campaign

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.progress import Reporter
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.validate import load_campaign
from jogg_pipeline.state.store import StateStore

HOLD_LIMIT = 60.0  # seconds the first status check is held at most


class HoldFirstCheck:
    """Holds the answer to the first status check until the run has reported a video finished
    (or HOLD_LIMIT passes): a poller that waits for each batch of checks never does."""

    def __init__(self, app, report: Lines) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.report = report
        self.held: list[float] = []  # when the held check was asked, then answered

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        first = (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] == "/v1/project"
            and not self.held
        )
        if first:
            self.held.append(time.monotonic())
            deadline = time.monotonic() + HOLD_LIMIT
            while time.monotonic() < deadline and not self.report.successes():
                await asyncio.sleep(0.05)
        await self.app(scope, receive, send)
        if first:
            self.held.append(time.monotonic())


class Lines(Reporter):
    """What the run reports, with when."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
        self.lines: list[tuple[float, str]] = []

    def __call__(self, line: str) -> None:
        self.lines.append((time.monotonic(), line))

    def successes(self) -> list[float]:
        return [at for at, line in self.lines if ": success (" in line]


async def slow_first_check(tmp_path: Path) -> tuple[HoldFirstCheck, Lines, int]:
    campaign = make_campaign(tmp_path)
    plan = load_campaign(campaign.spec)
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
            app = HoldFirstCheck(engine.app, report)
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


@pytest.mark.slow
def test_a_slow_status_answer_does_not_hold_back_the_other_videos(tmp_path: Path) -> None:
    app, report, videos = asyncio.run(slow_first_check(tmp_path))
    asked, answered = app.held
    successes = report.successes()
    assert len(successes) == videos
    # Another video was seen finished while the first check still waited for its answer.
    assert successes[0] < answered
    assert answered - asked < HOLD_LIMIT
