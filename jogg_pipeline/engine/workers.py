"""Rendering in worker processes: at most `size` at once, each kept alive between jobs.

A worker is a Python process (`python -m jogg_pipeline.engine.workers`) that reads orders (a
render job and where to write it) as JSON lines on stdin and answers each with its outcome as a
JSON line on stdout. It imports the renderer once and serves job after job, so a job does not
pay for a fresh interpreter; a fresh process never re-imports the server's main module and
shares no locks with its threads. A job can be stopped at any moment by killing its worker (an
engine that stops leaves the job queued for the next one), and a worker whose engine is gone
exits at once. The worker writes the video and cover under partial names of its own and renames
them into place only when complete.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import sys
import threading
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from jogg_pipeline.engine.render_job import RenderJob

VIDEO_NAME = "video.mp4"
EXIT_ORPHANED = 3
COVER_NAME = "cover.jpg"
CAPTIONS_NAME = "captions.vtt"


@dataclass(frozen=True)
class RenderOutcome:
    """A finished job: its duration on success, or the one-line reason it failed."""

    ok: bool
    duration: float = 0.0
    reason: str = ""
    notes: tuple[str, ...] = ()  # what the render did differently from its job, if anything


class RenderOrder(BaseModel):
    """One job for a worker: what to render and where, sent as one JSON line."""

    model_config = ConfigDict(frozen=True, strict=True)

    job: RenderJob
    project_dir: Path
    files_root: Path  # the job's image paths are relative to it
    attempt: str  # names this attempt's partial files

    def to_line(self) -> bytes:
        return self.model_dump_json().encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> RenderOrder:
        return cls.model_validate_json(line)


def run_render_job(order: RenderOrder) -> RenderOutcome:
    """Render the order's job into its project folder, replacing what is there only when done."""
    from jogg_pipeline.engine.render import RenderSpec, render_video

    job, project_dir, attempt = order.job, order.project_dir, order.attempt
    spec = RenderSpec(
        aspect_ratio=job.aspect_ratio,
        video_length=job.video_length,
        title=job.title,
        price=job.price,
        description=job.description,
        images=tuple(order.files_root / relative for relative in job.images),
        caption=job.caption,
        visual_style=job.visual_style,
        quality=job.quality,
        seed=job.seed,
        script=job.script,
        language=job.language,
        voice_id=job.voice_id,
        music_id=job.music_id,
        presenter_id=job.presenter_id,
    )
    project_dir.mkdir(parents=True, exist_ok=True)
    # Partial files of an attempt that was killed with its engine.
    for stale in project_dir.glob("*.partial.*"):
        stale.unlink(missing_ok=True)
    video = project_dir / VIDEO_NAME
    cover = project_dir / COVER_NAME
    partial_video = project_dir / f"{video.stem}.{attempt}.partial{video.suffix}"
    partial_cover = project_dir / f"{cover.stem}.{attempt}.partial{cover.suffix}"
    captions = project_dir / CAPTIONS_NAME
    partial_captions = project_dir / f"{captions.stem}.{attempt}.partial{captions.suffix}"
    try:
        result = render_video(spec, partial_video, partial_cover, captions_path=partial_captions)
        if result.captions:
            partial_captions.replace(captions)
        partial_cover.replace(cover)
        partial_video.replace(video)
    finally:
        for partial in (partial_video, partial_cover, partial_captions):
            partial.unlink(missing_ok=True)
    return RenderOutcome(ok=True, duration=float(result.duration), notes=result.notes)


def _reason(error: Exception) -> str:
    from jogg_pipeline.errors import PipelineError

    if isinstance(error, PipelineError):
        return f"render failed: {error}"
    # Not an expected failure: say what broke, and keep the details in the worker's stderr.
    traceback.print_exc()
    return f"render failed: internal error ({type(error).__name__})"


def _read_orders(orders: queue.Queue[bytes]) -> None:
    """Pass each line of stdin on; the end of input means the engine is gone: exit at once,
    even mid-render."""
    # Bytes: an order is UTF-8 JSON, whatever encoding the worker's locale would read stdin in.
    for line in sys.stdin.buffer:
        orders.put(line)
    os._exit(EXIT_ORPHANED)


def _warm_up() -> None:
    """Import what every job needs before the first one arrives."""
    import jogg_pipeline.engine.render  # noqa: F401


def main() -> int:
    """The worker process: orders as JSON lines on stdin, their outcomes on stdout."""
    # Answers go to the original stdout; anything else that writes there (a library, a
    # warning) goes to stderr instead, so it cannot corrupt the protocol.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    orders: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=_read_orders, args=(orders,), daemon=True).start()
    _warm_up()
    while True:
        line = orders.get()
        try:
            outcome = run_render_job(RenderOrder.from_line(line))
        except Exception as error:
            outcome = RenderOutcome(ok=False, reason=_reason(error))
        answers.write(json.dumps(asdict(outcome)) + "\n")
        answers.flush()


class _Worker:
    """One live worker process and the number of jobs it has served."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.jobs = 0

    @classmethod
    async def start(cls) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "jogg_pipeline.engine.workers",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def run(self, order: RenderOrder) -> RenderOutcome:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        self.jobs += 1
        try:
            stdin.write(order.to_line())
            await stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # it died: the answer below is missing and says so
        line = await stdout.readline()
        if line:
            try:
                answer = json.loads(line)
                answer["notes"] = tuple(answer.get("notes", ()))
                return RenderOutcome(**answer)
            except (ValueError, TypeError, AttributeError):
                pass
        self.kill()
        returncode = await self.process.wait()
        return RenderOutcome(ok=False, reason=f"render worker exited with code {returncode}")

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()

    async def close(self) -> None:
        """Let an idle worker end on its own (end of input), or kill it if it lingers."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            self.kill()
            await self.process.wait()


class WorkerPool:
    """Runs render jobs in at most `size` worker processes at a time, reusing idle ones."""

    # A worker is replaced after this many jobs, so that whatever a job leaves behind in
    # memory cannot add up.
    JOBS_PER_WORKER = 50

    def __init__(self, size: int) -> None:
        self.size = size
        self._slots = asyncio.Semaphore(size)
        self._idle: list[_Worker] = []
        self.started = 0  # worker processes started, for tests and diagnostics

    async def render(self, order: RenderOrder) -> RenderOutcome:
        async with self._slots:
            worker = self._idle.pop() if self._idle else None
            if worker is None or not worker.alive:
                worker = await _Worker.start()
                self.started += 1
            try:
                outcome = await worker.run(order)
            except BaseException:
                worker.kill()  # stopped mid-job (the engine stops): the job is left queued
                await worker.process.wait()
                raise
            if worker.alive and worker.jobs < self.JOBS_PER_WORKER:
                self._idle.append(worker)
            else:
                await worker.close()
            return outcome

    async def close(self) -> None:
        """End the idle workers (busy ones end with their cancelled jobs)."""
        idle, self._idle = self._idle, []
        await asyncio.gather(*(worker.close() for worker in idle))


if __name__ == "__main__":
    sys.exit(main())
