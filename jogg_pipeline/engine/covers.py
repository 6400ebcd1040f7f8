"""Cover images of the local avatars: the drawn presenter figures, made once per data folder."""

from __future__ import annotations

from PIL import Image, ImageDraw

from jogg_pipeline.engine.catalog import LOCAL_AVATARS, LocalAvatar
from jogg_pipeline.engine.files import DataLayout

COVER_SIZE = (270, 480)


def draw_avatar_cover(avatar: LocalAvatar) -> Image.Image:
    """A portrait card with the presenter's silhouette in its colour."""
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, "#f2f2f2")
    draw = ImageDraw.Draw(image)
    head = width // 5
    centre_x, head_y = width // 2, height * 2 // 5
    draw.ellipse(
        (centre_x - head, head_y - head, centre_x + head, head_y + head), fill=avatar.color
    )
    shoulders = (centre_x - 2 * head, head_y + int(1.3 * head), centre_x + 2 * head, height + head)
    draw.rounded_rectangle(shoulders, radius=head, fill=avatar.color)
    return image


def ensure_avatar_covers(layout: DataLayout) -> None:
    """Write any missing avatar cover under the files folder."""
    for avatar in LOCAL_AVATARS:
        path = layout.files / avatar.cover_path
        if path.is_file():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.png")
        draw_avatar_cover(avatar).save(partial)
        partial.replace(path)
