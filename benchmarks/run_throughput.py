"""Benchmark of the runner (`jogg-pipeline run`) against the benchmark server (bench_server.py).

The server runs in its own process, on 127.0.0.1 over real HTTP (uvicorn), for every measurement;
each run of the runner is a fresh subprocess that measures itself (wall, CPU, peak RSS).

1. Wall time against its lower bound: P products x V variants, an override on every product (so
   every product gets a PUT), the server at LATENCY per request, enforcing a POST limit scaled
   down from the cloud's 20 per 60 s to 20 per WINDOW s; renders take RENDER s and the runner
   polls on the cloud's poll policy scaled by the same factor. The bound is the least time the
   POST limit allows for the POSTs (what the API counts; the server here counts them alone)
   plus one POST and one GET latency and the render of the last video.
2. The same server against a plain sequential script doing the walkthrough's four steps per
   video with httpx (POST product, PUT product, POST create_video_from_url, GET project every
   POLL s), sleeping when told 429: the runner's speedup.
3. CPU per video and peak RSS for a large campaign (2,500 x 4 = 10,000 videos by default), no
   POST limit, ~1 ms latency, instant renders.
4. A no-op second run on the state of 3: wall, CPU, requests sent (there should be none).
5. The state of 3 deleted, then a run: it rebuilds the state from the manifest, checking each
   product and project with the server (one GET a video), and sends no POST.

    /work/venv/bin/python benchmarks/run_throughput.py [--json] [--bulk-products 2500] ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.retry import PollPolicy
from jogg_pipeline.quantities import Rate
from jogg_pipeline.run.adoption import manifest_path, read_manifest
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.manifest import Where
from jogg_pipeline.run.runner import Runner, RunOptions
from jogg_pipeline.run.session import write_results
from jogg_pipeline.spec.convert import dump
from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.spec.validate import load_campaign
from jogg_pipeline.state.store import StateStore
from jogg_pipeline.wire.enums import LANGUAGES, STATUS_DELETED, STATUS_FAILED, STATUS_SUCCESS

HERE = Path(__file__).resolve().parent
SERVER_SCRIPT = HERE / "bench_server.py"
API_KEY = "bench-key"
SCOPE = "bench"
CAMPAIGN = "bench"
DISCOUNT = 20
CLOUD_WINDOW = 60.0  # the cloud's POST window (s); the benchmark scales time down from it
LIMITED_ROUTES = ("POST /v1/product", "PUT /v1/product", "POST /v1/create_video_from_url")
POST_ROUTES = ("POST /v1/product", "POST /v1/create_video_from_url")


# --- the campaign ----------------------------------------------------------------------------


def write_spec(folder: Path, products: int, variants: int) -> Path:
    """A campaign of `products` pages x `variants` languages, with a name override on each."""
    if not 1 <= variants <= len(LANGUAGES):
        raise SystemExit(f"run_throughput: variants must be between 1 and {len(LANGUAGES)}")
    data = {
        "version": 1,
        "campaign": CAMPAIGN,
        "backend": "jogg",
        "vars": {"discount": DISCOUNT},
        "defaults": {"video_length": 15, "aspect_ratio": "portrait"},
        "matrix": {"language": list(LANGUAGES)[:variants]},
        "products": [
            {
                "url": f"https://shop.example.com/products/item-{n}",
                "key": f"item-{n}",
                "overrides": {"name": "{{ product.name }} – {{ vars.discount }}% off"},
            }
            for n in range(products)
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{CAMPAIGN}-{products}x{variants}.yaml"
    path.write_text(dump(data, "yaml"), encoding="utf-8")
    return path


def scaled_poll(scale: float) -> PollPolicy:
    """The cloud's poll policy with every wait multiplied by `scale`."""
    cloud = PollPolicy.cloud()
    return PollPolicy(
        first=cloud.first * scale,
        longest=cloud.longest * scale,
        factor=cloud.factor,
        shortest=cloud.shortest * scale,
    )


# --- the benchmark server, in its own process --------------------------------------------------


@dataclass(frozen=True)
class Served:
    url: str

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/bench/stats", timeout=30).json()


@contextlib.contextmanager
def bench_server(latency: float, render: float, limit: Rate | None) -> Iterator[Served]:
    limit_arg = f"{limit.requests}/{limit.per_seconds:g}" if limit else "none"
    command = [
        sys.executable,
        str(SERVER_SCRIPT),
        "--latency",
        f"{latency}",
        "--render",
        f"{render}",
        "--post-limit",
        limit_arg,
        "--api-key",
        API_KEY,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise SystemExit("run_throughput: the benchmark server did not start")
        yield Served(url)
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- one run of the runner, in a fresh process ------------------------------------------------


def _usage() -> tuple[float, int]:
    """(user + system CPU seconds, peak RSS in KiB) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


async def _drive(plan: ExpandedCampaign, args: argparse.Namespace) -> dict[str, Any]:
    limit = parse_limit(args.post_limit)
    poll = PollPolicy.local() if args.poll_scale <= 0 else scaled_poll(args.poll_scale)
    state = StateStore(Path(args.state))
    where = Where(Path(args.state).parent)
    results = Path(args.state).parent / "results"

    def checkpoint() -> None:  # as `run` does: the manifest names each product once created
        write_results(plan, state, SCOPE, results, None, where)

    try:
        async with JoggClient(args.base_url, API_KEY, post_rate=limit, poll=poll) as client:
            runner = Runner(
                plan,
                Backend("jogg", client, SCOPE),
                state,
                RunOptions(args.concurrency),
                manifest=read_manifest(manifest_path(results, plan.campaign)),
                checkpoint=checkpoint,
            )
            cpu_before, _ = _usage()
            started = time.monotonic()
            await runner.run()
            ended = time.monotonic()
            cpu_after, peak = _usage()
        summary = write_results(plan, state, SCOPE, results, None, where).summary
    finally:
        state.close()
    return {
        "started": started,
        "ended": ended,
        "wall": ended - started,
        "cpu": cpu_after - cpu_before,
        "peak_rss_kib": peak,
        "client": client.stats.as_dict(),
        "counts": vars(runner.counts),
        "summary": summary,
    }


def child(args: argparse.Namespace) -> None:
    """One run of the runner; prints what it measured as one JSON line."""
    cpu_start, _ = _usage()
    plan = load_campaign(Path(args.spec))
    cpu_loaded, peak_loaded = _usage()
    result = asyncio.run(_drive(plan, args))
    result["plan_cpu"] = cpu_loaded - cpu_start
    result["peak_rss_before_run_kib"] = peak_loaded
    result["videos"] = len(plan.videos)
    print(json.dumps(result))


def run_runner(
    spec: Path,
    state: Path,
    served: Served,
    *,
    concurrency: int,
    limit: Rate | None,
    poll_scale: float,
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_child",
        "--spec",
        str(spec),
        "--state",
        str(state),
        "--base-url",
        f"{served.url}/v1",
        "--concurrency",
        str(concurrency),
        "--post-limit",
        f"{limit.requests}/{limit.per_seconds:g}" if limit else "none",
        "--poll-scale",
        f"{poll_scale}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run_throughput: the runner's process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the sequential script a user would write --------------------------------------------------


def sequential_walkthrough(
    base_url: str, plan: ExpandedCampaign, poll_every: float
) -> dict[str, Any]:
    """The walkthrough's four steps for each video, one video after another."""
    products = {p.key: p for p in plan.products}
    waited_for_limit = 0.0

    with httpx.Client(base_url=base_url, headers={"x-api-key": API_KEY}, timeout=30) as http:

        def call(method: str, path: str, **kwargs: Any) -> Any:
            nonlocal waited_for_limit
            while True:
                response = http.request(method, path, **kwargs)
                answer = response.json()
                if answer["code"] == 429:  # told to slow down: sleep, then send it again
                    pause = float(response.headers.get("retry-after") or 1)
                    waited_for_limit += pause
                    time.sleep(pause)
                    continue
                if answer["code"] != 0:
                    raise SystemExit(f"sequential script: {method} {path}: {answer['msg']}")
                return answer["data"]

        started = time.monotonic()
        for video in plan.videos:
            page = products[video.product_key]
            product = call("POST", "/product", json={"url": page.fetch_url})
            name = f"{product['name']} – {DISCOUNT}% off"
            call("PUT", "/product", json={"product_id": product["product_id"], "name": name})
            body = {**video.settings, "product_id": product["product_id"]}
            body["video_name"] = f"{CAMPAIGN} {video.id}"
            project_id = call("POST", "/create_video_from_url", json=body)["project_id"]
            while True:
                info = call("GET", "/project", params={"project_id": project_id})
                if info["status_code"] in (STATUS_SUCCESS, STATUS_FAILED, STATUS_DELETED):
                    break
                time.sleep(poll_every)
        ended = time.monotonic()
    return {"wall": ended - started, "waited_for_limit": waited_for_limit}


# --- the measurements ------------------------------------------------------------------------


def sent_by_route(stats: dict[str, Any], routes: tuple[str, ...]) -> int:
    return sum(stats["received"].get(route, 0) for route in routes)


def measure_bound(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One run of measurement 1, in its own folder."""
    limit = Rate(args.limit_requests, args.window)
    spec = write_spec(folder / "bound", args.products, args.variants)
    with bench_server(args.latency, args.render, limit) as served:
        run = run_runner(
            spec,
            folder / "bound" / "state.sqlite3",
            served,
            concurrency=args.concurrency,
            limit=limit,
            poll_scale=args.window / CLOUD_WINDOW,
        )
        stats = served.stats()
    limited = sent_by_route(stats, LIMITED_ROUTES)
    posts = sent_by_route(stats, POST_ROUTES)
    tail = 2 * args.latency + args.render
    # What the API limits is POSTs: the bound counts them alone.
    bound = limit.minimum_time(posts) + tail
    last_limited = max(stats["last_seen"][route] for route in POST_ROUTES)
    first_limited = min(stats["first_seen"][route] for route in POST_ROUTES)
    arrivals = sorted(stats["limited_arrivals"])
    spans = [b - a for a, b in zip(arrivals, arrivals[limit.requests :], strict=False)]
    return {
        "videos": run["videos"],
        "limit": f"{limit.requests} per {limit.per_seconds:g} s",
        # request i to request i + limit.requests: the limit allows exactly its window
        "window_span_mean": sum(spans) / len(spans) if spans else None,
        "window_span_min": min(spans) if spans else None,
        "limited_requests": limited,
        "posts": posts,
        "wall": run["wall"],
        "bound": bound,
        "ratio": run["wall"] / bound,
        "bound_with_puts": limit.minimum_time(limited) + tail,
        "first_video_request": stats["first_seen"]["POST /v1/create_video_from_url"]
        - run["started"],
        "phases": {
            "start_to_first_limited": first_limited - run["started"],
            "limited_span": last_limited - first_limited,
            "limited_span_bound": limit.minimum_time(posts),
            "last_limited_to_end": run["ended"] - last_limited,
            "tail_bound": tail,
        },
        "rate_limited": stats["rate_limited"],
        "most_posts_in_window": stats["most_posts_in_window"],
        "received": stats["received"],
        "client": run["client"],
        "summary": run["summary"],
    }


def measure_speedup(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    limit = Rate(args.limit_requests, args.window)
    scale = args.window / CLOUD_WINDOW
    spec = write_spec(folder / "speedup", args.seq_products, args.seq_variants)
    plan = load_campaign(spec)
    with bench_server(args.latency, args.render, limit) as served:
        run = run_runner(
            spec,
            folder / "speedup" / "state.sqlite3",
            served,
            concurrency=args.concurrency,
            limit=limit,
            poll_scale=scale,
        )
    poll_every = PollPolicy.cloud().first * scale
    with bench_server(args.latency, args.render, limit) as served:
        sequential = sequential_walkthrough(f"{served.url}/v1", plan, poll_every)
        stats = served.stats()
    return {
        "videos": len(plan.videos),
        "runner_wall": run["wall"],
        "sequential_wall": sequential["wall"],
        "speedup": sequential["wall"] / run["wall"],
        "sequential_poll_every": poll_every,
        "sequential_received": stats["received"],
        "sequential_rate_limited": stats["rate_limited"],
        "runner_summary": run["summary"],
    }


def _received_since(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        route: count - before.get(route, 0)
        for route, count in after.items()
        if count - before.get(route, 0)
    }


def measure_bulk(
    folder: Path, args: argparse.Namespace
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    spec = write_spec(folder / "bulk", args.bulk_products, args.bulk_variants)
    state = folder / "bulk" / "state.sqlite3"
    with bench_server(args.bulk_latency, 0.0, None) as served:
        first = run_runner(
            spec, state, served, concurrency=args.concurrency, limit=None, poll_scale=0
        )
        after_first = served.stats()["received"]
        second = run_runner(
            spec, state, served, concurrency=args.concurrency, limit=None, poll_scale=0
        )
        after_second = served.stats()["received"]
        for lost in state.parent.glob(f"{state.name}*"):  # the database, its WAL and index
            lost.unlink()
        third = run_runner(
            spec, state, served, concurrency=args.concurrency, limit=None, poll_scale=0
        )
        after_third = served.stats()["received"]
    second_received = _received_since(after_first, after_second)
    third_received = _received_since(after_second, after_third)
    videos = first["videos"]
    bulk = {
        "videos": videos,
        "wall": first["wall"],
        "cpu": first["cpu"],
        "cpu_per_video_ms": first["cpu"] / videos * 1000,
        "plan_cpu": first["plan_cpu"],
        "peak_rss_mib": first["peak_rss_kib"] / 1024,
        "peak_rss_before_run_mib": first["peak_rss_before_run_kib"] / 1024,
        "received": after_first,
        "requests": sum(after_first.values()),
        "summary": first["summary"],
    }
    rerun = {
        "videos": videos,
        "wall": second["wall"],
        "cpu": second["cpu"],
        "plan_cpu": second["plan_cpu"],
        "peak_rss_mib": second["peak_rss_kib"] / 1024,
        "received": second_received,
        "requests": sum(second_received.values()),
        "posts": sent_by_route({"received": second_received}, LIMITED_ROUTES),
        "summary": second["summary"],
    }
    rebuild = {
        "videos": videos,
        "wall": third["wall"],
        "cpu": third["cpu"],
        "peak_rss_mib": third["peak_rss_kib"] / 1024,
        "received": third_received,
        "requests": sum(third_received.values()),
        "posts": sent_by_route({"received": third_received}, LIMITED_ROUTES),
        "rebuilt_videos": third["counts"]["rebuilt_videos"],
        "summary": third["summary"],
    }
    return bulk, rerun, rebuild


# --- output ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def table(results: dict[str, Any], args: argparse.Namespace) -> str:
    m = results["machine"]
    lines = [
        f"Runner benchmark, {m['date']}, {m['cores']} cores, Python {m['python']}, {m['platform']}",
        f"benchmark server in its own process on 127.0.0.1 (uvicorn); runner concurrency "
        f"{args.concurrency}; every run in a fresh process",
        "",
        "| measurement | result |",
        "| --- | --- |",
    ]
    if "bound" in results:
        b = results["bound"]
        p = b["phases"]
        walls = _min_median_max(b["walls"])
        bound = b["bound"]
        lines += [
            f"| 1. {b['videos']} videos ({args.products} products x {args.variants} variants), "
            f"POST limit {b['limit']} (cloud: 20 per 60 s), {args.latency * 1000:g} ms latency, "
            f"{args.render:g} s renders; {len(b['walls'])} runs | min / median / max "
            f"{' / '.join(f'{wall:.2f}' for wall in walls)} s against the POST-only bound of "
            f"{bound:.2f} s: ratio {' / '.join(f'{wall / bound:.3f}' for wall in walls)} |",
            "| ... the median run: |  |",
            f"| ... POSTs / PUTs (the API limits POSTs) | {b['posts']} / "
            f"{b['limited_requests'] - b['posts']}; the bound if PUTs were counted too "
            f"{b['bound_with_puts']:.2f} s; first video requested after "
            f"{b['first_video_request']:.2f} s |",
            f"| ... phases: start to first limited / limited span (bound) / last limited to end "
            f"(bound) | {p['start_to_first_limited']:.2f} s / {p['limited_span']:.2f} s "
            f"({p['limited_span_bound']:.2f} s) / {p['last_limited_to_end']:.2f} s "
            f"({p['tail_bound']:.2f} s) |",
            f"| ... 429s met; most POSTs in any window | {b['rate_limited']}; "
            f"{b['most_posts_in_window']} |",
            f"| ... limited request n to n + {args.limit_requests}: mean / least (the limit "
            f"allows {args.window:g} s) | {b['window_span_mean']:.3f} s / "
            f"{b['window_span_min']:.3f} s |",
        ]
    if "speedup" in results:
        s = results["speedup"]
        lines.append(
            f"| 2. {s['videos']} videos, same server: runner vs sequential walkthrough script "
            f"(polls every {s['sequential_poll_every']:.3g} s) | {s['runner_wall']:.2f} s vs "
            f"{s['sequential_wall']:.2f} s: speedup {s['speedup']:.1f}x |"
        )
    if "bulk" in results:
        k = results["bulk"]
        lines += [
            f"| 3. {k['videos']} videos ({args.bulk_products} x {args.bulk_variants}), no limit, "
            f"{args.bulk_latency * 1000:g} ms latency, instant renders | {k['wall']:.1f} s wall, "
            f"{k['cpu']:.1f} s CPU = {k['cpu_per_video_ms']:.2f} ms CPU per video; peak RSS "
            f"{k['peak_rss_mib']:.0f} MiB ({k['peak_rss_before_run_mib']:.0f} MiB with the plan "
            f"loaded, before the run); {k['requests']} requests |",
        ]
    if "rerun" in results:
        r = results["rerun"]
        lines.append(
            f"| 4. no-op re-run of the {r['videos']} finished videos | {r['wall']:.2f} s wall, "
            f"{r['cpu']:.2f} s CPU (+ {r['plan_cpu']:.2f} s loading the spec), peak RSS "
            f"{r['peak_rss_mib']:.0f} MiB; {r['requests']} requests, {r['posts']} POST/PUT |"
        )
    if "rebuild" in results:
        r = results["rebuild"]
        lines.append(
            f"| 5. the same with the state deleted: rebuilt from the manifest | {r['wall']:.2f} s "
            f"wall, {r['cpu']:.2f} s CPU, peak RSS {r['peak_rss_mib']:.0f} MiB; "
            f"{r['rebuilt_videos']} videos rebuilt; {r['requests']} requests, {r['posts']} "
            "POST/PUT |"
        )
    return "\n".join(lines)


def _min_median_max(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return ordered[0], ordered[len(ordered) // 2], ordered[-1]


def parse_limit(text: str) -> Rate | None:
    if text == "none":
        return None
    requests, seconds = text.split("/")
    return Rate(int(requests), float(seconds))


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--only", choices=("bound", "speedup", "bulk"), action="append")
    parser.add_argument("--concurrency", type=int, default=4, help="the runner's (4, the CLI's)")
    parser.add_argument("--latency", type=float, default=0.05, help="1 and 2: s per request")
    parser.add_argument("--render", type=float, default=2.0, help="1 and 2: s per video")
    parser.add_argument("--limit-requests", type=int, default=20, help="1 and 2: POSTs ...")
    parser.add_argument("--window", type=float, default=2.0, help="... per this many seconds")
    parser.add_argument("--repeat", type=int, default=3, help="1: runs (min, median, max)")
    parser.add_argument("--products", type=int, default=40, help="1: products")
    parser.add_argument("--variants", type=int, default=4, help="1: variants per product")
    parser.add_argument("--seq-products", type=int, default=10, help="2: products")
    parser.add_argument("--seq-variants", type=int, default=4, help="2: variants per product")
    parser.add_argument("--bulk-products", type=int, default=2500, help="3 and 4: products")
    parser.add_argument("--bulk-variants", type=int, default=4, help="3 and 4: variants")
    parser.add_argument("--bulk-latency", type=float, default=0.001, help="3 and 4: s/request")
    return parser.parse_args(argv)


def child_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="run_throughput.py _child")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--post-limit", required=True)
    parser.add_argument("--poll-scale", type=float, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        child(child_arguments(argv[1:]))
        return
    args = arguments(argv)
    wanted = set(args.only or ("bound", "speedup", "bulk"))
    results: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="run-throughput-") as name:
        folder = Path(name)
        if "bound" in wanted:
            runs = [measure_bound(folder / f"run-{n}", args) for n in range(args.repeat)]
            results["bound"] = sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]
            results["bound"]["walls"] = sorted(run["wall"] for run in runs)
        if "speedup" in wanted:
            results["speedup"] = measure_speedup(folder, args)
        if "bulk" in wanted:
            results["bulk"], results["rerun"], results["rebuild"] = measure_bulk(folder, args)
    print(json.dumps(results, indent=2) if args.json else table(results, args))


if __name__ == "__main__":
    main()
