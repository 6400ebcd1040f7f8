"""The drawn presenters' looks: who each one is and what they wear, by stable avatar id.

Ids 1-4 are the local catalogue's first avatars (same names, genders and outfit colours);
later ids only ever get added, so an id in a spec keeps meaning the same figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageColor

from jogg_pipeline.engine.render.text import Color

AGES = ("young_adult", "adult")
HAIR_STYLES = (
    "long",  # straight, past the shoulders, side part
    "puff",  # curls gathered in a high round puff
    "bob",  # chin length with straight bangs
    "braids",  # long box braids, centre part
    "side_part",  # short, swept to one side
    "quiff",  # short sides, a raised front
    "buzz",  # close-cropped
    "waves",  # short and wavy
)
OUTFITS = ("blazer", "suit", "tshirt", "hoodie", "sweater", "blouse")
BEARDS = ("", "stubble", "full")
ALL_ASPECTS = (0, 1, 2)  # portrait 9:16, landscape 16:9, square 1:1


@dataclass(frozen=True)
class Look:
    look_id: int
    name: str
    gender: str  # "female" | "male"
    age: str  # one of AGES
    style: str  # "professional", "social", "casual"
    color: str  # the outfit's main colour, "#rrggbb" (the catalogue's avatar colour)
    skin: str
    hair: str
    hair_style: str  # one of HAIR_STYLES
    outfit: str  # one of OUTFITS
    trim: str  # the second colour of the outfit: shirt, tie, collar, drawstrings
    iris: str
    beard: str = ""  # one of BEARDS
    glasses: bool = False
    earrings: bool = False
    aspect_ratios: tuple[int, ...] = ALL_ASPECTS

    def rgb(self, field: str) -> Color:
        """One of the look's colours as an RGB tuple."""
        red, green, blue = ImageColor.getrgb(getattr(self, field))[:3]
        return red, green, blue


LOOKS: tuple[Look, ...] = (
    Look(
        1, "Ava (drawn presenter)", "female", "adult", "professional", "#2f6fb0",
        skin="#f2c9a8", hair="#5a3825", hair_style="long", outfit="blazer", trim="#f4f1ea",
        iris="#4a6f8a", earrings=True,
    ),
    Look(
        2, "Noah (drawn presenter)", "male", "adult", "professional", "#3a7d44",
        skin="#e0ac85", hair="#2b2118", hair_style="side_part", outfit="suit", trim="#e9b949",
        iris="#5b4030", beard="stubble",
    ),
    Look(
        3, "Mia (drawn presenter)", "female", "young_adult", "social", "#c0504d",
        skin="#a86b47", hair="#2a1a14", hair_style="puff", outfit="tshirt", trim="#f7d9c4",
        iris="#3b2519", earrings=True,
    ),
    Look(
        4, "Leo (drawn presenter)", "male", "young_adult", "social", "#8064a2",
        skin="#f6d3b8", hair="#d9a44a", hair_style="quiff", outfit="hoodie", trim="#f2f2f2",
        iris="#3d7a5a",
    ),
    Look(
        5, "Zara (drawn presenter)", "female", "adult", "casual", "#d99a2b",
        skin="#6b4230", hair="#1c1412", hair_style="braids", outfit="sweater", trim="#f3e3c3",
        iris="#2e1d14", earrings=True,
    ),
    Look(
        6, "Sam (drawn presenter)", "male", "adult", "casual", "#2a8c8c",
        skin="#7d4b32", hair="#1a1310", hair_style="buzz", outfit="tshirt", trim="#e8f2f0",
        iris="#2e1d14", beard="full",
    ),
    Look(
        7, "Hana (drawn presenter)", "female", "young_adult", "social", "#e07a8f",
        skin="#f5d6bd", hair="#16141a", hair_style="bob", outfit="blouse", trim="#fbe7ea",
        iris="#3a2a22", glasses=True,
    ),
    Look(
        8, "Omar (drawn presenter)", "male", "adult", "professional", "#2c3e66",
        skin="#c68a5e", hair="#231a15", hair_style="waves", outfit="blazer", trim="#dfe8f2",
        iris="#4a3222", beard="full", glasses=True,
    ),
)  # fmt: skip

_BY_ID = {look.look_id: look for look in LOOKS}


def find_look(look_id: int) -> Look | None:
    return _BY_ID.get(look_id)
