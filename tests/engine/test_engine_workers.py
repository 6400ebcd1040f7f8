"""Render workers stay alive between jobs, and a job that fails fails alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from jogg_pipeline.engine.render_job import RenderJob
from jogg_pipeline.engine.workers import (
    CAPTIONS_NAME,
    COVER_NAME,
    VIDEO_NAME,
    RenderOrder,
    WorkerPool,
)

JOB = RenderJob(
    aspect_ratio=2,
    video_length=2,
    title="Lamp",
    price=None,
    description="",
    images=(),
    caption=True,
    visual_style="PictureInPicture",
    template_id=None,
    quality="preview",
    seed=1,
    language="english",
    script_style="Top 3 reasons",
    override_script="",
    avatar_id=4,
    voice_id="local-en-US-female",
    music_id=0,
    script=("A warm lamp.",),
    presenter_id=4,
)


def order(job: RenderJob, project_dir: Path, files_root: Path) -> RenderOrder:
    return RenderOrder(job=job, project_dir=project_dir, files_root=files_root, attempt="0")


async def _render_twice_then_crash(folder: Path) -> tuple[list, WorkerPool, object]:
    pool = WorkerPool(1)
    try:
        outcomes = [
            await pool.render(order(JOB.model_copy(update={"seed": n}), folder / f"p{n}", folder))
            for n in range(2)
        ]
        started_before_crash = pool.started
        # A job that fails (a blank title: a job's types are checked before it reaches a worker)
        # fails alone: the same worker renders the next one.
        blank = JOB.model_copy(update={"title": " "})
        broken = await pool.render(order(blank, folder / "broken", folder))
        after = await pool.render(order(JOB, folder / "after", folder))
        outcomes += [broken, after]
        return outcomes, pool, started_before_crash
    finally:
        await pool.close()


def test_one_worker_serves_job_after_job(tmp_path: Path) -> None:
    outcomes, pool, started_before_crash = asyncio.run(_render_twice_then_crash(tmp_path))
    first, second, broken, after = outcomes
    assert first.ok and second.ok and after.ok, outcomes
    assert started_before_crash == 1  # the second job reused the first job's process
    assert not broken.ok and broken.reason == "render failed: title must be a non-empty string"
    assert pool.started == 1
    for name in ("p0", "p1", "after"):
        files = sorted(path.name for path in (tmp_path / name).iterdir())
        assert files == sorted([CAPTIONS_NAME, COVER_NAME, VIDEO_NAME])
    assert first.duration == 2.0
