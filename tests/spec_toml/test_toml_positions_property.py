"""Property tests: on any valid document, every path is found and points at its own text.

Documents come from `tomli_w` and from a writer below that varies the style: comments, blank
lines, tabs, CRLF, a BOM, dotted keys, headers, inline tables, multi-line arrays and strings,
every integer base and string kind.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jogg_pipeline.spec.toml_positions import Located, Path, Position, toml_positions

pytestmark = pytest.mark.slow  # property tests

# Data of every TOML type

OFFSETS = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]
)
SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.datetimes(timezones=OFFSETS),
    st.dates(),
    st.times(),
)
KEYS = st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True), st.text(max_size=6))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEYS, children, max_size=4),
        st.lists(st.dictionaries(KEYS, children, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=24,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# What the positions must satisfy


def paths_of(value: Any, prefix: Path = ()) -> Iterator[Path]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from paths_of(child, (*prefix, index))


def value_at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def offset_of(text: str, position: Position) -> int:
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: position.line - 1]) + position.column - 1
    if text.startswith("\ufeff") and position.line == 1:
        offset += 1
    return offset


VALUE_ENDS = ",]}#\r\n"  # what may follow a value, after blanks
KEY_ENDS = ".=]"  # what may follow a part of a key, after blanks


def parse_token(text: str, start: int, ends: str) -> Any:
    """The value (or quoted key) at `start`, as tomllib itself reads it.

    The token is the shortest text from `start` that tomllib accepts as a value and that is
    followed by one of `ends`: an independent check of where the scanner says it begins.
    """
    for stop in range(start + 1, len(text) + 1):
        if stop < len(text) and text[stop] not in ends + " \t":
            continue
        rest = text[stop:].lstrip(" \t")
        if rest and rest[0] not in ends:
            continue
        try:
            return tomllib.loads("token = " + text[start:stop])["token"]
        except tomllib.TOMLDecodeError:
            continue
    raise AssertionError(f"no value starts at {text[start : start + 40]!r}")


def same(found: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(found, float) and math.isnan(found)
    if isinstance(expected, (list, dict)):
        return type(found) is type(expected) and repr(found) == repr(expected)
    return type(found) is type(expected) and found == expected


def header_path(text: str, offset: int) -> list[str]:
    """The keys a `[table]` or `[[array]]` header at `offset` names, parsed by tomllib."""
    end = text.find("\n", offset)
    node: Any = tomllib.loads(text[offset : len(text) if end < 0 else end].rstrip("\r"))
    names: list[str] = []
    while node:
        if isinstance(node, list):
            node = node[0]
            continue
        (name, node), *_ = node.items()
        names.append(name)
    return names


def assert_key_at(text: str, offset: int, name: str) -> None:
    if text[offset] in "\"'":
        assert parse_token(text, offset, KEY_ENDS) == name
    else:
        assert text.startswith(name, offset)
        assert not re.match(r"[A-Za-z0-9_-]", text[offset + len(name) : offset + len(name) + 1])


def assert_inside_their_elements(found: dict[Path, Located]) -> None:
    """Array elements come in order; what belongs to an element lies before the next one.

    For an array of tables, that is between its header and the next `[[...]]` of the array.
    """

    def place(position: Position) -> tuple[int, int]:
        return position.line, position.column

    for path, located in found.items():
        here = place(located.key or located.value)
        for depth, part in enumerate(path):
            if not isinstance(part, int):
                continue
            element = found[path[: depth + 1]]
            assert place(element.value) <= here
            following = found.get((*path[:depth], part + 1))
            if following is not None:
                assert here < place(following.value)


def assert_positions_match(text: str) -> None:
    data = tomllib.loads(text.removeprefix("\ufeff"))
    found = toml_positions(text)
    assert set(found) == set(paths_of(data))
    assert_inside_their_elements(found)
    for path, located in found.items():
        value = value_at(data, path)
        start = offset_of(text, located.value)
        # A table's header, or the first header of an array of tables.
        from_header = text[start] == "[" and (
            isinstance(value, dict) or located.key == located.value
        )
        if from_header:
            assert [p for p in path if isinstance(p, str)] == header_path(text, start)
        elif isinstance(value, dict) and text[start] != "{":
            # A table made by a dotted key or by a part of a header: that key.
            assert located.key == located.value
            assert_key_at(text, start, str(path[-1]))
        else:
            assert same(parse_token(text, start, VALUE_ENDS), value), (
                path,
                text[start:],
            )
        if located.key is None:
            assert isinstance(path[-1], int)
        else:
            assert isinstance(path[-1], str)
            if not from_header:
                assert_key_at(text, offset_of(text, located.key), path[-1])


# A writer with varied style


Draw = Callable[[st.SearchStrategy[Any]], Any]
BARE = re.compile(r"[A-Za-z0-9_-]+")
SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def is_control(char: str) -> bool:
    return (char < " " and char != "\t") or char == "\x7f"


def escaped_pieces(content: str, escape_non_ascii: bool, raw_newlines: bool) -> list[str]:
    """Each character of `content` as it is written inside a basic string."""
    pieces = []
    for char in content:
        if char == "\n" and raw_newlines:
            pieces.append(char)
        elif char in '"\\':
            pieces.append("\\" + char)
        elif char in SHORT_ESCAPES:
            pieces.append(SHORT_ESCAPES[char])
        elif is_control(char):
            pieces.append(f"\\u{ord(char):04X}")
        elif escape_non_ascii and ord(char) > 0xFFFF:
            pieces.append(f"\\U{ord(char):08X}")
        elif escape_non_ascii and ord(char) > 0x7F:
            pieces.append(f"\\u{ord(char):04x}")
        else:
            pieces.append(char)
    return pieces


def basic_string(content: str, escape_non_ascii: bool) -> str:
    return '"' + "".join(escaped_pieces(content, escape_non_ascii, raw_newlines=False)) + '"'


def write_key(key: str, draw: Draw) -> str:
    if BARE.fullmatch(key) and draw(st.booleans()):
        return key
    if "'" not in key and not any(is_control(c) or c == "\t" for c in key) and draw(st.booleans()):
        return f"'{key}'"
    return basic_string(key, draw(st.booleans()))


def multiline_basic_string(content: str, draw: Draw) -> str:
    pieces = escaped_pieces(content, draw(st.booleans()), raw_newlines=True)
    if '"""' not in content and draw(st.booleans()):
        # Unescaped quotes, up to two of them just before the closing ones.
        pieces = ['"' if piece == '\\"' else piece for piece in pieces]
    solid = [i for i, char in enumerate(content) if char not in " \t\n"]
    if solid and draw(st.booleans()):
        # A line-ending backslash drops the newline and the blanks up to the next character.
        pieces.insert(draw(st.sampled_from(solid)), "\\\n  \t ")
    # The newline after the opening quotes is dropped too, so the content stays exact.
    return '"""\n' + "".join(pieces) + '"""'


def write_string(content: str, draw: Draw) -> str:
    style = draw(st.sampled_from(["basic", "literal", "multi-basic", "multi-literal"]))
    plain = not any(is_control(c) for c in content if c not in "\t\n")
    if style == "literal" and plain and "'" not in content and "\n" not in content:
        return f"'{content}'"
    if style == "multi-literal" and plain and "'''" not in content:
        return "'''\n" + content + "'''"
    if style == "multi-basic":
        return multiline_basic_string(content, draw)
    return basic_string(content, draw(st.booleans()))


def write_integer(number: int, draw: Draw) -> str:
    style = draw(st.sampled_from(["decimal", "underscores", "plus", "hex", "oct", "bin"]))
    if number >= 0 and style in ("hex", "oct", "bin"):
        digits = format(number, {"hex": "x", "oct": "o", "bin": "b"}[style])
        return "0" + style[0].replace("h", "x") + digits
    if style == "underscores" and abs(number) >= 10:
        text = str(number)
        return text[:-1] + "_" + text[-1]
    if style == "plus" and number >= 0:
        return f"+{number}"
    return str(number)


def write_float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def write_datetime(moment: datetime | date | time, draw: Draw) -> str:
    text = moment.isoformat()
    if isinstance(moment, datetime) and draw(st.booleans()):
        text = text.replace("T", " ", 1)
    return text.replace("+00:00", "Z") if draw(st.booleans()) else text


def blank(draw: Draw) -> str:
    return draw(st.sampled_from(["", " ", "\t", "  "]))


def comment(draw: Draw) -> str:
    return draw(st.sampled_from(["", "", " # note", "\t#= [x] 'q' \"", " #"]))


def write_value(value: Any, draw: Draw) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return write_integer(value, draw)
    if isinstance(value, float):
        return write_float(value)
    if isinstance(value, str):
        return write_string(value, draw)
    if isinstance(value, (datetime, date, time)):
        return write_datetime(value, draw)
    if isinstance(value, dict):
        return write_inline_table(value, draw)
    return write_array(value, draw)


def write_array(items: list[Any], draw: Draw) -> str:
    if not items or draw(st.booleans()):
        sep = "," + blank(draw)
        trailing = "," if items and draw(st.booleans()) else ""
        body = sep.join(write_value(item, draw) for item in items)
        return "[" + blank(draw) + body + trailing + blank(draw) + "]"
    lines = ["["]
    for item in items:
        if draw(st.booleans()):
            lines.append("  # between elements")
        lines.append("  " + write_value(item, draw) + "," + comment(draw))
    lines.append("]")
    return "\n".join(lines)


def write_inline_table(table: dict[str, Any], draw: Draw) -> str:
    pairs = []
    for key, value in table.items():
        pairs.extend(write_pairs([write_key(key, draw)], value, draw))
    return "{" + blank(draw) + ("," + blank(draw)).join(pairs) + blank(draw) + "}"


def write_pairs(keys: list[str], value: Any, draw: Draw) -> list[str]:
    """`key = value` pairs for one value, spreading a table over dotted keys when chosen."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        pairs = []
        for key, child in value.items():
            pairs.extend(write_pairs([*keys, write_key(key, draw)], child, draw))
        return pairs
    dotted = (blank(draw) + "." + blank(draw)).join(keys)
    equals = blank(draw) + "=" + blank(draw)
    return [dotted + equals + write_value(value, draw)]


def is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def write_table_body(names: list[str], table: dict[str, Any], draw: Draw, out: list[str]) -> None:
    later: list[tuple[str, str, Any]] = []
    for key, value in table.items():
        written_key = write_key(key, draw)
        if isinstance(value, dict) and draw(st.booleans()):
            later.append(("table", written_key, value))
        elif is_array_of_tables(value) and draw(st.booleans()):
            later.append(("array", written_key, value))
        else:
            for pair in write_pairs([written_key], value, draw):
                if draw(st.booleans()):
                    out.append(draw(st.sampled_from(["", "# a comment", "  \t"])))
                out.append(blank(draw) + pair + comment(draw))
    for kind, written_key, value in later:
        path = [*names, written_key]
        dotted = (blank(draw) + "." + blank(draw)).join(path)
        if kind == "table":
            out.append("[" + blank(draw) + dotted + blank(draw) + "]" + comment(draw))
            write_table_body(path, value, draw, out)
        else:
            for element in value:
                out.append("[[" + blank(draw) + dotted + blank(draw) + "]]" + comment(draw))
                write_table_body(path, element, draw, out)


def write_document(data: dict[str, Any], draw: Draw) -> str:
    out: list[str] = []
    write_table_body([], data, draw, out)
    text = "\n".join(out) + draw(st.sampled_from(["", "\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@PROPERTY_SETTINGS
@given(DOCUMENTS, st.booleans(), st.integers(min_value=0, max_value=4))
def test_documents_written_by_tomli_w(
    data: dict[str, Any], multiline_strings: bool, indent: int
) -> None:
    assert_positions_match(tomli_w.dumps(data, multiline_strings=multiline_strings, indent=indent))


@PROPERTY_SETTINGS
@given(DOCUMENTS, st.data())
def test_documents_in_varied_styles(data: dict[str, Any], style: st.DataObject) -> None:
    text = write_document(data, style.draw)
    parsed = tomllib.loads(text.removeprefix("\ufeff"))
    assert set(paths_of(parsed)) == set(paths_of(data))
    assert_positions_match(text)
