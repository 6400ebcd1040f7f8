"""The state database. Each step writes its intent before its request and its result right
after, each in a transaction, so a run killed at any moment leaves a state the next run can
continue from: at most the answer in flight is lost, and that request is known to be in doubt.

Rows are scoped by the backend's identity (its normalised base URL and a fingerprint of the API
key, or the local engine's own id): product and project ids of one account or engine mean
nothing to another.

The state is a cache: losing it costs time, never credits. A campaign it has no record of is
rebuilt from the committed manifest and the backend's lists (`run/rebuild.py`)."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import PipelineError
from jogg_pipeline.state.records import Failure, Intent, VideoStatus

SCHEMA_VERSION = 2

log = logging.getLogger("jogg_pipeline.state")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    scope TEXT NOT NULL,
    campaign TEXT NOT NULL,
    product_key TEXT NOT NULL,
    url TEXT NOT NULL,
    product_id TEXT,
    extracted TEXT,          -- the product as the API returned it on creation (JSON)
    sent TEXT,               -- the override fields last sent with PUT (JSON)
    intent TEXT,             -- 'create' or 'update' while a request is out
    intent_payload TEXT,
    error TEXT,              -- the last failure of this product's steps (JSON)
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, campaign, product_key)
);
CREATE TABLE IF NOT EXISTS videos (
    scope TEXT NOT NULL,
    content_key TEXT NOT NULL,   -- hash of the product content and the resolved settings
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,        -- requesting | pending | success | failed | refused
    project_id TEXT,
    request TEXT NOT NULL,       -- the create_video_from_url body (JSON)
    video_url TEXT,
    cover_url TEXT,
    duration REAL,
    status_code INTEGER,
    error TEXT,                  -- {step, code, msg} (JSON)
    content TEXT,                -- what else makes the video: product fields, quality (JSON)
    warnings TEXT,               -- what the backend said it did differently (JSON list)
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, content_key)
);
CREATE TABLE IF NOT EXISTS assignments (
    campaign TEXT NOT NULL,
    video_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    product_key TEXT NOT NULL,
    content_key TEXT,            -- NULL when a step before the video failed
    error TEXT,                  -- that failure, {step, code, msg} (JSON)
    PRIMARY KEY (campaign, video_id)
);
CREATE TABLE IF NOT EXISTS downloads (
    scope TEXT NOT NULL,
    content_key TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (scope, content_key, path)
);
"""


def _add_columns(db: sqlite3.Connection, table: str, columns: tuple[tuple[str, str], ...]) -> None:
    present = {info[1] for info in db.execute(f"PRAGMA table_info({table})")}
    for name, kind in columns:
        if name not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _to_schema_2(db: sqlite3.Connection) -> None:
    """Schema 2: what made each video and what the backend said of it."""
    _add_columns(db, "videos", (("content", "TEXT"), ("warnings", "TEXT")))


# The step that brings a state from the schema before it to each schema. A new schema adds
# its step here (and to _SCHEMA, for new states), and raises SCHEMA_VERSION.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _to_schema_2}


@dataclass(frozen=True)
class ProductRow:
    campaign: str
    product_key: str
    url: str
    product_id: str | None
    extracted: dict[str, Any] | None
    sent: dict[str, Any] | None
    intent: Intent | None
    intent_payload: dict[str, Any] | None
    error: Failure | None


@dataclass(frozen=True)
class VideoRow:
    content_key: str
    updated_at: float
    attempt: int
    status: VideoStatus
    project_id: str | None
    request: dict[str, Any]
    video_url: str | None
    cover_url: str | None
    duration: float | None
    error: Failure | None
    content: dict[str, Any] | None = None  # product fields and quality it was made from
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """Which video content a video id of a campaign stands for now."""

    scope: str
    product_key: str
    content_key: str | None
    error: Failure | None


_RECOVERY = (
    "move the state folder away (or delete it): the next run rebuilds it from the manifests "
    "in results/ and the backend, without requesting any video twice"
)


class StateUnreadable(PipelineError):
    """The state database cannot be read: damaged, not a database, or not a file."""


def _load(text: str | None) -> Any:
    try:
        return None if text is None else json.loads(text)
    except (TypeError, ValueError) as error:
        raise StateUnreadable(f"the state has a damaged record ({error}); {_RECOVERY}") from None


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


class StateTooNew(PipelineError):
    """The state was written by a newer version of jogg-pipeline."""


class StateStore:
    def __init__(self, path: Path, *, connection: sqlite3.Connection | None = None) -> None:
        self.path = path
        try:
            if connection is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")  # durable across a killed run
                connection.execute("PRAGMA busy_timeout=5000")
            self._db = connection
            self._db.row_factory = sqlite3.Row
            self._db.executescript(_SCHEMA)  # idempotent; executescript commits on its own
            self._migrate()
        except (sqlite3.DatabaseError, OSError, ValueError) as error:
            _close(connection)
            reason = f"the state {path} cannot be read ({error}); {_RECOVERY}"
            raise StateUnreadable(reason) from None
        except PipelineError:  # refused (too new, unknown version): nothing stays open
            _close(connection)
            raise

    @classmethod
    def in_memory(cls, copy_of: Path | None = None) -> StateStore:
        """A state that lives in memory, empty or a copy of the state at `copy_of`: for
        commands such as `plan` that work out what would happen and must change nothing."""
        connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if copy_of is not None and copy_of.exists():
            try:
                source = sqlite3.connect(f"{copy_of.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    source.backup(connection)
                finally:
                    source.close()
            except sqlite3.DatabaseError as error:
                raise StateUnreadable(
                    f"the state {copy_of} cannot be read ({error}); {_RECOVERY}"
                ) from None
        return cls(copy_of or Path(":memory:"), connection=connection)

    def _migrate(self) -> None:
        """Bring a state written by an older version to SCHEMA_VERSION, one step at a time, in
        one transaction; refuse one written by a newer version."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()
            # A state without a version predates versioning: the first schema.
            text = str(row[0]) if row else "1"
            if not text.isdigit() or int(text) < 1:
                raise StateUnreadable(
                    f"the state {self.path} has an unknown schema version {text!r}; {_RECOVERY}"
                )
            version = int(text)
            if version > SCHEMA_VERSION:
                raise StateTooNew(
                    f"the state in {self.path.parent} was written by a newer jogg-pipeline "
                    f"(state schema {version}, this version reads up to {SCHEMA_VERSION}); "
                    "upgrade jogg-pipeline, or move the state folder away to rebuild it from "
                    "the manifests"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](db)
                log.info("state %s migrated to schema %d", self.path, target)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- products -----------------------------------------------------------------------------

    def product(self, scope: str, campaign: str, key: str) -> ProductRow | None:
        row = self._db.execute(
            "SELECT * FROM products WHERE scope=? AND campaign=? AND product_key=?",
            (scope, campaign, key),
        ).fetchone()
        if row is None:
            return None
        return ProductRow(
            campaign=row["campaign"],
            product_key=row["product_key"],
            url=row["url"],
            product_id=row["product_id"],
            extracted=_load(row["extracted"]),
            sent=_load(row["sent"]),
            intent=None if row["intent"] is None else Intent(row["intent"]),
            intent_payload=_load(row["intent_payload"]),
            error=Failure.from_json(_load(row["error"])),
        )

    def knows_campaign(self, scope: str, campaign: str) -> bool:
        """Whether any product of this campaign on this backend is recorded."""
        row = self._db.execute(
            "SELECT 1 FROM products WHERE scope=? AND campaign=? LIMIT 1", (scope, campaign)
        ).fetchone()
        return row is not None

    def claimed_product_ids(self, scope: str) -> set[str]:
        rows = self._db.execute(
            "SELECT product_id FROM products WHERE scope=? AND product_id IS NOT NULL", (scope,)
        )
        return {row[0] for row in rows}

    def begin_product(
        self,
        scope: str,
        campaign: str,
        key: str,
        url: str,
        intent: Intent,
        payload: dict[str, Any],
    ) -> None:
        """Record that a create or update request for this product is about to be sent."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO products (scope, campaign, product_key, url, intent, intent_payload,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                " intent=excluded.intent, intent_payload=excluded.intent_payload,"
                " updated_at=excluded.updated_at",
                (scope, campaign, key, url, str(intent), _dump(payload), time.time()),
            )

    def product_created(
        self, scope: str, campaign: str, key: str, url: str, product: dict[str, Any]
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE products SET url=?, product_id=?, extracted=?, sent=NULL, intent=NULL,"
                " intent_payload=NULL, error=NULL, updated_at=? WHERE scope=? AND campaign=?"
                " AND product_key=?",
                (url, product["product_id"], _dump(product), time.time(), scope, campaign, key),
            )

    def adopt_product(
        self,
        scope: str,
        campaign: str,
        key: str,
        url: str,
        product: dict[str, Any],
        sent: dict[str, Any] | None,
    ) -> None:
        """Record a product found on the backend (a rebuilt state): as created, with the
        override fields last sent to it."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO products (scope, campaign, product_key, url, product_id, extracted,"
                " sent, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                " url=excluded.url, product_id=excluded.product_id,"
                " extracted=excluded.extracted, sent=excluded.sent, intent=NULL,"
                " intent_payload=NULL, error=NULL, updated_at=excluded.updated_at",
                (
                    scope,
                    campaign,
                    key,
                    url,
                    product["product_id"],
                    _dump(product),
                    _dump(sent),
                    time.time(),
                ),
            )

    def product_updated(self, scope: str, campaign: str, key: str, sent: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE products SET sent=?, intent=NULL, intent_payload=NULL, error=NULL,"
                " updated_at=? WHERE scope=? AND campaign=? AND product_key=?",
                (_dump(sent), time.time(), scope, campaign, key),
            )

    def product_failed(self, scope: str, campaign: str, key: str, url: str, error: Failure) -> None:
        """The request was answered with an error: nothing is in doubt any more."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO products (scope, campaign, product_key, url, error, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET intent=NULL,"
                " intent_payload=NULL, error=excluded.error, updated_at=excluded.updated_at",
                (scope, campaign, key, url, _dump(error.as_json()), time.time()),
            )

    # --- videos -------------------------------------------------------------------------------

    def video(self, scope: str, content_key: str) -> VideoRow | None:
        row = self._db.execute(
            "SELECT * FROM videos WHERE scope=? AND content_key=?", (scope, content_key)
        ).fetchone()
        return None if row is None else _video_row(row)

    def begin_video(
        self,
        scope: str,
        content_key: str,
        request: dict[str, Any],
        content: dict[str, Any] | None = None,
    ) -> None:
        """Record that create_video_from_url is about to be sent for this content."""
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO videos (scope, content_key, attempt, status, request, content,"
                " created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
                " SET attempt=attempt+1, status=excluded.status, request=excluded.request,"
                " content=excluded.content, project_id=NULL, video_url=NULL, cover_url=NULL,"
                " duration=NULL, status_code=NULL, error=NULL, warnings=NULL,"
                " updated_at=excluded.updated_at",
                (
                    scope,
                    content_key,
                    str(VideoStatus.REQUESTING),
                    _dump(request),
                    _dump(content),
                    now,
                    now,
                ),
            )

    def adopt_video(
        self,
        scope: str,
        content_key: str,
        request: dict[str, Any],
        content: dict[str, Any] | None,
        *,
        status: VideoStatus,
        project_id: str | None,
        requested_at: float = 0.0,
        status_code: int | None = None,
        video_url: str | None = None,
        cover_url: str | None = None,
        duration: float | None = None,
        error: Failure | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        """Record a video found on the backend (a rebuilt state) as the backend reports it.
        `requested_at` 0 means unknown: a lookup of a lost answer then searches without a
        time bound."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO videos (scope, content_key, attempt, status, project_id,"
                " request, video_url, cover_url, duration, status_code, error, content, warnings,"
                " created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scope,
                    content_key,
                    str(status),
                    project_id,
                    _dump(request),
                    video_url,
                    cover_url,
                    duration,
                    status_code,
                    _dump(error and error.as_json()),
                    _dump(content),
                    _dump(warnings or None),
                    requested_at,
                    requested_at,
                ),
            )

    def video_requested(self, scope: str, content_key: str, project_id: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE videos SET status=?, project_id=?, updated_at=? WHERE scope=? AND"
                " content_key=?",
                (str(VideoStatus.PENDING), project_id, time.time(), scope, content_key),
            )

    def video_progress(
        self,
        scope: str,
        content_key: str,
        *,
        status: VideoStatus,
        status_code: int | None = None,
        video_url: str | None = None,
        cover_url: str | None = None,
        duration: float | None = None,
        error: Failure | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE videos SET status=?, status_code=?, video_url=?, cover_url=?, duration=?,"
                " error=?, warnings=?, updated_at=? WHERE scope=? AND content_key=?",
                (
                    str(status),
                    status_code,
                    video_url,
                    cover_url,
                    duration,
                    _dump(error and error.as_json()),
                    _dump(warnings or None),
                    time.time(),
                    scope,
                    content_key,
                ),
            )

    def claimed_project_ids(self, scope: str) -> set[str]:
        rows = self._db.execute(
            "SELECT project_id FROM videos WHERE scope=? AND project_id IS NOT NULL", (scope,)
        )
        return {row[0] for row in rows}

    def forget_projects(self, scope: str | None, project_ids: set[str]) -> int:
        """Drop the videos of these projects (their files are gone): a later run requests
        such a video again instead of pointing at a deleted file. None: in any scope."""
        forgotten = 0
        with self.transaction() as db:
            for project_id in sorted(project_ids):
                if scope is None:
                    cursor = db.execute("DELETE FROM videos WHERE project_id=?", (project_id,))
                else:
                    cursor = db.execute(
                        "DELETE FROM videos WHERE scope=? AND project_id=?", (scope, project_id)
                    )
                forgotten += cursor.rowcount
        return forgotten

    # --- which content each video of a campaign stands for -------------------------------------

    def assign(
        self,
        campaign: str,
        video_id: str,
        scope: str,
        product_key: str,
        content_key: str | None,
        error: Failure | None = None,
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                " scope=excluded.scope, product_key=excluded.product_key,"
                " content_key=excluded.content_key, error=excluded.error",
                (
                    campaign,
                    video_id,
                    scope,
                    product_key,
                    content_key,
                    _dump(error and error.as_json()),
                ),
            )

    def assignment(self, campaign: str, video_id: str) -> Assignment | None:
        row = self._db.execute(
            "SELECT * FROM assignments WHERE campaign=? AND video_id=?", (campaign, video_id)
        ).fetchone()
        return None if row is None else _assignment(row)

    def assignments(self, campaign: str) -> dict[str, Assignment]:
        rows = self._db.execute("SELECT * FROM assignments WHERE campaign=?", (campaign,))
        return {row["video_id"]: _assignment(row) for row in rows}

    def campaigns(self) -> list[str]:
        rows = self._db.execute("SELECT DISTINCT campaign FROM assignments ORDER BY campaign")
        return [row[0] for row in rows]

    # --- downloads ----------------------------------------------------------------------------

    def download(self, scope: str, content_key: str, path: str) -> str | None:
        row = self._db.execute(
            "SELECT sha256 FROM downloads WHERE scope=? AND content_key=? AND path=?",
            (scope, content_key, path),
        ).fetchone()
        return None if row is None else row[0]

    def downloads_of(self, scope: str, content_key: str) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT path, sha256 FROM downloads WHERE scope=? AND content_key=? ORDER BY path",
            (scope, content_key),
        )
        return [(row[0], row[1]) for row in rows]

    def downloaded(self, scope: str, content_key: str, path: str, sha256: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO downloads VALUES (?, ?, ?, ?)",
                (scope, content_key, path, sha256),
            )


def _close(connection: sqlite3.Connection | None) -> None:
    if connection is not None:
        connection.close()


def _assignment(row: sqlite3.Row) -> Assignment:
    return Assignment(
        scope=row["scope"],
        product_key=row["product_key"],
        content_key=row["content_key"],
        error=Failure.from_json(_load(row["error"])),
    )


def _video_row(row: sqlite3.Row) -> VideoRow:
    return VideoRow(
        content_key=row["content_key"],
        updated_at=row["updated_at"],
        attempt=row["attempt"],
        status=VideoStatus(row["status"]),
        project_id=row["project_id"],
        request=_load(row["request"]),
        video_url=row["video_url"],
        cover_url=row["cover_url"],
        duration=row["duration"],
        error=Failure.from_json(_load(row["error"])),
        content=_load(row["content"]),
        warnings=tuple(_load(row["warnings"]) or ()),
    )
