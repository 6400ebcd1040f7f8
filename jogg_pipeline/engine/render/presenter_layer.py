"""The presenter where the layout puts it: standing in its box down to the waist, or head and
shoulders in a circle; its mouth follows the narration's visemes and its eyes blink."""

from __future__ import annotations

from PIL import Image, ImageDraw

from jogg_pipeline.engine.narration.timing import VISEME_SHAPES, Viseme
from jogg_pipeline.engine.render.layout import Layout
from jogg_pipeline.engine.render.palette import Palette
from jogg_pipeline.engine.render.planar import Overlay, Planes, even
from jogg_pipeline.engine.render.presenter import (
    EYE_STATES,
    MouthTrack,
    Presenter,
    PresenterOverlays,
    fit_height,
)

SUPERSAMPLE = 4  # the circle's edge is drawn this much larger, then reduced


class StandingPresenter:
    """The figure to the waist, standing on the bottom of the layout's presenter box."""

    def __init__(self, layout: Layout, look_id: int, visemes: tuple[Viseme, ...], seed: int):
        box = layout.presenter_box
        assert box is not None
        height = fit_height("half", box.w, box.h)
        self.figure = PresenterOverlays(Presenter(look_id, height, "half", seed))
        width = self.figure.presenter.size[0]
        self.x = even(box.x + (box.w - width) / 2)
        self.y = even(box.bottom - height)
        self.mouth = MouthTrack(visemes)

    def paste(self, frame: Planes, t: float) -> None:
        self.figure.paste(frame, self.x, self.y, t, self.mouth.at(t))


class CirclePresenter:
    """Head and shoulders in a ringed circle; every mouth and eye state is drawn once."""

    def __init__(
        self,
        layout: Layout,
        look_id: int,
        visemes: tuple[Viseme, ...],
        palette: Palette,
        seed: int,
    ):
        box = layout.presenter_box
        assert box is not None
        side = even(min(box.w, box.h))
        self.x, self.y = even(box.x), even(box.y)
        self.presenter = Presenter(look_id, side, "bust", seed)
        ring = max(2, round(side * 0.035))
        disc, clip = _disc(side, ring, palette)
        self.sprites: dict[tuple[str, str], Overlay] = {}
        for shape in VISEME_SHAPES:
            for eyes in EYE_STATES:
                sprite = self.presenter.sprite(shape, eyes)
                image = disc.copy()
                inside = Image.new("RGBA", (side, side), (0, 0, 0, 0))
                inside.alpha_composite(sprite, ((side - sprite.width) // 2, side - sprite.height))
                image.paste(inside, (0, 0), _multiply(inside.getchannel("A"), clip))
                self.sprites[(shape, eyes)] = Overlay.from_rgba(image)
        self.mouth = MouthTrack(visemes)

    def paste(self, frame: Planes, t: float) -> None:
        eyes, _, _ = self.presenter.pose(t)
        overlay = self.sprites[(self.mouth.at(t), eyes)]
        frame.paste(overlay.planes, self.x, self.y, overlay.mask)


def _disc(side: int, ring: int, palette: Palette) -> tuple[Image.Image, Image.Image]:
    """A ringed disc in the palette's colours, and the mask of its inside (smooth edges)."""
    big = side * SUPERSAMPLE
    outer = Image.new("L", (big, big), 0)
    ImageDraw.Draw(outer).ellipse((0, 0, big - 1, big - 1), fill=255)
    inner = Image.new("L", (big, big), 0)
    inset = ring * SUPERSAMPLE
    ImageDraw.Draw(inner).ellipse((inset, inset, big - 1 - inset, big - 1 - inset), fill=255)
    outer = outer.resize((side, side), Image.Resampling.LANCZOS)
    inner = inner.resize((side, side), Image.Resampling.LANCZOS)
    disc = Image.new("RGBA", (side, side), (*palette.accent, 0))
    disc.putalpha(outer)
    fill = Image.new("RGBA", (side, side), (*palette.panel, 255))
    disc.paste(fill, (0, 0), inner)
    return disc, inner


def _multiply(first: Image.Image, second: Image.Image) -> Image.Image:
    from PIL import ImageChops

    return ImageChops.multiply(first, second)


def presenter_for(
    layout: Layout,
    look_id: int | None,
    visemes: tuple[Viseme, ...],
    palette: Palette,
    seed: int,
) -> StandingPresenter | CirclePresenter | None:
    """The presenter the layout shows, or None when it shows none."""
    if look_id is None or layout.presenter_box is None:
        return None
    if layout.presenter_crop == "bust":
        return CirclePresenter(layout, look_id, visemes, palette, seed)
    return StandingPresenter(layout, look_id, visemes, seed)
