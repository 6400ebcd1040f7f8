"""The benchmarks' harness measures each process on its own: its peak memory (not its
parent's), its CPU beside its wall, and repeated runs as min / median / max."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.scripts import load_benchmark

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

harness = load_benchmark("harness.py", "harness")

ALLOCATE_100_MIB = "block = b'x' * (100 * 1024 * 1024)"  # written, so resident
BUSY_QUARTER_SECOND = (
    "import time\nstarted = time.process_time()\nwhile time.process_time() - started < 0.25: pass"
)


def test_a_child_reports_its_own_peak_not_its_large_parents() -> None:
    ballast = b"x" * (300 * harness.MIB)  # this process's peak, which a child must not inherit
    trivial = harness.run_process([PYTHON, "-c", "pass"])
    large = harness.run_process([PYTHON, "-c", ALLOCATE_100_MIB])
    assert len(ballast) == 300 * harness.MIB
    assert large.peak_mib >= 100
    assert trivial.peak_mib < 40


def test_the_peak_of_a_tree_is_its_largest_process_waited_for() -> None:
    command = (
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {ALLOCATE_100_MIB!r}])"
    )
    run = harness.run_process([PYTHON, "-c", command])
    assert 100 <= run.peak_mib < 160


def test_cpu_of_a_busy_child_is_about_its_wall_and_of_a_sleeping_one_near_none() -> None:
    busy = harness.run_process([PYTHON, "-c", BUSY_QUARTER_SECOND])
    sleeping = harness.run_process([PYTHON, "-c", "import time; time.sleep(0.3)"])
    assert 0.25 <= busy.cpu <= busy.wall + 0.01  # rusage ticks may round a little up
    assert sleeping.wall >= 0.3 and sleeping.cpu < 0.2


def test_cpu_counts_the_children_a_process_waited_for() -> None:
    command = (
        "import subprocess, sys; "
        f"subprocess.run([sys.executable, '-c', {BUSY_QUARTER_SECOND!r}], check=True)"
    )
    run = harness.run_process([PYTHON, "-c", command])
    assert run.cpu >= 0.25


def test_a_child_keeps_its_output_its_folder_and_its_environment(tmp_path: Path) -> None:
    command = "import os; print(os.getcwd(), os.environ['BENCH_WORD'])"
    run = harness.run_process([PYTHON, "-c", command], cwd=tmp_path, env={"BENCH_WORD": "spring"})
    assert run.stdout == f"{tmp_path} spring\n"
    assert run.stderr == ""


def test_a_failing_command_says_which_and_its_last_error_line(tmp_path: Path) -> None:
    script = "import sys\nprint('partial')\nprint('no spec', file=sys.stderr)\nsys.exit(3)\n"
    (tmp_path / "fail.py").write_text(script)
    with pytest.raises(harness.BenchmarkError) as failed:
        harness.run_process([PYTHON, "fail.py"], cwd=tmp_path)
    assert str(failed.value) == f"{PYTHON} fail.py exited with 3: no spec"
    assert failed.value.stderr == "no spec\n"


def test_a_command_that_cannot_start_says_so() -> None:
    with pytest.raises(harness.BenchmarkError) as failed:
        harness.run_process(["no-such-benchmark-command"])
    assert str(failed.value) == (
        "no-such-benchmark-command exited with 127: "
        "no-such-benchmark-command: No such file or directory"
    )


def test_repeated_processes_give_min_median_max_each_after_prepare(tmp_path: Path) -> None:
    marker = tmp_path / "prepared"
    prepared: list[float] = []

    def prepare() -> None:
        assert not marker.exists()  # the previous run consumed it: prepare ran before each
        marker.write_text("fresh")
        prepared.append(time.perf_counter())

    command = "import pathlib; pathlib.Path('prepared').unlink()"
    measurement, runs = harness.time_process(
        "unlink", [PYTHON, "-c", command], 3, cwd=tmp_path, prepare=prepare
    )
    assert len(runs) == len(prepared) == measurement.runs == 3
    for spread in (measurement.wall, measurement.cpu, measurement.peak_mib):
        assert spread is not None and 0 < spread.min <= spread.median <= spread.max
    assert measurement.wall.max == max(run.wall for run in runs)


def test_calls_in_process_give_wall_and_cpu_per_call() -> None:
    pauses = iter((0.05, 0.01, 0.03))
    sleeping = harness.time_calls("sleep", lambda: time.sleep(next(pauses)), 3)
    busy = harness.time_calls("sum", lambda: sum(range(2_000_000)), 3)
    assert sleeping.runs == 3
    assert 0.01 <= sleeping.wall.min <= sleeping.wall.median <= sleeping.wall.max
    assert sleeping.wall.median >= 0.03 and sleeping.wall.max >= 0.05
    assert sleeping.cpu.max < 0.02
    assert busy.cpu.min > 0 and busy.peak_mib is None


def test_a_spread_is_min_median_max_and_prints_so() -> None:
    spread = harness.Spread.of([3.0, 1.0, 2.5, 10.0])
    assert (spread.min, spread.median, spread.max) == (1.0, 2.75, 10.0)
    assert spread.text() == "1.00 / 2.75 / 10.00"
    assert spread.text(0) == "1 / 3 / 10"


def test_repeat_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench")
    harness.add_arguments(parser)
    assert parser.parse_args([]).repeat == 3
    with pytest.raises(SystemExit):
        parser.parse_args(["--repeat", "0"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "bench: error: argument --repeat: must be at least 1, got 0"
    )


def test_a_session_prints_the_machine_and_the_load_around_its_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with harness.session("a title", json_output=False):
        print("a row")
    title, machine, row, end = capsys.readouterr().out.splitlines()
    assert (title, row) == ("a title", "a row")
    assert " cores (" in machine and " GiB, Python 3." in machine
    assert machine.endswith(" at start") and "load average " in machine
    assert end.startswith("load average ") and end.endswith(" at end")


def test_a_session_in_json_gives_machine_load_and_results(
    capsys: pytest.CaptureFixture[str],
) -> None:
    measurement = harness.time_calls("nothing", lambda: None, 2)
    with harness.session("a title", json_output=True) as results:
        results.append(measurement.as_json())
    report = json.loads(capsys.readouterr().out)
    assert report["title"] == "a title"
    machine = report["machine"]
    assert machine["cpus"] >= 1 and machine["ram_gib"] > 0 and machine["python"].startswith("3.")
    assert len(machine["load_average_start"]) == len(machine["load_average_end"]) == 3
    (result,) = report["results"]
    assert result["name"] == "nothing" and result["runs"] == 2
    assert set(result["wall"]) == set(result["cpu"]) == {"min", "median", "max"}


def test_a_session_ends_a_failed_measurement_with_one_line() -> None:
    with (
        pytest.raises(SystemExit) as ended,
        harness.session("a title", json_output=True),
    ):
        harness.run_process(["no-such-benchmark-command"])
    assert ended.value.code == (
        "benchmark failed: no-such-benchmark-command exited with 127: "
        "no-such-benchmark-command: No such file or directory"
    )


def _benchmark_json(name: str, *options: str) -> dict:
    completed = subprocess.run(
        [PYTHON, str(REPO / "benchmarks" / name), *options, "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    return json.loads(completed.stdout)


def test_spec_validation_says_where_a_campaign_it_made_is_invalid(tmp_path: Path) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(
        "version: 1\ncampaign: bench\nmax_videos: 1\nproducts:\n"
        "  - url: https://shop.example.com/a\n    videos: [{name: short}]\n"
        "  - url: https://shop.example.com/b\n    videos: [{name: short}]\n"
    )
    step = [PYTHON, REPO / "benchmarks" / "spec_validation.py", "_step", spec, "validate"]
    with pytest.raises(harness.BenchmarkError) as failed:
        harness.run_process(step)
    assert str(failed.value) == (
        f"{PYTHON} {REPO}/benchmarks/spec_validation.py _step {spec} validate exited with 1: "
        f"{spec}:7:5: error: products[1]: the spec expands to more than 1 videos by here "
        "(max_videos); set a higher max_videos if that is meant"
    )


@pytest.mark.slow  # 14 processes
def test_spec_validation_measures_each_step_in_processes_of_its_own() -> None:
    report = _benchmark_json("spec_validation.py", "--products", "20", "--repeat", "2")
    steps = [(row["format"], row["step"]) for row in report["results"]]
    assert steps == [
        ("yaml", "parse"), ("yaml", "jsonschema"), ("yaml", "validate"),
        ("toml", "toml-positions"), ("toml", "parse"), ("toml", "jsonschema"), ("toml", "validate"),
    ]  # fmt: skip
    for row in report["results"]:
        process = row["process"]
        assert process["runs"] == 2
        assert process["wall"]["min"] <= process["wall"]["median"] <= process["wall"]["max"]
        assert row["step_wall"]["max"] < process["wall"]["max"]  # the step is part of it
        assert 10 < process["peak_mib"]["max"] < 150
    validate = report["results"][2]
    assert validate["count"] == 40  # 20 products, 2 videos each


@pytest.mark.slow  # renders a video
def test_commands_are_measured_as_whole_processes_and_the_rerun_sends_nothing() -> None:
    report = _benchmark_json("commands.py", "--repeat", "1")
    results = {result["name"]: result for result in report["results"]}
    assert list(results) == [
        "python -c pass (floor)",
        "import jogg_pipeline.cli (floor)",
        "validate 3 example specs",
        "plan, 1 video, fresh state",
        "run, 1 preview video, fresh state",
        "run again: nothing to do",
    ]
    made, again = results["run, 1 preview video, fresh state"], results["run again: nothing to do"]
    assert made["requests_sent_last_run"] >= 3 and again["requests_sent_last_run"] == 0
    floor = results["python -c pass (floor)"]
    assert floor["wall"]["max"] < made["wall"]["min"]
    assert floor["peak_mib"]["max"] < 40 < made["peak_mib"]["min"]
