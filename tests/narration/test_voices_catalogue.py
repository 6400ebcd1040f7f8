"""The local voice catalogue: two voices for every API language espeak-ng speaks, fallbacks for
the others, cloud voice ids mapped as before, and a sentence when a narration's voice is not
the one asked for."""

from __future__ import annotations

import re

import pytest

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.voices import (
    FALLBACK_LANGUAGES,
    VOICE_LANGUAGES,
    local_voices,
    resolve_voice,
    voice_for_video,
    voice_gender_hint,
)
from jogg_pipeline.wire.enums import LANGUAGES


def test_every_api_language_has_two_voices_or_a_fallback() -> None:
    voices = local_voices()
    assert set(VOICE_LANGUAGES) | set(FALLBACK_LANGUAGES) == set(LANGUAGES)
    assert not set(VOICE_LANGUAGES) & set(FALLBACK_LANGUAGES)
    for language in VOICE_LANGUAGES:
        assert sorted(v.gender for v in voices if v.language == language) == ["female", "male"]
    for language, fallback in FALLBACK_LANGUAGES.items():
        assert fallback in VOICE_LANGUAGES and not any(v.language == language for v in voices)
    ids = [voice.voice_id for voice in voices]
    assert len(ids) == len(set(ids)) == 2 * len(VOICE_LANGUAGES)
    assert all(re.fullmatch(r"local-[a-z]{2}-[A-Z]{2}-(female|male)", i) for i in ids)
    # The ids the catalogue had before keep their meaning.
    for locale in ("en-US", "es-ES", "fr-FR", "de-DE", "it-IT", "pt-BR", "nl-NL", "ja-JP"):
        assert {f"local-{locale}-female", f"local-{locale}-male"} <= set(ids)
    assert {"local-zh-CN-female", "local-hi-IN-male"} <= set(ids)


def test_every_voice_is_one_espeak_speaks_in_its_language() -> None:
    for voice in local_voices():
        spoken = espeak.synthesize(
            "a", voice.espeak_voice, rate=160, pitch=voice.pitch, pitch_range=voice.pitch_range
        )
        assert spoken.language.split("-")[0] == voice.espeak.split("-")[0], voice
        assert voice.locale.split("-")[0] in (spoken.language.split("-")[0], "zh"), voice


@pytest.mark.parametrize(
    ("voice_id", "language", "expected"),
    [
        # The expectations the catalogue's own tests had.
        ("en-US-ChristopherNeural", "english", "local-en-US-male"),
        ("en-GB-SoniaNeural", "english", "local-en-US-female"),
        ("fr-FR-HenriNeural", "english", "local-fr-FR-male"),
        ("de-DE-KatjaNeural", "german", "local-de-DE-female"),
        ("es-MX-JorgeMultilingualNeural", "english", "local-es-ES-male"),
        ("local-ja-JP-female", "english", "local-ja-JP-female"),
        (None, "italian", "local-it-IT-female"),
        ("voice-9921", "german", "local-de-DE-female"),
        # Swahili has voices of its own now (it fell back to English before).
        ("sw-KE-ZuriNeural", "swahili", "local-sw-KE-female"),
        # Locales that share a prefix, and languages without a voice.
        ("nl-BE-ArnaudNeural", "english", "local-nl-BE-female"),
        ("nl-NL-MaartenNeural", "flemish", "local-nl-NL-male"),
        ("zh-TW-HsiaoChenNeural", "chinese", "local-zh-TW-female"),
        ("zh-HK-HiuMaanNeural", "chinese", "local-zh-HK-female"),
        ("zh-CN-YunxiNeural", "cantonese", "local-zh-CN-male"),
        ("zu-ZA-ThembaNeural", "english", "local-sw-KE-female"),
        ("fil-PH-BlessicaNeural", "filipino", "local-id-ID-female"),
        (None, "mongolian", "local-ru-RU-female"),
        (None, "klingon", "local-en-US-female"),
    ],
)
def test_cloud_voice_ids_map_by_locale_and_gender(
    voice_id: str | None, language: str, expected: str
) -> None:
    assert resolve_voice(voice_id, language, gender_hint="female").voice_id == expected


def test_the_gender_comes_from_the_id_then_the_hint() -> None:
    assert voice_gender_hint("local-en-US-male") == "male"
    assert voice_gender_hint("en-US-JennyNeural") == "female"
    assert voice_gender_hint("en-US-AndrewMultilingualNeural") == "male"
    assert voice_gender_hint("en-US-NoSuchNameNeural") is None
    assert voice_gender_hint("voice-9921") is None
    assert resolve_voice("en-US-NoSuchNameNeural", "english", "male").gender == "male"
    assert resolve_voice(None, "english", None).gender == "female"


@pytest.mark.parametrize(
    ("voice_id", "language", "hint", "expected", "note"),
    [
        ("es-ES-AlvaroNeural", "spanish", None, "local-es-ES-male", None),
        (None, "german", "male", "local-de-DE-male", None),
        (
            "fr-FR-HenriNeural",
            "english",
            None,
            "local-en-US-male",
            "Voice fr-FR-HenriNeural speaks French, not the video's English: "
            "the narration uses local-en-US-male instead.",
        ),
        (
            "local-ja-JP-female",
            "spanish",
            "male",
            "local-es-ES-female",
            "Voice local-ja-JP-female speaks Japanese, not the video's Spanish: "
            "the narration uses local-es-ES-female instead.",
        ),
        (
            None,
            "zulu",
            "male",
            "local-sw-KE-male",
            "espeak-ng cannot speak Zulu: the narration uses the Swahili voice "
            "local-sw-KE-male, the nearest it has.",
        ),
        (
            "en-US-GuyNeural",
            "tagalog",
            None,
            "local-id-ID-male",
            "espeak-ng cannot speak Tagalog and voice en-US-GuyNeural speaks English: "
            "the narration uses the Indonesian voice local-id-ID-male, the nearest it has.",
        ),
    ],
)
def test_a_narration_speaks_the_videos_language_and_says_when_it_swaps(
    voice_id: str | None, language: str, hint: str | None, expected: str, note: str | None
) -> None:
    choice = voice_for_video(voice_id, language, hint)
    assert (choice.voice.voice_id, choice.note) == (expected, note)
