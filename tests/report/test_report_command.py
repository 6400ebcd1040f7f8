"""`jogg-pipeline report` as users call it: where it reads and writes, what it prints, and the
one line each mistake gets (in process, through `jogg_pipeline.cli.main`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from report.report_kit import manifest_document, product_entry, video_entry, write_manifest
from runs.run_kit import make_campaign, run_cli
from support.cli import run_in_process


def _manifest(path: Path, campaign: str = "nightly") -> Path:
    videos = [video_entry("blush/short"), video_entry("blush/wide")]
    products = {"blush": product_entry("blush", "Heart Blush")}
    return write_manifest(path, manifest_document(videos, products, campaign=campaign))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A campaign repository (its specs/ makes it one) with a manifest in results/."""
    (tmp_path / "specs").mkdir()
    _manifest(tmp_path / "results" / "nightly.json")
    return tmp_path


def test_with_no_manifest_named_it_reports_the_projects_results(project: Path) -> None:
    _manifest(project / "results" / "spring.json", campaign="spring")
    (project / "results" / "notes.json").write_text('{"not": "a manifest"}')
    (project / "specs" / "deep").mkdir()
    result = run_in_process("report", cwd=project / "specs" / "deep")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "report: 2 campaigns, 4 videos -> ../../results/report.html\n"
    page = (project / "results" / "report.html").read_text()
    assert page.count('class="video-card"') == 4


def test_the_page_goes_next_to_the_first_manifest_named(tmp_path: Path) -> None:
    _manifest(tmp_path / "archive" / "nightly.json")
    result = run_in_process("report", "archive/nightly.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "report: 1 campaign, 2 videos -> archive/report.html\n"
    assert (tmp_path / "archive" / "report.html").is_file()


def test_minus_o_creates_its_folder(project: Path) -> None:
    result = run_in_process("report", "-o", "site/pages/videos.html", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "report: 1 campaign, 2 videos -> site/pages/videos.html\n"
    assert (project / "site" / "pages" / "videos.html").is_file()


def test_no_manifest_anywhere(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    result = run_in_process("report", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: no MANIFEST given and no manifest in results: run "
        "`jogg-pipeline run` first, or name the manifests to report on\n"
    )


def test_a_manifest_named_that_is_not_there(tmp_path: Path) -> None:
    result = run_in_process("report", "results/nightly.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "jogg-pipeline: error: results/nightly.json: no such manifest\n"


def test_a_manifest_that_is_not_json(tmp_path: Path) -> None:
    (tmp_path / "nightly.json").write_text('{"videos": [\n  {"id": "a",}\n]}\n')
    result = run_in_process("report", "nightly.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: nightly.json:2:14: not a manifest: invalid JSON (Expecting "
        "property name enclosed in double quotes)\n"
    )


def test_a_results_file_that_is_not_json_stops_the_report(project: Path) -> None:
    (project / "results" / "broken.json").write_text("{")
    result = run_in_process("report", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: results/broken.json:1:2: not a manifest: invalid JSON "
        "(Expecting property name enclosed in double quotes)\n"
    )
    assert not (project / "results" / "report.html").exists()


def test_a_json_file_that_is_not_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"campaigns": []}\n')
    result = run_in_process("report", "plan.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: plan.json: not a jogg-pipeline manifest (no manifest_version "
        "and videos)\n"
    )


def test_a_third_manifest_of_one_campaign(tmp_path: Path) -> None:
    for name in ("a.json", "b.json", "c.json"):
        _manifest(tmp_path / name)
    result = run_in_process("report", "a.json", "b.json", "c.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: c.json: a third manifest of campaign nightly; give one manifest "
        "of a campaign, or two (OLD NEW) to see what changed\n"
    )


def test_since_with_one_campaign_given_twice(tmp_path: Path) -> None:
    _manifest(tmp_path / "a.json")
    _manifest(tmp_path / "b.json")
    result = run_in_process("report", "a.json", "b.json", "--since", "HEAD", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: b.json: campaign nightly is given twice; with --since, give "
        "each campaign's manifest once\n"
    )


def test_minus_o_on_a_folder(project: Path) -> None:
    (project / "site").mkdir()
    result = run_in_process("report", "-o", "site", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "jogg-pipeline: error: cannot write site: it is a folder\n"


def test_minus_o_under_a_file(project: Path) -> None:
    (project / "site").write_text("not a folder")
    result = run_in_process("report", "-o", "site/report.html", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "jogg-pipeline: error: cannot write site/report.html: site is a file, not a folder\n"
    )


def _open_with(browser: str, project: Path) -> subprocess.CompletedProcess[str]:
    """`report --open` in a process of its own: `webbrowser` reads BROWSER once a process."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JOGG_")}
    environment["BROWSER"] = browser
    return subprocess.run(
        [sys.executable, "-m", "jogg_pipeline", "report", "--open"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_open_hands_the_page_to_the_default_browser(project: Path) -> None:
    opened = project / "opened.txt"
    browser = project / "browser"
    browser.write_text(f'#!/bin/sh\nprintf %s "$1" > {opened}\n')
    browser.chmod(0o755)
    result = _open_with(str(browser), project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert opened.read_text() == (project / "results" / "report.html").resolve().as_uri()


def test_open_without_a_browser_says_so_and_keeps_the_page(project: Path) -> None:
    result = _open_with("false", project)
    assert result.returncode == 0
    assert result.stderr == (
        "jogg-pipeline: warning: no browser could open results/report.html; open it yourself\n"
    )
    assert (project / "results" / "report.html").is_file()


def test_run_report_that_cannot_be_written_says_why_after_the_manifest(tmp_path: Path) -> None:
    spec = "version: 1\ncampaign: nightly\nproducts:\n  - url: pages/empty.html\n    key: empty\n"
    campaign = make_campaign(tmp_path, spec)
    (campaign.folder / "pages" / "empty.html").write_text("<html><body></body></html>")
    (campaign.results / "report.html").mkdir(parents=True)  # a folder in the page's way
    result = run_cli(campaign, "--report")
    assert result.returncode == 3  # the run was done: not a usage error
    assert result.stdout == "nightly: 0 success, 1 failed, 0 pending -> results/nightly.json\n"
    assert result.stderr.endswith(
        "jogg-pipeline: error: cannot write results/report.html: it is a folder\n"
    )
    assert campaign.manifest_json()["summary"]["failed"] == 1
