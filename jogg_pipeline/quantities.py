"""One grammar for the quantities that commands and settings share: durations, rates and
render qualities. `run --wait 20m`, `run --post-rate 20/min` and `serve --post-rate 20/min`
read them alike.

    duration   90s, 20m, 1h30m, 2.5h, 1d, or plain seconds (0: do not wait)
    rate       COUNT/PERIOD: 20/min, 5/s, 100/hour, 20/2s (a period is a duration; "min" is 1 min)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Quality(StrEnum):
    """How the local engine renders: the cloud ignores it."""

    FULL = "full"  # the output size the API documents
    HD = "hd"  # 720p-class, faster
    PREVIEW = "preview"  # small and fast, to look a campaign over


QUALITY_NAMES: tuple[str, ...] = tuple(quality.value for quality in Quality)

_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), 86400.0),
}
_PART = re.compile(r"(\d+(?:\.\d+)?)([a-z]+)")
DURATION_EXAMPLES = "90s, 20m, 1h30m or 0"
RATE_EXAMPLES = "20/min, 5/s, 100/hour or 20/2s"


def parse_duration(text: str) -> float:
    """Seconds in `text`; ValueError saying how to write one."""
    value = text.strip().lower().replace(" ", "")
    try:
        seconds = float(value)
    except ValueError:
        parts = _PART.findall(value)
        if (
            not parts
            or "".join(n + u for n, u in parts) != value
            or any(unit not in _UNITS for _, unit in parts)
        ):
            raise ValueError(
                f"{text!r} is not a duration; write e.g. {DURATION_EXAMPLES}"
            ) from None
        seconds = sum(float(number) * _UNITS[unit] for number, unit in parts)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{text!r} is not a duration; write e.g. {DURATION_EXAMPLES}")
    return seconds


@dataclass(frozen=True)
class Rate:
    """At most `requests` requests in any window of `per_seconds`."""

    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not self.per_seconds > 0:
            raise ValueError(
                f"a rate needs requests >= 1 and per_seconds > 0, "
                f"not {self.requests}/{self.per_seconds}"
            )

    @classmethod
    def cloud(cls) -> Rate:
        """The cloud's documented limit: 20 POST requests per minute per API key."""
        return cls(20, 60.0)

    @classmethod
    def parse(cls, text: str) -> Rate:
        """`COUNT/PERIOD`; ValueError saying how to write one."""
        count, slash, period = text.strip().lower().partition("/")
        problem = f"{text!r} is not a rate; write COUNT/PERIOD, e.g. {RATE_EXAMPLES}"
        if not slash or not count.strip().isdigit() or int(count) < 1:
            raise ValueError(problem)
        period = period.strip()
        try:
            seconds = _UNITS[period] if period in _UNITS else parse_duration(period)
        except ValueError:
            raise ValueError(problem) from None
        if seconds <= 0:
            raise ValueError(problem)
        return cls(int(count), seconds)

    def minimum_time(self, count: int) -> float:
        """The least time (s) between the first and the last of `count` limited requests."""
        if count <= self.requests:
            return 0.0
        return (math.ceil(count / self.requests) - 1) * self.per_seconds

    def __str__(self) -> str:
        unit = {1.0: "s", 60.0: "min", 3600.0: "h"}.get(self.per_seconds)
        return f"{self.requests}/{unit}" if unit else f"{self.requests} per {self.per_seconds:g} s"
