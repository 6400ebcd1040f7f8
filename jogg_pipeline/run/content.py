"""What a video is made of: the product after its overrides, and the settings with their
templates rendered. Its content key is the identity the state uses to make each video once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from jogg_pipeline.spec.expand import ProductPlan, VideoPlan
from jogg_pipeline.spec.model import TEMPLATE_SETTINGS
from jogg_pipeline.spec.templates import render

PRODUCT_FIELDS = ("name", "description", "target_audience", "media")


def product_context(plan: ProductPlan, campaign: str, product: Mapping[str, Any]) -> dict:
    return {
        "product": dict(product),
        "vars": dict(plan.vars),
        "campaign": campaign,
        "key": plan.key,
        "url": plan.url,
    }


def render_overrides(plan: ProductPlan, campaign: str, extracted: Mapping[str, Any]) -> dict:
    """The override fields, rendered against the product as extracted (TemplateError if a
    template fails)."""
    context = product_context(plan, campaign, extracted)
    return {name: _render_value(value, context) for name, value in plan.overrides.items()}


def _render_value(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, list):
        return [_render_value(item, context) for item in value]
    if isinstance(value, dict):
        return {key: _render_value(item, context) for key, item in value.items()}
    return value


def desired_product(extracted: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict:
    """The product as the videos will see it: extracted fields with the overrides applied."""
    product = dict(extracted)
    product.update(overrides)
    return product


def render_settings(
    video: VideoPlan, plan: ProductPlan, campaign: str, product: Mapping[str, Any]
) -> dict[str, Any]:
    """The wire settings with override_script and video_name rendered. A video without a name
    is named after its campaign and id: people find it in the JoggAI dashboard, and a run that
    lost the answer to its request finds it in the video list."""
    settings = dict(video.settings)
    settings.setdefault("video_name", f"{campaign} {video.id}")
    context = product_context(plan, campaign, product) | {"video": dict(video.settings)}
    for name in TEMPLATE_SETTINGS:
        if name in settings:
            settings[name] = render(settings[name], context)
    return settings


def content_key(product_id: str, product: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """Same product content and same resolved settings: same video, never made twice."""
    identity = {
        "product_id": product_id,
        "product": {name: product.get(name) for name in PRODUCT_FIELDS},
        "settings": dict(settings),
    }
    encoded = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
