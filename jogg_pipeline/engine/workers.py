"""Rendering in worker processes: at most `size` at once, each job in its own child process.

A job runs in a fresh Python process (`python -m jogg_pipeline.engine.workers`) that reads
the job as JSON on stdin and writes its outcome as JSON on stdout. A fresh interpreter never
re-imports the server's main module and shares no locks with its threads, and a job can be
stopped at any moment by killing its process (an engine that stops leaves the job queued for
the next one). The worker writes the video and cover under partial names of its own and
renames them into place only when complete.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

VIDEO_NAME = "video.mp4"
EXIT_ORPHANED = 3
COVER_NAME = "cover.jpg"


@dataclass(frozen=True)
class RenderOutcome:
    """A finished job: its duration on success, or the one-line reason it failed."""

    ok: bool
    duration: float = 0.0
    reason: str = ""


def render_job(job: dict[str, Any], project_dir: Path, files_root: Path, attempt: str) -> float:
    """Render `job` (a stored job description) into `project_dir`; return the video's duration."""
    from jogg_pipeline.engine.render import RenderSpec, render_video

    spec = RenderSpec(
        aspect_ratio=job["aspect_ratio"],
        video_length=job["video_length"],
        title=job["title"],
        price=job["price"],
        description=job["description"],
        images=tuple(files_root / relative for relative in job["images"]),
        caption=job["caption"],
        visual_style=job["visual_style"],
        quality=job["quality"],
        seed=job["seed"],
    )
    project_dir.mkdir(parents=True, exist_ok=True)
    # Partial files of an attempt that was killed with its engine.
    for stale in project_dir.glob("*.partial.*"):
        stale.unlink(missing_ok=True)
    video = project_dir / VIDEO_NAME
    cover = project_dir / COVER_NAME
    partial_video = project_dir / f"{video.stem}.{attempt}.partial{video.suffix}"
    partial_cover = project_dir / f"{cover.stem}.{attempt}.partial{cover.suffix}"
    try:
        result = render_video(spec, partial_video, partial_cover)
        partial_cover.replace(cover)
        partial_video.replace(video)
    finally:
        partial_video.unlink(missing_ok=True)
        partial_cover.unlink(missing_ok=True)
    return float(result.duration)


def _reason(error: Exception) -> str:
    from jogg_pipeline.errors import PipelineError

    if isinstance(error, PipelineError):
        return f"render failed: {error}"
    # Not an expected failure: say what broke, and keep the details in the worker's stderr.
    traceback.print_exc()
    return f"render failed: internal error ({type(error).__name__})"


def _exit_when_engine_is_gone() -> None:
    # The engine keeps our stdin open while it waits; end of input means it is gone.
    sys.stdin.read()
    os._exit(EXIT_ORPHANED)


def main() -> int:
    """The worker process: one job as a JSON line on stdin, its outcome on stdout."""
    order = json.loads(sys.stdin.readline())
    threading.Thread(target=_exit_when_engine_is_gone, daemon=True).start()
    try:
        duration = render_job(
            order["job"], Path(order["project_dir"]), Path(order["files_root"]), order["attempt"]
        )
        outcome = RenderOutcome(ok=True, duration=duration)
    except Exception as error:
        outcome = RenderOutcome(ok=False, reason=_reason(error))
    sys.stdout.write(json.dumps(asdict(outcome)) + "\n")
    sys.stdout.flush()
    return 0


def _outcome_of(stdout: bytes, returncode: int) -> RenderOutcome:
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        return RenderOutcome(**json.loads(lines[-1]))
    except (IndexError, ValueError, TypeError):
        return RenderOutcome(ok=False, reason=f"render worker exited with code {returncode}")


class WorkerPool:
    """Runs render jobs in at most `size` worker processes at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._slots = asyncio.Semaphore(size)

    async def render(
        self, job: dict[str, Any], project_dir: Path, files_root: Path, attempt: str
    ) -> RenderOutcome:
        order = {
            "job": job,
            "project_dir": str(project_dir),
            "files_root": str(files_root),
            "attempt": attempt,
        }
        async with self._slots:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "jogg_pipeline.engine.workers",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(json.dumps(order).encode() + b"\n")
                await process.stdin.drain()
                stdout = await process.stdout.read()
                process.stdin.close()
                returncode = await process.wait()
            except BaseException:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
                raise
            return _outcome_of(stdout, returncode)


if __name__ == "__main__":
    sys.exit(main())
