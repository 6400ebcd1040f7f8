"""Reading spec files: YAML and TOML into plain data, with the position of every key and value."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jogg_pipeline.spec.positions import START, DataPath, Located, Position, PositionMap
from jogg_pipeline.spec.problems import Problem
from jogg_pipeline.spec.toml_positions import toml_error_position, toml_positions

YAML_SUFFIXES = (".yaml", ".yml")
TOML_SUFFIXES = (".toml",)
SPEC_SUFFIXES = YAML_SUFFIXES + TOML_SUFFIXES

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
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(Problem(1, 1, f"cannot read the file: {error.strerror}")) from None
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


def parse_yaml(text: str) -> tuple[Any, PositionMap]:
    yaml = YAML(typ="safe")  # the C parser: fast, and its nodes still carry marks
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        raise LoadError(_yaml_syntax_problem(error, text)) from None
    positions: PositionMap = {}
    if root is None:
        return None, positions
    builder = _YamlBuilder(yaml, positions)
    data = builder.build(root, (), None)
    return data, positions


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

    def build(self, node: Node, path: DataPath, key: Position | None) -> Any:
        self.positions[path] = Located(key, _mark(node.start_mark))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), None) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: DataPath) -> dict[str, Any]:
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
            result[key] = self.build(value_node, (*path, key), key_position)
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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column, message = toml_error_position(error, text)
        message = _TOML_MESSAGES.get(message, message)
        raise LoadError(Problem(line, column, f"TOML syntax error: {message}")) from None
    positions: PositionMap = {(): Located(None, START)}
    positions.update(toml_positions(text))
    return data, positions
