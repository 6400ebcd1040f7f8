"""Visual styles the renderer knows, by the names the API uses."""

from __future__ import annotations

FULL_SCREEN = "FullScreen"
SPLIT_SCREEN = "SplitScreen"
PICTURE_IN_PICTURE = "PictureInPicture"

VISUAL_STYLES: dict[str, str] = {
    FULL_SCREEN: "Full-bleed product images with the name, price and captions over them.",
    SPLIT_SCREEN: (
        "Images on one side (top in portrait and square, left in landscape) and a colour "
        "panel with the name, price and captions on the other."
    ),
    PICTURE_IN_PICTURE: (
        "A rounded image card floating over a designed background, text below or beside it."
    ),
}

_BY_KEY = {name.lower(): name for name in VISUAL_STYLES}


def resolve_style(name: str) -> str:
    """The known style a name means (ignoring case, spaces, '-' and '_'); FullScreen otherwise."""
    key = "".join(char for char in name.lower() if char not in " -_")
    return _BY_KEY.get(key, FULL_SCREEN)
