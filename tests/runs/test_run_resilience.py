"""Runs that meet a faulty network or are killed mid-way end as a clean run does, and never
request a video twice."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from runs.run_kit import (
    API_KEY,
    Campaign,
    make_campaign,
    run_cli,
    run_command,
    server_counts,
)
from support.faults import RANDOM_FAULTS, Fault, FaultyApp

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy, RetryPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.manifest import Where, build_manifest
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.validate import load_campaign
from jogg_pipeline.state.store import StateStore

pytestmark = pytest.mark.slow  # whole campaigns rendered, a server in a subprocess

FAST_RETRIES = RetryPolicy(attempts=10, base_delay=0.01, max_delay=0.2, total_seconds=60)
TIMEOUT = 1.0  # seconds a try may take (plus as long again to connect)
# Every kind of fault, before and after the engine acts, and answers later than the timeout.
FAULTS = (*RANDOM_FAULTS, Fault.delay(2.5), Fault.delay(2.5, after=True))
IDS = ("product_id", "project_id", "video_url", "cover_url")


def comparable(manifest: dict) -> dict:
    """A manifest with the ids each engine makes up replaced by what they stand for."""
    videos = [
        {k: (bool(v) if k in IDS else v) for k, v in video.items()} for video in manifest["videos"]
    ]
    products = {
        key: {k: (bool(v) if k in IDS else v) for k, v in product.items()}
        for key, product in manifest["products"].items()
    }
    return {**manifest, "videos": videos, "products": products}


async def run_in_process(root: Path, campaign, fault_rate: float, seed: int) -> tuple[dict, Path]:
    plan = load_campaign(campaign.spec)
    data_dir = root / "engine"
    config = EngineConfig(
        data_dir=data_dir,
        api_keys=(API_KEY,),
        quality="preview",
        workers=2,
        allowed_file_roots=(campaign.folder,),
    )
    state = StateStore(root / "state.sqlite3")
    try:
        async with LocalEngine(config) as engine:
            app = FaultyApp(
                engine.app,
                rate=fault_rate,
                seed=seed,
                eligible=lambda method, path: path.startswith(("/v1/", "/v2/")),
            )
            async with JoggClient(
                "http://engine/v1",
                API_KEY,
                transport=httpx.ASGITransport(app=app),
                post_rate=None,
                poll=PollPolicy.local(),
                retries=FAST_RETRIES,
                timeout=10,
            ) as client:
                backend = Backend("local", client, "engine-under-test")
                await Runner(plan, backend, state, RunOptions()).run()
            if fault_rate:
                assert app.injected, "the fault plan injected nothing"
        where = Where(root)
        return (
            build_manifest(plan, state, backend="local", scope="engine-under-test", where=where),
            data_dir,
        )
    finally:
        state.close()


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Campaign, dict]:
    """The campaign and its manifest without faults: the same whatever the seed, so made once
    for the seeds (grouped on one xdist worker) that compare with it."""
    root = tmp_path_factory.mktemp("resilience")
    campaign = make_campaign(root)
    clean, _ = asyncio.run(run_in_process(root / "clean", campaign, 0.0, seed=0))
    return campaign, clean


@pytest.mark.xdist_group("resilience-faults")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_faults_on_a_fifth_of_the_calls_end_in_the_clean_manifest(
    tmp_path, seed, clean_run
) -> None:
    campaign, clean = clean_run
    faulty, data_dir = asyncio.run(run_in_process(tmp_path / "faulty", campaign, 0.2, seed))
    assert clean["summary"] == {"success": 4, "failed": 0, "pending": 0}
    assert comparable(faulty) == comparable(clean)
    assert server_counts(data_dir) == {"products": 2, "videos": 4, "duplicate_requests": 0}


def test_a_run_killed_at_random_moments_resumes_to_completion(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    rng = random.Random(7)
    command, environment = run_command(campaign, "--quiet", base_url=served.api_url)
    kills = 0
    for _ in range(12):
        process = subprocess.Popen(
            command,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        time.sleep(rng.uniform(0.3, 1.6))  # start-up takes about half a second
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
    assert kills >= 6

    final = run_cli(campaign, base_url=served.api_url)
    assert final.returncode == 0, final.stderr
    assert campaign.manifest_json()["summary"] == {"success": 4, "failed": 0, "pending": 0}
    counts = server_counts(served.data_dir)
    assert counts["duplicate_requests"] == 0
    assert counts["videos"] == 4
    assert counts["products"] == 2


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path, served) -> None:
    campaign = make_campaign(tmp_path)
    command, environment = run_command(campaign, base_url=served.api_url)
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=tmp_path,
    )  # fmt: skip
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # interrupt once the first videos are requested
        seen.append(line)
        if "video requested" in line:
            break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    err = "".join(seen) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.rstrip().endswith(
        "jogg-pipeline: interrupted; the next run continues where this one stopped"
    )
    assert campaign.manifest.exists()  # what was known when it stopped

    final = run_cli(campaign, base_url=served.api_url)
    assert final.returncode == 0, final.stderr
    assert campaign.manifest_json()["summary"] == {"success": 4, "failed": 0, "pending": 0}
    assert server_counts(served.data_dir)["duplicate_requests"] == 0
