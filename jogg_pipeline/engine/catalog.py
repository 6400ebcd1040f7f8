"""The local catalogue: avatars, voices, visual styles, templates and music of this engine.

Everything listed here is this engine's own, offline: presenters are drawn figures, voices are
one per language and gender. Ids of the cloud catalogue (an avatar such as 127, a voice such as
"en-US-ChristopherNeural") are accepted and mapped to the nearest local entry; the lists say
which ids exist here. The renderer does not narrate or place presenters in videos yet: a
project's warnings say so, and the descriptions below too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jogg_pipeline.api.models import Avatar, Music, Template, VisualStyle, Voice

GENDERS = ("female", "male")
# In the voice list's vocabulary (young, middle_aged, old): every local voice is an adult's.
VOICE_AGE = "middle_aged"


@dataclass(frozen=True)
class LocalVoice:
    voice_id: str
    language: str
    locale: str
    gender: str

    def wire(self) -> Voice:
        language = self.language.replace("-", " ").title()
        return Voice(
            voice_id=self.voice_id,
            name=f"{language} {self.gender} ({self.locale}, local)",
            audition_url="",
            language=self.language,
            gender=self.gender,
            age=VOICE_AGE,
            description=(
                f"Offline {self.gender} voice for {language}; this engine does not narrate "
                "videos yet (they are captioned), and has no audition recording."
            ),
        )


# Wire language -> the locale its local voices speak.
VOICE_LOCALES: dict[str, str] = {
    "english": "en-US",
    "spanish": "es-ES",
    "french": "fr-FR",
    "german": "de-DE",
    "italian": "it-IT",
    "portuguese": "pt-BR",
    "dutch": "nl-NL",
    "japanese": "ja-JP",
    "chinese": "zh-CN",
    "hindi": "hi-IN",
}

# ISO 639-1 prefix of a cloud voice id -> wire language.
_PREFIX_LANGUAGES: dict[str, str] = {
    locale.split("-")[0]: lang for lang, locale in VOICE_LOCALES.items()
}

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


@cache
def local_voices() -> tuple[LocalVoice, ...]:
    return tuple(
        LocalVoice(f"local-{locale}-{gender}", language, locale, gender)
        for language, locale in VOICE_LOCALES.items()
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


def resolve_voice(voice_id: str | None, language: str, gender_hint: str | None) -> LocalVoice:
    """The local voice `voice_id` names, or the nearest one: same language prefix, same gender.

    Without a voice id (or one of an unknown language), the video's language decides; a
    language without local voices falls back to English.
    """
    voices = local_voices()
    if voice_id:
        for voice in voices:
            if voice.voice_id.lower() == voice_id.lower():
                return voice
        prefix = voice_id.split("-")[0].lower()
        language = _PREFIX_LANGUAGES.get(prefix, language)
        gender_hint = voice_gender_hint(voice_id) or gender_hint
    if language not in VOICE_LOCALES:
        language = "english"
    candidates = [voice for voice in voices if voice.language == language]
    for voice in candidates:
        if voice.gender == gender_hint:
            return voice
    return candidates[0]


@dataclass(frozen=True)
class LocalAvatar:
    avatar_id: int
    name: str
    gender: str
    age: str
    style: str
    color: str

    @property
    def cover_path(self) -> str:
        """The files-relative path of the avatar's drawn cover image."""
        return f"catalog/avatar-{self.avatar_id}.png"

    def wire(self, cover_url: str) -> Avatar:
        return Avatar(
            avatar_id=self.avatar_id,
            name=self.name,
            cover_url=cover_url,
            aspect_ratio=0,
            style=self.style,
            gender=self.gender,
            age=self.age,
            description=(
                f"Drawn {self.gender} presenter figure ({self.style}); this engine does not "
                "place presenters in videos yet. Not a photoreal or talking-head avatar."
            ),
        )


LOCAL_AVATARS: tuple[LocalAvatar, ...] = (
    LocalAvatar(1, "Ava (drawn presenter)", "female", "adult", "professional", "#2f6fb0"),
    LocalAvatar(2, "Noah (drawn presenter)", "male", "adult", "professional", "#3a7d44"),
    LocalAvatar(3, "Mia (drawn presenter)", "female", "young_adult", "social", "#c0504d"),
    LocalAvatar(4, "Leo (drawn presenter)", "male", "young_adult", "social", "#8064a2"),
)


def resolve_avatar(avatar_id: int, gender_hint: str | None) -> LocalAvatar:
    """The local avatar `avatar_id` names, or the nearest one: the gender hint, else the first."""
    for avatar in LOCAL_AVATARS:
        if avatar.avatar_id == avatar_id:
            return avatar
    for avatar in LOCAL_AVATARS:
        if avatar.gender == gender_hint:
            return avatar
    return LOCAL_AVATARS[0]


def visual_styles() -> dict[str, str]:
    """Name -> description of the renderer's visual styles, in its order."""
    from jogg_pipeline.engine.render import VISUAL_STYLES

    return dict(VISUAL_STYLES)


def visual_style_list() -> list[VisualStyle]:
    return [
        VisualStyle(id=index, name=name, description=description)
        for index, (name, description) in enumerate(visual_styles().items(), start=1)
    ]


def find_visual_style(name: str) -> str | None:
    """The renderer's name for `name` (matched case-insensitively), or None."""
    for known in visual_styles():
        if known.lower() == name.strip().lower():
            return known
    return None


ASPECT_NAMES = {0: "portrait 9:16", 1: "landscape 16:9", 2: "square 1:1"}


def template_list() -> list[Template]:
    """One template per visual style and aspect ratio; id = style index * 3 + aspect ratio."""
    return [
        Template(
            id=index * 3 + aspect,
            name=f"{name}, {ASPECT_NAMES[aspect]}",
            aspect_ratio=aspect,
            visual_style=name,
        )
        for index, name in enumerate(visual_styles())
        for aspect in ASPECT_NAMES
    ]


def resolve_template(template_id: int, aspect_ratio: int) -> Template:
    """The local template `template_id` names, or the first one of the requested aspect ratio."""
    templates = template_list()
    for template in templates:
        if template.id == template_id:
            return template
    return next(template for template in templates if template.aspect_ratio == aspect_ratio)


def music_list() -> list[Music]:
    """The local engine has no music library yet; `music_id` is accepted and recorded."""
    return []
