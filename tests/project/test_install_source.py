"""Where the nightly workflow installs jogg-pipeline from: read from the installed distribution's
PEP 610 record (real dist-info folders made on disk), or given with --source."""

from __future__ import annotations

from pathlib import Path

import pytest
from project.project_kit import load_workflow, make_distribution

from jogg_pipeline.cli import main
from jogg_pipeline.scaffold.source import EXAMPLE, install_source

COMMIT = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9a0b1c2"
WORKFLOW = Path(".github/workflows/nightly-videos.yml")


def source_block(path: Path) -> str:
    """The workflow's comment above JOGG_PIPELINE and its line, as written."""
    lines = path.read_text().splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("  JOGG_PIPELINE: "))
    start = lines.index("env:") + 1
    return "\n".join(lines[start : end + 1])


def test_a_git_install_gives_its_repository_at_its_commit(tmp_path, monkeypatch, capsys) -> None:
    site = make_distribution(
        tmp_path / "site",
        {
            "url": "https://github.com/acme/jogg-pipeline.git",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"},
        },
    )
    monkeypatch.syspath_prepend(str(site))  # found before the copy running these tests
    project = tmp_path / "shop"
    assert main(["init", "--dir", str(project), "--github-actions"]) == 0
    out = capsys.readouterr().out
    assert f"  wrote {WORKFLOW.as_posix()}\n" in out and "note:" not in out
    workflow = project / WORKFLOW
    assert source_block(workflow) == (
        "  # Where jogg-pipeline is installed from: one pip requirement, pinned. It is on no "
        "package index;\n"
        "  # this is the source of the copy that wrote this file (a git install). Change the "
        "commit to\n"
        "  # upgrade.\n"
        f'  JOGG_PIPELINE: "jogg-pipeline @ git+https://github.com/acme/jogg-pipeline.git@{COMMIT}"'
    )
    assert load_workflow(workflow)["env"]["JOGG_PIPELINE"] == (
        f"jogg-pipeline @ git+https://github.com/acme/jogg-pipeline.git@{COMMIT}"
    )


@pytest.mark.parametrize("editable", [True, False])
def test_a_local_folder_gives_a_requirement_to_pin_and_says_so(
    editable, tmp_path, monkeypatch, capsys
) -> None:
    site = make_distribution(
        tmp_path / "site",
        {"url": "file:///home/me/src/jogg-pipeline", "dir_info": {"editable": editable}},
    )
    monkeypatch.syspath_prepend(str(site))
    project = tmp_path / "shop"
    assert main(["init", "--dir", str(project), "--github-actions"]) == 0
    origin = "an editable install of a local folder" if editable else "a local folder"
    assert (
        f"  note: set JOGG_PIPELINE at the top of {WORKFLOW.as_posix()} to your copy's "
        f"repository and commit: this jogg-pipeline came from {origin}\n"
    ) in capsys.readouterr().out
    block = source_block(project / WORKFLOW)
    assert block.endswith(f'\n  JOGG_PIPELINE: "{EXAMPLE}"')
    comment = " ".join(line.removeprefix("  # ") for line in block.splitlines()[:-1])
    assert comment == (
        "Where jogg-pipeline is installed from: one pip requirement, pinned. It is on no package "
        f"index, so the name alone installs nothing, and the copy that wrote this file came from "
        f"{origin}, which a runner cannot reach: pin your copy's repository URL and a commit."
    )
    assert "/home/me" not in (project / WORKFLOW).read_text()


def test_source_option_is_written_as_given(tmp_path, capsys) -> None:
    requirement = (
        "jogg-pipeline @ git+https://git.example.com/team/jogg-pipeline@v0.1.0"
        ' ; python_version >= "3.11"'
    )
    project = tmp_path / "shop"
    assert main(["init", "--dir", str(project), "--github-actions", "--source", requirement]) == 0
    assert "note:" not in capsys.readouterr().out
    workflow = project / WORKFLOW
    assert load_workflow(workflow)["env"]["JOGG_PIPELINE"] == requirement
    assert source_block(workflow).startswith(
        "  # Where jogg-pipeline is installed from: one pip requirement, pinned. It is on no "
        "package index.\n  # Change the commit to upgrade.\n"
    )


@pytest.mark.parametrize(
    ("record", "requirement", "usable", "origin"),
    [
        (
            {
                "url": "https://deploy:s3cret@git.example.com/team/jogg-pipeline.git",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
                "subdirectory": "tools/jogg",
            },
            f"jogg-pipeline @ git+https://git.example.com/team/jogg-pipeline.git@{COMMIT}"
            "#subdirectory=tools/jogg",
            True,
            "a git install",
        ),
        (
            {
                "url": "ssh://git@github.com/acme/jogg-pipeline.git",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            },
            f"jogg-pipeline @ git+ssh://git@github.com/acme/jogg-pipeline.git@{COMMIT}",
            True,
            "a git install",
        ),
        (
            {
                "url": "https://files.example.com/jogg_pipeline-0.1.0-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "ab" * 32}},
            },
            "jogg-pipeline @ https://files.example.com/jogg_pipeline-0.1.0-py3-none-any.whl"
            f"#sha256={'ab' * 32}",
            True,
            "an archive URL",
        ),
        (
            {
                "url": "file:///home/me/jogg-pipeline",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT},
            },
            EXAMPLE,
            False,
            "a local git repository",
        ),
        (
            {"url": "file:///tmp/jogg_pipeline-0.1.0.tar.gz", "archive_info": {}},
            EXAMPLE,
            False,
            "a local archive",
        ),
        (None, EXAMPLE, False, "a package index"),
    ],
)
def test_each_kind_of_install(tmp_path, record, requirement, usable, origin) -> None:
    site = make_distribution(tmp_path, record)
    source = install_source([str(site)])
    assert (source.requirement, source.usable, source.origin) == (requirement, usable, origin)


def test_no_installed_distribution(tmp_path) -> None:
    source = install_source([str(tmp_path)])
    assert (source.requirement, source.usable) == (EXAMPLE, False)
    assert source.origin == "a source tree that is not installed"
