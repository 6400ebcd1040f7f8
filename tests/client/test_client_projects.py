"""Polling that backs off, a real finished project, and downloads checked byte for byte."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import av
import pytest
from client_kit import PRODUCT, finished_project, in_process_client, video_request
from PIL import Image
from support.faults import Fault, FaultyApp

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.errors import NotFound, TransportFailure
from jogg_pipeline.client.retry import PollPolicy
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.errors import PipelineError

pytestmark = pytest.mark.anyio


def test_poll_policies_grow_and_keep_their_floor() -> None:
    cloud = PollPolicy.cloud().intervals()
    assert [next(cloud) for _ in range(7)] == [5.0, 7.5, 11.25, 16.875, 25.3125, 30.0, 30.0]
    local = PollPolicy.local().intervals()
    waits = [next(local) for _ in range(12)]
    assert waits[0] == 0.05 and waits[-1] == 1.0
    with pytest.raises(ValueError, match="0 < first <= longest"):
        PollPolicy(first=0.0, longest=1.0)


async def start_video(client: JoggClient) -> str:
    product = await client.create_product(PRODUCT)
    return await client.create_video(video_request(product.product_id))


async def test_finished_video_and_cover_download_intact(
    engine: LocalEngine, tmp_path: Path
) -> None:
    async with in_process_client(engine.app) as client:
        project_id = await start_video(client)
        info = await finished_project(client, project_id)
        assert info.status_code == 4 and info.video_url.startswith("http://engine/files/")
        video_sha = await client.download(info.video_url, tmp_path / "out" / "video.mp4")
        cover_sha = await client.download(info.cover_url, tmp_path / "out" / "cover.jpg")
    served = engine.layout.project_dir(project_id)
    video_bytes = (tmp_path / "out" / "video.mp4").read_bytes()
    assert video_sha == hashlib.sha256(video_bytes).hexdigest()
    assert video_bytes == next(served.glob("*.mp4")).read_bytes()
    with av.open(io.BytesIO(video_bytes)) as container:
        assert container.duration is not None
        assert abs(container.duration / av.time_base - 15) <= 0.1
        assert container.streams.video[0].codec_context.height == 640
    cover_bytes = (tmp_path / "out" / "cover.jpg").read_bytes()
    assert cover_sha == hashlib.sha256(cover_bytes).hexdigest()
    with Image.open(io.BytesIO(cover_bytes)) as cover:
        assert cover.height > cover.width
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cover.jpg", "video.mp4"]


async def test_download_is_retried_through_faults(engine: LocalEngine, tmp_path: Path) -> None:
    async with in_process_client(engine.app) as client:
        project_id = await start_video(client)
        info = await finished_project(client, project_id)
    schedule = {"GET /files/*": [Fault.drop(after=True), Fault.error(50000), Fault.not_json()]}
    faulty = FaultyApp(engine.app, schedule=schedule)
    async with in_process_client(faulty) as client:
        digest = await client.download(info.cover_url, tmp_path / "cover.jpg")
    assert digest == hashlib.sha256((tmp_path / "cover.jpg").read_bytes()).hexdigest()
    assert client.stats.sent["GET download"] == 4
    assert list(tmp_path.glob(".*.part")) == []


async def test_download_errors_are_one_line(engine: LocalEngine, tmp_path: Path) -> None:
    out = tmp_path / "out"
    async with in_process_client(engine.app) as client:
        with pytest.raises(NotFound) as missing:
            await client.download("http://engine/files/projects/nope/video.mp4", out / "v.mp4")
        with pytest.raises(TransportFailure) as scheme:
            await client.download("ftp://example.com/video.mp4", out / "v.mp4")
    assert str(missing.value).startswith(
        "JoggAI API error 10104 (Record not found) on GET /files/projects/nope/video.mp4"
    )
    assert str(scheme.value) == (
        "No usable answer from the JoggAI API to GET ftp://example.com/video.mp4: "
        "only http and https URLs can be downloaded (not retried)"
    )
    assert list(out.iterdir()) == []  # nothing, not even a partial file


async def test_download_to_an_unwritable_place_is_one_line(
    engine: LocalEngine, tmp_path: Path
) -> None:
    async with in_process_client(engine.app) as client:
        project_id = await start_video(client)
        info = await finished_project(client, project_id)
        (tmp_path / "taken").write_text("a file, not a folder")
        with pytest.raises(PipelineError) as under_a_file:
            await client.download(info.cover_url, tmp_path / "taken" / "cover.jpg")
        (tmp_path / "cover.jpg").mkdir()
        with pytest.raises(PipelineError) as onto_a_folder:
            await client.download(info.cover_url, tmp_path / "cover.jpg")
    taken = tmp_path / "taken"
    assert str(under_a_file.value) == f"cannot write {taken / 'cover.jpg'}: {taken} is not a folder"
    assert str(onto_a_folder.value) == f"cannot write {tmp_path / 'cover.jpg'}: it is a folder"
    assert list(tmp_path.glob(".*.part")) == []
