"""Benchmark the offline voice: synthesis time per second of speech, and peak memory.

Each script is spoken several times by a female and a male voice; the time a second of speech
takes (wall clock and CPU) is reported as min / median / max over the runs. Peak memory is
the process's maximum resident size after all runs, and the most Python and numpy held at
once while the longest script was spoken (tracemalloc).

`--voices` prints instead the ear-proxy measures the catalogue's variants were chosen by
(voices.py): for espeak-ng's female and male variants speaking English narration, the median
fundamental, its spread in semitones, the energy shares of the presence band (2-5 kHz) and of
the top (above 4 kHz), and the voicing's periodicity.

    python benchmarks/speech.py [--runs 5] [--json]
    python benchmarks/speech.py --voices
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.voices import resolve_voice

SENTENCE = "Meet the new Aurora bottle: it keeps your drinks cold for a whole day."
PARAGRAPH = (
    "Meet the new Aurora bottle. It keeps your drinks cold for a whole day, and it fits in "
    "every bag. The double wall is made of steel, so nothing leaks and nothing sweats. Take it "
    "to work, to the gym, or on a long hike: it weighs less than a phone. Order yours today "
    "and enjoy free shipping on your first purchase. "
)
SCRIPTS = {"sentence": SENTENCE, "paragraph": PARAGRAPH, "minute": PARAGRAPH * 3}
FEMALE_VARIANTS = ("f1", "f2", "f3", "f4", "f5", "Annie", "Alicia", "Andrea", "belinda", "steph")
MALE_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "Andy", "Denis", "Henrique", "michel")


def machine() -> dict[str, object]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "max": round(max(values), 2),
    }


def timing(runs: int) -> list[dict[str, object]]:
    rows = []
    for gender in ("female", "male"):
        voice = resolve_voice(None, "english", gender)
        speak(SENTENCE, voice)  # load the library and its data once, outside the timings
        for name, text in SCRIPTS.items():
            wall, cpu, seconds = [], [], 0.0
            for _ in range(runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                speech = speak(text, voice)
                seconds = speech.duration
                wall.append((time.perf_counter() - started) / seconds * 1000)
                cpu.append((time.process_time() - cpu_started) / seconds * 1000)
            rows.append(
                {
                    "voice": voice.voice_id,
                    "script": name,
                    "speech_seconds": round(seconds, 2),
                    "wall_ms_per_second": spread(wall),
                    "cpu_ms_per_second": spread(cpu),
                }
            )
    return rows


def peak_memory() -> dict[str, float]:
    voice = resolve_voice(None, "english", "female")
    tracemalloc.start()
    speak(SCRIPTS["minute"], voice)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kilobytes on Linux
    return {
        "max_resident_mb": round(resident * scale / 2**20, 1),
        "traced_peak_mb_longest_script": round(traced / 2**20, 1),
    }


# -- ear-proxy measures ----------------------------------------------------------------------


def fundamentals(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The fundamental (Hz) and periodicity of each voiced 50 ms frame: the normalised
    autocorrelation of the signal below 1 kHz, its first peak within 90 % of the best."""
    spectrum = np.fft.rfft(samples)
    spectrum[np.fft.rfftfreq(len(samples), 1 / rate) > 1000] = 0
    low = np.fft.irfft(spectrum, len(samples))
    frame, hop = round(0.05 * rate), round(0.01 * rate)
    shortest, longest = rate // 400, rate // 60
    level = np.sqrt(np.mean(samples**2))
    pitches, periodicity = [], []
    for start in range(0, len(low) - frame, hop):
        if np.sqrt(np.mean(samples[start : start + frame] ** 2)) < 0.3 * level:
            continue
        chunk = low[start : start + frame] - low[start : start + frame].mean()
        correlation = np.fft.irfft(np.abs(np.fft.rfft(chunk, 2 * frame)) ** 2)[: longest + 2]
        tail = np.cumsum(chunk[::-1] ** 2)[::-1][: longest + 2]
        correlation /= np.sqrt(correlation[0] * tail) + 1e-12
        lags = correlation[shortest : longest + 1]
        if lags.max() < 0.6:
            continue
        peaks = [
            k
            for k in range(1, len(lags) - 1)
            if lags[k] >= max(lags[k - 1], lags[k + 1], 0.9 * lags.max())
        ]
        best = peaks[0] if peaks else int(np.argmax(lags))
        pitches.append(rate / (shortest + best))
        periodicity.append(lags[best])
    return np.array(pitches), np.array(periodicity)


def ear_proxy(variant: str, pitch: int, pitch_range: int) -> dict[str, float]:
    spoken = espeak.synthesize(
        PARAGRAPH, f"en-us+{variant}", rate=146, pitch=pitch, pitch_range=pitch_range
    )  # espeak's rate 146 is heard as 160 words a minute
    samples = spoken.samples / 32768.0
    pitches, periodicity = fundamentals(samples, spoken.sample_rate)
    median = float(np.median(pitches))
    power = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / spoken.sample_rate)
    voice_band = power[freqs > 80].sum()
    return {
        "f0_hz": round(median, 1),
        "spread_semitones": round(float(np.std(12 * np.log2(pitches / median))), 2),
        "presence_2_5k_pct": round(
            100 * power[(freqs > 2000) & (freqs < 5000)].sum() / voice_band, 1
        ),
        "top_4k_pct": round(100 * power[freqs > 4000].sum() / voice_band, 2),
        "periodicity": round(float(np.median(periodicity)), 2),
    }


def voices() -> list[dict[str, object]]:
    rows = []
    for gender, variants in (("female", FEMALE_VARIANTS), ("male", MALE_VARIANTS)):
        chosen = resolve_voice(None, "english", gender)
        for variant in variants:
            row = {"gender": gender, "variant": variant, "pitch": 50, "range": 50}
            rows.append({**row, **ear_proxy(variant, 50, 50)})
        rows.append(
            {
                "gender": gender,
                "variant": f"{chosen.variant} (chosen)",
                "pitch": chosen.pitch,
                "range": chosen.pitch_range,
                **ear_proxy(chosen.variant, chosen.pitch, chosen.pitch_range),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per script and voice")
    parser.add_argument("--voices", action="store_true", help="print the ear-proxy measures")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    about = machine()
    if args.voices:
        rows = voices()
        if args.json:
            json.dump({"machine": about, "voices": rows}, sys.stdout, indent=2)
            print()
            return 0
        print(f"{about['date']}  {about['platform']}  {about['cpus']} CPUs")
        print("gender  variant        pitch range   F0 Hz  spread st  2-5 kHz %  >4 kHz %  period.")
        for row in rows:
            print(
                f"{row['gender']:<7} {row['variant']:<14} {row['pitch']:>5} {row['range']:>5} "
                f"{row['f0_hz']:>7} {row['spread_semitones']:>10} {row['presence_2_5k_pct']:>10} "
                f"{row['top_4k_pct']:>9} {row['periodicity']:>8}"
            )
        return 0
    rows = timing(args.runs)
    memory = peak_memory()
    if args.json:
        json.dump({"machine": about, "timing": rows, "memory": memory}, sys.stdout, indent=2)
        print()
        return 0
    print(f"{about['date']}  {about['platform']}  {about['processor']}  {about['cpus']} CPUs")
    print(f"python {about['python']}, numpy {about['numpy']}; {args.runs} runs each")
    print("milliseconds of synthesis per second of speech (min / median / max)")
    for row in rows:
        wall, cpu = row["wall_ms_per_second"], row["cpu_ms_per_second"]
        print(
            f"{row['voice']:<18} {row['script']:<10} {row['speech_seconds']:>6.1f} s speech  "
            f"wall {wall['min']:>6.2f} / {wall['median']:>6.2f} / {wall['max']:>6.2f}  "
            f"CPU {cpu['min']:>6.2f} / {cpu['median']:>6.2f} / {cpu['max']:>6.2f}"
        )
    print(
        f"peak memory: {memory['max_resident_mb']} MB resident; "
        f"{memory['traced_peak_mb_longest_script']} MB traced while speaking the longest script"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
