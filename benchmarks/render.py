"""Benchmark the local renderer: every aspect ratio at every quality, wall time vs real time.

Each render is a narrated video as the engine makes it (a script written for the length, the
voice, captions, a presenter, music) and runs in a fresh process that times the render itself
(wall and CPU); the harness measures that process from outside (its wall, and its own peak
memory: read inside, ru_maxrss would carry this parent's peak over fork and exec). `--repeat N`
renders each case N times (min / median / max); `--pool N` then measures videos per hour
through the engine's worker pool (N workers kept alive between jobs, as `serve` runs them).

python benchmarks/render.py                 # three generated product images
python benchmarks/render.py --images DIR    # the first three images in DIR
python benchmarks/render.py --json --length 15 --quality hd --repeat 3 --pool 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import harness
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from jogg_pipeline.engine.render import QUALITIES, RenderSpec, render_video

ASPECTS = {0: "portrait", 1: "landscape", 2: "square"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def _bottle(size: tuple[int, int], body: tuple[int, int, int]) -> Image.Image:
    """A studio product shot: a glossy bottle with a soft shadow on white."""
    width, height = size
    canvas = Image.new("RGB", size, (246, 246, 244))
    shadow = Image.new("L", size, 0)
    ImageDraw.Draw(shadow).ellipse(
        (width * 0.3, height * 0.84, width * 0.7, height * 0.92), fill=120
    )
    canvas.paste((60, 60, 60), (0, 0), shadow.filter(ImageFilter.GaussianBlur(width / 40)))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle(
        (width * 0.36, height * 0.3, width * 0.64, height * 0.88), width // 14, fill=body
    )
    draw.rounded_rectangle(
        (width * 0.44, height * 0.14, width * 0.56, height * 0.32), width // 60, fill=(40, 40, 46)
    )
    draw.rectangle((width * 0.36, height * 0.5, width * 0.64, height * 0.66), fill=(250, 246, 236))
    gloss = Image.new("L", size, 0)
    ImageDraw.Draw(gloss).rounded_rectangle(
        (width * 0.4, height * 0.33, width * 0.44, height * 0.84), 20, fill=110
    )
    canvas.paste((255, 255, 255), (0, 0), gloss.filter(ImageFilter.GaussianBlur(width / 120)))
    return canvas


def _scene(size: tuple[int, int], seed: int) -> Image.Image:
    """A lifestyle photo stand-in: sky gradient, hills, sun, fine grain."""
    width, height = size
    rng = np.random.default_rng(seed)
    sky = np.linspace([255, 190, 140], [90, 140, 210], height)[:, None, :].repeat(width, axis=1)
    canvas = Image.fromarray(sky.astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(
        (width * 0.62, height * 0.18, width * 0.74, height * 0.18 + width * 0.12),
        fill=(255, 236, 200),
    )
    for layer, color in enumerate(((70, 110, 90), (45, 80, 70), (30, 55, 50))):
        points = [
            (x, height * (0.55 + 0.1 * layer) + 40 * np.sin(x / (90 + 40 * layer) + layer))
            for x in range(0, width + 20, 20)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=color)
    grain = rng.normal(0, 6, (height, width, 1)).repeat(3, axis=2)
    return Image.fromarray(np.clip(np.asarray(canvas, np.float32) + grain, 0, 255).astype(np.uint8))


def _texture(size: tuple[int, int], seed: int) -> Image.Image:
    """A close-up detail shot: woven fabric with light falloff."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    weave = (np.sin(x / 3.5) * np.sin(y / 3.5) + 1) * 0.5
    light = 1 - ((x - width * 0.4) ** 2 + (y - height * 0.35) ** 2) / (width**2 + height**2) * 1.6
    base = np.array([176, 82, 60], np.float32)
    pixels = base * (0.65 + 0.35 * weave[..., None]) * np.clip(light, 0.3, 1.0)[..., None]
    noise = np.random.default_rng(seed).normal(0, 5, pixels.shape)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def generated_images(folder: Path) -> tuple[Path, ...]:
    images = (
        _bottle((1200, 1200), (34, 92, 160)),
        _scene((1600, 1000), 1),
        _texture((1000, 1400), 2),
    )
    paths = []
    for index, image in enumerate(images):
        path = folder / f"product-{index}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return tuple(paths)


def folder_images(folder: Path) -> tuple[Path, ...]:
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    return tuple(found[:3])


SCRIPT_FACTS = dict(
    name="Aurora Insulated Steel Water Bottle, 750 ml",
    description=(
        "Keeps drinks cold for 24 hours and hot for 12. Double-wall vacuum steel "
        "with a leak-proof lid. Fits every cup holder. Dishwasher safe."
    ),
    price="$34.90",
    availability="InStock",
)


def narrated_spec(
    images: tuple[Path, ...], aspect: int, quality: str, length: int, style: str, seed: int = 0
) -> RenderSpec:
    """The spec the engine would hand its worker for this product."""
    from jogg_pipeline.engine.narration.script import ProductFacts, write_script
    from jogg_pipeline.engine.render.timeline import narration_window

    start, end = narration_window(float(length))
    script = write_script(ProductFacts(**SCRIPT_FACTS), "Soft Selling", "english", end - start)
    return RenderSpec(
        aspect_ratio=aspect,
        video_length=length,
        title=SCRIPT_FACTS["name"],
        price=SCRIPT_FACTS["price"],
        description=SCRIPT_FACTS["description"],
        images=images,
        visual_style=style,
        quality=quality,
        script=script.sentences,
        voice_id="local-en-US-female",
        music_id=2,
        presenter_id=5,
        seed=seed,
    )


def child(argv: list[str]) -> None:
    """One render in this fresh process: prints its wall and CPU as JSON."""
    options = json.loads(argv[0])
    images = tuple(Path(path) for path in options["images"])
    spec = narrated_spec(
        images,
        options["aspect"],
        options["quality"],
        options["length"],
        options["style"],
        options["seed"],
    )
    out = Path(options["out"])
    started, cpu_started = time.perf_counter(), time.process_time()
    result = render_video(spec, out.with_suffix(".mp4"), out.with_suffix(".jpg"))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    size = out.with_suffix(".mp4").stat().st_size
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "size": f"{result.width}x{result.height}",
                "fps": result.fps,
                "seconds": result.duration,
                "megabytes": size / 1e6,
            }
        )
    )


def measure(options: dict[str, object]) -> dict[str, float]:
    try:
        process = harness.run_process([sys.executable, __file__, "_child", json.dumps(options)])
    except harness.BenchmarkError as error:
        raise SystemExit(f"render failed:\n{error.stderr}") from None
    render = json.loads(process.stdout.strip().splitlines()[-1])
    return {**render, "process_wall": process.wall, "peak_mib": process.peak_mib}


def pool_rate(images: tuple[Path, ...], workers: int, jobs: int, quality: str, work: Path):
    """Videos per hour through the engine's worker pool: `jobs` 15 s portrait videos."""
    import asyncio

    from jogg_pipeline.engine.render_job import RenderJob
    from jogg_pipeline.engine.workers import RenderOrder, WorkerPool

    spec = narrated_spec(images, 0, quality, 15, "Presenter")
    job = RenderJob(
        aspect_ratio=spec.aspect_ratio,
        video_length=spec.video_length,
        title=spec.title,
        price=spec.price,
        description=spec.description,
        images=tuple(str(path) for path in images),
        caption=True,
        visual_style=spec.visual_style,
        template_id=None,
        quality=quality,
        seed=0,
        language="english",
        script_style="Top 3 reasons",
        override_script="",
        avatar_id=0,
        voice_id=spec.voice_id,
        music_id=spec.music_id,
        script=spec.script,
        presenter_id=spec.presenter_id,
    )

    async def run() -> float:
        pool = WorkerPool(workers)
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                pool.render(
                    RenderOrder(
                        job=job.model_copy(update={"seed": n}),
                        project_dir=work / f"pool-{n}",
                        files_root=Path("/"),
                        attempt="0",
                    )
                )
                for n in range(jobs)
            )
        )
        elapsed = time.perf_counter() - started
        await pool.close()
        failed = [outcome.reason for outcome in outcomes if not outcome.ok]
        if failed:
            raise SystemExit(f"pool render failed: {failed[0]}")
        return elapsed

    elapsed = asyncio.run(run())
    return {
        "workers": workers,
        "jobs": jobs,
        "quality": quality,
        "wall": elapsed,
        "videos_per_hour": jobs / elapsed * 3600,
    }


def main() -> int:
    if sys.argv[1:2] == ["_child"]:
        child(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--images", type=Path, help="folder with product images (default: generated)"
    )
    parser.add_argument("--length", type=int, default=15, help="video length in seconds")
    parser.add_argument("--quality", choices=list(QUALITIES), action="append", help="repeatable")
    parser.add_argument(
        "--aspect", type=int, choices=list(ASPECTS), action="append", help="repeatable"
    )
    parser.add_argument("--style", default="Presenter")
    parser.add_argument("--repeat", type=int, default=1, help="renders per case")
    parser.add_argument("--pool", type=int, default=0, help="workers for the videos-per-hour run")
    parser.add_argument("--pool-jobs", type=int, default=6)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the videos in this folder")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        images = folder_images(args.images) if args.images else generated_images(Path(scratch))
        rows = []
        for quality in args.quality or list(QUALITIES):
            for aspect in args.aspect or list(ASPECTS):
                name = f"{ASPECTS[aspect]}-{quality}"
                options = {
                    "images": [str(path) for path in images],
                    "aspect": aspect,
                    "quality": quality,
                    "length": args.length,
                    "style": args.style,
                    "out": str(work / name),
                }
                # Each run another seed (another palette, motion and blink schedule), as the
                # engine gives each project its own.
                runs = sorted(
                    (measure({**options, "seed": seed}) for seed in range(args.repeat)),
                    key=lambda r: r["wall"],
                )
                walls = [run["wall"] for run in runs]
                median = runs[len(runs) // 2]
                row = {
                    "aspect": ASPECTS[aspect],
                    "quality": quality,
                    "size": median["size"],
                    "fps": median["fps"],
                    "seconds": median["seconds"],
                    "wall_min": round(walls[0], 2),
                    "wall_median": round(median["wall"], 2),
                    "wall_max": round(walls[-1], 2),
                    "x_realtime": round(median["seconds"] / median["wall"], 2),
                    "cpu_seconds": round(median["cpu"], 2),
                    "process_wall_median": round(median["process_wall"], 2),
                    "peak_mib": round(max(run["peak_mib"] for run in runs)),
                    "megabytes": round(median["megabytes"], 2),
                }
                rows.append(row)
                if not args.json:
                    print(
                        f"{row['aspect']:<10} {quality:<8} {row['size']:>10} {row['fps']:>3} fps "
                        f"{row['wall_min']:>6.2f}/{row['wall_median']:.2f}/{row['wall_max']:.2f}"
                        f" s wall  {row['x_realtime']:>5.2f}x real time  "
                        f"{row['cpu_seconds']:>6.2f} s CPU  {row['peak_mib']:>4} MiB peak  "
                        f"{row['megabytes']:>5.2f} MB",
                        flush=True,
                    )
        pool = None
        if args.pool:
            pool = pool_rate(images, args.pool, args.pool_jobs, "hd", work)
            if not args.json:
                print(
                    f"pool of {pool['workers']} workers, {pool['jobs']} narrated 15 s hd videos: "
                    f"{pool['wall']:.1f} s, {pool['videos_per_hour']:.0f} videos per hour",
                    flush=True,
                )
    machine = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.json:
        json.dump(
            {"machine": machine, "length": args.length, "results": rows, "pool": pool},
            sys.stdout,
            indent=2,
        )
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
