"""Pydantic models of the JoggAI v1 wire format, shared by the client and the local engine.

Field names are exactly those on the wire. Request models validate the way the cloud does
(required fields, enums, exactly one of `visual_style` / `template_id`) and accept the forms
the published walkthrough sends (`video_length` as the string "15", `avatar_type` 0/1).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jogg_pipeline.wire.enums import LANGUAGES, SCRIPT_STYLES


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are ignored, as the cloud ignores them."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Media(WireModel):
    """A product image (type 1) or video (type 2)."""

    type: Literal[1, 2]
    url: str = Field(min_length=1)
    name: str = ""
    description: str = ""


class ProductDetails(WireModel):
    """Facts a script can use, beyond the cloud's fields (a local-engine extension)."""

    price: str | None = None
    currency: str | None = None
    brand: str | None = None
    sku: str | None = None
    availability: str | None = None

    @field_validator("price", mode="before")
    @classmethod
    def _price_as_text(cls, value: object) -> object:
        # Prices arrive as numbers from structured data; the wire carries them as text.
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Infinity and NaN are no price: as text they would be stored as "inf" or "nan".
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"must be a finite number; got {value}")
            return f"{value}"
        return value


class Product(WireModel):
    """A product as `POST /product`, `PUT /product` and `GET /products` return it."""

    product_id: str
    url: str = ""
    name: str = ""
    description: str = ""
    target_audience: str = ""
    media: list[Media] = Field(default_factory=list)
    details: ProductDetails | None = None
    # A local-engine extension, absent from the cloud's answers: what went less well than asked
    # while creating the product (images that could not be fetched, ...), one sentence each.
    warnings: list[str] = Field(default_factory=list)


class ProductCreateRequest(WireModel):
    """`POST /product`: a URL to crawl, or the product's fields directly."""

    url: str | None = None
    name: str | None = None
    description: str | None = None
    target_audience: str | None = None
    media: list[Media] | None = None
    details: ProductDetails | None = None

    @model_validator(mode="after")
    def _url_or_name(self) -> ProductCreateRequest:
        if not (self.url or "").strip() and not (self.name or "").strip():
            raise ValueError("url is required (or name, to create a product without a URL)")
        return self


def _integer_as_text(value: object) -> object:
    # Some string fields are sent as numbers: the OpenAPI's PUT example has product_id 3924,
    # and a video_length of 15 means "15".
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class ProductUpdateRequest(WireModel):
    """`PUT /product`: a partial update; a given `media` list replaces the stored one."""

    product_id: str = Field(min_length=1)
    url: str | None = None
    name: str | None = None
    description: str | None = None
    target_audience: str | None = None
    media: list[Media] | None = None
    details: ProductDetails | None = None

    _product_id_as_text = field_validator("product_id", mode="before")(_integer_as_text)


class CreateVideoRequest(WireModel):
    """`POST /create_video_from_url` (and `POST /preview`, which ignores `music_id`)."""

    product_id: str = Field(min_length=1)
    aspect_ratio: Literal[0, 1, 2]
    video_length: Literal["15", "30", "60"]
    language: str
    avatar_id: int
    avatar_type: Literal[0, 1]
    template_type: Literal["public", "custom"]
    script_style: str
    voice_id: str | None = None
    music_id: int | None = None
    visual_style: str | None = None
    template_id: int | None = None
    override_script: str = ""
    caption: bool = True
    video_name: str | None = None

    _integers_as_text = field_validator("product_id", "video_length", mode="before")(
        _integer_as_text
    )

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(
                f"must be one of the documented languages, such as english; got {value!r}"
            )
        return value

    @field_validator("script_style")
    @classmethod
    def _known_script_style(cls, value: str) -> str:
        if value not in SCRIPT_STYLES:
            styles = ", ".join(repr(style) for style in SCRIPT_STYLES)
            raise ValueError(f"must be one of {styles}; got {value!r}")
        return value

    @field_validator("visual_style", "voice_id")
    @classmethod
    def _blank_is_absent(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    @model_validator(mode="after")
    def _style_or_template(self) -> CreateVideoRequest:
        if self.visual_style is None and self.template_id is None:
            raise ValueError("visual_style or template_id is required")
        if self.visual_style is not None and self.template_id is not None:
            raise ValueError("give either visual_style or template_id, not both")
        return self

    @property
    def length_seconds(self) -> int:
        return int(self.video_length)


class ProjectCreated(WireModel):
    """Data of `POST /create_video_from_url` and `POST /preview`."""

    project_id: str


class ProjectInfo(WireModel):
    """Data of `GET /project`."""

    id: str
    title: str = ""
    video_url: str = ""
    cover_url: str = ""
    video_duration: int = 0
    status_code: int
    status_desc: str = ""
    created_at: int
    # A local-engine extension, absent from the cloud's answers: what the video does less well
    # than asked (a voice replaced by another, ...), one sentence each.
    warnings: list[str] = Field(default_factory=list)
    # A local-engine extension: the narration's captions as WebVTT, once the video is done.
    captions_url: str = ""


class ProductVideo(WireModel):
    """One entry of `GET /v2/product_videos`: the list that finds a video whose creation
    answer was lost, by the title it was requested with."""

    id: str
    title: str = ""
    video_duration: float = 0
    video_url: str = ""
    cover_url: str = ""
    status: Literal["processing", "completed", "failed"]
    created_at: int


class ProductVideoList(WireModel):
    videos: list[ProductVideo]
    total: int
    page: int
    page_size: int


class VisualStyle(WireModel):
    id: int
    name: str
    description: str = ""


class VisualStyleList(WireModel):
    visual_styles: list[VisualStyle]


class Avatar(WireModel):
    avatar_id: int
    name: str
    cover_url: str = ""
    aspect_ratio: int = 0
    style: str = ""
    gender: str = ""
    age: str = ""
    description: str = ""


class AvatarList(WireModel):
    avatars: list[Avatar]


class Voice(WireModel):
    voice_id: str
    name: str
    audition_url: str = ""
    language: str = ""
    gender: str = ""
    age: str = ""
    description: str = ""


class VoiceList(WireModel):
    total: int
    voices: list[Voice]


class Music(WireModel):
    id: int
    name: str
    music_url: str = ""
    duration: int = 0


class MusicList(WireModel):
    musics: list[Music]


class Template(WireModel):
    id: int
    name: str
    cover_url: str = ""
    preview_url: str = ""
    aspect_ratio: int = 0
    visual_style: str = ""


class TemplateList(WireModel):
    templates: list[Template]


_TYPE_WORDS = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "string_type": "a string",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def _field_name(location: tuple[int | str, ...]) -> str:
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name


def describe_validation_error(error: ValidationError) -> str:
    """The first problem of `error` as one line naming the field, e.g. "avatar_id is required"."""
    first = error.errors(include_url=False)[0]
    field = _field_name(tuple(first["loc"]))
    kind = first["type"]
    if kind == "missing":
        problem = "is required"
    elif kind == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        problem = f"must be one of {expected}; got {first.get('input')!r}"
    elif kind in _TYPE_WORDS:
        problem = f"must be {_TYPE_WORDS[kind]}; got {first.get('input')!r}"
    elif kind == "string_too_short":
        problem = "must not be empty"
    elif kind == "value_error":
        message = str(first.get("ctx", {}).get("error", first["msg"]))
        # Model-level checks name their own fields.
        return message if not field else f"{field} {message}"
    else:
        problem = first["msg"][:1].lower() + first["msg"][1:]
    return f"{field} {problem}" if field else problem
