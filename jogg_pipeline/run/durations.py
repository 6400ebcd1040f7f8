"""Durations on the command line: `90s`, `20m`, `1h30m`, `0` (do not wait), or plain seconds."""

from __future__ import annotations

import re

from jogg_pipeline.errors import UsageError

_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    value = text.strip().lower()
    try:
        return float(value)
    except ValueError:
        pass
    parts = _PART.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        raise UsageError(f"{text!r} is not a duration; write e.g. 90s, 20m, 1h30m or 0")
    return sum(float(number) * _UNITS[unit] for number, unit in parts)
