"""The benchmark server answers the walkthrough's four steps as the cloud does, over loopback."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.errors import ApiError
from jogg_pipeline.client.retry import RetryPolicy
from jogg_pipeline.wire.enums import STATUS_PROCESSING, STATUS_SUCCESS
from jogg_pipeline.wire.models import CreateVideoRequest, ProductCreateRequest, ProductUpdateRequest

pytestmark = pytest.mark.slow  # the benchmark server in a subprocess

SERVER = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_server.py"
KEY = "bench-key"
RENDER = 0.4
PAGE = "https://shop.example.com/products/happy-booster-blush"


def start(*options: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(SERVER), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


@pytest.fixture
def server() -> Iterator[str]:
    process, url = start("--latency", "0.01", "--render", str(RENDER), "--post-limit", "3/1")
    assert url.startswith("http://127.0.0.1:"), process.communicate(timeout=5)
    yield url
    process.terminate()
    process.wait(timeout=5)


def video_request(product_id: str) -> CreateVideoRequest:
    return CreateVideoRequest(
        product_id=product_id,
        aspect_ratio=0,
        video_length="15",
        language="english",
        avatar_id=127,
        avatar_type=0,
        template_type="public",
        script_style="Don't Worry",
        visual_style="FullScreen",
        video_name="spring blush",
    )


async def walkthrough(base_url: str) -> None:
    async with JoggClient(
        f"{base_url}/v1", KEY, post_rate=None, retries=RetryPolicy.never()
    ) as client:
        product = await client.create_product(ProductCreateRequest(url=PAGE))
        assert product.name == "Happy booster blush"
        assert product.url == PAGE
        await client.update_product(
            ProductUpdateRequest(product_id=product.product_id, name="Blush – 20% off")
        )
        listed = await client.list_products()
        assert [(p.product_id, p.name) for p in listed] == [(product.product_id, "Blush – 20% off")]

        started = time.monotonic()
        project_id = await client.create_video(video_request(product.product_id))
        first = await client.get_project(project_id)
        assert first.status_code == STATUS_PROCESSING and first.video_url == ""
        videos = await client.list_product_videos()
        assert [(v.id, v.title, v.status) for v in videos] == [
            (project_id, "spring blush", "processing")
        ]
        while (info := await client.get_project(project_id)).status_code != STATUS_SUCCESS:
            await asyncio.sleep(0.05)
        assert time.monotonic() - started >= RENDER
        assert info.video_duration == 15 and info.video_url.endswith(f"{project_id}.mp4")

        with pytest.raises(ApiError) as missing:
            await client.get_project("no-such-project")
        assert missing.value.code == 10104


def test_the_four_steps_of_the_walkthrough(server: str) -> None:
    asyncio.run(walkthrough(server))
    stats = httpx.get(f"{server}/bench/stats").json()
    assert stats["received"] == {
        "GET /v1/products": 1,
        "GET /v1/project": stats["received"]["GET /v1/project"],
        "GET /v2/product_videos": 1,
        "POST /v1/create_video_from_url": 1,
        "POST /v1/product": 1,
        "PUT /v1/product": 1,
    }
    assert stats["received"]["GET /v1/project"] >= 3
    assert (stats["products"], stats["projects"], stats["rate_limited"]) == (1, 1, 0)


def test_posts_beyond_the_limit_are_refused_with_retry_after(server: str) -> None:
    with httpx.Client(base_url=f"{server}/v1", headers={"x-api-key": KEY}) as http:
        answers = [http.post("/product", json={"url": f"{PAGE}-{n}"}) for n in range(4)]
        for _ in range(5):  # GETs are never limited
            assert http.get("/products").json()["code"] == 0
    assert [a.json()["code"] for a in answers] == [0, 0, 0, 429]
    assert answers[3].headers["retry-after"] == "1"
    stats = httpx.get(f"{server}/bench/stats").json()
    assert (stats["rate_limited"], stats["most_posts_in_window"], stats["products"]) == (1, 3, 3)


def test_wrong_key_and_bad_bodies_get_the_clouds_error_codes(server: str) -> None:
    with httpx.Client(base_url=f"{server}/v1") as http:
        assert http.get("/products", headers={"x-api-key": "other"}).json()["code"] == 10105
        broken = http.post("/product", content=b"{", headers={"x-api-key": KEY}).json()
        assert (broken["code"], broken["msg"]) == (40000, "Parameter error: the body is not JSON")
        empty = http.post("/product", json={}, headers={"x-api-key": KEY}).json()
        assert empty["code"] == 40000 and "url is required" in empty["msg"]


def test_a_malformed_post_limit_is_refused_in_one_line() -> None:
    process, url = start("--post-limit", "twenty")
    _, errors = process.communicate(timeout=10)
    assert url == "" and process.returncode == 2
    assert "'twenty' is not a POST limit such as 20/2" in errors.strip().splitlines()[-1]
