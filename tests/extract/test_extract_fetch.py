"""Fetching over a real local HTTP server and from local files."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest

from jogg_pipeline.engine.extract import FetchedResource, FetchError, FetchPolicy, fetch

LOCAL = FetchPolicy(allow_private=True, timeout=2.0)


def get(url: str, policy: FetchPolicy = LOCAL) -> FetchedResource:
    return asyncio.run(fetch(url, policy))


def fails(url: str, policy: FetchPolicy = LOCAL) -> str:
    with pytest.raises(FetchError) as caught:
        get(url, policy)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_fetches_a_page_with_its_type_and_charset(server_url: str) -> None:
    resource = get(f"{server_url}/product")
    assert resource.url == f"{server_url}/product"
    assert resource.content_type == "text/html"
    assert resource.charset == "utf-8"
    assert b"Cedar Canoe Paddle" in resource.content


def test_charset_from_header_meta_and_bom(server_url: str) -> None:
    assert get(f"{server_url}/latin1").charset == "iso-8859-1"
    assert get(f"{server_url}/meta-charset").charset == "windows-1252"
    # A byte-order mark beats what the header says.
    assert get(f"{server_url}/bom").charset == "utf-8"


def test_other_content_types_are_reported(server_url: str) -> None:
    resource = get(f"{server_url}/json")
    assert resource.content_type == "application/json"
    assert resource.charset is None


def test_follows_redirects_to_the_final_url(server_url: str) -> None:
    resource = get(f"{server_url}/redirect-chain")
    assert resource.url == f"{server_url}/product"


def test_too_many_redirects(server_url: str) -> None:
    message = fails(f"{server_url}/loop", FetchPolicy(allow_private=True, max_redirects=3))
    assert "too many redirects" in message


def test_redirect_to_a_file_url_is_refused(server_url: str) -> None:
    assert "not an http(s) URL" in fails(f"{server_url}/to-file")


def test_redirect_without_location(server_url: str) -> None:
    assert "without saying where" in fails(f"{server_url}/no-location")


def test_http_errors_name_the_status(server_url: str) -> None:
    assert "HTTP 404" in fails(f"{server_url}/missing")
    assert "HTTP 500" in fails(f"{server_url}/broken")


def test_size_cap_by_declared_length_and_while_streaming(server_url: str) -> None:
    small = FetchPolicy(allow_private=True, max_bytes=10_000)
    assert "larger than the limit of 10000 bytes" in fails(f"{server_url}/big", small)
    assert "larger than the limit of 10000 bytes" in fails(f"{server_url}/big-stream", small)
    assert len(get(f"{server_url}/big-stream").content) == 64 * 1024


def test_timeout(server_url: str) -> None:
    message = fails(f"{server_url}/slow", FetchPolicy(allow_private=True, timeout=0.5))
    assert message.startswith("timed out after 0.5 s")


def test_private_addresses_are_refused_unless_allowed(server_url: str) -> None:
    message = fails(f"{server_url}/product", FetchPolicy())
    assert "private or local address 127.0.0.1" in message
    assert "--allow-private-urls" in message
    assert fails("http://localhost:9/", FetchPolicy()).startswith("not allowed to fetch")
    assert fails("http://[::1]:9/", FetchPolicy()).startswith("not allowed to fetch")
    assert fails("http://169.254.169.254/latest/", FetchPolicy()).startswith("not allowed")
    assert get(f"{server_url}/product", LOCAL).content == get(f"{server_url}/product").content


def test_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert "connection refused" in fails(f"http://127.0.0.1:{port}/")


def test_dns_failure() -> None:
    message = fails("http://no-such-host.invalid/", FetchPolicy(timeout=5))
    assert "cannot resolve host 'no-such-host.invalid'" in message


def test_unsupported_scheme() -> None:
    assert "only http, https and file URLs" in fails("ftp://example.com/file")


def test_reads_files_under_an_allowed_root(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes("<html><body>caf\u00e9</body></html>".encode())
    resource = get(page.as_uri(), FetchPolicy(allowed_file_roots=(tmp_path,)))
    assert resource.content == page.read_bytes()
    assert resource.content_type == "text/html"
    assert resource.url == page.resolve().as_uri()


def test_files_outside_the_roots_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.html"
    secret.write_text("secret")
    policy = FetchPolicy(allowed_file_roots=(root,))
    assert "outside the allowed folders" in fails(secret.as_uri(), policy)
    assert "outside the allowed folders" in fails(f"file://{root}/../secret.html", policy)
    assert "outside the allowed folders" in fails(secret.as_uri(), FetchPolicy())


def test_symlinks_cannot_escape_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.html").write_text("secret")
    os.symlink(tmp_path / "secret.html", root / "link.html")
    os.symlink(tmp_path, root / "up")
    policy = FetchPolicy(allowed_file_roots=(root,))
    assert "outside the allowed folders" in fails((root / "link.html").as_uri(), policy)
    assert "outside the allowed folders" in fails(f"file://{root}/up/secret.html", policy)


def test_missing_files_folders_and_oversized_files(tmp_path: Path) -> None:
    policy = FetchPolicy(allowed_file_roots=(tmp_path,), max_bytes=10)
    assert fails((tmp_path / "none.html").as_uri(), policy).startswith("file not found")
    (tmp_path / "folder").mkdir()
    assert "not a regular file" in fails((tmp_path / "folder").as_uri(), policy)
    (tmp_path / "big.html").write_bytes(b"x" * 11)
    assert "larger than the limit of 10 bytes" in fails((tmp_path / "big.html").as_uri(), policy)
