"""Where each key and value of a loaded spec stands in its source file."""

from __future__ import annotations

import re
from typing import NamedTuple

DataPath = tuple[str | int, ...]


class Position(NamedTuple):  # tuples: a large spec has hundreds of thousands of them
    line: int  # 1-based
    column: int  # 1-based, in characters


class Located(NamedTuple):
    key: Position | None  # None for list items and the document itself
    value: Position


START = Position(1, 1)
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

PositionMap = dict[DataPath, Located]


def find(positions: PositionMap, path: DataPath, *, at_key: bool = False) -> Position:
    """The position of `path`, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        located = positions.get(path[:end])
        if located is not None:
            if at_key and end == len(path) and located.key is not None:
                return located.key
            return located.value
    return START


def format_path(path: DataPath) -> str:
    """`products[0].videos[1].language`, as a person reads it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.match(part):
            text += f"[{part!r}]"
        else:
            text += f".{part}" if text else part
    return text or "the spec"
