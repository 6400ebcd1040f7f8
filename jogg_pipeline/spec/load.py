"""Reading spec files: YAML and TOML into plain data, with the position of every key and value."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from jogg_pipeline.spec.limits import (
    MAX_NESTING_DEPTH,
    MAX_SPEC_BYTES,
    MAX_YAML_ALIASES,
    MAX_YAML_EXPANDED_NODES,
)
from jogg_pipeline.spec.positions import START, DataPath, Located, Position, PositionMap, find
from jogg_pipeline.spec.prescan import check_toml_depth, check_yaml_depth
from jogg_pipeline.spec.problems import Problem
from jogg_pipeline.spec.toml_positions import TomlKeyTooLong, toml_error_position, toml_positions

YAML_SUFFIXES = (".yaml", ".yml")
TOML_SUFFIXES = (".toml",)
SPEC_SUFFIXES = YAML_SUFFIXES + TOML_SUFFIXES

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Document:
    path: Path
    format: str  # "yaml" or "toml"
    text: str
    data: Any
    positions: PositionMap


class LoadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def spec_format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in TOML_SUFFIXES:
        return "toml"
    return None


def load_document(path: Path) -> Document:
    """Read and parse one spec file; raise LoadError with the first syntax problem."""
    fmt = spec_format(path)
    if fmt is None:
        raise LoadError(
            Problem(1, 1, f"unknown spec file type '{path.suffix}'; use .yaml, .yml or .toml")
        )
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_SPEC_BYTES + 1)
    except OSError as error:
        raise LoadError(Problem(1, 1, f"cannot read the file: {error.strerror}")) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise LoadError(
            Problem(
                1,
                1,
                f"the file is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MB; "
                "split the campaign into several specs",
            )
        )
    text = decode_utf8(raw)
    if not text.strip():
        raise LoadError(
            Problem(1, 1, "the file is empty; a spec needs at least version, campaign and products")
        )
    data, positions = parse_yaml(text) if fmt == "yaml" else parse_toml(text)
    if data is None:
        raise LoadError(
            Problem(1, 1, "the file has no content; a spec needs version, campaign and products")
        )
    _check_depth(data, positions)
    return Document(path=path, format=fmt, text=text, data=data, positions=positions)


def decode_utf8(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[error.start]
        raise LoadError(
            Problem(
                line,
                column,
                f"the file is not valid UTF-8 (byte 0x{byte:02x}); save it with UTF-8 encoding",
            )
        ) from None
    return text.removeprefix("\ufeff")


# --- YAML -----------------------------------------------------------------------------------


def _check_depth(data: Any, positions: PositionMap) -> None:
    """Refuse data nested deeper than the limit (TOML's dotted keys and headers nest too,
    beyond what the text's brackets show); iterative, so that it cannot overflow itself."""
    stack: list[tuple[Any, DataPath]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_NESTING_DEPTH:
            raise LoadError(
                Problem.at(
                    find(positions, path),
                    f"nesting deeper than {MAX_NESTING_DEPTH} levels (lists and mappings "
                    "inside each other); a spec needs a few",
                )
            )
        if isinstance(value, dict):
            stack.extend((item, (*path, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))


def parse_yaml(text: str) -> tuple[Any, PositionMap]:
    too_deep = check_yaml_depth(text)
    if too_deep is not None:
        raise LoadError(too_deep)
    yaml = YAML(typ="safe")  # the C parser: fast, and its nodes still carry marks
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        raise LoadError(_yaml_syntax_problem(error, text)) from None
    except ReaderError as error:
        raise LoadError(_reader_problem(error, text)) from None
    positions: PositionMap = {}
    if root is None:
        return None, positions
    builder = _YamlBuilder(yaml, positions)
    try:
        data = builder.build(root, (), None)
    except MarkedYAMLError as error:  # e.g. a merge key (<<) of a scalar
        raise LoadError(_yaml_syntax_problem(error, text)) from None
    return data, positions


def _reader_problem(error: ReaderError, text: str) -> Problem:
    """A character YAML does not allow (NUL and other control characters), where it stands."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    character = error.character
    code = ord(character) if isinstance(character, str) else int(character)
    return Problem(
        line, column, f"YAML does not allow the control character U+{code:04X}; remove it"
    )


def _mark(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _yaml_syntax_problem(error: MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    position = _mark(mark) if mark is not None else START
    problem = (error.problem or "syntax error").strip()
    lines = text.splitlines()
    if 0 < position.line <= len(lines):
        line = lines[position.line - 1]
        if "\t" in line[: position.column] or line[position.column - 1 : position.column] == "\t":
            tab = line.index("\t") + 1
            return Problem(
                position.line, tab, "YAML syntax error: tab character; indent with spaces"
            )
    message = f"YAML syntax error: {problem}"
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        context = _mark(error.context_mark)
        if context != position:
            message += f" ({error.context} at line {context.line}, column {context.column})"
    return Problem(position.line, position.column, message)


class _YamlBuilder:
    """Turns composed nodes into plain Python data, recording positions and refusing what a
    spec has no use for (duplicate keys, custom tags, non-string keys)."""

    def __init__(self, yaml: YAML, positions: PositionMap) -> None:
        self.constructor = yaml.constructor
        self.positions = positions
        # An alias is the same node met again: each use copies its whole subtree, so both the
        # uses and the nodes they copy are counted.
        self.built: set[int] = set()
        self.aliases = 0
        self.copied = 0

    def build(self, node: Node, path: DataPath, key: Position | None, copy: bool = False) -> Any:
        here = _mark(node.start_mark)
        if id(node) in self.built and not copy:
            copy = True
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise LoadError(
                    Problem.at(
                        key or here,
                        f"more than {MAX_YAML_ALIASES} uses of YAML aliases (*name); "
                        "write the values out",
                    )
                )
        self.built.add(id(node))
        if copy:
            self.copied += 1
            if self.copied > MAX_YAML_EXPANDED_NODES:
                raise LoadError(
                    Problem.at(
                        key or here,
                        f"YAML aliases (*name) expand to more than {MAX_YAML_EXPANDED_NODES:,} "
                        "values; write the values out",
                    )
                )
        self.positions[path] = Located(key, here)
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in _COLLECTION_TAGS:
            raise LoadError(Problem.at(here, f"unsupported YAML tag '{node.tag}'"))
        if isinstance(node, MappingNode):
            return self._mapping(node, path, copy)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), None, copy) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: DataPath, copy: bool) -> dict[str, Any]:
        self.constructor.flatten_mapping(node)  # YAML merge keys (<<)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_position = _mark(key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                raise LoadError(Problem.at(key_position, "a key must be a plain string"))
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key) if not isinstance(key, bool) else str(key).lower()
            if key in result:
                first = self.positions[(*path, key)].key or START
                raise LoadError(
                    Problem.at(
                        key_position,
                        f"duplicate key '{key}' (first at line {first.line}); "
                        "each key may appear once in a mapping",
                    )
                )
            result[key] = self.build(value_node, (*path, key), key_position, copy)
        return result

    def _scalar(self, node: Node) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise LoadError(
                Problem.at(_mark(node.start_mark), f"unsupported YAML tag '{node.tag}'")
            )
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (MarkedYAMLError, ValueError) as error:
            raise LoadError(
                Problem.at(_mark(node.start_mark), f"invalid value: {error}".splitlines()[0])
            ) from None
        return value


# --- TOML -----------------------------------------------------------------------------------

# tomllib's wording for the two mistakes people make most, said plainly.
_TOML_MESSAGES = {
    "Cannot overwrite a value": "a key or table is defined twice",
    "Illegal character '\\n'": "unexpected end of line (is a string left open?)",
}


def parse_toml(text: str) -> tuple[Any, PositionMap]:
    too_deep = check_toml_depth(text)
    if too_deep is not None:
        raise LoadError(too_deep)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column, message = toml_error_position(error, text)
        message = _TOML_MESSAGES.get(message, message)
        raise LoadError(Problem(line, column, f"TOML syntax error: {message}")) from None
    except ValueError:
        # Only an integer beyond Python's digit limit gets this far.
        raise LoadError(_huge_integer(text)) from None
    positions: PositionMap = {(): Located(None, START)}
    try:
        positions.update(toml_positions(text))
    except TomlKeyTooLong as error:
        raise LoadError(Problem.at(error.position, str(error))) from None
    return data, positions


def _huge_integer(text: str) -> Problem:
    digits = max(re.finditer(r"[0-9_]+", text), key=lambda m: len(m.group()), default=None)
    if digits is None:
        return Problem(1, 1, "TOML syntax error: a value cannot be read")
    line = text.count("\n", 0, digits.start()) + 1
    column = digits.start() - (text.rfind("\n", 0, digits.start()) + 1) + 1
    return Problem(
        line, column, f"a number of {len(digits.group())} digits; numbers this long are refused"
    )
