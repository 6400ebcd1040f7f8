"""Drawn presenters, measured in pixels: looks, mouth shapes, blinks, crops, timing, covers."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jogg_pipeline.engine.catalog import LOCAL_AVATARS
from jogg_pipeline.engine.narration.timing import VISEME_SHAPES, Viseme
from jogg_pipeline.engine.render.planar import from_rgb, to_rgb
from jogg_pipeline.engine.render.presenter import (
    CROPS,
    EYE_STATES,
    FRAME_30FPS,
    MOUTH_INSIDE,
    Presenter,
    PresenterOverlays,
    RenderError,
    cover,
    crop_width,
    fit_height,
    mouth_at,
)
from jogg_pipeline.engine.render.presenter_looks import (
    AGES,
    ALL_ASPECTS,
    BEARDS,
    HAIR_STYLES,
    LOOKS,
    OUTFITS,
)
from jogg_pipeline.errors import PipelineError

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "presenter.py"
LOOK_IDS = [look.look_id for look in LOOKS]


@cache
def presenter(look_id: int, height: int, crop: str = "full", seed: int = 0) -> Presenter:
    return Presenter(look_id, height, crop, seed)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def changed(first: Image.Image, second: Image.Image) -> np.ndarray:
    """Where two images of one size differ (a boolean mask)."""
    return (pixels(first) != pixels(second)).any(axis=2)


def inside(mask: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether every True pixel of `mask` is inside `box`."""
    rows, cols = np.nonzero(mask)
    x0, y0, x1, y1 = box
    return bool(
        rows.size and rows.min() >= y0 and rows.max() < y1 and cols.min() >= x0 and cols.max() < x1
    )


def near(image: Image.Image, color: tuple[int, int, int], distance: int = 30) -> int:
    """How many opaque pixels are within `distance` of `color`."""
    rgba = pixels(image)
    close = (np.abs(rgba[..., :3] - np.asarray(color)).max(axis=2) <= distance) & (
        rgba[..., 3] == 255
    )
    return int(close.sum())


def on_grey(image: Image.Image) -> np.ndarray:
    canvas = Image.new("RGBA", image.size, (128, 128, 128, 255))
    canvas.alpha_composite(image)
    return pixels(canvas.convert("RGB"))


# ---------------------------------------------------------------------------- the looks


def test_the_table_keeps_the_catalogue_avatars_and_adds_more() -> None:
    for avatar in LOCAL_AVATARS:
        look = next(look for look in LOOKS if look.look_id == avatar.avatar_id)
        assert (look.name, look.gender, look.color) == (avatar.name, avatar.gender, avatar.color)
    assert len(LOOKS) >= 6 and len(set(LOOK_IDS)) == len(LOOK_IDS)
    assert {look.gender for look in LOOKS} == {"female", "male"}
    assert {look.age for look in LOOKS} <= set(AGES)
    for field in ("skin", "hair", "hair_style", "outfit", "style"):
        assert len({getattr(look, field) for look in LOOKS}) >= 3, field
    assert all(set(look.aspect_ratios) <= set(ALL_ASPECTS) and look.aspect_ratios for look in LOOKS)
    for look in LOOKS:
        assert look.hair_style in HAIR_STYLES and look.outfit in OUTFITS and look.beard in BEARDS


@pytest.mark.parametrize("look_id", LOOK_IDS)
def test_every_look_renders_at_three_heights(look_id: int) -> None:
    for height in (120, 360, 720):
        figure = presenter(look_id, height)
        image = figure.base
        assert image.mode == "RGBA"
        assert image.size == (crop_width("full", height), height) == figure.size
        alpha = pixels(image.getchannel("A"))
        # Transparent around the figure (the hips are cut by the bottom edge) ...
        assert alpha[0].max() == alpha[:, 0].max() == alpha[:, -1].max() == 0
        assert alpha[-1].max() == 255
        # ... and opaque inside it: the face, the chest, the hips.
        x0, y0, x1, y1 = figure.face_box
        face = alpha[
            (y0 + y1) // 2 - 3 : (y0 + y1) // 2 + 3, (x0 + x1) // 2 - 3 : (x0 + x1) // 2 + 3
        ]
        assert face.min() == 255
        centre = image.width // 2
        assert alpha[int(height * 0.6), centre] == alpha[height - 1, centre] == 255
        # Smooth edges: a thin band of partly transparent pixels around a solid figure.
        partial = int(((alpha > 0) & (alpha < 255)).sum())
        opaque = int((alpha == 255).sum())
        assert 0 < partial < 0.08 * opaque


def test_looks_differ_from_each_other() -> None:
    images = {look_id: on_grey(presenter(look_id, 240).base) for look_id in LOOK_IDS}
    for first, second in itertools.combinations(LOOK_IDS, 2):
        difference = np.abs(images[first] - images[second]).mean()
        assert difference > 8, (first, second, difference)


def test_the_same_look_is_drawn_the_same_every_time() -> None:
    first, second = Presenter(5, 300, "half"), Presenter(5, 300, "half")
    assert first.base.tobytes() == second.base.tobytes()
    for shape in VISEME_SHAPES:
        assert first.sprite(shape, "half").tobytes() == second.sprite(shape, "half").tobytes()


# ---------------------------------------------------------------------------- mouths and eyes


@pytest.mark.parametrize("look_id", LOOK_IDS)
def test_each_mouth_shape_changes_the_mouth_and_nothing_else(look_id: int) -> None:
    figure = presenter(look_id, 360, "bust")
    sprites = {shape: figure.sprite(shape) for shape in VISEME_SHAPES}
    mouth = figure.mouths["rest"].box
    face = figure.face_box
    # The mouth is in the lower half of the face, centred.
    assert face[0] < mouth[0] < mouth[2] < face[2]
    assert (face[1] + face[3]) / 2 < mouth[1] < mouth[3] < face[3]
    for first, second in itertools.combinations(VISEME_SHAPES, 2):
        difference = changed(sprites[first], sprites[second])
        assert difference.sum() > 10, (first, second)
        assert inside(difference, mouth), (first, second)
    # Pressed lips show none of the mouth's inside; an open mouth shows plenty.
    box = figure.mouths["rest"].box
    inner = {shape: near(sprites[shape].crop(box), MOUTH_INSIDE, 10) for shape in VISEME_SHAPES}
    assert inner["open"] > 5 * max(1, inner["closed"], inner["rest"])
    assert inner["open"] > inner["wide"] > inner["closed"] and inner["round"] > inner["closed"]
    assert inner["open"] > 0.04 * (box[2] - box[0]) * (box[3] - box[1])


@pytest.mark.parametrize("look_id", LOOK_IDS)
def test_closing_eyes_changes_only_the_eyes_and_hides_their_whites(look_id: int) -> None:
    figure = presenter(look_id, 360, "bust")
    eyes = figure.eyes["open"].box
    face = figure.face_box
    # Both eyes, in the upper half of the face, clear of the mouth.
    assert face[0] < eyes[0] < eyes[2] < face[2]
    assert face[1] < (eyes[1] + eyes[3]) / 2 < (face[1] + face[3]) / 2
    assert eyes[3] <= figure.mouths["rest"].box[1]
    sprites = {state: figure.sprite("rest", state) for state in EYE_STATES}
    for first, second in itertools.combinations(EYE_STATES, 2):
        difference = changed(sprites[first], sprites[second])
        assert difference.sum() > 10 and inside(difference, eyes), (first, second)
    whites = {state: near(sprites[state].crop(eyes), (255, 255, 255), 8) for state in EYE_STATES}
    assert whites["open"] > whites["half"] > whites["closed"] == 0
    # Closed lids are skin and a lash line: the eyes' area turns towards the skin's colour.
    skin = np.asarray(figure.look.rgb("skin"))
    distance = {
        state: np.abs(pixels(sprites[state].crop(eyes))[..., :3] - skin).mean()
        for state in EYE_STATES
    }
    assert distance["closed"] < distance["half"] < distance["open"]


def test_patches_are_small_opaque_rectangles_on_even_pixels() -> None:
    for crop in CROPS:
        figure = presenter(2, 360, crop)
        area = figure.width * figure.height
        for patch in (*figure.mouths.values(), *figure.eyes.values()):
            assert patch.x % 2 == patch.y % 2 == patch.image.width % 2 == 0
            assert patch.image.height % 2 == 0
            assert patch.image.getchannel("A").getextrema() == (255, 255)
            assert patch.image.width * patch.image.height < 0.03 * area


# ---------------------------------------------------------------------------- motion


def blink_timeline(figure: Presenter, seconds: float) -> list[str]:
    return [figure.pose(frame / 30)[0] for frame in range(round(seconds * 30))]


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_blinks_come_within_every_6_seconds_and_are_short(seed: int) -> None:
    figure = presenter(1, 120, "bust", seed)
    states = blink_timeline(figure, 120)
    closed = [index for index, state in enumerate(states) if state == "closed"]
    window = 6 * 30
    for start in range(len(states) - window):
        assert any(start <= index < start + window for index in closed), start / 30
    runs = [(state, len(list(group))) for state, group in itertools.groupby(states)]
    for index, (state, length) in enumerate(runs):
        if state == "closed":
            assert length <= 3  # 0.07 s at 30 fps
            assert runs[index - 1][0] == runs[index + 1][0] == "half"
        if state == "half":
            assert length <= 2
    blinks = sum(1 for state, _ in runs if state == "closed")
    assert 120 / 5.5 - 1 <= blinks <= 120 / 2 + 1


def test_blinks_are_deterministic_per_seed() -> None:
    first = blink_timeline(Presenter(3, 96, "bust", seed=4), 30)
    again = blink_timeline(Presenter(3, 96, "bust", seed=4), 30)
    other = blink_timeline(Presenter(3, 96, "bust", seed=5), 30)
    assert first == again != other


def test_the_figure_sways_and_breathes_a_few_pixels_and_never_rises() -> None:
    figure = presenter(4, 720, "half", 3)
    offsets = [figure.pose(frame / 30)[1:] for frame in range(30 * 20)]
    xs, ys = {dx for dx, _ in offsets}, {dy for _, dy in offsets}
    assert len(xs) >= 3 and len(ys) >= 2  # never frozen
    assert all(value % 2 == 0 for value in xs | ys)
    assert max(abs(dx) for dx in xs) <= 6 and min(ys) == 0 and max(ys) <= 4
    # Small steps only: at most one 2-pixel step from one frame to the next.
    for (x0, y0), (x1, y1) in itertools.pairwise(offsets):
        assert abs(x1 - x0) <= 2 and abs(y1 - y0) <= 2


# ---------------------------------------------------------------------------- mouth timing


def track(*segments: tuple[str, float, float]) -> tuple[Viseme, ...]:
    return tuple(Viseme(shape, start, end) for shape, start, end in segments)


def test_mouth_at_follows_the_visemes() -> None:
    visemes = track(("rest", 0.0, 0.2), ("open", 0.2, 0.5), ("wide", 0.5, 0.8), ("round", 0.8, 1.0))
    expected = {-1.0: "rest", 0.1: "rest", 0.2: "open", 0.49: "open", 0.5: "wide", 0.95: "round"}
    for t, shape in expected.items():
        assert mouth_at(visemes, t) == shape, t
    assert mouth_at(visemes, 1.0) == mouth_at(visemes, 7.0) == "rest"


def test_shapes_shorter_than_a_frame_are_merged_into_their_neighbours() -> None:
    visemes = track(
        ("teeth", 0.0, 0.02),  # first and short: takes the next shape
        ("open", 0.02, 0.3),
        ("closed", 0.3, 0.32),  # short: the open mouth holds
        ("wide", 0.32, 0.6),
        ("round", 0.9, 0.91),  # alone between pauses: a pause
    )
    assert mouth_at(visemes, 0.01) == "open"
    assert mouth_at(visemes, 0.31) == "open"
    assert mouth_at(visemes, 0.33) == "wide"
    assert mouth_at(visemes, 0.905) == "rest"


def test_a_fast_track_never_shows_a_shape_for_less_than_a_frame() -> None:
    rng = np.random.default_rng(3)
    t, segments = 0.0, []
    for _ in range(400):
        length = float(rng.choice([0.01, 0.02, 0.03, 0.05, 0.12]))
        segments.append((VISEME_SHAPES[int(rng.integers(len(VISEME_SHAPES)))], t, t + length))
        t += length
    visemes = track(*segments)
    fine = [mouth_at(visemes, step / 1000) for step in range(round(t * 1000))]
    runs = [len(list(group)) for _, group in itertools.groupby(fine)]
    assert all(length >= FRAME_30FPS * 1000 - 1 for length in runs[1:-1])
    assert len(set(fine)) == len(VISEME_SHAPES)  # merged, not flattened
    # Long shapes survive as they were.
    for shape, start, end in segments:
        if end - start > 0.1:
            assert mouth_at(visemes, (start + end) / 2) == shape


# ---------------------------------------------------------------------------- crops and placing


def test_bust_and_half_crops_have_their_shapes_and_show_the_face() -> None:
    bust, half, full = presenter(6, 480, "bust"), presenter(6, 750, "half"), presenter(6, 1000)
    assert bust.size == (480, 480)
    assert half.size == (408, 750) and full.size == (408, 1000)
    # The half crop is the full figure down to the waist, pixel for pixel.
    assert half.base.tobytes() == full.base.crop((0, 0, 408, 750)).tobytes()
    for figure in (bust, half):
        x0, y0, x1, y1 = figure.face_box
        assert 0 <= x0 < x1 <= figure.width and 0 <= y0 < y1 <= figure.height
        skin = near(figure.base.crop(figure.face_box), figure.look.rgb("skin"), 6)
        assert skin > 0.3 * (x1 - x0) * (y1 - y0)
    # The bust's face sits near the middle of the square, for a circle around it.
    x0, y0, x1, y1 = bust.face_box
    assert abs((x0 + x1) / 2 - 240) <= 2 and 0.35 < (y0 + y1) / 2 / 480 < 0.65
    assert bust.bounds[1] >= 0 and bust.bounds[3] == 480


def test_fit_height_gives_the_tallest_sprite_that_fits_a_box() -> None:
    for crop, box in (("half", (820, 960)), ("bust", (366, 366)), ("full", (300, 1920))):
        height = fit_height(crop, *box)
        assert crop_width(crop, height) <= box[0] and height <= box[1]
        assert crop_width(crop, height + 1) > box[0] or height == box[1]


def test_pasting_into_yuv_planes_matches_the_sprite_over_the_frame() -> None:
    figure = presenter(8, 400, "half", 2)
    overlays = PresenterOverlays(figure)
    background = Image.new("RGB", (640, 480), (30, 120, 90))
    times = [0.5] + [frame / 30 for frame in range(300) if figure.pose(frame / 30)[0] == "closed"]
    for t, shape in zip(times[:2], ("open", "round"), strict=True):
        eyes, dx, dy = figure.pose(t)
        frame = from_rgb(background)
        overlays.paste(frame, 100, 80, t, shape)
        expected = background.convert("RGBA")
        expected.alpha_composite(figure.sprite(shape, eyes), (100 + dx, 80 + dy))
        got = pixels(to_rgb(frame))
        assert np.abs(got - pixels(expected.convert("RGB"))).mean() < 2.5
        # The mouth's pixels are the chosen shape's, not the resting mouth's.
        x, y, x1, y1 = figure.mouths[shape].box
        box = (100 + dx + x, 80 + dy + y, 100 + dx + x1, 80 + dy + y1)
        region = got[box[1] : box[3], box[0] : box[2]]
        wanted = pixels(expected.convert("RGB").crop(box))
        assert np.abs(region - wanted).mean() < 3


def test_a_faded_figure_fades_its_face_with_it() -> None:
    figure = presenter(1, 300, "bust")
    overlays = PresenterOverlays(figure)
    background = Image.new("RGB", (400, 400), (200, 40, 40))
    frame = from_rgb(background)
    overlays.paste(frame, 40, 40, 0.0, "open", opacity=0.5)
    eyes, dx, dy = figure.pose(0.0)
    sprite = figure.sprite("open", eyes)
    faded = sprite.copy()
    faded.putalpha(sprite.getchannel("A").point(lambda value: round(value * 0.5)))
    expected = background.convert("RGBA")
    expected.alpha_composite(faded, (40 + dx, 40 + dy))
    x, y, x1, y1 = figure.mouths["open"].box
    box = (40 + dx + x, 40 + dy + y, 40 + dx + x1, 40 + dy + y1)
    got = pixels(to_rgb(frame).crop(box))
    assert np.abs(got - pixels(expected.convert("RGB").crop(box))).mean() < 3


# ---------------------------------------------------------------------------- covers


def test_covers_show_each_look_on_its_own_card() -> None:
    cards = {look_id: cover(look_id, (270, 480)) for look_id in LOOK_IDS}
    for look_id, card in cards.items():
        assert card.mode == "RGB" and card.size == (270, 480)
        assert pixels(card).std() > 20  # a figure, not a flat colour
        assert cover(look_id, (270, 480)).tobytes() == card.tobytes()
    for first, second in itertools.combinations(LOOK_IDS, 2):
        assert np.abs(pixels(cards[first]) - pixels(cards[second])).mean() > 5
    square = cover(1, (300, 300))
    assert square.size == (300, 300)


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Presenter(99, 300), "unknown presenter look 99 (known: 1, 2, 3, 4, 5, 6, 7, 8)"),
        (
            lambda: Presenter(1, 300, "knees"),
            "unknown presenter crop 'knees' (known: full, half, bust)",
        ),
        (lambda: Presenter(1, 10), "presenter height must be between 64 and 4320 px, got 10"),
        (lambda: Presenter(1, 5000), "presenter height must be between 64 and 4320 px, got 5000"),
        (
            lambda: presenter(1, 120).sprite("smile"),
            "unknown mouth shape 'smile' (known: rest, closed, open, wide, round, teeth)",
        ),
        (
            lambda: presenter(1, 120).sprite("rest", "wink"),
            "unknown eye state 'wink' (known: open, half, closed)",
        ),
        (
            lambda: PresenterOverlays(presenter(1, 120)).paste(
                from_rgb(Image.new("RGB", (200, 200))), 0, 0, 0.0, "grin"
            ),
            "unknown mouth shape 'grin' (known: rest, closed, open, wide, round, teeth)",
        ),
        (
            lambda: mouth_at(track(("open", 0, 0.2), ("yawn", 0.2, 0.5)), 0.1),
            "unknown mouth shape 'yawn' at 0.20 s (known: rest, closed, open, wide, round, teeth)",
        ),
        (lambda: cover(0, (270, 480)), "unknown presenter look 0 (known: 1, 2, 3, 4, 5, 6, 7, 8)"),
        (
            lambda: cover(1, (0, 480)),
            "a presenter cover must be between 48 and 4320 px a side, got 0x480",
        ),
    ],
)
def test_errors_are_one_clear_line(make: object, message: str) -> None:
    with pytest.raises(RenderError) as caught:
        make()  # type: ignore[operator]
    assert str(caught.value) == message
    assert isinstance(caught.value, PipelineError)


# ---------------------------------------------------------------------------- the benchmark


def test_benchmark_reports_json() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            *("--height", "360", "--look", "3", "--crop", "bust"),
            *("--frames", "30", "--json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    (row,) = json.loads(completed.stdout)["results"]
    assert row["look"] == 3 and row["crop"] == "bust" and row["size"] == "360x360"
    assert row["prepare_s"] > 0 and row["paste"]["median_ms"] > 0
    assert row["patches_only"]["median_ms"] <= row["paste"]["median_ms"]
