"""The spec format as pydantic models: one meaning for YAML and TOML."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jogg_pipeline.quantities import QUALITY_NAMES
from jogg_pipeline.spec.fields import (
    AspectRatio,
    AvatarType,
    Flag,
    Id,
    Language,
    Name,
    ScriptStyle,
    TemplateType,
    VideoLength,
    _choice_validator,
    _string_choices_schema,
)
from jogg_pipeline.spec.limits import (
    DEFAULT_MAX_VIDEOS,
    MAX_SCRIPT_CHARS,
    MAX_VIDEO_NAME_CHARS,
    MAX_VIDEOS_CEILING,
)

SPEC_VERSION = 1

# Built-in defaults: those of the API's own example (CreateVideoFromURL walkthrough).
BUILTIN_DEFAULTS: dict[str, Any] = {
    "aspect_ratio": 0,
    "video_length": "15",
    "language": "english",
    "avatar_id": 127,
    "avatar_type": 0,
    "visual_style": "FullScreen",
    "script_style": "Don't Worry",
    "voice_id": "en-US-ChristopherNeural",
    "caption": True,
    "template_type": "public",
}

# Video fields whose strings are Jinja templates, rendered per video at run time.
TEMPLATE_SETTINGS = ("override_script", "video_name")
# visual_style and template_id choose the layout: exactly one of them applies to a video.
LAYOUT_SETTINGS = ("visual_style", "template_id")
# The error type of a layer that sets both layout settings.
LAYOUT_CONFLICT = "layout_conflict"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VideoSettings(_Strict):
    """Settings of `create_video_from_url`, under the API's own field names."""

    aspect_ratio: AspectRatio | None = None
    video_length: VideoLength | None = None
    language: Language | None = None
    script_style: ScriptStyle | None = None
    avatar_id: Id | None = None
    avatar_type: AvatarType | None = None
    voice_id: StrictStr | None = Field(default=None, min_length=1)
    visual_style: StrictStr | None = Field(default=None, min_length=1)
    template_id: Id | None = None
    template_type: TemplateType | None = None
    caption: Flag | None = None
    music_id: Id | None = None
    override_script: StrictStr | None = Field(
        default=None, max_length=MAX_SCRIPT_CHARS, description="A Jinja template."
    )
    video_name: StrictStr | None = Field(
        default=None, max_length=MAX_VIDEO_NAME_CHARS, description="A Jinja template."
    )

    @model_validator(mode="after")
    def _one_layout(self) -> VideoSettings:
        if self.visual_style is not None and self.template_id is not None:
            raise PydanticCustomError(LAYOUT_CONFLICT, "set either visual_style or template_id")
        return self

    def given(self) -> dict[str, Any]:
        """The settings this layer sets, in wire form."""
        return self.model_dump(exclude_none=True)


class Variant(VideoSettings):
    name: Name | None = Field(default=None, description="Part of the video id.")


class MediaOverride(_Strict):
    type: Literal[1, 2] = Field(description="1 image, 2 video")
    url: StrictStr = Field(min_length=1)
    name: StrictStr = ""
    description: StrictStr = ""


class Overrides(_Strict):
    """Product fields to change after extraction; strings are Jinja templates."""

    name: StrictStr | None = None
    description: StrictStr | None = None
    target_audience: StrictStr | None = None
    media: list[MediaOverride] | None = Field(
        default=None, description="Replaces the product's media list, as the API does."
    )


class Product(_Strict):
    url: StrictStr = Field(min_length=1)
    key: Name | None = Field(default=None, description="Stable id, unique in the campaign.")
    vars: dict[str, Any] = Field(default_factory=dict)
    overrides: Overrides | None = None
    videos: list[Variant] | None = Field(default=None, min_length=1)


MatrixKey = Literal[
    "aspect_ratio",
    "video_length",
    "language",
    "script_style",
    "avatar_id",
    "avatar_type",
    "voice_id",
    "visual_style",
    "template_id",
    "template_type",
    "caption",
    "music_id",
]
MATRIX_KEYS: tuple[str, ...] = get_args(MatrixKey)


# The local engine's render quality; the jogg backend has none.
Quality = Annotated[
    str,
    BeforeValidator(
        _choice_validator("quality", {q: q for q in QUALITY_NAMES}, list(QUALITY_NAMES))
    ),
    WithJsonSchema(
        _string_choices_schema(list(QUALITY_NAMES))
        | {
            "description": (
                "The local engine's render quality: full (1080p), hd (720p) or preview (360p, "
                "fast); the CLI's --quality wins. The jogg backend ignores it."
            )
        }
    ),
]


class Campaign(_Strict):
    version: Literal[1]
    campaign: Name
    backend: Literal["local", "jogg"] = "local"
    quality: Quality | None = None
    vars: dict[str, Any] = Field(default_factory=dict)
    defaults: VideoSettings = Field(default_factory=VideoSettings)
    matrix: dict[MatrixKey, Annotated[list[Any], Field(min_length=1)]] = Field(default_factory=dict)
    products: list[Product] = Field(min_length=1)
    max_videos: StrictInt = Field(
        default=DEFAULT_MAX_VIDEOS,
        ge=1,
        le=MAX_VIDEOS_CEILING,
        description=(
            "The most videos the spec may expand to (products x variants x matrix); a guard "
            f"against a matrix that asks for more than meant. Default {DEFAULT_MAX_VIDEOS}."
        ),
    )
