"""A JoggAI-compatible server for BENCHMARKS ONLY: it renders nothing and fetches nothing.

It answers the four steps of the URL-to-video walkthrough with the wire models of
`jogg_pipeline.wire.models`, so that a run's own costs (limiter, state, polling, concurrency) can
be measured without a real engine in the way:

- `POST /v1/product`: a product with a fresh product_id, named after the URL's last segment
  (the page is never fetched); `PUT /v1/product` updates it; `GET /v1/products` lists them.
- `POST /v1/create_video_from_url`: a project that reports success `render_seconds` after its
  creation, with a made-up video URL on the reserved `.invalid` domain; `GET /v1/project`,
  `GET /v2/product_videos`.
- Every request waits `latency` seconds before it is answered; POSTs beyond an optional limit
  are refused with code 429 and a Retry-After header, as the cloud does.
- `GET /bench/stats`: the requests it received, by method and route, and what the limit saw.

    /work/venv/bin/python benchmarks/bench_server.py --latency 0.05 --render 2 --post-limit 20/2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import time
import uuid
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import uvicorn
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jogg_pipeline.quantities import Rate
from jogg_pipeline.wire.enums import (
    CODE_BAD_API_KEY,
    CODE_BAD_PARAMETER,
    CODE_NOT_FOUND,
    CODE_OK,
    CODE_RATE_LIMITED,
    STATUS_PROCESSING,
    STATUS_SUCCESS,
)
from jogg_pipeline.wire.models import (
    CreateVideoRequest,
    Product,
    ProductCreateRequest,
    ProductUpdateRequest,
    ProductVideo,
    ProductVideoList,
    ProjectCreated,
    ProjectInfo,
    describe_validation_error,
)

DEFAULT_API_KEY = "bench-key"
VIDEO_HOST = "https://videos.bench.invalid"  # reserved: nothing is there, nothing is rendered
ModelT = TypeVar("ModelT", bound=BaseModel)
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class BenchSettings:
    latency: float = 0.0  # seconds every request waits before it is answered
    render_seconds: float = 0.0  # a project succeeds this long after it was created
    post_limit: Rate | None = None  # enforced on POST per API key; None: unlimited
    api_key: str = DEFAULT_API_KEY


class Refused(Exception):
    """An error the API reports in its envelope (HTTP 200, as the cloud answers)."""

    def __init__(self, code: int, msg: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.headers = headers or {}


@dataclass
class _Project:
    info: ProjectInfo
    done_at: float  # time.monotonic() at which it reports success


@dataclass
class BenchState:
    """Everything the server holds, and what it counted."""

    settings: BenchSettings
    products: dict[str, Product] = field(default_factory=dict)
    projects: dict[str, _Project] = field(default_factory=dict)
    received: Counter[str] = field(default_factory=Counter)  # "POST /v1/product" -> count
    rate_limited: int = 0
    post_arrivals: list[float] = field(default_factory=list)  # monotonic times of admitted POSTs
    # With a limit: arrivals of admitted POSTs and of PUTs, which the client's limiter counts.
    limited_arrivals: list[float] = field(default_factory=list)
    first_seen: dict[str, float] = field(default_factory=dict)  # route -> first arrival
    last_seen: dict[str, float] = field(default_factory=dict)  # route -> last arrival
    last_answer: float | None = None
    _window: deque[float] = field(default_factory=deque)

    def admit_post(self, now: float) -> float | None:
        """Record an arriving POST; None if admitted, else the seconds until it would be."""
        limit = self.settings.post_limit
        if limit is not None:
            while self._window and self._window[0] <= now - limit.per_seconds:
                self._window.popleft()
            if len(self._window) >= limit.requests:
                return self._window[0] + limit.per_seconds - now
            self._window.append(now)
        self.post_arrivals.append(now)
        return None

    def most_posts_in_window(self) -> int | None:
        """The most admitted POSTs in any window of the limit: never above the limit."""
        limit = self.settings.post_limit
        if limit is None:
            return None
        most, start = 0, 0
        for end, at in enumerate(self.post_arrivals):
            while self.post_arrivals[start] <= at - limit.per_seconds:
                start += 1
            most = max(most, end - start + 1)
        return most

    def stats(self) -> dict[str, object]:
        return {
            "received": dict(sorted(self.received.items())),
            "rate_limited": self.rate_limited,
            "products": len(self.products),
            "projects": len(self.projects),
            "most_posts_in_window": self.most_posts_in_window(),
            "limited_arrivals": self.limited_arrivals,
            # time.monotonic() of this machine, comparable with the clients' on Linux
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "last_answer": self.last_answer,
        }


def _envelope(code: int, msg: str, data: object = None) -> dict[str, object]:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", exclude_none=True)
    return {"rid": uuid.uuid4().hex, "code": code, "msg": msg, "data": data}


def _success(data: object = None) -> JSONResponse:
    return JSONResponse(_envelope(CODE_OK, "success", data))


async def _read(request: Request, model: type[ModelT]) -> ModelT:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise Refused(CODE_BAD_PARAMETER, "Parameter error: the body is not JSON") from None
    try:
        return model.model_validate(body)
    except ValidationError as error:
        detail = describe_validation_error(error)
        raise Refused(CODE_BAD_PARAMETER, f"Parameter error: {detail}") from None


def _name_from_url(url: str) -> str:
    """ "https://shop.example.com/products/item-17" -> "Item 17"."""
    last = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return last.replace("-", " ").replace("_", " ").strip().capitalize() or "Product"


def _product_video(project: _Project, now: float) -> ProductVideo:
    info = project.info
    done = now >= project.done_at
    return ProductVideo(
        id=info.id,
        title=info.title,
        video_duration=info.video_duration if done else 0,
        video_url=info.video_url if done else "",
        cover_url=info.cover_url if done else "",
        status="completed" if done else "processing",
        created_at=info.created_at,
    )


def build_app(settings: BenchSettings) -> Starlette:
    state = BenchState(settings)

    async def create_product(request: Request) -> Response:
        body = await _read(request, ProductCreateRequest)
        product_id = uuid.uuid4().hex[:16]
        url = body.url or ""
        product = Product(
            product_id=product_id,
            url=url,
            name=body.name or _name_from_url(url),
            description=body.description or f"The product at {url}.",
            target_audience=body.target_audience or "",
            media=body.media or [],
        )
        state.products[product_id] = product
        return _success(product)

    async def update_product(request: Request) -> Response:
        body = await _read(request, ProductUpdateRequest)
        product = state.products.get(body.product_id)
        if product is None:
            raise Refused(CODE_NOT_FOUND, f"Record not found: no product {body.product_id}")
        changes = body.model_dump(exclude_none=True, exclude={"product_id"})
        state.products[body.product_id] = product.model_copy(update=changes)
        return _success(state.products[body.product_id])

    async def list_products(request: Request) -> Response:
        listed = [p.model_dump(mode="json", exclude_none=True) for p in state.products.values()]
        return _success(listed)

    async def create_video(request: Request) -> Response:
        body = await _read(request, CreateVideoRequest)
        if body.product_id not in state.products:
            raise Refused(CODE_NOT_FOUND, f"Record not found: no product {body.product_id}")
        project_id = uuid.uuid4().hex
        info = ProjectInfo(
            id=project_id,
            title=body.video_name or "",
            video_url=f"{VIDEO_HOST}/{project_id}.mp4",
            cover_url=f"{VIDEO_HOST}/{project_id}.png",
            video_duration=body.length_seconds,
            status_code=STATUS_SUCCESS,
            status_desc="success",
            created_at=int(time.time()),
        )
        done_at = time.monotonic() + settings.render_seconds
        state.projects[project_id] = _Project(info, done_at)
        return _success(ProjectCreated(project_id=project_id))

    async def project_info(request: Request) -> Response:
        project_id = request.query_params.get("project_id", "")
        project = state.projects.get(project_id)
        if project is None:
            raise Refused(CODE_NOT_FOUND, f"Record not found: no project {project_id!r}")
        if time.monotonic() >= project.done_at:
            return _success(project.info)
        return _success(
            project.info.model_copy(
                update={
                    "status_code": STATUS_PROCESSING,
                    "status_desc": "processing",
                    "video_url": "",
                    "cover_url": "",
                    "video_duration": 0,
                }
            )
        )

    async def list_product_videos(request: Request) -> Response:
        try:
            page = max(1, int(request.query_params.get("page", "1")))
            page_size = min(100, max(1, int(request.query_params.get("page_size", "10"))))
        except ValueError:
            raise Refused(CODE_BAD_PARAMETER, "Parameter error: page must be an integer") from None
        newest_first = list(reversed(state.projects.values()))
        chosen = newest_first[(page - 1) * page_size : page * page_size]
        now = time.monotonic()
        listed = ProductVideoList(
            videos=[_product_video(p, now) for p in chosen],
            total=len(newest_first),
            page=page,
            page_size=page_size,
        )
        return _success(listed)

    async def bench_stats(request: Request) -> Response:
        return JSONResponse(state.stats())

    def api(handler: Handler) -> Handler:
        """`handler` behind the key check, the POST limit and the latency, counted."""

        async def endpoint(request: Request) -> Response:
            arrived = time.monotonic()
            route = f"{request.method} {request.url.path}"
            state.received[route] += 1
            state.first_seen.setdefault(route, arrived)
            state.last_seen[route] = arrived
            try:
                if request.headers.get("x-api-key") != settings.api_key:
                    raise Refused(CODE_BAD_API_KEY, "Invalid API key")
                wait = state.admit_post(arrived) if request.method == "POST" else None
                if settings.post_limit is not None and wait is None and request.method != "GET":
                    state.limited_arrivals.append(arrived)
                await asyncio.sleep(settings.latency)
                if wait is not None:
                    state.rate_limited += 1
                    raise Refused(
                        CODE_RATE_LIMITED,
                        "Rate limit exceeded. Please try again later.",
                        {"Retry-After": str(max(1, round(wait + 0.5)))},
                    )
                response = await handler(request)
            except Refused as error:
                response = JSONResponse(
                    _envelope(error.code, error.msg), headers=error.headers or None
                )
            state.last_answer = time.monotonic()
            return response

        return endpoint

    routes = [
        Route("/v1/product", api(create_product), methods=["POST"]),
        Route("/v1/product", api(update_product), methods=["PUT"]),
        Route("/v1/products", api(list_products), methods=["GET"]),
        Route("/v1/create_video_from_url", api(create_video), methods=["POST"]),
        Route("/v1/project", api(project_info), methods=["GET"]),
        Route("/v2/product_videos", api(list_product_videos), methods=["GET"]),
        Route("/bench/stats", bench_stats, methods=["GET"]),
    ]
    return Starlette(routes=routes)


def parse_limit(text: str) -> Rate | None:
    """ "20/2" (20 POSTs per 2 s) -> Rate(20, 2.0); "none" -> None."""
    if text.strip().lower() == "none":
        return None
    try:
        requests, seconds = text.split("/")
        return Rate(int(requests), float(seconds))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a POST limit such as 20/2 (20 per 2 seconds) or none"
        ) from None


def serve(settings: BenchSettings, port: int = 0) -> None:
    """Serve on 127.0.0.1 (a free port when 0); print the base URL once listening."""
    # proto IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only for such
    # sockets; without it every answer (headers, then body) waits for a delayed ACK (~40 ms).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(2048)  # before the URL is printed: a client may connect at once
    config = uvicorn.Config(
        build_app(settings), log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    print(f"http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    server.run(sockets=[listener])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--render", type=float, default=0.0, help="seconds until a video is done")
    parser.add_argument("--post-limit", type=parse_limit, default=None, help="e.g. 20/2, none")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    args = parser.parse_args(argv)
    if args.latency < 0 or args.render < 0:
        parser.error("--latency and --render must not be negative")
    settings = BenchSettings(args.latency, args.render, args.post_limit, args.api_key)
    serve(settings, args.port)


if __name__ == "__main__":
    main()
