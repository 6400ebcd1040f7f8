"""A cheap look at a spec's text before it is parsed: how deep it nests.

The YAML and TOML parsers recurse once per level of nesting, so a few kilobytes of `[` crash
them (a C stack overflow) or end in a RecursionError; the TOML position scanner also keeps a
path per part of a dotted key. This scan counts, in one pass and without parsing, an upper
bound of the nesting: brackets and braces (also those in strings, which a real spec balances),
YAML's indentation and `- ` items, and the parts of TOML's dotted keys. A spec nests five or six
levels, so over-counting a little is harmless; the bound only has to be safe.
"""

from __future__ import annotations

import re

from jogg_pipeline.spec.limits import MAX_NESTING_DEPTH, MAX_TOML_KEY_PARTS
from jogg_pipeline.spec.problems import Problem

TOML_KEY_TOO_LONG = f"a dotted key of more than {MAX_TOML_KEY_PARTS} parts; a spec needs a few"

_BRACKET = re.compile(r"[\[\]{}]")
_YAML_ITEM = re.compile(r"(?:-[ \t]+)+")
# More parts than allowed, each a bare or quoted key followed by a dot: also matches such text
# inside a string, which no real spec holds.
# A match starts only where a key part can start: retrying inside a long run of letters would
# make the search quadratic in the run's length.
_TOML_LONG_KEY = re.compile(
    r"(?<![A-Za-z0-9_-])"
    r"""(?:(?:[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')[ \t]*+\.[ \t]*+)"""
    + f"{{{MAX_TOML_KEY_PARTS}}}"
)


def _too_deep(line: int, column: int) -> Problem:
    return Problem(
        line,
        column,
        f"nesting deeper than {MAX_NESTING_DEPTH} levels (lists and mappings inside each "
        "other); a spec needs a few",
    )


def _follow(line: str, number: int, block: int, flow: int) -> tuple[int, Problem | None]:
    """The bracket depth after `line`, under `block` levels of indentation."""
    for bracket in _BRACKET.finditer(line):
        if bracket.group() in "[{":
            flow += 1
            if block + flow > MAX_NESTING_DEPTH:
                return flow, _too_deep(number, bracket.start() + 1)
        elif flow:
            flow -= 1
    return flow, None


def check_yaml_depth(text: str) -> Problem | None:
    """A problem at the first place where the YAML text nests too deep, or None."""
    indents: list[int] = []
    block = flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        content = line.lstrip(" ")
        if flow == 0 and content and not content.startswith("#"):
            # Inside a flow collection indentation means nothing; outside it is the structure.
            indent = len(line) - len(content)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            items = _YAML_ITEM.match(content)
            block = len(indents) + (items.group().count("-") if items else 0)
            if block > MAX_NESTING_DEPTH:
                return _too_deep(number, indent + 1)
        flow, problem = _follow(line, number, block, flow)
        if problem is not None:
            return problem
    return None


def check_toml_depth(text: str) -> Problem | None:
    """A problem at the first place where the TOML text nests too deep, or None. A dotted key
    of too many parts is found here too: tomllib takes seconds to read a long one."""
    long_key = _TOML_LONG_KEY.search(text)
    if long_key is not None:
        line_number = text.count("\n", 0, long_key.start()) + 1
        column = long_key.start() - (text.rfind("\n", 0, long_key.start()) + 1) + 1
        return Problem(line_number, column, TOML_KEY_TOO_LONG)
    flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        flow, problem = _follow(line, number, 0, flow)
        if problem is not None:
            return problem
    return None
