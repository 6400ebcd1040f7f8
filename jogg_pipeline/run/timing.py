"""When to first check a video: about when videos like it have been finishing.

Each video length has its own render time. Every check narrows it: a video still pending at
`elapsed` after its request shows renders take longer than that; a finished one shows they
take at most that. The first check of a new video goes three quarters of the way from the lower
bound to the upper: each check still narrows the bounds, so the guesses close in on the real
time within a few videos, and a check that comes a little late costs less than one that comes
too early and has to wait for the next. The poll policy still sets the least wait."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class _Bounds:
    longer_than: float = 0.0
    at_most: float = math.inf


@dataclass
class RenderTimes:
    _bounds: dict[str, _Bounds] = field(default_factory=dict)

    def observe(self, kind: str, elapsed: float, *, done: bool) -> None:
        bounds = self._bounds.setdefault(kind, _Bounds())
        if done:
            bounds.at_most = min(bounds.at_most, elapsed)
            bounds.longer_than = min(bounds.longer_than, bounds.at_most)  # times vary: trust done
        elif elapsed < bounds.at_most:
            bounds.longer_than = max(bounds.longer_than, elapsed)

    def guess(self, kind: str) -> float:
        """Seconds after its request a video of this kind is likely done; 0 when unknown."""
        bounds = self._bounds.get(kind)
        if bounds is None or math.isinf(bounds.at_most):
            return 0.0
        return bounds.longer_than + 0.75 * (bounds.at_most - bounds.longer_than)
