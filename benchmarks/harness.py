"""One way to measure, shared by the benchmarks: repeated runs, min / median / max, CPU beside
wall, whole processes with their own peak memory, and the machine they ran on.

In-process, `time_calls` calls a function N times and times each call (wall and this process's
CPU). Whole processes, `time_process` runs a command N times, each in a fresh process measured
from outside: wall, CPU (user + system of the process and of the children it waited for) and
peak resident memory, the latter two from `os.wait4`'s rusage of that one process.

Each command runs as the child of a small launcher (`python -S -I`, about 9 MiB), which forks,
execs the command and waits for it. Linux keeps a process's `ru_maxrss` across fork and exec,
so a command started straight from a large parent starts with that parent's peak: from a
parent holding 300 MiB, `python -c pass` reads 311 MiB through `subprocess` and `os.wait4`
alike, against 10.5 MiB through the launcher. What the launcher passes on is the size of its
own forked copy, about 6.5 MiB (`true` reads that much): a smaller peak cannot be told apart.
The peak of a process tree is that of its largest process, not their sum.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024  # ru_maxrss unit: bytes on macOS

# Runs with -S -I so that it stays small: its size is the floor of every peak it reports.
LAUNCHER = """\
import os, sys, time
report, argv = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.close(report)
    try:
        os.execvp(argv[0], argv)
    except OSError as error:
        os.write(2, f"{argv[0]}: {error.strerror}\\n".encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
os.write(report, f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {code}".encode())
"""


class BenchmarkError(Exception):
    """A measured command failed: the benchmark's figures would mean nothing. The message
    names the command and its last error line; `stderr` keeps all it wrote there."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


@dataclass(frozen=True)
class Spread:
    """The min, median and max of repeated measurements."""

    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(min(values), statistics.median(values), max(values))

    def text(self, digits: int = 2) -> str:
        return f"{self.min:.{digits}f} / {self.median:.{digits}f} / {self.max:.{digits}f}"

    def as_json(self, digits: int = 4) -> dict[str, float]:
        return {
            "min": round(self.min, digits),
            "median": round(self.median, digits),
            "max": round(self.max, digits),
        }


@dataclass(frozen=True)
class Measurement:
    """One case measured `runs` times; `peak_mib` only for whole processes."""

    name: str
    runs: int
    wall: Spread
    cpu: Spread
    peak_mib: Spread | None = None

    def text(self) -> str:
        line = f"{self.wall.text()} s wall  {self.cpu.text()} s CPU"
        if self.peak_mib is not None:
            line += f"  {self.peak_mib.text(0)} MiB peak"
        return line

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "name": self.name,
            "runs": self.runs,
            "wall": self.wall.as_json(),
            "cpu": self.cpu.as_json(),
        }
        if self.peak_mib is not None:
            found["peak_mib"] = self.peak_mib.as_json(1)
        return found


@dataclass(frozen=True)
class ProcessRun:
    """One command in a process of its own, measured from outside it."""

    wall: float  # from its fork to the end of the wait for it
    cpu: float  # user + system, its own and its waited-for children's
    peak_mib: float  # the largest resident set among those processes
    stdout: str
    stderr: str


def time_calls(name: str, function: Callable[[], object], repeat: int) -> Measurement:
    """Call `function` `repeat` times in this process: wall and CPU (all its threads) per call."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return Measurement(name, repeat, Spread.of(walls), Spread.of(cpus))


def run_process(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> ProcessRun:
    """Run `command` once as the launcher's child; a failure raises BenchmarkError."""
    arguments = [str(part) for part in command]
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as report:
        try:
            launcher = subprocess.Popen(
                [sys.executable, "-S", "-I", "-c", LAUNCHER, str(write_end), *arguments],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                pass_fds=(write_end,),
            )
        finally:
            os.close(write_end)  # else the report never ends
        with launcher:
            stdout, stderr = launcher.communicate()
        wall, cpu, maxrss, code = report.read().decode().split()
    if int(code) != 0:
        lines = stderr.strip().splitlines()
        reason = f": {lines[-1]}" if lines else ""
        raise BenchmarkError(f"{shlex.join(arguments)} exited with {code}{reason}", stderr)
    return ProcessRun(float(wall), float(cpu), int(maxrss) * _MAXRSS_BYTES / MIB, stdout, stderr)


def time_process(
    name: str,
    command: Sequence[str | Path],
    repeat: int,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    prepare: Callable[[], object] | None = None,
) -> tuple[Measurement, list[ProcessRun]]:
    """Run `command` `repeat` times, each in a fresh process after `prepare()` (not timed)."""
    runs = []
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        runs.append(run_process(command, cwd=cwd, env=env))
    measurement = Measurement(
        name,
        repeat,
        Spread.of([run.wall for run in runs]),
        Spread.of([run.cpu for run in runs]),
        Spread.of([run.peak_mib for run in runs]),
    )
    return measurement, runs


def machine() -> dict[str, Any]:
    """The machine and the moment: cores, CPU model, RAM, Python, date, load average."""
    model = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else ""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor() or platform.machine(),
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_start": load_average(),
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def machine_line(info: Mapping[str, Any]) -> str:
    load = " ".join(f"{value:g}" for value in info["load_average_start"])
    return (
        f"{info['date']}  {info['cpus']} cores ({info['cpu_model']}), {info['ram_gib']:g} GiB, "
        f"Python {info['python']}, load average {load} at start"
    )


def repeat_count(text: str) -> int:
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count}")
    return count


def add_arguments(parser: argparse.ArgumentParser, repeat: int = 3) -> None:
    """The options every benchmark on the harness takes: --repeat and --json."""
    parser.add_argument(
        "--repeat", type=repeat_count, default=repeat, help=f"runs per case (default {repeat})"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


@contextlib.contextmanager
def session(title: str, json_output: bool) -> Iterator[list[dict[str, Any]]]:
    """Collects a benchmark's results between two readings of the load average; prints the
    machine line first (text) or everything at the end (JSON). The caller prints its rows."""
    info = machine()
    results: list[dict[str, Any]] = []
    if not json_output:
        print(title)
        print(machine_line(info), flush=True)
    try:
        yield results
    except BenchmarkError as error:
        raise SystemExit(f"benchmark failed: {error}") from None
    end = load_average()
    if json_output:
        report = {"title": title, "machine": {**info, "load_average_end": end}, "results": results}
        print(json.dumps(report, indent=2))
    else:
        print(f"load average {' '.join(f'{value:g}' for value in end)} at end")
