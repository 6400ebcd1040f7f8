"""docs/reference/spec.md: generated from the models, current, complete, and every example in it
a valid spec."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from ruamel.yaml import YAML

from jogg_pipeline.spec import reference
from jogg_pipeline.spec.model import MATRIX_KEYS, Campaign, VideoSettings
from jogg_pipeline.spec.reference import Note, Section, field_entries, reference_markdown
from jogg_pipeline.spec.validate import check_spec

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "docs" / "reference" / "spec.md"


def test_the_committed_reference_is_what_the_models_say_now() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/reference/spec.md is stale: run `python -m jogg_pipeline.spec.reference` "
        "from the repository's root"
    )


def test_generating_it_twice_gives_the_same_text() -> None:
    assert reference_markdown() == reference_markdown()


def _model_in(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """The model an annotation holds (through `| None`, lists, Annotated), and whether in a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            listed = getattr(annotation, "__origin__", None) is list
            return found[0], found[1] or listed
    return None


def _documented_paths() -> list[str]:
    """Every field's path, found by walking the models from Campaign; a variant's inherited
    video settings are documented once, under `defaults.`."""
    paths: list[str] = []
    pending: list[tuple[str, type[BaseModel]]] = [("", Campaign)]
    while pending:
        prefix, model = pending.pop(0)
        for name, info in model.model_fields.items():
            inherited = model is not VideoSettings and issubclass(model, VideoSettings)
            if inherited and name in VideoSettings.model_fields:
                continue
            paths.append(prefix + name)
            found = _model_in(info.annotation)
            if found is not None:
                child, listed = found
                pending.append((f"{prefix}{name}{'[]' if listed else ''}.", child))
    return paths + [f"matrix.{key}" for key in MATRIX_KEYS]


def _blocks(text: str) -> dict[str, str]:
    """The reference's field entries by path: the text under each `### `path`` heading."""
    pieces = re.split(r"^### `([^`]+)`$", text, flags=re.MULTILINE)
    return {pieces[i]: pieces[i + 1].split("\n## ")[0] for i in range(1, len(pieces), 2)}


def test_every_field_of_the_models_has_its_entry() -> None:
    blocks = _blocks(REFERENCE.read_text(encoding="utf-8"))
    paths = _documented_paths()
    assert len(paths) > 40
    assert "products[].overrides.media[].type" in paths
    for path in paths:
        assert path in blocks, f"docs/reference/spec.md has no entry for {path}"
        entry = blocks[path]
        for part in ("- **Type:** ", "- **Values:** ", "- **Default:** ", "```yaml\n"):
            assert part in entry, f"the entry of {path} has no {part.strip()}"
    assert sorted(blocks) == sorted(paths), "the reference documents a field no model has"


def test_the_enums_are_listed_where_they_apply() -> None:
    blocks = _blocks(REFERENCE.read_text(encoding="utf-8"))
    assert "`traditional-chinese`" in blocks["defaults.language"]
    assert "`Humor & Meme`: Light-hearted" in blocks["defaults.script_style"]
    assert "`portrait` (sent as `0`), built in" in blocks["defaults.aspect_ratio"]
    assert "`full`, `hd`, `preview`" in blocks["quality"]
    assert "at least 1; at most 1,000,000" in blocks["max_videos"]
    assert "at most 200 characters" in blocks["defaults.video_name"]
    assert "`voice-en-us-christopherneural`" in blocks["matrix.voice_id"]


BASE_SPEC: dict[str, Any] = {
    "version": 1,
    "campaign": "reference-example",
    "products": [{"url": "https://shop.example.com/products/base"}],
}


@pytest.mark.parametrize("path", sorted(_blocks(REFERENCE.read_text(encoding="utf-8"))))
def test_every_example_in_the_reference_is_a_valid_spec(path: str, tmp_path: Path) -> None:
    """The YAML as the reader sees it, put into the smallest spec at its top level."""
    entry = _blocks(REFERENCE.read_text(encoding="utf-8"))[path]
    example = entry.split("```yaml\n", 1)[1].split("```", 1)[0]
    fragment = YAML(typ="safe").load(example)
    spec = tmp_path / "example.yaml"
    stream = spec.open("w", encoding="utf-8")
    YAML(typ="safe").dump(BASE_SPEC | fragment, stream)
    stream.close()
    result = check_spec(spec)
    assert result.problems == [], f"the example of {path}:\n{example}"


class _Unnoted(VideoSettings):
    colour: str | None = None


def test_a_field_without_a_note_stops_the_generator() -> None:
    section = Section("Colours", "colours.", _Unnoted, "", lambda fields: fields)
    with pytest.raises(LookupError) as raised:
        list(field_entries(section))
    assert str(raised.value) == (
        "_Unnoted.colour has no note in jogg_pipeline/spec/reference.py's NOTES: "
        "give it a description and an example"
    )


class _Dated(BaseModel):
    when: datetime


def test_a_type_the_reference_cannot_describe_stops_the_generator(monkeypatch) -> None:
    monkeypatch.setitem(reference.NOTES, (_Dated, "when"), Note("When.", "2026-01-01"))
    section = Section("Dates", "dates.", _Dated, "", lambda fields: fields)
    with pytest.raises(TypeError) as raised:
        list(field_entries(section))
    assert str(raised.value) == (
        "the reference cannot describe the type <class 'datetime.datetime'>"
    )


def test_the_module_writes_the_file_it_is_given(tmp_path: Path, capsys) -> None:
    output = tmp_path / "new" / "spec.md"
    assert reference.main([str(output)]) == 0
    assert capsys.readouterr().out == f"wrote {output}\n"
    assert output.read_text(encoding="utf-8") == reference_markdown()
