"""The first check of a video goes where renders of its kind have been finishing."""

from __future__ import annotations

from jogg_pipeline.run.timing import RenderTimes


def test_unknown_kinds_have_no_guess() -> None:
    times = RenderTimes()
    assert times.guess("15") == 0.0
    times.observe("15", 1.0, done=False)
    assert times.guess("15") == 0.0  # still pending says nothing about when it ends


def test_guesses_close_in_on_the_render_time() -> None:
    times, actual = RenderTimes(), 2.0
    times.observe("15", 3.4, done=True)  # seen finished late, on a slow schedule
    guesses = []
    for _ in range(10):
        guess = times.guess("15")
        guesses.append(guess)
        times.observe("15", guess, done=guess >= actual)
    assert guesses[0] == 2.55  # three quarters of the way from 0 to 3.4
    assert abs(guesses[-1] - actual) < 0.02
    assert sum(guess >= actual for guess in guesses) >= 7  # mostly late by a little, not early
    assert times.guess("60") == 0.0  # each length on its own


def test_varying_times_trust_what_finished() -> None:
    times = RenderTimes()
    times.observe("30", 5.0, done=False)
    times.observe("30", 4.0, done=True)  # one rendered faster than another was pending
    assert times.guess("30") == 4.0
