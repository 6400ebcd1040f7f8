"""Visual styles the renderer knows, by the names the API uses, and the cloud's names for them."""

from __future__ import annotations

from dataclasses import dataclass

FULL_SCREEN = "FullScreen"
SPLIT_SCREEN = "SplitScreen"
PICTURE_IN_PICTURE = "PictureInPicture"
PRESENTER = "Presenter"
LISTICLE = "Listicle"
PRODUCT_CARD = "ProductCard"

ALL_ASPECTS = (0, 1, 2)


@dataclass(frozen=True)
class StyleInfo:
    description: str
    presenter: str | None  # how the presenter is shown: "half" figure, "bust" in a circle, none
    aspect_ratios: tuple[int, ...] = ALL_ASPECTS


STYLES: dict[str, StyleInfo] = {
    FULL_SCREEN: StyleInfo(
        "Product only with voice-over: full-bleed product shots, the name, price and captions "
        "over them.",
        None,
    ),
    SPLIT_SCREEN: StyleInfo(
        "Split screen: product shots on one half (top in portrait and square, left in "
        "landscape), the presenter on a colour panel on the other, with the name and captions.",
        "half",
    ),
    PICTURE_IN_PICTURE: StyleInfo(
        "Picture in picture: full-bleed product shots, the presenter in a circle in a corner.",
        "bust",
    ),
    PRESENTER: StyleInfo(
        "Presenter full screen: the presenter in front of the product shots, which play behind.",
        "half",
    ),
    LISTICLE: StyleInfo(
        "Listicle: the script's points appear as numbered cards beside a product card, each as "
        "it is spoken.",
        None,
    ),
    PRODUCT_CARD: StyleInfo(
        "Product card with voice-over: the product on a rounded card floating over a designed "
        "background, text below or beside it.",
        None,
    ),
}

VISUAL_STYLES: dict[str, str] = {name: info.description for name, info in STYLES.items()}

# The cloud's style names (GET /v1/visual_styles of api.jogg.ai) and the local layout nearest
# to each: a spec written for the cloud previews locally without an error.
CLOUD_STYLES: dict[str, str] = {
    "simpleproductswitch": FULL_SCREEN,
    "dynamicshowcase": PICTURE_IN_PICTURE,
    "elegantpresentation": PRESENTER,
    "simplesplitscreentemplate": SPLIT_SCREEN,
    "splitscreen": SPLIT_SCREEN,
}

_BY_KEY = {name.lower(): name for name in STYLES}


def _key(name: str) -> str:
    return "".join(char for char in name.lower() if char.isalnum())


def known_style(name: str) -> str | None:
    """The local style a name means exactly (ignoring case, spaces and punctuation), or None."""
    return _BY_KEY.get(_key(name))


def resolve_style(name: str) -> tuple[str, str | None]:
    """The local style for a name, and a note when it is a stand-in for another name."""
    local = known_style(name)
    if local is not None:
        return local, None
    key = _key(name)
    mapped = CLOUD_STYLES.get(key)
    if mapped is None:
        # Another cloud style: guess from the words it uses.
        if "split" in key:
            mapped = SPLIT_SCREEN
        elif "list" in key or "reason" in key or "top" in key:
            mapped = LISTICLE
        elif "avatar" in key or "presenter" in key or "host" in key:
            mapped = PRESENTER
        elif "card" in key:
            mapped = PRODUCT_CARD
        else:
            mapped = FULL_SCREEN
    return mapped, f'visual style "{name}" is shown as this engine\'s {mapped} layout'


def presenter_shown(style: str) -> bool:
    return STYLES[style].presenter is not None
