"""The shared POST limiter: at most N per sliding window under concurrency, and Retry-After."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from client_kit import PRODUCT, ServeFaulty, engine_config, in_process_client, url_client
from support.faults import Fault, FaultyApp

from jogg_pipeline.client.limiter import PostLimiter
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.quantities import Rate
from jogg_pipeline.wire.models import ProductUpdateRequest

pytestmark = pytest.mark.anyio
POLICY = Rate(3, 0.5)
LIMITED = ("POST /v1/product", "PUT /v1/product")


def most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of `times` inside any half-open window of `window` seconds."""
    ordered = sorted(times)
    return max(
        sum(1 for other in ordered[i:] if other < start + window) for i, start in enumerate(ordered)
    )


async def test_concurrent_posts_stay_within_the_window_and_puts_are_not_counted(
    tmp_path: Path,
) -> None:
    # The engine enforces the same limit on POSTs, as the cloud documents it: one over it would
    # be answered 429. PUTs are not counted by either.
    config = engine_config(tmp_path / "engine", post_rate=Rate(3, 0.5))
    async with LocalEngine(config) as engine:
        faulty = FaultyApp(engine.app)
        async with in_process_client(faulty, post_rate=POLICY) as client:
            first = await client.create_product(PRODUCT)
            started = time.monotonic()
            await asyncio.gather(
                *(client.create_product(PRODUCT) for _ in range(8)),
                *(
                    client.update_product(
                        ProductUpdateRequest(product_id=first.product_id, name=f"name {n}")
                    )
                    for n in range(3)
                ),
            )
            elapsed = time.monotonic() - started
            assert len(await client.list_products()) == 9
    posts = [at for at, key in faulty.arrivals if key == "POST /v1/product"]
    puts = [at for at, key in faulty.arrivals if key == "PUT /v1/product"]
    assert (len(posts), len(puts)) == (9, 3)
    assert most_in_any_window(posts, POLICY.per_seconds) == POLICY.requests
    assert min(puts) - started < POLICY.per_seconds  # they did not wait for the limit
    assert client.stats.rate_limited == 0
    assert not client.puts_counted
    # 3 per window: the 9th POST goes 2 windows after the 1st (sent just before `started`).
    assert elapsed >= POLICY.minimum_time(9) - 0.05
    assert client.stats.limiter_wait > 0


async def test_a_backend_that_answers_429_to_a_put_has_its_puts_counted(tmp_path: Path) -> None:
    config = engine_config(tmp_path / "engine")
    async with LocalEngine(config) as engine:
        faulty = FaultyApp(engine.app, schedule={"PUT /v1/product": [Fault.rate_limited(0.05)]})
        async with in_process_client(faulty, post_rate=POLICY) as client:
            product = await client.create_product(PRODUCT)
            assert not client.puts_counted
            await client.update_product(
                ProductUpdateRequest(product_id=product.product_id, name="renamed")
            )
            assert client.puts_counted  # the 429 said so; the PUT was sent again and done
            assert client.stats.rate_limited == 1
            started = time.monotonic()
            await asyncio.gather(
                *(
                    client.update_product(
                        ProductUpdateRequest(product_id=product.product_id, name=f"name {n}")
                    )
                    for n in range(7)
                )
            )
            elapsed = time.monotonic() - started
    puts = [at for at, key in faulty.arrivals if key == "PUT /v1/product"]
    assert most_in_any_window(puts[-7:], POLICY.per_seconds) <= POLICY.requests
    assert elapsed >= POLICY.per_seconds  # now they wait for the limit


async def test_a_put_that_lowers_x_ratelimit_remaining_is_counted(tmp_path: Path) -> None:
    remaining = iter(range(19, 0, -1))  # every POST and PUT takes a place

    async def counting(scope, receive, send):  # the limit's headers, as a gateway adds them
        async def with_header(message):
            if message["type"] == "http.response.start" and scope["method"] in ("POST", "PUT"):
                headers = [*message.get("headers", [])]
                headers.append((b"x-ratelimit-remaining", str(next(remaining)).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await engine.app(scope, receive, with_header)

    config = engine_config(tmp_path / "engine")
    async with (
        LocalEngine(config) as engine,
        in_process_client(counting, post_rate=POLICY) as client,
    ):
        product = await client.create_product(PRODUCT)
        assert not client.puts_counted
        await client.update_product(
            ProductUpdateRequest(product_id=product.product_id, name="renamed")
        )
        assert client.puts_counted


async def test_limiter_over_loopback_never_meets_the_engines_429(
    serve_faulty: ServeFaulty,
) -> None:
    server, faulty = serve_faulty(engine={"post_rate": Rate(3, 0.5)})
    async with url_client(server.url, post_rate=POLICY) as client:
        await asyncio.gather(*(client.create_product(PRODUCT) for _ in range(10)))
    arrivals = [at for at, key in faulty.arrivals if key == "POST /v1/product"]
    assert most_in_any_window(arrivals, POLICY.per_seconds) <= POLICY.requests
    assert client.stats.rate_limited == 0
    assert faulty.succeeded["POST /v1/product"] == 10


@pytest.mark.parametrize("retry_after", [1.0, 0.3], ids=["header", "body"])
async def test_retry_after_pauses_every_post_of_the_client(
    engine: LocalEngine, retry_after: float
) -> None:
    faulty = FaultyApp(engine.app, schedule={"POST /v1/product": [Fault.rate_limited(retry_after)]})
    async with in_process_client(faulty, post_rate=Rate(100, 1.0)) as client:
        first = asyncio.create_task(client.create_product(PRODUCT))
        while not faulty.injected:
            await asyncio.sleep(0.001)
        refused_at = faulty.calls[0][0]
        # These start after the 429: they must wait for the pause like the refused one.
        await asyncio.gather(first, *(client.create_product(PRODUCT) for _ in range(3)))
    later = [at for at, key in faulty.arrivals if key == "POST /v1/product"]
    assert len(later) == 4
    assert min(later) >= refused_at + retry_after - 0.01, (refused_at, later)
    assert client.stats.rate_limited == 1 and client.stats.sent["POST /product"] == 5


async def test_engine_429_is_retried_after_its_retry_after_and_never_duplicated(
    tmp_path: Path,
) -> None:
    config = engine_config(tmp_path / "engine", post_rate=Rate(2, 1.0))
    async with LocalEngine(config) as engine:
        faulty = FaultyApp(engine.app)
        async with in_process_client(faulty) as client:  # no client-side limit
            started = time.monotonic()
            made = await asyncio.gather(*(client.create_product(PRODUCT) for _ in range(4)))
            elapsed = time.monotonic() - started
            listed = await client.list_products()
    assert sorted(p.product_id for p in listed) == sorted(p.product_id for p in made)
    assert len(listed) == 4
    # The first 429 pauses the client's other POSTs, so few more are refused.
    assert client.stats.rate_limited >= 1
    assert faulty.reached["POST /v1/product"] == 4 + client.stats.rate_limited
    assert faulty.succeeded["POST /v1/product"] == 4
    assert elapsed >= 1.0  # the engine's Retry-After: 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_window_is_anchored_at_each_answer() -> None:
    clock = FakeClock()
    limiter = PostLimiter(Rate(2, 10.0), clock=clock, sleep=clock.sleep)
    async with limiter.slot():
        clock.now += 3.0  # a slow answer: its place counts from when it arrived
    async with limiter.slot():
        pass
    async with limiter.slot():
        pass
    assert clock.slept == [10.0]  # from 103, not 100: 7 s would let the server see 3
    assert clock.now == 113.0


async def test_unsent_request_gives_its_place_back_and_pause_holds_everyone() -> None:
    clock = FakeClock()
    limiter = PostLimiter(Rate(1, 10.0), clock=clock, sleep=clock.sleep)
    async with limiter.slot() as unsent:
        limiter.give_back(unsent)
    async with limiter.slot():
        pass
    assert clock.slept == []
    limiter.pause(25.0)
    assert limiter.paused_for == 25.0
    async with limiter.slot():
        pass
    assert clock.slept == [25.0]
    # Without a policy only pauses apply.
    free = PostLimiter(None, clock=clock, sleep=clock.sleep)
    for _ in range(50):
        async with free.slot():
            pass
    assert clock.slept == [25.0]


def test_policy_says_how_long_a_batch_takes_and_refuses_nonsense() -> None:
    cloud = Rate.cloud()
    assert (cloud.requests, cloud.per_seconds) == (20, 60.0)
    assert cloud.minimum_time(20) == 0.0
    assert cloud.minimum_time(21) == 60.0
    assert cloud.minimum_time(100) == 240.0
    with pytest.raises(ValueError, match="requests >= 1 and per_seconds > 0"):
        Rate(0, 60.0)
