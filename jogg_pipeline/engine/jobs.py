"""The render queue: waiting projects go to the worker pool in order, results go to the store.

The queue lives in SQLite, so it survives the engine: on start, projects a stopped engine left
mid-render go back to waiting and are rendered again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from jogg_pipeline.engine.files import DataLayout
from jogg_pipeline.engine.render_job import UnreadableRenderJob
from jogg_pipeline.engine.store import Store, StoredProject
from jogg_pipeline.engine.workers import COVER_NAME, VIDEO_NAME, RenderOrder, WorkerPool

log = logging.getLogger("jogg_pipeline.engine")


class RenderQueue:
    """Feeds waiting projects to the worker pool, claiming one only when a worker is free."""

    def __init__(self, store: Store, layout: DataLayout, pool: WorkerPool) -> None:
        self.store = store
        self.layout = layout
        self.pool = pool
        self._wakeup = asyncio.Event()
        self._running: set[asyncio.Task[None]] = set()
        self._dispatcher: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Requeue interrupted projects and start dispatching; return how many were requeued."""
        requeued = self.store.requeue_interrupted()
        if requeued:
            log.info("resuming %d interrupted render job(s)", requeued)
        self._dispatcher = asyncio.create_task(self._dispatch(), name="jogg-render-queue")
        self.wake()
        return requeued

    def wake(self) -> None:
        self._wakeup.set()

    async def stop(self) -> None:
        """Stop dispatching and kill running renders; they stay queued for the next start."""
        tasks = [*self._running, *([self._dispatcher] if self._dispatcher else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._running.clear()
        self._dispatcher = None
        await self.pool.close()

    async def _dispatch(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while len(self._running) < self.pool.size:
                project = self.store.claim_next_waiting()
                if project is None:
                    break
                task = asyncio.create_task(self._render(project), name=project.project_id)
                self._running.add(task)
                task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self.wake()

    async def _render(self, project: StoredProject) -> None:
        project_dir = self.layout.project_dir(project.project_id)
        try:
            job = project.job
        except UnreadableRenderJob as error:
            self.store.mark_failed(project.project_id, f"render failed: {error}")
            return
        order = RenderOrder(
            job=job,
            project_dir=project_dir,
            files_root=self.layout.files,
            attempt=str(project.attempts),
        )
        try:
            outcome = await self.pool.render(order)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("render job %s could not run", project.project_id)
            self.store.mark_failed(project.project_id, "render failed: internal error")
            return
        if outcome.ok:
            # What the project's video does differently from its request: said when the project
            # was made, and what the render found (a narration too long to say in full).
            notes = [*job.warnings, *outcome.notes]
            self.store.mark_success(
                project.project_id,
                video_path=self.layout.relative(project_dir / VIDEO_NAME),
                cover_path=self.layout.relative(project_dir / COVER_NAME),
                video_duration=outcome.duration,
                notes=notes,
            )
        else:
            self.store.mark_failed(project.project_id, outcome.reason)
