"""Loading product images: unreadable, corrupt or tiny files are skipped, never fatal."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps

MIN_IMAGE_SIDE = 64
MAX_IMAGES = 12
# Larger sources only cost memory: nothing is drawn above this many pixels on a side.
MAX_WORKING_SIDE = 2600


def load_image(path: Path) -> Image.Image | None:
    """The image as RGB (transparency flattened onto white), or None if it cannot be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                opened.draft("RGB", (MAX_WORKING_SIDE, MAX_WORKING_SIDE))
                image = ImageOps.exif_transpose(opened)
                image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None
    if min(image.size) < MIN_IMAGE_SIDE:
        return None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, (0, 0), rgba)
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_WORKING_SIDE, MAX_WORKING_SIDE), Image.Resampling.LANCZOS)
    return image


def load_images(paths: tuple[Path, ...]) -> list[Image.Image]:
    """The usable images among paths, in order, at most MAX_IMAGES."""
    loaded: list[Image.Image] = []
    for path in paths:
        image = load_image(Path(path))
        if image is not None:
            loaded.append(image)
        if len(loaded) == MAX_IMAGES:
            break
    return loaded
