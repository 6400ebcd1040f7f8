"""Benchmark the drawn presenters: preparation per video, and the cost per frame.

For each look and crop, at a figure height (default 1080 px): the time to prepare the
presenter (body and patches), to convert it to yuv420p overlays, and per frame at 30 fps the
time to choose the mouth shape and pose and paste the figure into a 1080x1920 frame, to paste
only the two patches, and to build the RGBA sprite.

python benchmarks/presenter.py
python benchmarks/presenter.py --height 720 --crop bust --look 3 --frames 600 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

from PIL import Image

from jogg_pipeline.engine.narration.timing import VISEME_SHAPES, Viseme
from jogg_pipeline.engine.render.planar import from_rgb
from jogg_pipeline.engine.render.presenter import (
    CROPS,
    Presenter,
    PresenterOverlays,
    mouth_at,
)
from jogg_pipeline.engine.render.presenter_looks import LOOKS

FRAME_SIZE = (1080, 1920)
FPS = 30


def speech_track(seconds: float) -> tuple[Viseme, ...]:
    """A narration's visemes: shapes of 40-160 ms in a fixed pseudo-random order."""
    visemes, t, index = [], 0.0, 0
    while t < seconds:
        length = 0.04 + 0.03 * (index * 7 % 5)
        visemes.append(Viseme(VISEME_SHAPES[index * 5 % len(VISEME_SHAPES)], t, t + length))
        t, index = t + length, index + 1
    return tuple(visemes)


def milliseconds(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples) * 1000, 3),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1] * 1000, 3),
    }


def measure(look_id: int, crop: str, height: int, frames: int) -> dict[str, object]:
    started = time.perf_counter()
    presenter = Presenter(look_id, height, crop, seed=look_id)
    prepare = time.perf_counter() - started
    started = time.perf_counter()
    overlays = PresenterOverlays(presenter)
    convert = time.perf_counter() - started
    visemes = speech_track(frames / FPS)
    background = from_rgb(Image.new("RGB", FRAME_SIZE, (40, 90, 160)))
    x = (FRAME_SIZE[0] - presenter.width) // 2 // 2 * 2
    y = FRAME_SIZE[1] - presenter.height
    paste, patches, sprite = [], [], []
    for number in range(frames):
        t = number / FPS
        frame = background.copy()
        started = time.perf_counter()
        shape = mouth_at(visemes, t)
        overlays.paste(frame, x, y, t, shape)
        paste.append(time.perf_counter() - started)
        started = time.perf_counter()
        for overlay, px, py in (overlays.mouths[shape], overlays.eyes["closed"]):
            frame.paste(overlay.planes, x + px, y + py)
        patches.append(time.perf_counter() - started)
        started = time.perf_counter()
        presenter.frame(t, shape)
        sprite.append(time.perf_counter() - started)
    return {
        "look": look_id,
        "crop": crop,
        "size": f"{presenter.width}x{presenter.height}",
        "prepare_s": round(prepare, 3),
        "convert_s": round(convert, 3),
        "paste": milliseconds(paste),
        "patches_only": milliseconds(patches),
        "rgba_sprite": milliseconds(sprite),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--height", type=int, default=1080, help="figure height in pixels")
    parser.add_argument("--crop", choices=list(CROPS), action="append", help="repeatable")
    parser.add_argument("--look", type=int, action="append", help="look id, repeatable")
    parser.add_argument("--frames", type=int, default=300, help="frames timed per presenter")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    rows = []
    for look_id in args.look or [look.look_id for look in LOOKS]:
        for crop in args.crop or list(CROPS):
            row = measure(look_id, crop, args.height, args.frames)
            rows.append(row)
            if not args.json:
                print(
                    f"look {look_id}  {crop:<4} {row['size']:>9}  "
                    f"prepare {row['prepare_s']:.3f} s  convert {row['convert_s']:.3f} s  "
                    f"paste {row['paste']['median_ms']:.2f} ms (p95 {row['paste']['p95_ms']:.2f})"
                    f"  patches {row['patches_only']['median_ms']:.3f} ms  "
                    f"RGBA sprite {row['rgba_sprite']['median_ms']:.2f} ms",
                    flush=True,
                )
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.json:
        report = {"machine": machine, "height": args.height, "frame": FRAME_SIZE, "results": rows}
        json.dump(report, sys.stdout, indent=2)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
