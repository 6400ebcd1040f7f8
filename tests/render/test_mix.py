"""The final mix, measured: the loudness meter against the standard, ducking under a voice,
smooth gains, the loudness target, the peak ceiling, and the sound track of a video."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jogg_pipeline.engine.render.audio import SAMPLE_RATE, soundtrack
from jogg_pipeline.engine.render.dynamics import limit
from jogg_pipeline.engine.render.loudness import integrated_loudness, k_weighting, peak_dbfs
from jogg_pipeline.engine.render.mix import (
    DUCK_DB,
    PEAK_CEILING_DBFS,
    TARGET_LUFS,
    duck_gain,
    mix,
)
from jogg_pipeline.engine.render.music import MUSIC_BEDS, MusicBed, music_bed

RATE = SAMPLE_RATE
MUSIC_TONE_HZ = 3000.0  # far above the test voice's harmonics, so each can be measured alone


def seconds(length: float) -> np.ndarray:
    return np.arange(round(length * RATE)) / RATE


def sine(freq: float, length: float, amplitude: float) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * seconds(length))).astype(np.float32)


def spoken_bursts(
    length: float, bursts: list[tuple[float, float]], amplitude: float = 0.3
) -> np.ndarray:
    """A voice stand-in: a 130 Hz buzz (harmonics to 1 kHz) pulsing at a syllable rate of 5 Hz,
    on during each (start, end) burst with 10 ms fades, silent in between."""
    t = seconds(length)
    buzz = sum(np.sin(2 * np.pi * 130 * k * t) / k for k in range(1, 9))
    syllables = 0.55 + 0.45 * np.sin(2 * np.pi * 5 * t)
    gate = np.zeros_like(t)
    for start, end in bursts:
        gate += np.clip(np.minimum(t - start, end - t) / 0.01, 0, 1)
    return (amplitude * buzz * syllables * gate / 2).astype(np.float32)


BURSTS = [(1.0, 2.6), (5.0, 6.6), (9.0, 10.6)]  # 1.6 s of speech, 2.4 s of silence


def tone_level_db(samples: np.ndarray, freq: float, start: float, end: float) -> float:
    """Level in dB of one frequency in samples[..., start:end] (lock-in: project on sin/cos)."""
    mono = samples.mean(axis=0) if samples.ndim == 2 else samples
    part = mono[round(start * RATE) : round(end * RATE)].astype(np.float64)
    t = np.arange(len(part)) / RATE
    window = np.hanning(len(part))
    real = np.sum(part * window * np.cos(2 * np.pi * freq * t))
    imag = np.sum(part * window * np.sin(2 * np.pi * freq * t))
    return 20 * math.log10(2 * math.hypot(real, imag) / window.sum() + 1e-12)


def band_level_db(samples: np.ndarray, low: float, start: float, end: float) -> float:
    """Power above `low` Hz in samples[:, start:end], in dB."""
    part = samples[:, round(start * RATE) : round(end * RATE)].astype(np.float64)
    power = np.abs(np.fft.rfft(part * np.hanning(part.shape[1]), axis=1)) ** 2
    above = np.fft.rfftfreq(part.shape[1], 1 / RATE) > low
    return 10 * math.log10(power[:, above].sum() + 1e-20)


# The meter -------------------------------------------------------------------------------


def _biquad(x: np.ndarray, b0: float, b1: float, b2: float, a1: float, a2: float) -> np.ndarray:
    y = np.zeros_like(x)
    x1 = x2 = y1 = y2 = 0.0
    for index, value in enumerate(x.tolist()):
        out = b0 * value + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1, y2, y1 = x1, value, y1, out
        y[index] = out
    return y


def reference_loudness(samples: np.ndarray) -> float:
    """BS.1770 the slow, literal way: K-weighting filtered sample by sample, 400 ms blocks every
    100 ms, absolute and relative gates."""
    weighted = []
    for channel in samples.astype(np.float64):
        for coefficients in k_weighting(RATE):
            channel = _biquad(channel, *coefficients)
        weighted.append(channel)
    power = np.array(weighted) ** 2
    step = RATE // 10
    blocks = np.array(
        [
            power[:, start : start + 4 * step].mean(axis=1).sum()
            for start in range(0, power.shape[1] - 4 * step + 1, step)
        ]
    )
    lufs = -0.691 + 10 * np.log10(blocks)
    kept = blocks[lufs > -70]
    gate = -0.691 + 10 * math.log10(kept.mean()) - 10
    return -0.691 + 10 * math.log10(blocks[lufs > max(-70, gate)].mean())


def test_the_meter_reads_the_standard_calibration_tones() -> None:
    tone = sine(997, 4.0, 10 ** (-20 / 20))
    assert integrated_loudness(np.stack([tone, tone]), RATE) == pytest.approx(-20.0, abs=0.05)
    full = sine(997, 4.0, 1.0)
    assert integrated_loudness(np.stack([full, np.zeros_like(full)]), RATE) == pytest.approx(
        -3.01, abs=0.05
    )
    # The gates: silence and a tone 30 dB down hardly pull the reading down (only the blocks
    # that straddle the tone's end do); ungated, the mean would read about -24.8.
    quiet = sine(997, 4.0, 10 ** (-50 / 20))
    gated = np.concatenate([tone, np.zeros(4 * RATE, np.float32), quiet])
    assert integrated_loudness(np.stack([gated, gated]), RATE) == pytest.approx(-20.0, abs=0.25)
    # K-weighting: 30 Hz counts for much less than 1 kHz at the same level (about 9 dB less).
    low = sine(30, 4.0, 10 ** (-20 / 20))
    assert integrated_loudness(np.stack([low, low]), RATE) == pytest.approx(-29, abs=0.5)
    assert integrated_loudness(np.zeros((2, RATE), np.float32), RATE) == -math.inf


def test_the_meter_agrees_with_sample_by_sample_filtering_on_music() -> None:
    for music_id in (2, 6):
        excerpt = music_bed(music_id, 6.0, RATE, 4)[:, 2 * RATE : 5 * RATE]
        assert integrated_loudness(excerpt, RATE) == pytest.approx(
            reference_loudness(excerpt), abs=0.1
        )


# Ducking ---------------------------------------------------------------------------------


@pytest.mark.parametrize("duck_db", [6.0, DUCK_DB, 18.0])
def test_music_ducks_under_the_voice_and_comes_back_in_the_gaps(duck_db: float) -> None:
    music = np.stack([sine(MUSIC_TONE_HZ, 12.0, 0.1)] * 2)
    voice = spoken_bursts(12.0, BURSTS)
    out = mix(music, voice, sample_rate=RATE, duck_db=duck_db)
    for start, end in BURSTS:
        under = tone_level_db(out, MUSIC_TONE_HZ, start + 0.1, end - 0.1)
        gap = tone_level_db(out, MUSIC_TONE_HZ, end + 1.2, end + 2.0)
        assert gap - under >= duck_db - 1, (start, gap, under)
        # Look-ahead: the music is already down as the first word starts, and was at full level
        # shortly before.
        onset = tone_level_db(out, MUSIC_TONE_HZ, start - 0.03, start)
        before = tone_level_db(out, MUSIC_TONE_HZ, start - 0.6, start - 0.3)
        assert before - onset >= duck_db - 3
        assert abs(before - gap) < 1.0


def test_a_real_bed_ducks_under_the_voice() -> None:
    """The bed's hats and cymbals (above 3 kHz, where the voice stand-in has nothing) fall under
    each burst by the duck, compared with the same bed mixed without a voice."""
    bed = music_bed(2, 12.0, RATE, 8)
    alone = mix(bed, None, sample_rate=RATE)
    voiced = mix(bed, spoken_bursts(12.0, BURSTS), sample_rate=RATE)
    differences = []
    for start, end in BURSTS:
        for window in ((start + 0.1, end - 0.1), (end + 1.2, end + 2.1)):
            differences.append(
                band_level_db(voiced, 3000, *window) - band_level_db(alone, 3000, *window)
            )
    under, gaps = differences[0::2], differences[1::2]
    assert max(under) <= min(gaps) - (DUCK_DB - 1)


def test_the_duck_gain_moves_smoothly() -> None:
    voice = spoken_bursts(12.0, BURSTS)
    gain = duck_gain(voice, len(voice), RATE)
    assert gain.shape == voice.shape and gain.dtype == np.float32
    assert float(gain.min()) == pytest.approx(10 ** (-DUCK_DB / 20), rel=1e-3)
    assert float(gain.max()) == pytest.approx(1.0)
    assert float(np.abs(np.diff(gain)).max()) < 5e-4  # 12 dB takes thousands of samples
    # Heard in the mix: the music tone's level, 20 ms at a time, never jumps.
    out = mix(np.stack([sine(MUSIC_TONE_HZ, 12.0, 0.1)] * 2), voice, sample_rate=RATE)
    levels = [tone_level_db(out, MUSIC_TONE_HZ, at, at + 0.02) for at in np.arange(0.5, 11.5, 0.01)]
    assert float(np.abs(np.diff(levels)).max()) < 1.5


def test_music_comes_back_after_a_voice_that_ends_early() -> None:
    music = np.stack([sine(MUSIC_TONE_HZ, 8.0, 0.1)] * 2)
    voice = spoken_bursts(3.0, [(0.5, 2.9)])  # 3 s of voice for 8 s of music
    out = mix(music, voice, sample_rate=RATE)
    under = tone_level_db(out, MUSIC_TONE_HZ, 1.0, 2.5)
    after = tone_level_db(out, MUSIC_TONE_HZ, 5.0, 7.5)
    assert after - under >= DUCK_DB - 1


def test_a_short_remark_in_a_long_quiet_track_ducks_only_where_it_is_spoken() -> None:
    """One 1.5 s remark in 40 s of faint room noise: the noise is not taken for speech."""
    length = 40.0
    voice = spoken_bursts(length, [(20.0, 21.5)])
    hiss = np.random.default_rng(1).standard_normal(voice.shape).astype(np.float32)
    voice += 10 ** (-60 / 20) * hiss
    out = mix(np.stack([sine(MUSIC_TONE_HZ, length, 0.1)] * 2), voice, sample_rate=RATE)
    far = tone_level_db(out, MUSIC_TONE_HZ, 5.0, 15.0)
    under = tone_level_db(out, MUSIC_TONE_HZ, 20.1, 21.4)
    after = tone_level_db(out, MUSIC_TONE_HZ, 25.0, 35.0)
    assert far - under >= DUCK_DB - 1
    assert abs(far - after) < 0.5


# Level and peaks -------------------------------------------------------------------------


@pytest.mark.parametrize("bed", MUSIC_BEDS, ids=lambda bed: bed.name)
def test_a_narrated_mix_meets_the_loudness_target_under_the_ceiling(bed: MusicBed) -> None:
    voice = spoken_bursts(10.0, [(0.8, 3.5), (4.0, 6.2), (7.0, 9.5)], amplitude=0.05)
    out = mix(music_bed(bed.id, 10.0, RATE, 2), voice, sample_rate=RATE)
    assert out.shape == (2, 10 * RATE) and out.dtype == np.float32
    assert np.isfinite(out).all()
    assert integrated_loudness(out, RATE) == pytest.approx(TARGET_LUFS, abs=1.0)
    assert peak_dbfs(out) <= PEAK_CEILING_DBFS + 1e-3 < -1.0


def test_a_voice_with_hard_consonants_is_limited_not_clipped() -> None:
    """Plosive-like bursts 4 times the speech's level at every syllable: the mix still reaches
    the target, under the ceiling."""
    voice = spoken_bursts(8.0, [(0.5, 7.5)])
    noise = np.random.default_rng(3).standard_normal(voice.shape).astype(np.float32)
    t = seconds(8.0)
    plosives = (t % 0.2 < 0.004) & (t > 0.5) & (t < 7.5)
    voice[plosives] = 1.2 * noise[plosives]
    out = mix(music_bed(5, 8.0, RATE, 1), voice, sample_rate=RATE)
    assert peak_dbfs(out) <= PEAK_CEILING_DBFS + 1e-3
    assert integrated_loudness(out, RATE) == pytest.approx(TARGET_LUFS, abs=1.0)


def test_a_voice_that_is_all_clicks_still_never_clips() -> None:
    """A full-scale click every 100 ms and little else: its loudness is in the clicks, which
    the ceiling cuts, so the target gives way to the ceiling."""
    voice = spoken_bursts(8.0, [(0.5, 7.5)], amplitude=0.02)
    voice[::4800] = 1.0
    out = mix(music_bed(5, 8.0, RATE, 1), voice, sample_rate=RATE)
    assert np.isfinite(out).all()
    assert peak_dbfs(out) <= PEAK_CEILING_DBFS + 1e-3
    assert integrated_loudness(out, RATE) <= TARGET_LUFS + 1.0


def test_the_limiter_holds_the_ceiling_with_a_smooth_gain() -> None:
    hot = np.stack([sine(220, 2.0, 2.0)] * 2)  # 6 dB over full scale
    hot[:, : RATE // 2] *= 0.1  # quiet first half second: the limiter must not touch it
    original = hot.copy()
    ceiling = 10 ** (PEAK_CEILING_DBFS / 20)
    limit(hot, RATE, ceiling)
    assert float(np.abs(hot).max()) <= ceiling
    # The gain starts down shortly before the first loud sample (look-ahead), not earlier.
    untouched = RATE // 2 - round(0.06 * RATE)
    assert np.array_equal(hot[:, :untouched], original[:, :untouched])
    # Where the signal is steady, the gain (limited / original) moves in tiny steps.
    steady = slice(RATE, 2 * RATE - 1000)
    ratio = hot[0, steady] / np.where(
        np.abs(original[0, steady]) > 0.5, original[0, steady], np.nan
    )
    assert float(np.nanmax(np.abs(np.diff(ratio[~np.isnan(ratio)])))) < 0.01


def test_without_a_voice_the_music_keeps_its_own_level() -> None:
    music = music_bed(4, 10.0, RATE, 3)
    out = mix(music, None, sample_rate=RATE)
    assert np.array_equal(out, music)  # a bed is already under the ceiling
    assert out is not music  # and the caller's array is left alone
    silent_voice = np.zeros(5 * RATE, np.float32)
    assert np.array_equal(mix(music, silent_voice, sample_rate=RATE), music)


def test_a_voice_alone_is_centred_at_the_target() -> None:
    voice = spoken_bursts(6.0, [(0.5, 5.5)])
    out = mix(np.zeros((2, 6 * RATE), np.float32), voice, sample_rate=RATE)
    assert np.array_equal(out[0], out[1])
    assert integrated_loudness(out, RATE) == pytest.approx(TARGET_LUFS, abs=0.2)


def test_mix_refuses_what_it_cannot_mix() -> None:
    music = np.zeros((2, RATE), np.float32)
    cases = [
        (
            np.zeros((RATE, 2), np.float32),
            None,
            "the music must be float32 samples of shape (2, n), not float32 (48000, 2)",
        ),
        (
            music,
            np.zeros(2 * RATE, np.float32),
            "the voice is longer than the music (96000 samples against 48000)",
        ),
        (
            music,
            np.zeros(RATE, np.float64),
            "the voice must be mono float32 samples of shape (n,), not float64 (48000,)",
        ),
    ]
    for bad_music, voice, message in cases:
        with pytest.raises(ValueError) as refused:
            mix(bad_music, voice, sample_rate=RATE)
        assert str(refused.value) == message


# The sound track of a video ---------------------------------------------------------------


def test_soundtrack_plays_the_chosen_bed_under_the_voice() -> None:
    voice = spoken_bursts(15.0, BURSTS)
    for music_id in (None, 3, 4242):
        track = soundtrack(15.0, RATE, 9, music_id=music_id, voice=voice)
        assert track.shape == (2, 15 * RATE) and track.dtype == np.float32
        assert integrated_loudness(track, RATE) == pytest.approx(TARGET_LUFS, abs=1.0)
        assert peak_dbfs(track) < -1.0
    # None and an id outside the library both play the default bed.
    assert np.array_equal(
        soundtrack(15.0, RATE, 9, music_id=None, voice=voice),
        soundtrack(15.0, RATE, 9, music_id=4242, voice=voice),
    )


def test_soundtrack_without_music_or_voice() -> None:
    assert not np.any(soundtrack(3.0, RATE, 1, music_id=0))
    voice_only = soundtrack(6.0, RATE, 1, music_id=0, voice=spoken_bursts(6.0, [(1.0, 5.0)]))
    assert integrated_loudness(voice_only, RATE) == pytest.approx(TARGET_LUFS, abs=0.2)
    music_only = soundtrack(6.0, RATE, 1, music_id=7)
    assert np.array_equal(music_only, music_bed(7, 6.0, RATE, 1))
