"""Benchmark of the local engine, in-process through httpx.ASGITransport.

Measures request latency (product creation from fields, create_video_from_url enqueueing,
GET /project while every worker is rendering) and render throughput at a chosen quality.

    /work/venv/bin/python benchmarks/engine_throughput.py [--videos 8] [--quality preview]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine

KEY = "benchmark"


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"p50 {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(ordered)})"


async def timed(call: object) -> float:
    start = time.perf_counter()
    response = await call  # type: ignore[misc]
    assert response.json()["code"] == 0, response.text
    return time.perf_counter() - start


async def main(videos: int, quality: str, workers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = EngineConfig(
            data_dir=Path(folder), api_keys=(KEY,), workers=workers, quality=quality
        )
        async with LocalEngine(config) as engine:
            transport = httpx.ASGITransport(app=engine.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://engine/v1", headers={"x-api-key": KEY}
            ) as client:
                product_times = [
                    await timed(client.post("/product", json={"name": f"Lamp {i}"}))
                    for i in range(200)
                ]
                print(f"POST /product (fields): {summary(product_times)}")
                product_id = (await client.get("/products")).json()["data"][0]["product_id"]
                body = {
                    "product_id": product_id,
                    "aspect_ratio": 0,
                    "video_length": "15",
                    "language": "english",
                    "avatar_id": 1,
                    "avatar_type": 0,
                    "template_type": "public",
                    "script_style": "Data",
                    "visual_style": "FullScreen",
                }
                started = time.perf_counter()
                project_ids = []
                enqueue_times = []
                for _ in range(videos):
                    t0 = time.perf_counter()
                    answer = await client.post("/create_video_from_url", json=body)
                    enqueue_times.append(time.perf_counter() - t0)
                    project_ids.append(answer.json()["data"]["project_id"])
                print(f"POST /create_video_from_url (enqueue): {summary(enqueue_times)}")
                poll_times: list[float] = []
                pending = set(project_ids)
                while pending:
                    for project_id in list(pending):
                        t0 = time.perf_counter()
                        response = await client.get("/project", params={"project_id": project_id})
                        poll_times.append(time.perf_counter() - t0)
                        status = response.json()["data"]["status_code"]
                        if status in (4, 5):
                            assert status == 4, response.text
                            pending.discard(project_id)
                    await asyncio.sleep(0.1)
                elapsed = time.perf_counter() - started
                print(f"GET /project while rendering: {summary(poll_times)}")
                print(
                    f"{videos} x 15 s {quality} videos with {workers} worker(s): {elapsed:.1f} s "
                    f"wall, {elapsed / videos:.2f} s per video, "
                    f"{videos * 15 / elapsed:.1f} s of video per second"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=8)
    parser.add_argument("--quality", default="preview", choices=("full", "hd", "preview"))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    arguments = parser.parse_args()
    asyncio.run(main(arguments.videos, arguments.quality, arguments.workers))
