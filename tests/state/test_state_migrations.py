"""The state's schema version is checked on every open, and older states are migrated step by
step to the current schema, in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jogg_pipeline.state import store
from jogg_pipeline.state.store import SCHEMA_VERSION, StateStore, StateUnreadable

FIRST_SCHEMA_VIDEOS = (
    "CREATE TABLE videos (scope TEXT NOT NULL, content_key TEXT NOT NULL, attempt INTEGER"
    " NOT NULL, status TEXT NOT NULL, project_id TEXT, request TEXT NOT NULL, video_url"
    " TEXT, cover_url TEXT, duration REAL, status_code INTEGER, error TEXT, created_at"
    " REAL NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (scope, content_key));"
    "INSERT INTO videos VALUES ('s', 'k', 1, 'success', 'p', '{}', 'v', 'c', 15.0, 4,"
    " NULL, 0, 0);"
)


def schema_version(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()[0]


def test_every_schema_after_the_first_has_its_migration_step() -> None:
    assert sorted(store.MIGRATIONS) == list(range(2, SCHEMA_VERSION + 1))


def test_a_state_from_before_versioning_is_taken_as_the_first_schema(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:  # no meta table at all
        db.executescript(FIRST_SCHEMA_VIDEOS)
    state = StateStore(path)
    row = state.video("s", "k")
    assert row is not None and row.status == "success" and row.warnings == ()
    state.close()
    assert schema_version(path) == str(SCHEMA_VERSION)


def test_a_new_state_starts_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    StateStore(path).close()
    assert schema_version(path) == str(SCHEMA_VERSION)
    StateStore(path).close()  # opening again changes nothing
    assert schema_version(path) == str(SCHEMA_VERSION)


def test_migrations_run_in_order_up_to_the_current_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A future schema 3 is one more step: a schema-1 state goes through 2, then 3."""
    steps: list[int] = []

    def to_3(db: sqlite3.Connection) -> None:
        steps.append(3)
        db.execute("ALTER TABLE videos ADD COLUMN seen_at REAL")

    def to_2(db: sqlite3.Connection) -> None:
        steps.append(2)
        store._to_schema_2(db)

    monkeypatch.setattr(store, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store, "MIGRATIONS", {2: to_2, 3: to_3})
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');" + FIRST_SCHEMA_VIDEOS
        )
    StateStore(path).close()
    assert steps == [2, 3]
    assert schema_version(path) == "3"
    with sqlite3.connect(path) as db:
        columns = {info[1] for info in db.execute("PRAGMA table_info(videos)")}
    assert {"content", "warnings", "seen_at"} <= columns
    StateStore(path).close()  # at the current schema: no step runs again
    assert steps == [2, 3]


def test_a_failed_migration_leaves_the_state_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE videos ADD COLUMN half_done TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "MIGRATIONS", {2: broken})
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');" + FIRST_SCHEMA_VIDEOS
        )
    with pytest.raises(StateUnreadable) as raised:
        StateStore(path)
    assert str(raised.value).startswith(f"the state {path} cannot be read (disk I/O error); ")
    assert schema_version(path) == "1"
    with sqlite3.connect(path) as db:
        columns = {info[1] for info in db.execute("PRAGMA table_info(videos)")}
    assert "half_done" not in columns


def test_an_unknown_schema_version_is_refused_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    StateStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='two' WHERE name='schema_version'")
    with pytest.raises(StateUnreadable) as raised:
        StateStore(path)
    assert str(raised.value) == (
        f"the state {path} has an unknown schema version 'two'; move the state folder away (or "
        "delete it): the next run rebuilds it from the manifests in results/ and the backend, "
        "without requesting any video twice"
    )


def test_a_refused_state_leaves_no_connection_open(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    StateStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE name='schema_version'")
    db.close()
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(store.StateTooNew):
        StateStore(path, connection=connection)
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        connection.execute("SELECT 1")
