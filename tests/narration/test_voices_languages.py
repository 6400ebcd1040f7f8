"""Narrations in other languages are spoken by that language's espeak-ng voice, natively (no
switch to another language's rules), and a language without a voice by its documented
fallback."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.espeak import EVENT_PHONEME
from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.voices import voice_for_video


@pytest.mark.parametrize(
    ("language", "text", "espeak_language", "words"),
    [
        (
            "japanese",
            "こんにちは。このかめらは、とてもかるいです。",
            "ja",
            None,
        ),
        (
            "spanish",
            "¡Hola! Esta cámara pesa sólo trescientos gramos.",
            "es",
            ["Hola", "Esta", "cámara", "pesa", "sólo", "trescientos", "gramos"],
        ),
        (
            "german",
            "Hallo! Diese Kamera wiegt nur dreihundert Gramm.",
            "de",
            ["Hallo", "Diese", "Kamera", "wiegt", "nur", "dreihundert", "Gramm"],
        ),
    ],
)
def test_each_language_is_spoken_by_its_own_voice(
    language: str, text: str, espeak_language: str, words: list[str] | None
) -> None:
    choice = voice_for_video(None, language, "female")
    assert choice.note is None and choice.voice.language == language
    spoken = espeak.synthesize(
        text,
        choice.voice.espeak_voice,
        rate=160,
        pitch=choice.voice.pitch,
        pitch_range=choice.voice.pitch_range,
    )
    assert spoken.language == espeak_language
    phonemes = [event.phoneme for event in spoken.events if event.kind == EVENT_PHONEME]
    assert not [p for p in phonemes if p.startswith("(")]  # no switch to another language
    speech = speak(text, choice.voice)
    if words is not None:
        assert [word.text for word in speech.words] == words
    assert "".join(word.text for word in speech.words) == "".join(
        char for char in text if char.isalnum()
    )


def test_japanese_in_another_voice_is_not_japanese() -> None:
    def phonemes(language: str) -> str:
        voice = voice_for_video(None, language, "female").voice
        spoken = espeak.synthesize(
            "こんにちは", voice.espeak_voice, rate=160, pitch=50, pitch_range=50
        )
        return "".join(event.phoneme for event in spoken.events if event.kind == EVENT_PHONEME)

    assert phonemes("japanese") == "kˌo̞nnitɕˈihä"
    assert phonemes("english").startswith("dʒˈæpəniːzlˌɛɾɚ")  # "Japanese letter", five times


def test_a_language_without_a_voice_is_spoken_by_its_fallback() -> None:
    choice = voice_for_video(None, "zulu", "female")
    assert choice.voice.voice_id == "local-sw-KE-female"
    assert choice.note == (
        "espeak-ng cannot speak Zulu: the narration uses the Swahili voice "
        "local-sw-KE-female, the nearest it has."
    )
    speech = speak("Sawubona! Lo mkhiqizo uhle kakhulu.", choice.voice)
    assert [word.text for word in speech.words] == [
        "Sawubona",
        "Lo",
        "mkhiqizo",
        "uhle",
        "kakhulu",
    ]
