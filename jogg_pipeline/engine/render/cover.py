"""The cover image: the title card over the main picture, as JPEG or PNG by file suffix."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def save_cover(frame: Image.Image, path: Path) -> None:
    if path.suffix.lower() == ".png":
        frame.save(path, format="PNG", optimize=False)
    else:
        frame.convert("RGB").save(path, format="JPEG", quality=90, optimize=True)
