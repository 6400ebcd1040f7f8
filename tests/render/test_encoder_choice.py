"""The encoder benchmark's measuring functions, on tiny frames, and its command line."""

from __future__ import annotations

import gc
import itertools
import json
import math
from pathlib import Path

import av
import av.logging
import numpy as np
import pytest
from av.filter import Graph
from PIL import Image
from support.scripts import load_benchmark

from jogg_pipeline.engine.render import QUALITIES
from jogg_pipeline.engine.render import encode as encode_module
from jogg_pipeline.engine.render.planar import from_rgb

WIDTH, HEIGHT, FRAMES, FPS = 64, 112, 10, 10


bench = load_benchmark("encoder_choice.py", "benchmark_encoder_choice")


def _luma(seed: int = 0) -> np.ndarray:
    """A textured luma plane: a diagonal ramp with grain."""
    ramp = np.add.outer(np.arange(HEIGHT), np.arange(WIDTH)) * 2 % 256
    grain = np.random.default_rng(seed).normal(0, 20, (HEIGHT, WIDTH))
    return np.clip(ramp + grain, 0, 255).astype(np.uint8)


def _noised(plane: np.ndarray, sigma: float, seed: int = 1) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, plane.shape)
    return np.clip(plane + noise, 0, 255).astype(np.uint8)


def _tiny_clip(frames: int = FRAMES) -> object:
    """A moving picture: a grainy gradient panning under a sliding block."""
    rng = np.random.default_rng(7)
    texture = rng.integers(0, 256, (HEIGHT, WIDTH * 2, 3), dtype=np.uint8)
    images = []
    for index in range(frames):
        canvas = np.roll(texture, 3 * index, axis=1)[:, :WIDTH].copy()
        canvas[20:50, 4 * index : 4 * index + 24] = (240, 200, 40)
        images.append(from_rgb(Image.fromarray(canvas)))
    return bench.clip_from_planes("tiny", images, FPS)


@pytest.fixture(scope="module")
def clip() -> object:
    return _tiny_clip()


@pytest.fixture
def measurer(clip: object, tmp_path: Path) -> object:
    return bench.Bench([clip], QUALITIES["preview"], tmp_path)


def test_ssim_of_identical_frames_is_one_and_psnr_infinite() -> None:
    plane = _luma()
    value, squared_error = bench.compare(plane, plane.copy())
    assert value == 1.0 and squared_error == 0
    assert bench.psnr(squared_error, plane.size) == math.inf


def test_ssim_and_psnr_fall_as_noise_grows() -> None:
    plane = _luma()
    light, heavy = _noised(plane, 4), _noised(plane, 16)
    assert 1.0 > bench.ssim(plane, light) > bench.ssim(plane, heavy) > 0
    light_psnr = bench.psnr(bench.compare(plane, light)[1], plane.size)
    heavy_psnr = bench.psnr(bench.compare(plane, heavy)[1], plane.size)
    assert 50 > light_psnr > heavy_psnr > 20


def test_ssim_agrees_with_ffmpegs_ssim_filter() -> None:
    """The same 8x8 windows at a 4-pixel step as libavfilter's ssim (its constants differ
    a little), so the two agree closely on a noised frame."""
    plane, noised = _luma(), _noised(_luma(), 8)
    grey = np.full((HEIGHT // 2, WIDTH), 128, np.uint8)
    previous = av.logging.get_level()
    av.logging.set_level(av.logging.INFO)
    try:
        with av.logging.Capture() as logs:
            graph = Graph()
            first = graph.add_buffer(width=WIDTH, height=HEIGHT, format="yuv420p", time_base="1/25")
            second = graph.add_buffer(
                width=WIDTH, height=HEIGHT, format="yuv420p", time_base="1/25"
            )
            ssim_filter, sink = graph.add("ssim"), graph.add("buffersink")
            first.link_to(ssim_filter, 0, 0)
            second.link_to(ssim_filter, 0, 1)
            ssim_filter.link_to(sink)
            graph.configure()
            for source, plane_y in ((first, plane), (second, noised)):
                frame = av.VideoFrame.from_ndarray(np.concatenate([plane_y, grey]), "yuv420p")
                frame.pts = 0
                source.push(frame)
            sink.pull()
            del graph, first, second, ssim_filter, sink  # the filter reports when freed
            gc.collect()
    finally:
        av.logging.set_level(previous)
    (summary,) = [message for _, name, message in logs if name == "ssim"]
    reported = float(summary.split("Y:")[1].split()[0])
    assert bench.ssim(plane, noised) == pytest.approx(reported, abs=1e-3)
    assert reported < 0.99


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (((112, 64), (112, 62)), "planes differ in size: (112, 64) and (112, 62)"),
        (((6, 64), (6, 64)), "planes of 64x6 are smaller than one 8x8 window"),
    ],
)
def test_compare_refuses_planes_it_cannot_measure(
    shapes: tuple[tuple[int, int], tuple[int, int]], message: str
) -> None:
    first, second = (np.zeros(shape, np.uint8) for shape in shapes)
    with pytest.raises(ValueError) as caught:
        bench.compare(first, second)
    assert str(caught.value) == message


def test_a_clip_needs_frames() -> None:
    with pytest.raises(ValueError) as caught:
        bench.clip_from_planes("empty", [], FPS)
    assert str(caught.value) == "clip empty has no frames"


def test_scoring_refuses_an_output_of_another_length(clip: object, tmp_path: Path) -> None:
    setting = bench.Setting("ultrafast", 30)
    encoding = bench.encode([clip], setting, QUALITIES["preview"], tmp_path)
    with pytest.raises(RuntimeError) as caught:
        bench.score([_tiny_clip(FRAMES - 4)], encoding.paths)
    assert str(caught.value) == "clip-0.mp4: more frames than the clip's"
    with pytest.raises(RuntimeError) as caught:
        bench.score([_tiny_clip(FRAMES + 2)], encoding.paths)
    assert str(caught.value) == f"clip-0.mp4: {FRAMES} frames decoded of {FRAMES + 2}"


def test_grid_on_tiny_frames_is_well_formed(measurer: object) -> None:
    rows = bench.measure_grid(measurer, ("ultrafast", "veryfast"), (18, 40))
    assert [(row.setting.preset, row.setting.crf) for row in rows] == [
        ("ultrafast", 18),
        ("ultrafast", 40),
        ("veryfast", 18),
        ("veryfast", 40),
    ]
    for row in rows:
        assert row.cpu[0] > 0 and row.wall[0] > 0 and row.score.kbps > 0
        assert 0 < row.score.ssim_worst <= row.score.ssim < 1
        assert 10 < row.score.psnr < 100
        assert len(row.score.digest) == 64
        json.dumps(row.as_dict(), allow_nan=False)
    for fine, coarse in (rows[0:2], rows[2:4]):
        assert fine.score.kbps > coarse.score.kbps and fine.score.ssim > coarse.score.ssim
    front = bench.pareto_front(rows)
    assert front and all(row in rows for row in front)
    for cheaper, dearer in itertools.pairwise(front):
        assert cheaper.cpu_median <= dearer.cpu_median and cheaper.score.ssim < dearer.score.ssim


def test_a_parameter_at_the_presets_own_value_is_the_same_output(measurer: object) -> None:
    plain = measurer.measure(bench.Setting("ultrafast", 30), "grid")
    same = measurer.measure(bench.Setting("ultrafast", 30).with_param("cabac", "0"), "tweak")
    changed = measurer.measure(bench.Setting("ultrafast", 30).with_param("cabac", "1"), "tweak")
    assert same is plain and len(plain.cpu) == 2  # its encode counted as one more timing
    assert changed is not plain and changed.score.digest != plain.score.digest
    assert measurer.measured == [plain, changed]


def test_repeats_are_timed_and_give_the_same_bytes(measurer: object) -> None:
    row = measurer.measure(bench.Setting("veryfast", 26), "grid")
    measurer.retime(row, 3)
    assert len(row.cpu) == len(row.wall) == 3
    assert row.deterministic and len(row.repeat_digests) == 1
    spread = row.as_dict()["cpu_per_second"]
    assert spread["min"] <= spread["median"] <= spread["max"]


def test_a_setting_of_a_quality_round_trips() -> None:
    setting = bench.Setting.of(QUALITIES["hd"])
    assert (setting.preset, setting.crf) == ("ultrafast", 22)
    assert setting.x264_params == "8x8dct=1:bframes=3:cabac=1:deblock=0,0"
    assert setting.threads == encode_module.ENCODER_THREADS
    assert setting.with_param("cabac", "0").x264_params == "8x8dct=1:bframes=3:cabac=0:deblock=0,0"
    assert (
        setting.with_param("bframes", "2").x264_params == "8x8dct=1:bframes=2:cabac=1:deblock=0,0"
    )
    assert setting.quality(QUALITIES["hd"]) == QUALITIES["hd"]
    threaded = bench.Setting("veryfast", 21, threads=1)
    assert threaded.label == "veryfast crf 21 threads=1"
    assert threaded.quality(QUALITIES["full"]).crf == 21


def _row(cpu: float, ssim: float, kbps: float, deterministic: bool = True) -> object:
    score = bench.Score(kbps=kbps, ssim=ssim, ssim_worst=ssim, psnr=40.0, digest=f"{cpu}")
    row = bench.Row(bench.Setting("veryfast", round(cpu * 100)), "grid", [cpu], [cpu], score)
    row.deterministic = deterministic
    return row


def test_the_rule_takes_the_cheapest_near_the_reference_and_no_larger_than_today() -> None:
    reference, today = _row(2.0, 0.990, 800), _row(1.0, 0.988, 1000)
    too_poor = _row(0.5, 0.9865, 900)
    too_large = _row(0.6, 0.988, 1100)
    unsteady = _row(0.65, 0.989, 900, deterministic=False)
    differs = _row(0.66, 0.989, 900)
    differs.reproducible = False
    cheapest = _row(0.70, 0.9875, 950)
    nearly_as_cheap = _row(0.71, 0.989, 990)
    rows = [reference, today, too_poor, too_large, unsteady, differs, cheapest, nearly_as_cheap]
    assert bench.ssim_floor(reference, today, 0.003) == pytest.approx(0.987)
    assert bench.candidates(rows, reference, today, 0.003) == [
        cheapest,
        nearly_as_cheap,
        today,
        reference,
    ]
    # Within 3% of the cheapest's CPU counts as a tie, and the better SSIM wins it.
    assert bench.recommend(rows, reference, today, 0.003, 0.03) is nearly_as_cheap
    assert bench.recommend(rows, reference, today, 0.003, 0.0) is cheapest
    assert bench.recommend([too_poor, too_large], reference, today, 0.003, 0.03) is None


def test_the_floor_is_todays_ssim_when_today_is_further_below_the_reference() -> None:
    reference, today = _row(2.0, 0.995, 800), _row(1.0, 0.988, 1000)
    cheaper_and_as_good = _row(0.8, 0.9881, 990)
    cheaper_but_worse = _row(0.5, 0.9879, 900)
    rows = [reference, today, cheaper_and_as_good, cheaper_but_worse]
    assert bench.ssim_floor(reference, today, 0.003) == 0.988
    assert bench.recommend(rows, reference, today, 0.003, 0.03) is cheaper_and_as_good
    assert bench.recommend(rows, reference, today, 0.01, 0.03) is cheaper_but_worse


def test_choosing_on_tiny_frames(clip: object, tmp_path: Path) -> None:
    plan = bench.Plan(presets=("ultrafast", "veryfast"), crfs=(24, 34), rounds=1, repeat=2)
    plan = bench.dataclasses.replace(plan, verify=False)
    choice = bench.choose(QUALITIES["preview"], [clip], plan, tmp_path)
    assert choice.today.setting == bench.Setting.of(QUALITIES["preview"])
    assert choice.reference.setting == bench.Setting("slow", QUALITIES["preview"].crf)
    assert len(choice.rows) > 8  # the grid and a round of one-parameter changes
    if choice.pick is not None:
        floor = bench.ssim_floor(choice.reference, choice.today, plan.tolerance)
        assert choice.pick.score.ssim >= floor
        assert choice.pick.score.kbps <= choice.today.score.kbps
        assert len(choice.pick.cpu) >= plan.repeat
    report = choice.as_dict()
    json.dumps(report, allow_nan=False)
    assert report["size"] == f"{WIDTH}x{HEIGHT}" and report["front"]
    text = bench.format_choice(choice)
    assert text.startswith(f"preview: {WIDTH}x{HEIGHT} 15 fps, 1 s of video from tiny")
    assert "(the lower of the reference's" in text and "today" in text


@pytest.mark.slow
def test_a_short_run_reports_json_and_leaves_the_renderer_as_it_was(
    capsys: pytest.CaptureFixture[str],
) -> None:
    qualities, threads = dict(QUALITIES), encode_module.ENCODER_THREADS
    argv = [
        *("--quality", "preview", "--length", "1", "--presets", "ultrafast", "--crfs", "30"),
        *("--rounds", "0", "--repeat", "2", "--threads", "2", "--render-repeat", "2"),
        *("--check-length", "1", "--json"),
    ]
    assert bench.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["machine"]["x264"].startswith("x264 - core ")
    assert report["machine"]["cpus"] >= 1 and report["length"] == 1
    (quality,) = report["qualities"]
    assert quality["quality"] == "preview" and quality["size"] == "360x640"
    assert quality["clips"] == ["studio-wireless-headphones", "photo stand-ins"]
    assert quality["today"]["label"] == "ultrafast crf 26"
    assert quality["reference"]["label"] == "slow crf 26"
    rows = {row["label"]: row for row in quality["rows"]}
    assert {"ultrafast crf 26", "slow crf 26", "ultrafast crf 30"} <= set(rows)
    assert rows["ultrafast crf 26"]["reproducible"] is True  # two renders, the same video
    runs = quality["end_to_end"]
    if quality["recommended"] is not None:
        assert len(runs) == 2 and all(run["identical_videos"] for run in runs)
        assert runs[0]["x_realtime"]["median"] > 0
        assert quality["recommended"]["encoder_threads"] == 2
    assert dict(QUALITIES) == qualities
    assert threads == encode_module.ENCODER_THREADS


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        bench.main(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--presets", "ultrafast,fastest"],
            "unknown x264 preset fastest; known: ultrafast, superfast, veryfast, faster, fast, "
            "medium, slow, slower, veryslow",
        ),
        (
            ["--crfs", "16:x"],
            "argument --crfs: expected FIRST:LAST:STEP or a comma-separated list of numbers, "
            "got '16:x'",
        ),
        (["--crfs", "10,60"], "argument --crfs: CRF values must be 0..51, got '10,60'"),
        (
            ["--reference", "fastest"],
            "argument --reference: expected PRESET or PRESET/CRF, got 'fastest'",
        ),
        (["--threads", "a"], "argument --threads: expected numbers like 1,2,3, got 'a'"),
        (["--threads", "2,0"], "argument --threads: thread counts must be 1 or more, got '2,0'"),
        (["--tolerance", "1.5"], "--tolerance is an SSIM difference in [0, 1), got 1.5"),
        (["--length", "0"], "--length must be 1..600 seconds, got 0"),
        (
            ["--repeat", "0"],
            "--repeat, --render-repeat and --check-length must be 1 or more, "
            "--rounds and --cpu-margin 0 or more",
        ),
    ],
)
def test_bad_options_are_one_line_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _error(argv, capsys) == f"encoder_choice.py: error: {message}"


def test_unusable_sources_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.html"
    bare = tmp_path / "bare.html"
    bare.write_text("<html><head><title>Kettle</title></head><body><h1>Kettle</h1></body></html>")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (["--page", str(missing)], f"cannot read page {missing}: No such file or directory"),
        (["--page", str(bare)], f"page {bare} shows no product image stored beside it"),
        (["--images", str(empty)], f"{empty} holds no .jpg, .jpeg, .png or .webp image"),
        (["--images", str(missing)], f"cannot list {missing}: No such file or directory"),
    ]
    for argv, message in cases:
        line = _error([*argv, "--quality", "preview"], capsys)
        assert line == f"encoder_choice.py: error: {message}"
