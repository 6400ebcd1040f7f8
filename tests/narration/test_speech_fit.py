"""Fitting a script to a length at a natural pace, and the one-line errors of bad settings."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.narration.speech import NATURAL_WPM, fit_to, speak
from jogg_pipeline.engine.narration.voices import resolve_voice
from jogg_pipeline.errors import UsageError

VOICE = resolve_voice(None, "english", "female")
SCRIPT = (
    "Meet the new Aurora bottle. It keeps your drinks cold for a whole day, and it fits in "
    "every bag. The double wall is made of steel, so nothing leaks and nothing sweats. "
    "Order yours today and enjoy free shipping on your first purchase."
)


@pytest.fixture(scope="module")
def paces() -> dict[int, float]:
    """The script's duration at the default and at the fastest natural pace."""
    return {wpm: speak(SCRIPT, VOICE, words_per_minute=wpm).duration for wpm in (160, 190)}


def test_a_script_that_fits_keeps_its_pace(paces: dict[int, float]) -> None:
    fitted = fit_to(SCRIPT, VOICE, paces[160] + 1)
    assert (fitted.fits, fitted.note, fitted.words_per_minute) == (True, None, 160)
    assert fitted.speech.duration == pytest.approx(paces[160])


def test_a_long_script_is_spoken_faster_just_enough(paces: dict[int, float]) -> None:
    limit = (paces[160] + paces[190]) / 2
    fitted = fit_to(SCRIPT, VOICE, limit)
    assert fitted.fits and fitted.note is None
    assert 160 < fitted.words_per_minute <= NATURAL_WPM[1]
    assert limit - 0.6 < fitted.speech.duration <= limit  # no faster than it needs
    again = speak(SCRIPT, VOICE, words_per_minute=fitted.words_per_minute)
    assert again.duration == pytest.approx(fitted.speech.duration, abs=0.01)


def test_a_script_too_long_even_at_the_fastest_pace_says_so(paces: dict[int, float]) -> None:
    fitted = fit_to(SCRIPT, VOICE, 5)
    assert not fitted.fits and fitted.words_per_minute == NATURAL_WPM[1]
    assert fitted.speech.duration == pytest.approx(paces[190])
    assert fitted.note == (
        f"The narration lasts {paces[190]:.1f} s even at 190 words a minute, "
        "longer than the 5 s it must fit: shorten the script."
    )


def test_bad_settings_are_one_clear_line() -> None:
    with pytest.raises(UsageError) as raised:
        speak("Hi.", VOICE, words_per_minute=20)
    assert str(raised.value) == "words_per_minute must be between 90 and 400; got 20"
    with pytest.raises(UsageError) as raised:
        speak("Hi.", VOICE, sample_rate=1000)
    assert str(raised.value) == "sample_rate must be between 8000 and 192000 Hz; got 1000"
    with pytest.raises(UsageError) as raised:
        fit_to("Hi.", VOICE, 0)
    assert str(raised.value) == "a narration must last more than 0 seconds; got 0"
