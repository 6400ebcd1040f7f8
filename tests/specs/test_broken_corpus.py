"""Every broken spec of the corpus is reported at the right line and column, with the message a
user sees, through the real command line."""

from __future__ import annotations

import pytest
from specs.corpus import CASES, Case
from support.cli import run_in_process

from jogg_pipeline.cli import main


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
    assert len({case.source for case in CASES}) == len(CASES)
    assert all(case.expected for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_validate_reports_exactly(case: Case, write_spec, capsys) -> None:
    path = write_spec(case.name + case.suffix, case.source)
    if case.name == "local-file-with-jogg":
        (path.parent / "page.html").write_text("<html></html>")
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    folder = str(path.parent.resolve())
    expected = [f"{path}:{line.replace('{dir}', folder)}" for line in case.expected]
    assert captured.err.splitlines() == expected
    assert code == 2
    assert captured.out == ""


def test_many_broken_files_at_once_never_show_a_traceback(write_spec) -> None:
    paths = [write_spec(case.name + case.suffix, case.source) for case in CASES[:12]]
    result = run_in_process("validate", *paths)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == sum(len(case.expected) for case in CASES[:12])
