"""Garbage collection of the in-process local engine's files: the project folders (video,
cover) and re-hosted media that no manifest in the results folder references.

Referenced are the projects the manifests name by `project_id`, and the media files of the
products they name by `product_id` (with the images the named projects were rendered from).
The media of the products the run state still holds are kept too: a later run reuses such a
product as it is, and without its images its videos would silently lose them. Everything else
under `files/projects/` and `files/media/` goes; `files/catalog/` (the engine's own avatar
covers) and the database stay.

The order makes a crash at any point safe: the removed projects are first marked deleted in
the engine (so they are never served as successes again) and forgotten by the run state (so a
later run requests such a video again), and only then are their files removed; files left by a
crash are unreferenced, and the next gc removes them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from jogg_pipeline.engine.files import DataLayout
from jogg_pipeline.engine.render_job import UnreadableRenderJob
from jogg_pipeline.engine.store import Store
from jogg_pipeline.errors import PipelineError, UsageError
from jogg_pipeline.run.backends import ENGINE_FOLDER, local_scope
from jogg_pipeline.run.diff import is_manifest
from jogg_pipeline.run.session import STATE_FILE
from jogg_pipeline.state.lock import StateLock
from jogg_pipeline.state.store import StateStore

DELETED_DESC = "removed by jogg-pipeline gc"


@dataclass(frozen=True)
class References:
    """What the manifests of a results folder name."""

    manifests: int = 0
    project_ids: frozenset[str] = frozenset()
    product_ids: frozenset[str] = frozenset()


@dataclass
class Garbage:
    """What gc removes (or would): project folders and media files, with every file under
    them and its size."""

    projects: list[Path] = field(default_factory=list)
    media: list[Path] = field(default_factory=list)
    files: list[tuple[Path, int]] = field(default_factory=list)
    kept_projects: int = 0
    kept_media: int = 0

    @property
    def size(self) -> int:
        return sum(size for _, size in self.files)

    @property
    def project_ids(self) -> set[str]:
        return {path.name for path in self.projects}


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


def manifest_references(results: Path) -> References:
    """The projects and products named by the manifests directly in `results`. A JSON file
    that is not a manifest is skipped; one that cannot be read stops gc, since the files it may
    reference cannot be known."""
    paths = sorted(results.glob("*.json")) if results.is_dir() else []
    manifests = 0
    projects: set[str] = set()
    products: set[str] = set()
    for path in paths:
        keep_out = "gc reads every manifest before it removes anything: fix or move that file"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            where = f"{shown(path)}:{error.lineno}:{error.colno}"
            raise UsageError(f"{where}: invalid JSON ({error.msg}); {keep_out}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"{shown(path)}: cannot read it ({error}); {keep_out}") from None
        if not is_manifest(document):
            continue
        manifests += 1
        for video in document["videos"]:
            projects.update(_ids(video.get("project_id")))
            products.update(_ids(video.get("product_id")))
        named = document.get("products")
        for product in named.values() if isinstance(named, dict) else ():
            if isinstance(product, dict):
                products.update(_ids(product.get("product_id")))
    return References(manifests, frozenset(projects), frozenset(products))


def _ids(value: object) -> Iterator[str]:
    if isinstance(value, str) and value:
        yield value


def find_garbage(
    layout: DataLayout,
    store: Store,
    references: References | None,
    held_products: frozenset[str] = frozenset(),
) -> Garbage:
    """What is not referenced; `references` None references nothing (gc --all). The media of
    `held_products` (those the run state would reuse) are kept whatever the manifests say."""
    refs = references or References()
    kept_media: set[str] = set()
    for product_id in refs.product_ids | held_products:
        product = store.get_product(product_id)
        for item in product.media if product else ():
            if isinstance(item.get("path"), str):
                kept_media.add(item["path"])
    for project_id in refs.project_ids:
        project = store.get_project(project_id)
        with suppress(UnreadableRenderJob):  # such a project never renders again
            kept_media.update(project.job.images if project else ())

    garbage = Garbage()
    for entry in _entries(layout.files / "projects"):
        if entry.name in refs.project_ids and entry.is_dir() and not entry.is_symlink():
            garbage.kept_projects += 1
        else:
            garbage.projects.append(entry)
    for entry in _entries(layout.media):
        if layout.relative(entry) in kept_media and entry.is_file():
            garbage.kept_media += 1
        else:
            garbage.media.append(entry)
    for entry in [*garbage.projects, *garbage.media]:
        garbage.files += [(path, path.lstat().st_size) for path in _files_under(entry)]
    return garbage


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _files_under(entry: Path) -> Iterator[Path]:
    """`entry` if it is a file (or a link: never followed), else every file below it."""
    if entry.is_symlink() or not entry.is_dir():
        yield entry
        return
    for folder, _, names in sorted(os.walk(entry, followlinks=False)):
        for name in sorted(names):
            yield Path(folder) / name


def remove(entries: list[Path]) -> None:
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink(missing_ok=True)
        except OSError as error:
            raise PipelineError(
                f"cannot remove {shown(entry)} ({error.strerror}); what was removed before it "
                "is gone, run gc again once it can be removed"
            ) from None


@dataclass
class Collection:
    """What one gc did (or would do)."""

    garbage: Garbage
    dry_run: bool
    marked_deleted: int = 0
    forgotten: int = 0


def collect(
    state_dir: Path, results: Path, *, dry_run: bool = False, everything: bool = False
) -> Collection:
    """Remove what no manifest in `results` references from the engine in `state_dir`;
    `everything` removes all of it, `dry_run` nothing."""
    layout = DataLayout(state_dir / ENGINE_FOLDER)
    if not layout.database.is_file():
        raise UsageError(
            f"no local engine data in {shown(layout.root)}: nothing to remove "
            "(gc cleans the files of the in-process local engine)"
        )
    with StateLock(state_dir), _engine_lock(layout):
        references = None if everything else manifest_references(results)
        if references is not None and references.manifests == 0:
            raise UsageError(
                f"no manifest in {shown(results)}/: nothing references the engine's files; "
                "run first, or pass --all"
            )
        state_path = state_dir / STATE_FILE
        held = _held_products(state_path, local_scope(state_dir))
        store = Store(layout.database)
        try:
            garbage = find_garbage(layout, store, references, held)
            result = Collection(garbage, dry_run)
            if dry_run:
                return result
            result.marked_deleted = store.mark_deleted(garbage.project_ids, DELETED_DESC)
        finally:
            store.close()
        result.forgotten = _forget(state_path, garbage.project_ids)
        remove([*garbage.projects, *garbage.media])
        return result


def _held_products(path: Path, scope: str) -> frozenset[str]:
    """The products of the in-process engine that the run state holds."""
    if not path.is_file():
        return frozenset()
    state = StateStore(path)
    try:
        return frozenset(state.claimed_product_ids(scope))
    finally:
        state.close()


def _forget(path: Path, project_ids: set[str]) -> int:
    """Make the run state forget the removed projects, so a later run requests their videos
    again instead of pointing at deleted files."""
    if not project_ids or not path.is_file():
        return 0
    state = StateStore(path)
    try:
        return state.forget_projects(None, project_ids)
    finally:
        state.close()


@contextmanager
def _engine_lock(layout: DataLayout) -> Iterator[None]:
    """The engine's own lock: a `jogg-pipeline serve` on this folder must not lose its files."""
    lock = FileLock(str(layout.lock), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise PipelineError(
            f"the local engine in {shown(layout.root)} is running (e.g. `jogg-pipeline serve`); "
            "stop it before gc"
        ) from None
    try:
        yield
    finally:
        lock.release()


def human_size(size: int) -> str:
    """1536 -> "1.5 KiB"."""
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            break
        value /= 1024
    return f"{value:.1f} {unit}"
