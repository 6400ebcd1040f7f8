"""The fault wrapper itself: reproducible plans, schedules by pattern, honest counts."""

from __future__ import annotations

import httpx
import pytest
from client_kit import API_KEY, IN_PROCESS_URL
from support.faults import RANDOM_FAULTS, Fault, FaultyApp

from jogg_pipeline.engine.engine import LocalEngine

pytestmark = pytest.mark.anyio


async def drive(app: FaultyApp, calls: int) -> list[int]:
    """GET /products `calls` times with bare httpx; the HTTP status of each answer."""
    statuses = []
    transport = httpx.ASGITransport(app=app)
    headers = {"x-api-key": API_KEY}
    async with httpx.AsyncClient(transport=transport, base_url=IN_PROCESS_URL) as client:
        for _ in range(calls):
            try:
                statuses.append((await client.get("/products", headers=headers)).status_code)
            except httpx.RemoteProtocolError:
                statuses.append(0)
    return statuses


async def test_same_seed_same_faults(engine: LocalEngine) -> None:
    plans = [FaultyApp(engine.app, rate=0.5, seed=3, choices=RANDOM_FAULTS) for _ in range(2)]
    answers = [await drive(plan, 40) for plan in plans]
    assert answers[0] == answers[1]
    assert plans[0].injected == plans[1].injected
    assert 10 <= len(plans[0].injected) <= 30
    other = FaultyApp(engine.app, rate=0.5, seed=4, choices=RANDOM_FAULTS)
    await drive(other, 40)
    assert other.injected != plans[0].injected


async def test_schedule_then_counts(engine: LocalEngine) -> None:
    schedule = {"GET /v1/prod*": [Fault.drop(), None, Fault.drop(after=True), Fault.not_json()]}
    faulty = FaultyApp(engine.app, schedule=schedule)
    assert await drive(faulty, 6) == [0, 200, 0, 502, 200, 200]
    key = "GET /v1/products"
    assert (faulty.seen[key], faulty.reached[key], faulty.succeeded[key]) == (6, 4, 4)
    assert [fault.kind for _, fault in faulty.injected] == ["drop", "drop", "not_json"]
    assert len(faulty.arrivals) == 4 and len(faulty.calls) == 6
