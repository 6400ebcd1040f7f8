"""Render workers stay alive between jobs, and a job that fails fails alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from jogg_pipeline.engine.workers import CAPTIONS_NAME, COVER_NAME, VIDEO_NAME, WorkerPool

JOB = {
    "aspect_ratio": 2,
    "video_length": 2,
    "title": "Lamp",
    "price": None,
    "description": "",
    "images": [],
    "caption": True,
    "visual_style": "PictureInPicture",
    "quality": "preview",
    "seed": 1,
    "script": ["A warm lamp."],
    "language": "english",
    "voice_id": "local-en-US-female",
    "music_id": 0,
    "presenter_id": 4,
}


async def _render_twice_then_crash(folder: Path) -> tuple[list, WorkerPool, object]:
    pool = WorkerPool(1)
    try:
        outcomes = [
            await pool.render({**JOB, "seed": n}, folder / f"p{n}", folder, "0") for n in range(2)
        ]
        started_before_crash = pool.started
        # A job that fails (a title of the wrong type) fails alone: the same worker renders
        # the next one.
        broken = await pool.render({**JOB, "title": 42}, folder / "broken", folder, "0")
        after = await pool.render(JOB, folder / "after", folder, "0")
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
