"""How the narration sounds: voices that differ as they should (measured pitch), the loudness
target measured by FFmpeg's own EBU R128 meter, peaks under the ceiling, no clicks, no DC."""

from __future__ import annotations

import re
from fractions import Fraction

import av
import av.filter
import av.logging
import numpy as np
import pytest

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.speech import PEAK_DBFS, TARGET_LUFS, speak
from jogg_pipeline.engine.narration.timing import Speech
from jogg_pipeline.engine.narration.voices import resolve_voice

SHORT = "Buy it now."
LONG = (
    "Meet the new Aurora bottle. It keeps your drinks cold for a whole day, and it fits in "
    "every bag. The double wall is made of steel, so nothing leaks and nothing sweats. Take it "
    "to work, to the gym, or on a long hike: it weighs less than a phone. Order yours today "
    "and enjoy free shipping on your first purchase. "
) * 3
SAME_TEXT = "Hola, Aurora. Cinco, seis, siete: perfecto para todo el día."


def fundamentals(speech: Speech) -> np.ndarray:
    """The fundamental (Hz) of each voiced 50 ms frame: the normalised autocorrelation of the
    signal below 1 kHz, its first peak within 90 % of the best in 60-400 Hz."""
    rate = speech.sample_rate
    spectrum = np.fft.rfft(speech.samples.astype(np.float64))
    spectrum[np.fft.rfftfreq(len(speech.samples), 1 / rate) > 1000] = 0
    low = np.fft.irfft(spectrum, len(speech.samples))
    frame, hop = round(0.05 * rate), round(0.01 * rate)
    shortest, longest = rate // 400, rate // 60
    level = np.sqrt(np.mean(speech.samples.astype(np.float64) ** 2))
    found = []
    for start in range(0, len(low) - frame, hop):
        if np.sqrt(np.mean(speech.samples[start : start + frame] ** 2)) < 0.3 * level:
            continue  # silence and unvoiced consonants
        chunk = low[start : start + frame] - low[start : start + frame].mean()
        correlation = np.fft.irfft(np.abs(np.fft.rfft(chunk, 2 * frame)) ** 2)[: longest + 2]
        tail_energy = np.cumsum(chunk[::-1] ** 2)[::-1][: longest + 2]
        correlation /= np.sqrt(correlation[0] * tail_energy) + 1e-12
        lags = correlation[shortest : longest + 1]
        if lags.max() < 0.6:
            continue  # not periodic: not voiced
        peaks = [
            k
            for k in range(1, len(lags) - 1)
            if lags[k] >= lags[k - 1] and lags[k] >= lags[k + 1] and lags[k] >= 0.9 * lags.max()
        ]
        lag = shortest + (peaks[0] if peaks else int(np.argmax(lags)))
        found.append(rate / lag)
    return np.array(found)


def integrated_loudness(speech: Speech) -> float:
    """FFmpeg's ebur128 filter's integrated loudness (LUFS), read from its summary."""
    rate = speech.sample_rate
    previous = av.logging.get_level()
    av.logging.set_level(av.logging.INFO)
    try:
        with av.logging.Capture(True) as logs:
            graph = av.filter.Graph()
            source = graph.add_abuffer(
                format="flt", sample_rate=rate, layout="mono", time_base=Fraction(1, rate)
            )
            meter, sink = graph.add("ebur128"), graph.add("abuffersink")
            source.link_to(meter)
            meter.link_to(sink)
            graph.configure()
            samples = speech.samples.astype(np.float32)
            for start in [*range(0, len(samples), rate), None]:
                frame = None
                if start is not None:
                    chunk = samples[None, start : start + rate].copy()
                    frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
                    frame.sample_rate, frame.pts = rate, start
                source.push(frame)
                while True:
                    try:
                        sink.pull()
                    except (av.BlockingIOError, av.EOFError):
                        break
            del graph, source, meter, sink  # the meter logs its summary as it closes
    finally:
        av.logging.set_level(previous)
    summary = next(message for _, _, message in reversed(logs) if "Integrated" in message)
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))


@pytest.fixture(scope="module")
def english() -> dict[str, Speech]:
    return {
        gender: speak(LONG[:240], resolve_voice(None, "english", gender))
        for gender in ("female", "male")
    }


def test_women_sound_higher_than_men_and_both_like_narrators(english: dict[str, Speech]) -> None:
    female = np.median(fundamentals(english["female"]))
    male = np.median(fundamentals(english["male"]))
    assert 170 < female < 240, female
    assert 95 < male < 140, male
    assert female > 1.4 * male


def test_languages_sound_different() -> None:
    spanish = speak(SAME_TEXT, resolve_voice(None, "spanish", "female"))
    english = speak(SAME_TEXT, resolve_voice(None, "english", "female"))
    german = speak(SAME_TEXT, resolve_voice(None, "german", "male"))
    assert len({len(spanish.samples), len(english.samples), len(german.samples)}) == 3
    # English reads the Spanish as English words ("Hola", "Cinco"), to other pitch contours.
    tracks = [fundamentals(speech) for speech in (spanish, english)]
    length = min(map(len, tracks))
    semitones = 12 * np.abs(np.log2(tracks[0][:length] / tracks[1][:length]))
    assert np.median(semitones) > 0.5
    assert np.median(fundamentals(german)) < 0.7 * np.median(tracks[0])


@pytest.mark.parametrize("text", [SHORT, LONG], ids=["short", "long"])
def test_loudness_on_target_peaks_under_the_ceiling(text: str) -> None:
    speech = speak(text, resolve_voice(None, "english", "male"))
    assert abs(integrated_loudness(speech) - TARGET_LUFS) <= 1.0
    assert np.abs(speech.samples).max() <= 10 ** (PEAK_DBFS / 20)
    assert speech.samples.dtype == np.float32


def test_no_clicks_no_dc_no_rumble(english: dict[str, Speech]) -> None:
    for speech in english.values():
        samples = speech.samples.astype(np.float64)
        peak = np.abs(samples).max()
        # A discontinuity is a jump no band-limited voice makes from one sample to the next.
        assert np.abs(np.diff(samples)).max() < 0.5 * peak
        # Nor anything above espeak's own band (11 kHz): a click would put energy there.
        spectrum = np.abs(np.fft.rfft(samples)) ** 2
        freqs = np.fft.rfftfreq(len(samples), 1 / speech.sample_rate)
        assert spectrum[freqs > 11500].sum() < 1e-9 * spectrum.sum()
        assert spectrum[freqs < 50].sum() < 1e-3 * spectrum.sum()  # high-passed
        assert abs(samples.mean()) < 1e-4 * peak  # no DC
        # Faded in and out: it starts and ends at rest.
        edge = round(0.005 * speech.sample_rate)
        assert np.abs(samples[:edge]).max() < 0.01 * peak
        assert np.abs(samples[-edge:]).max() < 0.01 * peak


@pytest.mark.parametrize("rate", [44100, 24000])
def test_other_sample_rates_keep_the_timing(english: dict[str, Speech], rate: int) -> None:
    reference = english["female"]
    speech = speak(reference.text, resolve_voice(None, "english", "female"), sample_rate=rate)
    assert speech.sample_rate == rate
    assert speech.duration == pytest.approx(reference.duration, abs=1 / rate)
    # The same times, but for the end clamped to each rate's last sample.
    for mine, theirs in [*zip(speech.words, reference.words, strict=True)]:
        assert mine.text == theirs.text and (mine.char_start, mine.char_end) == (
            theirs.char_start,
            theirs.char_end,
        )
        assert (mine.start, mine.end) == pytest.approx((theirs.start, theirs.end), abs=1 / rate)
    for mine, theirs in zip(speech.visemes, reference.visemes, strict=True):
        assert mine.shape == theirs.shape
        assert (mine.start, mine.end) == pytest.approx((theirs.start, theirs.end), abs=1 / rate)
    assert abs(integrated_loudness(speech) - TARGET_LUFS) <= 1.0


def test_the_buzzy_top_is_softened(english: dict[str, Speech]) -> None:
    def top_share(samples: np.ndarray, rate: int) -> float:
        power = np.abs(np.fft.rfft(samples.astype(np.float64))) ** 2
        freqs = np.fft.rfftfreq(len(samples), 1 / rate)
        return float(power[freqs > 5000].sum() / power[freqs > 80].sum())

    voice = resolve_voice(None, "english", "female")
    raw = espeak.synthesize(
        english["female"].text,
        voice.espeak_voice,
        rate=146,
        pitch=voice.pitch,
        pitch_range=voice.pitch_range,
    )
    before = top_share(raw.samples, raw.sample_rate)
    after = top_share(english["female"].samples, english["female"].sample_rate)
    assert after < 0.6 * before, (before, after)  # about 3.5 dB less above 5 kHz
