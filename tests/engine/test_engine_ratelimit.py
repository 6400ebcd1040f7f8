"""The POST limit: a sliding window per key, and its command-line form."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.ratelimit import SlidingWindowLimiter
from jogg_pipeline.quantities import Rate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_window_slides_and_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(Rate(3, 60.0), clock=clock)
    for _ in range(3):
        assert limiter.acquire("k") is None
        clock.now += 10.0
    assert limiter.acquire("k") == 30  # the first request leaves the window 30 s from now
    assert limiter.acquire("other") is None  # each key has its own window
    clock.now += 29.9
    assert limiter.acquire("k") == 1  # a fraction of a second rounds up, never to 0
    clock.now += 0.1
    assert limiter.acquire("k") is None
    assert limiter.acquire("k") == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/min", Rate(20, 60.0)),
        ("5/s", Rate(5, 1.0)),
        (" 100 / HOUR ", Rate(100, 3600.0)),
    ],
)
def test_rates_parse(text: str, expected: Rate) -> None:
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "20", "0/min", "-1/min", "20/fortnight", "x/min"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a rate; write COUNT/PERIOD, e\.g\. 20/min"):
        Rate.parse(text)
