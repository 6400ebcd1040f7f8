"""Spec fuzzing: the specs it writes and the check every one of them must pass.

The generated and mutated specs come from tests/specs/test_properties.py; to them this adds the
hostile shapes that once ate the machine (aliases, nesting, long keys and numbers, bytes that are
not text, template work and widths, oversized fields and matrices), at sizes drawn at random on
both sides of each limit. Whatever the spec, `validate` answers 0 or 2 with one line a problem,
and the loader returns a document or one positioned problem.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from jogg_pipeline.cli import main
from jogg_pipeline.spec.convert import dump
from jogg_pipeline.spec.load import LoadError, load_document
from specs import test_properties as properties

# Each problem is one line: `<file>:<line>:<column>: error|warning: <message>`.
_PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: (error|warning): \S.*$")
_OK_LINE = re.compile(r"^.+: ok: .+$")
# One spec may take this long to check, however hostile; a normal one takes milliseconds.
SECONDS_PER_SPEC = 10.0

_HEAD_YAML = "version: 1\ncampaign: fuzz\n"
_PRODUCT_YAML = 'products:\n  - url: "https://shop.example.com/p/one"\n'


@dataclass(frozen=True)
class SpecFile:
    """A spec to write: its suffix and its bytes (which need not be UTF-8)."""

    suffix: str
    content: bytes


def _yaml(body: str) -> SpecFile:
    return SpecFile(".yaml", body.encode("utf-8", "surrogatepass"))


def _toml(body: str) -> SpecFile:
    return SpecFile(".toml", body.encode("utf-8", "surrogatepass"))


def _template_spec(template: str, fmt: str) -> SpecFile:
    """A valid spec whose script override is `template`."""
    data = {
        "version": 1,
        "campaign": "fuzz",
        "vars": {"n": 3, "word": "lol"},
        "products": [
            {
                "url": "https://shop.example.com/p/one",
                "overrides": {"name": "{{ product.name }}"},
                "videos": [{"name": "v", "override_script": template}],
            }
        ],
    }
    return SpecFile(f".{fmt}", dump(data, fmt).encode("utf-8"))


def billion_laughs(levels: int, width: int) -> SpecFile:
    lines = [_HEAD_YAML.rstrip("\n"), "vars:", '  a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    return _yaml("\n".join(lines) + "\n" + _PRODUCT_YAML)


def deep_yaml(depth: int, opener: str) -> SpecFile:
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        nested = "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
        return _yaml(_HEAD_YAML + "vars:\n  deep:\n" + nested + _PRODUCT_YAML)
    return _yaml(_HEAD_YAML + "vars:\n  deep: " + opener * depth + "1" + closer * depth + "\n")


def deep_toml(depth: int, inline_table: bool) -> SpecFile:
    value = "{a = " * depth + "1" + "}" * depth if inline_table else "[" * depth + "]" * depth
    return _toml(f'version = 1\ncampaign = "fuzz"\n[vars]\ndeep = {value}\n')


def dotted_toml(parts: int, as_header: bool) -> SpecFile:
    key = ".".join(["a"] * parts)
    body = f"[vars.{key}]\nx = 1\n" if as_header else f"[vars]\n{key} = 1\n"
    return _toml('version = 1\ncampaign = "fuzz"\n' + body)


def long_integer(digits: int, fmt: str) -> SpecFile:
    number = "9" * digits
    if fmt == "toml":
        return _toml(f'version = 1\ncampaign = "fuzz"\n[vars]\nbig = {number}\n')
    return _yaml(_HEAD_YAML + f"vars:\n  big: {number}\n" + _PRODUCT_YAML)


def long_field(chars: int, fmt: str) -> SpecFile:
    return _template_spec("x" * chars, fmt)


def wide_matrix(products: int, languages: int) -> SpecFile:
    names = ["english", "spanish", "french", "german", "italian", "portuguese"][:languages]
    items = "".join(f'  - url: "https://shop.example.com/p/{i}"\n' for i in range(products))
    return _yaml(_HEAD_YAML + f"matrix:\n  language: [{', '.join(names)}]\nproducts:\n" + items)


# Template work that must be cut short: each takes a size drawn on both sides of the limits.
_TEMPLATES = [
    "{{{{ 'x'|center({n}) }}}}",
    "{{{{ '%{n}s'|format('a') }}}}",
    "{{{{ 'x'|indent({n}, true) }}}}",
    "{{{{ ([1] * {n})|length }}}}",
    "{{{{ 'ab' * {n} }}}}",
    "{{% for i in range({n}) %}}{{% for j in range({n}) %}}x{{% endfor %}}{{% endfor %}}",
    "{{{{ lipsum({n}) }}}}",
    "{{{{ 10 ** {n} }}}}",
    "{{{{ range({n})|list|length }}}}",
    "{{% macro m(k) %}}{{{{ 'y' * k }}}}{{{{ m(k) }}}}{{% endmacro %}}{{{{ m({n}) }}}}",
    "{{{{ (vars.word ~ ' ') * {n} }}}}",
    "{{% set s = namespace(v='') %}}{{% for i in range({n}) %}}"
    "{{% set s.v = s.v ~ s.v ~ 'z' %}}{{% endfor %}}{{{{ s.v|length }}}}",
]

_sizes = st.sampled_from([0, 1, 9, 99, 999, 1_001, 10_001, 100_001, 10**6, 10**9])

hostile_templates = st.builds(
    lambda template, n, fmt: _template_spec(template.format(n=n), fmt),
    st.sampled_from(_TEMPLATES),
    _sizes,
    st.sampled_from(["yaml", "toml"]),
)


def hostile_files(laugh_levels: int) -> st.SearchStrategy[SpecFile]:
    """The hostile shapes; a YAML bomb over the alias limits takes about a second to refuse,
    so the quick run keeps its bombs of `laugh_levels` under them."""
    return st.one_of(
        st.builds(billion_laughs, st.integers(1, laugh_levels), st.integers(1, 10)),
        _hostile_shapes,
    )


_hostile_shapes = st.one_of(
    st.builds(deep_yaml, st.sampled_from([10, 63, 65, 500, 5_000]), st.sampled_from(["[", "{a: "])),
    st.builds(deep_yaml, st.sampled_from([10, 70, 500]), st.just("- ")),
    st.builds(deep_toml, st.sampled_from([10, 63, 65, 500, 5_000]), st.booleans()),
    st.builds(dotted_toml, st.sampled_from([2, 64, 65, 2_000, 50_000]), st.booleans()),
    st.builds(
        long_integer, st.sampled_from([20, 100, 101, 5_000]), st.sampled_from(["yaml", "toml"])
    ),
    st.builds(
        long_field, st.sampled_from([19_999, 20_001, 200_000]), st.sampled_from(["yaml", "toml"])
    ),
    st.builds(wide_matrix, st.sampled_from([1, 40, 2_001]), st.integers(1, 6)),
    hostile_templates,
)


def _generated(data: dict[str, object], fmt: str) -> SpecFile | None:
    try:
        text = dump(data, fmt)
    except Exception:  # TOML cannot hold null; such data is not a TOML file at all
        return None
    return SpecFile(f".{fmt}", text.encode("utf-8"))


generated_files = st.builds(_generated, properties.specs, st.sampled_from(["yaml", "toml"]))


def _mutate(example: tuple[str, str], edits: list[tuple[float, int, bytes]]) -> SpecFile:
    suffix, text = example
    raw = text.encode("utf-8")
    for where, cut, insert in edits:
        at = int(where * len(raw))
        raw = raw[:at] + insert + raw[at + cut :]
    return SpecFile(suffix, raw)


# Byte-level edits, so that broken UTF-8, NUL bytes and a BOM in the middle are tried too.
_INSERTS = st.one_of(
    st.binary(max_size=3),
    st.sampled_from(
        [
            b"\x00",
            b"\xef\xbb\xbf",
            b"\xed\xa0\x80",
            b"&a ",
            b"*a",
            b"<<: ",
            b"!!python/",
            b"{{",
            b"%}",
        ]
    ),
    st.text(" \t\n:-[]{}\"'#=.a1\\", max_size=4).map(str.encode),
)
mutated_files = st.builds(
    _mutate,
    st.sampled_from(properties.EXAMPLE_TEXTS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), _INSERTS), min_size=1, max_size=6),
)


def spec_files(laugh_levels: int = 9) -> st.SearchStrategy[SpecFile | None]:
    """Generated, mutated and hostile specs, about a third each."""
    return st.one_of(generated_files, mutated_files, hostile_files(laugh_levels))


def check_spec_file(spec: SpecFile | None, folder: Path) -> float:
    """Write `spec`, load it and validate it; assert the answers are clean; return the seconds."""
    if spec is None:
        return 0.0
    path = folder / f"spec{spec.suffix}"
    path.write_bytes(spec.content)
    started = time.monotonic()
    try:
        load_document(path)
    except LoadError as error:
        problem = error.problem
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and "\n" not in problem.message, problem
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    elapsed = time.monotonic() - started
    assert code in (0, 2), (code, err.getvalue())
    assert "Traceback" not in out.getvalue() + err.getvalue()
    if code == 0:
        assert _OK_LINE.match(out.getvalue().strip()), out.getvalue()
    else:
        lines = err.getvalue().splitlines()
        assert lines, "exit 2 without a message"
        for line in lines:
            assert _PROBLEM_LINE.match(line) or line.startswith("jogg-pipeline: error: "), line
    assert elapsed < SECONDS_PER_SPEC, f"{elapsed:.1f} s for {spec.content[:200]!r}"
    return elapsed


def reset_peak_memory() -> int:
    """Start a new peak-memory window for this process; return the current resident kB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


def peak_memory_kb() -> int:
    """This process's peak resident memory since the last reset, in kB."""
    return _status_kb("VmHWM")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"/proc/self/status has no {field}")
