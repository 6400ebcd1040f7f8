"""`validate` across files: two specs naming one campaign would share its state and manifest,
so each of them is an error naming the other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jogg_pipeline.cli import main
from jogg_pipeline.spec.validate import check_specs

A = "version: 1\ncampaign: sale\nproducts:\n  - url: https://shop.example/a\n"
B = "# the same campaign\nversion: 1\ncampaign: sale\nproducts:\n  - url: https://shop.example/b\n"
C = 'version = 1\ncampaign = "sale"\n\n[[products]]\nurl = "https://shop.example/c"\n'
OTHER = "version: 1\ncampaign: nightly\nproducts:\n  - url: https://shop.example/n\n"


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `specs/` folder in the current folder, as a campaign repository has it."""
    monkeypatch.chdir(tmp_path)
    folder = Path("specs")
    folder.mkdir()
    (folder / "a.yaml").write_text(A)
    (folder / "b.yaml").write_text(B)
    (folder / "other.yaml").write_text(OTHER)
    return folder


def test_both_files_get_an_error_at_their_campaign_value(specs: Path, capsys) -> None:
    assert main(["validate", str(specs)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "specs/a.yaml:2:11: error: campaign 'sale' is also named by specs/b.yaml:3:11; "
        "each campaign needs its own name",
        "specs/b.yaml:3:11: error: campaign 'sale' is also named by specs/a.yaml:2:11; "
        "each campaign needs its own name",
    ]
    assert captured.out == (
        "specs/other.yaml: ok: campaign nightly, 1 product, 1 video, backend local\n"
    )


def test_three_namesakes_name_both_others(specs: Path, capsys) -> None:
    (specs / "c.toml").write_text(C)
    assert main(["validate", str(specs)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "specs/a.yaml:2:11: error: campaign 'sale' is also named by specs/b.yaml:3:11 and "
        "specs/c.toml:2:12; each campaign needs its own name",
        "specs/b.yaml:3:11: error: campaign 'sale' is also named by specs/a.yaml:2:11 and "
        "specs/c.toml:2:12; each campaign needs its own name",
        "specs/c.toml:2:12: error: campaign 'sale' is also named by specs/a.yaml:2:11 and "
        "specs/b.yaml:3:11; each campaign needs its own name",
    ]


def test_json_output_has_the_clash(specs: Path, capsys) -> None:
    assert main(["validate", "--json", "specs/a.yaml", "specs/b.yaml"]) == 2
    files = json.loads(capsys.readouterr().out)["files"]
    assert [(f["file"], f["valid"], f["errors"]) for f in files] == [
        ("specs/a.yaml", False, 1),
        ("specs/b.yaml", False, 1),
    ]
    assert files[1]["problems"] == [
        {
            "line": 3,
            "column": 11,
            "severity": "error",
            "message": "campaign 'sale' is also named by specs/a.yaml:2:11; each campaign "
            "needs its own name",
        }
    ]


def test_the_clash_comes_with_a_files_own_problems(specs: Path) -> None:
    (specs / "b.yaml").write_text(B.replace("products:", "defaults: {video_length: 45}\nproducts:"))
    first, second, _ = check_specs(sorted(specs.iterdir()))
    assert first.expanded is None and second.expanded is None
    assert [p.render(second.path) for p in second.problems] == [
        "specs/b.yaml:3:11: error: campaign 'sale' is also named by specs/a.yaml:2:11; "
        "each campaign needs its own name",
        "specs/b.yaml:4:26: error: defaults.video_length: 45 is not a valid video_length "
        "(one of: 15, 30, 60)",
    ]


def test_a_file_given_twice_is_checked_once(specs: Path, capsys) -> None:
    assert main(["validate", "specs/other.yaml", str(specs / ".." / "specs" / "other.yaml")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "specs/other.yaml: ok: campaign nightly, 1 product, 1 video, backend local"
    ]
    results = check_specs([specs / "a.yaml", specs / "other.yaml"])
    assert [result.ok for result in results] == [True, True]
