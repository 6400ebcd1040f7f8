"""The work a template may do: checks made before an operation that could take gigabytes or
hours (a width of a billion, a list repeated a billion times), and a budget of loop steps and of
characters produced in each rendering.

The checks take plain values, so that `validate` can make them on a template's constants and
rendering on its actual values; either way they raise TemplateLimit with the reason.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jogg_pipeline.spec.limits import (
    MAX_TEMPLATE_CHARS,
    MAX_TEMPLATE_INT_BITS,
    MAX_TEMPLATE_SEQUENCE,
    MAX_TEMPLATE_STEPS,
    MAX_TEMPLATE_WIDTH,
)


class TemplateLimit(Exception):
    """A template would do more work than any template needs; the message says which."""


# printf-style conversions: `%(name)-10.3f`; the width and precision are what cost memory.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_NUMBER = re.compile(r"\d+")
# The string methods and filters whose size argument makes the result large.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _width(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_TEMPLATE_WIDTH:
        raise TemplateLimit(f"{what} {value} is more than the {MAX_TEMPLATE_WIDTH} allowed")


def _chars(size: int, what: str) -> None:
    if size > MAX_TEMPLATE_CHARS:
        raise TemplateLimit(
            f"{what} would make {size:,} characters, more than the {MAX_TEMPLATE_CHARS:,} allowed"
        )


def _items(size: int, what: str) -> None:
    if size > MAX_TEMPLATE_SEQUENCE:
        raise TemplateLimit(
            f"{what} would make {size:,} items, more than the {MAX_TEMPLATE_SEQUENCE:,} allowed"
        )


def check_printf(template: Any) -> None:
    """`'%10s' % x` and the `format` filter: widths and precisions within the limit."""
    if not isinstance(template, str):
        return
    for match in _PRINTF.finditer(template):
        for part in match.group(1, 2):
            if part == "*":
                raise TemplateLimit("a '*' width in a format is not allowed; write the number")
            if part is not None:
                _width(int(part), "a format width of")


def check_str_format(template: Any) -> None:
    """`'{:>10}'.format(x)`: the numbers of each format spec within the limit."""
    if not isinstance(template, str):
        return
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format itself says what is wrong
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimit("a nested '{...}' width in a format is not allowed")
        for number in _NUMBER.findall(spec):
            _width(int(number), "a format width of")


def check_binop(operator: str, left: Any, right: Any) -> None:
    """`*`, `**`, `+` and `%` on values that could make a huge result."""
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(count, int) and isinstance(sequence, str | list | tuple):
                if isinstance(sequence, str):
                    _chars(len(sequence) * max(count, 0), "repeating a string")
                else:
                    _items(len(sequence) * max(count, 0), "repeating a list")
        if isinstance(left, int) and isinstance(right, int):
            _bits(abs(left).bit_length() + abs(right).bit_length())
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            _bits(abs(left).bit_length() * right if abs(left) > 1 else 0)
    elif operator == "+":
        if isinstance(left, str) and isinstance(right, str):
            _chars(len(left) + len(right), "joining strings")
        elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
            _items(len(left) + len(right), "joining lists")
    elif operator == "%":
        check_printf(left)


def _bits(bits: int) -> None:
    if bits > MAX_TEMPLATE_INT_BITS:
        raise TemplateLimit(f"a number of more than {MAX_TEMPLATE_INT_BITS} bits is not allowed")


def check_range(*args: Any) -> None:
    if all(isinstance(a, int) for a in args) and args and len(args) <= 3:
        try:
            size = len(range(*args))
        except (ValueError, OverflowError):
            return  # range itself says what is wrong
        _items(size, "range")


def check_lipsum(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> None:
    if isinstance(n, int) and isinstance(max, int):
        _chars(n * max * 12, "lipsum")


def check_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The filters whose arguments set the size of their result."""
    if name == "center":
        _width(args[0] if args else kwargs.get("width"), "a width of")
    elif name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        _width(width, "an indent of")
        if isinstance(width, str) and isinstance(value, str):
            _chars(len(value) + (value.count("\n") + 1) * len(width), "indenting")
    elif name == "format":
        check_printf(value)
    elif name == "replace":
        _check_replace(value, args, kwargs)
    elif name == "join":
        _check_join(value)
    elif name in {"slice", "batch"}:
        count = args[0] if args else kwargs.get("slices", kwargs.get("linecount"))
        if isinstance(count, int):
            _items(count, name)


def _check_replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    old = args[0] if args else kwargs.get("old")
    new = args[1] if len(args) > 1 else kwargs.get("new")
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        count = value.count(old) if old else len(value) + 1
        _chars(len(value) + count * max(len(new) - len(old), 0), "replace")


def _check_join(value: Any) -> None:
    if isinstance(value, list | tuple):
        _chars(sum(len(item) for item in value if isinstance(item, str)), "join")


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Calls of string methods that take a size: `'x'.center(10)`, `'{:5}'.format(x)`."""
    target = getattr(obj, "__wrapped__", obj)
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(target, "__name__", "")
    if name in _PADDING_METHODS:
        _width(args[0] if args else next(iter(kwargs.values()), None), "a width of")
    elif name in {"format", "format_map"}:
        check_str_format(owner)
    elif name == "replace":
        _check_replace(owner, args, kwargs)
    elif name == "join" and args:
        _check_join(list(args[0]) if isinstance(args[0], list | tuple) else None)


# --- the budget of one rendering ----------------------------------------------------------------


@dataclass
class Budget:
    steps: int = MAX_TEMPLATE_STEPS
    chars: int = MAX_TEMPLATE_CHARS

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise TemplateLimit(
                f"more than {MAX_TEMPLATE_STEPS:,} loop steps and calls in one rendering"
            )

    def produce(self, size: int) -> None:
        self.chars -= size
        if self.chars < 0:
            raise TemplateLimit(
                f"more than {MAX_TEMPLATE_CHARS:,} characters produced in one rendering"
            )


# Set for each rendering; outside one (compiling, checking), nothing is counted.
current_budget: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """The items of a loop, each a step of the budget."""
    budget = current_budget.get()
    for item in iterable:
        if budget is not None:
            budget.step()
        yield item


def step() -> None:
    budget = current_budget.get()
    if budget is not None:
        budget.step()


def produced(value: Any) -> None:
    budget = current_budget.get()
    if budget is not None:
        budget.produce(len(value) if isinstance(value, str) else len(str(value)))
