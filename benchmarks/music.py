"""Benchmark the music library: synthesis time per second of audio for each bed, and the mix.

For every bed, `--runs` syntheses of `--length` seconds (a new seed each run), timed in CPU and
wall seconds; then the mix of the default bed under a voice stand-in (speech-like bursts), and
the peak memory of a `--long`-second bed.

python benchmarks/music.py                    # 60 s beds, 5 runs each
python benchmarks/music.py --length 15 --runs 9 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from jogg_pipeline.engine.render.audio import SAMPLE_RATE
from jogg_pipeline.engine.render.mix import mix
from jogg_pipeline.engine.render.music import MUSIC_BEDS, music_bed


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def summary(values: list[float], per: float) -> dict[str, float]:
    """min / median / max of values divided by per (milliseconds per second of audio)."""
    scaled = [1000 * value / per for value in values]
    return {
        "min": round(min(scaled), 2),
        "median": round(statistics.median(scaled), 2),
        "max": round(max(scaled), 2),
    }


def voice_stand_in(length: float, rate: int) -> np.ndarray:
    """Bursts of a 130 Hz buzz pulsing at 5 Hz: 1.6 s on, 2.4 s off."""
    t = np.arange(round(length * rate)) / rate
    buzz = sum(np.sin(2 * np.pi * 130 * k * t) / k for k in range(1, 9))
    on = (t % 4.0) < 1.6
    return (0.15 * buzz * (0.55 + 0.45 * np.sin(2 * np.pi * 5 * t)) * on).astype(np.float32)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--length", type=float, default=60.0, help="seconds of each bed")
    parser.add_argument("--runs", type=int, default=5, help="runs per bed")
    parser.add_argument("--long", type=float, default=600.0, help="seconds of the memory run")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    rate = SAMPLE_RATE
    music_bed(1, 1.0, rate, 0)  # imports and first allocations out of the way
    beds = []
    for bed in MUSIC_BEDS:
        runs = [
            timed(lambda seed=seed, bed_id=bed.id: music_bed(bed_id, args.length, rate, seed))
            for seed in range(args.runs)
        ]
        row = {
            "id": bed.id,
            "name": bed.name,
            "cpu_ms_per_audio_second": summary([cpu for cpu, _ in runs], args.length),
            "wall_ms_per_audio_second": summary([wall for _, wall in runs], args.length),
        }
        beds.append(row)
        if not args.json:
            cpu, wall = row["cpu_ms_per_audio_second"], row["wall_ms_per_audio_second"]
            print(
                f"{bed.name:<22} CPU {cpu['min']:5.2f} / {cpu['median']:5.2f} / {cpu['max']:5.2f}"
                f"  wall {wall['min']:5.2f} / {wall['median']:5.2f} / {wall['max']:5.2f}"
                "  ms per second of audio (min / median / max)",
                flush=True,
            )
    voice = voice_stand_in(args.length, rate)
    music = music_bed(1, args.length, rate, 0)
    mixes = [timed(lambda: mix(music, voice, sample_rate=rate)) for _ in range(args.runs)]
    mixing = {
        "cpu_ms_per_audio_second": summary([cpu for cpu, _ in mixes], args.length),
        "wall_ms_per_audio_second": summary([wall for _, wall in mixes], args.length),
    }
    tracemalloc.start()
    long_cpu, _ = timed(lambda: music_bed(6, args.long, rate, 0))
    peak_megabytes = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "date": datetime.date.today().isoformat(),
    }
    long_run = {
        "seconds": args.long,
        "cpu_seconds": round(long_cpu, 2),
        "peak_megabytes": round(peak_megabytes, 1),
    }
    if args.json:
        json.dump(
            {
                "machine": machine,
                "length": args.length,
                "runs": args.runs,
                "beds": beds,
                "mix": mixing,
                "long_bed": long_run,
            },
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    cpu = mixing["cpu_ms_per_audio_second"]
    print(
        f"{'mix under a voice':<22} CPU {cpu['min']:5.2f} / {cpu['median']:5.2f} / "
        f"{cpu['max']:5.2f}  ms per second of audio"
    )
    print(
        f"a {args.long:.0f} s bed: {long_run['cpu_seconds']} s CPU, "
        f"peak {long_run['peak_megabytes']} MB (numpy allocations)"
    )
    print(f"machine: {json.dumps(machine)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
