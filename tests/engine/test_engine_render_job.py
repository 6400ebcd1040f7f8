"""A render job crosses the store and the worker pipe unchanged, and an upgraded engine still
reads and renders the jobs an older one left in its queue."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from engine_support import API_KEY, engine_config, make_image, read_video, wait_for_project
from hypothesis import given, settings
from hypothesis import strategies as st

from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.engine.files import DataLayout
from jogg_pipeline.engine.render_job import RenderJob
from jogg_pipeline.engine.store import Store
from jogg_pipeline.engine.workers import RenderOrder, WorkerPool

_texts = st.text(max_size=30)
_integers = st.integers(min_value=-(2**63), max_value=2**63 - 1)
_sentences = st.lists(_texts, max_size=3).map(tuple)
render_jobs = st.builds(
    RenderJob,
    aspect_ratio=_integers,
    video_length=_integers,
    title=_texts,
    price=st.none() | _texts,
    description=_texts,
    images=_sentences,
    caption=st.booleans(),
    visual_style=_texts,
    template_id=st.none() | _integers,
    quality=_texts,
    seed=_integers,
    language=_texts,
    script_style=_texts,
    override_script=_texts,
    avatar_id=_integers,
    voice_id=_texts,
    music_id=st.none() | _integers,
    script=_sentences,
    presenter_id=st.none() | _integers,
    warnings=_sentences,
)

# A job as the first engine stored it (before narration: no script, presenter nor warnings).
FIRST_FORMAT = {
    "aspect_ratio": 2,
    "video_length": 15,
    "title": "Desk Lamp",
    "price": "$49.90",
    "description": "A warm lamp that folds flat.",
    "images": ["media/lamp.jpg"],
    "caption": True,
    "visual_style": "FullScreen",
    "template_id": None,
    "quality": "preview",
    "seed": 171,
    "language": "english",
    "script_style": "Don't Worry",
    "override_script": "",
    "avatar_id": 127,
    "voice_id": "local-en-US-female",
    "music_id": None,
}
# A job as engines since narration store it: every field.
NARRATED_FORMAT = {
    **FIRST_FORMAT,
    "script": ["A warm lamp.", "It folds flat."],
    "presenter_id": 4,
    "warnings": ["voice en-US-ChristopherNeural is spoken by this engine's voice local-en-US-male"],
}
FIRST_JOB = RenderJob(
    aspect_ratio=2,
    video_length=15,
    title="Desk Lamp",
    price="$49.90",
    description="A warm lamp that folds flat.",
    images=("media/lamp.jpg",),
    caption=True,
    visual_style="FullScreen",
    template_id=None,
    quality="preview",
    seed=171,
    language="english",
    script_style="Don't Worry",
    override_script="",
    avatar_id=127,
    voice_id="local-en-US-female",
    music_id=None,
)
NARRATED_JOB = FIRST_JOB.model_copy(
    update={
        "script": ("A warm lamp.", "It folds flat."),
        "presenter_id": 4,
        "warnings": (
            "voice en-US-ChristopherNeural is spoken by this engine's voice local-en-US-male",
        ),
    }
)


def insert_stored_job(database: Path, project_id: str, job_text: str, status: int) -> None:
    """A project row as an older engine wrote it, its job column verbatim."""
    with closing(sqlite3.connect(database)) as db, db:
        db.execute(
            "INSERT INTO projects (project_id, kind, product_id, title, request, job, status,"
            " status_desc, created_at, updated_at) VALUES (?, 'video', 'P1', 'Desk Lamp', '{}',"
            " ?, ?, 'processing', 0, 0)",
            (project_id, job_text, status),
        )


def test_any_job_survives_the_store_and_the_worker_pipe(tmp_path: Path) -> None:
    database = tmp_path / "engine.sqlite3"

    @settings(max_examples=60, deadline=None)
    @given(job=render_jobs, attempt=_texts)
    def survives(job: RenderJob, attempt: str) -> None:
        project_id = uuid.uuid4().hex
        store = Store(database)
        store.insert_project(
            project_id=project_id, kind="video", product_id="P1", title="t", request={}, job=job
        )
        store.close()
        reopened = Store(database)  # read back from the file, as after a restart
        stored = reopened.get_project(project_id)
        reopened.close()
        assert stored is not None and stored.job == job

        order = RenderOrder(
            job=job, project_dir=tmp_path / "p", files_root=tmp_path, attempt=attempt
        )
        line = order.to_line()
        assert line.count(b"\n") == 1 and line.endswith(b"\n")  # one line of the protocol
        assert RenderOrder.from_line(line) == order

    survives()


@pytest.mark.parametrize(
    ("stored", "expected"),
    [(FIRST_FORMAT, FIRST_JOB), (NARRATED_FORMAT, NARRATED_JOB)],
    ids=["first-engine", "narrated"],
)
def test_a_job_stored_by_an_older_engine_is_read(
    tmp_path: Path, stored: dict[str, object], expected: RenderJob
) -> None:
    database = tmp_path / "engine.sqlite3"
    Store(database).close()
    insert_stored_job(database, "old", json.dumps(stored), status=2)
    store = Store(database)
    try:
        project = store.get_project("old")
        assert project is not None and project.job == expected
    finally:
        store.close()


@pytest.mark.anyio
async def test_an_upgraded_engine_renders_the_queue_an_older_one_left(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path / "engine")
    layout.create()
    (layout.media / "lamp.jpg").write_bytes(make_image((200, 160, 60), "JPEG"))
    Store(layout.database).close()
    # Left mid-render by the first engine, and a job no engine wrote (or one written by a newer,
    # incompatible engine): it fails alone, and says why.
    insert_stored_job(layout.database, "old", json.dumps(FIRST_FORMAT), status=3)
    insert_stored_job(layout.database, "unreadable", json.dumps({"title": "Lamp"}), status=2)

    async with LocalEngine(engine_config(layout.root, workers=1)) as engine:
        assert engine.requeued == 1
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            unreadable = await wait_for_project(client, "unreadable")
            old = await wait_for_project(client, "old")
            video = await client.get(str(old["video_url"]))

    assert (unreadable["status_code"], unreadable["status_desc"], unreadable["warnings"]) == (
        5,
        "render failed: its stored render job cannot be read (aspect_ratio: Field required); "
        "create the video again",
        [],
    )
    assert (old["status_code"], old["status_desc"], old["warnings"]) == (4, "success", [])
    assert old["captions_url"] == ""  # the first engine's jobs have no narration
    assert abs(read_video(video.content).duration - 15) <= 0.1


def test_a_job_reaches_a_worker_unchanged_whatever_its_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker in the C locale without UTF-8 mode reads stdin as ASCII; orders are UTF-8.
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("PYTHONUTF8", "0")
    # The worker says which quality it was given when it does not know it: the text it read.
    job = FIRST_JOB.model_copy(update={"quality": "préview ✓"})
    order = RenderOrder(job=job, project_dir=tmp_path / "p", files_root=tmp_path, attempt="0")

    async def render() -> str:
        pool = WorkerPool(1)
        try:
            return (await pool.render(order)).reason
        finally:
            await pool.close()

    assert asyncio.run(render()) == (
        "render failed: unknown render quality 'préview ✓' (known: full, hd, preview)"
    )
