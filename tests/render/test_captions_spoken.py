"""Captions of the narration: phrases from word timings, their WebVTT file, and where they go."""

from __future__ import annotations

import itertools

import pytest

from jogg_pipeline.engine.render import QUALITIES, VISUAL_STYLES
from jogg_pipeline.engine.render.captions import SpokenWord, phrases_of, webvtt
from jogg_pipeline.engine.render.layout import make_layout, safe_area
from jogg_pipeline.engine.render.spec import frame_size


def words(text: str, start: float = 0.5, step: float = 0.3) -> list[SpokenWord]:
    return [
        SpokenWord(word, start + index * step, start + index * step + step * 0.8)
        for index, word in enumerate(text.split())
    ]


def test_phrases_break_at_punctuation_pauses_and_length() -> None:
    spoken = words("Meet the lamp. It glows warm, all night long and it never gets hot at all")
    spoken.append(SpokenWord("Order", spoken[-1].end + 1.0, spoken[-1].end + 1.3))
    phrases = phrases_of(spoken, end_limit=30.0)
    texts = [phrase.text for phrase in phrases]
    assert texts[0] == "Meet the lamp."  # a sentence ends a phrase
    assert texts[1] == "It glows warm,"  # so does a comma
    assert texts[-1] == "Order"  # a pause of a second starts a new phrase
    assert all(len(phrase.words) <= 7 and len(phrase.text) <= 40 for phrase in phrases)
    assert [w for phrase in phrases for w in phrase.words] == spoken  # every word, in order
    for before, after in itertools.pairwise(phrases):
        assert before.end <= after.start  # one phrase at a time


def test_a_phrase_highlights_the_word_being_spoken() -> None:
    phrase = phrases_of(words("warm light anywhere"), end_limit=10.0)[0]
    assert phrase.current(0.0) is None
    assert phrase.current(0.5) == 0
    assert phrase.current(0.85) == 1
    assert phrase.current(5.0) == 2
    assert phrase.end == pytest.approx(phrase.words[-1].end + 0.6)


def test_phrases_never_outlast_the_video() -> None:
    phrase = phrases_of(words("the end"), end_limit=1.0)[-1]
    assert phrase.end <= 1.0 or phrase.end == phrase.words[-1].end


def test_webvtt_has_a_cue_per_phrase_with_word_timestamps() -> None:
    phrases = phrases_of(words("Hello there. <Tom> & Jerry --> go"), end_limit=30.0)
    text = webvtt(phrases, "english")
    lines = text.splitlines()
    assert lines[0] == "WEBVTT"
    assert "00:00:00.500 --> 00:00:01.100" in lines
    assert "Hello <00:00:00.800>there." in lines
    assert "&lt;Tom&gt; <00:00:01.400>&amp; <00:00:01.700>Jerry <00:00:02.000>--&gt; " in text
    assert text.count(" --> ") == len(phrases)


@pytest.mark.parametrize("style", list(VISUAL_STYLES))
@pytest.mark.parametrize("aspect", [0, 1, 2])
def test_captions_and_names_stay_in_the_safe_area(style: str, aspect: int) -> None:
    width, height = frame_size(aspect, QUALITIES["full"])
    layout = make_layout(style, width, height)
    safe = safe_area(width, height)
    for box in (layout.caption_box, layout.name_box):
        assert box.x >= safe.x and box.right <= safe.right, (style, box, safe)
        assert box.y >= safe.y and box.bottom <= safe.bottom, (style, box, safe)
    presenter = layout.presenter_box
    if presenter is not None:
        assert presenter.x >= 0 and presenter.right <= width and presenter.bottom <= height
