"""Gain envelopes for the sound track: computed at a control rate, applied sample by sample.

A gain that follows a signal (a duck under a voice, a limiter's reduction) changes slowly, so it
is computed on a coarse grid (a control point every few milliseconds) and interpolated linearly
between the points when it is applied, a chunk at a time. A 10-minute track needs a few hundred
kilobytes of envelope instead of a full-length array, and every step between two samples is a
small fraction of the step between two control points.
"""

from __future__ import annotations

import numpy as np

CHUNK_SAMPLES = 1 << 18  # samples per step when applying a gain: bounds the working set
LIMITER_HOP_SECONDS = 0.001
# The gain is smoothed by a short and a long moving average, so it starts down about their sum
# (42 ms) before a peak, holds, and comes back over the same time.
LIMITER_ATTACK_SECONDS = 0.002
LIMITER_RELEASE_SECONDS = 0.04
LIMITER_HOLD_SECONDS = 0.03


def sliding_min(values: np.ndarray, before: int, after: int) -> np.ndarray:
    """For each index i, the min of values[i - before : i + after + 1], edges clipped."""
    result = values.copy()
    for shift in range(1, after + 1):
        np.minimum(result[:-shift], values[shift:], out=result[:-shift])
    for shift in range(1, before + 1):
        np.minimum(result[shift:], values[:-shift], out=result[shift:])
    return result


def trailing_mean(values: np.ndarray, width: int) -> np.ndarray:
    """For each index i, the mean of values[i - width + 1 : i + 1]; before the start, the first
    value stands in."""
    if width <= 1:
        return values.copy()
    padded = np.concatenate([np.full(width, values[0]), values])
    sums = np.cumsum(padded, dtype=np.float64)
    return (sums[width:] - sums[:-width]) / width


def apply_gain(samples: np.ndarray, control: np.ndarray, hop: int, start: int, stop: int) -> None:
    """Multiply samples[..., start:stop] in place by the control gain interpolated at each
    sample (control point k sits at sample k * hop; past the last point, the last value)."""
    positions = np.arange(len(control), dtype=np.float64) * hop
    for first in range(start, stop, CHUNK_SAMPLES):
        last = min(stop, first + CHUNK_SAMPLES)
        where = np.arange(first, last, dtype=np.float64)
        gain = np.interp(where, positions, control).astype(np.float32)
        samples[..., first:last] *= gain


def gain_at_samples(control: np.ndarray, hop: int, total: int) -> np.ndarray:
    """The control gain interpolated at every one of total samples (float32, shape (total,))."""
    gain = np.ones(total, np.float32)
    apply_gain(gain, control, hop, 0, total)
    return gain


def hop_peaks(samples: np.ndarray, hop: int) -> np.ndarray:
    """The largest |sample| of any channel in each hop (the last hop may be shorter)."""
    channels = samples.reshape(1, -1) if samples.ndim == 1 else samples
    total = channels.shape[1]
    peaks = np.zeros(-(-total // hop), np.float32)
    step = max(hop, CHUNK_SAMPLES // hop * hop)
    for first in range(0, total, step):
        block = channels[:, first : first + step]
        rows = -(-block.shape[1] // hop)
        if block.shape[1] % hop:
            block = np.pad(block, ((0, 0), (0, rows * hop - block.shape[1])))
        shaped = block.reshape(channels.shape[0], rows, hop)
        found = np.maximum(shaped.max(axis=2), -shaped.min(axis=2)).max(axis=0)
        peaks[first // hop : first // hop + rows] = found
    return peaks


def limiter_control(
    samples: np.ndarray, sample_rate: int, ceiling: float
) -> tuple[np.ndarray, int]:
    """The limiter's gain at control points (and their hop): no sample times its interpolated
    gain passes ceiling, and the gain moves smoothly (a look-ahead dip, a hold, a release).

    Each control point sits at a hop boundary, so its gain is held to what both neighbouring
    hops need; the smoothing is two trailing moving averages over a window minimum that reaches
    as far ahead as the averages reach back, so the averages never rise above any need.
    """
    hop = max(1, round(LIMITER_HOP_SECONDS * sample_rate))
    peaks = hop_peaks(samples, hop)
    with np.errstate(divide="ignore"):
        need = np.minimum(1.0, ceiling / np.maximum(peaks.astype(np.float64), 1e-12))
    control = np.minimum(need, np.concatenate([need[:1], need[:-1]]))  # point k: hops k-1, k
    control = np.append(control, need[-1]) if len(need) else np.ones(1)
    if float(control.min()) >= 1.0:
        return np.ones(len(control)), hop
    attack = max(1, round(LIMITER_ATTACK_SECONDS / LIMITER_HOP_SECONDS))
    release = max(1, round(LIMITER_RELEASE_SECONDS / LIMITER_HOP_SECONDS))
    hold = round(LIMITER_HOLD_SECONDS / LIMITER_HOP_SECONDS)
    floor = sliding_min(control, hold, attack + release - 2)
    smooth = trailing_mean(trailing_mean(floor, attack), release)
    return np.minimum(smooth, control), hop  # the min only absorbs float rounding


def limit(samples: np.ndarray, sample_rate: int, ceiling: float) -> None:
    """Keep every sample within ±ceiling, in place, with a smooth look-ahead gain."""
    if samples.size == 0 or max(float(samples.max()), -float(samples.min())) <= ceiling:
        return
    control, hop = limiter_control(samples, sample_rate, ceiling)
    apply_gain(samples, control, hop, 0, samples.shape[-1])
    # The gain already keeps every sample inside; this only catches float rounding.
    for first in range(0, samples.shape[-1], CHUNK_SAMPLES):
        chunk = samples[..., first : first + CHUNK_SAMPLES]
        np.clip(chunk, -ceiling, ceiling, out=chunk)
