"""Choose x264 preset, CRF and parameters per render quality by measured quality per CPU second.

For each quality the benchmark draws real frames of the engine once, in memory: the compositor
of a product page (its images, title, price and description: motion, text, crossfades) at the
quality's frame size and rate. It then encodes those same frames with every candidate setting
through the renderer's own MP4 writer and measures:

- encode CPU: process time (all threads) of the encoding alone, per second of video;
- bitrate: the video packets' bytes over the clip's length;
- SSIM and PSNR of the decoded luma against the source luma. SSIM uses 8x8 windows at a
  4-pixel step (the windows of x264's and FFmpeg's SSIM), Wang et al.'s constants
  C1 = (0.01 * 255)^2 and C2 = (0.03 * 255)^2 and population variances; a frame's SSIM is the
  mean over its windows, a setting's the mean over all frames (its worst frame is shown too).
  PSNR is 10 log10(255^2 / MSE) with the MSE over all frames.

Several clips (pages, folders of images, photo stand-ins) are pooled as one longer clip.

The search:
1. the grid: presets ultrafast..medium times CRF 16..30 in steps of 2, today's setting and
   the reference (preset slow at the quality's current CRF, unless --reference says otherwise);
2. rounds of one-parameter changes around the current pick (rc-lookahead, ref, bframes, subme,
   me, trellis, aq-mode, weightp, mbtree, cabac, deblock, 8x8dct), each at the pick's CRF and,
   when no measured setting dominates it, at CRF +-1 too;
3. re-timing: the front, today's setting, the reference and the best candidates are encoded
   --repeat times; timings are shown as min/median/max and decisions use the median. The
   repeats, run back to back, must give the same bytes;
4. end to end (unless --no-verify): a candidate is picked only if --render-repeat renders
   (render_video, the clips cut to --check-length seconds) give the same video every time,
   since repeated encodes of the same frames in one process can agree where renders do not;
   then render_video with today's setting and with the pick at each --threads count, at full
   length, chooses the encoder's fixed thread count by real time (encode CPU alone cannot:
   one thread costs the least CPU but serialises the encoder).

The pick is the cheapest setting (median encode CPU; within --cpu-margin counts as a tie,
won by the better SSIM) whose SSIM is within --tolerance of the reference's (or at least
today's, when today's setting is further below the reference: no pick has to beat today's
quality), whose bitrate is no larger than today's setting's, and whose output is the same
on every encode and render.

python benchmarks/encoder_choice.py                      # every quality, default clips
python benchmarks/encoder_choice.py --quality full --page examples/pages/glass-kettle.html
python benchmarks/encoder_choice.py --quality hd --photos --length 8 --json
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlparse

import av
import numpy as np

from jogg_pipeline.engine.extract import extract_product
from jogg_pipeline.engine.projects import MEDIA_IMAGE, format_price
from jogg_pipeline.engine.render import QUALITIES, Quality, RenderSpec, render_video
from jogg_pipeline.engine.render import encode as encode_module
from jogg_pipeline.engine.render.audio import SAMPLE_RATE
from jogg_pipeline.engine.render.encode import ENCODER_THREADS, Mp4Writer
from jogg_pipeline.engine.render.planar import Planes, to_video_frame
from jogg_pipeline.engine.render.renderer import build_compositor

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAGE = REPO / "examples" / "pages" / "studio-wireless-headphones.html"
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
ALL_PRESETS = (*PRESETS, "slow", "slower", "veryslow")
CRFS = tuple(range(16, 31, 2))
REFERENCE_PRESET = "slow"
# One-parameter changes tried around the pick; a value equal to the preset's own gives the
# same bytes as the pick and is recognised as such.
TWEAKS: dict[str, tuple[str, ...]] = {
    "rc-lookahead": ("0", "5", "10", "20"),
    "ref": ("1", "2", "3"),
    "bframes": ("0", "3"),
    "subme": ("1", "2", "4", "6"),
    "me": ("dia", "hex", "umh"),
    "trellis": ("0", "1", "2"),
    # AQ stays on: turning it off raises SSIM and PSNR while flat backgrounds band, which
    # neither metric sees.
    "aq-mode": ("1", "2"),
    "weightp": ("0", "1", "2"),
    "mbtree": ("0", "1"),
    "cabac": ("1",),
    "deblock": ("-1,-1", "0,0"),
    "8x8dct": ("1",),
}
SENSITIVITY = (0.001, 0.002, 0.003, 0.005, 0.01)  # tolerances the report also picks at
SSIM_C1 = (0.01 * 255) ** 2
SSIM_C2 = (0.03 * 255) ** 2
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
STAND_IN_TEXT = {
    "title": "Aurora Insulated Steel Water Bottle, 750 ml",
    "price": "$34.90",
    "description": (
        "Keeps drinks cold for 24 hours and hot for 12. Double-wall vacuum steel with a "
        "leak-proof lid. Fits every cup holder. Dishwasher safe."
    ),
}


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Setting:
    """One way to run x264: preset, CRF, parameter overrides and frame threads."""

    preset: str
    crf: int
    params: tuple[tuple[str, str], ...] = ()  # sorted by key, so equal settings compare equal
    threads: int = ENCODER_THREADS

    @classmethod
    def of(cls, quality: Quality, threads: int = ENCODER_THREADS) -> Setting:
        pairs = (item.partition("=") for item in quality.x264_params.split(":") if item)
        params = tuple(sorted((key, value) for key, _, value in pairs))
        return cls(quality.x264_preset, quality.crf, params, threads)

    def with_param(self, key: str, value: str) -> Setting:
        params = dict(self.params) | {key: value}
        return dataclasses.replace(self, params=tuple(sorted(params.items())))

    def with_crf(self, crf: int) -> Setting:
        return dataclasses.replace(self, crf=crf)

    @property
    def x264_params(self) -> str:
        return ":".join(f"{key}={value}" for key, value in self.params)

    @property
    def label(self) -> str:
        parts = [self.preset, f"crf {self.crf}"]
        if self.params:
            parts.append(self.x264_params)
        if self.threads != ENCODER_THREADS:
            parts.append(f"threads={self.threads}")
        return " ".join(parts)

    def quality(self, base: Quality) -> Quality:
        """The quality preset `base` with this setting's encoder effort."""
        return dataclasses.replace(
            base, x264_preset=self.preset, crf=self.crf, x264_params=self.x264_params
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "crf": self.crf,
            "x264_params": self.x264_params,
            "threads": self.threads,
        }


# --- clips ------------------------------------------------------------------------------


@dataclass
class Clip:
    """Frames of one video, drawn once and encoded by every candidate."""

    name: str
    fps: int
    frames: list[av.VideoFrame]
    draw_cpu: float = 0.0  # process time to draw the frames, one thread
    spec: RenderSpec | None = None  # what drew them, for the end-to-end render

    @property
    def size(self) -> tuple[int, int]:
        return self.frames[0].width, self.frames[0].height

    @property
    def seconds(self) -> float:
        return len(self.frames) / self.fps


def clip_from_planes(name: str, planes: Iterable[Planes], fps: int) -> Clip:
    frames = [to_video_frame(plane) for plane in planes]
    if not frames:
        raise ValueError(f"clip {name} has no frames")
    return Clip(name, fps, frames)


def render_clip(name: str, spec: RenderSpec) -> Clip:
    """Draw every frame of spec's video with the engine's compositor."""
    compositor, _, fps = build_compositor(spec)
    started = time.process_time()
    frames = [
        to_video_frame(compositor.frame(index / fps)) for index in range(spec.video_length * fps)
    ]
    return Clip(name, fps, frames, time.process_time() - started, spec)


def luma(frame: av.VideoFrame) -> np.ndarray:
    """The Y plane of a yuv420p frame as a (height, width) array, without copying."""
    plane = frame.planes[0]
    rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
    return rows[: frame.height, : frame.width]


# --- quality metrics --------------------------------------------------------------------


def _blocks(values: np.ndarray) -> np.ndarray:
    """Sums over 4x4 blocks."""
    rows = values[0::4] + values[1::4] + values[2::4] + values[3::4]
    return rows[:, 0::4] + rows[:, 1::4] + rows[:, 2::4] + rows[:, 3::4]


def _windows(blocks: np.ndarray) -> np.ndarray:
    """Sums over 8x8 windows at a 4-pixel step, from the 4x4 block sums."""
    total = blocks[:-1, :-1] + blocks[1:, :-1] + blocks[:-1, 1:] + blocks[1:, 1:]
    return total.astype(np.float64)


def compare(reference: np.ndarray, distorted: np.ndarray) -> tuple[float, float]:
    """SSIM of two luma planes and their summed squared error (over the whole planes)."""
    if reference.shape != distorted.shape:
        raise ValueError(f"planes differ in size: {reference.shape} and {distorted.shape}")
    height, width = reference.shape
    if height < 8 or width < 8:
        raise ValueError(f"planes of {width}x{height} are smaller than one 8x8 window")
    difference = reference.astype(np.int32) - distorted.astype(np.int32)
    squared_error = float(np.einsum("ij,ij->", difference, difference, dtype=np.int64))
    # float32 holds these sums exactly: at most 64 * 255^2 per window, below 2^24.
    a = reference[: height // 4 * 4, : width // 4 * 4].astype(np.float32)
    b = distorted[: height // 4 * 4, : width // 4 * 4].astype(np.float32)
    n = 64.0
    sum_a, sum_b = _windows(_blocks(a)), _windows(_blocks(b))
    sum_aa, sum_bb, sum_ab = (_windows(_blocks(x)) for x in (a * a, b * b, a * b))
    mean_a, mean_b = sum_a / n, sum_b / n
    var_a = (sum_aa - sum_a * mean_a) / n
    var_b = (sum_bb - sum_b * mean_b) / n
    covariance = (sum_ab - sum_a * mean_b) / n
    ssim = ((2 * mean_a * mean_b + SSIM_C1) * (2 * covariance + SSIM_C2)) / (
        (mean_a**2 + mean_b**2 + SSIM_C1) * (var_a + var_b + SSIM_C2)
    )
    return float(ssim.mean()), squared_error


def ssim(reference: np.ndarray, distorted: np.ndarray) -> float:
    """SSIM of two luma planes: 8x8 windows at a 4-pixel step, averaged."""
    return compare(reference, distorted)[0]


def psnr(squared_error: float, pixels: int) -> float:
    """PSNR in dB of 8-bit samples; infinite when nothing differs."""
    if squared_error == 0:
        return float("inf")
    return 10 * float(np.log10(255**2 * pixels / squared_error))


# --- measuring --------------------------------------------------------------------------


@dataclass
class Encoding:
    """One encode of every clip: its cost and its output files."""

    cpu: float  # seconds, all threads
    wall: float
    paths: list[Path]


@dataclass
class Score:
    """The decoded output compared with the source frames, pooled over clips."""

    kbps: float
    ssim: float
    ssim_worst: float
    psnr: float
    digest: str


def encode(clips: Sequence[Clip], setting: Setting, base: Quality, folder: Path) -> Encoding:
    """Encode each clip with the renderer's MP4 writer; time only the encoding."""
    cpu = wall = 0.0
    paths = []
    for index, clip in enumerate(clips):
        path = folder / f"clip-{index}.mp4"
        writer = Mp4Writer(path, clip.size, clip.fps, setting.quality(base), SAMPLE_RATE)
        # The codec opens on the first frame, so the thread count can still change here.
        writer.video.codec_context.thread_count = setting.threads
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        with writer:
            for frame in clip.frames:
                writer.add_video(frame)
        cpu += time.process_time() - cpu_started
        wall += time.perf_counter() - wall_started
        paths.append(path)
    return Encoding(cpu, wall, paths)


def video_digest(paths: Sequence[Path]) -> str:
    """SHA-256 of the video packets of the files, in order (the container's dates aside)."""
    digest = hashlib.sha256()
    for path in paths:
        with av.open(str(path)) as container:
            for packet in container.demux(container.streams.video[0]):
                if packet.size:
                    digest.update(bytes(packet))
    return digest.hexdigest()


def score(clips: Sequence[Clip], paths: Sequence[Path], workers: int = 2) -> Score:
    """Decode each output and compare its luma with its clip's, frame by frame.

    Comparisons run on `workers` threads (numpy releases the GIL) while decoding goes on; a
    few frames in flight keep the memory small.
    """
    digest = hashlib.sha256()
    bits = pixels = 0
    pending: deque[Future[tuple[float, float]]] = deque()
    compared: list[tuple[float, float]] = []

    def settle(limit: int) -> None:
        while len(pending) > limit:
            compared.append(pending.popleft().result())

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for clip, path in zip(clips, paths, strict=True):
            decoded = 0
            with av.open(str(path)) as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"  # decoding is exact whatever its threads
                for packet in container.demux(stream):
                    if packet.size:
                        bits += 8 * packet.size
                        digest.update(bytes(packet))
                    for frame in packet.decode():
                        if decoded >= len(clip.frames):
                            raise RuntimeError(f"{path.name}: more frames than the clip's")
                        source = luma(clip.frames[decoded])
                        pending.append(pool.submit(compare, source, luma(frame)))
                        settle(2 * workers)
                        pixels += source.size
                        decoded += 1
            if decoded != len(clip.frames):
                raise RuntimeError(f"{path.name}: {decoded} frames decoded of {len(clip.frames)}")
        settle(0)
    frame_ssims = [value for value, _ in compared]
    seconds = sum(clip.seconds for clip in clips)
    return Score(
        kbps=bits / seconds / 1000,
        ssim=float(np.mean(frame_ssims)),
        ssim_worst=min(frame_ssims),
        psnr=psnr(sum(error for _, error in compared), pixels),
        digest=digest.hexdigest(),
    )


@dataclass
class Row:
    """A measured setting: its timings (per second of video) and the quality of its output."""

    setting: Setting
    stage: str  # "grid", "today", "reference", "tweak" or "threads"
    cpu: list[float]  # encode CPU seconds per second of video, one per timing
    wall: list[float]  # encode wall seconds per second of video
    score: Score
    deterministic: bool = True  # the back-to-back repeats gave the same bytes
    repeat_digests: set[str] = field(default_factory=set)
    reproducible: bool | None = None  # repeated render_video gave the same video; None: untried

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def as_dict(self) -> dict[str, Any]:
        return {
            "setting": self.setting.as_dict(),
            "label": self.setting.label,
            "stage": self.stage,
            "cpu_per_second": _spread(self.cpu),
            "wall_per_second": _spread(self.wall),
            "kbps": round(self.score.kbps, 1),
            "ssim": round(self.score.ssim, 6),
            "ssim_worst_frame": round(self.score.ssim_worst, 6),
            "psnr": _finite(round(self.score.psnr, 3)),
            "timings": len(self.cpu),
            "deterministic": self.deterministic,
            "reproducible": self.reproducible,
        }


def _spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 4),
        "median": round(statistics.median(values), 4),
        "max": round(max(values), 4),
    }


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


@dataclass
class Bench:
    """The measurements of one quality's frames; every setting is measured at most once."""

    clips: list[Clip]
    base: Quality
    folder: Path
    rows: dict[Setting, Row] = field(default_factory=dict)  # settings with the same bytes share
    progress: Callable[[str], None] = lambda line: None

    @property
    def seconds(self) -> float:
        return sum(clip.seconds for clip in self.clips)

    @property
    def measured(self) -> list[Row]:
        """Each distinct output once, in the order measured."""
        return list({id(row): row for row in self.rows.values()}.values())

    def measure(self, setting: Setting, stage: str) -> Row:
        """Encode, time and score a setting (once; later calls return the same row)."""
        if setting in self.rows:
            return self.rows[setting]
        encoding = encode(self.clips, setting, self.base, self.folder)
        cpu, wall = encoding.cpu / self.seconds, encoding.wall / self.seconds
        digest = video_digest(encoding.paths)
        same = next((row for row in self.measured if row.score.digest == digest), None)
        if same is not None:
            # A parameter at the preset's own value: the same output, one more timing of it.
            same.cpu.append(cpu)
            same.wall.append(wall)
            self.rows[setting] = same
            return same
        quality = score(self.clips, encoding.paths)
        row = Row(setting, stage, [cpu], [wall], quality)
        self.rows[setting] = row
        self.progress(
            f"{self.base.name:<8} {setting.label:<44} {cpu:6.3f} CPU s/s "
            f"{quality.kbps:8.0f} kbps  SSIM {quality.ssim:.5f}  PSNR {quality.psnr:6.2f}"
        )
        return row

    def retime(self, row: Row, timings: int) -> None:
        """Encode a row's setting again until it has `timings` timings; check the bytes.

        The repeats run back to back and must give the same bytes as each other. They are
        not compared with the first, scored encode: an encoder that follows one with other
        settings in the same process can differ from it in a few packets. Whether renders
        give the same video every time is what check() finds out.
        """
        while len(row.cpu) < timings:
            encoding = encode(self.clips, row.setting, self.base, self.folder)
            row.cpu.append(encoding.cpu / self.seconds)
            row.wall.append(encoding.wall / self.seconds)
            digest = video_digest(encoding.paths)
            row.repeat_digests.add(digest)
            row.deterministic = len(row.repeat_digests) == 1

    def check(self, row: Row, repeat: int, seconds: int) -> None:
        """Whether render_video gives the same video every time with the row's setting.

        Repeated encodes of the same frames in one process can agree where renders do not
        (each render draws fresh frames): this renders the clips' specs, cut to `seconds`.
        """
        if row.reproducible is None:
            row.reproducible = reproducible(
                self.clips, row.setting, self.base, self.folder, repeat, seconds
            )
            verdict = {True: "same video every time", False: "VIDEOS DIFFER", None: "untried"}
            self.progress(
                f"{self.base.name:<8} {row.setting.label:<44} "
                f"{repeat} renders: {verdict[row.reproducible]}"
            )


def measure_grid(
    bench: Bench, presets: Sequence[str], crfs: Sequence[int], threads: int = ENCODER_THREADS
) -> list[Row]:
    """Every preset at every CRF, with no parameter overrides."""
    return [
        bench.measure(Setting(preset, crf, (), threads), "grid")
        for preset in presets
        for crf in crfs
    ]


# --- choosing ---------------------------------------------------------------------------


def dominates(first: Row, second: Row) -> bool:
    """first is no worse than second in CPU, SSIM and bitrate, and better in one."""
    a, b = (
        (first.cpu_median, -first.score.ssim, first.score.kbps),
        (
            second.cpu_median,
            -second.score.ssim,
            second.score.kbps,
        ),
    )
    return all(x <= y for x, y in zip(a, b, strict=True)) and a != b


def pareto_front(rows: Iterable[Row]) -> list[Row]:
    """Rows no cheaper row matches in SSIM, cheapest first (quality vs CPU per second)."""
    front: list[Row] = []
    for row in sorted(rows, key=lambda r: (r.cpu_median, -r.score.ssim)):
        if not front or row.score.ssim > front[-1].score.ssim:
            front.append(row)
    return front


def ssim_floor(reference: Row, today: Row, tolerance: float) -> float:
    """The least SSIM the rule accepts: tolerance below the reference's, or today's if that
    is lower, so that no pick has to beat today's quality."""
    return min(reference.score.ssim - tolerance, today.score.ssim)


def candidates(rows: Iterable[Row], reference: Row, today: Row, tolerance: float) -> list[Row]:
    """Rows at or above the SSIM floor at no more than today's bitrate, whose repeats gave
    the same bytes and whose renders are not known to differ, cheapest first."""
    floor = ssim_floor(reference, today, tolerance)
    chosen = [
        r
        for r in rows
        if r.score.ssim >= floor
        and r.score.kbps <= today.score.kbps
        and r.deterministic
        and r.reproducible is not False
    ]
    return sorted(chosen, key=lambda r: (r.cpu_median, -r.score.ssim))


def recommend(
    rows: Iterable[Row], reference: Row, today: Row, tolerance: float, margin: float
) -> Row | None:
    """The cheapest candidate: as good as the SSIM floor, no larger than today's.

    Rows within `margin` (a fraction) of the cheapest's CPU count as equally cheap, since
    timings vary by a few percent: the best SSIM among them wins, then the smaller bitrate.
    """
    found = candidates(rows, reference, today, tolerance)
    if not found:
        return None
    close = [row for row in found if row.cpu_median <= found[0].cpu_median * (1 + margin)]
    return max(close, key=lambda row: (row.score.ssim, -row.score.kbps))


def tweak_round(bench: Bench, center: Setting) -> list[Row]:
    """One-parameter changes of center at its CRF; those not dominated also at CRF +-1."""
    measured = [bench.measure(center.with_crf(crf), "tweak") for crf in _near(center.crf)]
    for key, values in TWEAKS.items():
        for value in values:
            setting = center.with_param(key, value)
            row = bench.measure(setting, "tweak")
            measured.append(row)
            if row is bench.rows[center]:
                continue  # the preset's own value: nothing changed
            if not any(dominates(other, row) for other in bench.measured):
                measured += [
                    bench.measure(setting.with_crf(c), "tweak") for c in _near(setting.crf)
                ]
    return measured


def _near(crf: int) -> list[int]:
    return [value for value in (crf - 1, crf + 1) if 0 <= value <= 51]


# --- end to end -------------------------------------------------------------------------


@contextlib.contextmanager
def renderer_using(quality: Quality, threads: int) -> Iterator[None]:
    """render_video with this quality preset and encoder thread count, inside the block.

    The renderer reads both from module globals (QUALITIES and encode.ENCODER_THREADS); they
    are swapped in and restored, so the end-to-end timing runs the real pipeline unchanged.
    """
    saved_quality, saved_threads = QUALITIES[quality.name], encode_module.ENCODER_THREADS
    QUALITIES[quality.name] = quality
    encode_module.ENCODER_THREADS = threads
    try:
        yield
    finally:
        QUALITIES[quality.name] = saved_quality
        encode_module.ENCODER_THREADS = saved_threads


@dataclass
class EndToEnd:
    """render_video's wall time for the clips' specs with one setting."""

    setting: Setting
    x_realtime: list[float]  # video seconds per wall second, one per repeat
    cpu_per_second: list[float]  # whole render's process time per second of video
    digests: set[str] = field(default_factory=set)  # of the videos, one per distinct output

    @property
    def identical(self) -> bool:
        return len(self.digests) == 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "setting": self.setting.as_dict(),
            "label": self.setting.label,
            "x_realtime": _spread(self.x_realtime),
            "render_cpu_per_second": _spread(self.cpu_per_second),
            "identical_videos": self.identical,
        }


def end_to_end(
    clips: Sequence[Clip], setting: Setting, base: Quality, folder: Path, repeat: int
) -> EndToEnd:
    specs = [clip.spec for clip in clips if clip.spec is not None]
    seconds = sum(spec.video_length for spec in specs)
    result = EndToEnd(setting, [], [])
    with renderer_using(setting.quality(base), setting.threads):
        for _ in range(repeat):
            wall = cpu = 0.0
            digests = []
            for spec in specs:
                cpu_started, wall_started = time.process_time(), time.perf_counter()
                render_video(spec, folder / "render.mp4", folder / "render.jpg")
                wall += time.perf_counter() - wall_started
                cpu += time.process_time() - cpu_started
                digests.append(video_digest([folder / "render.mp4"]))
            result.x_realtime.append(seconds / wall)
            result.cpu_per_second.append(cpu / seconds)
            result.digests.add(" ".join(digests))
    return result


def reproducible(
    clips: Sequence[Clip], setting: Setting, base: Quality, folder: Path, repeat: int, seconds: int
) -> bool | None:
    """Whether `repeat` renders of the clips' specs (cut to `seconds`) give the same videos;
    None when no clip has a spec."""
    specs = [
        dataclasses.replace(clip.spec, video_length=min(seconds, clip.spec.video_length))
        for clip in clips
        if clip.spec is not None
    ]
    if not specs or repeat < 2:
        return None
    digests = set()
    with renderer_using(setting.quality(base), setting.threads):
        for _ in range(repeat):
            videos = []
            for spec in specs:
                render_video(spec, folder / "check.mp4", folder / "check.jpg")
                videos.append(video_digest([folder / "check.mp4"]))
            digests.add(" ".join(videos))
    return len(digests) == 1


# --- one quality ------------------------------------------------------------------------


@dataclass
class Choice:
    """Everything measured for one quality, and the settings chosen from it."""

    quality: Quality
    clips: list[Clip]
    rows: list[Row]
    today: Row
    reference: Row
    plan: Plan
    pick: Row | None  # by encode CPU, at the writer's thread count
    end_to_end: list[EndToEnd] = field(default_factory=list)
    final: Row | None = None  # the pick at the thread count that rendered fastest

    @property
    def front(self) -> list[Row]:
        return pareto_front(self.rows)

    @property
    def best(self) -> Row | None:
        """The recommendation: the pick at its chosen thread count once rendered end to end."""
        return self.final if self.end_to_end else self.pick

    @property
    def seconds(self) -> float:
        return sum(clip.seconds for clip in self.clips)

    @property
    def draw_cpu(self) -> float:
        """CPU seconds per second of video to draw the frames."""
        return sum(clip.draw_cpu for clip in self.clips) / self.seconds

    def sensitivity(self) -> list[tuple[float, Row | None]]:
        """The pick at other tolerances, from the same rows."""
        return [
            (
                tolerance,
                recommend(self.rows, self.reference, self.today, tolerance, self.plan.margin),
            )
            for tolerance in sorted({*SENSITIVITY, self.plan.tolerance})
        ]

    def as_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            "quality": self.quality.name,
            "size": "{}x{}".format(*self.clips[0].size),
            "fps": self.quality.fps,
            "clips": [clip.name for clip in self.clips],
            "seconds": self.seconds,
            "draw_cpu_per_second": round(self.draw_cpu, 4),
            "tolerance": self.plan.tolerance,
            "cpu_margin": self.plan.margin,
            "today": self.today.as_dict(),
            "reference": self.reference.as_dict(),
            "pick": best.as_dict() if best else None,
            "recommended": _recommended(self.quality, best),
            "sensitivity": {
                str(tolerance): row.setting.label if row else None
                for tolerance, row in self.sensitivity()
            },
            "front": [row.setting.label for row in self.front],
            "end_to_end": [run.as_dict() for run in self.end_to_end],
            "rows": [row.as_dict() for row in sorted(self.rows, key=lambda r: r.cpu_median)],
        }


def _recommended(quality: Quality, row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    setting = row.setting
    return {
        "x264_preset": setting.preset,
        "crf": setting.crf,
        "x264_params": setting.x264_params,
        "encoder_threads": setting.threads,
        "quality": repr(setting.quality(quality)),
    }


@dataclass(frozen=True)
class Plan:
    """What to measure for each quality, and the rule that picks."""

    presets: tuple[str, ...] = PRESETS
    crfs: tuple[int, ...] = CRFS
    tolerance: float = 0.003  # SSIM below the reference's
    margin: float = 0.03  # CPU within this fraction of the cheapest counts as equally cheap
    reference: tuple[str, int | None] = (REFERENCE_PRESET, None)  # None: the quality's CRF
    rounds: int = 2
    repeat: int = 5
    retime_best: int = 3  # how many of the cheapest candidates are re-timed
    threads: tuple[int, ...] = (1, 2, 3)  # encoder thread counts rendered end to end
    thread_margin: float = 0.05  # how much faster (median) another count must render
    render_repeat: int = 3  # renders per end-to-end timing and per reproducibility check
    check_seconds: int = 4  # video length of the reproducibility check's renders
    verify: bool = True  # end-to-end renders: reproducibility and thread counts


def choose(
    quality: Quality,
    clips: list[Clip],
    plan: Plan,
    folder: Path,
    progress: Callable[[str], None] = lambda line: None,
) -> Choice:
    """Measure one quality's settings and pick one, as described in the module docstring."""
    bench = Bench(clips, quality, folder, progress=progress)
    today = bench.measure(Setting.of(quality), "today")
    reference_preset, reference_crf = plan.reference
    reference = bench.measure(
        Setting(reference_preset, quality.crf if reference_crf is None else reference_crf),
        "reference",
    )

    def pick() -> Row | None:
        """The rule's pick; with verify, one whose renders are the same every time."""
        while True:
            chosen = recommend(bench.measured, reference, today, plan.tolerance, plan.margin)
            if chosen is None or chosen.reproducible is not None or not plan.verify:
                return chosen
            bench.check(chosen, plan.render_repeat, plan.check_seconds)
            if chosen.reproducible is None:  # nothing to render, or a single render
                return chosen

    if plan.verify:
        bench.check(today, plan.render_repeat, plan.check_seconds)
    measure_grid(bench, plan.presets, plan.crfs)
    chosen = pick()
    for _ in range(plan.rounds):
        center = (chosen or today).setting
        tweak_round(bench, center)
        chosen = pick()
        if chosen is not None and chosen is bench.rows[center]:
            break
    # Re-time what the decision rests on; a re-timed row can lose its place, so repeat until
    # the pick is a row that has all its timings.
    for row in [today, reference, *pareto_front(bench.measured)]:
        bench.retime(row, plan.repeat)
    while True:
        best = candidates(bench.measured, reference, today, plan.tolerance)
        for row in best[: plan.retime_best]:
            bench.retime(row, plan.repeat)
        chosen = pick()
        if chosen is None or len(chosen.cpu) >= plan.repeat:
            break
    choice = Choice(quality, clips, bench.measured, today, reference, plan, chosen)
    if plan.verify and chosen is not None:
        verify_threads(choice, bench, folder, progress)
    return choice


def verify_threads(
    choice: Choice, bench: Bench, folder: Path, progress: Callable[[str], None]
) -> None:
    """Render end to end with today's setting, then with the pick at each thread count.

    The thread count whose render has the best median real-time factor (by more than
    plan.thread_margin over the writer's own count) is kept, if the pick's output at that
    count still meets the rule (its bounds, and the same video on every render); none is
    kept when no count does.
    """
    assert choice.pick is not None
    plan = choice.plan
    runs = [
        end_to_end(choice.clips, choice.today.setting, choice.quality, folder, plan.render_repeat)
    ]
    progress(_run_line(choice.quality, runs[-1]))
    speeds: list[tuple[float, Row]] = []
    for threads in plan.threads:
        setting = dataclasses.replace(choice.pick.setting, threads=threads)
        row = bench.measure(setting, "threads")
        bench.retime(row, plan.repeat)
        runs.append(end_to_end(choice.clips, setting, choice.quality, folder, plan.render_repeat))
        progress(_run_line(choice.quality, runs[-1]))
        if plan.render_repeat > 1:
            row.reproducible = runs[-1].identical and row.reproducible is not False
        if candidates([row], choice.reference, choice.today, plan.tolerance):
            speeds.append((statistics.median(runs[-1].x_realtime), row))
    choice.rows = bench.measured
    choice.end_to_end = runs
    choice.final = None
    if speeds:
        # Another thread count replaces the writer's only when clearly faster: wall times
        # vary more than CPU times.
        fastest = max(speeds, key=lambda item: item[0])
        current = [item for item in speeds if item[1].setting.threads == ENCODER_THREADS]
        keep = bool(current) and current[0][0] * (1 + plan.thread_margin) >= fastest[0]
        choice.final = current[0][1] if keep else fastest[1]


def _run_line(quality: Quality, run: EndToEnd) -> str:
    speeds = _spread(run.x_realtime)
    return (
        f"{quality.name:<8} render_video {run.setting.label:<32} "
        f"{speeds['min']:.2f}/{speeds['median']:.2f}/{speeds['max']:.2f}x real time"
    )


# --- clip sources -----------------------------------------------------------------------


class SourceError(Exception):
    """A page or folder given on the command line cannot be used; one line says why."""


def page_spec(page: Path, aspect: int, length: int, quality: str) -> RenderSpec:
    """The spec the engine renders for a saved product page whose images are local files."""
    try:
        html = page.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read page {page}: {error.strerror or error}") from error
    product = extract_product(html, page.resolve().as_uri())
    images = tuple(
        Path(unquote(urlparse(media.url).path))
        for media in product.media
        if media.type == MEDIA_IMAGE and urlparse(media.url).scheme == "file"
    )
    images = tuple(path for path in images if path.is_file())
    if not images:
        raise SourceError(f"page {page} shows no product image stored beside it")
    return RenderSpec(
        aspect_ratio=aspect,
        video_length=length,
        title=product.name or page.stem,
        price=format_price(product.details.price, product.details.currency),
        description=product.description,
        images=images,
        quality=quality,
    )


def folder_spec(folder: Path, aspect: int, length: int, quality: str) -> RenderSpec:
    """A spec for the first three images in a folder, with a sample product's text."""
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    except OSError as error:
        raise SourceError(f"cannot list {folder}: {error.strerror or error}") from error
    if not found:
        raise SourceError(f"{folder} holds no .jpg, .jpeg, .png or .webp image")
    return RenderSpec(
        aspect_ratio=aspect,
        video_length=length,
        images=tuple(found[:3]),
        quality=quality,
        **STAND_IN_TEXT,
    )


def _render_benchmark() -> ModuleType:
    """benchmarks/render.py, for its generated photo stand-ins (grain, gradients, fabric)."""
    spec = importlib.util.spec_from_file_location(
        "benchmark_render", Path(__file__).with_name("render.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- report -----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else ""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "pyav": av.__version__,
        "libavcodec": ".".join(map(str, av.library_versions["libavcodec"])),
        "x264": x264_build(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def x264_build() -> str:
    """The version string x264 writes into its stream (one small frame is encoded)."""
    context = av.CodecContext.create("libx264", "w")
    context.width, context.height, context.pix_fmt = 64, 64, "yuv420p"
    context.time_base = Fraction(1, 25)
    frame = av.VideoFrame(64, 64, "yuv420p")
    frame.pts = 0
    data = b"".join(bytes(packet) for packet in [*context.encode(frame), *context.encode(None)])
    found = re.search(rb"x264 - core \d+(?: r\d+ \w+)?", data)
    return found.group().decode() if found else "unknown"


def _timing(values: Sequence[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:6.3f}"
    spread = _spread(values)
    return f"{spread['median']:6.3f} [{spread['min']:.3f}-{spread['max']:.3f}]"


def format_rows(rows: Sequence[Row], marks: Callable[[Row], str]) -> list[str]:
    lines = [
        f"  {'setting':<46} {'CPU s per video s':>26} {'kbps':>8} {'SSIM':>8} "
        f"{'worst':>7} {'PSNR':>6}",
    ]
    for row in rows:
        lines.append(
            f"  {row.setting.label:<46} {_timing(row.cpu):>26} {row.score.kbps:8.0f} "
            f"{row.score.ssim:8.5f} {row.score.ssim_worst:7.4f} {row.score.psnr:6.2f}"
            f"  {marks(row)}"
        )
    return lines


def format_choice(choice: Choice) -> str:
    width, height = choice.clips[0].size
    best = choice.best
    plan = choice.plan

    def marks(row: Row) -> str:
        named = (("today", choice.today), ("reference", choice.reference), ("pick", best))
        tags = [name for name, other in named if row is other]
        if not row.deterministic:
            tags.append("repeats differ")
        if row.reproducible is False:
            tags.append("renders differ")
        return ", ".join(tags)

    front = choice.front
    shown = front + [
        row
        for row in (choice.today, choice.reference, best)
        if row is not None and row not in front
    ]
    floor = ssim_floor(choice.reference, choice.today, plan.tolerance)
    lines = [
        f"{choice.quality.name}: {width}x{height} {choice.quality.fps} fps, "
        f"{choice.seconds:g} s of video from {', '.join(c.name for c in choice.clips)}; "
        f"drawing the frames costs {choice.draw_cpu:.3f} CPU s per video s",
        f"  {len(choice.rows)} outputs measured; the front of SSIM vs encode CPU "
        f"(median [min-max] of the timings), today's, the reference and the pick:",
        *format_rows(sorted(shown, key=lambda r: r.cpu_median), marks),
        f"  rule: SSIM >= {floor:.5f} (the lower of the reference's "
        f"{choice.reference.score.ssim:.5f} - {plan.tolerance:g} and today's), "
        f"kbps <= {choice.today.score.kbps:.0f} (today's), least CPU "
        f"(within {plan.margin:.0%}: best SSIM)",
        "  the pick at other tolerances: "
        + "; ".join(
            f"{tolerance:g}: {row.setting.label if row else 'none'}"
            for tolerance, row in choice.sensitivity()
        ),
    ]
    for run in choice.end_to_end:
        spread = _spread(run.x_realtime)
        cpu = statistics.median(run.cpu_per_second)
        lines.append(
            f"  render_video {run.setting.label:<40} x real time min/median/max "
            f"{spread['min']:.2f}/{spread['median']:.2f}/{spread['max']:.2f}, "
            f"{cpu:.3f} CPU s per video s"
            + ("" if run.identical else ", VIDEOS DIFFER between repeats")
        )
    if best is None:
        lines.append("  recommendation: none; no measured setting meets the rule")
    else:
        today = choice.today
        saving = 1 - best.cpu_median / today.cpu_median
        lines.append(
            f"  recommendation: {best.setting.quality(choice.quality)!r}, encoder threads "
            f"{best.setting.threads}: {saving:.0%} less encode CPU than today "
            f"({best.cpu_median:.3f} vs {today.cpu_median:.3f} s per video s), "
            f"{best.score.kbps:.0f} vs {today.score.kbps:.0f} kbps, "
            f"SSIM {best.score.ssim:.5f} vs {today.score.ssim:.5f}"
        )
    return "\n".join(lines)


# --- command line -----------------------------------------------------------------------


def _crf_list(text: str) -> tuple[int, ...]:
    """'16:30:2' (first, last, step) or '18,20,23'."""
    try:
        if ":" in text:
            first, last, step = (int(part) for part in text.split(":"))
            values = tuple(range(first, last + 1, step))
        else:
            values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected FIRST:LAST:STEP or a comma-separated list of numbers, got {text!r}"
        ) from None
    if not values or any(not 0 <= value <= 51 for value in values):
        raise argparse.ArgumentTypeError(f"CRF values must be 0..51, got {text!r}")
    return values


def _reference(text: str) -> tuple[str, int | None]:
    preset, _, crf = text.partition("/")
    if preset not in ALL_PRESETS or (crf and not crf.isdigit()):
        raise argparse.ArgumentTypeError(f"expected PRESET or PRESET/CRF, got {text!r}")
    return preset, int(crf) if crf else None


def _number_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1,2,3, got {text!r}") from None
    if any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"thread counts must be 1 or more, got {text!r}")
    return values


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="encoder_choice.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quality", choices=list(QUALITIES), action="append", help="repeatable")
    parser.add_argument("--page", type=Path, action="append", help="a saved product page")
    parser.add_argument("--images", type=Path, action="append", help="a folder of images")
    parser.add_argument(
        "--photos", action="store_true", help="benchmarks/render.py's generated photo stand-ins"
    )
    parser.add_argument("--length", type=int, default=15, help="video seconds per clip")
    parser.add_argument("--aspect", type=int, choices=(0, 1, 2), default=0)
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated")
    parser.add_argument("--crfs", type=_crf_list, default=CRFS, help="16:30:2 or 18,20,22")
    parser.add_argument("--reference", type=_reference, default=(REFERENCE_PRESET, None))
    parser.add_argument("--tolerance", type=float, default=Plan.tolerance, help="SSIM")
    parser.add_argument(
        "--cpu-margin", type=float, default=Plan.margin, help="CPU fraction counted as a tie"
    )
    parser.add_argument("--rounds", type=int, default=Plan.rounds, help="of one-parameter changes")
    parser.add_argument("--repeat", type=int, default=Plan.repeat, help="timings per decision")
    parser.add_argument(
        "--threads", type=_number_list, default=Plan.threads, help="rendered end to end"
    )
    parser.add_argument("--render-repeat", type=int, default=Plan.render_repeat)
    parser.add_argument(
        "--check-length", type=int, default=Plan.check_seconds, help="seconds per check render"
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the end-to-end renders")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--save", type=Path, help="also write the JSON results to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    presets = tuple(name.strip() for name in args.presets.split(",") if name.strip())
    unknown = [name for name in presets if name not in ALL_PRESETS]
    if unknown or not presets:
        parser().error(
            f"unknown x264 preset {', '.join(unknown) or '(none)'}; known: {', '.join(ALL_PRESETS)}"
        )
    if not 1 <= args.length <= 600:
        parser().error(f"--length must be 1..600 seconds, got {args.length}")
    if (
        min(args.repeat, args.render_repeat, args.check_length) < 1
        or min(args.rounds, args.cpu_margin) < 0
    ):
        parser().error(
            "--repeat, --render-repeat and --check-length must be 1 or more, "
            "--rounds and --cpu-margin 0 or more"
        )
    if not 0 <= args.tolerance < 1:
        parser().error(f"--tolerance is an SSIM difference in [0, 1), got {args.tolerance}")
    plan = Plan(
        presets=presets,
        crfs=args.crfs,
        tolerance=args.tolerance,
        margin=args.cpu_margin,
        reference=args.reference,
        rounds=args.rounds,
        repeat=args.repeat,
        threads=args.threads,
        render_repeat=args.render_repeat,
        check_seconds=args.check_length,
        verify=not args.no_verify,
    )
    pages = args.page or ([] if args.images or args.photos else [DEFAULT_PAGE])
    photos = args.photos or not (args.page or args.images)
    report: dict[str, Any] = {"machine": machine(), "length": args.length, "qualities": []}
    if not args.json:
        print(_machine_line(report["machine"]), flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        stand_ins = _render_benchmark().generated_images(folder) if photos else ()
        for name in args.quality or list(QUALITIES):
            try:
                specs = [
                    (page.stem, page_spec(page, args.aspect, args.length, name)) for page in pages
                ]
                specs += [
                    (str(images), folder_spec(images, args.aspect, args.length, name))
                    for images in args.images or []
                ]
            except SourceError as error:
                parser().error(str(error))
            if stand_ins:
                specs.append(
                    (
                        "photo stand-ins",
                        RenderSpec(
                            aspect_ratio=args.aspect,
                            video_length=args.length,
                            images=stand_ins,
                            quality=name,
                            **STAND_IN_TEXT,
                        ),
                    )
                )
            clips = [render_clip(label, spec) for label, spec in specs]
            choice = choose(QUALITIES[name], clips, plan, folder, _stderr)
            report["qualities"].append(choice.as_dict())
            if args.save:  # after each quality, so a long run keeps what it has measured
                args.save.write_text(json.dumps(report, indent=2) + "\n")
            if not args.json:
                print(format_choice(choice), flush=True)
            del clips, choice  # a quality's frames can take gigabytes
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    return 0


def _machine_line(info: dict[str, Any]) -> str:
    load = ", ".join(f"{x:g}" for x in info["load_average"])
    return (
        f"{info['date']}  {info['cpus']} CPUs ({info['cpu_model']}, {info['machine']}), "
        f"Python {info['python']}, PyAV {info['pyav']}, libavcodec {info['libavcodec']}, "
        f"{info['x264']}, "
        f"load average {load}"
    )


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
