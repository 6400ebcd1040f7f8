"""Commands inside a campaign repository: they find its root from any folder in it, act on
`specs/` when no SPEC is named, and say what less went well."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from runs.run_kit import PAGES

from jogg_pipeline.cli import main

ONE_VIDEO = """\
version: 1
campaign: {name}
quality: preview
products:
  - url: ../pages/{page}
    key: {key}
"""


def make_project(root: Path) -> Path:
    """A repository with two campaigns of one video each, pages beside `specs/`."""
    shutil.copytree(PAGES, root / "pages")
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "kettle.yaml").write_text(
        ONE_VIDEO.format(name="kettle", page="glass-kettle.html", key="kettle")
    )
    (root / "specs" / "blush.yaml").write_text(
        ONE_VIDEO.format(name="blush", page="happy-booster-blush.html", key="blush")
    )
    (root / "notes").mkdir()
    return root


@pytest.mark.slow
def test_commands_find_the_project_root_from_a_subfolder(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "repo")
    monkeypatch.chdir(root / "notes")
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "../specs/blush.yaml: ok: campaign blush, 1 product, 1 video, backend local",
        "../specs/kettle.yaml: ok: campaign kettle, 1 product, 1 video, backend local",
    ]
    assert main(["run", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "blush: 1 success, 0 failed, 0 pending -> ../results/blush.json",
        "kettle: 1 success, 0 failed, 0 pending -> ../results/kettle.json",
    ]
    assert (root / ".jogg" / "state.sqlite3").is_file()
    assert not (root / "notes" / ".jogg").exists()
    manifest = json.loads((root / "results" / "kettle.json").read_text())
    assert manifest["spec"]["path"] == "specs/kettle.yaml"
    video = manifest["videos"][0]
    assert video["video_url"].startswith(".jogg/engine/files/projects/")
    assert (root / video["video_url"]).is_file()

    monkeypatch.chdir(root)
    assert main(["plan"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "blush (backend local):",
        "  blush  up to date",
        "  total: 0 POST requests",
        "kettle (backend local):",
        "  kettle  up to date",
        "  total: 0 POST requests",
    ]


@pytest.mark.slow
def test_status_marks_campaigns_whose_spec_is_gone(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "repo")
    monkeypatch.chdir(root)
    assert main(["run", "--quiet"]) == 0
    (root / "specs" / "blush.yaml").unlink()
    capsys.readouterr()
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "kettle:"
    assert lines[1].startswith("  kettle  success  .jogg/engine/files/projects/")
    assert lines[-1] == "blush: spec gone (last results in results/blush.json); 1 success"
    assert main(["status", "--json"]) == 0
    gone = json.loads(capsys.readouterr().out)["specs_gone"]
    assert gone == [
        {"campaign": "blush", "counts": "1 success", "where": "last results in results/blush.json"}
    ]


def test_outside_a_project_commands_without_spec_say_what_to_do(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan"]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: no SPEC given and no specs/ folder in {tmp_path.resolve()} or "
        "above: name a spec file or folder, or create a project with `jogg-pipeline init`\n"
    )


def test_two_specs_naming_one_campaign_are_refused_before_anything_runs(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "repo")
    (root / "specs" / "kettle-again.yaml").write_text(
        ONE_VIDEO.format(name="kettle", page="glass-kettle.html", key="kettle")
    )
    monkeypatch.chdir(root)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "specs/kettle-again.yaml:2:11: error: campaign 'kettle' is also named by" in err
    assert not (root / ".jogg").exists()


@pytest.mark.slow
def test_warnings_reach_the_output_the_manifest_and_status(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "repo")
    page = (root / "pages" / "glass-kettle.html").read_text()
    broken = page.replace("images/", "images/missing-", 1)
    assert broken != page
    (root / "pages" / "glass-kettle.html").write_text(broken)
    monkeypatch.chdir(root)
    assert main(["run", "specs/kettle.yaml"]) == 0
    err = capsys.readouterr().err
    manifest = json.loads((root / "results" / "kettle.json").read_text())
    product_warnings = manifest["products"]["kettle"]["warnings"]
    assert any("could not be used" in w for w in product_warnings), product_warnings
    video = manifest["videos"][0]
    assert product_warnings[0] in video["warnings"]
    assert f"kettle: warning: {product_warnings[0]}" in err
    assert main(["status", "specs/kettle.yaml"]) == 0
    out = capsys.readouterr().out
    assert f"          warning: {product_warnings[0]}" in out
