"""The commands as users meet them: whole processes through the installed package
(`python -m jogg_pipeline ...`), interpreter start and imports included.

Each case runs `--repeat` times in a fresh process (min / median / max wall, CPU of the process
and the workers it waited for, its largest process's peak memory), next to two floors: an
empty interpreter (`python -c pass`) and the import of the command line
(`python -c "import jogg_pipeline.cli"`). The cases: `validate` of the repository's example
specs; `plan` and `run` of a one-video campaign (one product page of `examples/pages`, a 15 s
portrait video) at `--quality preview` on the local engine, each run from a fresh state, so
it includes extraction, the engine's start and its render worker's; then the no-op re-run of
that finished campaign. Everything is written to a temporary folder.

    python benchmarks/commands.py [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import harness

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

SPEC = """\
version: 1
campaign: bench
defaults:
  video_length: 15
  aspect_ratio: portrait
products:
  - url: pages/happy-booster-blush.html
    key: blush
    videos:
      - name: short
"""


def example_specs() -> list[Path]:
    return sorted(path for path in EXAMPLES.iterdir() if path.suffix in (".yaml", ".toml"))


def requests_sent(state: Path) -> int:
    """The requests the latest run sent, from its record in the state."""
    latest = max((state / "runs" / "bench").glob("*.json"))
    return sum(json.loads(latest.read_text())["requests"]["sent"].values())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    harness.add_arguments(parser)
    args = parser.parse_args()
    title = f"jogg-pipeline commands as whole processes, {args.repeat} runs (min / median / max)"
    with harness.session(title, args.json) as results, tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        campaign = root / "campaign"
        shutil.copytree(EXAMPLES / "pages", campaign / "pages")
        spec = campaign / "bench.yaml"
        spec.write_text(SPEC, encoding="utf-8")
        state, manifests = root / "state", root / "results"
        folders: list[str | Path] = ["--state-dir", state, "--results", manifests]
        cli: list[str | Path] = [sys.executable, "-m", "jogg_pipeline"]
        run: list[str | Path] = [*cli, "run", spec, *folders, "--quality", "preview"]
        # No JOGG_ variable of the caller's may send the run elsewhere.
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("JOGG_")
        }

        def fresh_state() -> None:
            shutil.rmtree(state, ignore_errors=True)
            shutil.rmtree(manifests, ignore_errors=True)

        def measure(
            name: str, command: Sequence[str | Path], prepare: Callable[[], None] | None = None
        ) -> dict[str, Any]:
            measurement, _ = harness.time_process(
                name, command, args.repeat, cwd=root, env=environment, prepare=prepare
            )
            result = measurement.as_json()
            results.append(result)
            if not args.json:
                print(f"{name:36} {measurement.text()}", flush=True)
            return result

        specs = example_specs()
        measure("python -c pass (floor)", [sys.executable, "-c", "pass"])
        measure(
            "import jogg_pipeline.cli (floor)", [sys.executable, "-c", "import jogg_pipeline.cli"]
        )
        measure(f"validate {len(specs)} example specs", [*cli, "validate", *specs])
        measure("plan, 1 video, fresh state", [*cli, "plan", spec, *folders], fresh_state)
        made = measure("run, 1 preview video, fresh state", run, fresh_state)
        made["requests_sent_last_run"] = requests_sent(state)
        # The fresh run ended with its video made (else it exits 1): the same run again is a no-op.
        again = measure("run again: nothing to do", run)
        again["requests_sent_last_run"] = requests_sent(state)
        if not args.json:
            print(
                f"requests sent: {made['requests_sent_last_run']} by the last fresh run, "
                f"{again['requests_sent_last_run']} by the last re-run"
            )


if __name__ == "__main__":
    main()
