"""The JSON Schema: a valid draft 2020-12 schema that accepts every example and rejects the
broken specs a schema can see."""

from __future__ import annotations

import json

import jsonschema
import pytest
from specs.corpus import CASES, EXAMPLES, REPO, Case

from jogg_pipeline.cli import main
from jogg_pipeline.spec.load import load_document
from jogg_pipeline.spec.schema import spec_schema

EXAMPLE_FILES = sorted(
    p
    for folder in (EXAMPLES, REPO / "specs")
    for p in folder.iterdir()
    if p.suffix in {".yaml", ".toml"}
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = spec_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_prints_the_schema(capsys) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed == spec_schema()


def test_the_committed_schema_file_is_current() -> None:
    committed = json.loads((REPO / "jogg-pipeline.schema.json").read_text())
    assert committed == spec_schema(), "run: jogg-pipeline schema -o jogg-pipeline.schema.json"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_schema_accepts_every_example(path, validator) -> None:
    assert len(EXAMPLE_FILES) >= 3
    errors = list(validator.iter_errors(load_document(path).data))
    assert errors == []


SCHEMA_CASES = [case for case in CASES if case.schema]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[case.name for case in SCHEMA_CASES])
def test_schema_rejects_what_a_schema_can_see(case: Case, write_spec, validator) -> None:
    data = load_document(write_spec(case.name + case.suffix, case.source)).data
    assert list(validator.iter_errors(data)), f"{case.name} passed the schema"


def test_schema_accepts_aliases_in_any_case(validator) -> None:
    spec = {
        "version": 1,
        "campaign": "c",
        "defaults": {"aspect_ratio": "PORTRAIT", "language": "Spanish", "video_length": 30},
        "matrix": {"aspect_ratio": ["16:9", 2], "avatar_type": ["custom", 0]},
        "products": [{"url": "https://a.example/x"}],
    }
    assert list(validator.iter_errors(spec)) == []
