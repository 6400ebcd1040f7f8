"""The video-setting value types: each accepts the API's wire form and readable aliases,
case-insensitively, and normalises to the wire form. Bad values get a did-you-mean."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

from jogg_pipeline.spec.suggest import closest
from jogg_pipeline.wire.enums import (
    ASPECT_RATIO_SHAPES,
    ASPECT_RATIOS,
    AVATAR_TYPES,
    LANGUAGES,
    SCRIPT_STYLES,
    TEMPLATE_TYPES,
    VIDEO_LENGTHS,
)

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


def _words(text: str) -> str:
    """A loose form for matching: lower case, '&' as 'and', only letters and digits."""
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("&", "and"))


def _enum_error(field: str, value: Any, choices: list[str], match: str | None) -> Exception:
    hint = f"; did you mean '{match}'?" if match else ""
    shown = ", ".join(choices) if len(choices) <= 16 else ", ".join(choices[:12]) + ", ..."
    return PydanticCustomError(
        "enum_value",
        "{value} is not a valid {field}{hint} (one of: {choices})",
        {"value": repr(value), "field": field, "hint": hint, "choices": shown},
    )


def _choice_validator(
    field: str, table: Mapping[str, Any], shown: list[str], *, words: bool = False
) -> Callable[[Any], Any]:
    """Look values up in `table` (matching forms → wire value) by their matching form."""
    form: Callable[[str], str] = _words if words else (lambda s: re.sub(r"[\s_]+", "-", s.lower()))
    lookup = {form(k): v for k, v in table.items()}

    def validate(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _enum_error(field, value, shown, None)
        found = lookup.get(form(str(value).strip()))
        if found is None:
            raise _enum_error(field, value, shown, closest(str(value), shown, normalize=form))
        return found

    return validate


def _aspect_ratio_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for wire, name in ASPECT_RATIOS.items():
        table[str(wire)] = wire
        table[name] = wire
        table[ASPECT_RATIO_SHAPES[wire]] = wire
    return table


_validate_aspect_ratio = _choice_validator(
    "aspect_ratio",
    _aspect_ratio_table(),
    [*ASPECT_RATIOS.values(), *ASPECT_RATIO_SHAPES.values(), "0", "1", "2"],
)
_validate_video_length = _choice_validator(
    "video_length", {v: v for v in VIDEO_LENGTHS}, list(VIDEO_LENGTHS)
)
_validate_language = _choice_validator(
    "language",
    {**{k: k for k in LANGUAGES}, **{v: k for k, v in LANGUAGES.items()}},
    list(LANGUAGES),
)
_validate_script_style = _choice_validator(
    "script_style", {k: k for k in SCRIPT_STYLES}, list(SCRIPT_STYLES), words=True
)
_validate_avatar_type = _choice_validator(
    "avatar_type",
    {**{str(k): k for k in AVATAR_TYPES}, **{v: k for k, v in AVATAR_TYPES.items()}},
    [*AVATAR_TYPES.values(), "0", "1"],
)
_validate_template_type = _choice_validator(
    "template_type", {v: v for v in TEMPLATE_TYPES}, list(TEMPLATE_TYPES)
)


def _case_insensitive(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _string_choices_schema(choices: list[str], extra: dict[str, Any] | None = None) -> dict:
    """Editors complete from `enum`; the pattern also admits any letter case, as we do."""
    pattern = "^(" + "|".join(_case_insensitive(c) for c in choices) + ")$"
    string_schema = {"type": "string", "anyOf": [{"enum": choices}, {"pattern": pattern}]}
    return {"anyOf": [string_schema, extra]} if extra else string_schema


AspectRatio = Annotated[
    int,
    BeforeValidator(_validate_aspect_ratio),
    WithJsonSchema(
        _string_choices_schema(
            [*ASPECT_RATIOS.values(), *ASPECT_RATIO_SHAPES.values()],
            {"type": "integer", "enum": list(ASPECT_RATIOS)},
        )
        | {"description": "portrait | landscape | square, 0 | 1 | 2, or 9:16 | 16:9 | 1:1"}
    ),
]
VideoLength = Annotated[
    str,
    BeforeValidator(_validate_video_length),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(VIDEO_LENGTHS)},
                {"type": "integer", "enum": [int(v) for v in VIDEO_LENGTHS]},
            ],
            "description": "Seconds: 15, 30 or 60 (number or string).",
        }
    ),
]
Language = Annotated[
    str,
    BeforeValidator(_validate_language),
    WithJsonSchema(
        _string_choices_schema(sorted({*LANGUAGES, *LANGUAGES.values()}))
        | {"description": "One of the API's 54 languages, e.g. english, spanish."}
    ),
]
ScriptStyle = Annotated[
    str,
    BeforeValidator(_validate_script_style),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(SCRIPT_STYLES),
            "description": "One of the API's 16 script styles (any letter case or punctuation).",
        }
    ),
]
AvatarType = Annotated[
    int,
    BeforeValidator(_validate_avatar_type),
    WithJsonSchema(
        _string_choices_schema(list(AVATAR_TYPES.values()), {"type": "integer", "enum": [0, 1]})
    ),
]
TemplateType = Annotated[
    str,
    BeforeValidator(_validate_template_type),
    WithJsonSchema(_string_choices_schema(list(TEMPLATE_TYPES))),
]
Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=64)]
Id = StrictInt
Flag = StrictBool
