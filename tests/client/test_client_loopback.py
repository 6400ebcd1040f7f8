"""The client over real sockets: uvicorn on loopback behind the fault wrapper and DropProxy."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from client_kit import PRODUCT, ServeFaulty, finished_project, url_client, video_request
from support.faults import Fault

from jogg_pipeline.client.errors import InvalidApiKey, NotFound, RequestInDoubt

pytestmark = pytest.mark.anyio


async def test_walkthrough_over_http(serve_faulty: ServeFaulty, tmp_path: Path) -> None:
    server, faulty = serve_faulty()
    async with url_client(server.url) as client:
        product = await client.create_product(PRODUCT)
        project_id = await client.create_video(video_request(product.product_id))
        info = await finished_project(client, project_id)
        assert info.status_code == 4
        assert info.video_url.startswith(f"{server.url}/files/")
        digest = await client.download(info.video_url, tmp_path / "video.mp4")
        with pytest.raises(NotFound):
            await client.get_project("ffffffffffffffffffffffffffffffff")
    assert digest == hashlib.sha256((tmp_path / "video.mp4").read_bytes()).hexdigest()
    assert (tmp_path / "video.mp4").stat().st_size > 10_000
    assert faulty.succeeded["POST /v1/create_video_from_url"] == 1


async def test_socket_drop_after_a_post_took_effect_is_in_doubt(serve_faulty: ServeFaulty) -> None:
    server, faulty = serve_faulty(
        schedule={"POST /v1/create_video_from_url": [Fault.drop(after=True)]}
    )
    async with url_client(server.url) as client:
        product = await client.create_product(PRODUCT)
        with pytest.raises(RequestInDoubt, match="the connection was closed before a complete"):
            await client.create_video(video_request(product.product_id))
    assert server.proxy is not None and server.proxy.dropped == 1
    assert faulty.reached["POST /v1/create_video_from_url"] == 1
    assert faulty.succeeded["POST /v1/create_video_from_url"] == 1
    assert client.stats.sent["POST /create_video_from_url"] == 1


async def test_socket_drops_and_garbage_on_gets_are_retried(serve_faulty: ServeFaulty) -> None:
    faults = [
        Fault.drop(),
        Fault.drop(after=True),
        Fault.not_json(),
        Fault.truncated_json(after=True),
    ]
    server, faulty = serve_faulty(schedule={"GET /v1/products": faults})
    async with url_client(server.url) as client:
        product = await client.create_product(PRODUCT)
        listed = await client.list_products()
    assert [p.product_id for p in listed] == [product.product_id]
    assert client.stats.sent["GET /products"] == 5
    assert server.proxy is not None and server.proxy.dropped == 2
    assert faulty.reached["GET /v1/products"] == 3  # the "after" faults and the answer


async def test_slow_answers_time_out_over_sockets(serve_faulty: ServeFaulty) -> None:
    server, faulty = serve_faulty(
        schedule={
            "GET /v1/products": [Fault.delay(1.0)],
            "POST /v1/product": [None, Fault.delay(1.0, after=True)],
        }
    )
    async with url_client(server.url, timeout=0.3) as client:
        product = await client.create_product(PRODUCT)
        started = time.monotonic()
        listed = await client.list_products()
        assert time.monotonic() - started < 1.0, "the slow try was abandoned at the timeout"
        with pytest.raises(RequestInDoubt, match=r"no answer within 0\.3 s"):
            await client.create_product(PRODUCT)
    assert [p.product_id for p in listed] == [product.product_id]
    assert client.stats.sent["GET /products"] == 2
    assert client.stats.sent["POST /product"] == 2
    time.sleep(1.0)  # the slow answer's request still completes on the server
    assert faulty.succeeded["POST /v1/product"] == 2


async def test_bad_key_over_http(serve_faulty: ServeFaulty) -> None:
    server, _ = serve_faulty()
    async with url_client(server.url, api_key="wrong-key") as client:
        with pytest.raises(InvalidApiKey, match=r"^JoggAI API error 10105 \(Invalid API key\)"):
            await client.list_products()
