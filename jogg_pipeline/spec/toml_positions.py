"""Source positions of every key and value in a TOML document.

`tomllib` parses TOML but forgets where things were; the spec validator needs a line and column
for each problem it reports. `toml_positions` rescans a document that `tomllib` already accepted
and maps every path of the parsed data (dict keys and list indexes, as `tomllib` nests them) to
where its key and its value start. It does not validate: it relies on the text being valid TOML.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from itertools import accumulate

from jogg_pipeline.spec.limits import MAX_TOML_KEY_PARTS
from jogg_pipeline.spec.positions import DataPath, Located, Position
from jogg_pipeline.spec.prescan import TOML_KEY_TOO_LONG

__all__ = [
    "Located",
    "Path",
    "Position",
    "TomlKeyTooLong",
    "toml_error_position",
    "toml_positions",
]


Path = DataPath

_BOM = "\ufeff"
# Whitespace, newlines and comments between statements and between array elements.
_BLANKS = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_SPACES = re.compile(r"[ \t]*+")
# Bare keys are ASCII in TOML 1.0; anything that cannot end or split a key is accepted, so
# TOML 1.1's unicode bare keys work too.
_BARE_KEY = re.compile(r"[^ \t\r\n.=\[\]\"'#,{}]++")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_LITERAL_STRING = re.compile(r"'[^'\n]*+'")
# A multi-line string may end with up to two extra quotes that belong to its content.
_MULTILINE_BASIC_STRING = re.compile(r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}', re.S)
_MULTILINE_LITERAL_STRING = re.compile(r"'''(?:[^']++|'(?!''))*+'{3,5}")
# Numbers, booleans, dates and times: none of them contains these characters, while an offset
# date-time may contain a space.
_BARE_VALUE = re.compile(r"[^,\]}#\r\n]++")
# The common shapes, matched in one step: a bare key with a one-line basic string or a number,
# boolean or date (a `"` after the first two quotes would make a multi-line string); headers of
# bare keys.
_SIMPLE_PAIR = re.compile(
    r"([A-Za-z0-9_-]++)[ \t]*+=[ \t]*+"
    r'((?:"(?:[^"\\\n]++|\\.)*+"(?!")|[^"\'\[{,\]}#\s][^,\]}#\r\n]*+))'
)
_SIMPLE_TABLE_HEADER = re.compile(r"\[([A-Za-z0-9_-]++(?:\.[A-Za-z0-9_-]++)*+)\]")
_SIMPLE_ARRAY_HEADER = re.compile(r"\[\[([A-Za-z0-9_-]++(?:\.[A-Za-z0-9_-]++)*+)\]\]")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)", re.S)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}
_ERROR_SUFFIX = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*\Z")


class TomlKeyTooLong(ValueError):
    """A dotted key or header of more parts than a spec may use; every part would nest a table
    and be kept as a path of its own."""

    def __init__(self, position: Position) -> None:
        super().__init__(TOML_KEY_TOO_LONG)
        self.position = position


def toml_positions(text: str) -> dict[Path, Located]:
    """Map every key, table and value of a valid TOML document to where it starts.

    A BOM at the start is skipped and not counted as a column. Raises ValueError for text that
    is not valid TOML where the scan cannot go on (call `tomllib.loads` first), and
    TomlKeyTooLong for a key of more than MAX_TOML_KEY_PARTS parts.
    """
    return _Scanner(text).scan()


def toml_error_position(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """The line, column and bare message of a `tomllib` error about `text`.

    An error "at end of document" is placed just after the last non-blank character; a message
    without a position is kept whole, at line 1, column 1.
    """
    message = str(error)
    suffix = _ERROR_SUFFIX.search(message)
    if suffix is None:
        # A message without the usual suffix: newer Pythons also carry the numbers as attributes.
        line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
        if isinstance(line, int) and isinstance(column, int):
            return line, column, message
        return 1, 1, message
    bare_message = message[: suffix.start()]
    if suffix.group(1) is None:
        line, column = _end_of_document(text)
        return line, column, bare_message
    return int(suffix.group(1)), int(suffix.group(2)), bare_message


def _end_of_document(text: str) -> tuple[int, int]:
    body = text.removeprefix(_BOM).rstrip(" \t\r\n")
    last_newline = body.rfind("\n")
    return body.count("\n") + 1, len(body) - last_newline


def _unescape(raw: str) -> str:
    """The content of a basic string, given the text between its quotes."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if len(escape) > 1:
            return chr(int(escape[1:], 16))
        return _SIMPLE_ESCAPES.get(escape, escape)

    return _ESCAPE.sub(replace, raw)


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """The offset after what `pattern` matches at `pos`; for patterns that may match nothing
    (blanks, spaces), so nothing matched is nothing skipped."""
    match = pattern.match(text, pos)
    return pos if match is None else match.end()


_KeyParts = list[tuple[str, int]]  # each part of a dotted key and the offset where it starts


class _Scanner:
    """One pass over the text, recording positions into `found` as paths are met."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = 1 if text.startswith(_BOM) else 0
        # Offsets where each line starts; the BOM does not count as a column of line 1.
        self.line_starts = [self.start, *accumulate(len(line) + 1 for line in text.split("\n"))]
        self.line_starts.pop()
        self.found: dict[Path, Located] = {}
        # Tables that only exist because a header named a sub-table: a later header of their own
        # defines them, and then that header is where they are.
        self.implicit: set[Path] = set()
        # How many elements each array of tables has so far, by its resolved path.
        self.array_lengths: dict[Path, int] = {}

    def scan(self) -> dict[Path, Located]:
        text, end = self.text, len(self.text)
        simple_pair = _SIMPLE_PAIR.match
        table: Path = ()
        pos = _skip(_BLANKS, text, self.start)
        while pos < end:
            # Most statements are simple pairs: done here, in a tight loop, to scan fast.
            simple = simple_pair(text, pos)
            if simple is not None:
                pos = self._record_simple_pair(simple, table)
            elif text[pos] == "[":
                if text.startswith("[[", pos):
                    table, pos = self._array_table_header(pos)
                else:
                    table, pos = self._table_header(pos)
            else:
                pos = self._dotted_key_value(pos, table)
            pos = _skip(_BLANKS, text, pos)
        return self.found

    def position(self, offset: int) -> Position:
        line = bisect_right(self.line_starts, offset)
        return Position(line, offset - self.line_starts[line - 1] + 1)

    def fail(self, offset: int, expected: str) -> ValueError:
        at = self.position(min(offset, len(self.text)))
        return ValueError(
            f"cannot locate TOML positions: expected {expected} at line {at.line}, "
            f"column {at.column} (is the document valid TOML?)"
        )

    def expect(self, offset: int, token: str) -> int:
        if not self.text.startswith(token, offset):
            raise self.fail(offset, repr(token))
        return offset + len(token)

    def _match(self, pattern: re.Pattern[str], offset: int, expected: str) -> int:
        match = pattern.match(self.text, offset)
        if match is None or match.end() == offset:
            raise self.fail(offset, expected)
        return match.end()

    # Keys and headers

    def _key_part(self, pos: int) -> tuple[str, int]:
        """One part of a dotted key: its name and the offset after it."""
        text = self.text
        quote = text[pos : pos + 1]
        if quote == '"':
            end = self._match(_BASIC_STRING, pos, "a key")
            raw = text[pos + 1 : end - 1]
            return (_unescape(raw) if "\\" in raw else raw), end
        if quote == "'":
            end = self._match(_LITERAL_STRING, pos, "a key")
            return text[pos + 1 : end - 1], end
        end = self._match(_BARE_KEY, pos, "a key")
        return text[pos:end], end

    def _dotted_key(self, pos: int) -> tuple[_KeyParts, int]:
        text = self.text
        parts: _KeyParts = []
        while True:
            name, end = self._key_part(pos)
            parts.append((name, pos))
            if len(parts) > MAX_TOML_KEY_PARTS:
                raise TomlKeyTooLong(self.position(parts[0][1]))
            pos = _skip(_SPACES, text, end)
            if text[pos : pos + 1] != ".":
                return parts, pos
            pos = _skip(_SPACES, text, pos + 1)

    def _header_keys(self, pos: int, opening: str, closing: str) -> tuple[_KeyParts, int]:
        simple = (_SIMPLE_TABLE_HEADER if opening == "[" else _SIMPLE_ARRAY_HEADER).match(
            self.text, pos
        )
        if simple is not None:
            parts: _KeyParts = []
            offset = simple.start(1)
            names = simple.group(1).split(".")
            if len(names) > MAX_TOML_KEY_PARTS:
                raise TomlKeyTooLong(self.position(offset))
            for name in names:
                parts.append((name, offset))
                offset += len(name) + 1
            return parts, simple.end()
        pos = _skip(_SPACES, self.text, self.expect(pos, opening))
        parts, pos = self._dotted_key(pos)
        return parts, self.expect(pos, closing)

    def _resolve_header_prefix(self, parts: _KeyParts) -> Path:
        """The path of the table a header's parts lead into, creating implicit tables.

        A header that goes through an array of tables goes into its last element.
        """
        path: Path = ()
        for name, offset in parts:
            path = (*path, name)
            length = self.array_lengths.get(path)
            if length is not None:
                path = (*path, length - 1)
            elif path not in self.found:
                here = self.position(offset)
                self.found[path] = Located(here, here)
                self.implicit.add(path)
        return path

    def _table_header(self, pos: int) -> tuple[Path, int]:
        parts, end = self._header_keys(pos, "[", "]")
        path = self._resolve_header_prefix(parts)
        if path in self.implicit or path not in self.found:
            # An implicit table is only implicit until its own header comes.
            self.implicit.discard(path)
            here = self.position(pos)
            self.found[path] = Located(here, here)
        return path, end

    def _array_table_header(self, pos: int) -> tuple[Path, int]:
        parts, end = self._header_keys(pos, "[[", "]]")
        array = (*self._resolve_header_prefix(parts[:-1]), parts[-1][0])
        length = self.array_lengths.get(array, 0)
        here = self.position(pos)
        if length == 0:
            self.found[array] = Located(here, here)
        self.array_lengths[array] = length + 1
        element = (*array, length)
        self.found[element] = Located(None, here)
        return element, end

    # Key/value pairs and values

    def _key_value(self, pos: int, table: Path) -> int:
        """Record `key = value` inside `table`; returns the offset after the value."""
        simple = _SIMPLE_PAIR.match(self.text, pos)
        if simple is None:
            return self._dotted_key_value(pos, table)
        return self._record_simple_pair(simple, table)

    def _record_simple_pair(self, simple: re.Match[str], table: Path) -> int:
        """Record a pair matched by `_SIMPLE_PAIR`; returns the offset after its value."""
        # Key and value are on one line: look it up once.
        key_offset = simple.start()
        line = bisect_right(self.line_starts, key_offset)
        line_start = self.line_starts[line - 1] - 1
        self.found[(*table, simple.group(1))] = Located(
            Position(line, key_offset - line_start), Position(line, simple.start(2) - line_start)
        )
        return simple.end()

    def _dotted_key_value(self, pos: int, table: Path) -> int:
        """Record `key = value` of any shape: dotted, quoted, with any value."""
        parts, pos = self._dotted_key(pos)
        path = table
        for name, offset in parts[:-1]:
            path = (*path, name)
            if path not in self.found:
                here = self.position(offset)
                self.found[path] = Located(here, here)
        name, offset = parts[-1]
        pos = self.expect(pos, "=")
        pos = _skip(_SPACES, self.text, pos)
        return self._value(pos, (*path, name), self.position(offset))

    def _value(self, pos: int, path: Path, key: Position | None) -> int:
        """Record the value starting at `pos`; returns the offset after it."""
        text = self.text
        self.found[path] = Located(key, self.position(pos))
        first = text[pos : pos + 1]
        if first == '"':
            if text.startswith('"""', pos):
                return self._match(_MULTILINE_BASIC_STRING, pos, "a string")
            return self._match(_BASIC_STRING, pos, "a string")
        if first == "'":
            if text.startswith("'''", pos):
                return self._match(_MULTILINE_LITERAL_STRING, pos, "a string")
            return self._match(_LITERAL_STRING, pos, "a string")
        if first == "[":
            return self._array(pos, path)
        if first == "{":
            return self._inline_table(pos, path)
        return self._match(_BARE_VALUE, pos, "a value")

    def _array(self, pos: int, path: Path) -> int:
        text = self.text
        pos = _skip(_BLANKS, text, pos + 1)
        index = 0
        while text[pos : pos + 1] != "]":
            pos = self._value(pos, (*path, index), None)
            index += 1
            pos = _skip(_BLANKS, text, pos)
            if text[pos : pos + 1] == ",":
                pos = _skip(_BLANKS, text, pos + 1)
            elif text[pos : pos + 1] != "]":
                raise self.fail(pos, "',' or ']'")
        return pos + 1

    def _inline_table(self, pos: int, path: Path) -> int:
        text = self.text
        # Newlines and comments are TOML 1.1; accepting them costs nothing.
        pos = _skip(_BLANKS, text, pos + 1)
        while text[pos : pos + 1] != "}":
            pos = self._key_value(pos, path)
            pos = _skip(_BLANKS, text, pos)
            if text[pos : pos + 1] == ",":
                pos = _skip(_BLANKS, text, pos + 1)
            elif text[pos : pos + 1] != "}":
                raise self.fail(pos, "',' or '}'")
        return pos + 1
