"""The sound track: a soft, deterministic synthesized music bed.

The music bed is one part of the final mix (`soundtrack`); a narration track can be added to the
mix later, with the music ducked under it, without touching the video side.
"""

from __future__ import annotations

import random

import numpy as np

SAMPLE_RATE = 48_000
PEAK = 0.5  # about -6 dBFS: room for a voice on top, never clipping
TEMPO_BPM = 84

# Root notes (MIDI) of the keys a seed picks from, and chord progressions as scale degrees.
_KEY_ROOTS = (60, 62, 65, 67, 57)
_PROGRESSIONS = ((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4), (3, 0, 4, 5))
_MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)


def _frequency(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _triad(root: int, degree: int) -> list[int]:
    """MIDI notes of the diatonic triad on a scale degree."""
    notes = []
    for step in (0, 2, 4):
        index = degree + step
        notes.append(root + _MAJOR_SCALE[index % 7] + 12 * (index // 7))
    return notes


def _tone(freq: float, t: np.ndarray, brightness: float) -> np.ndarray:
    """A warm tone: a sine with a little of its second and third harmonics."""
    first = np.sin(2 * np.pi * freq * t)
    cosine = np.cos(2 * np.pi * freq * t)
    second = 2 * first * cosine  # sin 2x, without another sin call
    third = first * (3 - 4 * first * first)  # sin 3x
    return first + brightness * (0.35 * second + 0.12 * third)


def _pad_envelope(length: int, attack: int, release: int) -> np.ndarray:
    envelope = np.ones(length, dtype=np.float64)
    envelope[:attack] = np.linspace(0, 1, attack) ** 2
    envelope[length - release :] = np.linspace(1, 0, release) ** 2
    return envelope


def _bar(chord: list[int], length: int, tail: int, beat: float, rate: int) -> np.ndarray:
    """One bar of the bed over a chord, ringing on for tail samples: shape (2, length)."""
    t = np.arange(length) / rate
    pad = np.zeros(length)
    for voice, note in enumerate(chord):
        # Two slightly detuned copies give the pad a slow, gentle shimmer.
        freq = _frequency(note)
        pad += _tone(freq * 1.0012, t, 0.6) + _tone(freq * 0.9988, t, 0.6) * (0.9 - 0.1 * voice)
    pad *= _pad_envelope(length, round(0.35 * rate), tail) * 0.16
    bass = _tone(_frequency(chord[0] - 24), t, 0.4) * _pad_envelope(length, 800, tail) * 0.32
    arpeggio_left, arpeggio_right = _arpeggio(chord, length, beat, rate)
    return np.stack([pad + bass + arpeggio_left, pad * 0.9 + bass + arpeggio_right]).astype(
        np.float32
    )


def music_bed(duration: float, sample_rate: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    """Stereo float32 samples, shape (2, n), n = duration * sample_rate, peak at PEAK."""
    total = round(duration * sample_rate)
    rng = random.Random(seed)
    root = _KEY_ROOTS[rng.randrange(len(_KEY_ROOTS))]
    progression = _PROGRESSIONS[rng.randrange(len(_PROGRESSIONS))]
    beat = 60.0 / TEMPO_BPM
    bar_samples = round(4 * beat * sample_rate)
    tail = round(0.6 * sample_rate)  # each chord rings into the next
    length = bar_samples + tail
    # The progression repeats, so each distinct bar is synthesized once and laid down often.
    count = total // bar_samples + 1
    used = {progression[number % len(progression)] for number in range(count)}
    bars = {degree: _bar(_triad(root, degree), length, tail, beat, sample_rate) for degree in used}
    # float32 throughout and in place: a 10-minute bed stays near 230 MB.
    mix = np.zeros((2, total), dtype=np.float32)
    for number in range(count):
        start = number * bar_samples
        span = min(length, total - start)
        if span > 0:
            mix[:, start : start + span] += bars[progression[number % len(progression)]][:, :span]
    _cross_echo(mix, round(0.19 * sample_rate), 0.22)
    return _finish(mix, sample_rate)


def _cross_echo(mix: np.ndarray, delay: int, gain: float) -> None:
    """Add each channel, delayed, to the other: width without a reverb's cost.

    Done in place from the end backwards, in chunks no longer than the delay, so every chunk
    reads samples that have not been changed yet.
    """
    total = mix.shape[1]
    end = total
    while end > delay:
        start = max(delay, end - delay)
        mix[:, start:end] += gain * mix[::-1, start - delay : end - delay]
        end = start


def _arpeggio(
    chord: list[int], length: int, beat: float, sample_rate: int
) -> tuple[np.ndarray, np.ndarray]:
    """Plucked eighth notes over the chord, alternating sides."""
    left, right = np.zeros(length), np.zeros(length)
    step = round(beat / 2 * sample_rate)
    pattern = (0, 1, 2, 1, 0, 2, 1, 2)
    note_length = min(length, round(beat * 1.5 * sample_rate))
    t = np.arange(note_length) / sample_rate
    decay = np.exp(-t * 5.0) * np.minimum(1.0, t * 400)
    for index, pick in enumerate(pattern):
        onset = index * step
        if onset >= length:
            break
        span = min(note_length, length - onset)
        note = _tone(_frequency(chord[pick] + 12), t[:span], 0.3) * decay[:span] * 0.09
        side = 0.75 if index % 2 == 0 else 0.45
        left[onset : onset + span] += note * side
        right[onset : onset + span] += note * (1.2 - side)
    return left, right


def _finish(mix: np.ndarray, sample_rate: int) -> np.ndarray:
    """Fade in and out, and scale to PEAK, in place."""
    total = mix.shape[1]
    fade_in = min(round(0.6 * sample_rate), total // 10)
    fade_out = min(round(2.0 * sample_rate), total // 4)
    if fade_in:
        mix[:, :fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32) ** 2
    if fade_out:
        mix[:, total - fade_out :] *= np.linspace(1, 0, fade_out, dtype=np.float32) ** 2
    peak = max(float(mix.max()), -float(mix.min())) if total else 0.0
    if peak > 0:
        mix *= PEAK / peak
    return mix


def soundtrack(duration: float, sample_rate: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    """The full mix of a video, shape (2, n) float32 in [-1, 1]."""
    return music_bed(duration, sample_rate, seed)
