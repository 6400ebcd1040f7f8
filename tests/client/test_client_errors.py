"""Every documented error code surfaces as its type, with code, msg and rid, in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from client_kit import API_KEY, PRODUCT, engine_config, in_process_client, video_request
from support.faults import Fault, FaultyApp

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.errors import (
    ApiError,
    BadParameter,
    ClientSetupError,
    InsufficientCredit,
    InvalidApiKey,
    NoPermission,
    NotFound,
    RateLimited,
    ServerError,
)
from jogg_pipeline.client.retry import RetryPolicy
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.errors import PipelineError
from jogg_pipeline.quantities import Rate

pytestmark = pytest.mark.anyio
RID = re.compile(r"^[0-9a-f]{32}$")


def check_one_line(error: ApiError, code: int, where: str) -> None:
    text = str(error)
    assert isinstance(error, PipelineError)
    assert error.code == code
    assert RID.match(error.rid), error.rid
    assert "\n" not in text
    assert text.startswith(f"JoggAI API error {code} ({error.title}) on {where}"), text
    assert text.endswith(f"[rid {error.rid}]"), text
    assert API_KEY not in text and API_KEY not in repr(error)


async def test_unknown_project_is_not_found(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        with pytest.raises(NotFound) as caught:
            await client.get_project("0123456789abcdef0123456789abcdef")
    check_one_line(caught.value, 10104, "GET /project")
    assert "does not exist" in caught.value.msg
    assert client.stats.retries == 0


async def test_bad_key_is_invalid_api_key(engine: LocalEngine) -> None:
    async with in_process_client(engine.app, api_key="not-the-key") as client:
        with pytest.raises(InvalidApiKey) as caught:
            await client.create_product(PRODUCT)
    check_one_line(caught.value, 10105, "POST /product")
    assert str(caught.value).startswith(
        "JoggAI API error 10105 (Invalid API key) on POST /product: x-api-key is not a key"
    )
    assert "not-the-key" not in str(caught.value)


async def test_bad_parameter(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        product = await client.create_product(PRODUCT)
        with pytest.raises(BadParameter) as caught:
            await client.create_video(
                video_request(product.product_id, override_script="x" * 20_001)
            )
    check_one_line(caught.value, 40000, "POST /create_video_from_url")
    assert "override_script" in str(caught.value)
    assert client.stats.sent["POST /create_video_from_url"] == 1


async def test_engine_rate_limit_surfaces_with_retry_after(tmp_path: Path) -> None:
    config = engine_config(tmp_path / "engine", post_rate=Rate(1, 60.0))
    async with (
        LocalEngine(config) as engine,
        in_process_client(engine.app, retries=RetryPolicy.never()) as client,
    ):
        await client.create_product(PRODUCT)
        with pytest.raises(RateLimited) as caught:
            await client.create_product(PRODUCT)
    check_one_line(caught.value, 429, "POST /product")
    assert caught.value.retry_after is not None and 55 <= caught.value.retry_after <= 60
    assert f"(retry after {caught.value.retry_after:g} s) [rid" in str(caught.value)
    assert client.stats.rate_limited == 1
    assert client.limiter.paused_for > 50  # every later POST of this client waits too


@pytest.mark.parametrize(
    ("code", "kind", "title"),
    [
        (50000, ServerError, "System error"),
        (18020, InsufficientCredit, "Insufficient credit"),
        (18025, NoPermission, "No permission to call APIs"),
        (12345, ApiError, "unknown error code"),
    ],
)
async def test_codes_from_the_fault_wrapper(
    engine: LocalEngine, code: int, kind: type[ApiError], title: str
) -> None:
    faulty = FaultyApp(engine.app, schedule={"POST /v1/product": [Fault.error(code)] * 10})
    async with in_process_client(faulty) as client:
        with pytest.raises(kind) as caught:
            await client.create_product(PRODUCT)
    assert type(caught.value) is kind
    assert caught.value.title == title
    check_one_line(caught.value, code, "POST /product")
    assert faulty.reached["POST /v1/product"] == 0
    # Only 50000 says "not done, try again": it is retried until the attempts run out.
    expected_sends = client.retries.attempts if code == 50000 else 1
    assert client.stats.sent["POST /product"] == expected_sends


async def test_exhausted_retries_on_50000_keep_the_last_answer(engine: LocalEngine) -> None:
    faulty = FaultyApp(engine.app, schedule={"GET /v1/products": [Fault.error(50000)] * 3})
    async with in_process_client(faulty, retries=RetryPolicy(attempts=3, base_delay=0)) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_products()
    check_one_line(caught.value, 50000, "GET /products")
    assert client.stats.retries == 2 and client.stats.server_errors == 3


@pytest.mark.parametrize("base_url", ["api.jogg.ai/v1", "ftp://api.jogg.ai/v1", "", "http://"])
def test_base_url_that_is_not_http_is_a_usage_error(base_url: str) -> None:
    with pytest.raises(ClientSetupError) as caught:
        JoggClient(base_url, API_KEY)
    assert str(caught.value) == (
        f"JoggAI base URL {base_url!r} is not an http(s) URL such as https://api.jogg.ai/v1"
    )


@pytest.mark.parametrize("key", ["", " padded-key ", "line\nbreak-key", "clé-secrète"])
def test_key_a_header_cannot_carry_is_refused_without_showing_it(key: str) -> None:
    with pytest.raises(ClientSetupError, match="API key is empty or has characters") as caught:
        JoggClient("https://api.jogg.ai/v1", key)
    assert key.strip() == "" or key.strip() not in str(caught.value)
