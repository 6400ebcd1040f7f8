"""The music library, measured from the samples: tempo, level, brightness, width, seeds, length,
fades and joins."""

from __future__ import annotations

import itertools
import math
import time
import tracemalloc

import numpy as np
import pytest

from jogg_pipeline.engine.render.loudness import integrated_loudness
from jogg_pipeline.engine.render.music import (
    BED_PEAK_DBFS,
    DEFAULT_MUSIC_ID,
    MUSIC_BEDS,
    NO_MUSIC,
    MusicBed,
    catalogue_rows,
    find_bed,
    music_bed,
    resolve_music,
)

RATE = 48_000
BY_NAME = {bed.name: bed for bed in MUSIC_BEDS}


def onset_strength(samples: np.ndarray, hop: int = 480, window: int = 1024) -> np.ndarray:
    """Spectral flux of the mono downmix: how much new energy each 10 ms frame brings."""
    mono = samples.mean(axis=0).astype(np.float64)
    padded = np.pad(mono, window // 2)
    starts = np.arange(0, len(mono) - hop, hop)
    frames = np.lib.stride_tricks.sliding_window_view(padded, window)[starts] * np.hanning(window)
    magnitude = np.log1p(100 * np.abs(np.fft.rfft(frames, axis=1)))
    flux = np.maximum(0, np.diff(magnitude, axis=0)).sum(axis=1)
    return flux - flux.mean()


def measured_tempo(samples: np.ndarray, low: float, high: float, hop: int = 480) -> float:
    """The beats per minute whose lag maximises the onset strength's autocorrelation.

    Autocorrelation cannot tell a tempo from its double or half, so the search stays within
    [low, high]; any other tempo (a triplet feel, a wrong bar length) still shows.
    """
    strength = onset_strength(samples, hop)
    correlation = np.correlate(strength, strength, "full")[len(strength) - 1 :]
    frames_per_second = RATE / hop
    lags = np.arange(1, len(correlation) - 1)
    bpm = 60 * frames_per_second / lags
    candidates = lags[(bpm >= low) & (bpm <= high)]
    best = int(candidates[np.argmax(correlation[candidates])])
    before, at, after = correlation[best - 1 : best + 2]
    offset = 0.5 * (before - after) / (before - 2 * at + after)  # parabolic peak
    return 60 * frames_per_second / (best + offset)


def brightness_db(samples: np.ndarray) -> float:
    """Share of the power above 2 kHz, in dB."""
    power = (np.abs(np.fft.rfft(samples.astype(np.float64), axis=1)) ** 2).sum(axis=0)
    frequencies = np.fft.rfftfreq(samples.shape[1], 1 / RATE)
    return 10 * math.log10(power[frequencies > 2000].sum() / power.sum())


def spectral_centroid(samples: np.ndarray) -> float:
    power = (np.abs(np.fft.rfft(samples.astype(np.float64), axis=1)) ** 2).sum(axis=0)
    frequencies = np.fft.rfftfreq(samples.shape[1], 1 / RATE)
    return float((power * frequencies).sum() / power.sum())


def join_click_ratio(samples: np.ndarray, bar: int) -> float:
    """The largest sample-to-sample jump within 16 samples of a bar join, against the 99th
    percentile of jumps in the 100 ms around it: a discontinuity stands far above its
    surroundings, a drum hit on the downbeat does not."""
    jumps = np.abs(np.diff(samples, axis=1)).max(axis=0)
    worst = 0.0
    for join in range(bar, samples.shape[1] - RATE, bar):
        near = float(jumps[join - 16 : join + 16].max())
        around = float(np.percentile(jumps[join - 2400 : join + 2400], 99))
        worst = max(worst, near / max(around, 1e-9))
    return worst


@pytest.fixture(scope="module")
def beds() -> dict[int, np.ndarray]:
    """20 s of every bed, seed 1 (the expensive part, made once for the module)."""
    return {bed.id: music_bed(bed.id, 20.0, RATE, 1) for bed in MUSIC_BEDS}


def test_the_library_has_stable_ids_and_clearly_different_beds() -> None:
    assert [(bed.id, bed.name) for bed in MUSIC_BEDS] == [
        (1, "Warm acoustic"),
        (2, "Upbeat pop"),
        (3, "Corporate"),
        (4, "Chill lo-fi"),
        (5, "Energetic electronic"),
        (6, "Cinematic"),
        (7, "Playful"),
    ]
    assert len({bed.mood for bed in MUSIC_BEDS}) == len(MUSIC_BEDS)
    tempi = sorted(bed.bpm for bed in MUSIC_BEDS)
    assert all(faster / slower > 1.05 for slower, faster in itertools.pairwise(tempi))
    rows = catalogue_rows()
    assert [row[0] for row in rows] == list(range(1, len(MUSIC_BEDS) + 1))
    for music_id, name, mood, bpm, description in rows:
        assert find_bed(music_id) is not None and find_bed(music_id).name == name
        assert mood and 60 <= bpm <= 140
        assert 20 < len(description) <= 100 and "\n" not in description


@pytest.mark.parametrize("bed", MUSIC_BEDS, ids=lambda bed: bed.name)
def test_each_bed_plays_at_its_tempo(bed: MusicBed, beds: dict[int, np.ndarray]) -> None:
    found = measured_tempo(beds[bed.id], bed.bpm * 0.75, bed.bpm * 1.33)
    assert found == pytest.approx(bed.bpm, rel=0.05)


def test_percussive_beds_keep_their_tempo_for_other_seeds() -> None:
    for bed in (bed for bed in MUSIC_BEDS if bed.percussive):
        samples = music_bed(bed.id, 12.0, RATE, 7)
        assert measured_tempo(samples, bed.bpm * 0.75, bed.bpm * 1.33) == pytest.approx(
            bed.bpm, rel=0.05
        ), bed.name


def test_moods_differ_in_level_and_brightness(beds: dict[int, np.ndarray]) -> None:
    loudness = {bed.name: integrated_loudness(beds[bed.id], RATE) for bed in MUSIC_BEDS}
    for bed in MUSIC_BEDS:
        assert loudness[bed.name] == pytest.approx(bed.loudness, abs=1.0), bed.name
    assert loudness["Energetic electronic"] - loudness["Chill lo-fi"] >= 4
    assert loudness["Upbeat pop"] - loudness["Warm acoustic"] >= 2
    middle = slice(2 * RATE, 18 * RATE)
    bright = {bed.name: brightness_db(beds[bed.id][:, middle]) for bed in MUSIC_BEDS}
    for lively, soft in itertools.product(
        ("Upbeat pop", "Energetic electronic"), ("Chill lo-fi", "Cinematic")
    ):
        assert bright[lively] - bright[soft] >= 8, (lively, soft, bright)
    centroid = {bed.name: spectral_centroid(beds[bed.id][:, middle]) for bed in MUSIC_BEDS}
    assert centroid["Upbeat pop"] > 1.3 * centroid["Chill lo-fi"]
    assert centroid["Energetic electronic"] > 1.3 * centroid["Chill lo-fi"]


def test_no_two_beds_sound_alike(beds: dict[int, np.ndarray]) -> None:
    """Every pair differs in measured tempo, level or brightness by a clear margin."""
    features = {}
    for bed in MUSIC_BEDS:
        samples = beds[bed.id]
        features[bed.name] = (
            measured_tempo(samples, 60, 140),
            integrated_loudness(samples, RATE),
            brightness_db(samples[:, 2 * RATE : 18 * RATE]),
        )
    for (one, a), (other, b) in itertools.combinations(features.items(), 2):
        tempo_apart = abs(math.log(a[0] / b[0])) > math.log(1.05)
        assert tempo_apart or abs(a[1] - b[1]) > 1.5 or abs(a[2] - b[2]) > 3, (one, other)


def test_beds_are_stereo(beds: dict[int, np.ndarray]) -> None:
    """Above the (centred) bass, left and right differ: side power is a good share of mid."""
    for bed in MUSIC_BEDS:
        left, right = np.fft.rfft(beds[bed.id][:, 2 * RATE : 18 * RATE].astype(np.float64))
        above = np.fft.rfftfreq(16 * RATE, 1 / RATE) > 300
        side = np.sum(np.abs(left[above] - right[above]) ** 2)
        mid = np.sum(np.abs(left[above] + right[above]) ** 2)
        assert side / mid > 0.05, bed.name


def test_a_seed_repeats_exactly_and_other_seeds_sound_different() -> None:
    for bed in MUSIC_BEDS:
        takes = [music_bed(bed.id, 12.0, RATE, seed) for seed in (1, 2, 3)]
        assert np.array_equal(takes[0], music_bed(bed.id, 12.0, RATE, 1)), bed.name
        for one, other in itertools.combinations(takes, 2):
            correlation = np.corrcoef(one[0, RATE:], other[0, RATE:])[0, 1]
            assert correlation < 0.8, bed.name


@pytest.mark.parametrize("seconds", [1.0, 15.0, 61.3])
def test_exact_length_with_fades_and_headroom(seconds: float) -> None:
    for bed in MUSIC_BEDS:
        samples = music_bed(bed.id, seconds, RATE, 5)
        assert samples.shape == (2, round(seconds * RATE)) and samples.dtype == np.float32
        assert np.isfinite(samples).all()
        assert float(np.abs(samples).max()) <= 10 ** (BED_PEAK_DBFS / 20) + 1e-6
        assert float(np.abs(samples[:, :10]).max()) < 1e-3  # fades in from silence
        assert float(np.abs(samples[:, -10:]).max()) < 1e-3  # and out to it
        middle = samples[:, samples.shape[1] // 3 : samples.shape[1] // 2]
        assert float(np.sqrt(np.mean(middle**2))) > 0.01, (bed.name, seconds)


def test_a_ten_minute_bed_is_exact_quick_and_within_memory() -> None:
    tracemalloc.start()
    try:
        started = time.process_time()
        samples = music_bed(6, 600.0, RATE, 2)
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert samples.shape == (2, 600 * RATE) and samples.dtype == np.float32
    assert peak < 300e6  # the bed itself is 230 MB
    assert seconds < 15
    # Still playing at the end (not a short loop that ran out), and the level holds.
    late = samples[:, 500 * RATE : 560 * RATE]
    assert integrated_loudness(late, RATE) == pytest.approx(MUSIC_BEDS[5].loudness, abs=2.0)


def test_sixty_seconds_of_any_bed_takes_well_under_half_a_second() -> None:
    music_bed(2, 1.0, RATE, 0)  # imports and first allocations out of the way
    for bed in MUSIC_BEDS:
        runs = []
        while len(runs) < 3 and (not runs or min(runs) >= 0.5):  # a second try if the box is busy
            started = time.process_time()
            music_bed(bed.id, 60.0, RATE, 3)
            runs.append(time.process_time() - started)
        assert min(runs) < 0.5, (bed.name, runs)


def test_no_click_where_bars_join(beds: dict[int, np.ndarray]) -> None:
    for bed in MUSIC_BEDS:
        bar = bed.bar_samples(RATE)
        assert join_click_ratio(beds[bed.id], bar) < 2.0, bed.name
    # The measure does catch a click: a bar that stops dead.
    broken = beds[1].copy()
    bar = MUSIC_BEDS[0].bar_samples(RATE)
    broken[:, 3 * bar :] = 0
    assert join_click_ratio(broken[:, : 5 * bar], bar) > 4


def test_music_ids_resolve_to_beds() -> None:
    assert resolve_music(None) is find_bed(DEFAULT_MUSIC_ID)
    assert resolve_music(NO_MUSIC) is None
    assert resolve_music(5) is BY_NAME["Energetic electronic"]
    assert resolve_music(4242) is find_bed(DEFAULT_MUSIC_ID)


def test_an_unknown_bed_or_a_negative_length_is_refused() -> None:
    with pytest.raises(ValueError) as unknown:
        music_bed(99, 5.0, RATE, 0)
    assert str(unknown.value) == "music 99 is not in the library (ids 1, 2, 3, 4, 5, 6, 7)"
    with pytest.raises(ValueError) as negative:
        music_bed(1, -1.0, RATE, 0)
    assert str(negative.value) == "a music bed needs a duration of 0 seconds or more, not -1.0"
    assert music_bed(1, 0.0, RATE, 0).shape == (2, 0)
