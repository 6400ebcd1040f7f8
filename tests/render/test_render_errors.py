"""Bad render requests fail with one clear RenderError line."""

from __future__ import annotations

from pathlib import Path

import pytest

from jogg_pipeline.engine.render import RenderError, RenderSpec, render_video
from jogg_pipeline.errors import PipelineError


def spec(**fields: object) -> RenderSpec:
    defaults: dict[str, object] = dict(
        aspect_ratio=0, video_length=2, title="Lamp", quality="preview"
    )
    return RenderSpec(**{**defaults, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quality": "ultra"}, "unknown render quality 'ultra' (known: full, hd, preview)"),
        ({"video_length": 0}, "video_length must be between 1 and 600 seconds, got 0"),
        ({"video_length": -15}, "video_length must be between 1 and 600 seconds, got -15"),
        ({"video_length": 601}, "video_length must be between 1 and 600 seconds, got 601"),
        ({"video_length": 2.5}, "video_length must be a whole number of seconds, got 2.5"),
        (
            {"aspect_ratio": 3},
            "aspect_ratio must be 0 (portrait), 1 (landscape) or 2 (square), got 3",
        ),
        ({"title": "   "}, "title must be a non-empty string"),
        (
            {"images": Path("photo.jpg")},
            "images must be a tuple of image file paths, not a single path",
        ),
        ({"visual_style": None}, "visual_style must be a style name, got None"),
    ],
)
def test_bad_specs_raise_a_clear_render_error(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(RenderError) as raised:
        render_video(spec(**fields), tmp_path / "v.mp4", tmp_path / "c.jpg")
    assert str(raised.value) == message
    assert not (tmp_path / "v.mp4").exists()


def test_render_error_is_a_pipeline_error() -> None:
    assert issubclass(RenderError, PipelineError)


def test_an_unwritable_output_folder_is_a_render_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(RenderError, match="cannot write the video or cover"):
        render_video(spec(video_length=1), blocker / "v.mp4", blocker / "c.jpg")


def test_a_failed_render_leaves_no_partial_video(tmp_path: Path) -> None:
    cover_blocker = tmp_path / "covers"
    cover_blocker.write_text("a file where the cover folder should be")
    with pytest.raises(RenderError):
        render_video(spec(video_length=1), tmp_path / "v.mp4", cover_blocker / "c.jpg")
    assert list(tmp_path.iterdir()) == [cover_blocker]
