"""Building a frame at time t from prepared scenes and timed layers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from jogg_pipeline.engine.render.captions import Cue
from jogg_pipeline.engine.render.cards import (
    Placed,
    badge_room,
    caption_layer,
    end_card,
    lower_third,
    panel_backdrop,
    pin,
    price_badge,
    title_card,
)
from jogg_pipeline.engine.render.graphics import (
    designed_backdrop,
    drop_shadow,
    initials,
    rounded_mask,
    scrim,
)
from jogg_pipeline.engine.render.layout import Layout
from jogg_pipeline.engine.render.listicle import ListItem, item_cards
from jogg_pipeline.engine.render.motion import choose_motion
from jogg_pipeline.engine.render.palette import Palette
from jogg_pipeline.engine.render.planar import (
    Mask,
    Overlay,
    Planes,
    blend,
    even,
    from_rgb,
)
from jogg_pipeline.engine.render.scenes import DesignedScene, ImagePlate, ImageScene, Scene
from jogg_pipeline.engine.render.spoken_captions import SpokenCaptions
from jogg_pipeline.engine.render.timeline import Timeline

TITLE_DIM = 0.55
# Without a photo the title sits over the monogram: darken more so the two do not compete.
TITLE_DIM_NO_IMAGES = 0.8
SCRIM_ALPHA = 0.78


class PresenterTrack(Protocol):
    """The presenter of a video, drawn into a frame at time t where the layout puts it."""

    def paste(self, frame: Planes, t: float) -> None: ...


@dataclass(frozen=True)
class Layer:
    """An overlay shown at (x, y) over [start, end) with fades and a small rise on entry."""

    overlay: Overlay
    x: int
    y: int
    start: float
    end: float
    fade_in: float
    fade_out: float
    rise: int = 0

    def state(self, t: float) -> tuple[float, int] | None:
        """Opacity and vertical offset at t, or None when hidden."""
        if t < self.start or t >= self.end:
            return None
        opacity = 1.0
        if self.fade_in > 0 and t < self.start + self.fade_in:
            opacity = (t - self.start) / self.fade_in
        if self.fade_out > 0 and t > self.end - self.fade_out:
            opacity = min(opacity, (self.end - t) / self.fade_out)
        entered = min(1.0, (t - self.start) / self.fade_in) if self.fade_in > 0 else 1.0
        return opacity, round(self.rise * (1 - entered) ** 2)


def make_layer(
    placed: Placed, start: float, end: float, fade_in: float, fade_out: float, rise: int = 0
) -> Layer:
    overlay = Overlay.from_rgba(placed.image)
    return Layer(overlay, even(placed.x), even(placed.y), start, end, fade_in, fade_out, rise)


def paste_layer(frame: Planes, layer: Layer, t: float) -> None:
    state = layer.state(t)
    if state is None:
        return
    opacity, offset = state
    mask = layer.overlay.mask if opacity >= 0.999 else layer.overlay.mask.faded(max(0.0, opacity))
    frame.paste(layer.overlay.planes, layer.x, layer.y + even(offset), mask)


class Compositor:
    """All prepared parts of one video; frame(t) is cheap and safe to call from threads."""

    def __init__(
        self,
        layout: Layout,
        timeline: Timeline,
        palette: Palette,
        images: list[Image.Image],
        title: str,
        price: str | None,
        cues: list[Cue],
        seed: int,
        *,
        captions: SpokenCaptions | None = None,
        presenter: PresenterTrack | None = None,
        items: list[ListItem] | None = None,
    ):
        self.layout = layout
        self.captions = captions
        self.presenter = presenter
        self.items = items or []
        self.timeline = timeline
        box = layout.image_box
        self.full_bleed = box.size == layout.size
        plates = [ImagePlate(image, box.size, palette) for image in images]
        self.scenes: list[Scene] = [
            ImageScene(plates[slot.index], choose_motion(seed, number))
            if plates
            else DesignedScene(box.size, palette, seed + number, number, initials(title))
            for number, slot in enumerate(timeline.scenes)
        ]
        radius = layout.image_radius
        self.image_mask = Mask.from_alpha(rounded_mask(box.size, radius)) if radius else None
        self.backdrop = self._backdrop(palette, seed)
        # The title card tints the picture towards the palette's darkest tone, not grey.
        self.shade = from_rgb(Image.new("RGB", layout.size, palette.deep))
        self.title_dim = TITLE_DIM if images else TITLE_DIM_NO_IMAGES
        self.end_scene = DesignedScene(layout.size, palette, seed + 1000, direction=seed)
        main_image = images[0] if images else None
        self.title_layer, self.body_layers, self.end_layers = self._layers(
            palette, main_image, title, price, cues
        )
        self.picture_shade = (
            from_rgb(Image.new("RGB", layout.size, (0, 0, 0))) if layout.picture_dim else None
        )

    def _backdrop(self, palette: Palette, seed: int) -> Planes | None:
        layout = self.layout
        if layout.backdrop == "panel":
            return from_rgb(panel_backdrop(layout, palette))
        if layout.backdrop == "designed":
            canvas = designed_backdrop(layout.size, palette.mid, palette.deep, palette.accent, seed)
            box = layout.image_box
            spread = round(min(layout.size) * 0.025)
            drop_shadow(canvas, (box.x, box.y, box.right, box.bottom), layout.image_radius, spread)
            return from_rgb(canvas)
        return None

    def _layers(
        self,
        palette: Palette,
        main_image: Image.Image | None,
        title: str,
        price: str | None,
        cues: list[Cue],
    ) -> tuple[Layer, list[Layer], list[Layer]]:
        """The title card, the layers over the body, and the end card's layers."""
        layout, timeline = self.layout, self.timeline
        fade = timeline.fade()
        rise = round(min(layout.size) * 0.03)
        body_end = timeline.outro_start + timeline.crossfade
        intro_end = timeline.intro_end
        layers: list[Layer] = []
        if layout.scrim:
            width, height = layout.size
            shade = scrim((width, round(height * 0.5)), (0, 0, 0), SCRIM_ALPHA)
            placed = Placed(shade, 0, height - shade.height)
            layers.append(make_layer(placed, intro_end - fade, body_end, fade, 0))
        # A standing presenter goes over the scrim, under every text layer.
        self.presenter_depth = len(layers)
        title_start = min(0.15, intro_end * 0.1)
        card = title_card(layout, title, price, palette)
        title_layer = make_layer(card, title_start, intro_end, fade, fade, rise)
        layers.append(title_layer)
        name = lower_third(layout, title, palette)
        layers.append(make_layer(name, intro_end, body_end, fade, 0, rise))
        if price:
            pill = price_badge(price, layout.badge_size, badge_room(layout), palette)
            x, y = pin(pill, layout.badge_point, layout.badge_anchor)
            badge_start = intro_end + fade / 2
            layers.append(make_layer(Placed(pill, x, y), badge_start, body_end, fade, 0, rise // 2))
        if layout.list_box is not None:
            for card, item in zip(
                item_cards(self.items, layout.list_box, palette), self.items, strict=True
            ):
                start = max(intro_end, item.start)
                layers.append(make_layer(card, start, body_end, fade, 0, rise))
        cue_fade = min(0.25, fade)
        for cue in cues:
            line = caption_layer(layout, cue.text, palette)
            layers.append(make_layer(line, cue.start, cue.end, cue_fade, cue_fade, rise // 2))
        closing = end_card(layout.size, main_image, title, price, palette)
        end_fade = timeline.fade(0.3, 0.6)
        end_layers = [
            make_layer(closing, timeline.outro_start, timeline.duration + 1, end_fade, 0, rise)
        ]
        return title_layer, layers, end_layers

    @property
    def cover_time(self) -> float:
        """A moment when the title card is fully shown: the cover image."""
        title = self.title_layer
        return (title.start + title.fade_in + title.end - title.fade_out) / 2

    def _picture(self, t: float) -> Planes:
        """The scene picture(s) at t, crossfaded, placed on the backdrop."""
        shown: list[tuple[Planes, float]] = []
        slots = self.timeline.scenes
        for slot, scene in zip(slots, self.scenes, strict=True):
            if slot.start <= t < slot.end or (slot is slots[-1] and t >= slot.start):
                progress = (t - slot.start) / (slot.end - slot.start)
                entering = (t - slot.start) / self.timeline.crossfade if slot.start > 0 else 1.0
                shown.append((scene.render(progress), min(1.0, entering)))
        picture = shown[0][0]
        for later, weight in shown[1:]:
            picture = blend(picture, later, weight) if weight < 1 else later
        if self.full_bleed:
            return picture
        assert self.backdrop is not None
        frame = self.backdrop.copy()
        box = self.layout.image_box
        frame.paste(picture, box.x, box.y, self.image_mask)
        return frame

    def _body(self, t: float) -> Planes:
        frame = self._picture(t)
        if self.picture_shade is not None:
            frame = blend(frame, self.picture_shade, self.layout.picture_dim)
        if self.layout.dim_title and t < self.timeline.intro_end:
            frame = blend(frame, self.shade, self._title_dim(t))
        standing = self.presenter if self.layout.presenter_crop == "half" else None
        for index, layer in enumerate(self.body_layers):
            if standing is not None and index == self.presenter_depth:
                standing.paste(frame, t)
            paste_layer(frame, layer, t)
        if standing is not None and self.presenter_depth >= len(self.body_layers):
            standing.paste(frame, t)
        return frame

    def _title_dim(self, t: float) -> float:
        fade = self.timeline.fade()
        remaining = self.timeline.intro_end - t
        return self.title_dim * (min(1.0, remaining / fade) if fade > 0 else 1.0)

    def _end(self, t: float) -> Planes:
        timeline = self.timeline
        progress = (t - timeline.outro_start) / max(1e-6, timeline.duration - timeline.outro_start)
        frame = self.end_scene.render(progress)
        for layer in self.end_layers:
            paste_layer(frame, layer, t)
        return frame

    def frame(self, t: float) -> Planes:
        """The frame at t seconds, as yuv420p planes."""
        frame = self._scene_frame(t)
        # A presenter in a circle and the captions of the voice stay until the voice ends,
        # over the end card too.
        if self.presenter is not None and self.layout.presenter_crop == "bust":
            self.presenter.paste(frame, t)
        if self.captions is not None:
            self.captions.paste(frame, t)
        return frame

    def _scene_frame(self, t: float) -> Planes:
        timeline = self.timeline
        if t < timeline.outro_start:
            return self._body(t)
        if t >= timeline.outro_start + timeline.crossfade:
            return self._end(t)
        weight = (t - timeline.outro_start) / timeline.crossfade
        return blend(self._body(t), self._end(t), weight)
