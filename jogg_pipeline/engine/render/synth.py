"""The instruments of the music beds: pitched notes and drums, synthesized with numpy.

Every sound is a short mono float32 array that starts and ends at silence (an attack ramp at the
front, a release to zero at the back), so sounds can be laid anywhere, summed and cut after
their end without a click. Pitched notes are a few harmonics built with the Chebyshev
recurrence (one sine and one cosine per note, whatever the harmonics); drums are pitched sines
and noise bursts shaped by envelopes and simple box filters. Nothing here is random unless it is
handed a seeded generator.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# A pitched instrument: (frequency in Hz, gate in samples, sample rate) -> mono samples that
# ring on past the gate for the instrument's release.
Instrument = Callable[[float, int, int], np.ndarray]


def frequency(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


_counting = np.arange(0, dtype=np.float64)


def _count(n: int) -> np.ndarray:
    """0, 1, ..., n - 1 as float64, from a shared array that grows (read-only, thread-safe)."""
    global _counting
    counting = _counting
    if len(counting) < n:
        counting = np.arange(max(n, 2 * len(counting)), dtype=np.float64)
        counting.flags.writeable = False
        _counting = counting
    return counting[:n]


def _angle(freq: float, n: int, rate: int) -> np.ndarray:
    """2π f t for n samples, reduced to one turn before the float32 cast (float32 sines are
    several times faster than float64 ones, and exact enough on [0, 2π))."""
    cycles = _count(n) * (freq / rate)
    cycles -= np.floor(cycles)
    return cycles.astype(np.float32) * np.float32(2 * np.pi)


def harmonic_parts(
    freq: float, n: int, rate: int, amplitudes: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """The fundamental and the sum of the upper harmonics, sum_k a[k] sin((k + 1) 2π f t), by
    the Chebyshev recurrence: one sine and one cosine call, however many harmonics."""
    angle = _angle(freq, n, rate)
    first = np.sin(angle)
    upper = np.zeros(n, np.float32)
    if len(amplitudes) > 1:
        twice_cos = np.cos(angle) * np.float32(2)
        previous, current = np.zeros(n, np.float32), first
        below_nyquist = int(rate / 2 / max(freq, 1.0))
        for index, amplitude in enumerate(amplitudes[1:], start=2):
            if index > below_nyquist:
                break
            previous, current = current, twice_cos * current - previous
            if amplitude:
                upper += np.float32(amplitude) * current
    return first * np.float32(amplitudes[0]), upper


def harmonics(freq: float, n: int, rate: int, amplitudes: tuple[float, ...]) -> np.ndarray:
    body, upper = harmonic_parts(freq, n, rate, amplitudes)
    return body + upper


def ramp(n: int) -> np.ndarray:
    """A raised-cosine rise from 0 to 1 over n samples (smooth at both ends)."""
    if n <= 0:
        return np.ones(0, np.float32)
    return (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n, dtype=np.float32))).astype(np.float32)


def envelope(
    gate: int, rate: int, *, attack: float, decay: float, sustain: float, release: float
) -> np.ndarray:
    """Attack ramp, exponential decay toward sustain, held to the gate, then a smooth release.

    decay is a time constant in seconds (0: none); the result is gate + release samples long and
    ends at exactly zero.
    """
    tail = max(1, round(release * rate))
    total = gate + tail
    t = np.arange(total, dtype=np.float32) / np.float32(rate)
    if decay > 0:
        shape = sustain + (1 - sustain) * np.exp(-t / np.float32(decay))
    else:
        shape = np.ones(total, np.float32)
    rise = min(max(1, round(attack * rate)), gate) if gate else 1
    shape[:rise] *= ramp(rise)
    level = shape[gate - 1] if gate else shape[0]
    shape[gate:] = level * ramp(tail)[::-1]
    return shape.astype(np.float32)


@dataclass(frozen=True)
class Timbre:
    """A pitched instrument: harmonics, how fast the upper ones fade, and an envelope."""

    amplitudes: tuple[float, ...]
    attack: float
    decay: float  # seconds; 0 for a held tone
    sustain: float
    release: float
    bright_decay: float = 0.0  # seconds: upper harmonics fade this fast (a pluck's dulling)
    detune_cents: float = 0.0  # a second, detuned copy for chorus

    def __call__(self, freq: float, gate: int, rate: int) -> np.ndarray:
        shape = envelope(
            gate,
            rate,
            attack=self.attack,
            decay=self.decay,
            sustain=self.sustain,
            release=self.release,
        )
        n = len(shape)
        body, upper = harmonic_parts(freq, n, rate, self.amplitudes)
        if self.bright_decay > 0:
            t = np.arange(n, dtype=np.float32) / np.float32(rate)
            upper *= np.exp(-t / np.float32(self.bright_decay))
        sound = body + upper
        if self.detune_cents:
            shifted = freq * 2 ** (self.detune_cents / 1200)
            sound = 0.5 * (sound + harmonics(shifted, n, rate, self.amplitudes))
        return sound * shape


def bell(freq: float, gate: int, rate: int) -> np.ndarray:
    """A glockenspiel-like bell: inharmonic partials that die away, the higher ones faster."""
    n = gate + round(1.2 * rate)
    t = np.arange(n, dtype=np.float32) / np.float32(rate)
    sound = np.zeros(n, np.float32)
    for ratio, level, decay in ((1.0, 1.0, 0.9), (2.76, 0.35, 0.35), (5.4, 0.15, 0.12)):
        if freq * ratio < rate / 2:
            sound += level * harmonics(freq * ratio, n, rate, (1.0,)) * np.exp(-t / decay)
    return sound * envelope(
        n - round(0.05 * rate), rate, attack=0.002, decay=0, sustain=1, release=0.05
    )


_SOFT_SAW = (1.0, 0.3, 0.1, 0.04)


def swell(freq: float, gate: int, rate: int) -> np.ndarray:
    """A bowed-string swell: a soft sawtooth rising over most of the gate, then fading.

    Played wide (a detuned copy on each side), it sounds like a section rather than one string.
    """
    rise = round(gate * 0.6)
    n = gate + round(1.4 * rate)
    shape = np.ones(n, np.float32)
    shape[:rise] = ramp(rise) ** 1.5
    shape[gate:] = ramp(n - gate)[::-1]
    return harmonics(freq, n, rate, _SOFT_SAW) * shape


PAD = Timbre((1.0, 0.2, 0.06), attack=0.35, decay=0, sustain=1, release=0.6)
WARM_PLUCK = Timbre(
    (1.0, 0.35, 0.12, 0.05),
    attack=0.003,
    decay=0.45,
    sustain=0.0,
    release=0.12,
    bright_decay=0.05,
)
PIANO = Timbre(
    (1.0, 0.45, 0.2, 0.1, 0.05),
    attack=0.002,
    decay=0.6,
    sustain=0.05,
    release=0.15,
    bright_decay=0.15,
)
BRIGHT_STAB = Timbre(
    (1.0, 0.7, 0.5, 0.35, 0.25, 0.15),
    attack=0.004,
    decay=0.18,
    sustain=0.15,
    release=0.06,
    detune_cents=7,
)
SAW_STAB = Timbre(
    tuple(0.8 / k for k in range(1, 11)),
    attack=0.003,
    decay=0.12,
    sustain=0.05,
    release=0.05,
    detune_cents=12,
)
SQUARE_LEAD = Timbre(
    (1.0, 0.0, 0.33, 0.0, 0.2, 0.0, 0.14),
    attack=0.01,
    decay=0.3,
    sustain=0.5,
    release=0.08,
)
FELT_PIANO = Timbre(
    (1.0, 0.25, 0.06), attack=0.004, decay=0.9, sustain=0.05, release=0.2, bright_decay=0.06
)
ELECTRIC_PIANO = Timbre(
    (1.0, 0.12, 0.04), attack=0.006, decay=1.2, sustain=0.25, release=0.3, bright_decay=0.05
)
MARIMBA = Timbre(
    (1.0, 0.0, 0.0, 0.25), attack=0.002, decay=0.12, sustain=0.0, release=0.03, bright_decay=0.03
)
SUB_BASS = Timbre((1.0, 0.25, 0.05), attack=0.006, decay=0, sustain=1, release=0.06)
PLUCK_BASS = Timbre(
    (1.0, 0.5, 0.25, 0.1), attack=0.004, decay=0.25, sustain=0.4, release=0.05, bright_decay=0.06
)
SAW_BASS = Timbre(
    tuple(0.7 / k for k in range(1, 8)),
    attack=0.003,
    decay=0.1,
    sustain=0.5,
    release=0.03,
    bright_decay=0.05,
)
SOFT_BASS = Timbre((1.0, 0.15), attack=0.01, decay=0.8, sustain=0.4, release=0.08)

INSTRUMENTS: dict[str, Instrument] = {
    "pad": PAD,
    "warm pluck": WARM_PLUCK,
    "piano": PIANO,
    "felt piano": FELT_PIANO,
    "bright stab": BRIGHT_STAB,
    "saw stab": SAW_STAB,
    "square lead": SQUARE_LEAD,
    "electric piano": ELECTRIC_PIANO,
    "marimba": MARIMBA,
    "bell": bell,
    "swell": swell,
    "sub bass": SUB_BASS,
    "pluck bass": PLUCK_BASS,
    "saw bass": SAW_BASS,
    "soft bass": SOFT_BASS,
}


# Drums ------------------------------------------------------------------------------------


def _box(signal: np.ndarray, width: int) -> np.ndarray:
    """A moving average (a gentle low-pass) of the same length."""
    if width <= 1:
        return signal
    kernel = np.ones(width, np.float32) / np.float32(width)
    return np.convolve(signal, kernel, mode="same").astype(np.float32)


def _decay(n: int, rate: int, seconds: float, attack: float = 0.001) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / np.float32(rate)
    shape = np.exp(-t / np.float32(seconds))
    rise = max(1, round(attack * rate))
    shape[:rise] *= ramp(rise)
    fall = max(1, n // 8)
    shape[n - fall :] *= ramp(fall)[::-1]
    return shape


def kick(
    rate: int, *, start_hz: float, end_hz: float, decay: float, punch: float = 0.03
) -> np.ndarray:
    """A pitched sine whose pitch falls from start_hz to end_hz: the body of a kick drum."""
    n = round(decay * 6 * rate)
    t = np.arange(n, dtype=np.float64) / rate
    # Phase of f(t) = end + (start - end) exp(-t / punch), integrated in closed form.
    phase = 2 * np.pi * (end_hz * t + (start_hz - end_hz) * punch * (1 - np.exp(-t / punch)))
    return np.sin(phase).astype(np.float32) * _decay(n, rate, decay, attack=0.0015)


def noise_hit(
    rate: int,
    rng: np.random.Generator,
    *,
    decay: float,
    high_pass: int,
    low_pass: int = 1,
    attack: float = 0.001,
) -> np.ndarray:
    """A noise burst: white noise, minus its box average (high-pass), box-smoothed (low-pass).

    high_pass and low_pass are box widths in samples at 48 kHz, scaled to rate.
    """
    n = round(decay * 6 * rate)
    noise = rng.standard_normal(n, dtype=np.float32)
    scale = rate / 48_000
    if high_pass > 1:
        noise = noise - _box(noise, max(2, round(high_pass * scale)))
    noise = _box(noise, max(1, round(low_pass * scale)))
    peak = float(np.abs(noise).max()) or 1.0
    return noise / np.float32(peak) * _decay(n, rate, decay, attack)


def snare(rate: int, rng: np.random.Generator, *, tone_hz: float, decay: float) -> np.ndarray:
    rattle = noise_hit(rate, rng, decay=decay, high_pass=12, low_pass=2)
    n = len(rattle)
    body = harmonics(tone_hz, n, rate, (1.0, 0.3)) * _decay(n, rate, decay * 0.5)
    return 0.75 * rattle + 0.45 * body


def clap(rate: int, rng: np.random.Generator) -> np.ndarray:
    """Three quick noise bursts and a short tail, like hands together."""
    tail = noise_hit(rate, rng, decay=0.06, high_pass=10, low_pass=3)
    sound = np.zeros(len(tail) + round(0.025 * rate), np.float32)
    for index in range(3):
        burst = noise_hit(rate, rng, decay=0.004, high_pass=10, low_pass=3)
        offset = round(index * 0.011 * rate)
        sound[offset : offset + len(burst)] += burst * (0.8 - 0.15 * index)
    offset = round(0.022 * rate)
    sound[offset : offset + len(tail)] += tail * 0.9
    return sound


def tick(rate: int, *, freq: float = 1900.0) -> np.ndarray:
    """A wood block: a short, bright, pitched knock."""
    n = round(0.08 * rate)
    return harmonics(freq, n, rate, (1.0, 0.0, 0.3)) * _decay(n, rate, 0.015, attack=0.0008)


def drum_kit(rate: int, rng: np.random.Generator, kit: str) -> dict[str, np.ndarray]:
    """The named kit's sounds, made once per bed: each hit is then laid at its onsets."""
    if kit == "soft":  # warm, dusty: rounder kick, muffled snare, dark hats
        return {
            "kick": kick(rate, start_hz=120, end_hz=48, decay=0.16, punch=0.04),
            "snare": _box(snare(rate, rng, tone_hz=170, decay=0.09), 6),
            "hat": noise_hit(rate, rng, decay=0.025, high_pass=4, low_pass=3),
            "open hat": noise_hit(rate, rng, decay=0.12, high_pass=4, low_pass=3),
            "shaker": noise_hit(rate, rng, decay=0.035, high_pass=3, low_pass=2, attack=0.012),
            "clap": _box(clap(rate, rng), 4),
            "tick": tick(rate, freq=1500),
            "boom": kick(rate, start_hz=80, end_hz=38, decay=0.5, punch=0.08),
        }
    return {
        "kick": kick(rate, start_hz=160, end_hz=50, decay=0.12, punch=0.025),
        "snare": snare(rate, rng, tone_hz=190, decay=0.08),
        "hat": noise_hit(rate, rng, decay=0.018, high_pass=3),
        "open hat": noise_hit(rate, rng, decay=0.09, high_pass=3),
        "shaker": noise_hit(rate, rng, decay=0.03, high_pass=2, attack=0.01),
        "clap": clap(rate, rng),
        "tick": tick(rate),
        "boom": kick(rate, start_hz=90, end_hz=40, decay=0.45, punch=0.06),
    }


def pan_gains(pan: float) -> tuple[float, float]:
    """Equal-power left/right gains for pan in [-1 (left), 1 (right)]."""
    angle = (pan + 1) * math.pi / 4
    return math.cos(angle), math.sin(angle)
