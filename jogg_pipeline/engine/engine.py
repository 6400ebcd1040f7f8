"""LocalEngine: the JoggAI-compatible engine over one data folder, as an async context manager.

    async with LocalEngine(EngineConfig(data_dir=path)) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        client = httpx.AsyncClient(transport=transport, base_url="http://engine/v1")

Entering opens the store, resumes the render queue and starts dispatching to the worker
processes; leaving stops the renders in flight (the next engine on the folder resumes them).
One engine at a time may use a data folder.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from fastapi import FastAPI
from filelock import FileLock, Timeout

from jogg_pipeline.engine import catalog
from jogg_pipeline.engine.app import AppParts, build_app
from jogg_pipeline.engine.auth import load_or_create_api_key
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.covers import ensure_avatar_covers
from jogg_pipeline.engine.extract import FetchPolicy
from jogg_pipeline.engine.files import DataLayout
from jogg_pipeline.engine.jobs import RenderQueue
from jogg_pipeline.engine.media import MediaHost
from jogg_pipeline.engine.products import Products
from jogg_pipeline.engine.projects import Projects
from jogg_pipeline.engine.ratelimit import SlidingWindowLimiter
from jogg_pipeline.engine.store import Store
from jogg_pipeline.engine.workers import WorkerPool
from jogg_pipeline.errors import PipelineError


class EngineError(PipelineError):
    """The engine could not start; the message says why."""


class LocalEngine:
    """The local engine; see the module docstring. `api_keys` and `app` are set once entered."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.layout = DataLayout(Path(config.data_dir).expanduser().resolve())
        self.api_keys: tuple[str, ...] = ()
        self.generated_key = False
        self.requeued = 0
        self._app: FastAPI | None = None
        self._lock = FileLock(str(self.layout.lock), timeout=0)
        self._store: Store | None = None
        self._queue: RenderQueue | None = None

    @property
    def app(self) -> FastAPI:
        if self._app is None:
            raise RuntimeError("LocalEngine.app is available inside `async with LocalEngine(...)`")
        return self._app

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(
            allowed_file_roots=tuple(
                Path(root).expanduser().resolve() for root in self.config.allowed_file_roots
            ),
            allow_private=self.config.allow_private_urls,
            max_bytes=self.config.max_fetch_bytes,
            timeout=self.config.fetch_timeout,
            product_deadline=self.config.product_deadline,
        )

    async def __aenter__(self) -> LocalEngine:
        try:
            self.layout.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EngineError(f"cannot create data folder {self.layout.root}: {error}") from None
        try:
            self._lock.acquire()
        except Timeout:
            raise EngineError(
                f"data folder {self.layout.root} is in use by another running engine"
            ) from None
        try:
            await self._open()
        except BaseException:
            await self._close()
            raise
        return self

    async def _open(self) -> None:
        self.layout.create()
        ensure_avatar_covers(self.layout)
        # Import the renderer's catalogue now rather than inside the first request.
        catalog.visual_styles()
        if self.config.api_keys:
            self.api_keys = tuple(self.config.api_keys)
        else:
            key, self.generated_key = load_or_create_api_key(self.layout.root)
            self.api_keys = (key,)
        self._store = Store(self.layout.database)
        policy = self.fetch_policy()
        media = MediaHost(self.layout, policy, self.config.max_media_per_product)
        products = Products(self._store, media, policy)
        self._queue = RenderQueue(self._store, self.layout, WorkerPool(self.config.workers))
        projects = Projects(self._store, products, self._queue, self.config.quality)
        limiter = SlidingWindowLimiter(self.config.post_rate) if self.config.post_rate else None
        self._app = build_app(AppParts(self.layout, self.api_keys, products, projects, limiter))
        self.requeued = await self._queue.start()

    async def _close(self) -> None:
        if self._queue is not None:
            await self._queue.stop()
            self._queue = None
        if self._store is not None:
            self._store.close()
            self._store = None
        self._app = None
        if self._lock.is_locked:
            self._lock.release()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._close()

    def status_counts(self) -> dict[int, int]:
        """How many projects are in each status code (for tests and diagnostics)."""
        if self._store is None:
            raise RuntimeError("the engine is not open")
        return self._store.count_by_status()
