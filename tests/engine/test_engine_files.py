"""The files route serves only regular files under <data_dir>/files: no `..`, no symlink escape."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from engine_support import ServedEngine

from jogg_pipeline.engine.files import DataLayout

SECRET = b"not for the network"


def raw_get(served: ServedEngine, raw_path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (http.client does not normalise `..` or `%2e`)."""
    address = urlsplit(served.root_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.request("GET", raw_path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def planted(module_served: ServedEngine) -> ServedEngine:
    """A secret beside the files folder, a served file inside it, and two escaping symlinks."""
    served = module_served
    data_dir = served.data_dir
    (data_dir / "secret.txt").write_bytes(SECRET)
    media = data_dir / "files" / "media"
    (media / "plain.txt").write_bytes(b"served")
    (media / "link-out.txt").symlink_to(data_dir / "secret.txt")
    (media / "link-dir").symlink_to(data_dir)
    return served


@pytest.mark.parametrize(
    "raw_path",
    [
        "/files/../secret.txt",
        "/files/media/../../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/media/%2E%2E/%2E%2E/secret.txt",
        "/files/..%2fsecret.txt",
        "/files/media/..%2F..%2Fsecret.txt",
        "/files//etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "/files/media/..\\..\\secret.txt",
        "/files/media/link-out.txt",
        "/files/media/link-dir/secret.txt",
        "/files/media/link-dir/engine.sqlite3",
        "/files/media/%00plain.txt",
        "/files/",
        "/files/media",
        "/files/engine.sqlite3",
    ],
)
def test_traversal_is_refused(planted: ServedEngine, raw_path: str) -> None:
    status, body = raw_get(planted, raw_path)
    assert SECRET not in body and b"SQLite" not in body
    assert status == 404, (raw_path, status, body[:200])
    assert json.loads(body)["code"] == 10104


def test_a_file_inside_is_served(planted: ServedEngine) -> None:
    assert raw_get(planted, "/files/media/plain.txt") == (200, b"served")
    assert raw_get(planted, "/files/catalog/avatar-1-v2.png")[0] == 200


def test_layout_resolution(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    layout.create()
    (layout.media / "a.jpg").write_bytes(b"x")
    (tmp_path / "outside.txt").write_bytes(b"y")
    (layout.media / "escape").symlink_to(tmp_path / "outside.txt")
    assert layout.resolve("media/a.jpg") == (layout.media / "a.jpg").resolve()
    for bad in ("", "..", "media/../../outside.txt", "/etc/passwd", "media/escape", "media", "."):
        assert layout.resolve(bad) is None, bad
