"""How a music bed is made from its style: chords, parts, drums and form, laid bar by bar.

A style (the bed's character) and a seed give a plan: a key, a chord progression, one of the
style's chord figures, a melody and the order of the sections. The bed then runs: an intro of
`INTRO_BARS` bars, then `SECTION_BARS`-bar sections that add and drop parts (full groove,
groove with a melody, a lighter breakdown...), with a drum fill in the last bar before each new
section. Each distinct bar of each part (one per chord of the progression, and for drums one
with and one without the fill) is synthesized once and laid down wherever it recurs. Every bar
rings on past its end and reaches silence by itself, so bars overlap without a click.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from jogg_pipeline.engine.render import synth

INTRO_BARS = 2
SECTION_BARS = 8
BEATS_PER_BAR = 4

# A note of a chord part: (beat, length in beats, chord tones, velocity). Chord tones count from
# the root (0 root, 1 third, 2 fifth, 3 seventh or octave); past the chord they climb an octave.
Hit = tuple[float, float, tuple[int, ...], float]
# A drum hit: (beat, velocity).
Beat = tuple[float, float]


@dataclass(frozen=True)
class Part:
    """One pitched line of a bed: what plays it, when in the bar, how loud, where it sits."""

    instrument: str  # a key of synth.INSTRUMENTS
    hits: tuple[Hit, ...]
    gain: float
    octave: int = 0  # semitones*12 above the chord's register
    pan: tuple[float, ...] = (0.0,)  # successive notes take successive pans
    echo: tuple[float, float] = (0.0, 0.0)  # (delay in beats, gain): a ping-pong echo
    wide: bool = False  # left and right detuned apart (pads, strings)


@dataclass(frozen=True)
class Style:
    """How a bed is made: harmony, parts, drums and which of them each section plays."""

    name: str  # salts the seed, so one seed gives each style its own key and tune
    scale: tuple[int, ...]
    key_centre: int  # MIDI note: the seed picks a tonic from a fifth below to a tritone above
    progressions: tuple[tuple[int, ...], ...]  # scale degrees, one chord a bar
    pad: Part | None
    bass: Part
    comps: tuple[Part, ...]  # alternative figures for the chord part (the seed picks one)
    lead: Part  # its hits give the melody's rhythm; the seed gives its notes
    drums: dict[str, tuple[Beat, ...]] = field(default_factory=dict)
    light_drums: dict[str, tuple[Beat, ...]] = field(default_factory=dict)
    fill: dict[str, tuple[Beat, ...]] = field(default_factory=dict)  # replaces beat 4 on
    kit: str = "bright"
    sevenths: bool = False
    swing: float = 0.5  # where the off-beat eighth falls, in beats (0.5 straight)
    humanize: float = 0.0  # seconds of random timing spread of drum hits
    pump: float = 0.0  # depth of a dip on every beat of pad and bass (a side-chained feel)
    intro: tuple[str, ...] = ("pad", "comp")
    sections: tuple[tuple[str, ...], ...] = (
        ("pad", "bass", "comp", "drums"),
        ("pad", "bass", "comp", "lead", "drums"),
        ("pad", "bass", "comp", "drums"),
        ("pad", "comp", "lead", "light drums"),
    )


@dataclass(frozen=True)
class _Plan:
    """What the seed chose for a bed: key, progression, chord figure, melody and form."""

    root: int
    progression: tuple[int, ...]
    pad: Part | None
    comp: Part
    sections: tuple[tuple[str, ...], ...]
    melody_seed: int
    noise_seed: int


def _voiced(part: Part, rng: random.Random) -> Part:
    """The part's figure in a voicing of its own: every note lifted by the same number of chord
    tones (an inversion), and a one-note-at-a-time figure started at another of its steps."""
    hits = part.hits
    if len(hits) > 2 and all(len(tones) == 1 for _, _, tones, _ in hits):
        turn = rng.randrange(len(hits))
        order = [tones for _, _, tones, _ in hits]
        order = order[turn:] + order[:turn]
        hits = tuple(
            (at, length, tones, v) for (at, length, _, v), tones in zip(hits, order, strict=True)
        )
    lift = rng.randrange(3)
    hits = tuple((at, length, tuple(t + lift for t in tones), v) for at, length, tones, v in hits)
    return replace(part, hits=hits)


def _plan(style: Style, seed: int) -> _Plan:
    rng = random.Random(f"{style.name}:{seed}")
    root = style.key_centre + rng.randrange(-5, 7)  # any of the twelve keys
    progression = style.progressions[rng.randrange(len(style.progressions))]
    turn = rng.randrange(len(progression))
    progression = progression[turn:] + progression[:turn]
    comp = _voiced(style.comps[rng.randrange(len(style.comps))], rng)
    # The first section is always the full groove; the rest of the form turns with the seed.
    rest = list(style.sections[1:])
    turn = rng.randrange(len(rest)) if rest else 0
    sections = (style.sections[0], *rest[turn:], *rest[:turn])
    pad = _voiced(style.pad, rng) if style.pad else None
    return _Plan(root, progression, pad, comp, sections, rng.randrange(2**31), rng.randrange(2**31))


def _chord(root: int, scale: tuple[int, ...], degree: int, sevenths: bool) -> list[int]:
    """MIDI notes of the diatonic triad (or seventh chord) on a scale degree."""
    notes = []
    for step in (0, 2, 4, 6) if sevenths else (0, 2, 4):
        index = degree + step
        notes.append(root + scale[index % 7] + 12 * (index // 7))
    return notes


def _tone(chord: list[int], index: int) -> int:
    """Chord tone `index` counting up from the root; past the chord, an octave higher."""
    return chord[index % len(chord)] + 12 * (index // len(chord))


def _bar_layout(bpm: float, rate: int) -> tuple[float, int]:
    beat = 60.0 / bpm * rate
    return beat, round(BEATS_PER_BAR * beat)


def _onset(style: Style, beat_position: float, beat: float) -> int:
    """The sample of a beat position, with the style's swing on off-beat eighths."""
    whole, part = divmod(beat_position, 1.0)
    if math.isclose(part, 0.5):
        part = style.swing
    return round((whole + part) * beat)


class _Layer:
    """A stereo strip of sounds laid at sample offsets, sized to whatever was laid on it."""

    def __init__(self) -> None:
        self.sounds: list[tuple[np.ndarray, int, float, float]] = []

    def add(self, sound: np.ndarray, start: int, left: float, right: float) -> None:
        self.sounds.append((sound, max(0, start), left, right))

    def render(self, echo: tuple[int, float] = (0, 0.0)) -> np.ndarray:
        delay, echo_gain = echo
        length = max((start + len(sound) for sound, start, _, _ in self.sounds), default=0)
        strip = np.zeros((2, length + (2 * delay if echo_gain else 0)), np.float32)
        for sound, start, left, right in self.sounds:
            if left:
                strip[0, start : start + len(sound)] += np.float32(left) * sound
            if right:
                strip[1, start : start + len(sound)] += np.float32(right) * sound
        if echo_gain and delay:
            # Two taps of a ping-pong echo: each side's sound comes back on the other side,
            # then on its own. Each tap rings out to silence like the sound it repeats.
            first = strip[:, :length].copy()
            strip[:, delay : delay + length] += np.float32(echo_gain) * first[::-1]
            strip[:, 2 * delay : 2 * delay + length] += np.float32(echo_gain**2) * first
        return strip


def _pitched_layer(
    part: Part,
    notes: list[tuple[float, float, list[int], float]],
    beat: float,
    rate: int,
    style: Style,
) -> np.ndarray:
    """A part's bar: each (beat, beats long, MIDI notes, velocity) played on its instrument."""
    instrument = synth.INSTRUMENTS[part.instrument]
    layer = _Layer()
    for index, (position, length, midis, velocity) in enumerate(notes):
        start = _onset(style, position, beat)
        gate = max(1, round(length * beat))
        pan = part.pan[index % len(part.pan)]
        for voice, midi in enumerate(midis):
            freq = synth.frequency(midi + part.octave)
            gain = part.gain * velocity
            if part.wide:
                # Left and right a few cents apart: a slow beating that widens the chord.
                spread = 2 ** ((5 + 2 * voice) / 1200)
                layer.add(instrument(freq * spread, gate, rate), start, gain, 0.0)
                layer.add(instrument(freq / spread, gate, rate), start, 0.0, gain)
            else:
                spread = (voice - (len(midis) - 1) / 2) * 0.25
                left, right = synth.pan_gains(max(-1.0, min(1.0, pan + spread)))
                layer.add(instrument(freq, gate, rate), start, gain * left, gain * right)
    delay_beats, echo_gain = part.echo
    return layer.render((round(delay_beats * beat), echo_gain))


def _chord_notes(part: Part, chord: list[int]) -> list[tuple[float, float, list[int], float]]:
    return [
        (position, length, [_tone(chord, tone) for tone in tones], velocity)
        for position, length, tones, velocity in part.hits
    ]


def _melody_notes(
    part: Part, chord: list[int], scale_notes: list[int], rng: random.Random
) -> list[tuple[float, float, list[int], float]]:
    """A short tune over a chord: it starts and lands on chord tones and steps in between."""
    chord_set = {note % 12 for note in chord}
    anchors = [note for note in scale_notes if note % 12 in chord_set]
    current = rng.choice(anchors[: max(1, len(anchors) // 2)])
    notes = []
    for index, (position, length, _, velocity) in enumerate(part.hits):
        if index in (0, len(part.hits) - 1):
            current = min(anchors, key=lambda note: (abs(note - current), note))
        notes.append((position, length, [current], velocity))
        place = scale_notes.index(current) if current in scale_notes else 0
        place = min(len(scale_notes) - 1, max(0, place + rng.choice((-2, -1, 1, 1, 2))))
        current = scale_notes[place]
    return notes


def _pump(strip: np.ndarray, beat: float, rate: int, depth: float) -> None:
    """Dip the level at every beat and let it swell back, in place (smooth: no clicks)."""
    if not depth:
        return
    position = (np.arange(strip.shape[1], dtype=np.float32) % np.float32(beat)) / np.float32(rate)
    duck = np.exp(-position / np.float32(0.09)) * np.minimum(1, position / np.float32(0.008))
    strip *= 1 - np.float32(depth) * duck


# Each drum's level and place in the stereo field; a pattern's velocities scale the level.
_DRUM_GAINS = {
    "kick": 0.8,
    "snare": 0.45,
    "hat": 0.16,
    "open hat": 0.14,
    "shaker": 0.12,
    "clap": 0.35,
    "tick": 0.25,
    "boom": 0.6,
}
_DRUM_PANS = {"hat": 0.3, "open hat": 0.3, "shaker": -0.35, "tick": -0.25, "clap": 0.1}


def _drum_layer(
    pattern: dict[str, tuple[Beat, ...]],
    kit: dict[str, np.ndarray],
    beat: float,
    rate: int,
    style: Style,
    rng: np.random.Generator,
) -> np.ndarray:
    """A bar of drums: each hit a little softer or later than written, as a drummer plays."""
    layer = _Layer()
    for name, hits in pattern.items():
        left, right = synth.pan_gains(_DRUM_PANS.get(name, 0.0))
        for position, velocity in hits:
            start = _onset(style, position, beat)
            if style.humanize:
                start += round(rng.normal(0, style.humanize) * rate)
            gain = _DRUM_GAINS[name] * velocity * float(rng.uniform(0.92, 1.0))
            layer.add(kit[name], start, gain * left, gain * right)
    return layer.render()


def _with_fill(
    drums: dict[str, tuple[Beat, ...]], fill: dict[str, tuple[Beat, ...]]
) -> dict[str, tuple[Beat, ...]]:
    """The groove up to beat 4, then the fill."""
    merged = {name: tuple(hit for hit in hits if hit[0] < 3) for name, hits in drums.items()}
    for name, hits in fill.items():
        merged[name] = merged.get(name, ()) + tuple((3 + position, v) for position, v in hits)
    return merged


def _bar_parts(
    count: int, sections: tuple[tuple[str, ...], ...], style: Style
) -> Iterator[tuple[int, frozenset[str], bool]]:
    """(bar number, parts playing, drum fill?) for each bar of a bed count bars long."""
    intro = INTRO_BARS if count >= INTRO_BARS + SECTION_BARS else 0
    for number in range(count):
        if number < intro:
            yield number, frozenset(style.intro), False
            continue
        index, position = divmod(number - intro, SECTION_BARS)
        parts = frozenset(sections[index % len(sections)])
        last_of_section = position == SECTION_BARS - 1 and number + 1 < count
        yield number, parts, last_of_section


def bar_samples(bpm: float, sample_rate: int) -> int:
    """Samples in one bar: bars start on exact multiples of this."""
    return _bar_layout(bpm, sample_rate)[1]


def arrange(style: Style, bpm: float, total: int, sample_rate: int, seed: int) -> np.ndarray:
    """total samples of the style's music at bpm, before any level or fade: (2, total) float32.

    The seed picks the key, progression, figure, melody and form; the same seed gives the same
    samples.
    """
    plan = _plan(style, seed)
    beat, bar = _bar_layout(bpm, sample_rate)
    mix = np.zeros((2, total), np.float32)
    strips = _Strips(style, plan, beat, sample_rate)
    for number, parts, fill in _bar_parts(total // bar + 1, plan.sections, style):
        degree = plan.progression[number % len(plan.progression)]
        start = number * bar
        for strip in strips.for_bar(parts, degree, fill):
            span = min(strip.shape[1], total - start)
            if span > 0:
                mix[:, start : start + span] += strip[:, :span]
    return mix


class _Strips:
    """Each part's bar for each chord, synthesized the first time it is needed."""

    def __init__(self, style: Style, plan: _Plan, beat: float, rate: int) -> None:
        self.style, self.plan, self.beat, self.rate = style, plan, beat, rate
        self.kit = synth.drum_kit(rate, np.random.default_rng(plan.noise_seed), style.kit)
        self.cached: dict[tuple[str, int | bool], np.ndarray] = {}

    def for_bar(self, parts: frozenset[str], degree: int, fill: bool) -> Iterator[np.ndarray]:
        for name in ("pad", "bass", "comp", "lead"):
            if name in parts:
                strip = self._strip(name, degree)
                if strip.size:
                    yield strip
        for name in ("drums", "light drums"):
            if name in parts:
                yield self._strip(name, fill)

    def _strip(self, name: str, key: int | bool) -> np.ndarray:
        if (name, key) not in self.cached:
            self.cached[(name, key)] = self._make(name, key)
        return self.cached[(name, key)]

    def _make(self, name: str, key: int | bool) -> np.ndarray:
        style, plan, beat, rate = self.style, self.plan, self.beat, self.rate
        if name in ("drums", "light drums"):
            pattern = style.drums if name == "drums" else style.light_drums
            if key and pattern:
                pattern = _with_fill(pattern, style.fill)
            variant = (name == "light drums", bool(key))
            noise = np.random.default_rng([plan.noise_seed, *map(int, variant)])
            return _drum_layer(pattern, self.kit, beat, rate, style, noise)
        chord = _chord(plan.root, style.scale, int(key), style.sevenths)
        if name == "pad":
            if plan.pad is None:
                return np.zeros((2, 0), np.float32)
            strip = _pitched_layer(plan.pad, _chord_notes(plan.pad, chord), beat, rate, style)
            _pump(strip, beat, rate, style.pump)
            return strip
        if name == "bass":
            notes = _chord_notes(style.bass, chord)
            strip = _pitched_layer(style.bass, notes, beat, rate, style)
            _pump(strip, beat, rate, style.pump * 0.6)
            return strip
        if name == "comp":
            return _pitched_layer(plan.comp, _chord_notes(plan.comp, chord), beat, rate, style)
        tune = random.Random(f"{plan.melody_seed}:{key}")
        scale_notes = [
            plan.root + 12 * octave + step for octave in range(0, 2) for step in style.scale
        ]
        notes = _melody_notes(style.lead, chord, scale_notes, tune)
        return _pitched_layer(style.lead, notes, beat, rate, style)
