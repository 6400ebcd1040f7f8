"""A sliding-window limit on POST requests per API key, like the cloud's 20 per minute."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from jogg_pipeline.quantities import Rate


class SlidingWindowLimiter:
    """Admits at most `limit.requests` calls per key in any `limit.per_seconds` window."""

    def __init__(self, limit: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._history: dict[str, deque[float]] = {}

    def acquire(self, key: str) -> int | None:
        """Record a request and return None, or the whole seconds to wait if over the limit."""
        now = self._clock()
        history = self._history.setdefault(key, deque())
        while history and history[0] <= now - self.limit.per_seconds:
            history.popleft()
        if len(history) >= self.limit.requests:
            return max(1, math.ceil(history[0] + self.limit.per_seconds - now))
        history.append(now)
        return None

    def remaining(self, key: str) -> int:
        """How many more requests `key` may send in the current window."""
        return max(0, self.limit.requests - len(self._history.get(key, ())))
