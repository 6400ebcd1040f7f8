"""Fixtures of the client tests: a local engine in-process, or served by uvicorn on loopback."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

# The helpers module sits beside this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).parent))

from client_kit import ServeFaulty, engine_config, faulty_engine
from support.faults import FaultyApp, LoopbackServer

from jogg_pipeline.engine.engine import LocalEngine


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[LocalEngine]:
    """A local engine in this process and event loop."""
    async with LocalEngine(engine_config(tmp_path / "engine")) as opened:
        yield opened


@pytest.fixture
def serve_faulty(tmp_path: Path) -> Iterator[ServeFaulty]:
    """Start engines under uvicorn on loopback, behind a FaultyApp and a DropProxy.

    Call it with FaultyApp's keywords, plus `config` overrides under `engine`.
    """
    servers: list[LoopbackServer] = []

    def start(
        engine: dict[str, Any] | None = None, **faults: Any
    ) -> tuple[LoopbackServer, FaultyApp]:
        config = engine_config(tmp_path / f"served-{len(servers)}", **(engine or {}))
        server = LoopbackServer(lambda: faulty_engine(config, **faults), drop_proxy=True)
        servers.append(server)
        server.start()
        assert isinstance(server.app, FaultyApp)
        return server, server.app

    yield start
    for server in servers:
        server.stop()
