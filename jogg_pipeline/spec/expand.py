"""Expanding a campaign into the videos it asks for: stable ids and resolved wire settings."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jogg_pipeline.spec.model import BUILTIN_DEFAULTS, LAYOUT_SETTINGS
from jogg_pipeline.spec.urls import slug
from jogg_pipeline.wire.enums import ASPECT_RATIOS, AVATAR_TYPES


@dataclass(frozen=True)
class ExpandedProduct:
    """A product of the spec, with its vars merged and its overrides still templates."""

    index: int
    key: str
    url: str  # as the spec writes it
    fetch_url: str  # http(s), or an absolute file:// URL for local files
    vars: Mapping[str, Any]  # the campaign's vars with the product's merged over them
    overrides: Mapping[str, Any]  # product fields to set, as templates
    # Where each override template stands in the spec, "FILE:LINE:COL", by its path under
    # overrides ("name", "media[0].url"), so that a template failing at run time is located.
    # Not part of what the product is: the same spec elsewhere makes equal plans.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ExpandedVideo:
    """A video the spec asks for: its stable id and its resolved wire settings."""

    id: str
    product_key: str
    variant: str | None
    matrix: Mapping[str, Any]
    settings: Mapping[str, Any]  # wire form; override_script and video_name still templates
    # Template setting -> "FILE:LINE:COL"; like a product's, not part of what the video is.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ExpandedCampaign:
    """A spec expanded into the products and videos it asks for: what the decision reads.
    (A "plan" is what `plan` prints: the decision of what a run would do.)"""

    campaign: str
    backend: str
    spec_path: Path
    spec_sha256: str
    vars: Mapping[str, Any]
    products: tuple[ExpandedProduct, ...]
    videos: tuple[ExpandedVideo, ...] = field(default=())
    quality: str | None = None  # the local engine's render quality, when the spec sets it


def merge_settings(layers: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Later layers win; a layer that picks a layout (visual_style or template_id) drops the
    other one inherited from below, so a variant can switch from a style to a template."""
    settings: dict[str, Any] = {}
    for layer in layers:
        for name, value in layer.items():
            if name in LAYOUT_SETTINGS:
                for other in LAYOUT_SETTINGS:
                    settings.pop(other, None)
            settings[name] = value
    return settings


def resolve_settings(
    defaults: Mapping[str, Any], variant: Mapping[str, Any], combination: Mapping[str, Any]
) -> dict[str, Any]:
    resolved = merge_settings([BUILTIN_DEFAULTS, defaults, variant, combination])
    return {name: resolved[name] for name in sorted(resolved)}


def combinations(matrix: Mapping[str, list[Any]]) -> Iterator[dict[str, Any]]:
    names = list(matrix)
    for values in itertools.product(*(matrix[name] for name in names)):
        yield dict(zip(names, values, strict=True))


def id_segment(name: str, value: Any) -> str:
    """A readable, stable piece of a video id for one matrix value."""
    if name == "aspect_ratio":
        return ASPECT_RATIOS[value]
    if name == "avatar_type":
        return f"{AVATAR_TYPES[value]}-avatar"
    if name == "video_length":
        return f"{value}s"
    if name == "caption":
        return "captions" if value else "no-captions"
    if name in {"language", "script_style", "visual_style"}:
        return slug(str(value).replace("&", "and")) or name
    if name == "template_type":
        return f"{value}-template"
    return f"{name.removesuffix('_id')}-{slug(str(value))}"


def video_id(product_key: str, variant: str | None, combination: Mapping[str, Any]) -> str:
    parts = [product_key]
    if variant is not None:
        parts.append(variant)
    parts.extend(id_segment(name, value) for name, value in combination.items())
    return "/".join(parts)
