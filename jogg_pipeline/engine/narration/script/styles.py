"""The 16 script styles of the API, by wire name, and the key their frames are filed under."""

from __future__ import annotations

from jogg_pipeline.wire.enums import SCRIPT_STYLES

STYLE_KEYS: dict[str, str] = {
    "Don't Worry": "dont_worry",
    "Discovery": "discovery",
    "Data": "data",
    "Top 3 reasons": "top_three",
    "Soft Selling": "soft_selling",
    "Humor & Meme": "humor",
    "Feature Explainer": "feature_explainer",
    "Soft Storytelling with Twist": "twist",
    "Expert Advice": "expert",
    "Unboxing & Review": "unboxing",
    "Challenge": "challenge",
    "Problem/Solution": "problem_solution",
    "Comparison": "comparison",
    "Creative/Innovative": "creative",
    "Emotional Appeal": "emotional",
    "Immersive Storytelling": "immersive",
}
_BY_FOLDED = {name.casefold(): name for name in SCRIPT_STYLES}


def style_name(style: str) -> str:
    """The wire name of `style`, in any letter case; ValueError for an unknown one."""
    name = _BY_FOLDED.get(" ".join(style.split()).casefold())
    if name is None:
        known = ", ".join(SCRIPT_STYLES)
        raise ValueError(f"script style {style!r} is not one of: {known}")
    return name


def style_key(style: str) -> str:
    return STYLE_KEYS[style_name(style)]
