"""Requests the backend did not carry out stay pending and are sent again; a lost answer is never
declared "not made" unless the video list was read back to the request; a creation that timed
out is looked for while the backend may still be making it."""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from engine.engine_support import start_serve
from runs.run_kit import API_KEY, PAGES, make_campaign, server_counts
from support.faults import Fault, FaultyApp
from support.scripts import load_benchmark

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy, RetryPolicy
from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.decide import DecideOptions, decide
from jogg_pipeline.run.manifest import Where, build_manifest
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.spec.validate import load_campaign
from jogg_pipeline.state.records import VideoStatus
from jogg_pipeline.state.store import StateStore
from jogg_pipeline.wire.models import CreateVideoRequest, ProductCreateRequest

FAST_RETRIES = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05, total_seconds=5)
SCOPE = "engine-under-test"
ONE_VIDEO = (
    "version: 1\ncampaign: c\nproducts:\n  - url: pages/glass-kettle.html\n    key: kettle\n"
)


class RefusingTransport(httpx.AsyncBaseTransport):
    """A connection that cannot be opened, for the first `times` requests to `path`: what
    httpx meets when nothing listens."""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str, times: int) -> None:
        self.inner, self.path, self.left = inner, path, times

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path and self.left > 0:
            self.left -= 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def run_once(root: Path, campaign, wrap) -> tuple[dict, Runner]:
    """One run of the campaign on an in-process engine whose transport `wrap` may change."""
    config = EngineConfig(
        data_dir=root / "engine",
        api_keys=(API_KEY,),
        quality="preview",
        allowed_file_roots=(campaign.folder,),
    )
    plan = load_campaign(campaign.spec)
    state = StateStore(root / "state.sqlite3")
    try:
        async with LocalEngine(config) as engine:
            transport = wrap(httpx.ASGITransport(app=engine.app))
            async with JoggClient(
                "http://engine/v1", API_KEY, transport=transport, post_rate=None,
                poll=PollPolicy.local(), retries=FAST_RETRIES, timeout=5,
            ) as client:  # fmt: skip
                runner = Runner(plan, Backend("local", client, SCOPE), state, RunOptions())
                await runner.run()
        return build_manifest(plan, state, backend="local", scope=SCOPE, where=Where(root)), runner
    finally:
        state.close()


def test_a_rate_limited_request_stays_pending_and_the_next_run_sends_it(tmp_path) -> None:
    campaign = make_campaign(tmp_path, ONE_VIDEO)
    refused = [Fault.rate_limited(0.01)] * 5  # more than the retries

    def limiting(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        app = FaultyApp(inner.app, schedule={"POST /v1/create_video_from_url": refused})  # type: ignore[attr-defined]
        return httpx.ASGITransport(app=app)

    manifest, runner = asyncio.run(run_once(tmp_path, campaign, limiting))
    video = manifest["videos"][0]
    assert video["status"] == "pending"
    assert video["error"]["code"] == 429
    assert video["error"]["msg"].endswith(
        "; it was not carried out, and the next run sends it again"
    )
    assert (runner.counts.refused, runner.counts.failures) == (1, 0)

    state = StateStore(tmp_path / "state.sqlite3")
    decided = decide(load_campaign(campaign.spec), state, SCOPE, DecideOptions())
    assert decided.videos[0].action == "create video"
    assert decided.videos[0].reason.startswith("not carried out last time (")
    row = state.video(SCOPE, decided.videos[0].content_key)
    assert row is not None and row.status == VideoStatus.REFUSED
    state.close()

    manifest, runner = asyncio.run(run_once(tmp_path, campaign, lambda inner: inner))
    assert manifest["videos"][0]["status"] == "success"
    assert runner.counts.videos_requested == 1


def test_a_connection_that_never_opened_is_not_a_failure(tmp_path) -> None:
    campaign = make_campaign(tmp_path, ONE_VIDEO)

    def refusing(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        return RefusingTransport(inner, "/v1/create_video_from_url", times=10)

    manifest, _ = asyncio.run(run_once(tmp_path, campaign, refusing))
    video = manifest["videos"][0]
    assert (video["status"], video["error"]["code"]) == ("pending", "transport")
    assert "Connection refused" in video["error"]["msg"]
    assert manifest["summary"] == {"success": 0, "failed": 0, "pending": 1}

    # A product whose creation was refused: its videos are pending too, not failed.
    other = make_campaign(tmp_path / "other", ONE_VIDEO)

    def refusing_products(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        return RefusingTransport(inner, "/v1/product", times=10)

    manifest, runner = asyncio.run(run_once(tmp_path / "other", other, refusing_products))
    assert manifest["videos"][0]["status"] == "pending"
    assert runner.counts.refused == 1


def test_a_bad_request_is_a_failure(tmp_path) -> None:
    campaign = make_campaign(tmp_path, ONE_VIDEO)

    def rejecting(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        app = FaultyApp(
            inner.app, schedule={"POST /v1/create_video_from_url": [Fault.error(40000)]}
        )  # type: ignore[attr-defined]
        return httpx.ASGITransport(app=app)

    manifest, _ = asyncio.run(run_once(tmp_path, campaign, rejecting))
    assert (manifest["videos"][0]["status"], manifest["videos"][0]["error"]["code"]) == (
        "failed",
        40000,
    )


def _bench_server() -> ModuleType:
    """The benchmark's JoggAI-compatible server (no rendering), to hold many videos."""
    return load_benchmark("bench_server.py", "bench_server")


async def lost_answer_among_many(tmp_path: Path, newer: int, lookup_pages: int) -> Runner:
    """A video whose request was sent an hour ago and whose answer was lost, then `newer`
    other videos made since; a run looks for it."""
    bench = _bench_server()
    app = bench.build_app(bench.BenchSettings(api_key=API_KEY))
    campaign = make_campaign(
        tmp_path, ONE_VIDEO.replace("pages/glass-kettle.html", "https://shop.example.com/k")
    )
    plan = load_campaign(campaign.spec)
    state = StateStore(tmp_path / "state.sqlite3")
    async with JoggClient(
        "http://bench/v1", API_KEY, transport=httpx.ASGITransport(app=app), post_rate=None,
        poll=PollPolicy.local(), retries=FAST_RETRIES,
    ) as client:  # fmt: skip
        product = await client.create_product(ProductCreateRequest(url=plan.products[0].fetch_url))
        extracted = product.model_dump(mode="json", exclude_none=True)
        state.adopt_product(SCOPE, "c", "kettle", plan.products[0].fetch_url, extracted, None)
        video = decide(plan, state, SCOPE, DecideOptions()).videos[0]
        assert video.request is not None and video.content_key is not None
        await client.create_video(CreateVideoRequest.model_validate(video.request))  # made...
        state.adopt_video(  # ...but the state knows only that it was sent, an hour ago
            SCOPE, video.content_key, video.request, video.content, status=VideoStatus.REQUESTING,
            project_id=None, requested_at=time.time() - 3600,
        )  # fmt: skip
        other = {**video.request, "video_name": "another campaign's video"}
        for _ in range(newer):
            await client.create_video(CreateVideoRequest.model_validate(other))
        runner = Runner(
            plan,
            Backend("jogg", client, SCOPE),
            state,
            RunOptions(wait=0, lookup_pages=lookup_pages),
        )
        await runner.run()
    runner.final_status = state.video(SCOPE, video.content_key).status  # type: ignore[attr-defined]
    state.close()
    return runner


def test_a_lost_answer_is_found_behind_many_newer_videos(tmp_path) -> None:
    runner = asyncio.run(lost_answer_among_many(tmp_path, newer=600, lookup_pages=50))
    assert runner.counts.videos_reconciled == 1
    assert runner.counts.videos_requested == 0
    assert runner.final_status == VideoStatus.SUCCESS


def test_a_list_not_read_back_to_the_request_leaves_it_in_doubt(tmp_path) -> None:
    runner = asyncio.run(lost_answer_among_many(tmp_path, newer=250, lookup_pages=2))
    assert runner.counts.in_doubt == 1
    assert runner.counts.videos_requested == 0  # never "not made" on what was not read
    assert runner.final_status == VideoStatus.REQUESTING


class SlowPages(http.server.ThreadingHTTPServer):
    """A shop on loopback whose product page takes `delay` seconds to come."""

    def __init__(self, delay: float) -> None:
        pages = PAGES

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=str(pages), **kwargs)

            def do_GET(self) -> None:
                if self.path.endswith(".html"):
                    time.sleep(delay)
                super().do_GET()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.mark.slow
def test_a_product_still_being_made_when_its_answer_timed_out_is_found(tmp_path) -> None:
    shop = SlowPages(delay=4.0)  # longer than the client waits: 1.5 s, and as long to connect
    served = start_serve(tmp_path / "engine", "--api-key", API_KEY, "--allow-private-urls")
    url = f"http://127.0.0.1:{shop.server_address[1]}/glass-kettle.html"
    campaign = make_campaign(tmp_path, ONE_VIDEO.replace("pages/glass-kettle.html", url))
    plan = load_campaign(campaign.spec)
    state = StateStore(tmp_path / "state.sqlite3")

    async def run() -> Runner:
        async with JoggClient(
            served.api_url, API_KEY, post_rate=None, poll=PollPolicy.local(),
            retries=FAST_RETRIES, timeout=1.5,
        ) as client:  # fmt: skip
            runner = Runner(plan, Backend("local", client, SCOPE), state, RunOptions(wait=0))
            await runner.run()
            return runner

    try:
        runner = asyncio.run(run())
    finally:
        served.stop()
        shop.shutdown()
    assert runner.client.stats.sent["POST /product"] == 1
    assert (runner.counts.products_created, runner.counts.products_reconciled) == (0, 1)
    assert runner.counts.videos_requested == 1
    assert server_counts(served.data_dir)["products"] == 1
    state.close()
