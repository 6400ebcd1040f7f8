"""What is retried and what is not, against the in-process engine behind the fault wrapper."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from client_kit import PRODUCT, engine_config, in_process_client, url_client, video_request
from starlette.types import ASGIApp
from support.faults import RANDOM_FAULTS, Fault, FaultyApp, LoopbackServer, free_port, serving

from jogg_pipeline.client.errors import RequestInDoubt, TransportFailure
from jogg_pipeline.client.retry import RetryPolicy
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.wire.models import ProductUpdateRequest

pytestmark = pytest.mark.anyio

GET_FAULTS = [
    Fault.error(50000),
    Fault.rate_limited(0.05),
    Fault.drop(),
    Fault.drop(after=True),
    Fault.not_json(),
    Fault.not_json(after=True),
    Fault.truncated_json(after=True),
    Fault.no_code_json(),
    Fault.no_code_json(after=True),
    Fault.delay(1.0),
]


def fault_id(fault: Fault) -> str:
    return f"{fault.kind}-{'after' if fault.after else 'before'}"


@pytest.mark.parametrize("fault", GET_FAULTS, ids=fault_id)
async def test_get_is_retried_through_each_fault(engine: LocalEngine, fault: Fault) -> None:
    async with in_process_client(engine.app) as client:
        product = await client.create_product(PRODUCT)
    # Two faults in a row, then the real answer.
    faulty = FaultyApp(engine.app, schedule={"GET /v1/products": [fault, fault]})
    async with in_process_client(faulty, timeout=0.3) as client:
        products = await client.list_products()
    assert [p.product_id for p in products] == [product.product_id]
    assert client.stats.sent["GET /products"] == 3
    assert client.stats.retries == 2


async def test_random_faults_on_every_get_still_give_right_answers(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        product = await client.create_product(PRODUCT)
        project_id = await client.create_preview(video_request(product.product_id))
    # Every kind of fault, with a short Retry-After so the test stays quick.
    choices = [f for f in RANDOM_FAULTS if f.kind != "rate_limited"] + [Fault.rate_limited(0.02)]
    faulty = FaultyApp(engine.app, rate=0.4, seed=7, choices=choices)
    retries = RetryPolicy(attempts=10, base_delay=0.001, max_delay=0.01)
    async with in_process_client(faulty, retries=retries, rng=random.Random(1)) as client:
        for _ in range(40):
            info = await client.get_project(project_id)
            assert info.id == project_id
            assert [p.product_id for p in await client.list_products()] == [product.product_id]
    assert len(faulty.injected) >= 20, "the plan injected faults"
    assert client.stats.retries == len(faulty.injected)


@pytest.mark.parametrize("fault", [Fault.error(50000), Fault.rate_limited(0.05)], ids=str)
async def test_post_refused_by_the_server_is_retried_once_done(
    engine: LocalEngine, fault: Fault
) -> None:
    faulty = FaultyApp(engine.app, schedule={"POST /v1/product": [fault, fault]})
    async with in_process_client(faulty) as client:
        product = await client.create_product(PRODUCT)
        listed = await client.list_products()
    assert [p.product_id for p in listed] == [product.product_id]
    assert client.stats.sent["POST /product"] == 3
    assert faulty.reached["POST /v1/product"] == 1  # the refusals never reached the engine


@pytest.mark.parametrize(
    "fault",
    [
        Fault.drop(after=True),
        Fault.not_json(after=True),
        Fault.truncated_json(after=True),
        Fault.no_code_json(after=True),
        Fault.delay(2.0, after=True),
    ],
    ids=lambda f: str(f.kind),
)
async def test_post_whose_answer_is_lost_is_in_doubt_and_sent_once(
    engine: LocalEngine, fault: Fault
) -> None:
    faulty = FaultyApp(engine.app, schedule={"POST /v1/create_video_from_url": [fault]})
    async with in_process_client(faulty, timeout=0.3) as client:
        product = await client.create_product(PRODUCT)
        with pytest.raises(RequestInDoubt) as caught:
            await client.create_video(video_request(product.product_id))
    text = str(caught.value)
    assert text.startswith("JoggAI API request POST /create_video_from_url is in doubt: ")
    assert "\n" not in text and "it was not resent" in text
    assert client.stats.sent["POST /create_video_from_url"] == 1
    assert client.stats.in_doubt == 1
    # It did take effect: one project exists, and nothing asked for a second.
    assert faulty.succeeded["POST /v1/create_video_from_url"] == 1
    assert sum(engine.status_counts().values()) == 1


async def test_post_dropped_before_the_engine_is_in_doubt_too(engine: LocalEngine) -> None:
    # The client cannot tell "lost on the way in" from "lost on the way back".
    faulty = FaultyApp(engine.app, schedule={"POST /v1/product": [Fault.drop()]})
    async with in_process_client(faulty) as client:
        with pytest.raises(RequestInDoubt, match="the connection was closed"):
            await client.create_product(PRODUCT)
        assert await client.list_products() == []
    assert faulty.reached["POST /v1/product"] == 0


async def test_put_is_idempotent_so_it_is_retried_when_in_doubt(engine: LocalEngine) -> None:
    lost_answers = [Fault.drop(after=True), Fault.not_json(after=True)]
    faulty = FaultyApp(engine.app, schedule={"PUT /v1/product": lost_answers})
    async with in_process_client(faulty) as client:
        product = await client.create_product(PRODUCT)
        await client.update_product(
            ProductUpdateRequest(product_id=product.product_id, name="Renamed blush")
        )
        [listed] = await client.list_products()
    assert listed.name == "Renamed blush"
    assert faulty.reached["PUT /v1/product"] == 3
    assert client.stats.in_doubt == 0


async def test_connection_refused_is_retried_then_fails_with_what_was_tried() -> None:
    port = free_port()  # nothing listens here
    retries = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02)
    async with url_client(f"http://127.0.0.1:{port}", retries=retries) as client:
        with pytest.raises(TransportFailure) as caught:
            await client.create_product(PRODUCT)
    text = str(caught.value)
    assert text.startswith("No usable answer from the JoggAI API to POST /product: cannot connect")
    assert "(tried 4 times over" in text and "; retried on connection failures)" in text
    assert "\n" not in text
    assert caught.value.attempts == 4


async def test_post_refused_before_sending_is_retried_and_done_once(tmp_path: Path) -> None:
    """The first connection is refused; the server starts during the back-off."""
    port = free_port()
    faulty: list[FaultyApp] = []
    server: list[LoopbackServer] = []

    @contextlib.asynccontextmanager
    async def open_app() -> AsyncIterator[ASGIApp]:
        async with LocalEngine(engine_config(tmp_path / "engine")) as engine:
            faulty.append(FaultyApp(engine.app))
            async with serving(faulty[0]) as app:
                yield app

    async def start_server_then_sleep(seconds: float) -> None:
        if not server:
            server.append(LoopbackServer(open_app, port=port))
            await asyncio.to_thread(server[0].start)
        await asyncio.sleep(seconds)

    try:
        async with url_client(f"http://127.0.0.1:{port}", sleep=start_server_then_sleep) as client:
            product = await client.create_product(PRODUCT)
            assert [p.product_id for p in await client.list_products()] == [product.product_id]
    finally:
        for started in server:
            started.stop()
    assert client.stats.sent["POST /product"] == 2
    assert client.stats.transport_errors == 1
    assert faulty[0].reached["POST /v1/product"] == 1
