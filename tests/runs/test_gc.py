"""`gc` removes the local engine's files that no manifest references, says what that freed,
marks the removed projects deleted and makes the run state forget them; and refuses when it
cannot know what is referenced."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from filelock import FileLock
from runs.run_kit import Campaign, make_campaign

from jogg_pipeline.cli import main
from jogg_pipeline.engine.files import DataLayout
from jogg_pipeline.engine.render_job import RenderJob
from jogg_pipeline.engine.store import Store, StoredProduct
from jogg_pipeline.run.gc import human_size
from jogg_pipeline.state.lock import StateLock

# A render job of no images: the project's media are kept as its product's.
JOB = RenderJob(
    aspect_ratio=2, video_length=15, title="Lamp", price=None, description="", images=(),
    caption=True, visual_style="FullScreen", template_id=None, quality="preview", seed=1,
    language="english", script_style="Don't Worry", override_script="", avatar_id=1,
    voice_id="local-en-US-female", music_id=None,
)  # fmt: skip
SPEC = """\
version: 1
campaign: nightly
defaults:
  aspect_ratio: square
products:
  - url: pages/happy-booster-blush.html
    key: blush
    videos: [{name: short}]
  - url: pages/studio-wireless-headphones.html
    key: headphones
    videos: [{name: short}]
"""


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run(capsys, campaign: Campaign) -> dict:
    code, _, err = cli(
        capsys, "run", str(campaign.spec), "--state-dir", str(campaign.state_dir),
        "--results", str(campaign.results), "--quality", "preview", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    return {v["id"]: v for v in campaign.manifest_json()["videos"]}


def files_under(folder: Path) -> dict[str, int]:
    """Every file under `folder`, relative, with its size."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def project_row(layout: DataLayout, project_id: str) -> tuple[int, str]:
    store = Store(layout.database)
    try:
        project = store.get_project(project_id)
        assert project is not None
        return project.status, project.status_desc
    finally:
        store.close()


def media_of(layout: DataLayout, product_id: str) -> set[str]:
    store = Store(layout.database)
    try:
        product = store.get_product(product_id)
        assert product is not None
        return {item["path"] for item in product.media if "path" in item}
    finally:
        store.close()


def state_projects(state_dir: Path) -> set[str]:
    with sqlite3.connect(state_dir / "state.sqlite3") as db:
        rows = db.execute("SELECT project_id FROM videos WHERE project_id IS NOT NULL")
        return {row[0] for row in rows}


def freed(files: dict[str, int], projects: int, media: int, kept: str, verb: str = "freed") -> str:
    size = sum(files.values())
    return (
        f"{verb} {len(files)} files, {size} bytes ({human_size(size)}): {projects} projects, "
        f"{media} media files; {kept}"
    )


@pytest.mark.slow
def test_gc_removes_what_no_manifest_references(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    campaign = make_campaign(tmp_path, SPEC)
    layout = DataLayout(campaign.state_dir / "engine")
    first = run(capsys, campaign)
    old_headphones = first["headphones/short"]
    # The headphones become another page: a new product and a new video, and the old
    # product's images (the state holds the new product now) are no longer used.
    campaign.spec.write_text(SPEC.replace("studio-wireless-headphones", "glass-kettle"))
    second = run(capsys, campaign)
    assert second["headphones/short"]["project_id"] != old_headphones["project_id"]
    blush = second["blush/short"]
    # A manifest that drops one video and its product: the blush's video goes, but its images
    # stay, since the run state still holds the product and a later run reuses it.
    document = campaign.manifest_json()
    document["videos"] = [v for v in document["videos"] if v["id"] != "blush/short"]
    del document["products"]["blush"]
    campaign.manifest.write_text(json.dumps(document, indent=2))

    before = files_under(layout.files)
    garbage_media = media_of(layout, old_headphones["product_id"]) - media_of(
        layout, blush["product_id"]
    )
    assert len(garbage_media) == 2
    garbage_projects = [old_headphones["project_id"], blush["project_id"]]
    folders = tuple(f"projects/{project_id}/" for project_id in garbage_projects)
    garbage = {
        path: size
        for path, size in before.items()
        if path in garbage_media or path.startswith(folders)
    }
    assert len(garbage) == 8  # two videos, two covers, two captions files, two images
    engine = "state/engine/files"
    kept = "kept 1 project, 3 media files"
    state = str(campaign.state_dir)

    code, out, _ = cli(capsys, "gc", "--state-dir", state, "--results", "results", "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        *sorted(f"would remove {engine}/projects/{p}/" for p in garbage_projects),
        *sorted(f"would remove {engine}/{m}" for m in garbage_media),
        freed(garbage, 2, 2, kept, verb="would free"),
    ]
    assert files_under(layout.files) == before
    assert project_row(layout, blush["project_id"])[0] == 4

    code, out, _ = cli(capsys, "gc", "--state-dir", state, "--results", "results")
    assert (code, out) == (0, freed(garbage, 2, 2, kept) + "\n")
    after = files_under(layout.files)
    assert after == {path: size for path, size in before.items() if path not in garbage}
    assert any(path.startswith("catalog/") for path in after)  # the engine's own files stay
    for project_id in garbage_projects:
        assert project_row(layout, project_id) == (99, "removed by jogg-pipeline gc")
    assert project_row(layout, second["headphones/short"]["project_id"])[0] == 4
    assert state_projects(campaign.state_dir) == {second["headphones/short"]["project_id"]}

    # The next run makes the removed video again, instead of pointing at a deleted file.
    third = run(capsys, campaign)
    remade = third["blush/short"]
    assert remade["status"] == "success"
    assert remade["project_id"] not in garbage_projects
    assert (tmp_path / remade["video_url"]).is_file()
    code, out, _ = cli(capsys, "gc", "--state-dir", state, "--results", "results")
    assert (code, out) == (
        0,
        "freed 0 files, 0 bytes: 0 projects, 0 media files; kept 2 projects, 3 media files\n",
    )


def make_engine(state_dir: Path) -> DataLayout:
    """Engine data made with the engine's own store: a product with one re-hosted image, a
    finished project with its files, and the engine's avatar covers."""
    layout = DataLayout(state_dir / "engine")
    layout.create()
    (layout.files / "catalog").mkdir()
    (layout.files / "catalog" / "avatar-1.png").write_bytes(b"p" * 10)
    (layout.media / "a1.jpg").write_bytes(b"i" * 700)
    store = Store(layout.database)
    try:
        store.insert_product(
            StoredProduct(
                product_id="P1",
                url="https://shop.example.com/p1",
                name="Lamp",
                description="",
                target_audience="",
                media=[
                    {"type": 1, "url": "https://shop.example.com/a1.jpg", "path": "media/a1.jpg"}
                ],
                details=None,
                created_at=0,
            )
        )
        store.insert_project(
            project_id="J1", kind="video", product_id="P1", title="Lamp", request={}, job=JOB
        )
        folder = layout.project_dir("J1")
        folder.mkdir(parents=True)
        (folder / "video.mp4").write_bytes(b"v" * 2000)
        (folder / "cover.jpg").write_bytes(b"c" * 300)
        store.mark_success("J1", video_path="projects/J1/video.mp4",
                           cover_path="projects/J1/cover.jpg", video_duration=15.0)  # fmt: skip
    finally:
        store.close()
    return layout


def test_gc_refuses_when_it_cannot_know_what_is_referenced(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "gc", "--state-dir", "none", "--results", "results")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: no local engine data in none/engine: nothing to remove (gc cleans "
        "the files of the in-process local engine)\n",
    )
    assert not (tmp_path / "none").exists()

    layout = make_engine(tmp_path / "state")
    before = files_under(layout.files)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "notes.json").write_text('{"not": "a manifest"}')
    code, _, err = cli(capsys, "gc", "--state-dir", "state", "--results", "results")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: no manifest in results/: nothing references the engine's files; "
        "run first, or pass --all\n",
    )
    (tmp_path / "results" / "nightly.json").write_text('{"manifest_version": 1, "videos": [\n')
    code, _, err = cli(capsys, "gc", "--state-dir", "state", "--results", "results")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: results/nightly.json:2:1: invalid JSON (Expecting value); gc reads "
        "every manifest before it removes anything: fix or move that file\n",
    )
    (tmp_path / "results" / "nightly.json").write_bytes(b'{"campaign": "caf\xe9"}')
    code, _, err = cli(capsys, "gc", "--state-dir", "state", "--results", "results")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: results/nightly.json: cannot read it ('utf-8' codec can't decode "
        "byte 0xe9 in position 17: invalid continuation byte); gc reads every manifest before "
        "it removes anything: fix or move that file\n",
    )
    with StateLock(tmp_path / "state"):
        code, _, err = cli(capsys, "gc", "--state-dir", "state", "--all")
    assert code == 3
    assert err.startswith("jogg-pipeline: error: another run holds the state directory state (pid ")
    with FileLock(str(layout.lock), timeout=0):
        code, _, err = cli(capsys, "gc", "--state-dir", "state", "--all")
    assert (code, err) == (
        3,
        "jogg-pipeline: error: the local engine in state/engine is running (e.g. "
        "`jogg-pipeline serve`); stop it before gc\n",
    )
    assert files_under(layout.files) == before


def test_gc_all_removes_every_project_and_unheld_media(tmp_path, capsys, monkeypatch) -> None:
    project = tmp_path / "shop"
    (project / "specs").mkdir(parents=True)
    layout = make_engine(project / ".jogg")
    (layout.media / "stray.jpg.0a1b.part").write_bytes(b"x" * 5)
    monkeypatch.chdir(project / "specs")  # the project's folders, found from inside it

    code, out, _ = cli(capsys, "gc", "--all", "--dry-run")
    files = layout.files.resolve()
    assert (code, out.splitlines()) == (
        0,
        [
            f"would remove {files}/projects/J1/",
            f"would remove {files}/media/a1.jpg",
            f"would remove {files}/media/stray.jpg.0a1b.part",
            "would free 4 files, 3005 bytes (2.9 KiB): 1 project, 2 media files; "
            "kept 0 projects, 0 media files",
        ],
    )
    code, out, _ = cli(capsys, "gc", "--all")
    assert out == (
        "freed 4 files, 3005 bytes (2.9 KiB): 1 project, 2 media files; "
        "kept 0 projects, 0 media files\n"
    )
    assert files_under(layout.files) == {"catalog/avatar-1.png": 10}
    assert project_row(layout, "J1") == (99, "removed by jogg-pipeline gc")


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 bytes"), (1023, "1023 bytes"), (1536, "1.5 KiB"), (5 * 2**20, "5.0 MiB")],
)
def test_sizes_read_as_people_write_them(size: int, text: str) -> None:
    assert human_size(size) == text
