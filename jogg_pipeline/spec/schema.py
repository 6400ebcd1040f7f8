"""The JSON Schema (draft 2020-12) of the spec format, generated from the models, for editors."""

from __future__ import annotations

from typing import Any

from jogg_pipeline import __version__
from jogg_pipeline.spec.model import MATRIX_KEYS, Campaign, VideoSettings

SCHEMA_ID = "urn:jogg-pipeline:spec:v1"


def spec_schema() -> dict[str, Any]:
    schema = Campaign.model_json_schema(mode="validation")
    definitions = schema.get("$defs", {})
    for name in ("VideoSettings", "Variant"):
        definitions[name]["not"] = {
            "required": ["visual_style", "template_id"],
            "description": "Exactly one of visual_style and template_id.",
        }
    settings = VideoSettings.model_json_schema()["properties"]
    schema["properties"]["matrix"] = {
        "type": "object",
        "description": "Every video of every product, once per combination of these values.",
        "additionalProperties": False,
        "properties": {
            key: {"type": "array", "minItems": 1, "items": _without_null(settings[key])}
            for key in MATRIX_KEYS
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "jogg-pipeline campaign spec",
        "description": f"A campaign spec of jogg-pipeline {__version__} (format version 1).",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
    if len(options) == 1 and set(schema) <= {"anyOf", "default", "description", "title"}:
        return options[0]
    return schema
