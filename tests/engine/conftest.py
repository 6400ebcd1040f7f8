"""Fixtures of the engine tests: a product site on loopback, engines in-process and over HTTP."""

from __future__ import annotations

import sys
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

# The helpers module sits beside this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).parent))

from engine_support import (
    API_KEY,
    InProcess,
    ProductSite,
    ServedEngine,
    engine_config,
    site_files,
    start_serve,
)

from jogg_pipeline.engine.engine import LocalEngine


@pytest.fixture(scope="session")
def product_site() -> Iterator[ProductSite]:
    site = ProductSite(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            entry = site.files.get(self.path)
            if entry is None:
                self.send_error(404)
                return
            content_type, body = entry
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    site.files = site_files(site.base_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def inprocess(tmp_path: Path) -> AsyncIterator[InProcess]:
    """An engine in this process, reached through httpx.ASGITransport as the runner does."""
    async with LocalEngine(engine_config(tmp_path / "engine")) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            yield InProcess(engine, client)


def serve_for_tests(data_dir: Path) -> ServedEngine:
    return start_serve(
        data_dir / "served",
        "--api-key",
        API_KEY,
        "--workers",
        "2",
        "--allow-private-urls",
        "--allow-file-root",
        str(data_dir),
    )


@pytest.fixture
def served(tmp_path: Path, product_site: ProductSite) -> Iterator[ServedEngine]:
    """`jogg-pipeline serve` for one test."""
    engine = serve_for_tests(tmp_path)
    yield engine
    engine.stop()


@pytest.fixture(scope="module")
def module_served(
    tmp_path_factory: pytest.TempPathFactory, product_site: ProductSite
) -> Iterator[ServedEngine]:
    """`jogg-pipeline serve` shared by the tests of one module."""
    engine = serve_for_tests(tmp_path_factory.mktemp("module-engine"))
    yield engine
    engine.stop()
