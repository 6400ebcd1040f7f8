"""The renderer's parts: text fitting, caption timing, timeline, music, layouts, styles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image

from jogg_pipeline.engine.render import QUALITIES, VISUAL_STYLES, RenderSpec
from jogg_pipeline.engine.render.captions import caption_lines, description_cues, spread_cues
from jogg_pipeline.engine.render.layout import make_layout
from jogg_pipeline.engine.render.planar import from_rgb, to_rgb
from jogg_pipeline.engine.render.renderer import build_compositor
from jogg_pipeline.engine.render.spec import frame_size
from jogg_pipeline.engine.render.styles import resolve_style
from jogg_pipeline.engine.render.text import ELLIPSIS, fit_box, fit_text, text_width
from jogg_pipeline.engine.render.timeline import plan_timeline

LONG_TITLE = "Ultra-Premium Ergonomic Adjustable Standing Desk Converter with Cable Tray " * 8


def test_fit_text_wraps_within_the_width() -> None:
    fitted = fit_text("Insulated steel water bottle with a leak-proof lid", 300, 3, 40, 20)
    assert 1 < len(fitted.lines) <= 3
    assert all(text_width(line, fitted.size) <= 300 for line in fitted.lines)


def test_fit_text_shrinks_before_it_shortens() -> None:
    fitted = fit_text("A fairly long product name that needs room", 300, 2, 60, 20)
    assert fitted.size < 60
    assert not fitted.lines[-1].endswith(ELLIPSIS)


def test_too_long_text_ends_with_an_ellipsis_and_still_fits() -> None:
    fitted = fit_box(LONG_TITLE, 400, 200, 48, 24, 3, bold=True)
    assert len(fitted.lines) <= 3
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert all(text_width(line, fitted.size, bold=True) <= 400 for line in fitted.lines)


def test_a_word_wider_than_the_box_is_broken() -> None:
    fitted = fit_text("https://example.com/" + "x" * 200, 200, 4, 30, 30)
    assert all(text_width(line, fitted.size) <= 200 for line in fitted.lines)


def test_caption_lines_split_sentences_and_long_runs() -> None:
    lines = caption_lines(
        "Short one. " + " ".join(f"word{index}" for index in range(30)) + "!\n• Bullet point"
    )
    assert lines[0] == "Short one."
    assert [len(line.split()) for line in lines[1:-1]] == [10, 10, 10]
    assert lines[-1] == "Bullet point"


def test_long_sentences_break_at_commas() -> None:
    lines = caption_lines(
        "Made from recycled aluminium, with a soft-touch grip, a magnetic lid "
        "and a strap that clips to any bag."
    )
    assert lines == [
        "Made from recycled aluminium, with a soft-touch grip,",
        "a magnetic lid and a strap that clips to any bag.",
    ]


def test_cues_are_ordered_inside_the_window_and_do_not_overlap() -> None:
    cues = description_cues("One two three. Four five six seven. Eight nine.", 2.0, 12.0)
    assert len(cues) == 3
    assert cues[0].start == pytest.approx(2.0)
    assert cues[-1].end <= 12.0
    for earlier, later in itertools.pairwise(cues):
        assert earlier.start < earlier.end <= later.start


def test_a_short_window_keeps_the_first_lines() -> None:
    cues = spread_cues([f"line {index}" for index in range(20)], 0.0, 5.0)
    assert [cue.text for cue in cues] == ["line 0", "line 1", "line 2"]


def test_no_description_means_no_cues() -> None:
    assert description_cues("   ", 0, 10) == []


@pytest.mark.parametrize("length", [1, 2, 15, 30, 60, 600])
@pytest.mark.parametrize("images", [0, 1, 3, 12])
def test_timeline_covers_the_video(length: int, images: int) -> None:
    timeline = plan_timeline(float(length), images)
    assert 0 < timeline.intro_end < timeline.outro_start < length
    assert timeline.scenes[0].start == 0
    assert timeline.scenes[-1].end >= timeline.outro_start
    for earlier, later in zip(timeline.scenes, timeline.scenes[1:], strict=False):
        assert later.start < earlier.end  # crossfades overlap
    if images:
        assert {slot.index for slot in timeline.scenes} <= set(range(images))


@pytest.mark.parametrize("style", list(VISUAL_STYLES))
@pytest.mark.parametrize("aspect", [0, 1, 2])
@pytest.mark.parametrize("quality", list(QUALITIES))
def test_layout_boxes_stay_inside_the_frame(style: str, aspect: int, quality: str) -> None:
    width, height = frame_size(aspect, QUALITIES[quality])
    assert width % 2 == 0 and height % 2 == 0
    layout = make_layout(style, width, height)
    for box in (layout.image_box, layout.title_box, layout.name_box, layout.caption_box):
        assert box.x >= 0 and box.y >= 0 and box.right <= width and box.bottom <= height
        assert box.w > 0 and box.h > 0
    image = layout.image_box
    assert all(value % 2 == 0 for value in (image.x, image.y, image.w, image.h))


@pytest.mark.parametrize("style", list(VISUAL_STYLES))
@pytest.mark.parametrize("aspect", [0, 1, 2])
def test_text_layers_never_leave_the_frame(style: str, aspect: int) -> None:
    spec = RenderSpec(
        aspect_ratio=aspect,
        video_length=30,
        title=LONG_TITLE,
        price="1.234.567,89 € " * 4,
        description=LONG_TITLE,
        visual_style=style,
        quality="preview",
    )
    compositor, (width, height), _ = build_compositor(spec)
    for layer in [*compositor.body_layers, *compositor.end_layers]:
        right, bottom = (
            layer.x + layer.overlay.planes.size[0],
            layer.y + layer.overlay.planes.size[1],
        )
        assert layer.x >= 0 and layer.y >= 0 and right <= width and bottom <= height


def test_styles_look_different_and_unknown_names_fall_back() -> None:
    assert resolve_style("split screen") == ("SplitScreen", None)
    assert resolve_style("picture_in_picture") == ("PictureInPicture", None)
    assert resolve_style("Simple Product Switch") == (
        "FullScreen",
        'visual style "Simple Product Switch" is shown as this engine\'s FullScreen layout',
    )
    assert resolve_style("Avatar Circle")[0] == "Presenter"
    assert resolve_style("Hologram")[0] == "FullScreen"
    frames = {}
    for style in (*VISUAL_STYLES, "NoSuchStyle"):
        spec = RenderSpec(
            aspect_ratio=0,
            video_length=10,
            title="Lamp",
            visual_style=style,
            quality="preview",
            script=("A warm lamp.", "It lights every room.", "Get yours today."),
            presenter_id=3,
        )
        compositor, _, _ = build_compositor(spec)
        frames[style] = np.asarray(to_rgb(compositor.frame(5.0)), dtype=int)
    assert np.array_equal(frames["NoSuchStyle"], frames["FullScreen"])
    names = list(VISUAL_STYLES)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            assert np.abs(frames[first] - frames[second]).mean() > 3, (first, second)


def test_captions_show_only_when_asked() -> None:
    base = dict(
        aspect_ratio=1, video_length=15, title="Lamp", description="Warm light for reading."
    )
    shown, _, _ = build_compositor(RenderSpec(**base, caption=True, quality="preview"))  # type: ignore[arg-type]
    hidden, _, _ = build_compositor(RenderSpec(**base, caption=False, quality="preview"))  # type: ignore[arg-type]
    middle = sum(shown.timeline.body) / 2
    difference = np.abs(
        np.asarray(to_rgb(shown.frame(middle)), dtype=int)
        - np.asarray(to_rgb(hidden.frame(middle)), dtype=int)
    )
    assert difference.mean() > 0.5


def test_yuv_planes_round_trip_colours() -> None:
    image = Image.new("RGB", (64, 32), (200, 60, 30))
    back = np.asarray(to_rgb(from_rgb(image)), dtype=int)
    assert np.abs(back - np.array([200, 60, 30])).max() <= 3
