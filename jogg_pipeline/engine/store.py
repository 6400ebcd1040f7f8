"""The engine's state in SQLite: products, and projects with their render queue.

One connection, guarded by a lock; each call is a short transaction, so the event loop is
never held for long. Media are kept as JSON: a re-hosted item has a `path` under the files
folder instead of a usable `url` (its URL depends on the host the client reached us at), and
an item that could not be re-hosted keeps the reason as `problem`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jogg_pipeline.engine.render_job import RenderJob
from jogg_pipeline.wire.enums import (
    PROJECT_STATUSES,
    STATUS_FAILED,
    STATUS_PROCESSING,
    STATUS_START,
    STATUS_SUCCESS,
    STATUS_WAITING,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    target_audience TEXT NOT NULL,
    media TEXT NOT NULL,
    details TEXT,
    created_at INTEGER NOT NULL,
    warnings TEXT
);
CREATE TABLE IF NOT EXISTS projects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    product_id TEXT NOT NULL,
    title TEXT NOT NULL,
    request TEXT NOT NULL,
    job TEXT NOT NULL,
    status INTEGER NOT NULL,
    status_desc TEXT NOT NULL,
    video_path TEXT,
    cover_path TEXT,
    video_duration REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS projects_by_status ON projects (status, seq);
"""
# Columns added since the first version; a database made before them gets them when opened.
_ADDED_COLUMNS = {"products": {"warnings": "TEXT"}}


@dataclass(frozen=True)
class StoredProduct:
    product_id: str
    url: str
    name: str
    description: str
    target_audience: str
    media: list[dict[str, Any]]
    details: dict[str, Any] | None
    created_at: int
    # What reading the page found missing, one sentence each (media problems are kept with
    # each media item instead, so that replacing the media replaces them).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredProject:
    project_id: str
    kind: str
    product_id: str
    title: str
    request: dict[str, Any]
    job_json: str = field(repr=False)
    status: int
    status_desc: str
    video_path: str | None
    cover_path: str | None
    video_duration: float | None
    attempts: int
    created_at: int

    @cached_property
    def job(self) -> RenderJob:
        """The project's render job; UnreadableRenderJob if it cannot be read. Read when used,
        so that one unreadable job fails its own project, not the listing nor the queue."""
        return RenderJob.from_json(self.job_json)


class Store:
    """Products and projects of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            present = {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return cursor.rowcount

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # Products

    def insert_product(self, product: StoredProduct) -> None:
        self._write(
            "INSERT INTO products (product_id, url, name, description, target_audience, media,"
            " details, created_at, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                product.product_id,
                product.url,
                product.name,
                product.description,
                product.target_audience,
                json.dumps(product.media),
                None if product.details is None else json.dumps(product.details),
                product.created_at,
                json.dumps(list(product.warnings)),
            ),
        )

    def replace_product(self, product: StoredProduct) -> None:
        self._write(
            "UPDATE products SET url = ?, name = ?, description = ?, target_audience = ?,"
            " media = ?, details = ?, warnings = ? WHERE product_id = ?",
            (
                product.url,
                product.name,
                product.description,
                product.target_audience,
                json.dumps(product.media),
                None if product.details is None else json.dumps(product.details),
                json.dumps(list(product.warnings)),
                product.product_id,
            ),
        )

    def get_product(self, product_id: str) -> StoredProduct | None:
        rows = self._read("SELECT * FROM products WHERE product_id = ?", (product_id,))
        return _product(rows[0]) if rows else None

    def list_products(self) -> list[StoredProduct]:
        return [_product(row) for row in self._read("SELECT * FROM products ORDER BY seq")]

    # Projects and their queue

    def insert_project(
        self,
        *,
        project_id: str,
        kind: str,
        product_id: str,
        title: str,
        request: dict[str, Any],
        job: RenderJob,
    ) -> None:
        now = int(time.time())
        self._write(
            "INSERT INTO projects (project_id, kind, product_id, title, request, job, status,"
            " status_desc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                project_id,
                kind,
                product_id,
                title,
                json.dumps(request),
                job.to_json(),
                STATUS_WAITING,
                PROJECT_STATUSES[STATUS_WAITING],
                now,
                now,
            ),
        )

    def get_project(self, project_id: str) -> StoredProject | None:
        rows = self._read("SELECT * FROM projects WHERE project_id = ?", (project_id,))
        return _project(rows[0]) if rows else None

    def list_projects(
        self, kind: str, *, offset: int, limit: int
    ) -> tuple[list[StoredProject], int]:
        """The newest first, as the cloud lists them."""
        rows = self._read(
            "SELECT * FROM projects WHERE kind = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
            (kind, limit, offset),
        )
        total = self._read("SELECT COUNT(*) FROM projects WHERE kind = ?", (kind,))[0][0]
        return [_project(row) for row in rows], int(total)

    def requeue_interrupted(self) -> int:
        """Send projects a stopped engine left started or mid-render back to waiting."""
        return self._write(
            "UPDATE projects SET status = ?, status_desc = ?, updated_at = ?"
            " WHERE status IN (?, ?)",
            (
                STATUS_WAITING,
                PROJECT_STATUSES[STATUS_WAITING],
                int(time.time()),
                STATUS_START,
                STATUS_PROCESSING,
            ),
        )

    def claim_next_waiting(self) -> StoredProject | None:
        """Mark the oldest waiting project as processing and return it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT * FROM projects WHERE status = ? ORDER BY seq LIMIT 1",
                    (STATUS_WAITING,),
                ).fetchone()
                if row is not None:
                    self._db.execute(
                        "UPDATE projects SET status = ?, status_desc = ?, attempts = attempts + 1,"
                        " updated_at = ? WHERE project_id = ?",
                        (
                            STATUS_PROCESSING,
                            PROJECT_STATUSES[STATUS_PROCESSING],
                            int(time.time()),
                            row["project_id"],
                        ),
                    )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        if row is None:
            return None
        return self.get_project(row["project_id"])

    def mark_success(
        self,
        project_id: str,
        *,
        video_path: str,
        cover_path: str,
        video_duration: float,
        notes: list[str] | None = None,
    ) -> None:
        """A finished project; its status_desc says what the video does differently from the
        request, if anything."""
        desc = PROJECT_STATUSES[STATUS_SUCCESS]
        if notes:
            desc = f"{desc}; " + "; ".join(note.rstrip(".") for note in notes)
        self._write(
            "UPDATE projects SET status = ?, status_desc = ?, video_path = ?, cover_path = ?,"
            " video_duration = ?, updated_at = ? WHERE project_id = ?",
            (
                STATUS_SUCCESS,
                desc,
                video_path,
                cover_path,
                video_duration,
                int(time.time()),
                project_id,
            ),
        )

    def mark_failed(self, project_id: str, reason: str) -> None:
        self._write(
            "UPDATE projects SET status = ?, status_desc = ?, updated_at = ? WHERE project_id = ?",
            (STATUS_FAILED, reason, int(time.time()), project_id),
        )

    def count_by_status(self) -> dict[int, int]:
        rows = self._read("SELECT status, COUNT(*) AS n FROM projects GROUP BY status")
        return {row["status"]: row["n"] for row in rows}

    def mark_deleted(self, project_ids: set[str], reason: str) -> int:
        """Mark projects deleted (status 99) with `reason`, e.g. when their files were removed,
        so they are never served as successes nor rendered again; returns how many changed."""
        from jogg_pipeline.wire.enums import STATUS_DELETED  # kept beside its only use

        if not project_ids:
            return 0
        now = int(time.time())
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.executemany(
                    "UPDATE projects SET status = ?, status_desc = ?, updated_at = ?"
                    " WHERE project_id = ? AND status != ?",
                    [(STATUS_DELETED, reason, now, i, STATUS_DELETED) for i in sorted(project_ids)],
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return cursor.rowcount


def _product(row: sqlite3.Row) -> StoredProduct:
    return StoredProduct(
        product_id=row["product_id"],
        url=row["url"],
        name=row["name"],
        description=row["description"],
        target_audience=row["target_audience"],
        media=json.loads(row["media"]),
        details=None if row["details"] is None else json.loads(row["details"]),
        created_at=row["created_at"],
        warnings=tuple(json.loads(row["warnings"])) if row["warnings"] else (),
    )


def _project(row: sqlite3.Row) -> StoredProject:
    return StoredProject(
        project_id=row["project_id"],
        kind=row["kind"],
        product_id=row["product_id"],
        title=row["title"],
        request=json.loads(row["request"]),
        job_json=row["job"],
        status=row["status"],
        status_desc=row["status_desc"],
        video_path=row["video_path"],
        cover_path=row["cover_path"],
        video_duration=row["video_duration"],
        attempts=row["attempts"],
        created_at=row["created_at"],
    )
