"""The API key never appears in an exception, a traceback, a repr, the stats or the log."""

from __future__ import annotations

import json
import logging
import traceback

import pytest
from client_kit import API_KEY, PRODUCT, in_process_client, url_client, video_request
from starlette.types import Receive, Scope, Send
from support.faults import Fault, FaultyApp, free_port

from jogg_pipeline.client.errors import BadParameter, RequestInDoubt, TransportFailure
from jogg_pipeline.client.retry import RetryPolicy
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.errors import PipelineError

pytestmark = pytest.mark.anyio


async def echo_key_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A broken server that repeats the request's key back: in garbage, and in an error."""
    key = dict(scope["headers"]).get(b"x-api-key", b"").decode()
    if scope["method"] == "GET":
        body = f"<html>bad gateway for key {key}</html>".encode()
        content_type = b"text/html"
    else:
        body = json.dumps({"code": 40000, "msg": f"Parameter error: key {key} is odd"}).encode()
        content_type = b"application/json"
    status = 502 if scope["method"] == "GET" else 200
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


def everything_about(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error) + str(error)


async def test_key_stays_secret_through_every_failure(
    engine: LocalEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log every request at this level
    errors: list[PipelineError] = []
    retries = RetryPolicy(attempts=2, base_delay=0.001)

    faulty = FaultyApp(
        engine.app,
        schedule={
            "POST /v1/product": [Fault.drop(after=True)],
            "GET /v1/products": [Fault.error(50000)] * 3,
        },
    )
    async with in_process_client(faulty, retries=retries) as client:
        for attempt in (
            client.create_product(PRODUCT),
            client.list_products(),
            client.create_video(video_request("no-such-product", visual_style="Nope")),
        ):
            with pytest.raises(PipelineError) as caught:
                await attempt
            errors.append(caught.value)
        assert API_KEY not in repr(client) + json.dumps(client.stats.as_dict())

    async with in_process_client(echo_key_app, retries=retries) as client:
        with pytest.raises(TransportFailure) as garbage:
            await client.list_products()
        with pytest.raises(BadParameter) as echoed:
            await client.create_product(PRODUCT)
    errors += [garbage.value, echoed.value]
    assert "key *** is odd" in str(echoed.value)

    async with url_client(f"http://127.0.0.1:{free_port()}", retries=retries) as client:
        with pytest.raises(TransportFailure) as refused:
            await client.get_project("abc")
    errors.append(refused.value)

    assert {type(error).__name__ for error in errors} >= {
        "RequestInDoubt",
        "ServerError",
        "TransportFailure",
        "BadParameter",
    }
    assert any(isinstance(error, RequestInDoubt) for error in errors)
    for error in errors:
        assert API_KEY not in everything_about(error), error
    assert caplog.records, "the client and httpx did log"
    assert API_KEY not in caplog.text
    assert all(API_KEY not in str(record.args) for record in caplog.records)
