"""The local catalogue: avatars, voices, visual styles, templates and music of this engine.

Everything listed here is this engine's own, offline: presenters are figures drawn by the
renderer, voices are espeak-ng's (a female and a male one per language it speaks), music beds
are synthesized. Ids of the cloud catalogue (an avatar such as 127, a voice such as
"en-US-ChristopherNeural", a style such as "Simple Product Switch") are accepted and mapped to
the nearest local entry, and the project says which; the lists say which ids exist here.
Voice and music auditions are made on first request and kept under the files folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jogg_pipeline.engine.narration.voices import (
    LocalVoice,
    local_voices,
    resolve_voice,
    voice_gender_hint,
)
from jogg_pipeline.wire.models import Avatar, Music, Template, VisualStyle, Voice

__all__ = ["LocalVoice", "local_voices", "resolve_voice", "voice_gender_hint"]

# In the voice list's vocabulary (young, middle_aged, old): every local voice is an adult's.
VOICE_AGE = "middle_aged"
AUDITIONS = "catalog/auditions"  # under the files folder
MUSIC_AUDITION_SECONDS = 20


def voice_audition_path(voice: LocalVoice) -> str:
    """The files-relative path of a voice's audition clip."""
    return f"{AUDITIONS}/voice-{voice.voice_id}.mp3"


def music_audition_path(music_id: int) -> str:
    return f"{AUDITIONS}/music-{music_id}.mp3"


def wire_voice(voice: LocalVoice, audition_url: str) -> Voice:
    language = voice.language_name
    return Voice(
        voice_id=voice.voice_id,
        name=f"{language} {voice.gender} ({voice.locale}, local)",
        audition_url=audition_url,
        language=voice.language,
        gender=voice.gender,
        age=VOICE_AGE,
        description=(
            f"Offline {voice.gender} voice for {language} (espeak-ng "
            f"{voice.espeak_voice}); it narrates this engine's videos."
        ),
    )


@dataclass(frozen=True)
class LocalAvatar:
    avatar_id: int
    name: str
    gender: str
    age: str
    style: str
    color: str
    aspect_ratios: tuple[int, ...]

    @property
    def cover_path(self) -> str:
        """The files-relative path of the avatar's drawn cover image."""
        return f"catalog/avatar-{self.avatar_id}-v2.png"

    def wire(self, cover_url: str) -> Avatar:
        return Avatar(
            avatar_id=self.avatar_id,
            name=self.name,
            cover_url=cover_url,
            aspect_ratio=self.aspect_ratios[0],
            style=self.style,
            gender=self.gender,
            age=self.age,
            description=(
                f"Drawn {self.gender} presenter ({self.style}) who talks and blinks with the "
                "narration; shown by the visual styles with a presenter. Not photoreal."
            ),
        )


def _avatars() -> tuple[LocalAvatar, ...]:
    from jogg_pipeline.engine.render.presenter_looks import LOOKS

    return tuple(
        LocalAvatar(
            look.look_id,
            look.name,
            look.gender,
            look.age,
            look.style,
            look.color,
            look.aspect_ratios,
        )
        for look in LOOKS
    )


LOCAL_AVATARS: tuple[LocalAvatar, ...] = _avatars()


def resolve_avatar(avatar_id: int, gender_hint: str | None) -> LocalAvatar:
    """The local avatar `avatar_id` names, or the nearest one: the gender hint, else the first."""
    for avatar in LOCAL_AVATARS:
        if avatar.avatar_id == avatar_id:
            return avatar
    for avatar in LOCAL_AVATARS:
        if avatar.gender == gender_hint:
            return avatar
    return LOCAL_AVATARS[0]


def visual_styles(aspect_ratio: int | None = None) -> dict[str, str]:
    """Name -> description of the renderer's visual styles (those that fit an aspect ratio)."""
    from jogg_pipeline.engine.render.styles import STYLES

    return {
        name: info.description
        for name, info in STYLES.items()
        if aspect_ratio is None or aspect_ratio in info.aspect_ratios
    }


def visual_style_list(aspect_ratio: int | None = None) -> list[VisualStyle]:
    names = list(visual_styles())
    return [
        VisualStyle(id=names.index(name) + 1, name=name, description=description)
        for name, description in visual_styles(aspect_ratio).items()
    ]


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


def music_list(url_of: Callable[[str], str]) -> list[Music]:
    """The music library's beds; `url_of` makes a files-relative path a URL."""
    from jogg_pipeline.engine.render.music import catalogue_rows

    return [
        Music(
            id=music_id,
            name=f"{name} ({mood}, {bpm} bpm)",
            music_url=url_of(music_audition_path(music_id)),
            duration=MUSIC_AUDITION_SECONDS,
        )
        for music_id, name, mood, bpm, _ in catalogue_rows()
    ]
