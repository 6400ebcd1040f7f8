"""The local catalogue over the wire, and cloud ids mapped to the nearest local entry."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx
import pytest
from engine_support import InProcess, create_video_body, wait_for_project
from PIL import Image

from jogg_pipeline.engine import catalog
from jogg_pipeline.engine.projects import format_price
from jogg_pipeline.engine.render import VISUAL_STYLES
from jogg_pipeline.wire.enums import LANGUAGES
from jogg_pipeline.wire.models import (
    AvatarList,
    MusicList,
    TemplateList,
    VisualStyleList,
    VoiceList,
)

pytestmark = pytest.mark.anyio


async def data_of(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    body = (await client.get(path, params=params)).json()
    assert body["code"] == 0, body
    return dict(body["data"])


async def test_lists_have_the_openapi_shapes(inprocess: InProcess) -> None:
    client = inprocess.client
    styles = VisualStyleList.model_validate(await data_of(client, "/visual_styles"))
    assert [style.name for style in styles.visual_styles] == list(VISUAL_STYLES)
    assert "FullScreen" in VISUAL_STYLES

    templates = TemplateList.model_validate(await data_of(client, "/templates"))
    assert len(templates.templates) == 3 * len(VISUAL_STYLES)
    landscape = TemplateList.model_validate(await data_of(client, "/templates", aspect_ratio=1))
    assert {t.aspect_ratio for t in landscape.templates} == {1}

    avatars = AvatarList.model_validate(await data_of(client, "/avatars"))
    assert [a.avatar_id for a in avatars.avatars] == [a.avatar_id for a in catalog.LOCAL_AVATARS]
    cover = await client.get(avatars.avatars[0].cover_url)
    with Image.open(io.BytesIO(cover.content)) as image:
        assert image.size == (270, 480)
    women = AvatarList.model_validate(await data_of(client, "/avatars", gender="female"))
    assert women.avatars and {a.gender for a in women.avatars} == {"female"}

    voices = VoiceList.model_validate(await data_of(client, "/voices", page_size=100))
    assert voices.total == len(catalog.local_voices()) == len(voices.voices)
    assert {v.language for v in voices.voices} <= set(LANGUAGES)
    page = VoiceList.model_validate(await data_of(client, "/voices", page=2, page_size=3))
    assert [v.voice_id for v in page.voices] == [v.voice_id for v in voices.voices[3:6]]
    french = VoiceList.model_validate(await data_of(client, "/voices", language="french"))
    assert french.total == 2 and {v.gender for v in french.voices} == {"female", "male"}
    adults = VoiceList.model_validate(await data_of(client, "/voices", age="middle_aged"))
    assert adults.total == voices.total
    assert (await data_of(client, "/voices", age="young"))["total"] == 0

    musics = MusicList.model_validate(await data_of(client, "/musics")).musics
    assert [m.id for m in musics] == [1, 2, 3, 4, 5, 6, 7]
    assert musics[1].name == "Upbeat pop (bright, 118 bpm)" and musics[1].duration == 20
    clip = await client.get(musics[1].music_url)
    assert clip.status_code == 200 and clip.headers["content-type"] == "audio/mpeg"
    assert audio_seconds(clip.content) == pytest.approx(20, abs=0.2)
    again = await client.get(musics[1].music_url)  # made once, then served as a file
    assert again.content == clip.content
    spoken = await client.get(french.voices[0].audition_url)
    assert spoken.status_code == 200 and 1.0 < audio_seconds(spoken.content) < 10
    missing = await client.get(musics[1].music_url.replace("music-2", "music-99"))
    assert (missing.status_code, missing.json()["code"]) == (404, 10104)


async def test_visual_styles_are_listed_per_aspect_ratio(inprocess: InProcess) -> None:
    for aspect in (0, 1, 2):
        listed = await data_of(inprocess.client, "/visual_styles", aspect_ratio=aspect)
        names = [style["name"] for style in listed["visual_styles"]]
        assert names == list(VISUAL_STYLES) and len(names) >= 5


def audio_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
        return samples / container.streams.audio[0].rate


@pytest.mark.parametrize(
    ("voice_id", "language", "expected"),
    [
        ("en-US-ChristopherNeural", "english", "local-en-US-male"),
        ("en-GB-SoniaNeural", "english", "local-en-US-female"),
        ("fr-FR-HenriNeural", "english", "local-fr-FR-male"),
        ("de-DE-KatjaNeural", "german", "local-de-DE-female"),
        ("es-MX-JorgeMultilingualNeural", "english", "local-es-ES-male"),
        ("local-ja-JP-female", "english", "local-ja-JP-female"),
        ("sw-KE-ZuriNeural", "swahili", "local-sw-KE-female"),
        (None, "italian", "local-it-IT-female"),
        ("voice-9921", "german", "local-de-DE-female"),
    ],
)
def test_cloud_voice_ids_map_by_language_prefix_and_gender(
    voice_id: str | None, language: str, expected: str
) -> None:
    assert catalog.resolve_voice(voice_id, language, gender_hint="female").voice_id == expected


def test_cloud_avatar_ids_map_to_a_local_presenter() -> None:
    assert catalog.resolve_avatar(2, gender_hint="female").avatar_id == 2
    assert catalog.resolve_avatar(127, gender_hint="male").gender == "male"
    assert catalog.resolve_avatar(100266, gender_hint=None) == catalog.LOCAL_AVATARS[0]
    assert catalog.resolve_template(999, aspect_ratio=2).aspect_ratio == 2
    assert catalog.resolve_template(0, aspect_ratio=1).visual_style == next(iter(VISUAL_STYLES))


def test_prices_read_as_a_viewer_reads_them() -> None:
    assert format_price("12.9", "USD") == "$12.90"
    assert format_price("1299", "eur") == "€1,299.00"
    assert format_price("49", "CHF") == "49.00 CHF"
    assert format_price("From $10", None) == "From $10"
    assert format_price("", "USD") is None


async def test_cloud_ids_are_accepted_and_rendered(inprocess: InProcess) -> None:
    client = inprocess.client
    product = (await client.post("/product", json={"name": "Tea set"})).json()["data"]
    body = create_video_body(
        product["product_id"],
        avatar_id=424242,
        avatar_type=1,
        voice_id="pt-BR-FranciscaNeural",
        language="portuguese",
        music_id=13,
        video_name="Cha",
        aspect_ratio=2,
    )
    answer = (await client.post("/preview", json=body)).json()
    assert answer["code"] == 0, answer
    info = await wait_for_project(client, answer["data"]["project_id"])
    assert (info["status_code"], info["title"]) == (4, "Cha")
    # The FullScreen layout shows no presenter; the Portuguese voice is this engine's.
    assert (
        "pt-BR-FranciscaNeural is spoken by this engine's voice local-pt-BR-female"
        in (info["status_desc"])
    )
    assert info["status_desc"].startswith("success; ")
    assert any("local-pt-BR-female" in warning for warning in info["warnings"])
    captions = await client.get(info["captions_url"])
    assert captions.text.startswith("WEBVTT") and " --> " in captions.text


async def test_a_cloud_style_and_avatar_map_to_local_ones(inprocess: InProcess) -> None:
    client = inprocess.client
    product = (await client.post("/product", json={"name": "Lamp"})).json()["data"]
    body = create_video_body(
        product["product_id"], visual_style="Simple Product Switch", avatar_id=127
    )
    body["visual_style"] = "Elegant Presentation"
    answer = (await client.post("/preview", json=body)).json()
    assert answer["code"] == 0, answer
    project = await client.get("/project", params={"project_id": answer["data"]["project_id"]})
    warnings = project.json()["data"]["warnings"]
    assert 'visual style "Elegant Presentation" is shown as this engine\'s Presenter layout' in (
        warnings
    )
    assert any(
        w.startswith("avatar 127 is shown as this engine's drawn presenter") for w in warnings
    )
