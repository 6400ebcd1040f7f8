"""The local engine's video renderer: product images, text and music into an MP4 and a cover."""

from jogg_pipeline.engine.render.renderer import render_video
from jogg_pipeline.engine.render.spec import (
    QUALITIES,
    Quality,
    RenderError,
    RenderResult,
    RenderSpec,
)
from jogg_pipeline.engine.render.styles import VISUAL_STYLES

__all__ = [
    "QUALITIES",
    "VISUAL_STYLES",
    "Quality",
    "RenderError",
    "RenderResult",
    "RenderSpec",
    "render_video",
]
