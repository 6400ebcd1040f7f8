"""Where things go: the boxes of each visual style in each frame shape.

All sizes derive from the short side of the frame, so every quality looks the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jogg_pipeline.engine.render.planar import even
from jogg_pipeline.engine.render.styles import FULL_SCREEN, PICTURE_IN_PICTURE, SPLIT_SCREEN


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


def make_layout(style: str, width: int, height: int) -> Layout:
    if style == SPLIT_SCREEN:
        layout = _split_screen(width, height)
    elif style == PICTURE_IN_PICTURE:
        layout = _picture_in_picture(width, height)
    else:
        layout = _full_screen(width, height)
    # The picture is composited in yuv420p, whose chroma is half size: keep it on even pixels.
    box = layout.image_box
    return replace(layout, image_box=Box(even(box.x), even(box.y), even(box.w), even(box.h)))


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
    name_box = Box(
        margin + bar, height - round(margin * 1.4) - name_h, width - 2 * margin - bar, name_h
    )
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
    margin, short = _units(width, height)
    landscape = width > height
    if landscape:
        image_box = Box(0, 0, round(width * 0.56), height)
        panel = Box(image_box.right + margin, round(margin * 1.4), 0, 0)
        panel = Box(panel.x, panel.y, width - panel.x - margin, height - 2 * panel.y)
        badge_point, badge_anchor = (panel.x, panel.bottom), "bl"
    else:
        share = 0.58 if height > width else 0.55
        image_box = Box(0, 0, width, round(height * share))
        top = image_box.bottom + round(margin * 1.1)
        panel = Box(margin, top, width - 2 * margin, height - top - round(margin * 1.1))
        badge_point, badge_anchor = (width - margin, image_box.bottom), "cr"
    name_size = round(short * (0.072 if landscape else 0.062 if height > width else 0.055))
    name_box = Box(panel.x, panel.y, panel.w, round(name_size * 1.25 * (3 if landscape else 2)))
    caption_top = name_box.bottom + round(short * 0.035)
    badge_room = round(short * 0.12) if landscape else 0
    caption_box = Box(panel.x, caption_top, panel.w, panel.bottom - badge_room - caption_top)
    return Layout(
        style=SPLIT_SCREEN,
        size=(width, height),
        margin=margin,
        image_box=image_box,
        image_radius=0,
        backdrop="panel",
        text_on_panel=True,
        title_box=panel,
        dim_title=False,
        name_box=name_box,
        name_anchor="top",
        name_align="left",
        name_size=name_size,
        caption_box=caption_box,
        caption_anchor="top",
        caption_size=round(short * (0.056 if landscape else 0.048)),
        caption_plate=False,
        badge_point=badge_point,
        badge_anchor=badge_anchor,
        badge_size=round(short * 0.05),
        title_size=round(short * 0.085),
        scrim=False,
    )


def _picture_in_picture(width: int, height: int) -> Layout:
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
        text = Box(margin, top, width - 2 * margin, height - top - margin)
        align = "center"
    name_size = round(short * (0.072 if width > height else 0.062 if height > width else 0.055))
    name_lines = 3 if width > height else 2
    name_box = Box(text.x, text.y, text.w, round(name_size * 1.25 * name_lines))
    caption_top = name_box.bottom + round(short * 0.03)
    caption_box = Box(text.x, caption_top, text.w, text.bottom - caption_top)
    return Layout(
        style=PICTURE_IN_PICTURE,
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
