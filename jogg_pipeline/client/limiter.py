"""The client-side limit on POST requests, shared by every task of one client.

The cloud allows 20 POST requests per minute per API key and answers 429 beyond that. The
client counts what the API documents, POSTs, and counts PUTs too from the moment the backend
shows it does (a 429 to a PUT, or X-RateLimit-Remaining falling after one): see JoggClient.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from jogg_pipeline.quantities import Rate

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class _Slot:
    """One admitted request; `at` is when it was sent, then when its answer arrived."""

    __slots__ = ("at", "done")

    def __init__(self, at: float) -> None:
        self.at = at
        self.done = False


class PostLimiter:
    """A sliding window of admitted requests, plus a pause that a Retry-After sets.

    Each request's place in the window is anchored at the moment its answer arrived (the latest
    moment the server can have counted it), so the server's window, which counts arrivals, never
    holds more than the policy allows even when latencies vary. A request whose connection was
    never made gives its place back.
    """

    def __init__(
        self,
        policy: Rate | None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._slots: list[_Slot] = []
        self._paused_until = -math.inf
        self._lock = asyncio.Lock()
        self.waited = 0.0  # seconds the head of the queue spent waiting for a place

    def pause(self, seconds: float) -> None:
        """Hold every limited request for `seconds` from now (the server's Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))

    @property
    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def _delay(self, now: float) -> float:
        """Seconds to wait before a request may be sent at `now`; 0 when it may go."""
        if self._paused_until > now:
            return self._paused_until - now
        if self.policy is None:
            return 0.0
        window = self.policy.per_seconds
        self._slots = [s for s in self._slots if not (s.done and s.at <= now - window)]
        if len(self._slots) < self.policy.requests:
            return 0.0
        # A place frees one window after its answer arrived; a request still in flight frees
        # its place no sooner than a window from now, so the next place is the earliest
        # answered one, or (all in flight) a short look again.
        answered = [s.at for s in self._slots if s.done]
        if answered:
            return min(answered) + window - now
        return window / 50

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[_Slot]:
        """Wait for a place, hold it while the request runs, anchor it when the answer is in.

        Call `give_back(slot)` inside the block when the request never left this machine.
        """
        admitted = await self._admit()
        try:
            yield admitted
        finally:
            if admitted in self._slots:
                admitted.at = max(admitted.at, self._clock())
                admitted.done = True

    def give_back(self, admitted: _Slot) -> None:
        """Free the place of a request that never reached the server (no connection was made)."""
        if admitted in self._slots:
            self._slots.remove(admitted)

    async def _admit(self) -> _Slot:
        # The lock makes waiters queue in order: no request overtakes one that waits longer.
        async with self._lock:
            while True:
                now = self._clock()
                delay = self._delay(now)
                if delay <= 0:
                    admitted = _Slot(now)
                    if self.policy is not None:  # without a limit there is nothing to count
                        self._slots.append(admitted)
                    return admitted
                self.waited += delay
                await self._sleep(delay)
