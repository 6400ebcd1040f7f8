"""The user guide's pages hold up: their specs validate, their `validate` and `plan` transcripts
are what the commands print, and their relative links lead somewhere.

Conventions of docs/guide/*.md that these tests read:

- A fenced `yaml` or `toml` block with top-level `version` and `campaign` keys is a whole spec.
  It must validate without a problem, unless its info string says `invalid` (```yaml invalid),
  and then it must have errors. Its local pages are `pages/NAME.html`, any page of
  `examples/pages/` or of the sample `jogg-pipeline init` writes.
- A file name in the info string (```yaml layers.yaml) names the spec; a `text` block on the
  same page with `$ jogg-pipeline validate ... NAME` or `$ jogg-pipeline plan ... NAME` must
  show what that command prints for it (a fresh folder, no state).
"""

from __future__ import annotations

import functools
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from support.cli import run_in_process

from jogg_pipeline.spec.problems import Severity
from jogg_pipeline.spec.reference import heading_anchor
from jogg_pipeline.spec.validate import check_spec

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
GUIDE_PAGES = sorted((DOCS / "guide").glob("*.md"))
LINKED_PAGES = GUIDE_PAGES + sorted((DOCS / "reference").glob("*.md"))
PAGE_SOURCES = (REPO / "examples" / "pages", REPO / "jogg_pipeline" / "scaffold" / "pages")
TOPICS = (
    "index",
    "writing-specs",
    "campaign-repository",
    "reading-results",
    "cloud",
    "local-engine",
    "troubleshooting",
)
_WHOLE_SPEC = (re.compile(r"^version\s*[:=]", re.M), re.compile(r"^campaign\s*[:=]", re.M))
_CHECKED_COMMANDS = ("validate", "plan")


@functools.cache
def _tokens(page: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(page.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SpecBlock:
    page: Path
    line: int
    suffix: str
    content: str
    invalid: bool
    name: str | None

    @property
    def label(self) -> str:
        return f"{self.page.name}:{self.line}"


def _spec_blocks(page: Path) -> list[SpecBlock]:
    blocks = []
    for token in _tokens(page):
        words = token.info.split() if token.type == "fence" else []
        if not words or words[0] not in ("yaml", "toml"):
            continue
        if not all(pattern.search(token.content) for pattern in _WHOLE_SPEC):
            continue
        names = [word for word in words[1:] if word.endswith((".yaml", ".toml"))]
        line = token.map[0] + 1 if token.map else 0
        blocks.append(
            SpecBlock(
                page,
                line,
                "." + words[0],
                token.content,
                "invalid" in words,
                next(iter(names), None),
            )
        )
    return blocks


SPEC_BLOCKS = [block for page in GUIDE_PAGES for block in _spec_blocks(page)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh folder with every sample product page in `pages/`."""
    for source in PAGE_SOURCES:
        shutil.copytree(source, tmp_path / "pages", dirs_exist_ok=True)
    return tmp_path


def test_the_guide_has_a_page_per_topic_and_the_reference() -> None:
    assert [page.stem for page in GUIDE_PAGES] == sorted(TOPICS)
    assert (DOCS / "reference" / "spec.md").is_file()
    assert len(SPEC_BLOCKS) >= 7, "the guide's spec examples were not found"


@pytest.mark.parametrize("block", SPEC_BLOCKS, ids=[block.label for block in SPEC_BLOCKS])
def test_every_spec_in_the_guide_validates(block: SpecBlock, project: Path) -> None:
    path = project / (block.name or f"example{block.suffix}")
    path.write_text(block.content, encoding="utf-8")
    problems = check_spec(path).problems
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if block.invalid:
        assert errors, f"{block.label} is marked invalid but validates"
    else:
        assert problems == [], f"{block.label}: {[str(problem) for problem in problems]}"


@dataclass(frozen=True)
class Transcript:
    page: Path
    line: int
    argv: list[str]
    output: list[str]


def _transcripts(page: Path) -> list[Transcript]:
    """Each `$ jogg-pipeline validate|plan ...` of the page's text blocks, with what follows it
    up to the next `$` line."""
    found = []
    for token in _tokens(page):
        if token.type != "fence" or token.info.strip() != "text":
            continue
        lines = token.content.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        ends = [*starts[1:], len(lines)]
        for start, end in zip(starts, ends[: len(starts)], strict=True):
            argv = shlex.split(lines[start][2:])
            if argv[:1] == ["jogg-pipeline"] and argv[1:2] and argv[1] in _CHECKED_COMMANDS:
                line = (token.map[0] + 2 + start) if token.map else 0
                found.append(Transcript(page, line, argv[1:], lines[start + 1 : end]))
    return found


def _named_transcripts() -> list[tuple[Transcript, list[SpecBlock]]]:
    checked = []
    for page in GUIDE_PAGES:
        named = {block.name: block for block in SPEC_BLOCKS if block.page == page and block.name}
        for transcript in _transcripts(page):
            specs = [named[arg] for arg in transcript.argv if arg in named]
            if specs:
                checked.append((transcript, specs))
    return checked


NAMED_TRANSCRIPTS = _named_transcripts()


@pytest.mark.parametrize(
    ("transcript", "specs"),
    NAMED_TRANSCRIPTS,
    ids=[f"{t.page.name}:{t.line}" for t, _ in NAMED_TRANSCRIPTS],
)
def test_the_transcripts_of_the_guides_specs_are_what_the_commands_print(
    transcript: Transcript, specs: list[SpecBlock], project: Path
) -> None:
    for block in specs:
        (project / str(block.name)).write_text(block.content, encoding="utf-8")
    result = run_in_process(*transcript.argv, cwd=project, without_env=("JOGG_",))
    printed = (result.stdout + result.stderr).splitlines()
    assert printed == transcript.output, f"{transcript.page.name}:{transcript.line}"


def test_the_guide_checks_some_transcripts() -> None:
    commands = {transcript.argv[0] for transcript, _ in NAMED_TRANSCRIPTS}
    assert commands == set(_CHECKED_COMMANDS)


def _links(page: Path) -> list[str]:
    targets = []
    for token in _tokens(page):
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrs["href"]))
            elif child.type == "image":
                targets.append(str(child.attrs["src"]))
    return targets


@functools.cache
def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings; a repeated heading gets -1, -2, ..."""
    anchors: set[str] = set()
    tokens = _tokens(page)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = heading_anchor(tokens[index + 1].content)
            repeat = 0
            while (f"{anchor}-{repeat}" if repeat else anchor) in anchors:
                repeat += 1
            anchors.add(f"{anchor}-{repeat}" if repeat else anchor)
    return anchors


def _broken_links(page: Path, docs: Path = DOCS) -> list[str]:
    """Relative links whose file is missing; and for pages under `docs`, missing anchors."""
    broken = []
    for target in _links(page):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # the web: not checked offline
        linked = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif (
            parts.fragment
            and linked.suffix == ".md"
            and linked.is_relative_to(docs)
            and parts.fragment not in _anchors(linked)
        ):
            broken.append(f"{target}: no such heading")
    return broken


@pytest.mark.parametrize("page", LINKED_PAGES, ids=[page.name for page in LINKED_PAGES])
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    assert _links(page), f"{page.name} has no links"
    assert _broken_links(page) == []


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    guide = tmp_path / "docs" / "guide"
    guide.mkdir(parents=True)
    shutil.copy(DOCS / "guide" / "cloud.md", guide / "cloud.md")
    page = guide / "probe.md"
    page.write_text(
        "# Probe\n\n[gone](no-such-page.md), [heading](cloud.md#no-such-heading), "
        "[fine](cloud.md#requests-in-doubt), [here](#probe), [web](https://example.com/x)\n",
        encoding="utf-8",
    )
    assert _broken_links(page, tmp_path / "docs") == [
        "no-such-page.md: no such file",
        "cloud.md#no-such-heading: no such heading",
    ]
