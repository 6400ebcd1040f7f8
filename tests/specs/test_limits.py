# ruff: noqa: E501  (the expected messages are kept whole, as a user sees them)
"""Small hostile specs fail at once with their position, exit 2, in bounded time and memory:
YAML aliases, nesting, long TOML keys and numbers, control characters, costly templates (in
`validate` and when rendered), file and field sizes, the number of videos, generated keys."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time

import pytest

from jogg_pipeline.cli import main
from jogg_pipeline.spec.limits import MAX_SPEC_BYTES
from jogg_pipeline.spec.secrets import looks_like_token
from jogg_pipeline.spec.templates import TemplateError, render

HEAD = "version: 1\ncampaign: c\n"
PRODUCT = "products:\n  - url: https://shop.example.com/p/x\n"
TOML_HEAD = 'version = 1\ncampaign = "c"\n'
TOML_PRODUCT = '[[products]]\nurl = "https://shop.example.com/p/x"\n'
DEEP = "nesting deeper than 64 levels (lists and mappings inside each other); a spec needs a few"
LONG_KEY = "a dotted key of more than 64 parts; a spec needs a few"


def laughs(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(levels):
        name, previous = chr(98 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return HEAD + "vars:\n" + "".join(f"  {line}\n" for line in lines) + PRODUCT


def script(template: str) -> str:
    return HEAD + f"defaults:\n  override_script: {template!r}\n" + PRODUCT


def products(count: int) -> str:
    return "products:\n" + "".join(
        f"  - url: https://shop.example.com/p/{i}\n" for i in range(count)
    )


ATTACKS = {
    "billion-laughs": (
        laughs(9),
        "4:52: error: YAML aliases (*name) expand to more than 100,000 values; write the values out",
    ),
    "brackets": ("[" * 100_000, f"1:64: error: {DEEP}"),
    "yaml-nested": (
        HEAD + "vars:\n  x: " + "[" * 500 + "]" * 500 + "\n" + PRODUCT,
        f"4:68: error: {DEEP}",
    ),
    "yaml-indented": (
        HEAD + "".join(" " * i + f"k{i}:\n" for i in range(500)) + PRODUCT,
        f"67:65: error: {DEEP}",
    ),
    "yaml-items": (
        HEAD + "vars:\n  x:\n    " + "- " * 500 + "1\n" + PRODUCT,
        f"5:5: error: {DEEP}",
    ),
    "yaml-nul": (
        HEAD + "vars:\n  a: x\x00y\n" + PRODUCT,
        "4:7: error: YAML does not allow the control character U+0000; remove it",
    ),
    "yaml-python-tag": (
        HEAD + 'vars:\n  a: !!python/object/apply:os.system ["echo hi"]\n' + PRODUCT,
        "4:6: error: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    "yaml-set-tag": (
        HEAD + "vars:\n  a: !!set {x: null}\n" + PRODUCT,
        "4:6: error: unsupported YAML tag 'tag:yaml.org,2002:set'",
    ),
    "yaml-huge-number": (
        HEAD + "vars:\n  n: " + "9" * 200 + "\n" + PRODUCT,
        "4:6: error: vars.n: a number of more than 100 digits",
    ),
    "template-center": (
        script("{{ 'x'|center(1000000000) }}"),
        "4:20: error: defaults.override_script: template too costly: a width of 1000000000 is more than the 1000 allowed",
    ),
    "template-format": (
        script("{{ '%1000000000s'|format('x') }}"),
        "4:20: error: defaults.override_script: template too costly: a format width of 1000000000 is more than the 1000 allowed",
    ),
    "template-indent": (
        script("{{ 'x'|indent(1000000) }}"),
        "4:20: error: defaults.override_script: template too costly: an indent of 1000000 is more than the 1000 allowed",
    ),
    "template-repeat": (
        script("{{ [1] * 10**9 }}"),
        "4:20: error: defaults.override_script: template too costly: repeating a list would make 1,000,000,000 items, more than the 10,000 allowed",
    ),
    "template-range": (
        script("{% for a in range(10**5) %}{% for b in range(10**5) %}{% endfor %}{% endfor %}"),
        "4:20: error: defaults.override_script: template too costly: range would make 100,000 items, more than the 10,000 allowed",
    ),
    "template-lipsum": (
        script("{{ lipsum(1000000) }}"),
        "4:20: error: defaults.override_script: template too costly: lipsum would make 1,200,000,000 characters, more than the 1,000,000 allowed",
    ),
    "template-power": (
        script("{{ 10**10**9 }}"),
        "4:20: error: defaults.override_script: template too costly: a number of more than 256 bits is not allowed",
    ),
    "template-method": (
        script("{{ '{:>1000000000}'.format(1) }}"),
        "4:20: error: defaults.override_script: template too costly: a format width of 1000000000 is more than the 1000 allowed",
    ),
    "long-field": (
        HEAD + f"vars:\n  note: {'x' * 20_001}\n" + PRODUCT,
        "4:9: error: vars.note: longer than 20000 characters",
    ),
    "long-video-name": (
        HEAD + f"defaults:\n  video_name: {'n' * 201}\n" + PRODUCT,
        "4:15: error: defaults.video_name: longer than 200 characters",
    ),
    "matrix-too-large": (
        HEAD
        + "matrix:\n  language: [english, spanish, french, german, italian]\n"
        + "  video_length: [15, 30, 60]\n  aspect_ratio: [0, 1, 2]\n  caption: [true, false]\n"
        + products(2000),
        "120:5: error: products[111]: the spec expands to more than 10,000 videos by here (max_videos); set a higher max_videos if that is meant",
    ),
    "hex-key-in-vars": (
        HEAD + "vars:\n  k: 3f9a0c1b2d4e5f60718293a4b5c6d7e8f9012345abcdef01\n" + PRODUCT,
        "4:3: error: vars.k: this value looks like an API token; a spec never holds secrets: the API key comes from JOGG_API_KEY or --api-key-file",
    ),
}

TOML_ATTACKS = {
    "toml-nested": (
        TOML_HEAD + "x = " + "[" * 500 + "]" * 500 + "\n" + TOML_PRODUCT,
        f"3:69: error: {DEEP}",
    ),
    "toml-long-header": (
        TOML_HEAD + TOML_PRODUCT + "[" + ".".join(["a"] * 50_000) + "]\n",
        f"5:2: error: {LONG_KEY}",
    ),
    "toml-long-key": (
        TOML_HEAD + ".".join(['"a"'] * 3000) + " = 1\n" + TOML_PRODUCT,
        f"3:1: error: {LONG_KEY}",
    ),
    "toml-deep-tables": (
        TOML_HEAD + TOML_PRODUCT + f"[{'.'.join(['t'] * 40)}]\n{'.'.join(['u'] * 30)} = 1\n",
        f"6:49: error: {DEEP}",
    ),
    "toml-huge-integer": (
        TOML_HEAD + "[vars]\nn = " + "1" * 5000 + "\n" + TOML_PRODUCT,
        "4:5: error: a number of 5000 digits; numbers this long are refused",
    ),
}


@pytest.mark.parametrize(
    ("name", "suffix"),
    [(name, ".yaml") for name in ATTACKS] + [(name, ".toml") for name in TOML_ATTACKS],
)
def test_an_attack_is_a_spec_error_at_its_place(name: str, suffix: str, write_spec, capsys) -> None:
    source, expected = {**ATTACKS, **TOML_ATTACKS}[name]
    path = write_spec(name + suffix, source)
    # The work is bounded: CPU time, which other processes on the machine do not inflate (the
    # worst attack, 100,000 alias values walked before the refusal, costs about 0.7 s).
    started = time.process_time()
    code = main(["validate", str(path)])
    spent = time.process_time() - started
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"{path}:{expected}"]
    assert code == 2
    assert spent < 2


def test_a_spec_file_larger_than_the_limit_is_refused_unread(write_spec, capsys) -> None:
    path = write_spec("big.yaml", script("x" * (MAX_SPEC_BYTES + 1)))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:1:1: error: the file is larger than 2 MB; split the campaign into several specs\n"
    )


def test_max_videos_raises_the_cap(write_spec, capsys) -> None:
    matrix = "matrix:\n  aspect_ratio: [0, 1, 2]\n  caption: [true, false]\n"
    path = write_spec("many.yaml", HEAD + "max_videos: 24\n" + matrix + products(4))
    assert main(["validate", str(path)]) == 0
    assert "24 videos" in capsys.readouterr().out
    path = write_spec("fewer.yaml", HEAD + "max_videos: 23\n" + matrix + products(4))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:11:5: error: products[3]: the spec expands to more than 23 videos by here "
        "(max_videos); set a higher max_videos if that is meant\n"
    )


def test_a_few_aliases_still_work(write_spec, capsys) -> None:
    source = HEAD + "vars:\n  base: &base {brand: acme}\n  copy: *base\n" + PRODUCT
    assert main(["validate", str(write_spec("alias.yaml", source))]) == 0
    capsys.readouterr()


def test_attacks_stay_small_in_a_real_process(write_spec) -> None:
    """The worst of the attacks, measured in the installed command's own process."""
    paths = [
        write_spec("laughs.yaml", laughs(9)),
        write_spec("brackets.yaml", "[" * 100_000),
        write_spec("header.toml", TOML_HEAD + "[" + ".".join(["a"] * 50_000) + "]\n"),
    ]
    # The peak is read from /proc after resetting it: a child forked from a large test
    # process would otherwise report the parent's memory as its own (Linux keeps the peak
    # across exec).
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from jogg_pipeline.cli import main\n"
        "Path('/proc/self/clear_refs').write_text('5')\n"
        "code = main(['validate', *sys.argv[1:]])\n"
        "status = Path('/proc/self/status').read_text().splitlines()\n"
        "peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
        "print(code, peak)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    code, peak_kb = result.stdout.split()
    assert code == "2"
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 3
    assert int(peak_kb) < 300_000


RUNTIME = {
    "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}": (
        "more than 10,000 loop steps and calls in one rendering"
    ),
    "{% for x in product.list %}{% for y in product.list %}{% endfor %}{% endfor %}": (
        "more than 10,000 loop steps and calls in one rendering"
    ),
    "{{ product.name|center(product.width) }}": "a width of 1000000000 is more than the 1000 allowed",
    "{{ '%*s'|format(product.width, 'x') }}": "a '*' width in a format is not allowed; write the number",
    "{{ product.list * product.width }}": (
        "repeating a list would make 5,000,000,000,000 items, more than the 10,000 allowed"
    ),
    "{% set a = product.name * 100000 %}{% set b = a ~ a %}{{ b ~ b ~ b ~ b ~ b }}": (
        "more than 1,000,000 characters produced in one rendering"
    ),
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}": (
        "more than 10,000 loop steps and calls in one rendering"
    ),
    "{{ product.name * 60000 }}": (
        "it renders 60,000 characters, more than the 50,000 a field may hold"
    ),
    "{{ product.name|replace('x', product.name * 9999) * 1000 }}": (
        "repeating a string would make 9,999,000 characters, more than the 1,000,000 allowed"
    ),
}


@pytest.mark.parametrize("source", list(RUNTIME))
def test_rendering_stops_at_the_budget(source: str) -> None:
    product = {"name": "x", "width": 1_000_000_000, "list": list(range(5000))}
    started = time.monotonic()
    with pytest.raises(TemplateError) as raised:
        render(source, {"product": product})
    assert time.monotonic() - started < 2
    assert str(raised.value) == f"template too costly: {RUNTIME[source]}"
    assert raised.value.detail == RUNTIME[source]


def test_ordinary_templates_render_as_before() -> None:
    source = (
        "{{ product.name|upper|center(12) }}|{% for m in product.media %}{{ loop.index }}{{ m }} "
        "{% endfor %}|{{ '%5.1f' % 3.14159 }}|{{ '{:>4}'.format(7) }}|{{ 'ab' * 3 }}|"
        "{{ range(3)|join(',') }}|{{ 2 ** 10 }}|{{ 'a\nb'|indent(2) }}"
    )
    context = {"product": {"name": "blush", "media": ["a", "b"]}}
    assert render(source, context) == "   BLUSH    |1a 2b |  3.1|   7|ababab|0,1,2|1024|a\n  b"


@pytest.mark.parametrize(
    "kind",
    ["hex24", "hex16", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"],
)
def test_generated_keys_are_secrets(kind: str) -> None:
    # Made here, not at collection: parallel workers must collect the same test ids.
    value = {"hex24": secrets.token_hex(24), "hex16": secrets.token_hex(16)}.get(kind, kind)
    assert looks_like_token(value)


@pytest.mark.parametrize(
    "value",
    [
        "summer-sale-2024-blush-limited-edition",
        "SKU-ABC-12345-XYZ-0001-RED-LARGE-2024",
        "ThisIsAVeryLongCamelCaseIdentifierName2",
        "https://shop.example.com/p/3f9a0c1b2d4e5f60718293a4b5c6d7e8",
        "0123456789012345678901234567890123456789",
        "deadbeef",
        "Don't Worry",
    ],
)
def test_ordinary_values_are_not_secrets(value: str) -> None:
    assert not looks_like_token(value)


def test_a_merge_key_of_a_scalar_is_a_syntax_error(write_spec, capsys) -> None:
    path = write_spec("merge.yaml", HEAD + "vars:\n  <<: 1\n" + PRODUCT)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.startswith(
        f"{path}:4:7: error: YAML syntax error: expected a mapping or list of mappings for "
        "merging, but found scalar"
    )


def test_a_long_run_of_letters_in_toml_is_scanned_in_linear_time(write_spec, capsys) -> None:
    # 300,000 letters in a comment: the key scanner took some 95 s on them when it was
    # quadratic, milliseconds now. The bound leaves a thousandfold margin either way.
    path = write_spec("long.toml", TOML_HEAD + "# " + "x" * 300_000 + "\n" + TOML_PRODUCT)
    started = time.perf_counter()
    code = main(["validate", str(path)])
    assert time.perf_counter() - started < 5.0
    assert code == 0, capsys.readouterr().err
