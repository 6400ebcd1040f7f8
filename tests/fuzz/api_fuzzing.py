"""API fuzzing: the local engine served on loopback, fenced off the network, and the checks
every answer to a request generated from the JoggAI v1 OpenAPI document must pass.

Requests are generated from JoggAI's own document, the contract the engine must meet, not from
the engine's /openapi.json (tests/engine/test_engine_openapi.py keeps that one equal to the
reference's operations the engine serves: OPERATIONS below). Product URLs the fuzzer sends are
fetched through a fence: a resolver that knows no name and a dialer that opens no connection, so
no request can leave the machine, and the fence counts what was attempted.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpcore
import requests
import schemathesis
import uvicorn
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.engine.extract import FetchPolicy

OPENAPI = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "joggai" / "v1" / "openapi.yaml"
)
API_KEY = "fuzz-key-0123456789abcdef"
CODE_SYSTEM_ERROR = 50000
# (method, path) of every JoggAI v1 operation the engine implements.
OPERATIONS = frozenset(
    {
        ("POST", "/product"),
        ("PUT", "/product"),
        ("GET", "/products"),
        ("POST", "/create_video_from_url"),
        ("POST", "/preview"),
        ("GET", "/project"),
        ("GET", "/visual_styles"),
        ("GET", "/avatars"),
        ("GET", "/voices"),
        ("GET", "/musics"),
        ("GET", "/templates"),
    }
)


@dataclass
class Fence(httpcore.AsyncNetworkBackend):
    """The network as fetching sees it: no name resolves and no connection opens."""

    names: list[str] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)

    async def resolve(self, host: str, port: int) -> list[str]:
        self.names.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "no name resolves behind the fuzzing fence")

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connections.append((host, port))
        raise httpcore.ConnectError("no connection opens behind the fuzzing fence")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class FencedEngine(LocalEngine):
    """The engine with its defaults (no private addresses, no file roots), fetching through
    `fence`."""

    def __init__(self, config: EngineConfig, fence: Fence) -> None:
        super().__init__(config)
        self.fence = fence

    def fetch_policy(self) -> FetchPolicy:
        return replace(super().fetch_policy(), resolver=self.fence.resolve, dialer=self.fence)


@dataclass
class Served:
    base_url: str
    fence: Fence


@contextmanager
def fenced_engine(data_dir: Path) -> Iterator[Served]:
    """A FencedEngine served by uvicorn on loopback from a thread of this process."""
    fence = Fence()
    config = EngineConfig(data_dir=data_dir, api_keys=(API_KEY,), workers=1, quality="preview")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    ready = threading.Event()
    servers: list[uvicorn.Server] = []
    failures: list[BaseException] = []

    async def serve() -> None:
        async with FencedEngine(config, fence) as engine:
            server = uvicorn.Server(
                uvicorn.Config(engine.app, log_level="warning", lifespan="off", access_log=False)
            )
            servers.append(server)
            ready.set()
            await server.serve(sockets=[sock])

    def run() -> None:
        try:
            asyncio.run(serve())
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
            ready.set()

    thread = threading.Thread(target=run, name="fuzzed-engine", daemon=True)
    thread.start()
    try:
        assert ready.wait(60), "the engine did not start within 60 s"
        assert not failures, failures
        yield Served(f"http://127.0.0.1:{sock.getsockname()[1]}/v1", fence)
    finally:
        for server in servers:
            server.should_exit = True
        thread.join(30)
        sock.close()
    assert not failures, failures


def implemented_schema() -> Any:
    schema = schemathesis.openapi.from_path(str(OPENAPI))
    return schema.include(
        func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in OPERATIONS
    )


def cases() -> st.SearchStrategy[Any]:
    """Requests to every implemented operation, fitting the document and not fitting it."""
    schema = implemented_schema()
    strategies = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(mode, headers={"x-api-key": API_KEY}))
    assert len(strategies) == 2 * len(OPERATIONS)
    return st.one_of(strategies)


def check_answer(case: Any, base_url: str, session: requests.Session) -> requests.Response:
    """Send `case` and check the answer: an envelope with an int code, HTTP 200, never 50000."""
    response = case.call(
        base_url=base_url, session=session, headers={"x-api-key": API_KEY}, timeout=60
    )
    where = f"{case.method} {case.path} -> {response.status_code} {response.text[:300]!r}"
    assert response.status_code == 200, where
    body = response.json()
    assert isinstance(body, dict) and {"code", "msg", "data"} <= body.keys(), where
    assert type(body["code"]) is int and isinstance(body["msg"], str), where
    assert body["code"] != CODE_SYSTEM_ERROR, where
    return response
