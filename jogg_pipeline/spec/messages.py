"""Messages a spec author understands, made from pydantic's validation errors, at their place."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from jogg_pipeline.spec.fields import NAME_PATTERN
from jogg_pipeline.spec.model import (
    LAYOUT_CONFLICT,
    MATRIX_KEYS,
    Campaign,
    MediaOverride,
    Overrides,
    Product,
    Variant,
    VideoSettings,
)
from jogg_pipeline.spec.positions import DataPath, Position, PositionMap, find, format_path
from jogg_pipeline.spec.suggest import did_you_mean
from jogg_pipeline.spec.urls import slug

_SETTINGS = tuple(VideoSettings.model_fields)


# The mappings of a spec by shape of path ("#" stands for any list index).
_MODELS_AT: dict[tuple[str, ...], type[BaseModel]] = {
    (): Campaign,
    ("defaults",): VideoSettings,
    ("products", "#"): Product,
    ("products", "#", "overrides"): Overrides,
    ("products", "#", "overrides", "media", "#"): MediaOverride,
    ("products", "#", "videos", "#"): Variant,
}


def model_at(path: DataPath) -> type[BaseModel] | None:
    """Which model validates the mapping at `path`."""
    return _MODELS_AT.get(tuple("#" if isinstance(part, int) else part for part in path))


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _unknown_key(path: DataPath, key: str) -> str:
    parent = path[:-1]
    model = model_at(parent)
    allowed = list(model.model_fields) if model else []
    where = f" in {format_path(parent)}" if parent else ""
    message = f"unknown key {key!r}{where}{did_you_mean(key, allowed)}"
    if key in _SETTINGS and model in {Campaign, Product}:
        place = "'defaults'" if model is Campaign else "the product's 'videos' list"
        message += f"; video settings go under {place}"
    return message


def _name_hint(value: Any) -> str:
    suggestion = slug(str(value)) if isinstance(value, str) else ""
    example = f", e.g. '{suggestion}'" if suggestion and suggestion != value else ""
    return (
        f"{describe(value)} is not a valid name: use lowercase letters, digits, '.', '_' and '-', "
        f"starting with a letter or digit{example}"
    )


def message_for(error: ErrorDetails) -> tuple[DataPath, bool, str]:
    """(path, at_key, message) for one pydantic error."""
    path: DataPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if path and path[-1] == "[key]":  # a bad key of a dict: only the matrix restricts keys
        path = path[:-1]
        key = str(path[-1])
        return (
            path,
            True,
            (
                f"{key!r} cannot vary in the matrix{did_you_mean(key, MATRIX_KEYS)} "
                f"(it can vary: {', '.join(MATRIX_KEYS)})"
            ),
        )
    field = format_path(path)
    if kind == "extra_forbidden":
        return path, True, _unknown_key(path, str(path[-1]))
    if kind == "missing":
        parent = format_path(path[:-1])
        where = "" if not path[:-1] else f" in {parent}"
        return path[:-1], False, f"missing required key {path[-1]!r}{where}"
    if kind == "enum_value":
        return path, False, f"{field}: {error['msg']}"
    if kind == "literal_error":
        if path == ("version",):
            return (
                path,
                False,
                (f"unsupported spec version {value!r}; this jogg-pipeline reads version 1"),
            )
        if path == ("backend",):
            hint = did_you_mean(str(value), ["local", "jogg"]) if isinstance(value, str) else ""
            return path, False, f"backend: {describe(value)} is not a backend{hint} (local or jogg)"
        if path[-1] == "type":
            return path, False, f"{field}: media type must be 1 (image) or 2 (video)"
        return path, False, f"{field}: {error['msg']}"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == NAME_PATTERN:
        return path, False, f"{field}: {_name_hint(value)}"
    if kind == "string_too_long":
        return path, False, f"{field}: longer than {error['ctx']['max_length']} characters"
    if kind == "too_short":
        if path == ("products",):
            return path, False, "products: list at least one product"
        if isinstance(value, str):
            return path, False, f"{field}: must not be empty"
        return path, False, f"{field}: needs at least one entry"
    if kind == LAYOUT_CONFLICT:
        return (
            (*path, "template_id"),
            True,
            (f"{format_path(path)}: set either visual_style or template_id, not both"),
        )
    expected = {
        "string_type": "text",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }.get(kind)
    if expected:
        return path, False, f"{field}: expected {expected}, got {describe(value)}"
    return path, False, f"{field}: {error['msg']}"


def locate(error: ErrorDetails, positions: PositionMap) -> tuple[Position, str, DataPath]:
    path, at_key, message = message_for(error)
    return find(positions, path, at_key=at_key), message, path
