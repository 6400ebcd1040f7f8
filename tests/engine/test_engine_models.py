"""The wire models: the walkthrough's bodies validate, bad ones fail naming the field."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from engine_support import WALKTHROUGH_WITH_TEMPLATE, WALKTHROUGH_WITH_VISUAL_STYLE
from pydantic import ValidationError

from jogg_pipeline.wire.enums import LANGUAGES, SCRIPT_STYLES, VIDEO_LENGTHS
from jogg_pipeline.wire.envelope import Envelope
from jogg_pipeline.wire.models import (
    CreateVideoRequest,
    Product,
    ProductCreateRequest,
    ProductUpdateRequest,
    ProjectInfo,
    describe_validation_error,
)


# The two create_video_from_url bodies of the walkthrough, verbatim (the second repeats caption).
def valid_body(**changes: Any) -> dict[str, Any]:
    body = json.loads(WALKTHROUGH_WITH_VISUAL_STYLE)
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def problem(model: type, body: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    return describe_validation_error(caught.value)


def test_walkthrough_bodies_validate() -> None:
    styled = CreateVideoRequest.model_validate_json(WALKTHROUGH_WITH_VISUAL_STYLE)
    assert (styled.video_length, styled.length_seconds, styled.visual_style) == (
        "15",
        15,
        "FullScreen",
    )
    assert (styled.avatar_id, styled.avatar_type, styled.template_id) == (127, 0, None)
    templated = CreateVideoRequest.model_validate_json(WALKTHROUGH_WITH_TEMPLATE)
    assert (templated.template_id, templated.visual_style, templated.avatar_type) == (0, None, 1)
    assert templated.caption is True


def test_enums_match_the_shared_tables() -> None:
    assert get_args(CreateVideoRequest.model_fields["video_length"].annotation) == VIDEO_LENGTHS
    for language in LANGUAGES:
        assert CreateVideoRequest.model_validate(valid_body(language=language)).language == language
    for style in SCRIPT_STYLES:
        assert (
            CreateVideoRequest.model_validate(valid_body(script_style=style)).script_style == style
        )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("product_id", "product_id is required"),
        ("aspect_ratio", "aspect_ratio is required"),
        ("video_length", "video_length is required"),
        ("language", "language is required"),
        ("avatar_id", "avatar_id is required"),
        ("avatar_type", "avatar_type is required"),
        ("template_type", "template_type is required"),
        ("script_style", "script_style is required"),
        ("visual_style", "visual_style or template_id is required"),
    ],
)
def test_each_required_field_is_named(missing: str, message: str) -> None:
    body = valid_body()
    del body[missing]
    assert problem(CreateVideoRequest, body) == message


@pytest.mark.parametrize(
    ("changes", "start"),
    [
        ({"aspect_ratio": 3}, "aspect_ratio must be one of 0, 1 or 2; got 3"),
        ({"video_length": "20"}, "video_length must be one of '15', '30' or '60'; got '20'"),
        ({"video_length": 45}, "video_length must be one of '15', '30' or '60'; got '45'"),
        ({"avatar_type": 2}, "avatar_type must be one of 0 or 1; got 2"),
        ({"template_type": "shared"}, "template_type must be one of 'public' or 'custom'"),
        ({"language": "klingon"}, "language must be one of the documented languages"),
        ({"script_style": "Shouty"}, 'script_style must be one of "Don\'t Worry"'),
        ({"avatar_id": "abc"}, "avatar_id must be an integer; got 'abc'"),
        ({"caption": "maybe"}, "caption must be a boolean"),
        ({"product_id": ""}, "product_id must not be empty"),
        ({"template_id": 3}, "give either visual_style or template_id, not both"),
    ],
)
def test_bad_values_are_named(changes: dict[str, Any], start: str) -> None:
    assert problem(CreateVideoRequest, valid_body(**changes)).startswith(start)


def test_numeric_product_ids_are_read_as_text() -> None:
    # The OpenAPI's PUT /product example sends product_id 3924.
    assert ProductUpdateRequest.model_validate({"product_id": 3924}).product_id == "3924"
    assert CreateVideoRequest.model_validate(valid_body(product_id=77)).product_id == "77"
    assert problem(ProductUpdateRequest, {"product_id": True}) == (
        "product_id must be a string; got True"
    )


def test_integer_length_and_blank_style_are_accepted() -> None:
    request = CreateVideoRequest.model_validate(
        valid_body(video_length=30, visual_style="", template_id=6)
    )
    assert (request.video_length, request.visual_style, request.template_id) == ("30", None, 6)


def test_product_requests() -> None:
    assert problem(ProductCreateRequest, {}) == (
        "url is required (or name, to create a product without a URL)"
    )
    assert ProductCreateRequest.model_validate({"name": "Lamp"}).url is None
    assert problem(ProductUpdateRequest, {"name": "x"}) == "product_id is required"
    bad_media = {"product_id": "p", "media": [{"type": 3, "url": "u"}]}
    assert problem(ProductUpdateRequest, bad_media) == "media[0].type must be one of 1 or 2; got 3"
    no_url = {"product_id": "p", "media": [{"type": 1}]}
    assert problem(ProductUpdateRequest, no_url) == "media[0].url is required"


def test_envelope_and_product_round_trip() -> None:
    wire = {
        "rid": "d43b3a5999e31b7e7a62ee5ef84d411d",
        "code": 0,
        "msg": "success",
        "data": {
            "product_id": "NTQ0MTkzNjg",
            "url": "https://example.com/p",
            "name": "Blush",
            "description": "Glow",
            "media": [
                {"type": 2, "name": "v.mp4", "url": "https://res.jogg.ai/v.mp4", "description": ""}
            ],
            "target_audience": "",
            "details": {"price": 12.5, "currency": "USD"},
        },
    }
    parsed = Envelope[Product].model_validate(wire)
    assert parsed.data is not None
    assert parsed.data.details is not None and parsed.data.details.price == "12.5"
    assert parsed.data.media[0].type == 2
    error = Envelope[ProjectInfo].model_validate(
        {"code": 10104, "msg": "Record not found", "data": None}
    )
    assert error.data is None and error.code == 10104
