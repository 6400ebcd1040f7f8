"""Where things go: the boxes of each visual style in each frame shape.

All sizes derive from the short side of the frame, so every quality looks the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jogg_pipeline.engine.render.planar import even
from jogg_pipeline.engine.render.styles import (
    FULL_SCREEN,
    LISTICLE,
    PICTURE_IN_PICTURE,
    PRESENTER,
    PRODUCT_CARD,
    SPLIT_SCREEN,
)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def size(self) -> tuple[int, int]:
        return self.w, self.h


@dataclass(frozen=True)
class Layout:
    style: str
    size: tuple[int, int]
    margin: int
    image_box: Box  # where the moving picture shows
    image_radius: int  # rounded corners of the picture (0: square edges)
    backdrop: str  # behind the picture: "none", "panel" or "designed"
    text_on_panel: bool  # dark text on a light panel, else light text over pictures
    title_box: Box  # the opening title card (name and price), centred in it
    dim_title: bool  # darken the picture under the opening title
    name_box: Box  # the lower third
    name_anchor: str  # "top" or "bottom" of name_box
    name_align: str  # "left" or "center"
    name_size: int
    caption_box: Box
    caption_anchor: str  # "top", "bottom" or "center" of caption_box
    caption_size: int
    caption_plate: bool  # a translucent box behind caption lines
    badge_point: tuple[int, int]  # where the price badge is pinned
    badge_anchor: str  # which corner of the badge is pinned: "tr", "tl", "bl", "cr"
    badge_size: int
    title_size: int
    scrim: bool  # a dark gradient at the bottom under the lower third
    presenter_box: Box | None = None  # where the presenter stands (None: no presenter)
    presenter_crop: str = "half"  # "half" (to the waist, standing on the box's bottom) or
    # "bust" (head and shoulders in a circle filling the box)
    list_box: Box | None = None  # the listicle's numbered cards
    picture_dim: float = 0.0  # darken the product shots by this much (0..1) behind a presenter


def make_layout(style: str, width: int, height: int) -> Layout:
    builders = {
        FULL_SCREEN: _full_screen,
        SPLIT_SCREEN: _split_screen,
        PICTURE_IN_PICTURE: _picture_in_picture,
        PRESENTER: _presenter,
        LISTICLE: _listicle,
        PRODUCT_CARD: _product_card,
    }
    layout = builders.get(style, _full_screen)(width, height)
    # The picture is composited in yuv420p, whose chroma is half size: keep it on even pixels.
    box = layout.image_box
    return replace(layout, image_box=Box(even(box.x), even(box.y), even(box.w), even(box.h)))


def safe_area(width: int, height: int) -> Box:
    """Where text must stay: clear of the frame's edges, and in portrait of the bottom band
    and top bar that social apps cover with their own buttons and captions."""
    edge = round(min(width, height) * 0.05)
    if height > width:
        top, bottom = round(height * 0.06), round(height * 0.14)
        return Box(edge, top, width - 2 * edge, height - top - bottom)
    return Box(edge, edge, width - 2 * edge, height - 2 * edge)


def _units(width: int, height: int) -> tuple[int, float]:
    short = min(width, height)
    return round(0.06 * short), short


def _full_screen(width: int, height: int) -> Layout:
    margin, short = _units(width, height)
    portrait, landscape = height > width, width > height
    name_size = round(short * (0.062 if portrait else 0.058))
    caption_size = round(short * (0.05 if portrait else 0.052))
    name_h = round(name_size * 1.25 * 2)
    bar = round(short * 0.022)
    name_bottom = safe_area(width, height).bottom if portrait else height - round(margin * 1.4)
    name_box = Box(margin + bar, name_bottom - name_h, width - 2 * margin - bar, name_h)
    caption_lines = 3 if portrait else 2
    caption_h = round(caption_size * 1.35 * caption_lines)
    caption_w = round(width * 0.62) if landscape else width - 2 * margin
    caption_bottom = name_box.y - round(short * 0.045)
    return Layout(
        style=FULL_SCREEN,
        size=(width, height),
        margin=margin,
        image_box=Box(0, 0, width, height),
        image_radius=0,
        backdrop="none",
        text_on_panel=False,
        title_box=Box(
            round(width * 0.1), round(height * 0.22), round(width * 0.8), round(height * 0.56)
        ),
        dim_title=True,
        name_box=name_box,
        name_anchor="bottom",
        name_align="left",
        name_size=name_size,
        caption_box=Box((width - caption_w) // 2, caption_bottom - caption_h, caption_w, caption_h),
        caption_anchor="bottom",
        caption_size=caption_size,
        caption_plate=True,
        badge_point=(width - margin, round(margin * 1.2)),
        badge_anchor="tr",
        badge_size=round(short * 0.052),
        title_size=round(short * (0.1 if portrait else 0.085)),
        scrim=True,
    )


def _split_screen(width: int, height: int) -> Layout:
    """Product shots on one half; on the other, a colour panel where the presenter stands,
    with the name above; the captions sit on the seam between the two."""
    margin, short = _units(width, height)
    landscape = width > height
    caption_size = round(short * (0.05 if landscape else 0.048))
    caption_h = round(caption_size * 1.35 * 2)
    name_size = round(short * (0.062 if landscape else 0.056))
    if landscape:
        image_box = Box(0, 0, width // 2, height)
        panel = Box(image_box.right, 0, width - image_box.right, height)
        name_box = Box(panel.x + margin, margin, panel.w - 2 * margin, round(name_size * 2.6))
        presenter = Box(panel.x, round(height * 0.24), panel.w, height - round(height * 0.24))
        caption_w = round(width * 0.62)
        caption_box = Box(
            (width - caption_w) // 2, height - margin - caption_h, caption_w, caption_h
        )
        badge_point, badge_anchor = (image_box.right - margin, margin), "tr"
    else:
        image_box = Box(0, 0, width, round(height * 0.5))
        panel = Box(0, image_box.bottom, width, height - image_box.bottom)
        text_w = round(width * 0.5) - margin
        name_box = Box(margin, panel.y + round(margin * 1.6), text_w, round(name_size * 3.9))
        top = panel.y + round(panel.h * 0.06)
        presenter = Box(round(width * 0.42), top, width - round(width * 0.42), height - top)
        caption_box = Box(margin, image_box.bottom - caption_h // 2, width - 2 * margin, caption_h)
        badge_point, badge_anchor = (width - margin, margin), "tr"
    return Layout(
        style=SPLIT_SCREEN,
        size=(width, height),
        margin=margin,
        image_box=image_box,
        image_radius=0,
        backdrop="panel",
        text_on_panel=True,
        title_box=name_box,
        dim_title=False,
        name_box=name_box,
        name_anchor="top",
        name_align="left",
        name_size=name_size,
        caption_box=caption_box,
        caption_anchor="center",
        caption_size=caption_size,
        caption_plate=True,
        badge_point=badge_point,
        badge_anchor=badge_anchor,
        badge_size=round(short * 0.05),
        title_size=round(short * 0.075),
        scrim=False,
        presenter_box=presenter,
        presenter_crop="half",
    )


def _picture_in_picture(width: int, height: int) -> Layout:
    """Full-screen product shots with the presenter in a circle at the top left."""
    layout = _full_screen(width, height)
    margin, short = _units(width, height)
    side = even(round(short * (0.34 if height > width else 0.3)))
    top = round(height * 0.07) if height > width else margin
    return replace(
        layout,
        style=PICTURE_IN_PICTURE,
        presenter_box=Box(margin, top, side, side),
        presenter_crop="bust",
    )


def _presenter(width: int, height: int) -> Layout:
    """The presenter in front of the product shots, which play behind, a little darkened."""
    layout = _full_screen(width, height)
    margin, _ = _units(width, height)
    caption = layout.caption_box
    if width > height:
        presenter = Box(round(width * 0.58), round(height * 0.1), round(width * 0.42), 0)
        text_w = round(width * 0.55)
        name_box = replace(layout.name_box, w=text_w - layout.name_box.x)
        caption_box = Box(margin, caption.y, text_w - margin, caption.h)
    else:
        share = 0.5 if height > width else 0.56
        top = round(height * (1 - share))
        presenter = Box(round(width * 0.12), top, round(width * 0.76), 0)
        # The captions sit above the presenter's head, clear of the face.
        gap = round(height * 0.015)
        caption_box = Box(caption.x, top - gap - caption.h, caption.w, caption.h)
        name_box = layout.name_box
    presenter = replace(presenter, h=height - presenter.y)
    # The opening title sits above the presenter's head, never over the face.
    title_box = Box(
        layout.title_box.x,
        round(height * 0.07),
        (presenter.x - margin - layout.title_box.x) if width > height else layout.title_box.w,
        round(height * (0.5 if width > height else 0.3)),
    )
    return replace(
        layout,
        style=PRESENTER,
        title_box=title_box,
        dim_title=False,
        name_box=name_box,
        caption_box=caption_box,
        presenter_box=presenter,
        presenter_crop="half",
        picture_dim=0.35,
    )


def _listicle(width: int, height: int) -> Layout:
    """A product card and, beside or under it, the numbered cards of the script's points."""
    layout = _product_card(width, height)
    margin, short = _units(width, height)
    landscape, portrait = width > height, height > width
    card = layout.image_box
    caption_size = round(short * 0.045)
    caption_h = round(caption_size * 1.35 * 2)
    safe = safe_area(width, height)
    caption_box = Box(margin, safe.bottom - caption_h, width - 2 * margin, caption_h)
    if landscape:
        side = round(height * 0.62)
        card = Box(round(width * 0.06), round(height * 0.08), side, side)
        list_box = Box(
            card.right + margin, round(height * 0.08), width - card.right - 2 * margin, side
        )
        name_box = Box(card.x, card.bottom + round(margin * 0.5), card.w, round(short * 0.12))
        caption_box = Box(list_box.x, caption_box.y, list_box.w, caption_h)
        title_box = list_box
    else:
        side = round(width * (0.5 if portrait else 0.36))
        card = Box((width - side) // 2, round(height * 0.07), side, side)
        top = card.bottom + round(margin * 0.6)
        name_box = Box(margin, top, width - 2 * margin, round(short * (0.14 if portrait else 0.1)))
        list_top = name_box.bottom + round(margin * 0.4)
        list_box = Box(margin, list_top, width - 2 * margin, caption_box.y - margin // 2 - list_top)
        title_box = Box(margin, name_box.y, width - 2 * margin, list_box.bottom - name_box.y)
    return replace(
        layout,
        style=LISTICLE,
        image_box=card,
        image_radius=round(short * 0.035),
        title_box=title_box,
        name_box=name_box,
        name_anchor="top",
        name_align="center" if not landscape else "left",
        name_size=round(short * 0.055),
        caption_box=caption_box,
        caption_anchor="bottom",
        caption_size=caption_size,
        caption_plate=True,
        badge_point=(card.right + round(margin * 0.3), card.y - round(margin * 0.3)),
        list_box=list_box,
    )


def _product_card(width: int, height: int) -> Layout:
    margin, short = _units(width, height)
    if width > height:
        card_side = round(height * 0.8)
        card = Box(round(width * 0.07), (height - card_side) // 2, card_side, card_side)
        text = Box(
            card.right + round(margin * 1.4),
            round(height * 0.16),
            width - card.right - round(margin * 2.6),
            round(height * 0.68),
        )
        align = "left"
    else:
        portrait = height > width
        card_side = round(width * (0.8 if portrait else 0.52))
        card = Box(
            (width - card_side) // 2,
            round(height * (0.1 if portrait else 0.07)),
            card_side,
            card_side,
        )
        top = card.bottom + round(margin * (1.3 if portrait else 0.9))
        text = Box(margin, top, width - 2 * margin, safe_area(width, height).bottom - top)
        align = "center"
    name_size = round(short * (0.072 if width > height else 0.062 if height > width else 0.055))
    name_lines = 3 if width > height else 2
    name_box = Box(text.x, text.y, text.w, round(name_size * 1.25 * name_lines))
    caption_top = name_box.bottom + round(short * 0.03)
    caption_box = Box(text.x, caption_top, text.w, text.bottom - caption_top)
    return Layout(
        style=PRODUCT_CARD,
        size=(width, height),
        margin=margin,
        image_box=card,
        image_radius=round(short * 0.04),
        backdrop="designed",
        text_on_panel=False,
        title_box=text,
        dim_title=False,
        name_box=name_box,
        name_anchor="top",
        name_align=align,
        name_size=name_size,
        caption_box=caption_box,
        caption_anchor="top",
        caption_size=round(
            short * (0.056 if width > height else 0.05 if height > width else 0.044)
        ),
        caption_plate=False,
        badge_point=(card.right + round(margin * 0.3), card.y - round(margin * 0.3)),
        badge_anchor="tr",
        badge_size=round(short * 0.05),
        title_size=round(short * 0.085),
        scrim=False,
    )
