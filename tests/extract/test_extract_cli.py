"""`jogg-pipeline extract` as a user runs it."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from jogg_pipeline.cli import main

PAGES = Path(__file__).parent / "pages"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["extract", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_summary_of_a_saved_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    shutil.copy(PAGES / "jsonld_graph.html", page)
    code, out, err = run(capsys, str(page))
    assert code == 0, err
    assert "name:         Trail Runner 2 & Co" in out
    assert "price:        89.50 GBP" in out
    assert "availability: InStock" in out
    assert "media:        2 image(s), 0 video(s)" in out
    # Media paths resolve against the file's own URL by default.
    assert "  file:///img/trail-runner-2_front.jpg\n" in out


def test_json_output_with_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, str(PAGES / "microdata.html"), "--json", "--base-url", "https://shop.example/wk7"
    )
    assert code == 0
    product = json.loads(out)
    assert list(product) == ["name", "description", "target_audience", "media", "url", "details"]
    assert product["url"] == "https://shop.example/wk7"
    assert product["media"] == [
        {
            "type": 1,
            "name": "wk7-gross.jpg",
            "url": "https://shop.example/bilder/wk7-gross.jpg",
            "description": "Wasserkocher WK-7 in Weiß",
        }
    ]
    assert product["details"] == {
        "price": "39.90",
        "currency": "EUR",
        "brand": "Kochfix",
        "sku": "WK7-WEISS",
        "availability": "PreOrder",
    }


def test_fetches_a_url_when_private_addresses_are_allowed(
    server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, f"{server_url}/product", "--allow-private-urls", "--json")
    assert code == 0
    assert json.loads(out)["name"] == "Cedar Canoe Paddle"


def test_private_url_refused_with_one_line(
    server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, f"{server_url}/product")
    assert code == 3
    assert out == ""
    assert err.startswith("jogg-pipeline: error: not allowed to fetch ")
    assert err.count("\n") == 1


def test_http_error_line(server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, f"{server_url}/missing", "--allow-private-urls")
    assert code == 3
    assert err == f"jogg-pipeline: error: HTTP 404 Not Found fetching {server_url}/missing\n"


def test_a_resource_that_is_not_a_page(server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, f"{server_url}/json", "--allow-private-urls")
    assert code == 3
    assert err == (
        f"jogg-pipeline: error: {server_url}/json is not a web page "
        "(content type application/json)\n"
    )


def test_a_compressed_file_is_not_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<html><h1>x</h1></html>"))
    code, _, err = run(capsys, str(page))
    assert code == 3
    assert "is not a web page (content type application/gzip)" in err


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.html"))
    assert (code, err) == (2, f"jogg-pipeline: error: no such file: {tmp_path / 'nope.html'}\n")
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2
    assert "is a folder, not a saved page" in err


def test_bad_scheme_and_bad_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ftp://example.com/page")
    assert code == 2
    assert "unsupported URL scheme 'ftp'" in err
    code, _, err = run(capsys, str(PAGES / "rdfa.html"), "--base-url", "mailto:x@example.com")
    assert code == 2
    assert "--base-url must be an http(s) or file URL" in err


def test_help_lists_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "extract" in capsys.readouterr().out
