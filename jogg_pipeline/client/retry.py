"""How long the client waits between tries: retries (exponential, full jitter) and polling."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries of one request, within `total_seconds` from the first.

    The n-th retry waits a random time in [0, min(max_delay, base_delay * 2**(n-1))] ("full
    jitter"), so clients that failed together do not come back together; a server's Retry-After
    is a floor on that wait.
    """

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0
    total_seconds: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0 or self.total_seconds < 0:
            raise ValueError("retry delays and the total time must not be negative")

    @classmethod
    def never(cls) -> RetryPolicy:
        """One try only."""
        return cls(attempts=1)

    def delay(self, retry: int, rng: random.Random) -> float:
        """The wait before retry number `retry` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return rng.uniform(0.0, ceiling)


@dataclass(frozen=True)
class PollPolicy:
    """Waits between status checks of one project: `first`, growing by `factor` up to `longest`.

    No wait is ever shorter than `shortest` (the cloud asks for no faster than every 5 s).
    """

    first: float
    longest: float
    factor: float = 1.5
    shortest: float = 0.0

    def __post_init__(self) -> None:
        if self.first <= 0 or self.longest < self.first or self.factor < 1:
            raise ValueError("a poll policy needs 0 < first <= longest and factor >= 1")

    @classmethod
    def cloud(cls) -> PollPolicy:
        return cls(first=5.0, longest=30.0, factor=1.5, shortest=5.0)

    @classmethod
    def local(cls) -> PollPolicy:
        return cls(first=0.05, longest=1.0, factor=1.5, shortest=0.05)

    def intervals(self) -> Iterator[float]:
        """The successive waits, without end."""
        wait = max(self.first, self.shortest)
        while True:
            yield wait
            wait = max(self.shortest, min(self.longest, wait * self.factor))
