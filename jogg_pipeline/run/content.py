"""What a video is made of: the product after its overrides, and the settings with their
templates rendered. Its content key is the identity the state uses to make each video once.

A template that fails here (a product field the page lacks) fails with where it stands in the
spec and what the product has; one that reads an empty field renders, and `template_warnings`
says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from jogg_pipeline.spec.expand import ExpandedProduct, ExpandedVideo
from jogg_pipeline.spec.model import TEMPLATE_SETTINGS
from jogg_pipeline.spec.positions import DataPath, format_path
from jogg_pipeline.spec.templates import TemplateError, product_reads, render

PRODUCT_FIELDS = ("name", "description", "target_audience", "media")
# The local engine's report on a product, not a field of it: templates do not see it.
_NOT_PRODUCT_FIELDS = frozenset({"warnings"})


def product_context(plan: ExpandedProduct, campaign: str, product: Mapping[str, Any]) -> dict:
    return {
        "product": {k: v for k, v in product.items() if k not in _NOT_PRODUCT_FIELDS},
        "vars": dict(plan.vars),
        "campaign": campaign,
        "key": plan.key,
        "url": plan.url,
    }


def render_overrides(plan: ExpandedProduct, campaign: str, extracted: Mapping[str, Any]) -> dict:
    """The override fields, rendered against the product as extracted (TemplateError if a
    template fails)."""
    context = product_context(plan, campaign, extracted)
    return {
        name: _render_value(value, context, plan, (name,)) for name, value in plan.overrides.items()
    }


def _render_value(
    value: Any, context: Mapping[str, Any], plan: ExpandedProduct, path: DataPath
) -> Any:
    if isinstance(value, str):
        label = format_path(("products", plan.index, "overrides", *path))
        return _render(value, context, label, plan.sources.get(format_path(path)))
    if isinstance(value, list):
        return [_render_value(v, context, plan, (*path, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _render_value(v, context, plan, (*path, k)) for k, v in value.items()}
    return value


def _render(source: str, context: Mapping[str, Any], label: str, where: str | None) -> str:
    """`source` rendered; a failure says where the template stands and what the product has."""
    try:
        return render(source, context)
    except TemplateError as error:
        place = f"{where}: " if where else ""
        hint = _fields_hint(source, context["product"])
        raise TemplateError(f"{place}{label}: {error.detail}{hint}", error.detail) from None


def _fields_hint(source: str, product: Mapping[str, Any]) -> str:
    """What the product has, for the first product field the template reads that the product
    lacks (e.g. `(product.details has: price; product has: ...)`); "" when it lacks none."""
    for read in sorted(product_reads(source)):
        parent, depth = _deepest(product, read)
        if depth == len(read):
            continue
        parts = [f"product has: {_field_names(product)}"]
        if depth and isinstance(parent, Mapping):
            parts.insert(0, f"product.{'.'.join(read[:depth])} has: {_field_names(parent)}")
        return f" ({'; '.join(parts)})"
    return ""


def _deepest(product: Mapping[str, Any], read: tuple[str, ...]) -> tuple[Any, int]:
    """How far along `read` the product's fields go: the last value reached and its depth."""
    value: Any = product
    for depth, name in enumerate(read):
        if not isinstance(value, Mapping) or name not in value:
            return value, depth
        value = value[name]
    return value, len(read)


def _field_names(value: Mapping[str, Any]) -> str:
    # Sorted: the same product read back from the state lists its fields the same way.
    return ", ".join(sorted(str(name) for name in value)) or "no fields"


def reads_what_it_overrides(plan: ExpandedProduct) -> bool:
    """Whether an override template reads a field the overrides set (`name: "{{ product.name }}
    – 20% off"`): then the product as the backend has it after an update can no longer give
    the product as extracted, and only the manifest can."""
    return any(
        read[0] in plan.overrides
        for _, source in _strings(plan.overrides, ())
        for read in product_reads(source)
    )


def template_warnings(
    plan: ExpandedProduct, product: Mapping[str, Any], video: ExpandedVideo | None = None
) -> list[str]:
    """One sentence per product field a template reads that is empty: the template renders,
    without it. Without `video`, the product's override templates, read against the product
    as extracted; with it, that video's templates (override_script, video_name), read against
    the product after its overrides."""
    if video is None:
        templates = [
            (format_path(("products", plan.index, "overrides", *path)), source)
            for path, source in _strings(plan.overrides, ())
        ]
    else:
        templates = [
            (name, video.settings[name])
            for name in TEMPLATE_SETTINGS
            if isinstance(video.settings.get(name), str)
        ]
    warnings: list[str] = []
    for label, source in templates:
        for read in sorted(product_reads(source)):
            empty = _empty_field(product, read)
            if empty is not None:
                warning = f"{label} reads product.{empty}, which the page does not have"
                if warning not in warnings:
                    warnings.append(warning)
    return warnings


def _strings(value: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def _empty_field(product: Mapping[str, Any], read: tuple[str, ...]) -> str | None:
    """The first field along `read` that is there but empty ("details.price"), or None. A
    missing field is no warning: rendering the template fails on it."""
    value: Any = product
    for depth, name in enumerate(read):
        if not isinstance(value, Mapping) or name not in value:
            return None
        value = value[name]
        if value is None or (isinstance(value, str) and not value.strip()) or value in ([], {}):
            return ".".join(read[: depth + 1])
    return None


def desired_product(extracted: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict:
    """The product as the videos will see it: extracted fields with the overrides applied."""
    product = dict(extracted)
    product.update(overrides)
    return product


def render_settings(
    video: ExpandedVideo, plan: ExpandedProduct, campaign: str, product: Mapping[str, Any]
) -> dict[str, Any]:
    """The wire settings with override_script and video_name rendered. A video without a name
    is named after its campaign and id: people find it in the JoggAI dashboard, and a run that
    lost the answer to its request finds it in the video list."""
    settings = dict(video.settings)
    settings.setdefault("video_name", f"{campaign} {video.id}")
    context = product_context(plan, campaign, product) | {"video": dict(video.settings)}
    for name in TEMPLATE_SETTINGS:
        if name in settings:
            settings[name] = _render(settings[name], context, name, video.sources.get(name))
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
