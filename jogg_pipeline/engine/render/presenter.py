"""Drawn presenters: flat-illustration figures whose mouths follow the speech and whose eyes blink.

A figure is drawn in figure units (1000 from the top of the hair to the hips) with Pillow at
3-4 times its final size and reduced, so edges are smooth. `Presenter` prepares one look at
one size once per video: the body with the eyes and mouth left out, then one small opaque
patch of the face per mouth shape and per eye state. A frame only chooses two patches:
`PresenterOverlays.paste` puts the body and the patches into yuv420p planes.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw

from jogg_pipeline.engine.narration.timing import VISEME_SHAPES, Viseme
from jogg_pipeline.engine.render.graphics import vertical_gradient
from jogg_pipeline.engine.render.planar import Mask, Overlay, Planes, even
from jogg_pipeline.engine.render.presenter_looks import LOOKS, Look, find_look
from jogg_pipeline.engine.render.spec import MAX_VIDEO_LENGTH, RenderError
from jogg_pipeline.engine.render.text import Color

EYE_STATES = ("open", "half", "closed")
# What each crop shows: (x0, y0, x1, y1) in figure units.
CROPS: dict[str, tuple[int, int, int, int]] = {
    "full": (96, 0, 504, 1000),  # the top of the hair to the hips
    "half": (96, 0, 504, 750),  # to the waist: full screen and split screen
    "bust": (60, 4, 540, 484),  # head and shoulders, square: a circle in picture-in-picture
}
MIN_HEIGHT, MAX_HEIGHT = 64, 4320
MIN_COVER = 48
# Where a mouth and the eyes may be drawn, in head units; a patch is what its variants touch.
MOUTH_AREA = (234, 254, 366, 332)
EYES_AREA = (212, 172, 388, 246)
FACE_AREA = (204, 95, 396, 345)  # chin to hairline, ear to ear
FRAME_30FPS = 1 / 30
# A blink: half-closed, closed, half-closed (seconds of each); one every 2-5.5 s.
BLINK_PHASES = (0.04, 0.07, 0.04)
BLINK_GAP = (2.0, 5.5)
SWAY_PERIOD, BREATH_PERIOD = 5.3, 3.7  # seconds; not multiples, so the idle never loops
SWAY_UNITS, BREATH_UNITS = 4.0, 2.5  # how far, in figure units
CX = 300  # the figure's vertical axis

Point = tuple[float, float]
Box = tuple[int, int, int, int]


# ---------------------------------------------------------------------------- colours


def mix(first: Color, second: Color, weight: float) -> Color:
    """`first` moved `weight` of the way to `second`."""
    red, green, blue = (round(a + (b - a) * weight) for a, b in zip(first, second, strict=True))
    return red, green, blue


def darker(color: Color, factor: float) -> Color:
    red, green, blue = (round(channel * factor) for channel in color)
    return red, green, blue


WHITE: Color = (255, 255, 255)
INK: Color = (42, 30, 28)  # lash lines and pupils: a warm near-black
MOUTH_INSIDE: Color = (92, 30, 38)
TEETH: Color = (252, 251, 246)
TONGUE: Color = (214, 96, 104)
TROUSERS: Color = (58, 62, 76)
SHIRT: Color = (244, 244, 240)
GOLD: Color = (226, 180, 80)
FRAMES: Color = (40, 38, 48)


@dataclass(frozen=True)
class Palette:
    """Every colour a look is drawn with, derived from its table entry."""

    skin: Color
    skin_shade: Color  # neck, inner ear, nose, eyelids
    blush: Color
    lips: Color
    lip_line: Color
    hair: Color
    hair_light: Color
    brows: Color
    iris: Color
    cloth: Color
    cloth_shade: Color  # sleeves, lapels, pockets
    cloth_dark: Color  # cuffs, hems, buttons
    trim: Color

    @classmethod
    def of(cls, look: Look) -> Palette:
        skin, hair, cloth = look.rgb("skin"), look.rgb("hair"), look.rgb("color")
        female = look.gender == "female"
        return cls(
            skin=skin,
            skin_shade=darker(skin, 0.86),
            blush=mix(skin, (255, 110, 110), 0.22),
            lips=mix(skin, (194, 65, 90), 0.55 if female else 0.3),
            lip_line=mix(darker(skin, 0.55), MOUTH_INSIDE, 0.5),
            hair=hair,
            hair_light=mix(hair, WHITE, 0.18),
            # Fair hair would vanish as brows on fair skin.
            brows=darker(hair, 0.8) if sum(hair) > 240 else hair,
            iris=look.rgb("iris"),
            cloth=cloth,
            cloth_shade=darker(cloth, 0.86),
            cloth_dark=darker(cloth, 0.7),
            trim=look.rgb("trim"),
        )


# ---------------------------------------------------------------------------- geometry


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 16) -> list[Point]:
    """Points of a cubic Bézier curve, without its first point (so curves chain)."""
    points = []
    for index in range(1, steps + 1):
        t = index / steps
        u = 1 - t
        a, b, c, d = u**3, 3 * u * u * t, 3 * u * t * t, t**3
        points.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return points


# A straight line to its end, or a cubic curve: two control points and its end.
Segment = tuple[Point] | tuple[Point, Point, Point]


def path(start: Point, *segments: Segment) -> list[Point]:
    """A polyline: each segment is (end,) for a straight line or (c1, c2, end) for a curve."""
    points = [start]
    for segment in segments:
        if len(segment) == 1:
            points.append(segment[0])
        else:
            points.extend(bezier(points[-1], *segment))
    return points


def flip(points: Iterable[Point]) -> list[Point]:
    """Mirrored about the figure's axis."""
    return [(2 * CX - x, y) for x, y in points]


def mirrored(left: Sequence[Point]) -> list[Point]:
    """A closed outline symmetric about the axis, from its left half (axis to axis)."""
    return [*left, *reversed(flip(left))]


def oval(cx: float, cy: float, rx: float, ry: float, steps: int = 40) -> list[Point]:
    turn = 2 * math.pi / steps
    return [(cx + rx * math.cos(i * turn), cy + ry * math.sin(i * turn)) for i in range(steps)]


@dataclass(frozen=True)
class Part:
    """Where a part drawn in its own units goes in the figure: zoomed about the axis, lowered.

    The head is drawn larger than life and the body a little smaller: the proportions of an
    explainer-video character.
    """

    zoom: float
    lift: float

    def apply(self, point: Point) -> Point:
        return CX + (point[0] - CX) * self.zoom, point[1] * self.zoom + self.lift

    def area(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = self.apply(box[:2]), self.apply(box[2:])
        return x0, y0, x1, y1


FIGURE = Part(1.0, 0.0)
HEAD = Part(1.24, 250 - 215 * 1.24)  # the face's centre (300, 215) lands at (300, 250)
BODY = Part(0.9, 440 - 378 * 0.9)  # the neck's base (y 378) lands at y 440


class Pen:
    """Draws a part in its units on a supersampled RGBA canvas showing a region of the figure."""

    def __init__(
        self,
        size: tuple[int, int],
        scale: float,
        origin: Point,
        part: Part = FIGURE,
        image: Image.Image | None = None,
    ):
        self.image = image if image is not None else Image.new("RGBA", size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)
        self.scale = scale  # canvas pixels per figure unit
        self.origin = origin  # the figure point at the canvas's top left corner
        self.part = part

    def on(self, part: Part) -> Pen:
        """A pen drawing `part` on the same canvas."""
        return Pen(self.image.size, self.scale, self.origin, part, self.image)

    def xy(self, point: Point) -> Point:
        x, y = self.part.apply(point)
        return (x - self.origin[0]) * self.scale, (y - self.origin[1]) * self.scale

    def polygon(self, points: Sequence[Point], fill: Color) -> None:
        self.draw.polygon([self.xy(point) for point in points], fill=(*fill, 255))

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Color) -> None:
        (x0, y0), (x1, y1) = self.xy((cx - rx, cy - ry)), self.xy((cx + rx, cy + ry))
        self.draw.ellipse((x0, y0, x1, y1), fill=(*fill, 255))

    def line(self, points: Sequence[Point], width: float, fill: Color) -> None:
        """A stroke with round joints and round ends."""
        pixels = [self.xy(point) for point in points]
        stroke = max(1, round(width * self.scale * self.part.zoom))
        self.draw.line(pixels, fill=(*fill, 255), width=stroke, joint="curve")
        radius = stroke / 2
        for x, y in (pixels[0], pixels[-1]):
            self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*fill, 255))

    def clipped(self, outline: Sequence[Point], paint: Callable[[Pen], None]) -> None:
        """Draw `paint` only inside `outline` (teeth and tongue inside a mouth)."""
        layer = Pen(self.image.size, self.scale, self.origin, self.part)
        paint(layer)
        mask = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(mask).polygon([self.xy(point) for point in outline], fill=255)
        layer.image.putalpha(ImageChops.multiply(layer.image.getchannel("A"), mask))
        self.image.alpha_composite(layer.image)


# ---------------------------------------------------------------------------- hair
# Outlines in head units, as `path` arguments. Back hair is symmetric (its left half).

# fmt: off
HAIR_BACK: dict[str, tuple] = {
    "long": ((CX, 58), ((228, 58), (184, 110), (182, 200)), ((180, 300), (170, 400), (166, 462)),
             ((200, 478), (250, 470), (CX, 466))),
    "bob": ((CX, 62), ((232, 62), (178, 110), (176, 210)), ((176, 290), (178, 330), (196, 346)),
            ((230, 352), (270, 340), (CX, 338))),
    "braids": ((CX, 60), ((230, 60), (180, 110), (178, 210)), ((172, 330), (160, 480), (168, 560)),
               ((220, 572), (260, 560), (CX, 556))),
}
HAIR_FRONT: dict[str, tuple] = {
    "long": ((192, 330), ((186, 250), (186, 170), (206, 128)), ((236, 76), (340, 58), (386, 110)),
             ((406, 140), (412, 250), (410, 330)), ((400, 330), (394, 260), (388, 200)),
             ((376, 158), (330, 130), (262, 132)), ((236, 150), (216, 200), (210, 330))),
    "bob": ((180, 330), ((176, 230), (180, 130), (220, 92)), ((250, 62), (350, 62), (380, 92)),
            ((420, 130), (424, 230), (420, 330)), ((412, 330), (404, 250), (396, 172)),
            ((204, 172),), ((196, 250), (190, 300), (180, 330))),
    "braids": ((196, 250), ((188, 160), (216, 76), (CX, 70)), ((384, 76), (412, 160), (404, 250)),
               ((396, 200), (384, 140), (340, 118)), ((318, 108), (306, 112), (CX, 124)),
               ((294, 112), (282, 108), (260, 118)), ((216, 140), (204, 200), (196, 250))),
    "puff": ((200, 200), ((198, 140), (230, 96), (CX, 94)), ((370, 96), (402, 140), (400, 200)),
             ((392, 170), (370, 124), (CX, 122)), ((230, 124), (208, 170), (200, 200))),
    "side_part": ((202, 222), ((194, 140), (222, 74), (310, 72)),
                  ((380, 74), (410, 130), (400, 222)), ((392, 180), (388, 150), (372, 132)),
                  ((340, 120), (300, 134), (262, 126)), ((238, 122), (214, 150), (210, 222))),
    "quiff": ((204, 210), ((198, 130), (216, 86), (262, 70)), ((300, 30), (360, 28), (388, 70)),
              ((410, 100), (408, 150), (398, 210)), ((392, 170), (386, 140), (366, 126)),
              ((330, 128), (290, 104), (250, 120)), ((224, 132), (212, 170), (204, 210))),
    "buzz": ((204, 196), ((200, 120), (240, 84), (CX, 84)), ((360, 84), (400, 120), (396, 196)),
             ((388, 150), (360, 118), (CX, 116)), ((240, 118), (212, 150), (204, 196))),
    "waves": ((204, 214), ((198, 130), (230, 80), (CX, 78)), ((370, 80), (402, 130), (396, 214)),
              ((388, 170), (376, 134), (350, 124)), ((320, 114), (280, 132), (250, 124)),
              ((224, 134), (212, 170), (204, 214))),
}
# fmt: on
# A lighter stroke where the hair catches the light.
HAIR_SHINE: dict[str, tuple] = {
    "long": ((356, 86), ((376, 100), (388, 120), (392, 150))),
    "bob": ((230, 100), ((252, 84), (280, 78), (CX, 78))),
    "puff": ((262, 48), ((280, 40), (320, 40), (338, 48))),
    "side_part": ((252, 92), ((270, 82), (CX, 80), (326, 84))),
    "quiff": ((290, 56), ((320, 40), (350, 42), (370, 60))),
    "waves": ((256, 96), ((276, 86), (CX, 90), (320, 86))),
}


def draw_back_hair(pen: Pen, look: Look, colors: Palette) -> None:
    style, hair = look.hair_style, colors.hair
    if style in HAIR_BACK:
        pen.polygon(mirrored(path(*HAIR_BACK[style])), hair)
    elif style == "puff":
        pen.ellipse(CX, 100, 84, 62, hair)
        for angle in range(0, 360, 30):
            turn = math.radians(angle)
            pen.ellipse(CX + 80 * math.cos(turn), 100 + 58 * math.sin(turn), 21, 20, hair)
        pen.ellipse(CX, 134, 110, 64, hair)
    else:  # short hair: a little volume behind the head
        pen.ellipse(CX, 150, 106, 96, hair)
    if style == "braids":
        for offset in (-118, -94, -70, 70, 94, 118):
            x = CX + offset
            pen.line([(x, 250), (x - 2, 400), (x + 2, 548)], 5, colors.hair_light)


def draw_front_hair(pen: Pen, look: Look, colors: Palette) -> None:
    style = look.hair_style
    # Close-cropped hair shows the skin through: lighter than the hair's colour.
    hair = mix(colors.hair, colors.skin, 0.28) if style == "buzz" else colors.hair
    pen.polygon(path(*HAIR_FRONT[style]), hair)
    if style == "waves":
        for x in range(246, 360, 27):
            pen.ellipse(x, 84 + 4 * (x % 2), 20, 14, hair)
    if style in HAIR_SHINE:
        pen.line(path(*HAIR_SHINE[style]), 6 if look.gender == "female" else 5, colors.hair_light)


# ---------------------------------------------------------------------------- the head


def face_outline(look: Look) -> list[Point]:
    """A rounded top and a jaw narrowing to the chin; squarer for men."""
    rx, cy, top, bottom = 96.0, 215.0, 120.0, 130.0
    power, taper = (0.92, 0.36) if look.gender == "female" else (0.8, 0.3)
    points = []
    for step in range(72):
        angle = 2 * math.pi * step / 72
        cos, sin = math.cos(angle), math.sin(angle)
        if sin < 0:
            points.append((CX + rx * cos, cy + top * sin))
        else:
            curve = math.copysign(abs(cos) ** power, cos)
            points.append((CX + rx * curve * (1 - taper * sin * sin), cy + bottom * sin**power))
    return points


def draw_beard(pen: Pen, look: Look, colors: Palette) -> None:
    if not look.beard:
        return
    color = colors.hair if look.beard == "full" else mix(colors.skin, colors.hair, 0.13)
    jaw = ((206, 214), ((206, 260), (220, 310), (252, 338)), ((272, 356), (290, 362), (CX, 362)))
    pen.polygon(mirrored(path(*jaw)), color)
    # The cheeks stay bare above a line from the ears down to the corners of the mouth.
    cheeks = ((212, 208), ((216, 236), (236, 262), (262, 276)), ((280, 270), (290, 268), (CX, 268)))
    pen.polygon(mirrored(path(*cheeks)), colors.skin)


def draw_head(pen: Pen, look: Look, colors: Palette) -> None:
    """Everything of the head but the eyes and the mouth."""
    skin, shade = colors.skin, colors.skin_shade
    for side in (-1, 1):
        pen.ellipse(CX + side * 94, 222, 15, 25, skin)
        pen.ellipse(CX + side * 96, 222, 7, 14, shade)
    pen.polygon(face_outline(look), skin)
    if look.earrings:
        for side in (-1, 1):
            pen.ellipse(CX + side * 96, 252, 6, 6, GOLD)
    draw_beard(pen, look, colors)
    for side in (-1, 1):
        pen.ellipse(CX + side * 58, 254, 15, 8, colors.blush)
    if look.glasses:  # the temples; the rims are drawn with the eyes, over them
        for side in (-1, 1):
            pen.line([(CX + side * 72, 204), (CX + side * 95, 198)], 4, FRAMES)
    draw_front_hair(pen, look, colors)
    female = look.gender == "female"
    arch, thickness = (4, 5.5) if female else (2, 7.5)
    for side in (-1, 1):
        ends = ((CX + side * 34, 174 - arch), (CX + side * 50, 172 - arch), (CX + side * 64, 178))
        pen.line(path((CX + side * 24, 180), ends), thickness, colors.brows)
    pen.line(path((306, 226), ((312, 240), (314, 250), (302, 254))), 4, shade)


# ---------------------------------------------------------------------------- the features


def unknown_shape(shape: str, where: str = "") -> RenderError:
    return RenderError(f"unknown mouth shape {shape!r}{where} (known: {', '.join(VISEME_SHAPES)})")


def unknown_eyes(state: str) -> RenderError:
    return RenderError(f"unknown eye state {state!r} (known: {', '.join(EYE_STATES)})")


# Open mouths' outlines (left halves, mirrored) by shape; y relative to the mouth's centre.
MOUTH_OUTLINES: dict[str, tuple] = {
    "open": ((CX, -11), ((286, -13), (276, -10), (274, -4)), ((272, 10), (288, 20), (CX, 20))),
    "wide": ((CX, -7), ((284, -8), (270, -7), (266, -5)), ((272, 8), (288, 12), (CX, 12))),
    "teeth": ((CX, -8), ((286, -9), (274, -7), (272, -3)), ((276, 2), (288, 4), (CX, 4))),
}
# How far down the upper teeth show, and where the tongue starts (None: hidden).
MOUTH_INSIDES: dict[str, tuple[float, float | None]] = {
    "open": (-4, 7),
    "wide": (1, None),
    "round": (-6, 6),
    "teeth": (6, None),
}
MOUTH_Y = 290


def draw_mouth(pen: Pen, look: Look, colors: Palette, shape: str) -> None:
    """One of VISEME_SHAPES under the nose (and a moustache over it)."""
    mouth = pen.on(Part(pen.part.zoom, pen.part.lift + MOUTH_Y * pen.part.zoom))
    lips, line = colors.lips, colors.lip_line
    female = look.gender == "female"
    if shape == "rest":  # a relaxed smile
        mouth.line(path((276, -3), ((286, 4), (314, 4), (324, -3))), 4.5, line)
        if female:
            mouth.line(path((286, 9), ((294, 11), (306, 11), (314, 9))), 3, lips)
    elif shape == "closed":  # lips pressed together
        mouth.polygon(mirrored(path((276, 0), ((284, -7), (294, -6), (CX, -5)))), lips)
        mouth.polygon(mirrored(path((276, 0), ((284, 9), (294, 10), (CX, 10)))), lips)
        mouth.line([(275, 0), (CX, 1), (325, 0)], 3.5, line)
    elif shape in MOUTH_INSIDES:
        if shape == "round":
            outline = oval(CX, 2, 11, 13, 32)
            mouth.polygon(oval(CX, 2, 16, 18, 32), lips)
        else:
            outline = mirrored(path(*MOUTH_OUTLINES[shape]))
        teeth_to, tongue_from = MOUTH_INSIDES[shape]
        mouth.polygon(outline, MOUTH_INSIDE)

        def inside(layer: Pen) -> None:
            layer.polygon([(250, -40), (350, -40), (350, teeth_to), (250, teeth_to)], TEETH)
            if tongue_from is not None:
                layer.ellipse(CX, tongue_from + 14, 18, 14, TONGUE)

        mouth.clipped(outline, inside)
        mouth.line([*outline, outline[0]], 3.2, lips if female else line)
        if shape == "teeth":  # the lower lip tucked under the upper teeth
            mouth.polygon(mirrored(path((274, 1), ((282, 10), (292, 12), (CX, 12)))), lips)
    else:
        raise unknown_shape(shape)
    if look.beard == "full":
        moustache = (
            (CX, -22),
            ((280, -26), (262, -24), (258, -6)),
            ((270, -10), (286, -10), (CX, -11)),
        )
        mouth.polygon(mirrored(path(*moustache)), colors.hair)


def draw_eyes(pen: Pen, look: Look, colors: Palette, state: str) -> None:
    """Both eyes open, half-closed or closed (and the rims of glasses over them)."""
    female = look.gender == "female"
    rx, ry = (17.0, 12.5) if female else (16.0, 11.5)
    lash = 4.0 if female else 3.4
    cy = 208.0
    for side in (-1, 1):
        cx = CX + side * 42
        corner, flick = cx + side * rx, cx + side * (rx + 5)
        if state == "closed":
            lid = path(
                (cx - rx, cy + 1), ((cx - rx / 2, cy + 8), (cx + rx / 2, cy + 8), (cx + rx, cy + 1))
            )
            pen.line(lid, lash, INK)
            if female:
                pen.line([(corner, cy + 1), (flick, cy - 3)], lash * 0.8, INK)
            continue
        pen.ellipse(cx, cy, rx, ry, WHITE)
        iris = ry * 0.86
        pen.ellipse(cx + side, cy + 1, iris, iris, colors.iris)
        pen.ellipse(cx + side, cy + 1, iris * 0.48, iris * 0.48, INK)
        pen.ellipse(cx + side + 3.5, cy - 3, 2.6, 2.6, WHITE)
        if state == "half":  # the upper lid down to the middle of the eye
            upper = oval(cx, cy, rx + 2, ry + 2, 40)[20:]
            pen.polygon([(cx - rx - 2, cy + 1), *upper, (cx + rx + 2, cy + 1)], colors.skin_shade)
            pen.line([(cx - rx, cy + 1), (cx + rx, cy + 1)], lash, INK)
        elif state == "open":
            arc = [(cx - rx * math.cos(a), cy - (ry + 0.5) * math.sin(a)) for a in
                   (math.pi * i / 16 for i in range(17))]  # fmt: skip
            pen.line(arc, lash, INK)
        else:
            raise unknown_eyes(state)
        if female:
            pen.line([(corner, cy - 2), (flick, cy - 7)], lash * 0.8, INK)
    if look.glasses:
        for side in (-1, 1):
            rim = oval(CX + side * 42, cy, 27, 21, 48)
            pen.line([*rim, rim[0]], 4, FRAMES)
        pen.line(path((285, 206), ((292, 200), (308, 200), (315, 206))), 4, FRAMES)


# ---------------------------------------------------------------------------- the body
# In body units: the neck's base at y 378, the hips at 1000.

# fmt: off
ARM = ((150, 416), ((124, 426), (110, 452), (108, 492)), ((104, 580), (102, 680), (106, 752)),
       ((158, 756),), ((160, 660), (162, 580), (166, 520)), ((168, 470), (166, 440), (150, 416)))
SHORT_SLEEVE = ((150, 416), ((124, 426), (110, 452), (108, 492)), ((106, 560),), ((162, 566),),
                ((166, 520),), ((168, 470), (166, 440), (150, 416)))
TROUSER_LEGS = ((CX, 780), ((200, 780),), ((150, 790),), ((146, 1000),), ((296, 1000),))
LAPEL = ((262, 376), (234, 396), (254, 448), (238, 460), (CX, 570), (CX, 548))
HOOD = ((CX, 420), ((270, 420), (232, 408), (228, 386)), ((240, 364), (262, 362), (CX, 366)))
HOOD_OPENING = ((CX, 400), ((282, 400), (262, 392), (262, 378)), ((270, 372),), ((CX, 374),))
# fmt: on
NECKLINES = {"tshirt": 22, "sweater": 18, "hoodie": 14}  # how far the neckline dips


def torso_outline(neck_dip: float) -> list[Point]:
    """Shoulders to the hips; the neckline dips `neck_dip` units below the neck's base."""
    left = path(
        (CX, 378 + neck_dip),
        ((286, 378 + neck_dip), (270, 378), (262, 376)),
        ((228, 394), (172, 398), (142, 418)),
        ((118, 436), (112, 470), (114, 520)),
        ((122, 640), (128, 740), (136, 808)),
        ((200, 818), (260, 820), (CX, 820)),
    )
    return mirrored(left)


def both_sides(pen: Pen, points: Sequence[Point], draw: Callable[[Sequence[Point]], None]) -> None:
    draw(points)
    draw(flip(points))


def draw_arms(pen: Pen, look: Look, colors: Palette) -> None:
    """Arms hanging at the figure's sides, the hands at the hips."""
    sleeve = colors.cloth_shade
    cuff = colors.trim if look.outfit == "blouse" else colors.cloth_dark
    for side in (-1, 1):
        hand = CX + side * (CX - 132)
        pen.ellipse(hand, 782, 27, 32, colors.skin)
        pen.ellipse(hand - side * 22, 766, 9, 15, colors.skin)  # the thumb
    if look.outfit == "tshirt":
        both_sides(pen, path(*ARM), lambda arm: pen.polygon(arm, colors.skin))
        both_sides(pen, path(*SHORT_SLEEVE), lambda part: pen.polygon(part, sleeve))
        both_sides(pen, [(107, 558), (162, 564)], lambda hem: pen.line(hem, 5, cuff))
    else:
        both_sides(pen, path(*ARM), lambda arm: pen.polygon(arm, sleeve))
        both_sides(pen, [(107, 738), (159, 742)], lambda band: pen.line(band, 10, cuff))


def draw_outfit(pen: Pen, look: Look, colors: Palette) -> None:
    cloth, shade, dark, trim = colors.cloth, colors.cloth_shade, colors.cloth_dark, colors.trim
    outfit = look.outfit
    pen.polygon(torso_outline(NECKLINES.get(outfit, 0)), cloth)
    if outfit in ("blazer", "suit"):
        shirt = trim if outfit == "blazer" else SHIRT
        pen.polygon([(262, 376), (338, 376), (CX, 548)], shirt)
        if outfit == "suit":
            collar = [(262, 374), (296, 390), (276, 414)]
            both_sides(pen, collar, lambda points: pen.polygon(points, darker(SHIRT, 0.9)))
            pen.polygon([(289, 386), (311, 386), (307, 406), (293, 406)], darker(trim, 0.85))
            pen.polygon([(293, 406), (307, 406), (314, 520), (CX, 540), (286, 520)], trim)
        both_sides(pen, LAPEL, lambda points: pen.polygon(points, shade))
        pen.line([(CX, 570), (CX, 812)], 3, dark)
        for y in (620, 690):
            pen.ellipse(CX + 8, y, 6, 6, dark)
        pen.line([(196, 660), (244, 660)], 4, shade)  # a pocket
    elif outfit == "tshirt":
        pen.line(path((262, 378), ((272, 400), (328, 400), (338, 378))), 7, shade)
        pen.ellipse(348, 500, 18, 18, trim)
        pen.ellipse(348, 500, 9, 9, shade)
    elif outfit == "hoodie":
        pen.polygon(mirrored(path(*HOOD)), dark)
        pen.polygon(mirrored(path(*HOOD_OPENING)), colors.skin_shade)
        both_sides(pen, [(284, 408), (281, 470), (283, 512)], lambda cord: pen.line(cord, 5, trim))
        pen.polygon([(214, 650), (386, 650), (404, 770), (196, 770)], shade)
        both_sides(pen, [(214, 652), (196, 768)], lambda edge: pen.line(edge, 4, dark))
        pen.line([(136, 800), (464, 800)], 14, dark)
    elif outfit == "sweater":
        pen.line(path((262, 378), ((272, 398), (328, 398), (338, 378))), 12, dark)
        both_sides(pen, [(278, 372), (294, 392), (272, 396)], lambda tip: pen.polygon(tip, trim))
        pen.polygon([(116, 520), (484, 520), (484, 548), (116, 548)], trim)
        pen.line([(134, 800), (466, 800)], 14, dark)
    elif outfit == "blouse":
        pen.polygon([(262, 376), (338, 376), (CX, 470)], colors.skin)
        pen.line([(262, 376), (CX, 470), (338, 376)], 6, trim)
        pen.line(path((274, 384), ((280, 412), (320, 412), (326, 384))), 2.5, GOLD)
        pen.ellipse(CX, 414, 5, 6, GOLD)


def draw_body(pen: Pen, look: Look, colors: Palette) -> None:
    pen.polygon([(264, 290), (336, 290), (340, 402), (260, 402)], colors.skin_shade)  # neck
    pen.polygon(mirrored(path(*TROUSER_LEGS)), TROUSERS)
    pen.line([(CX, 880), (CX, 1000)], 4, darker(TROUSERS, 0.75))
    draw_outfit(pen, look, colors)
    draw_arms(pen, look, colors)


def draw_bare_figure(pen: Pen, look: Look, colors: Palette) -> None:
    """The whole figure without its eyes and mouth (the patches draw those)."""
    draw_back_hair(pen.on(HEAD), look, colors)
    draw_body(pen.on(BODY), look, colors)
    draw_head(pen.on(HEAD), look, colors)


# ---------------------------------------------------------------------------- a look, prepared


def supersampling(size: tuple[int, int]) -> int:
    """How many times larger to draw: 4x, or 3x for large sprites (as smooth, half the work)."""
    return 4 if size[0] * size[1] <= 800_000 else 3


def _even_down(value: float) -> int:
    return math.floor(value) // 2 * 2


def _even_up(value: float) -> int:
    return -(-math.ceil(value) // 2) * 2


def crop_width(crop: str, height: int) -> int:
    """The width of a presenter sprite of `crop` drawn `height` pixels tall (even)."""
    x0, y0, x1, y1 = CROPS[crop]
    return _even_up((x1 - x0) * height / (y1 - y0))


def fit_height(crop: str, width: int, height: int) -> int:
    """The tallest sprite of `crop` that fits in width x height pixels."""
    x0, y0, x1, y1 = CROPS[crop]
    tallest = min(height, math.floor(width * (y1 - y0) / (x1 - x0)))
    while tallest > 0 and crop_width(crop, tallest) > width:
        tallest -= 1
    return tallest


def find_presenter_look(look_id: int) -> Look:
    look = find_look(look_id)
    if look is None:
        known = ", ".join(str(entry.look_id) for entry in LOOKS)
        raise RenderError(f"unknown presenter look {look_id} (known: {known})")
    return look


@dataclass(frozen=True)
class Patch:
    """A small opaque rectangle of the face with one mouth shape or eye state drawn in."""

    image: Image.Image  # RGBA
    x: int  # its top left corner in the sprite: even, so yuv420p chroma lines up
    y: int

    @property
    def box(self) -> Box:
        return self.x, self.y, self.x + self.image.width, self.y + self.image.height


class Blinks:
    """When the eyes blink: one fixed schedule per seed, made once (frames may be drawn from
    several threads, in any order). Past the longest video it starts over."""

    def __init__(self, seed: int):
        rng = random.Random(seed * 7_919 + 17)
        self.horizon = MAX_VIDEO_LENGTH + 60.0
        starts = [rng.uniform(0.6, 2.4)]
        while starts[-1] < self.horizon:
            starts.append(starts[-1] + rng.uniform(*BLINK_GAP))
        self.starts = starts

    def eyes(self, t: float) -> str:
        if t < 0:
            return "open"
        t = t % self.horizon
        index = bisect.bisect_right(self.starts, t) - 1
        if index < 0:
            return "open"
        into = t - self.starts[index]
        half, closed, _ = BLINK_PHASES
        if into < half:
            return "half"
        if into < half + closed:
            return "closed"
        return "half" if into < sum(BLINK_PHASES) else "open"


class Presenter:
    """One look drawn at one size, prepared once per video: the body and the face's patches.

    `crop` is "full" (the top of the hair to the hips), "half" (to the waist) or "bust" (head
    and shoulders, square); `height` is the sprite's height in pixels, its width follows
    (`crop_width`). Blinks and the idle sway follow `seed`.
    """

    def __init__(self, look_id: int, height: int, crop: str = "full", seed: int = 0):
        look = find_presenter_look(look_id)
        if crop not in CROPS:
            raise RenderError(f"unknown presenter crop {crop!r} (known: {', '.join(CROPS)})")
        if not MIN_HEIGHT <= height <= MAX_HEIGHT:
            raise RenderError(
                f"presenter height must be between {MIN_HEIGHT} and {MAX_HEIGHT} px, got {height}"
            )
        self.look = look
        self.crop = crop
        self.seed = seed
        x0, y0, _, y1 = CROPS[crop]
        self.scale = height / (y1 - y0)  # sprite pixels per figure unit
        self.origin: Point = (x0, y0)
        self.size = (crop_width(crop, height), height)
        self._colors = Palette.of(look)
        self._supersampling = supersampling(self.size)
        bare = self._render((0, 0, *self.size), draw_bare_figure)
        self.mouths = self._patches(bare, MOUTH_AREA, VISEME_SHAPES, draw_mouth)
        self.eyes = self._patches(bare, EYES_AREA, EYE_STATES, draw_eyes)
        self.base = bare  # the figure speaking "rest" with open eyes
        for patch in (self.mouths["rest"], self.eyes["open"]):
            self.base.paste(patch.image, (patch.x, patch.y))
        self._blinks = Blinks(seed)
        self._sway = max(2.0, self.scale * SWAY_UNITS)
        self._breath = max(2.0, self.scale * BREATH_UNITS)
        self._phase = random.Random(seed).uniform(0, 2 * math.pi)

    @property
    def width(self) -> int:
        return self.size[0]

    @property
    def height(self) -> int:
        return self.size[1]

    def box(self, area: tuple[float, float, float, float]) -> Box:
        """A rectangle in figure units, in sprite pixels (rounded outwards, not clipped)."""
        left, top = self.origin
        return (
            math.floor((area[0] - left) * self.scale),
            math.floor((area[1] - top) * self.scale),
            math.ceil((area[2] - left) * self.scale),
            math.ceil((area[3] - top) * self.scale),
        )

    @property
    def face_box(self) -> Box:
        """Where the face is in the sprite, chin to hairline and ear to ear."""
        return self.box(HEAD.area(FACE_AREA))

    @property
    def bounds(self) -> Box:
        """The figure's cutout: the box of the sprite's opaque pixels."""
        box = self.base.getchannel("A").getbbox()
        assert box is not None, "a presenter sprite is never empty"
        return box

    def _render(self, box: Box, draw: Callable[[Pen, Look, Palette], None]) -> Image.Image:
        """The sprite's pixels in `box`, drawn several times larger and reduced."""
        factor = self._supersampling
        left, top, right, bottom = box
        origin = (self.origin[0] + left / self.scale, self.origin[1] + top / self.scale)
        pen = Pen(((right - left) * factor, (bottom - top) * factor), self.scale * factor, origin)
        draw(pen, self.look, self._colors)
        return pen.image.reduce(factor)

    def _patches(
        self,
        bare: Image.Image,
        area: tuple[float, float, float, float],
        variants: Sequence[str],
        draw: Callable[[Pen, Look, Palette, str], None],
    ) -> dict[str, Patch]:
        """Each variant drawn over the bare face, all cut to the box that any of them touch."""
        x0, y0, x1, y1 = self.box(HEAD.area(area))
        region = (_even_down(x0), _even_down(y0), _even_up(x1), _even_up(y1))
        layers = {}
        for name in variants:

            def features(pen: Pen, look: Look, colors: Palette, name: str = name) -> None:
                draw(pen.on(HEAD), look, colors, name)

            layers[name] = self._render(region, features)
        drawn = [box for box in (layer.getbbox() for layer in layers.values()) if box]
        left = _even_down(min(box[0] for box in drawn))
        top = _even_down(min(box[1] for box in drawn))
        right = _even_up(max(box[2] for box in drawn))
        bottom = _even_up(max(box[3] for box in drawn))
        x, y = region[0] + left, region[1] + top
        patches = {}
        for name, layer in layers.items():
            patch = bare.crop((x, y, x + right - left, y + bottom - top))
            patch.alpha_composite(layer.crop((left, top, right, bottom)))
            patches[name] = Patch(patch, x, y)
        return patches

    def sprite(self, shape: str = "rest", eyes: str = "open") -> Image.Image:
        """The figure speaking `shape` with its eyes `eyes`: RGBA, transparent around it."""
        if shape not in self.mouths:
            raise unknown_shape(shape)
        if eyes not in self.eyes:
            raise unknown_eyes(eyes)
        image = self.base.copy()
        for patch in (self.mouths[shape], self.eyes[eyes]):
            image.paste(patch.image, (patch.x, patch.y))
        return image

    def pose(self, t: float) -> tuple[str, int, int]:
        """The eyes' state and the figure's offset (dx, dy) in pixels at t seconds.

        Offsets are even (yuv420p chroma) and dy is never negative: a figure standing on the
        frame's bottom edge sways and breathes without showing a gap under it.
        """
        sway = math.sin(2 * math.pi * t / SWAY_PERIOD + self._phase)
        breath = 0.5 - 0.5 * math.cos(2 * math.pi * t / BREATH_PERIOD)
        return (
            self._blinks.eyes(t),
            2 * round(self._sway * sway / 2),
            2 * round(self._breath * breath / 2),
        )

    def frame(self, t: float, shape: str, eyes: str | None = None) -> Image.Image:
        """The sprite at t speaking `shape`, blinking as `pose(t)` says unless `eyes` is given.

        The pose's offsets are not applied: add them where the sprite is placed.
        """
        return self.sprite(shape, eyes or self.pose(t)[0])


# ---------------------------------------------------------------------------- mouth timing


class MouthTrack:
    """A viseme track ready for lookups by time, without flicker.

    A shape held for less than one frame at 30 fps joins the shape before it (or, first in a
    run, the shape after it); one alone between pauses becomes part of the pause.
    """

    def __init__(self, visemes: Iterable[Viseme]):
        segments: list[list] = []  # [shape, start, end]
        for viseme in sorted(visemes, key=lambda item: item.start):
            if viseme.shape not in VISEME_SHAPES:
                raise unknown_shape(viseme.shape, f" at {viseme.start:.2f} s")
            if viseme.end <= viseme.start:
                continue
            if segments and viseme.start - segments[-1][2] < FRAME_30FPS:
                last = segments[-1]
                if last[0] == viseme.shape or viseme.end - viseme.start < FRAME_30FPS:
                    last[2] = viseme.end
                    continue
                if last[2] - last[1] < FRAME_30FPS:
                    last[0], last[2] = viseme.shape, viseme.end
                    continue
            segments.append([viseme.shape, viseme.start, viseme.end])
        kept = [segment for segment in segments if segment[2] - segment[1] >= FRAME_30FPS]
        self.shapes: list[str] = [segment[0] for segment in kept]
        self.starts: list[float] = [segment[1] for segment in kept]
        self.ends: list[float] = [segment[2] for segment in kept]

    def at(self, t: float) -> str:
        index = bisect.bisect_right(self.starts, t) - 1
        if index >= 0 and t < self.ends[index]:
            return self.shapes[index]
        return "rest"


@lru_cache(maxsize=16)
def _track(visemes: tuple[Viseme, ...]) -> MouthTrack:
    return MouthTrack(visemes)


# The track last asked for: every frame of a video asks for the same tuple, and finding it by
# identity skips hashing a long tuple per frame.
_last: tuple[tuple[Viseme, ...], MouthTrack] | None = None


def mouth_at(visemes: tuple[Viseme, ...], t: float) -> str:
    """The mouth shape at t seconds into a narration ("rest" outside it)."""
    global _last
    last = _last
    if last is None or last[0] is not visemes:
        last = (visemes, _track(visemes))
        _last = last
    return last[1].at(t)


# ---------------------------------------------------------------------------- into yuv frames


class PresenterOverlays:
    """A presenter's body and patches as yuv420p overlays, converted once per video.

    `paste` is safe to call from several threads at once (each with its own frame).
    """

    def __init__(self, presenter: Presenter):
        self.presenter = presenter
        self.base = Overlay.from_rgba(presenter.base)

        def overlays(patches: dict[str, Patch]) -> dict[str, tuple[Overlay, int, int]]:
            return {name: (Overlay.from_rgba(p.image), p.x, p.y) for name, p in patches.items()}

        self.mouths = overlays(presenter.mouths)
        self.eyes = overlays(presenter.eyes)
        # Patches are opaque rectangles of the face, except on the tiniest figures.
        self.opaque = all(
            overlay.mask.full.getextrema()[0] == 255
            for overlay, _, _ in (*self.mouths.values(), *self.eyes.values())
        )

    def paste(
        self, frame: Planes, x: int, y: int, t: float, shape: str, opacity: float = 1.0
    ) -> None:
        """Paste the figure with its top left corner at (x, y) plus its pose at t."""
        if opacity <= 0:
            return
        if shape not in self.mouths:
            raise unknown_shape(shape)
        eyes, dx, dy = self.presenter.pose(t)
        x, y = even(x + dx), even(y + dy)
        patches = (self.mouths[shape], self.eyes[eyes])
        if opacity >= 1 and self.opaque:
            frame.paste(self.base.planes, x, y, self.base.mask)
            for overlay, px, py in patches:
                frame.paste(overlay.planes, x + px, y + py)
            return
        # Where a patch lets the background through, it must be this background, not the
        # body's own face under it.
        kept = [(frame.crop(x + px, y + py, *o.planes.size), px, py) for o, px, py in patches]
        frame.paste(self.base.planes, x, y, self._faded(self.base, opacity))
        for background, px, py in kept:
            frame.paste(background, x + px, y + py)
        for overlay, px, py in patches:
            frame.paste(overlay.planes, x + px, y + py, self._faded(overlay, opacity))

    @staticmethod
    def _faded(overlay: Overlay, opacity: float) -> Mask:
        return overlay.mask if opacity >= 1 else overlay.mask.faded(opacity)


# ---------------------------------------------------------------------------- covers


def cover(look_id: int, size: tuple[int, int]) -> Image.Image:
    """The look's catalogue card (RGB) on a soft backdrop in its colour: the figure to the
    waist on a tall card, head and shoulders on a square or wide one."""
    look = find_presenter_look(look_id)
    width, height = size
    if not (MIN_COVER <= width <= MAX_HEIGHT and MIN_COVER <= height <= MAX_HEIGHT):
        raise RenderError(
            f"a presenter cover must be between {MIN_COVER} and {MAX_HEIGHT} px a side, "
            f"got {width}x{height}"
        )
    cloth = look.rgb("color")
    card = vertical_gradient(size, mix(cloth, WHITE, 0.86), mix(cloth, WHITE, 0.66))
    crop = "half" if height >= 1.3 * width else "bust"
    tall = min(round(height * 0.9), fit_height(crop, round(width * 1.05), height))
    presenter = Presenter(look_id, max(MIN_HEIGHT, tall), crop)
    left, top = (width - presenter.width) // 2, height - presenter.height
    x0, y0, x1, y1 = presenter.face_box
    cx, cy = left + (x0 + x1) // 2, top + (y0 + y1) // 2
    radius = round((x1 - x0) * 0.95)
    halo = mix(cloth, WHITE, 0.74)
    ImageDraw.Draw(card).ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=halo)
    card.paste(presenter.base, (left, top), presenter.base)
    return card
