"""Scripts sized to the video: within the word budget, most of it used, whole sentences."""

from __future__ import annotations

import re

import pytest

from jogg_pipeline.engine.narration.script import ProductFacts, write_script
from jogg_pipeline.engine.narration.script.sizing import (
    CHARS_PER_SECOND,
    LEAD_SECONDS,
    PAUSE_SECONDS,
    Budget,
)
from jogg_pipeline.wire.enums import SCRIPT_STYLES

SENTENCES = [
    "The Aeris air purifier cleans a 40 square metre room in under twelve minutes.",
    "Its three-stage filter traps pollen, pet hair and fine dust before they reach your lungs.",
    "A laser sensor checks the air every second and adjusts the fan on its own.",
    "At night it runs at 22 decibels, quieter than a whisper.",
    "The filter lasts a full year and changes in ten seconds without tools.",
    "You can follow the air quality on the colour ring at the top.",
    "The app shows a week of readings and reminds you when the filter is due.",
    "It weighs only 4 kg, so it moves easily from the bedroom to the living room.",
    "The shell is made from recycled plastic and the box from recycled card.",
    "Child lock keeps little hands from changing the settings.",
    "An auto mode chooses the right speed for you from morning to night.",
    "Aeris has designed air purifiers in Denmark since 2009.",
    "Every purifier is tested for 48 hours before it leaves the factory.",
    "Replacement filters cost less than a cup of coffee a month.",
]
PURIFIER = ProductFacts(
    name="Aeris Pure 300 Air Purifier",
    description=" ".join(SENTENCES),
    target_audience="allergy sufferers and pet owners",
    price="$189.00",
    brand="Aeris",
    availability="InStock",
)
JAPANESE = ProductFacts(
    name="Aeris Pure 300",
    # In kana: the offline voice reads kana only, so kanji sentences are left out.
    description=(
        "つめたい のみものを ながい じかん キープします。"
        "かたてで あけられる もれにくい フタです。"
        "さびにくい ステンレスで、においも うつりにくいです。"
        "ほとんどの くるまの カップホルダーに すっきり おさまります。"
        "ようりょうは たっぷり 750ミリリットルで、ながい ハイキングにも じゅうぶんです。"
    ),
    price="¥3,980",
    availability="InStock",
)


def words_allowed(seconds: float, words_per_minute: float, sentences: int) -> float:
    """The documented budget: the video's words, less the breath and the pauses."""
    rate = words_per_minute / 60
    return (seconds - LEAD_SECONDS) * rate - PAUSE_SECONDS * rate * (sentences - 1)


@pytest.mark.parametrize("seconds", [15.0, 30.0, 60.0])
def test_every_style_fits_its_budget_and_uses_most_of_it(seconds: float) -> None:
    for style in SCRIPT_STYLES:
        written = write_script(PURIFIER, style, "english", seconds, 150.0)
        words = len(written.text.split())
        assert words <= words_allowed(seconds, 150.0, len(written.sentences)), style
        assert words <= seconds * 150.0 / 60
        assert words >= 0.6 * seconds * 150.0 / 60, (style, words)


def test_a_longer_video_says_more_of_the_product() -> None:
    for style in SCRIPT_STYLES:
        short = write_script(PURIFIER, style, "english", 15.0)
        long = write_script(PURIFIER, style, "english", 60.0)
        said_short = [s for s in SENTENCES if s[1:] in short.text]
        said_long = [s for s in SENTENCES if s[1:] in long.text]
        assert len(said_long) >= len(said_short) + 3, style
        assert len(long.text.split()) > 2 * len(short.text.split())


def test_a_slower_voice_gets_fewer_words() -> None:
    fast = write_script(PURIFIER, "Discovery", "english", 30.0, 180.0)
    slow = write_script(PURIFIER, "Discovery", "english", 30.0, 110.0)
    assert len(slow.text.split()) <= words_allowed(30.0, 110.0, len(slow.sentences))
    assert len(slow.text.split()) < len(fast.text.split())


def test_sentences_are_never_cut() -> None:
    for style in SCRIPT_STYLES:
        text = write_script(PURIFIER, style, "english", 15.0).text
        for sentence in SENTENCES:
            start = sentence[1:30]  # past the first letter, which a frame may lower
            if start in text:
                assert sentence[1:] in text, (style, sentence)


def test_the_hook_and_the_call_to_action_stay_when_little_fits() -> None:
    written = write_script(PURIFIER, "Top 3 reasons", "english", 6.0)
    assert written.sentences == ("All that for $189.", "Get yours today.")  # no room for a hook
    assert written.notes == (
        "a 6-second video at 150 words a minute has room for only part of the script's "
        "opening and call to action",
    )
    written = write_script(PURIFIER, "Top 3 reasons", "english", 7.0)
    assert written.sentences == (
        "Here's why Aeris Pure 300 Air Purifier deserves a look.",
        "Get yours today.",
    )
    assert len(written.text.split()) <= words_allowed(7.0, 150.0, len(written.sentences))


def test_japanese_is_measured_in_characters() -> None:
    assert CHARS_PER_SECOND["japanese"] == 5.5
    for style in SCRIPT_STYLES:
        for seconds in (15.0, 30.0):
            written = write_script(JAPANESE, style, "japanese", seconds)
            characters = sum(ch.isalnum() for ch in written.text)
            rate = 5.5
            allowed = (seconds - LEAD_SECONDS) * rate - PAUSE_SECONDS * rate * (
                len(written.sentences) - 1
            )
            assert characters <= allowed, (style, seconds, written.text)
            assert characters >= 0.5 * seconds * rate, (style, seconds, written.text)
            assert re.search(r"[\u3040-\u30ff]", written.text)  # kana: written in Japanese


def test_the_budget_counts_pauses_and_numbers() -> None:
    budget = Budget(15.0, 150.0, "english")
    assert budget.words_allowed(1) == pytest.approx((15.0 - LEAD_SECONDS) * 2.5)
    assert budget.words_allowed(5) == pytest.approx((15.0 - LEAD_SECONDS) * 2.5 - 4 * 0.75)
    assert budget.units("It costs 2,433 rupees.") == 5  # a four-digit number is two words
    assert budget.fits(["word " * 36])
    assert not budget.fits(["word " * 37])
    assert not budget.fits(["word " * 18 + ".", "word " * 18 + "."])  # the pause between
    japanese = Budget(15.0, 150.0, "japanese")
    assert japanese.units("今日は、いい天気です。") == 9  # not the comma or the full stop
    assert Budget(15.0, 300.0, "japanese").rate == 2 * japanese.rate
