"""The render queue survives its engine: jobs left waiting or mid-render finish after a restart."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest
from engine_support import (
    API_KEY,
    create_video_body,
    engine_config,
    read_video,
    start_serve,
    wait_for_project,
)

from jogg_pipeline.engine.engine import LocalEngine

pytestmark = pytest.mark.slow  # engines stopped and killed mid-render, `serve` in a subprocess


async def status_of(client: httpx.AsyncClient, project_id: str) -> int:
    response = await client.get("/project", params={"project_id": project_id})
    return int(response.json()["data"]["status_code"])


@pytest.mark.anyio
async def test_stopped_engine_leaves_jobs_that_the_next_one_finishes(tmp_path: Path) -> None:
    data_dir = tmp_path / "engine"
    config = engine_config(data_dir, workers=1)
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            product = (await client.post("/product", json={"name": "Desk lamp"})).json()["data"]
            project_ids = []
            for length in ("15", "30"):
                body = create_video_body(product["product_id"], video_length=length)
                answer = await client.post("/create_video_from_url", json=body)
                project_ids.append(answer.json()["data"]["project_id"])
            deadline = time.monotonic() + 30
            while await status_of(client, project_ids[0]) != 3:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            # One worker: the first renders, the second waits.
            assert await status_of(client, project_ids[1]) == 2
    # The engine stopped mid-render: its job is recorded as processing, nothing was produced.
    project_dir = data_dir / "files" / "projects" / project_ids[0]
    assert not (project_dir / "video.mp4").exists()

    async with LocalEngine(config) as engine:
        assert engine.requeued == 1
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            for project_id, seconds in zip(project_ids, (15, 30), strict=True):
                info = await wait_for_project(client, project_id)
                assert info["status_code"] == 4, info
                video = await client.get(str(info["video_url"]))
                assert abs(read_video(video.content).duration - seconds) <= 0.1
    assert sorted(p.name for p in project_dir.iterdir()) == [
        "captions.vtt",
        "cover.jpg",
        "video.mp4",
    ]


def test_killed_server_resumes_its_queue(tmp_path: Path) -> None:
    data_dir = tmp_path / "served"
    common = ("--api-key", API_KEY, "--workers", "1")
    served = start_serve(data_dir, *common)
    headers = {"x-api-key": API_KEY}
    try:
        with httpx.Client(base_url=served.api_url, headers=headers, timeout=30) as client:
            product = client.post("/product", json={"name": "Kettle"}).json()["data"]
            body = create_video_body(product["product_id"])
            project_id = client.post("/create_video_from_url", json=body).json()["data"][
                "project_id"
            ]
            deadline = time.monotonic() + 30
            while (
                client.get("/project", params={"project_id": project_id}).json()["data"][
                    "status_code"
                ]
                != 3
            ):
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        served.stop(signal.SIGKILL)

    restarted = start_serve(data_dir, *common)
    try:
        assert any("Resuming 1 interrupted render job(s)" in line for line in restarted.banner)
        with httpx.Client(base_url=restarted.api_url, headers=headers, timeout=30) as client:
            deadline = time.monotonic() + 120
            while (
                info := client.get("/project", params={"project_id": project_id}).json()["data"]
            )["status_code"] not in (4, 5):
                assert time.monotonic() < deadline
                time.sleep(0.2)
            assert info["status_code"] == 4, info
            assert abs(read_video(httpx.get(info["video_url"]).content).duration - 15) <= 0.1
    finally:
        restarted.stop()
