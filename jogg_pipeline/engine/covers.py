"""Cover images of the local avatars: the drawn presenters, made once per data folder."""

from __future__ import annotations

from jogg_pipeline.engine.catalog import LOCAL_AVATARS
from jogg_pipeline.engine.files import DataLayout

COVER_SIZE = (270, 480)


def ensure_avatar_covers(layout: DataLayout) -> None:
    """Write any missing avatar cover under the files folder."""
    from jogg_pipeline.engine.render.presenter import cover

    for avatar in LOCAL_AVATARS:
        path = layout.files / avatar.cover_path
        if path.is_file():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.png")
        cover(avatar.avatar_id, COVER_SIZE).save(partial)
        partial.replace(path)
