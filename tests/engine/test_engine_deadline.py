"""A product is answered within its deadline, however slowly its page's images arrive: what is
not fetched in time stays at its URL and the product's warnings say so."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from engine_support import API_KEY, engine_config, make_image, product_page

from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.engine.extract import FetchPolicy

pytestmark = pytest.mark.anyio
DEADLINE = 2.0
# Event-loop and thread scheduling on a busy machine, not fetching.
MARGIN = 1.5
FILES = "http://engine/files/media/"
QUICK_IMAGE = make_image((10, 160, 90), "PNG")


class _Trickle(BaseHTTPRequestHandler):
    """/quick.png at once; /trickle.jpg and /trickle.html a byte every 0.1 s, for a minute."""

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/product.html":
            images = [f"{base}/quick.png", f"{base}/trickle.jpg"]
            self._send("text/html; charset=utf-8", product_page(images))
        elif self.path == "/quick.png":
            self._send("image/png", QUICK_IMAGE)
        elif self.path in ("/trickle.jpg", "/trickle.html"):
            self._trickle("image/jpeg" if self.path.endswith(".jpg") else "text/html")
        else:
            self.send_error(404)

    def _send(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", "600")
        self.end_headers()
        # Ends when the client hangs up.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for _ in range(600):
                self.wfile.write(b"\xff")
                self.wfile.flush()
                time.sleep(0.1)


@pytest.fixture(scope="module")
def trickle_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class DeadlineEngine(LocalEngine):
    """The engine with a deadline short enough for a test."""

    def fetch_policy(self) -> FetchPolicy:
        return replace(super().fetch_policy(), product_deadline=DEADLINE)


@pytest.fixture
async def engine_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with DeadlineEngine(engine_config(tmp_path / "engine")) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://engine/v1",
            headers={"x-api-key": API_KEY},
            timeout=30,
        ) as client:
            yield client


async def timed_post(client: httpx.AsyncClient, body: dict[str, object]) -> tuple[dict, float]:
    started = time.monotonic()
    answer = (await client.post("/product", json=body)).json()
    return answer, time.monotonic() - started


async def test_a_trickling_image_is_left_behind_at_the_deadline(
    engine_client: httpx.AsyncClient, trickle_site: str
) -> None:
    answer, elapsed = await timed_post(engine_client, {"url": f"{trickle_site}/product.html"})
    assert answer["code"] == 0, answer
    assert DEADLINE - 0.2 < elapsed < DEADLINE + MARGIN
    product = answer["data"]
    quick, slow = (item["url"] for item in product["media"])
    assert quick.startswith(FILES) and quick.endswith(".png")
    assert slow == f"{trickle_site}/trickle.jpg"
    assert product["warnings"] == [
        f"1 of 2 images could not be used ({trickle_site}/trickle.jpg was not fetched in time)"
    ]
    # The answer is what the engine keeps.
    assert (await engine_client.get("/products")).json()["data"] == [product]


async def test_media_given_as_fields_and_updates_keep_the_deadline(
    engine_client: httpx.AsyncClient, trickle_site: str
) -> None:
    media = [{"type": 1, "url": f"{trickle_site}/trickle.jpg"}]
    answer, elapsed = await timed_post(engine_client, {"name": "Lamp", "media": media})
    assert answer["code"] == 0, answer
    assert elapsed < DEADLINE + MARGIN
    assert answer["data"]["warnings"] == [
        f"the product's image could not be used ({trickle_site}/trickle.jpg was not fetched "
        "in time): its videos show a designed card instead"
    ]
    update = {"product_id": answer["data"]["product_id"], "media": media}
    started = time.monotonic()
    updated = (await engine_client.put("/product", json=update)).json()
    assert updated["code"] == 0, updated
    assert time.monotonic() - started < DEADLINE + MARGIN


async def test_a_page_that_trickles_past_the_deadline_is_a_parameter_error(
    engine_client: httpx.AsyncClient, trickle_site: str
) -> None:
    url = f"{trickle_site}/trickle.html"
    answer, elapsed = await timed_post(engine_client, {"url": url})
    assert elapsed < DEADLINE + MARGIN
    assert answer["code"] == 40000
    assert answer["msg"] == (
        f"Parameter error: url could not be fetched: timed out after {DEADLINE:g} s fetching {url}"
    )
