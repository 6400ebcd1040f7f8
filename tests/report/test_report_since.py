"""`report --since REV` and `report OLD NEW`: what changed, read from a real git repository,
in the words `diff` gives the same two manifests."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from report.report_kit import manifest_document, product_entry, video_entry, write_manifest
from support.cli import run_in_process


def _git(repository: Path, *arguments: str) -> None:
    identity = ("-c", "user.name=Tests", "-c", "user.email=tests@example.com")
    subprocess.run(["git", *identity, *arguments], cwd=repository, check=True, capture_output=True)


def _nightly(name: str = "Heart Blush – 20% off", status: str = "success") -> dict[str, Any]:
    videos = [video_entry("blush/short"), video_entry("blush/wide", status)]
    extracted = {"name": "Heart Blush"}
    products = {
        "blush": product_entry("blush", name, overrides={"name": name}, extracted=extracted)
    }
    return manifest_document(videos, products)


def _changes(page: Path) -> list[tuple[str, str]]:
    document = lxml.html.fromstring(page.read_bytes())
    return [
        (item.get("data-change"), " ".join(item.text_content().split()))
        for item in document.xpath('//section[@id="changes"]//li[@class="change"]')
    ]


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A campaign repository whose last commit has a manifest of the nightly campaign."""
    (tmp_path / "specs").mkdir()
    write_manifest(tmp_path / "results" / "nightly.json", _nightly())
    _git(tmp_path, "init", "--quiet")
    _git(tmp_path, "add", "results")
    _git(tmp_path, "commit", "--quiet", "-m", "first night")
    return tmp_path


def test_since_shows_what_changed_as_diff_says_it(repository: Path) -> None:
    changed = _nightly("Heart Blush – 30% off", status="failed")
    changed["videos"][0]["project_id"] = "project-blush-short-2"
    changed["videos"][1] |= {
        "project_id": "project-blush-wide",  # made, and failed while rendering
        "error": {"step": "render", "code": 3, "msg": "render failed"},
    }
    write_manifest(repository / "results" / "nightly.json", changed)

    result = run_in_process("report", "--since", "HEAD", cwd=repository)
    assert result.returncode == 0, result.stderr
    assert _changes(repository / "results" / "report.html") == [
        (
            "changed",
            'changed product blush: name "Heart Blush – 20% off" -> "Heart Blush – 30% off"',
        ),
        (
            "changed",
            'changed blush/short: new video: product name "Heart Blush – 20% off" -> '
            '"Heart Blush – 30% off"',
        ),
        ("changed", 'changed blush/wide: status success -> failed (render 3: "render failed")'),
    ]
    diff = run_in_process("diff", "--since", "HEAD", "results/nightly.json", cwd=repository)
    said = [line.split(" ", 1)[1] for line in diff.stdout.splitlines()[1:]]
    assert [
        text.split(" ", 1)[1] for _, text in _changes(repository / "results" / "report.html")
    ] == said
    heading = lxml.html.fromstring((repository / "results" / "report.html").read_bytes())
    assert " ".join(heading.xpath('//section[@id="changes"]//p')[0].text_content().split()) == (
        "From HEAD:results/nightly.json to results/nightly.json."
    )


def test_a_manifest_new_since_the_revision_shows_every_video_added(repository: Path) -> None:
    write_manifest(repository / "results" / "spring.json", {**_nightly(), "campaign": "spring"})
    result = run_in_process("report", "--since", "HEAD", "results/spring.json", cwd=repository)
    assert result.returncode == 0, result.stderr
    assert _changes(repository / "results" / "report.html") == [
        ("added", 'added product blush: "Heart Blush – 20% off"'),
        ("added", "added blush/short: status success"),
        ("added", "added blush/wide: status success"),
    ]
    page = lxml.html.fromstring((repository / "results" / "report.html").read_bytes())
    assert (
        "HEAD:results/spring.json (not there yet)"
        in page.get_element_by_id("changes").text_content()
    )


def test_two_manifests_of_a_campaign_are_old_and_new(tmp_path: Path) -> None:
    write_manifest(tmp_path / "old.json", _nightly())
    write_manifest(tmp_path / "new.json", _nightly(status="pending"))
    result = run_in_process("report", "old.json", "new.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _changes(tmp_path / "report.html") == [
        ("changed", "changed blush/wide: status success -> pending")
    ]
    page = lxml.html.fromstring((tmp_path / "report.html").read_bytes())
    assert page.xpath('//li[@class="change"]//a/@href') == ["#video-nightly--blush-wide"]
    assert page.xpath('//article[@id="video-nightly--blush-wide"]/@data-status') == ["pending"]


def test_no_changes_says_so(repository: Path) -> None:
    result = run_in_process("report", "--since", "HEAD", cwd=repository)
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((repository / "results" / "report.html").read_bytes())
    changes = " ".join(page.get_element_by_id("changes").text_content().split())
    assert changes.startswith("Changes nightly: no changes From HEAD:results/nightly.json")
    assert changes.endswith("No changes.")


def test_an_unknown_revision(repository: Path) -> None:
    result = run_in_process("report", "--since", "v9", cwd=repository)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: --since v9: no such revision in the git repository of "
        "results/nightly.json\n"
    )


def test_since_outside_git(tmp_path: Path) -> None:
    write_manifest(tmp_path / "nightly.json", _nightly())
    result = run_in_process("report", "nightly.json", "--since", "HEAD", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: nightly.json: not in a git repository, so --since cannot read "
        "its old version\n"
    )
