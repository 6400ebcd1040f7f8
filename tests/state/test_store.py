"""The state database, on real SQLite files: what a reader sees after each write, across
reopening and a second connection; copies in memory that change nothing; the schema version
check; and the one-line messages of a state that cannot be read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jogg_pipeline.state.records import Failure, Intent, Step, VideoStatus
from jogg_pipeline.state.store import (
    SCHEMA_VERSION,
    Assignment,
    StateStore,
    StateTooNew,
    StateUnreadable,
)

SCOPE = "https://api.example.test/v1#0123456789abcdef"
OTHER_SCOPE = "local-engine-4f2a"
URL = "https://shop.example.com/blush"
PRODUCT = {"product_id": "P1", "url": URL, "name": "Blush – 20% off", "media": []}
REQUEST = {"product_id": "P1", "aspect_ratio": 0, "video_length": "15"}
CONTENT = {"product": {"name": "Blush"}, "quality": "preview"}
RECOVERY = (
    "move the state folder away (or delete it): the next run rebuilds it from the manifests "
    "in results/ and the backend, without requesting any video twice"
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".jogg" / "state.sqlite3"


@pytest.fixture
def state(path: Path) -> StateStore:
    return StateStore(path)


# --- products ---------------------------------------------------------------------------------


def test_a_product_from_its_creation_request_to_its_update(state: StateStore) -> None:
    assert state.product(SCOPE, "sale", "blush") is None
    assert not state.knows_campaign(SCOPE, "sale")

    state.begin_product(SCOPE, "sale", "blush", URL, Intent.CREATE, {"url": URL})
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.url, row.product_id, row.extracted, row.sent) == (URL, None, None, None)
    assert (row.intent, row.intent_payload) == (Intent.CREATE, {"url": URL})
    assert row.intent == "create"  # the word stored in the database
    assert state.knows_campaign(SCOPE, "sale")
    assert state.claimed_product_ids(SCOPE) == set()

    state.product_created(SCOPE, "sale", "blush", URL, PRODUCT)
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.product_id, row.extracted, row.sent) == ("P1", PRODUCT, None)
    assert (row.intent, row.intent_payload, row.error) == (None, None, None)
    assert state.claimed_product_ids(SCOPE) == {"P1"}

    state.begin_product(SCOPE, "sale", "blush", URL, Intent.UPDATE, {"name": "Blush"})
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.intent, row.intent_payload, row.product_id) == (
        Intent.UPDATE,
        {"name": "Blush"},
        "P1",
    )

    state.product_updated(SCOPE, "sale", "blush", {"name": "Blush"})
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.sent, row.intent, row.intent_payload) == ({"name": "Blush"}, None, None)
    assert row.extracted == PRODUCT  # an update keeps the product as extracted


def test_a_failed_product_step_clears_its_intent_and_keeps_the_product(state: StateStore) -> None:
    refused = Failure(Step.CREATE_PRODUCT, 40000, "no product on the page")
    state.product_failed(SCOPE, "sale", "kettle", URL, refused)  # never created
    row = state.product(SCOPE, "sale", "kettle")
    assert row is not None
    assert (row.product_id, row.error, row.intent) == (None, refused, None)

    state.product_created(SCOPE, "sale", "blush", URL, PRODUCT)  # no row yet: nothing happens
    assert state.product(SCOPE, "sale", "blush") is None
    state.begin_product(SCOPE, "sale", "blush", URL, Intent.CREATE, {"url": URL})
    state.product_created(SCOPE, "sale", "blush", URL, PRODUCT)
    state.begin_product(SCOPE, "sale", "blush", URL, Intent.UPDATE, {"name": "x"})
    failed = Failure(Step.UPDATE_PRODUCT, 10104, "Record not found")
    state.product_failed(SCOPE, "sale", "blush", URL, failed)
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.product_id, row.error, row.intent, row.intent_payload) == ("P1", failed, None, None)

    state.product_created(SCOPE, "sale", "blush", URL, {**PRODUCT, "product_id": "P2"})
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None and (row.product_id, row.error) == ("P2", None)


def test_an_adopted_product_replaces_what_was_recorded(state: StateStore) -> None:
    state.begin_product(SCOPE, "sale", "blush", URL, Intent.CREATE, {"url": URL})
    state.product_failed(SCOPE, "sale", "blush", URL, Failure(Step.CREATE_PRODUCT, 50000, "x"))
    moved = "https://shop.example.com/blush-2"
    state.adopt_product(SCOPE, "sale", "blush", moved, PRODUCT, {"name": "Blush – 20% off"})
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None
    assert (row.url, row.product_id, row.sent) == (moved, "P1", {"name": "Blush – 20% off"})
    assert (row.intent, row.intent_payload, row.error) == (None, None, None)


def test_rows_of_one_backend_or_campaign_are_not_anothers(state: StateStore) -> None:
    state.adopt_product(SCOPE, "sale", "blush", URL, PRODUCT, None)
    assert state.product(OTHER_SCOPE, "sale", "blush") is None
    assert state.product(SCOPE, "other", "blush") is None
    assert not state.knows_campaign(OTHER_SCOPE, "sale")
    assert state.claimed_product_ids(OTHER_SCOPE) == set()
    state.begin_video(SCOPE, "k1", REQUEST)
    assert state.video(OTHER_SCOPE, "k1") is None


# --- videos -----------------------------------------------------------------------------------


def test_a_video_from_its_request_to_its_result_and_a_second_attempt(state: StateStore) -> None:
    state.begin_video(SCOPE, "k1", REQUEST, CONTENT)
    row = state.video(SCOPE, "k1")
    assert row is not None
    assert (row.status, row.attempt, row.project_id) == (VideoStatus.REQUESTING, 1, None)
    assert (row.request, row.content, row.error, row.warnings) == (REQUEST, CONTENT, None, ())

    state.video_requested(SCOPE, "k1", "V1")
    row = state.video(SCOPE, "k1")
    assert row is not None and (row.status, row.project_id) == (VideoStatus.PENDING, "V1")
    assert row.status == "pending"  # the word stored in the database
    assert state.claimed_project_ids(SCOPE) == {"V1"}

    state.video_progress(
        SCOPE, "k1", status=VideoStatus.SUCCESS, status_code=3, video_url="https://f/v.mp4",
        cover_url="https://f/c.jpg", duration=15.0, warnings=["a local voice"],
    )  # fmt: skip
    row = state.video(SCOPE, "k1")
    assert row is not None
    assert (row.status, row.video_url, row.cover_url, row.duration) == (
        VideoStatus.SUCCESS,
        "https://f/v.mp4",
        "https://f/c.jpg",
        15.0,
    )
    assert (row.project_id, row.warnings) == ("V1", ("a local voice",))

    # Requested again (a changed quality, --retry-failed): what the last attempt found is gone.
    state.begin_video(SCOPE, "k1", {**REQUEST, "caption": False})
    row = state.video(SCOPE, "k1")
    assert row is not None
    assert (row.status, row.attempt, row.request["caption"]) == (VideoStatus.REQUESTING, 2, False)
    assert (row.project_id, row.video_url, row.duration, row.content) == (None, None, None, None)
    assert (row.error, row.warnings) == (None, ())
    assert state.claimed_project_ids(SCOPE) == set()

    failed = Failure(Step.RENDER, 5, "the voice could not be made")
    state.video_requested(SCOPE, "k1", "V2")
    state.video_progress(SCOPE, "k1", status=VideoStatus.FAILED, error=failed)
    row = state.video(SCOPE, "k1")
    assert row is not None and (row.status, row.error) == (VideoStatus.FAILED, failed)
    assert row.error is not None and row.error.as_json() == {
        "step": "render",
        "code": 5,
        "msg": "the voice could not be made",
    }


def test_an_adopted_video_is_recorded_as_the_backend_reports_it(state: StateStore) -> None:
    refused = Failure(Step.CREATE_VIDEO, 18020, "Insufficient credit")
    state.adopt_video(
        SCOPE, "k1", REQUEST, None, status=VideoStatus.REFUSED, project_id=None,
        requested_at=1_700_000_000.0, error=refused,
    )  # fmt: skip
    row = state.video(SCOPE, "k1")
    assert row is not None
    assert (row.status, row.error, row.attempt) == (VideoStatus.REFUSED, refused, 1)
    assert row.updated_at == 1_700_000_000.0  # when it was requested: a lookup's lower bound
    state.adopt_video(SCOPE, "k1", REQUEST, CONTENT, status=VideoStatus.PENDING, project_id="V7")
    row = state.video(SCOPE, "k1")
    assert row is not None
    assert (row.status, row.project_id, row.error, row.content) == (
        VideoStatus.PENDING,
        "V7",
        None,
        CONTENT,
    )
    assert row.updated_at == 0.0  # unknown: a lookup searches without a time bound


def test_forgotten_projects_leave_the_state_in_one_scope_or_in_all(state: StateStore) -> None:
    for scope, key, project in [
        (SCOPE, "k1", "V1"),
        (SCOPE, "k2", "V2"),
        (OTHER_SCOPE, "k1", "V1"),
    ]:
        state.adopt_video(scope, key, REQUEST, None, status=VideoStatus.SUCCESS, project_id=project)
    assert state.forget_projects(OTHER_SCOPE, {"V2"}) == 0
    assert state.forget_projects(SCOPE, {"V2", "V9"}) == 1
    assert state.video(SCOPE, "k2") is None
    assert state.forget_projects(None, {"V1"}) == 2
    assert state.claimed_project_ids(SCOPE) == state.claimed_project_ids(OTHER_SCOPE) == set()


# --- assignments and downloads ----------------------------------------------------------------


def test_which_video_each_id_stands_for(state: StateStore) -> None:
    assert state.assignment("sale", "blush/short") is None
    assert state.assignments("sale") == {} and state.campaigns() == []
    state.assign("sale", "blush/short", SCOPE, "blush", "k1")
    template = Failure(Step.RENDER_TEMPLATES, "template", "video_name: no attribute 'colour'")
    state.assign("sale", "blush/long", SCOPE, "blush", None, template)
    state.assign("launch", "kettle", OTHER_SCOPE, "kettle", "k9")
    assert state.assignment("sale", "blush/short") == Assignment(SCOPE, "blush", "k1", None)
    assert state.assignments("sale") == {
        "blush/short": Assignment(SCOPE, "blush", "k1", None),
        "blush/long": Assignment(SCOPE, "blush", None, template),
    }
    assert state.campaigns() == ["launch", "sale"]

    state.assign("sale", "blush/long", OTHER_SCOPE, "blush", "k2")  # it stands for another now
    assert state.assignment("sale", "blush/long") == Assignment(OTHER_SCOPE, "blush", "k2", None)


def test_downloads_are_recorded_per_video_and_path(state: StateStore) -> None:
    assert state.download(SCOPE, "k1", "videos/a.mp4") is None
    state.downloaded(SCOPE, "k1", "videos/b.mp4", "bb")
    state.downloaded(SCOPE, "k1", "videos/a.mp4", "aa")
    state.downloaded(SCOPE, "k1", "videos/a.mp4", "a2")  # written again: the new digest
    assert state.download(SCOPE, "k1", "videos/a.mp4") == "a2"
    assert state.downloads_of(SCOPE, "k1") == [("videos/a.mp4", "a2"), ("videos/b.mp4", "bb")]
    assert state.downloads_of(OTHER_SCOPE, "k1") == []


def test_a_failed_transaction_writes_nothing(state: StateStore) -> None:
    with pytest.raises(RuntimeError), state.transaction() as db:
        db.execute(
            "INSERT INTO assignments VALUES ('sale', 'kettle', ?, 'kettle', 'k1', NULL)", (SCOPE,)
        )
        raise RuntimeError("stopped half way")
    assert state.assignment("sale", "kettle") is None


# --- the file: reopened, read by another connection, copied into memory -----------------------


def test_what_was_written_is_there_after_reopening(path: Path, state: StateStore) -> None:
    state.adopt_product(SCOPE, "sale", "blush", URL, PRODUCT, {"name": "Blush – 20% off"})
    state.begin_video(SCOPE, "k1", REQUEST, CONTENT)
    state.assign("sale", "blush/short", SCOPE, "blush", "k1")
    reader = StateStore(path)  # a second connection, as `status` opens during a run
    assert reader.video(SCOPE, "k1") == state.video(SCOPE, "k1")
    state.video_requested(SCOPE, "k1", "V1")
    row = reader.video(SCOPE, "k1")
    assert row is not None and row.project_id == "V1"  # each write is committed at once
    reader.close()
    state.close()

    reopened = StateStore(path)
    product = reopened.product(SCOPE, "sale", "blush")
    assert product is not None and product.sent == {"name": "Blush – 20% off"}
    assert reopened.assignments("sale") == {"blush/short": Assignment(SCOPE, "blush", "k1", None)}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_copy_in_memory_changes_nothing_on_disk(path: Path, state: StateStore) -> None:
    state.adopt_product(SCOPE, "sale", "blush", URL, PRODUCT, None)
    copy = StateStore.in_memory(path)
    assert copy.product(SCOPE, "sale", "blush") == state.product(SCOPE, "sale", "blush")
    copy.product_updated(SCOPE, "sale", "blush", {"name": "changed"})
    copy.assign("sale", "blush/short", SCOPE, "blush", "k1")
    row = state.product(SCOPE, "sale", "blush")
    assert row is not None and row.sent is None
    assert state.assignments("sale") == {}

    nowhere = path.parent / "none" / "state.sqlite3"
    assert StateStore.in_memory(nowhere).product(SCOPE, "sale", "blush") is None
    assert not nowhere.parent.exists()  # `plan` creates no state folder
    assert StateStore.in_memory().campaigns() == []


# --- versions ---------------------------------------------------------------------------------


def newer(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE name='schema_version'")


def test_a_state_written_by_a_newer_version_is_refused(path: Path, state: StateStore) -> None:
    state.close()
    newer(path)
    message = (
        f"the state in {path.parent} was written by a newer jogg-pipeline (state schema 99, this "
        f"version reads up to {SCHEMA_VERSION}); upgrade jogg-pipeline, or move the state folder "
        "away to rebuild it from the manifests"
    )
    with pytest.raises(StateTooNew) as refused:
        StateStore(path)
    assert str(refused.value) == message
    with pytest.raises(StateTooNew) as copied:
        StateStore.in_memory(path)  # `plan` refuses it too
    assert str(copied.value) == message
    with sqlite3.connect(path) as db:  # and leaves it as it was
        assert db.execute("SELECT value FROM meta").fetchone() == ("99",)


def test_a_state_of_the_first_schema_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:  # the videos table as the first schema wrote it
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema_version', '1');"
            "CREATE TABLE videos (scope TEXT NOT NULL, content_key TEXT NOT NULL, attempt INTEGER"
            " NOT NULL, status TEXT NOT NULL, project_id TEXT, request TEXT NOT NULL, video_url"
            " TEXT, cover_url TEXT, duration REAL, status_code INTEGER, error TEXT, created_at"
            " REAL NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (scope, content_key));"
            "INSERT INTO videos VALUES ('s', 'k', 1, 'success', 'p', '{}', 'v', 'c', 15.0, 4,"
            " NULL, 0, 0);"
        )
    state = StateStore(path)
    row = state.video("s", "k")
    assert row is not None and row.content is None and row.warnings == ()
    assert (row.status, row.project_id, row.duration) == (VideoStatus.SUCCESS, "p", 15.0)
    state.video_progress("s", "k", status=VideoStatus.SUCCESS, warnings=["kept now"])
    state.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        columns = [info[1] for info in db.execute("PRAGMA table_info(videos)")]
        assert columns[-2:] == ["content", "warnings"]
    row = StateStore(path).video("s", "k")
    assert row is not None and row.warnings == ("kept now",)


# --- what cannot be read ----------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_one_line_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not SQLite, it is a text file that is long enough" * 20)
    with pytest.raises(StateUnreadable) as opened:
        StateStore(path)
    assert str(opened.value) == (
        f"the state {path} cannot be read (file is not a database); {RECOVERY}"
    )
    with pytest.raises(StateUnreadable) as copied:
        StateStore.in_memory(path)
    assert str(copied.value) == (
        f"the state {path} cannot be read (file is not a database); {RECOVERY}"
    )


def test_a_folder_where_the_state_file_goes_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.mkdir()
    with pytest.raises(StateUnreadable) as opened:
        StateStore(path)
    assert str(opened.value) == (
        f"the state {path} cannot be read (unable to open database file); {RECOVERY}"
    )


def test_a_damaged_record_is_one_line_with_what_to_do(path: Path, state: StateStore) -> None:
    state.adopt_product(SCOPE, "sale", "blush", URL, PRODUCT, None)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE products SET extracted='{\"name\": ' WHERE product_key='blush'")
    with pytest.raises(StateUnreadable) as read:
        state.product(SCOPE, "sale", "blush")
    assert str(read.value) == (
        f"the state has a damaged record (Expecting value: line 1 column 10 (char 9)); {RECOVERY}"
    )
