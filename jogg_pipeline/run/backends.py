"""Backends: where a run's requests go. Both speak the JoggAI v1 wire format through the same
client; `local` serves the engine in-process (no socket) unless a base URL points at a
`jogg-pipeline serve` elsewhere, `jogg` is the JoggAI cloud."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from jogg_pipeline.api.client import JoggClient
from jogg_pipeline.api.limiter import RatePolicy
from jogg_pipeline.api.retry import PollPolicy
from jogg_pipeline.errors import UsageError

CLOUD_BASE_URL = "https://api.jogg.ai/v1"
IN_PROCESS_BASE_URL = "http://engine/v1"
ENGINE_FOLDER = "engine"


@dataclass(frozen=True)
class BackendOptions:
    name: str  # "local" or "jogg"
    state_dir: Path
    file_roots: tuple[Path, ...] = ()  # where local product pages may be read from
    base_url: str | None = None  # JOGG_BASE_URL, or a `jogg-pipeline serve` for local
    api_key_file: Path | None = None
    post_rate: RatePolicy | None = None  # None: the backend's default
    quality: str = "full"  # local engine in-process only
    allow_private_urls: bool = False  # local engine in-process only
    timeout: float = 30.0


@dataclass
class Backend:
    name: str
    client: JoggClient
    scope: str  # which account or engine the state's ids belong to


def resolve_base_url(options: BackendOptions) -> str | None:
    """The base URL of a remote server, or None for the in-process engine."""
    if options.base_url:
        return options.base_url.rstrip("/")
    if options.name == "jogg":
        return os.environ.get("JOGG_BASE_URL", "").rstrip("/") or CLOUD_BASE_URL
    return None


def read_api_key(options: BackendOptions) -> str:
    if options.api_key_file is not None:
        try:
            key = options.api_key_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(
                f"cannot read --api-key-file {options.api_key_file}: {error.strerror}"
            ) from None
        if not key:
            raise UsageError(f"--api-key-file {options.api_key_file} is empty")
        return key
    key = os.environ.get("JOGG_API_KEY", "").strip()
    if not key:
        where = "the JoggAI API" if options.name == "jogg" else "the engine at the base URL"
        raise UsageError(
            f"no API key for {where}: set JOGG_API_KEY or pass --api-key-file FILE "
            "(nothing was sent)"
        )
    return key


def scope_of(base_url: str, api_key: str) -> str:
    """Ids belong to an account: the base URL and a fingerprint of the key (never the key)."""
    fingerprint = hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]
    return f"{base_url}#{fingerprint}"


LOCAL_SCOPE_PREFIX = "local:"


def local_scope(state_dir: Path) -> str:
    return f"{LOCAL_SCOPE_PREFIX}{(state_dir / ENGINE_FOLDER).resolve()}"


def public_url(scope: str, url: str | None) -> str | None:
    """A produced file's address for people: the in-process engine's URLs work only inside
    its run, so they are given as the path of the file in the state folder instead."""
    if not url or not scope.startswith(LOCAL_SCOPE_PREFIX):
        return url
    path = urlsplit(url).path
    if "/files/" not in path:
        return url
    engine_dir = Path(scope.removeprefix(LOCAL_SCOPE_PREFIX))
    local = engine_dir / "files" / path.split("/files/", 1)[1]
    return os.path.relpath(local, Path.cwd())


def plan_scope(options: BackendOptions) -> str:
    """The scope a run with these options would use, without opening anything."""
    base_url = resolve_base_url(options)
    if base_url is None:
        return local_scope(options.state_dir)
    return scope_of(base_url, read_api_key(options))


@asynccontextmanager
async def open_backend(options: BackendOptions) -> AsyncIterator[Backend]:
    base_url = resolve_base_url(options)
    if base_url is not None:
        api_key = read_api_key(options)
        rate = options.post_rate or (RatePolicy.cloud() if options.name == "jogg" else None)
        poll = PollPolicy.cloud() if options.name == "jogg" else PollPolicy.local()
        async with JoggClient(
            base_url, api_key, post_rate=rate, poll=poll, timeout=options.timeout
        ) as client:
            yield Backend(options.name, client, scope_of(base_url, api_key))
        return

    # Imported here: only local runs pay for starting the engine.
    from jogg_pipeline.engine.config import EngineConfig
    from jogg_pipeline.engine.engine import LocalEngine

    api_key = secrets.token_hex(16)  # lives as long as this process; never stored
    config = EngineConfig(
        data_dir=options.state_dir / ENGINE_FOLDER,
        api_keys=(api_key,),
        quality=options.quality,
        allowed_file_roots=options.file_roots,
        allow_private_urls=options.allow_private_urls,
    )
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with JoggClient(
            IN_PROCESS_BASE_URL,
            api_key,
            transport=transport,
            post_rate=options.post_rate,
            poll=PollPolicy.local(),
            timeout=options.timeout,
        ) as client:
            yield Backend("local", client, local_scope(options.state_dir))
