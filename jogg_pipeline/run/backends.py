"""Backends: where a run's requests go. Both speak the JoggAI v1 wire format through the same
client; `local` serves the engine in-process (no socket) unless a base URL points at a
`jogg-pipeline serve` elsewhere, `jogg` is the JoggAI cloud."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy
from jogg_pipeline.engine.auth import readable_by_others
from jogg_pipeline.errors import UsageError
from jogg_pipeline.quantities import Rate

CLOUD_BASE_URL = "https://api.jogg.ai/v1"
DEFAULT_QUALITY = "full"  # the in-process engine's, when neither the spec nor --quality says
IN_PROCESS_BASE_URL = "http://engine/v1"
ENGINE_FOLDER = "engine"
ENGINE_ID_FILE = "engine-id"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackendOptions:
    name: str  # "local" or "jogg"
    state_dir: Path
    file_roots: tuple[Path, ...] = ()  # where local product pages may be read from
    base_url: str | None = None  # JOGG_BASE_URL, or a `jogg-pipeline serve` for local
    api_key_file: Path | None = None
    post_rate: Rate | None = None  # None: the backend's default
    quality: str | None = None  # local engine in-process only; None: the engine's default
    allow_private_urls: bool = False  # local engine in-process only
    timeout: float = 30.0


@dataclass
class Backend:
    name: str
    client: JoggClient
    scope: str  # which account or engine the state's ids belong to
    quality: str | None = None  # the in-process engine's render quality: part of a video


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
        _warn_if_exposed(options.api_key_file.resolve())
        return key
    key = os.environ.get("JOGG_API_KEY", "").strip()
    if not key:
        where = "the JoggAI API" if options.name == "jogg" else "the engine at the base URL"
        raise UsageError(
            f"no API key for {where}: set JOGG_API_KEY or pass --api-key-file FILE "
            "(nothing was sent)"
        )
    return key


@functools.cache  # once per file and process: a run reads the key for each campaign
def _warn_if_exposed(path: Path) -> None:
    """A key file others may read gives the key away: say so, as `serve` does."""
    if readable_by_others(path):
        _log.warning("--api-key-file %s is readable by other users: chmod 600 it", path)


def normalise_base_url(base_url: str) -> str:
    """One spelling per backend: scheme and host in lower case, no default port, no trailing
    slash, and the loopback names as one."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host in _LOOPBACK_NAMES:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def scope_of(base_url: str, api_key: str) -> str:
    """Ids belong to an account: the backend's URL and a fingerprint of the key (never the
    key). Not where the state folder sits: a copied or rebuilt state finds its rows."""
    fingerprint = hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]
    return f"{normalise_base_url(base_url)}#{fingerprint}"


LOCAL_SCOPE_PREFIX = "local:"
# The scope of an in-process engine that has no data yet: nothing was ever made on it.
NEW_ENGINE_SCOPE = f"{LOCAL_SCOPE_PREFIX}none yet"


def engine_id(engine_dir: Path, *, create: bool) -> str | None:
    """The in-process engine's own identity, kept in its data folder, so its ids stay its own
    wherever the folder is moved; None when there is no engine yet and `create` is off."""
    path = engine_dir / ENGINE_ID_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if not create:
            return None
    engine_dir.mkdir(parents=True, exist_ok=True)
    identity = uuid.uuid4().hex
    path.write_text(identity + "\n", encoding="utf-8")
    return identity


def local_scope(state_dir: Path, *, create: bool = False) -> str:
    identity = engine_id(state_dir / ENGINE_FOLDER, create=create)
    return f"{LOCAL_SCOPE_PREFIX}{identity}" if identity else NEW_ENGINE_SCOPE


def plan_scope(options: BackendOptions) -> str:
    """The scope a run with these options would use, without opening anything."""
    base_url = resolve_base_url(options)
    if base_url is None:
        return local_scope(options.state_dir)
    return scope_of(base_url, read_api_key(options))


def identity_quality(options: BackendOptions) -> str | None:
    """The render quality that is part of a video's identity: the in-process engine's, which
    this run sets; None for a remote backend, whose quality is its own business."""
    if resolve_base_url(options) is not None:
        return None
    return options.quality or DEFAULT_QUALITY


def engine_files(options: BackendOptions) -> Path | None:
    """Where the in-process engine keeps the files it serves; None for a remote backend."""
    if resolve_base_url(options) is not None:
        return None
    return options.state_dir / ENGINE_FOLDER / "files"


def local_file(files: Path, url: str | None, relative_to: Path) -> str | None:
    """A produced file's address for people: the in-process engine's URLs work only inside
    its run, so they are given as the file's path, relative to the project, instead."""
    if not url:
        return url
    path = urlsplit(url).path
    if "/files/" not in path:
        return url
    local = files / path.split("/files/", 1)[1]
    return Path(os.path.relpath(local.absolute(), relative_to.absolute())).as_posix()


@asynccontextmanager
async def open_backend(options: BackendOptions) -> AsyncIterator[Backend]:
    base_url = resolve_base_url(options)
    if base_url is not None:
        api_key = read_api_key(options)
        rate = options.post_rate or (Rate.cloud() if options.name == "jogg" else None)
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
    quality = identity_quality(options)
    assert quality is not None
    scope = local_scope(options.state_dir, create=True)
    config = EngineConfig(
        data_dir=options.state_dir / ENGINE_FOLDER,
        api_keys=(api_key,),
        quality=quality,
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
            yield Backend("local", client, scope, quality)
