"""Benchmark of the JoggAI client against the local engine: overhead, faults, rate limit.

1. Latency of GET /products through JoggClient and through bare httpx, in-process (ASGI) and
   over loopback (uvicorn), and through the DropProxy that the fault tests use.
2. A fault soak over loopback: GETs and POSTs with a seeded fraction of injected faults
   (error envelopes, 429, dropped connections before and after the engine, garbage bodies);
   every GET must end right, and no POST may be done twice.
3. The POST limiter at a scaled cloud rate (20 per 2 s) with every request at once, against an
   engine enforcing the same limit: the most requests in any window, and 429s met.

    /work/venv/bin/python benchmarks/client_throughput.py [--requests 300] [--soak 400]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.faults import RANDOM_FAULTS, Fault, FaultyApp, LoopbackServer

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.errors import RequestInDoubt
from jogg_pipeline.client.retry import RetryPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.quantities import Rate
from jogg_pipeline.wire.models import ProductCreateRequest

KEY = "benchmark-key"
QUICK_RETRIES = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05, total_seconds=60)
SOAK_FAULTS = [f for f in RANDOM_FAULTS if f.kind != "rate_limited"] + [Fault.rate_limited(0.05)]


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms "
        f"(n={len(ordered)})"
    )


async def latencies(call: Callable[[], Awaitable[Any]], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return samples


def config(folder: Path, **overrides: Any) -> EngineConfig:
    return EngineConfig(data_dir=folder, api_keys=(KEY,), workers=1, quality="preview", **overrides)


@contextlib.asynccontextmanager
async def faulty_engine(settings: EngineConfig, **faults: Any) -> AsyncIterator[FaultyApp]:
    async with LocalEngine(settings) as engine:
        yield FaultyApp(engine.app, drop_as="mark", **faults)


async def compare(label: str, client: JoggClient, bare: httpx.AsyncClient, count: int) -> None:
    for n in range(10):
        await client.create_product(ProductCreateRequest(name=f"Lamp {n}"))

    async def bare_get() -> httpx.Response:
        return await bare.get("/products", headers={"x-api-key": KEY})

    print(f"{label:<11} bare httpx  GET /products: {summary(await latencies(bare_get, count))}")
    samples = await latencies(client.list_products, count)
    print(f"{label:<11} JoggClient  GET /products: {summary(samples)}")


async def overhead(folder: Path, count: int) -> None:
    async with LocalEngine(config(folder / "inprocess")) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with (
            JoggClient("http://engine/v1", KEY, transport=transport) as client,
            httpx.AsyncClient(transport=transport, base_url="http://engine/v1") as bare,
        ):
            await compare("in-process", client, bare, count)
    for label, proxy in (("loopback", False), ("DropProxy", True)):
        settings = config(folder / f"served-{proxy}")
        with LoopbackServer(lambda s=settings: faulty_engine(s), drop_proxy=proxy) as server:
            async with (
                JoggClient(f"{server.url}/v1", KEY) as client,
                httpx.AsyncClient(base_url=f"{server.url}/v1") as bare,
            ):
                await compare(label, client, bare, count)


async def soak(folder: Path, count: int, rate: float) -> None:
    settings = config(folder / "soak")
    schedule_faults = {"rate": rate, "seed": 11, "choices": SOAK_FAULTS}
    with LoopbackServer(
        lambda: faulty_engine(settings, **schedule_faults), drop_proxy=True
    ) as server:
        faulty = server.app
        assert isinstance(faulty, FaultyApp)
        async with JoggClient(
            f"{server.url}/v1", KEY, retries=QUICK_RETRIES, post_rate=None
        ) as client:
            made: list[str] = []
            in_doubt = 0
            start = time.perf_counter()
            for n in range(count // 4):
                try:
                    made.append(
                        (await client.create_product(ProductCreateRequest(name=f"P{n}"))).product_id
                    )
                except RequestInDoubt:
                    in_doubt += 1
            wrong = 0
            for _ in range(count):
                listed = {p.product_id for p in await client.list_products()}
                wrong += not set(made) <= listed
            elapsed = time.perf_counter() - start
        done = faulty.succeeded["POST /v1/product"]
        print(
            f"fault soak: {count // 4} POSTs + {count} GETs over loopback, {rate:.0%} faulted "
            f"({len(faulty.injected)} faults, {server.proxy.dropped if server.proxy else 0} real "
            f"socket drops) in {elapsed:.1f} s"
        )
        print(
            f"  GETs with a wrong answer: {wrong}; retries: {client.stats.retries}; "
            f"POSTs done by the engine: {done} = {len(made)} confirmed + "
            f"{done - len(made)} of {in_doubt} in doubt (never resent); "
            f"duplicates: {max(0, done - len(made) - in_doubt)}"
        )
        print(f"  client stats: {client.stats.as_dict()}")


async def limiter(folder: Path, count: int) -> None:
    policy = Rate(20, 2.0)
    settings = config(folder / "limited", post_rate=Rate(20, 2.0))
    with LoopbackServer(lambda: faulty_engine(settings)) as server:
        faulty = server.app
        assert isinstance(faulty, FaultyApp)
        async with JoggClient(f"{server.url}/v1", KEY, post_rate=policy) as client:
            start = time.perf_counter()
            await asyncio.gather(
                *(client.create_product(ProductCreateRequest(name=f"L{n}")) for n in range(count))
            )
            elapsed = time.perf_counter() - start
        times = sorted(at for at, key in faulty.arrivals if key == "POST /v1/product")
        most = max(
            sum(1 for t in times[i:] if t < s + policy.per_seconds) for i, s in enumerate(times)
        )
        print(
            f"limiter {policy.requests}/{policy.per_seconds:g}s, {count} concurrent POSTs: "
            f"{elapsed:.2f} s (floor {policy.minimum_time(count):.2f} s), most in any window "
            f"{most}, 429s met {client.stats.rate_limited}"
        )


async def main(count: int, soak_count: int, rate: float) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        await overhead(folder, count)
        await soak(folder, soak_count, rate)
        await limiter(folder, 100)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--soak", type=int, default=400)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.soak, args.fault_rate))
