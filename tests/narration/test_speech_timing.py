"""When words and mouth shapes happen: sound where the words are and silence in the pauses,
the pace asked for, word timings in order and inside the audio, char offsets that slice the
script to each word, and visemes covering the narration."""

from __future__ import annotations

import itertools
import unicodedata

import numpy as np
import pytest

from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.timing import VISEME_SHAPES, Speech
from jogg_pipeline.engine.narration.voices import resolve_voice

PARAGRAPH = (
    "Meet the new Aurora bottle. It keeps your drinks cold for a whole day, and it fits in "
    "every bag. The double wall is made of steel, so nothing leaks and nothing sweats. "
    "Order yours today and enjoy free shipping on your first purchase."
)
TRICKY = (
    "“Wow” — it's 50% off: $29.99 (today only)! The state-of-the-art U.S.A. e-mail "
    "desk answers 1,299 questions a day… Ask now."
)
FEMALE = resolve_voice(None, "english", "female")
MALE = resolve_voice(None, "english", "male")


@pytest.fixture(scope="module")
def paragraph() -> Speech:
    return speak(PARAGRAPH, FEMALE)


def frame_levels(speech: Speech, frame: float = 0.01) -> np.ndarray:
    """RMS of each `frame`-second frame, in dB under the narration's peak."""
    size = round(frame * speech.sample_rate)
    count = len(speech.samples) // size
    frames = speech.samples[: count * size].astype(np.float64).reshape(count, size)
    rms = np.sqrt((frames**2).mean(axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-12) / np.abs(speech.samples).max())


def assert_well_timed(speech: Speech) -> None:
    assert speech.words, "no words timed"
    previous_end, previous_char = 0.0, 0
    for word in speech.words:
        assert 0 <= word.start <= word.end <= speech.duration, word
        assert word.start >= previous_end - 1e-9, word  # in order, not overlapping
        assert speech.text[word.char_start : word.char_end] == word.text, word
        assert word.text.strip() == word.text and word.text, word
        assert word.char_start >= previous_char, word
        previous_end, previous_char = word.end, word.char_end


def test_sound_where_the_words_are_and_silence_in_the_pauses(paragraph: Speech) -> None:
    levels = frame_levels(paragraph)
    times = (np.arange(len(levels)) + 0.5) * 0.01
    for word in paragraph.words:
        inside = levels[(times > word.start) & (times < word.end)]
        # A stop consonant closes the mouth for a moment; the word is heard around it.
        assert inside.max() > -20 and np.mean(inside > -40) > 0.5, (word, inside.round())
    pauses = [
        (before.end, after.start)
        for before, after in itertools.pairwise(paragraph.words)
        if after.start - before.end > 0.25
    ]
    assert len(pauses) >= 3  # between the four sentences at least
    for start, end in pauses:
        # The voice's own short echo dies away at the start of a pause; then it is silent.
        quiet = levels[(times > start + 0.04) & (times < end - 0.04)]
        assert quiet.max() < -40, (start, end, quiet.round())
        middle = levels[(times > (3 * start + end) / 4) & (times < (start + 3 * end) / 4)]
        assert middle.max() < -60, (start, end, middle.round())


@pytest.mark.parametrize("wpm", [130, 160, 190])
def test_the_duration_follows_the_pace(wpm: int) -> None:
    speech = speak(PARAGRAPH, MALE, words_per_minute=wpm)
    expected = len(PARAGRAPH.split()) * 60 / wpm
    assert len(speech.words) == len(PARAGRAPH.split())
    assert abs(speech.duration - expected) / expected < 0.15, (speech.duration, expected)


def test_words_are_in_order_inside_the_audio_and_slice_the_text(paragraph: Speech) -> None:
    assert_well_timed(paragraph)
    assert [word.text for word in paragraph.words] == [
        word.strip(".,") for word in PARAGRAPH.split()
    ]
    assert paragraph.words[0].start < 0.1
    assert paragraph.duration - paragraph.words[-1].end < 0.35  # the voice's echo dies away


def test_symbols_numbers_and_dashes_make_the_words_a_caption_shows() -> None:
    speech = speak(TRICKY, FEMALE)
    assert_well_timed(speech)
    assert [word.text for word in speech.words] == [
        "Wow",
        "it's",
        "50%",
        "off",
        "$29.99",
        "today",
        "only",
        "The",
        "state-of-the-art",
        "U.S.A",
        "e-mail",
        "desk",
        "answers",
        "1,299",
        "questions",
        "a",
        "day",
        "Ask",
        "now",
    ]
    price = next(word for word in speech.words if word.text == "$29.99")
    assert price.end - price.start > 1.0  # "twenty nine dollars and ninety nine cents"


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("chinese", "你好！这个声音很好。", ["你好", "这个", "声", "音", "很好"]),
        ("thai", "สวัสดี! นี่คือเสียงที่จะนำเสนอสินค้าของคุณ", None),
        ("japanese", "こんにちは。このかめらは、とてもかるいです。", None),
        ("hindi", "नमस्ते! यह वह आवाज़ है।", ["नमस्ते", "यह", "वह", "आवाज़", "है"]),
    ],
)
def test_scripts_without_spaces_or_with_marks_are_timed_too(
    language: str, text: str, words: list[str] | None
) -> None:
    speech = speak(text, resolve_voice(None, language, "male"))
    assert_well_timed(speech)
    if words is not None:
        assert [word.text for word in speech.words] == words
    # Every letter, digit and mark belongs to a word.
    covered = {i for word in speech.words for i in range(word.char_start, word.char_end)}
    letters = {i for i, char in enumerate(text) if unicodedata.category(char)[0] in "LNM"}
    assert letters <= covered


def test_visemes_cover_the_narration_without_gaps(paragraph: Speech) -> None:
    visemes = paragraph.visemes
    assert visemes[0].start == 0 and visemes[-1].end == pytest.approx(paragraph.duration)
    for before, after in itertools.pairwise(visemes):
        assert before.end == after.start and before.shape != after.shape
    assert all(v.start < v.end and v.shape in VISEME_SHAPES for v in visemes)
    assert {v.shape for v in visemes} == set(VISEME_SHAPES)
    # The mouth rests in the pauses between sentences.
    for before, after in itertools.pairwise(paragraph.words):
        if after.start - before.end > 0.25:
            middle = (before.end + after.start) / 2
            shape = next(v.shape for v in visemes if v.start <= middle < v.end)
            assert shape == "rest"


def shapes_during(speech: Speech, start: float, end: float) -> set[str]:
    return {v.shape for v in speech.visemes if v.start < end and v.end > start}


def test_lips_close_for_p_b_and_m_and_only_there() -> None:
    lips = speak("Buy a bamboo pump, mom.", FEMALE)
    for word in lips.words:
        if word.text != "a":
            assert "closed" in shapes_during(lips, word.start, word.end), word
    open_mouth = speak("See the sea at noon.", FEMALE)
    assert "closed" not in {v.shape for v in open_mouth.visemes}
    assert "round" in shapes_during(open_mouth, *_span(open_mouth, "noon"))
    assert "wide" in shapes_during(open_mouth, *_span(open_mouth, "See"))
    teeth = speak("Five fine vans.", MALE)
    for word in teeth.words:
        assert "teeth" in shapes_during(teeth, word.start, word.end)


def _span(speech: Speech, text: str) -> tuple[float, float]:
    word = next(word for word in speech.words if word.text == text)
    return word.start, word.end


def test_nothing_to_say_is_an_empty_narration() -> None:
    for text in ("", "   ", "—"):
        speech = speak(text, FEMALE)
        assert (len(speech.samples), speech.words, speech.visemes) == (0, (), ())
        assert speech.duration == 0
