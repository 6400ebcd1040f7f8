"""The local voice catalogue: a female and a male espeak-ng voice for every API language it speaks.

Each voice is an espeak-ng language voice with one of its variants (the variant shapes the
timbre: pitch, formants, breathiness) and the pitch, pitch range and pace that measured best
for that gender (see `benchmarks/speech.py --voices`). Voice ids read `local-<locale>-<gender>`.

Ids of the cloud catalogue ("en-US-ChristopherNeural") are mapped to the nearest local voice:
the language from the id's locale (or its language prefix), the gender from the name.
Four API languages have no espeak-ng voice; they are spoken by the voice of the nearest
language espeak-ng has (`FALLBACK_LANGUAGES`), and a narration's voice choice says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jogg_pipeline.wire.enums import LANGUAGES

GENDERS = ("female", "male")


@dataclass(frozen=True)
class LocalVoice:
    """One offline voice: who it is on the wire and how espeak-ng speaks it."""

    voice_id: str  # local-<locale>-<gender>
    language: str  # the wire language, such as "spanish"
    locale: str  # such as "es-ES"
    gender: str  # "female" or "male"
    espeak: str  # espeak-ng's language voice, such as "es"
    variant: str  # espeak-ng's voice variant, such as "f3"
    pitch: int  # espeakPITCH, 0-100 (50 is the variant's own)
    pitch_range: int  # espeakRANGE, 0-100 (50 is the variant's own)

    @property
    def espeak_voice(self) -> str:
        """The name espeak_SetVoiceByName takes: voice and variant."""
        return f"{self.espeak}+{self.variant}"

    @property
    def language_name(self) -> str:
        return LANGUAGES[self.language]


# Wire language -> (locale, espeak-ng language voice), for every API language espeak-ng speaks.
VOICE_LANGUAGES: dict[str, tuple[str, str]] = {
    "english": ("en-US", "en-us"),
    "french": ("fr-FR", "fr"),
    "german": ("de-DE", "de"),
    "hindi": ("hi-IN", "hi"),
    "indonesian": ("id-ID", "id"),
    "italian": ("it-IT", "it"),
    "japanese": ("ja-JP", "ja"),
    "korean": ("ko-KR", "ko"),
    "malay": ("ms-MY", "ms"),
    "portuguese": ("pt-BR", "pt-br"),
    "russian": ("ru-RU", "ru"),
    "spanish": ("es-ES", "es"),
    "thai": ("th-TH", "th"),
    "vietnamese": ("vi-VN", "vi"),
    "arabic": ("ar-SA", "ar"),
    "greek": ("el-GR", "el"),
    "turkish": ("tr-TR", "tr"),
    "slovenian": ("sl-SI", "sl"),
    "croatian": ("hr-HR", "hr"),
    "romanian": ("ro-RO", "ro"),
    "chinese": ("zh-CN", "cmn"),
    "bengali": ("bn-IN", "bn"),
    "urdu": ("ur-PK", "ur"),
    "hungarian": ("hu-HU", "hu"),
    "traditional-chinese": ("zh-TW", "cmn"),  # Mandarin; espeak reads both character sets
    "polish": ("pl-PL", "pl"),
    "cantonese": ("zh-HK", "yue"),
    "danish": ("da-DK", "da"),
    "malayalam": ("ml-IN", "ml"),
    "tamil": ("ta-IN", "ta"),
    "telugu": ("te-IN", "te"),
    "czech": ("cs-CZ", "cs"),
    "hebrew": ("he-IL", "he"),
    "swedish": ("sv-SE", "sv"),
    "lithuanian": ("lt-LT", "lt"),
    "dutch": ("nl-NL", "nl"),
    "flemish": ("nl-BE", "nl"),  # written Dutch; espeak-ng has one Dutch voice
    "norwegian": ("nb-NO", "nb"),
    "finnish": ("fi-FI", "fi"),
    "bulgarian": ("bg-BG", "bg"),
    "latvian": ("lv-LV", "lv"),
    "ukrainian": ("uk-UA", "uk"),
    "persian": ("fa-IR", "fa"),
    "odia": ("or-IN", "or"),
    "assamese": ("as-IN", "as"),
    "kannada": ("kn-IN", "kn"),
    "amharic": ("am-ET", "am"),
    "serbian": ("sr-RS", "sr"),
    "slovak": ("sk-SK", "sk"),
    "swahili": ("sw-KE", "sw"),
}

# API languages espeak-ng does not speak -> the language whose voice reads them best: the same
# orthography and vowel system (Bantu for Zulu, Austronesian for Filipino, Cyrillic for Mongolian).
FALLBACK_LANGUAGES: dict[str, str] = {
    "filipino": "indonesian",
    "tagalog": "indonesian",
    "zulu": "swahili",
    "mongolian": "russian",
}
DEFAULT_LANGUAGE = "english"  # for a language the API does not know at all

# Locales and language prefixes of cloud voice ids -> wire language. Full locales first, for
# languages that share a prefix (nl-BE is Flemish, zh-TW Traditional Chinese, zh-HK Cantonese).
_LOCALE_LANGUAGES: dict[str, str] = {
    locale.lower(): language for language, (locale, _) in VOICE_LANGUAGES.items()
}
_PREFIX_LANGUAGES: dict[str, str] = {
    "fil": "filipino",
    "tl": "tagalog",
    "zu": "zulu",
    "mn": "mongolian",
    "no": "norwegian",
    "yue": "cantonese",
    "zh": "chinese",
    "nl": "dutch",
}
for _language, (_locale, _) in VOICE_LANGUAGES.items():
    _PREFIX_LANGUAGES.setdefault(_locale.split("-")[0].lower(), _language)

# Per gender: the espeak-ng variant, pitch and range, chosen by ear-proxy on English narration
# (`python benchmarks/speech.py --voices` prints the measures). The variant whose long-term
# spectrum is nearest natural speech's (presence band 2-5 kHz about 7 % of the energy, little
# buzz above 4 kHz) and whose voicing is cleanest; then the pitch and range that put its median
# fundamental at a narrator's (about 200 Hz for a woman, 115 Hz for a man) and its intonation
# at a lively read's spread (about 3 semitones; espeak's own is a monotonous 1.5-2).
# Measured at 160 words a minute: female f2 193 Hz, 3.0 st; male m6 111 Hz, 2.7 st.
_GENDER_VOICES: dict[str, tuple[str, int, int]] = {
    "female": ("f2", 40, 80),
    "male": ("m6", 50, 90),
}
# Tonal languages keep the variant's own range: their tones are pitch movements.
_TONAL = {"chinese", "traditional-chinese", "cantonese", "thai", "vietnamese"}

# First names of common cloud (Azure neural) voices, for the gender a voice id implies.
_MALE_VOICE_NAMES = """
Christopher Guy Eric Roger Steffan Andrew Brian Davis Jason Tony Brandon Ryan Thomas Alvaro
Jorge Henri Conrad Killian Diego Antonio Keita Yunxi Yunjian Madhur Maarten Liam William Daniel
Prabhat Alfie Elliot Ethan Oliver Noah
"""
_FEMALE_VOICE_NAMES = """
Jenny Aria Ana Michelle Ashley Cora Elizabeth Emma Amber Monica Sara Nancy Jane Ava Libby Sonia
Natasha Elvira Dalia Denise Eloise Katja Amala Elsa Isabella Francisca Nanami Xiaoxiao Xiaoyi
Swara Fenna Clara Olivia Sophie Hazel Mia
"""
_CLOUD_VOICE_GENDERS: dict[str, str] = {
    **{name.lower(): "male" for name in _MALE_VOICE_NAMES.split()},
    **{name.lower(): "female" for name in _FEMALE_VOICE_NAMES.split()},
}


def _voice(language: str, gender: str) -> LocalVoice:
    locale, espeak = VOICE_LANGUAGES[language]
    variant, pitch, pitch_range = _GENDER_VOICES[gender]
    if language in _TONAL:
        pitch_range = 50
    return LocalVoice(
        voice_id=f"local-{locale}-{gender}",
        language=language,
        locale=locale,
        gender=gender,
        espeak=espeak,
        variant=variant,
        pitch=pitch,
        pitch_range=pitch_range,
    )


@cache
def local_voices() -> tuple[LocalVoice, ...]:
    """Every local voice, in the API's language order, female first."""
    return tuple(
        _voice(language, gender)
        for language in LANGUAGES
        if language in VOICE_LANGUAGES
        for gender in GENDERS
    )


def voice_gender_hint(voice_id: str) -> str | None:
    """The gender a (local or cloud) voice id implies, if it says."""
    lowered = voice_id.lower()
    for gender in ("female", "male"):
        if re.search(rf"(^|[^a-z]){gender}([^a-z]|$)", lowered):
            return gender
    match = re.match(r"^[a-z]{2,3}-[a-z]{2,4}-([a-z]+?)(?:multilingual)?neural", lowered)
    if match:
        return _CLOUD_VOICE_GENDERS.get(match.group(1))
    return None


def voice_language(voice_id: str) -> str | None:
    """The wire language a voice id's locale or language prefix names, if any."""
    lowered = voice_id.lower()
    if lowered.startswith("local-"):
        lowered = lowered.removeprefix("local-")
    parts = lowered.split("-")
    return _LOCALE_LANGUAGES.get("-".join(parts[:2])) or _PREFIX_LANGUAGES.get(parts[0])


def spoken_language(language: str) -> str:
    """The language a narration in `language` is spoken in: itself, or its nearest fallback."""
    if language in VOICE_LANGUAGES:
        return language
    return FALLBACK_LANGUAGES.get(language, DEFAULT_LANGUAGE)


def _pick(language: str, gender: str | None) -> LocalVoice:
    candidates = [voice for voice in local_voices() if voice.language == language]
    for voice in candidates:
        if voice.gender == gender:
            return voice
    return candidates[0]


def resolve_voice(voice_id: str | None, language: str, gender_hint: str | None) -> LocalVoice:
    """The local voice `voice_id` names, or the nearest one: same language, same gender.

    The id's locale or prefix gives the language (the video's `language` when it names none);
    a language without a voice of its own is spoken by its fallback's. Without a gender in
    the id, `gender_hint` decides; without either, the female voice.
    """
    if voice_id:
        for voice in local_voices():
            if voice.voice_id.lower() == voice_id.lower():
                return voice
        language = voice_language(voice_id) or language
        gender_hint = voice_gender_hint(voice_id) or gender_hint
    return _pick(spoken_language(language), gender_hint)


@dataclass(frozen=True)
class VoiceChoice:
    """The voice a narration is spoken with, and a sentence when it is not the one asked for."""

    voice: LocalVoice
    note: str | None


def voice_for_video(voice_id: str | None, language: str, gender_hint: str | None) -> VoiceChoice:
    """The voice that narrates a video in `language`, asked for as `voice_id`.

    A voice of another language than the video's is replaced by the voice of the video's
    language with the same gender; a language espeak-ng cannot speak is spoken by its
    fallback's voice (`FALLBACK_LANGUAGES`). The note says which happened.
    """
    asked = resolve_voice(voice_id, language, gender_hint)
    spoken = spoken_language(language)
    voice = asked if asked.language == spoken else _pick(spoken, asked.gender)
    video = LANGUAGES.get(language, language)
    unspoken = language != spoken
    other_voice = asked.language != spoken and voice_id
    if unspoken and other_voice:
        note = (
            f"espeak-ng cannot speak {video} and voice {voice_id} speaks "
            f"{asked.language_name}: the narration uses the {voice.language_name} voice "
            f"{voice.voice_id}, the nearest it has."
        )
    elif unspoken:
        note = (
            f"espeak-ng cannot speak {video}: the narration uses the {voice.language_name} "
            f"voice {voice.voice_id}, the nearest it has."
        )
    elif other_voice:
        note = (
            f"Voice {voice_id} speaks {asked.language_name}, not the video's {video}: "
            f"the narration uses {voice.voice_id} instead."
        )
    else:
        note = None
    return VoiceChoice(voice, note)
