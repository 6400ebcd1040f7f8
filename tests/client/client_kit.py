"""Helpers of the client tests: engine settings, requests, clients wired to an app or a URL."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
from support.faults import FaultyApp, LoopbackServer

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy, RetryPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.wire.models import CreateVideoRequest, ProductCreateRequest

API_KEY = "client-test-key-5f2e9a7c41"
IN_PROCESS_URL = "http://engine/v1"
# Quick retries, so a test of five faults takes milliseconds, not the cloud's seconds.
FAST_RETRIES = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05, total_seconds=30.0)
PRODUCT = ProductCreateRequest(
    name="Happy Booster Heart Blush",
    description="Ultra-soft blendable blush with a fresh mix of tones for a healthy glow.",
)


# The `serve_faulty` fixture: start an engine under uvicorn behind a FaultyApp and DropProxy.
ServeFaulty = Callable[..., tuple[LoopbackServer, FaultyApp]]


def engine_config(data_dir: Path, **overrides: Any) -> EngineConfig:
    settings: dict[str, Any] = {
        "data_dir": data_dir,
        "api_keys": (API_KEY,),
        "workers": 2,
        "quality": "preview",
    }
    settings.update(overrides)
    return EngineConfig(**settings)


def video_request(product_id: str, **changes: Any) -> CreateVideoRequest:
    """The walkthrough's visual-style request for `product_id`, with `changes`."""
    body: dict[str, Any] = {
        "product_id": product_id,
        "aspect_ratio": 0,
        "video_length": "15",
        "language": "english",
        "avatar_id": 127,
        "avatar_type": 0,
        "visual_style": "FullScreen",
        "script_style": "Don't Worry",
        "voice_id": "en-US-ChristopherNeural",
        "template_type": "public",
        "caption": True,
    }
    body.update(changes)
    return CreateVideoRequest.model_validate(body)


async def finished_project(client: JoggClient, project_id: str, timeout: float = 120.0) -> Any:
    """Check the project at the client's poll intervals until it succeeds or fails."""
    deadline = time.monotonic() + timeout
    waits = client.poll.intervals()
    while True:
        info = await client.get_project(project_id)
        if info.status_code in (4, 5) or time.monotonic() > deadline:
            return info
        await asyncio.sleep(next(waits))


def in_process_client(app: Any, *, api_key: str = API_KEY, **options: Any) -> JoggClient:
    """A client of `app` through httpx.ASGITransport, with quick retries and no POST limit."""
    options.setdefault("retries", FAST_RETRIES)
    options.setdefault("post_rate", None)
    options.setdefault("poll", PollPolicy.local())
    transport = httpx.ASGITransport(app=app)
    return JoggClient(IN_PROCESS_URL, api_key, transport=transport, **options)


def url_client(root_url: str, *, api_key: str = API_KEY, **options: Any) -> JoggClient:
    """A client of a server on loopback, with quick retries and no POST limit."""
    options.setdefault("retries", FAST_RETRIES)
    options.setdefault("post_rate", None)
    options.setdefault("poll", PollPolicy.local())
    return JoggClient(f"{root_url}/v1", api_key, **options)


@contextlib.asynccontextmanager
async def faulty_engine(config: EngineConfig, **faults: Any) -> AsyncIterator[FaultyApp]:
    """A LocalEngine behind a FaultyApp that marks drops for a DropProxy (for LoopbackServer)."""
    async with LocalEngine(config) as engine:
        yield FaultyApp(engine.app, drop_as="mark", **faults)
