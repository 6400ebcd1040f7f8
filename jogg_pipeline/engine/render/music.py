"""The music library: synthesized beds of different moods and tempi, chosen by `music_id`.

A bed's character (instruments, grooves, tempo, swing, mode, level) comes from its id; its key,
chord progression, arpeggio figure, melody and form come from the seed, so two videos with the
same bed do not sound alike, and the same seed always gives the same samples.

The beds are made in arrange.py (form, parts, drums, bar by bar) from the styles below, with the
instruments of synth.py; this module gives them their level and their fades.

Each bed is normalised to its own loudness (calm beds sit lower than energetic ones), measured
as BS.1770 integrated loudness over its first `LEVEL_WINDOW_SECONDS`, with its peak kept to
`BED_PEAK_DBFS` or below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from jogg_pipeline.engine.render import synth
from jogg_pipeline.engine.render.arrange import Beat, Hit, Part, Style, arrange, bar_samples
from jogg_pipeline.engine.render.dynamics import limit
from jogg_pipeline.engine.render.loudness import db_to_gain, integrated_loudness

BED_PEAK_DBFS = -3.0
LEVEL_WINDOW_SECONDS = 120.0  # past one full form of every bed: the level of the whole
FADE_IN_SECONDS = 0.6
FADE_OUT_SECONDS = 2.0
NO_MUSIC = 0  # music_id 0: a soundtrack without music
DEFAULT_MUSIC_ID = 1

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
DORIAN = (0, 2, 3, 5, 7, 9, 10)


@dataclass(frozen=True)
class MusicBed:
    """One bed of the library, as the catalogue lists it, and how it is made."""

    id: int
    name: str
    mood: str
    bpm: int
    description: str
    loudness: float  # LUFS of the bed alone
    percussive: bool  # has a steady drum groove
    style: Style = field(repr=False, compare=False)

    def bar_samples(self, sample_rate: int) -> int:
        """Samples in one bar of this bed: its bars start on exact multiples of this."""
        return bar_samples(self.bpm, sample_rate)


def _eighths(velocities: tuple[float, ...]) -> tuple[Beat, ...]:
    return tuple((index * 0.5, velocity) for index, velocity in enumerate(velocities))


def _sixteenths(velocities: tuple[float, ...]) -> tuple[Beat, ...]:
    return tuple((index * 0.25, velocity) for index, velocity in enumerate(velocities))


def _arpeggio(tones: tuple[int, ...], length: float = 1.5) -> tuple[Hit, ...]:
    return tuple((index * 0.5, length, (tone,), 1.0) for index, tone in enumerate(tones))


_TRIAD = (0, 1, 2)
_SEVENTH = (0, 1, 2, 3)

WARM_ACOUSTIC = Style(
    name="warm acoustic",
    scale=MAJOR,
    key_centre=62,
    progressions=((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4), (3, 0, 4, 5)),
    pad=Part("pad", ((0, 4, _TRIAD, 1.0),), gain=0.16, wide=True),
    bass=Part("soft bass", ((0, 2, (0,), 1.0), (2, 2, (2,), 0.8)), gain=0.32, octave=-24),
    comps=tuple(
        Part(
            "warm pluck", _arpeggio(tones), gain=0.11, octave=12, pan=(-0.5, 0.5), echo=(0.75, 0.22)
        )
        for tones in ((0, 1, 2, 1, 0, 2, 1, 2), (0, 2, 1, 2, 3, 2, 1, 2), (0, 1, 2, 3, 2, 1, 2, 1))
    ),
    lead=Part(
        "bell",
        ((0, 1, (), 1.0), (1.5, 0.5, (), 0.8), (2, 2, (), 0.9)),
        gain=0.05,
        octave=24,
        pan=(0.3,),
        echo=(0.75, 0.3),
    ),
    drums={"shaker": _eighths((0.35, 0.55, 0.35, 0.55, 0.35, 0.55, 0.35, 0.55))},
    light_drums={"shaker": _eighths((0.2, 0.4, 0.2, 0.4, 0.2, 0.4, 0.2, 0.4))},
    fill={"shaker": _sixteenths((0.35, 0.3, 0.5, 0.4))},
    kit="soft",
)

UPBEAT_POP = Style(
    name="upbeat pop",
    scale=MAJOR,
    key_centre=63,
    progressions=((0, 4, 5, 3), (5, 3, 0, 4), (0, 3, 4, 3), (0, 5, 1, 4)),
    pad=Part("pad", ((0, 4, _TRIAD, 1.0),), gain=0.07, wide=True),
    bass=Part(
        "pluck bass",
        tuple((index * 0.5, 0.4, (0,), 1.0 if index % 2 == 0 else 0.7) for index in range(8)),
        gain=0.3,
        octave=-24,
    ),
    comps=(
        Part(
            "bright stab",
            (
                (0.5, 0.4, _TRIAD, 1.0),
                (1.5, 0.4, _TRIAD, 0.9),
                (2.5, 0.4, _TRIAD, 1.0),
                (3.5, 0.4, _TRIAD, 0.9),
            ),
            gain=0.11,
            octave=12,
            pan=(-0.35, 0.35),
            echo=(0.5, 0.15),
        ),
        Part(
            "bright stab",
            (
                (0, 0.4, _TRIAD, 1.0),
                (0.75, 0.4, _TRIAD, 0.8),
                (1.5, 0.4, _TRIAD, 0.9),
                (2.5, 0.4, _TRIAD, 1.0),
                (3, 0.4, _TRIAD, 0.8),
            ),
            gain=0.11,
            octave=12,
            pan=(-0.35, 0.35),
            echo=(0.5, 0.15),
        ),
    ),
    lead=Part(
        "square lead",
        (
            (0, 0.5, (), 1.0),
            (0.5, 0.5, (), 0.8),
            (1, 1, (), 0.9),
            (2, 0.5, (), 1.0),
            (2.5, 0.5, (), 0.8),
            (3, 0.75, (), 0.9),
        ),
        gain=0.06,
        octave=12,
        pan=(0.15,),
        echo=(0.75, 0.2),
    ),
    drums={
        "kick": ((0, 1.0), (2, 0.95), (2.5, 0.55)),
        "snare": ((1, 0.9), (3, 0.95)),
        "hat": _eighths((1.0, 0.6, 0.85, 0.6, 1.0, 0.6, 0.85, 0.6)),
        "open hat": ((3.5, 0.6),),
    },
    light_drums={"hat": _eighths((0.5, 0.3, 0.4, 0.3, 0.5, 0.3, 0.4, 0.3)), "kick": ((0, 0.7),)},
    fill={"snare": _sixteenths((0.6, 0.5, 0.75, 0.9)), "kick": ((3, 0.8),)},
    intro=("pad", "light drums"),
)

CORPORATE = Style(
    name="corporate",
    scale=MAJOR,
    key_centre=63,
    progressions=((0, 5, 3, 4), (0, 4, 5, 3), (3, 4, 0, 5), (0, 3, 5, 4)),
    pad=Part("pad", ((0, 4, _TRIAD, 1.0),), gain=0.1, wide=True),
    bass=Part("sub bass", tuple((beat, 0.9, (0,), 1.0) for beat in range(4)), gain=0.3, octave=-24),
    comps=(
        Part(
            "piano",
            tuple(
                (index * 0.5, 0.45, _TRIAD, 1.0 if index % 2 == 0 else 0.75) for index in range(8)
            ),
            gain=0.06,
            pan=(-0.2, 0.2),
            echo=(0.75, 0.15),
        ),
        Part(
            "piano",
            tuple(
                (
                    index * 0.5,
                    0.45,
                    ((0, 2), (1,), (2, 3), (1,))[index % 4],
                    1.0 if index % 2 == 0 else 0.75,
                )
                for index in range(8)
            ),
            gain=0.08,
            pan=(-0.2, 0.2),
            echo=(0.75, 0.15),
        ),
    ),
    lead=Part(
        "bell",
        ((0, 1.5, (), 1.0), (1.5, 1.5, (), 0.8), (3, 1, (), 0.9)),
        gain=0.05,
        octave=24,
        pan=(-0.25,),
        echo=(0.75, 0.25),
    ),
    drums={
        "kick": ((0, 0.9), (2, 0.85)),
        "clap": ((1, 0.55), (3, 0.6)),
        "hat": _eighths((0.45, 0.3, 0.4, 0.3, 0.45, 0.3, 0.4, 0.3)),
    },
    light_drums={"hat": _eighths((0.35, 0.2, 0.3, 0.2, 0.35, 0.2, 0.3, 0.2))},
    fill={"clap": ((3, 0.5), (3.5, 0.6)), "kick": ((3.75, 0.6),)},
    intro=("pad", "comp"),
)

CHILL_LOFI = Style(
    name="chill lo-fi",
    scale=DORIAN,
    key_centre=59,
    progressions=((1, 4, 0, 5), (0, 3, 1, 4), (3, 2, 1, 0), (0, 5, 3, 4)),
    pad=None,
    bass=Part(
        "soft bass",
        ((0, 1.4, (0,), 1.0), (1.5, 1, (0,), 0.7), (2.5, 1.4, (2,), 0.8)),
        gain=0.3,
        octave=-24,
    ),
    comps=(
        Part(
            "electric piano",
            ((0, 1.5, _SEVENTH, 1.0), (2.5, 1.5, (1, 2, 3), 0.8)),
            gain=0.1,
            echo=(0.75, 0.18),
            wide=True,
        ),
        Part(
            "electric piano",
            ((0, 2.5, _SEVENTH, 1.0), (3.5, 0.5, (1, 3), 0.6)),
            gain=0.1,
            echo=(0.75, 0.18),
            wide=True,
        ),
    ),
    lead=Part(
        "electric piano",
        ((0.5, 0.5, (), 0.8), (1, 1, (), 1.0), (2.5, 1, (), 0.8)),
        gain=0.07,
        octave=12,
        pan=(0.35,),
        echo=(0.75, 0.25),
    ),
    drums={
        "kick": ((0, 0.9), (1.5, 0.5), (2.5, 0.75)),
        "snare": ((1, 0.6), (3, 0.65)),
        "hat": _eighths((0.5, 0.3, 0.45, 0.3, 0.5, 0.3, 0.45, 0.35)),
    },
    light_drums={"hat": _eighths((0.35, 0.2, 0.3, 0.2, 0.35, 0.2, 0.3, 0.2)), "kick": ((0, 0.6),)},
    fill={"snare": ((3, 0.5), (3.5, 0.35)), "kick": ((3.25, 0.4),)},
    kit="soft",
    sevenths=True,
    swing=0.64,
    humanize=0.006,
    intro=("comp", "light drums"),
)

ENERGETIC_ELECTRONIC = Style(
    name="energetic electronic",
    scale=MINOR,
    key_centre=60,
    progressions=((0, 5, 2, 6), (0, 6, 5, 6), (5, 6, 0, 0), (0, 3, 5, 4)),
    pad=Part("pad", ((0, 4, _TRIAD, 1.0),), gain=0.1, wide=True),
    bass=Part(
        "saw bass", tuple((beat + 0.5, 0.4, (0,), 1.0) for beat in range(4)), gain=0.22, octave=-24
    ),
    comps=(
        Part(
            "saw stab",
            (
                (0, 0.2, _TRIAD, 1.0),
                (0.75, 0.2, _TRIAD, 0.8),
                (1.5, 0.2, _TRIAD, 0.9),
                (2.25, 0.2, _TRIAD, 0.8),
                (3, 0.2, _TRIAD, 0.9),
            ),
            gain=0.085,
            octave=12,
            pan=(-0.4, 0.4),
            echo=(0.75, 0.18),
        ),
        Part(
            "saw stab",
            (
                (0.5, 0.2, _TRIAD, 1.0),
                (1.25, 0.2, _TRIAD, 0.8),
                (2.5, 0.2, _TRIAD, 1.0),
                (3.25, 0.2, _TRIAD, 0.8),
            ),
            gain=0.085,
            octave=12,
            pan=(0.4, -0.4),
            echo=(0.75, 0.18),
        ),
    ),
    lead=Part(
        "square lead",
        tuple((index * 0.25, 0.2, (), 1.0 if index % 4 == 0 else 0.7) for index in range(16)),
        gain=0.04,
        octave=12,
        pan=(-0.2,),
        echo=(0.75, 0.2),
    ),
    drums={
        "kick": ((0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)),
        "clap": ((1, 0.7), (3, 0.7)),
        "open hat": ((0.5, 1.5), (1.5, 1.5), (2.5, 1.5), (3.5, 1.5)),
        "hat": _sixteenths(tuple(0.8 if index % 2 else 1.1 for index in range(16))),
    },
    light_drums={"hat": _sixteenths(tuple(0.2 if index % 2 else 0.3 for index in range(16)))},
    fill={"clap": _sixteenths((0.5, 0.55, 0.65, 0.8)), "kick": ((3, 1.0),)},
    pump=0.55,
    intro=("pad", "light drums"),
)

CINEMATIC = Style(
    name="cinematic",
    scale=MINOR,
    key_centre=52,
    progressions=((0, 5, 2, 6), (0, 3, 5, 4), (0, 5, 3, 4), (5, 3, 0, 4)),
    pad=Part("swell", ((0, 4, _TRIAD, 1.0),), gain=0.12, wide=True),
    bass=Part("sub bass", ((0, 3.8, (0,), 1.0),), gain=0.3, octave=-12),
    comps=(
        Part(
            "felt piano",
            ((0, 1, (2,), 0.9), (1, 1, (1,), 0.6), (2, 1, (0,), 0.8), (3, 1, (1,), 0.6)),
            gain=0.07,
            octave=12,
            pan=(-0.3, 0.3),
            echo=(1.0, 0.3),
        ),
        Part(
            "felt piano",
            ((0, 1, (0,), 0.9), (1, 1, (2,), 0.6), (2, 1, (3,), 0.8), (3, 1, (2,), 0.6)),
            gain=0.07,
            octave=12,
            pan=(0.3, -0.3),
            echo=(1.0, 0.3),
        ),
    ),
    lead=Part("swell", ((0, 2, (), 1.0), (2, 2, (), 0.9)), gain=0.06, octave=24, wide=True),
    drums={"boom": ((0, 1.0),)},
    light_drums={},
    fill={"boom": ((3, 0.6), (3.5, 0.8))},
    kit="soft",
    intro=("pad",),
    sections=(
        ("pad", "bass", "comp"),
        ("pad", "bass", "comp", "drums"),
        ("pad", "bass", "lead", "drums"),
        ("pad", "comp", "lead"),
    ),
)

PLAYFUL = Style(
    name="playful",
    scale=MAJOR,
    key_centre=63,
    progressions=((0, 3, 4, 0), (0, 5, 3, 4), (0, 4, 0, 4), (3, 4, 0, 0)),
    pad=None,
    bass=Part(
        "pluck bass",
        ((0, 0.3, (0,), 1.0), (1, 0.3, (2,), 0.7), (2, 0.3, (0,), 0.9), (3, 0.3, (2,), 0.7)),
        gain=0.3,
        octave=-24,
    ),
    comps=(
        Part(
            "marimba",
            (
                (0.5, 0.2, (0, 2), 1.0),
                (1.5, 0.2, (1, 2), 0.9),
                (2.5, 0.2, (0, 2), 1.0),
                (3.5, 0.2, (1, 2), 0.9),
            ),
            gain=0.12,
            octave=12,
            pan=(-0.65, 0.65),
            echo=(0.5, 0.3),
        ),
        Part(
            "marimba",
            (
                (0, 0.2, (0,), 1.0),
                (0.5, 0.2, (2,), 0.7),
                (1, 0.2, (1,), 0.9),
                (1.5, 0.2, (2,), 0.7),
                (2.5, 0.2, (3,), 0.9),
                (3, 0.2, (2,), 0.8),
            ),
            gain=0.12,
            octave=12,
            pan=(-0.65, 0.65),
            echo=(0.5, 0.3),
        ),
    ),
    lead=Part(
        "bell",
        (
            (0, 0.25, (), 1.0),
            (0.5, 0.25, (), 0.8),
            (1, 0.25, (), 0.9),
            (2, 0.25, (), 1.0),
            (2.75, 0.25, (), 0.8),
            (3, 0.5, (), 0.9),
        ),
        gain=0.06,
        octave=24,
        pan=(0.25,),
    ),
    drums={
        "kick": ((0, 0.7), (2, 0.65)),
        "clap": ((1, 0.45), (3, 0.5)),
        "tick": ((0.5, 0.5), (1.5, 0.4), (2.5, 0.5), (3.5, 0.4)),
    },
    light_drums={"tick": ((0.5, 0.4), (1.5, 0.3), (2.5, 0.4), (3.5, 0.3))},
    fill={"tick": _sixteenths((0.5, 0.4, 0.6, 0.7)), "clap": ((3.5, 0.4),)},
    intro=("comp", "light drums"),
)

MUSIC_BEDS: tuple[MusicBed, ...] = (
    MusicBed(
        id=1,
        name="Warm acoustic",
        mood="calm",
        bpm=84,
        description="Soft plucked arpeggios over a warm pad and a gentle shaker; unhurried.",
        loudness=-20.0,
        percussive=False,
        style=WARM_ACOUSTIC,
    ),
    MusicBed(
        id=2,
        name="Upbeat pop",
        mood="bright",
        bpm=118,
        description="Kick, snare and hats under bright off-beat chord stabs; sunny and catchy.",
        loudness=-17.0,
        percussive=True,
        style=UPBEAT_POP,
    ),
    MusicBed(
        id=3,
        name="Corporate",
        mood="steady",
        bpm=100,
        description="Steady piano eighths, soft kick and claps over a clean pad; confident.",
        loudness=-19.0,
        percussive=True,
        style=CORPORATE,
    ),
    MusicBed(
        id=4,
        name="Chill lo-fi",
        mood="mellow",
        bpm=75,
        description="Swung, dusty drums and jazzy electric-piano chords; relaxed and soft.",
        loudness=-22.0,
        percussive=True,
        style=CHILL_LOFI,
    ),
    MusicBed(
        id=5,
        name="Energetic electronic",
        mood="energetic",
        bpm=128,
        description="Four-on-the-floor kick, off-beat hats and a pumping synth bass; driving.",
        loudness=-16.0,
        percussive=True,
        style=ENERGETIC_ELECTRONIC,
    ),
    MusicBed(
        id=6,
        name="Cinematic",
        mood="dramatic",
        bpm=70,
        description="Slow string swells in a minor key over a low drone and distant booms.",
        loudness=-20.0,
        percussive=False,
        style=CINEMATIC,
    ),
    MusicBed(
        id=7,
        name="Playful",
        mood="playful",
        bpm=110,
        description="Staccato marimba, an oom-pah bass, wood-block ticks and a glockenspiel.",
        loudness=-19.0,
        percussive=True,
        style=PLAYFUL,
    ),
)


# What a video that names no bed, or one outside the library, plays.
DEFAULT_BED = next(bed for bed in MUSIC_BEDS if bed.id == DEFAULT_MUSIC_ID)


def catalogue_rows() -> list[tuple[int, str, str, int, str]]:
    """(id, name, mood, bpm, description) of every bed, in id order, for the catalogue."""
    return [(bed.id, bed.name, bed.mood, bed.bpm, bed.description) for bed in MUSIC_BEDS]


def find_bed(music_id: int) -> MusicBed | None:
    for bed in MUSIC_BEDS:
        if bed.id == music_id:
            return bed
    return None


def resolve_music(music_id: int | None) -> MusicBed | None:
    """The bed a video's music_id plays: None and ids outside the library mean the default
    bed (the engine warns about the latter), NO_MUSIC (0) means no music at all."""
    if music_id == NO_MUSIC:
        return None
    return find_bed(DEFAULT_MUSIC_ID if music_id is None else music_id) or DEFAULT_BED


def music_bed(music_id: int, duration: float, sample_rate: int, seed: int) -> np.ndarray:
    """The bed music_id names, duration seconds long: float32, shape (2, round(duration*rate)).

    Raises ValueError for an id outside the library or a negative duration.
    """
    bed = find_bed(music_id)
    if bed is None:
        known = ", ".join(str(item.id) for item in MUSIC_BEDS)
        raise ValueError(f"music {music_id} is not in the library (ids {known})")
    if duration < 0 or not math.isfinite(duration):
        raise ValueError(f"a music bed needs a duration of 0 seconds or more, not {duration}")
    mix = arrange(bed.style, bed.bpm, round(duration * sample_rate), sample_rate, seed)
    _set_level(mix, sample_rate, bed.loudness)
    _fade(mix, sample_rate)
    return mix


def _set_level(mix: np.ndarray, rate: int, loudness: float) -> None:
    """Scale mix in place to loudness (LUFS), its peaks limited to BED_PEAK_DBFS."""
    window = mix[:, : round(LEVEL_WINDOW_SECONDS * rate)]
    measured = integrated_loudness(window, rate)
    if math.isfinite(measured):
        mix *= np.float32(db_to_gain(loudness - measured))
        limit(mix, rate, db_to_gain(BED_PEAK_DBFS))


def _fade(mix: np.ndarray, rate: int) -> None:
    """Fade in and out, in place: raised-cosine curves, short beds fade over a share of their
    length."""
    total = mix.shape[1]
    fade_in = min(round(FADE_IN_SECONDS * rate), total // 10)
    fade_out = min(round(FADE_OUT_SECONDS * rate), total // 4)
    if fade_in:
        mix[:, :fade_in] *= synth.ramp(fade_in)
    if fade_out:
        mix[:, total - fade_out :] *= synth.ramp(fade_out)[::-1]
