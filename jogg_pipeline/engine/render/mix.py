"""The final mix: music ducked under a narration voice, at a set loudness, never clipping.

- The voice sits in the centre (the same in both channels), brought to `TARGET_LUFS`.
- The music keeps its own level where nobody speaks, and dips by `duck_db` while the voice
  speaks. The dip follows the voice's own envelope: a voice is "speaking" where its 20 ms level
  is within `VOICE_RANGE_DB` of its loud parts; the dip starts `attack` seconds before the
  first word (the voice is known in advance, so the mix looks ahead), holds through pauses
  shorter than `hold`, and comes back over `release` seconds. Ramps are raised-cosine, so the
  gain changes smoothly.
- The whole is then normalised to `TARGET_LUFS` integrated loudness (ITU-R BS.1770; a fraction
  of a dB, as the voice is already there), and a look-ahead limiter keeps every sample at or
  below `PEAK_CEILING_DBFS`.
- Without a voice the music is returned at its own level (each bed has its own, see
  music.py), only limited to the same ceiling.

-16 LUFS is the usual level for spoken content online: loud enough beside other videos, with
room for the voice's peaks under the ceiling.
"""

from __future__ import annotations

import math

import numpy as np

from jogg_pipeline.engine.render.dynamics import CHUNK_SAMPLES, apply_gain, gain_at_samples, limit
from jogg_pipeline.engine.render.loudness import db_to_gain, integrated_loudness

TARGET_LUFS = -16.0
PEAK_CEILING_DBFS = -1.5  # under -1 dBFS, with room for the AAC encoder's overshoot
DUCK_DB = 12.0
ATTACK_SECONDS = 0.2
RELEASE_SECONDS = 0.6
HOLD_SECONDS = 0.35
VOICE_RANGE_DB = 30.0  # quieter than the voice's loud parts by more than this: not speaking
CONTROL_SECONDS = 0.005
_SMOOTH_SECONDS = 0.02
_MAX_PASSES = 6  # normalise and limit until the loudness is within a tenth of a dB
_TOLERANCE_DB = 0.1
_CENTRED_DB = 10 * math.log10(2)  # the same signal in two channels reads 3 dB louder


def _hop_power(voice: np.ndarray, hop: int, hops: int) -> np.ndarray:
    """Mean square of the voice over each of hops hops (silence past its end)."""
    power = np.zeros(hops)
    count = min(hops, len(voice) // hop)
    step = max(1, CHUNK_SAMPLES // hop)
    for first in range(0, count, step):
        last = min(count, first + step)
        rows = voice[first * hop : last * hop].reshape(last - first, hop).astype(np.float64)
        power[first:last] = np.einsum("ij,ij->i", rows, rows) / hop
    return power


def _speech_level(power: np.ndarray) -> float:
    """The voice's level while it speaks, in dB: the mean power of the hops that are audible and
    within 10 dB of the audible mean (gated as BS.1770 gates blocks), whatever share of the
    track the speech fills."""
    audible = power[power > 1e-7]  # above -70 dBFS
    if len(audible) == 0:
        audible = power[power > 0]
    speech = audible[audible > audible.mean() / 10]
    return 10 * math.log10(float(speech.mean()))


def _ramp_down(steps: int) -> np.ndarray:
    """steps + 1 weights from 1 down to 0 along a raised cosine."""
    return 0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, steps + 1))


def duck_control(
    voice: np.ndarray,
    total: int,
    sample_rate: int,
    *,
    duck_db: float = DUCK_DB,
    attack: float = ATTACK_SECONDS,
    release: float = RELEASE_SECONDS,
    hold: float = HOLD_SECONDS,
) -> tuple[np.ndarray, int]:
    """The music's gain under voice at control points every `hop` samples (and the hop), for a
    track of total samples (the voice is silent past its end)."""
    hop = max(1, round(CONTROL_SECONDS * sample_rate))
    power = _hop_power(voice, hop, -(-total // hop))
    if len(power) == 0 or float(power.max()) <= 0:
        return np.ones(len(power) + 1), hop
    smooth_hops = max(1, round(_SMOOTH_SECONDS / CONTROL_SECONDS))
    power = np.convolve(power, np.ones(smooth_hops) / smooth_hops, mode="same")
    with np.errstate(divide="ignore"):
        level = 10 * np.log10(power)
    speaking = (level > _speech_level(power) - VOICE_RANGE_DB).astype(np.float64)
    # The duck at each point: the strongest of the ramps leading into and out of speech.
    attack_steps = max(1, round(attack / CONTROL_SECONDS))
    hold_steps = round(hold / CONTROL_SECONDS)
    release_steps = max(1, round(release / CONTROL_SECONDS))
    depth = speaking.copy()
    for shift, weight in enumerate(_ramp_down(attack_steps)[1:], start=1):
        np.maximum(depth[:-shift], speaking[shift:] * weight, out=depth[:-shift])
    fall = np.concatenate([np.ones(hold_steps), _ramp_down(release_steps)])
    for shift, weight in enumerate(fall[1:], start=1):
        np.maximum(depth[shift:], speaking[:-shift] * weight, out=depth[shift:])
    control = np.power(10.0, -duck_db * depth / 20)
    return np.append(control, control[-1]), hop


def duck_gain(
    voice: np.ndarray,
    total: int,
    sample_rate: int,
    *,
    duck_db: float = DUCK_DB,
    attack: float = ATTACK_SECONDS,
    release: float = RELEASE_SECONDS,
    hold: float = HOLD_SECONDS,
) -> np.ndarray:
    """The music's gain at each of total samples under voice (float32, 1 where it is silent)."""
    control, hop = duck_control(
        voice, total, sample_rate, duck_db=duck_db, attack=attack, release=release, hold=hold
    )
    return gain_at_samples(control, hop, total)


def _check(music: np.ndarray, voice: np.ndarray | None) -> None:
    if music.ndim != 2 or music.shape[0] != 2 or music.dtype != np.float32:
        raise ValueError(
            f"the music must be float32 samples of shape (2, n), not {music.dtype} {music.shape}"
        )
    if voice is None:
        return
    if voice.ndim != 1 or voice.dtype != np.float32:
        raise ValueError(
            f"the voice must be mono float32 samples of shape (n,), not {voice.dtype} {voice.shape}"
        )
    if len(voice) > music.shape[1]:
        raise ValueError(
            f"the voice is longer than the music ({len(voice)} samples against {music.shape[1]})"
        )


def mix(
    music: np.ndarray,
    voice: np.ndarray | None,
    *,
    sample_rate: int = 48_000,
    duck_db: float = DUCK_DB,
    attack: float = ATTACK_SECONDS,
    release: float = RELEASE_SECONDS,
    hold: float = HOLD_SECONDS,
    in_place: bool = False,
) -> np.ndarray:
    """The sound track: music (float32, (2, n)) with voice (mono float32 at the same
    sample_rate, at most n samples, silence after it) on top; float32, shape (2, n).

    Times are in seconds. in_place lets the mix reuse the music's memory (a 10-minute track is
    230 MB). Raises ValueError for arrays of the wrong shape or type, or a voice longer than
    the music.
    """
    _check(music, voice)
    ceiling = db_to_gain(PEAK_CEILING_DBFS)
    out = music if in_place else music.copy()
    voice_lufs = -math.inf if voice is None else integrated_loudness(voice, sample_rate)
    if voice is None or not math.isfinite(voice_lufs):
        limit(out, sample_rate, ceiling)
        return out
    control, hop = duck_control(
        voice,
        out.shape[1],
        sample_rate,
        duck_db=duck_db,
        attack=attack,
        release=release,
        hold=hold,
    )
    apply_gain(out, control, hop, 0, out.shape[1])
    voice_gain = np.float32(db_to_gain(TARGET_LUFS - (voice_lufs + _CENTRED_DB)))
    for first in range(0, len(voice), CHUNK_SAMPLES):
        part = voice[first : first + CHUNK_SAMPLES] * voice_gain
        out[:, first : first + len(part)] += part
    _normalise(out, sample_rate, ceiling)
    return out


def _normalise(out: np.ndarray, sample_rate: int, ceiling: float) -> None:
    """Bring out to TARGET_LUFS and under the ceiling, in place.

    A gain moves the loudness by exactly its dB, so one measurement is enough unless the limiter
    has to act; limiting takes a little loudness off the peaks, so then the loudness is measured
    again and topped up until it settles (one or two more passes in practice).
    """
    measured = integrated_loudness(out, sample_rate)
    for _ in range(_MAX_PASSES):
        if not math.isfinite(measured):
            return
        out *= np.float32(db_to_gain(TARGET_LUFS - measured))
        if max(float(out.max()), -float(out.min())) <= ceiling:
            return
        limit(out, sample_rate, ceiling)
        measured = integrated_loudness(out, sample_rate)
        if abs(measured - TARGET_LUFS) <= _TOLERANCE_DB:
            return
