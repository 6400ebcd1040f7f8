"""The long suite: a campaign of hundreds of videos against `jogg-pipeline serve`, its runner
killed with SIGKILL at random moments and the server killed and started again, ends as a clean
run does, with every video requested once (counted in the server's own database)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from runs.run_kit import run_command, run_process, server_counts
from runs.test_run_resilience import comparable
from soak.soak_kit import Deadline, Server, make_soak_campaign, report, setting, start_run

# The suite's minimums; JOGG_SOAK_* variables change them for a quick try of the suite itself.
VIDEOS = setting("VIDEOS", 200)  # videos of the campaign
RUNNER_KILLS = setting("RUNNER_KILLS", 50)  # SIGKILLs of `run`
SERVER_KILLS = setting("SERVER_KILLS", 10)  # SIGKILLs of `serve`, each started again
WORKERS = 2  # render workers of `serve`: one a core
SEED = setting("SEED", 8)
DEADLINE = 40 * 60  # seconds the whole test may take


@pytest.mark.soak
@pytest.mark.timeout(DEADLINE + 60)
def test_runner_and_server_killed_at_random_end_in_the_clean_manifest(tmp_path: Path) -> None:
    deadline = Deadline(DEADLINE)
    rng = random.Random(SEED)
    products = -(-VIDEOS // 4)

    clean_campaign = make_soak_campaign(tmp_path / "clean", VIDEOS)
    clean_server = Server(tmp_path / "clean" / "engine", clean_campaign.folder, WORKERS)
    clean_server.start()
    try:
        started = time.monotonic()
        clean_run = run_process(
            clean_campaign, base_url=clean_server.api_url, timeout=deadline.left()
        )
        clean_seconds = time.monotonic() - started
    finally:
        clean_server.stop()
    assert clean_run.returncode == 0, clean_run.stderr
    clean = clean_campaign.manifest_json()
    assert clean["summary"] == {"success": VIDEOS, "failed": 0, "pending": 0}

    campaign = make_soak_campaign(tmp_path / "killed", VIDEOS)
    # The clean run's port: the engine's media URLs in the manifest name its address.
    server = Server(tmp_path / "killed" / "engine", campaign.folder, WORKERS, clean_server.port)
    server.start()
    command, environment = run_command(campaign, "--quiet", base_url=server.api_url)
    # The cycles in which the server dies too, spread over the whole campaign.
    server_cycles = set(rng.sample(range(RUNNER_KILLS), SERVER_KILLS))
    runner_kills = runs_ended = 0
    try:
        cycle = 0
        while runner_kills < RUNNER_KILLS:
            deadline.left()
            process = start_run(command, environment, campaign.folder.parent)
            if cycle in server_cycles:
                time.sleep(rng.uniform(0.3, 3.0))
                server.kill()
                time.sleep(rng.uniform(0.1, 2.0))  # the runner meets a closed port meanwhile
                server.start()
            time.sleep(rng.uniform(0.3, 3.0))  # start-up takes about half a second
            if process.poll() is None:
                process.kill()
                runner_kills += 1
            else:
                runs_ended += 1  # it finished (or gave up for now) before the kill
            process.wait(timeout=deadline.left())
            cycle += 1
        final = run_process(campaign, base_url=server.api_url, timeout=deadline.left())
    finally:
        server.stop()

    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr
    manifest = campaign.manifest_json()
    assert manifest["summary"] == {"success": VIDEOS, "failed": 0, "pending": 0}
    assert comparable(manifest) == comparable(clean)
    counts = server_counts(server.data_dir)
    assert counts == {"products": products, "videos": VIDEOS, "duplicate_requests": 0}
    report(
        tmp_path,
        {
            "test": "kills",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "videos": VIDEOS,
            "products": products,
            "runner_kills": runner_kills,
            "runs_that_ended_before_their_kill": runs_ended,
            "server_kills": server.kills,
            "server_counts": counts,
            "clean_run_seconds": round(clean_seconds, 1),
            "wall_seconds": round(deadline.elapsed(), 1),
        },
    )
    assert runner_kills >= RUNNER_KILLS and server.kills == SERVER_KILLS
