"""Property tests: whatever a spec holds, checking it never crashes; a valid spec converted
YAML -> TOML -> YAML expands to exactly the same videos."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from specs.corpus import EXAMPLES

from jogg_pipeline.spec.convert import dump
from jogg_pipeline.spec.load import load_document
from jogg_pipeline.spec.validate import check_spec

pytestmark = pytest.mark.slow  # property tests

EXAMPLE_TEXTS = [
    (p.suffix, p.read_text(encoding="utf-8"))
    for p in sorted(EXAMPLES.iterdir())
    if p.suffix in {".yaml", ".toml"}
]

KEYS = [
    "version",
    "campaign",
    "backend",
    "vars",
    "defaults",
    "matrix",
    "products",
    "url",
    "key",
    "overrides",
    "videos",
    "name",
    "language",
    "aspect_ratio",
    "video_length",
    "caption",
    "template_id",
    "visual_style",
    "script_style",
    "avatar_type",
    "api_key",
    "media",
    "type",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 100),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["english", "Portrait", "15", "{{ product.name }}", "{{ vars.x", "", "é"]),
    st.text(string.printable, max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=25,
)
specs = st.fixed_dictionaries(
    {},
    optional={
        "version": st.sampled_from([1, 2, "1"]),
        "campaign": st.sampled_from(["c", "Bad Name", 3]),
        "defaults": values,
        "matrix": values,
        "vars": values,
        "products": st.lists(values, max_size=3) | values,
    },
)
QUIET = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(path: Path) -> None:
    result = check_spec(path)
    assert result.ok == (result.expanded is not None)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "\n" not in problem.message
        assert "Traceback" not in problem.message


@QUIET
@given(data=specs, fmt=st.sampled_from(["yaml", "toml"]))
def test_generated_specs_never_crash(data, fmt, tmp_path) -> None:
    try:
        text = dump(data, fmt)
    except Exception:  # TOML cannot hold null; such data is not a TOML file at all
        return
    path = tmp_path / f"spec.{fmt}"
    path.write_text(text, encoding="utf-8")
    _check(path)


@QUIET
@given(
    example=st.sampled_from(EXAMPLE_TEXTS),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), st.text(" \t\n:-[]{}\"'#=.a1", max_size=3)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_examples_never_crash(example, edits, tmp_path) -> None:
    suffix, text = example
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    path = tmp_path / f"spec{suffix}"
    path.write_text(text, encoding="utf-8")
    _check(path)


@QUIET
@given(
    languages=st.lists(
        st.sampled_from(["english", "Spanish", "FRENCH", "german"]),
        unique_by=str.lower,
        min_size=1,
        max_size=3,
    ),
    ratio=st.sampled_from(["portrait", "16:9", 2, "Square"]),
    length=st.sampled_from([15, "30", 60]),
    names=st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True), unique=True, max_size=3),
    discount=st.integers(0, 90),
)
def test_yaml_toml_yaml_round_trip_keeps_the_videos(
    languages, ratio, length, names, discount, tmp_path
) -> None:
    data = {
        "version": 1,
        "campaign": "round-trip",
        "vars": {"discount": discount, "note": 'quotes " and \\ and unicode – é'},
        "defaults": {"aspect_ratio": ratio, "video_length": length, "caption": False},
        "matrix": {"language": languages},
        "products": [
            {
                "url": "https://shop.example.com/products/blush",
                "overrides": {"name": "{{ product.name }} – {{ vars.discount }}% off"},
                "videos": [{"name": n} for n in names] or [{"video_length": 30}],
            },
            {"url": "https://shop.example.com/p/kettle.html", "key": "kettle"},
        ],
    }
    source = tmp_path / "a.yaml"
    source.write_text(dump(data, "yaml"), encoding="utf-8")
    as_toml = tmp_path / "b.toml"
    as_toml.write_text(dump(load_document(source).data, "toml"), encoding="utf-8")
    back = tmp_path / "c.yaml"
    back.write_text(dump(load_document(as_toml).data, "yaml"), encoding="utf-8")
    plans = [check_spec(p).expanded for p in (source, as_toml, back)]
    assert all(plan is not None for plan in plans)
    first = plans[0]
    for plan in plans[1:]:
        assert plan.videos == first.videos
        assert plan.products == first.products


def test_every_example_round_trips(tmp_path) -> None:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)  # relative file URLs resolve against the spec's folder
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".yaml", ".toml"}:
            continue
        other = "toml" if path.suffix == ".yaml" else "yaml"
        converted = folder / f"{path.stem}-converted.{other}"
        converted.write_text(dump(load_document(path).data, other), encoding="utf-8")
        original, again = check_spec(path).expanded, check_spec(converted).expanded
        assert original is not None and again is not None
        assert again.videos == original.videos
        assert again.products == original.products
