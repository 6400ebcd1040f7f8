"""Files a command is asked to write (`schema -o`, `convert -o`, `init FILE`): missing folders
are created; a parent that is a file, a folder in the way or a refused permission is one line."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from project.project_kit import REPO, unprivileged

from jogg_pipeline.cli import main

SPEC = REPO / "specs" / "spring-sale.yaml"


def test_schema_o_creates_the_missing_folders(tmp_path, capsys) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    target = tmp_path / "editor" / "schemas" / "jogg.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert target.read_text() == printed
    assert json.loads(printed)["$schema"].endswith("2020-12/schema")


def test_convert_o_creates_the_missing_folders(tmp_path, capsys) -> None:
    target = tmp_path / "out" / "toml" / "spring-sale.toml"
    assert main(["convert", str(SPEC), "--to", "toml", "-o", str(target)]) == 0
    assert capsys.readouterr().err == f"wrote {target}\n"
    assert 'campaign = "spring-sale"' in target.read_text()
    assert main(["validate", str(target)]) == 0


def test_init_file_creates_its_folder(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "specs/summer.yaml"]) == 0
    assert capsys.readouterr().out == (
        "wrote specs/summer.yaml; edit it, then run: jogg-pipeline validate specs/summer.yaml\n"
    )
    assert main(["validate", "specs/summer.yaml"]) == 0


@pytest.mark.parametrize(
    "command",
    [
        ["schema", "-o"],
        ["convert", str(SPEC), "--to", "toml", "-o"],
        ["init"],
    ],
    ids=["schema", "convert", "init"],
)
def test_a_parent_that_is_a_file_is_one_line(command, tmp_path, capsys) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file\n")
    target = blocker / "deeper" / "spec.toml"
    assert main([*command, str(target)]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: cannot write {target}: {blocker} is a file, not a folder\n"
    )
    assert blocker.read_text() == "a file\n"


@pytest.mark.parametrize(
    "command",
    [["schema", "-o"], ["convert", str(SPEC), "--to", "yaml", "--force", "-o"]],
    ids=["schema", "convert"],
)
def test_a_folder_in_the_way_is_one_line(command, tmp_path, capsys) -> None:
    folder = tmp_path / "out.yaml"
    folder.mkdir()
    assert main([*command, str(folder)]) == 2
    assert (
        capsys.readouterr().err == f"jogg-pipeline: error: cannot write {folder}: it is a folder\n"
    )


@pytest.fixture
def locked() -> Iterator[Path]:
    """A folder nobody else may write in, inside one that anybody may enter."""
    # In /tmp, which anybody may enter, whatever TMPDIR is.
    base = Path(tempfile.mkdtemp(prefix="jogg-locked-", dir="/tmp"))
    try:
        base.chmod(0o755)
        folder = base / "locked"
        folder.mkdir(mode=0o555)
        folder.chmod(0o555)
        private = base / "private"
        private.mkdir()
        private.chmod(0o700)
        yield folder
    finally:
        for path in (base / "locked", base / "private"):
            path.chmod(0o755)
        shutil.rmtree(base)


def test_refused_permissions_are_one_line(locked, capsys) -> None:
    assert main(["schema"]) == 0  # every module it needs is loaded before dropping rights
    capsys.readouterr()
    in_locked = locked / "schema.json"
    new_folder = locked / "schemas" / "schema.json"
    unreachable = locked.parent / "private" / "sub" / "schema.json"
    with unprivileged():
        codes = [main(["schema", "-o", str(path)]) for path in (in_locked, new_folder)]
        codes.append(main(["schema", "-o", str(unreachable)]))
    assert codes == [3, 3, 3]
    assert capsys.readouterr().err.splitlines() == [
        f"jogg-pipeline: error: cannot write {in_locked}: permission denied",
        f"jogg-pipeline: error: cannot create the folder {locked / 'schemas'}: permission denied",
        f"jogg-pipeline: error: cannot write {unreachable}: permission denied",
    ]
    assert list(locked.iterdir()) == []
