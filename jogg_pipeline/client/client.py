"""JoggClient: the async client of the JoggAI v1 API, for the cloud and the local engine alike.

    async with JoggClient("https://api.jogg.ai/v1", key) as client:
        product = await client.create_product(ProductCreateRequest(url=page))
        project_id = await client.create_video(request)
        info = await client.get_project(project_id)  # again, every client.poll interval
        digest = await client.download(info.video_url, Path("out.mp4"))  # once status_code 4

For the in-process engine, pass `transport=httpx.ASGITransport(app=engine.app)` and the base URL
"http://engine/v1". What is retried, and what is not:

- GET: connection failures, timeouts, dropped connections, unreadable answers, 429 and 50000.
- PUT /product (idempotent: sending it twice leaves the same product): the same as GET.
- POST: 429 and 50000 (the service says it did not do it) and failures to connect (nothing was
  sent). Once a POST has been sent, a lost answer raises RequestInDoubt and it is never resent:
  a second POST /create_video_from_url would make, and bill, a second video.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import os
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from jogg_pipeline.client.errors import (
    ApiError,
    ClientSetupError,
    DownloadError,
    JoggError,
    RequestInDoubt,
    TransportFailure,
    api_error,
)
from jogg_pipeline.client.limiter import PostLimiter
from jogg_pipeline.client.retry import PollPolicy, RetryPolicy
from jogg_pipeline.quantities import Rate
from jogg_pipeline.wire.enums import (
    CODE_OK,
    CODE_RATE_LIMITED,
    CODE_SYSTEM_ERROR,
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
)

log = logging.getLogger("jogg_pipeline.client")

ModelT = TypeVar("ModelT", bound=BaseModel)
ResultT = TypeVar("ResultT")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

API_KEY_HEADER = "x-api-key"
# Failures in which no byte of the request reached the server: safe to retry even a POST.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
DOWNLOAD_CHUNK = 64 * 1024
# Defaults, shared safely: the policies are frozen.
CLOUD_POST_RATE = Rate.cloud()
DEFAULT_RETRIES = RetryPolicy()
CLOUD_POLL = PollPolicy.cloud()
_SNIPPET = 60


@dataclass
class ClientStats:
    """What the client sent and met, for the run record."""

    sent: Counter[str] = field(default_factory=Counter)  # "POST /product" -> attempts sent
    retries: int = 0
    rate_limited: int = 0  # 429 answers
    server_errors: int = 0  # 50000 answers
    transport_errors: int = 0  # failures to connect, timeouts, dropped connections
    bad_answers: int = 0  # answers that were not a JoggAI envelope
    in_doubt: int = 0
    limiter_wait: float = 0.0  # seconds limited requests waited for the rate limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": dict(sorted(self.sent.items())),
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "server_errors": self.server_errors,
            "transport_errors": self.transport_errors,
            "bad_answers": self.bad_answers,
            "in_doubt": self.in_doubt,
            "limiter_wait": round(self.limiter_wait, 3),
        }


class _Retry(Exception):
    """One attempt failed in a way that may be retried."""

    def __init__(
        self,
        kind: str,
        reason: str,
        *,
        floor: float = 0.0,
        final: JoggError | None = None,
        never_sent: bool = False,
    ) -> None:
        super().__init__(reason)
        self.kind = kind  # what was retried, in words: "timeouts", "code 50000"
        self.reason = reason
        self.floor = floor  # the least wait before the next try (a Retry-After)
        self.final = final  # raised as is when no retry is left
        self.never_sent = never_sent  # no byte reached the server: it counted nothing


def _describe_transport_error(error: BaseException, timeout: float) -> tuple[str, str]:
    """(kind, reason) of a transport failure, in words a user understands."""
    detail = str(error).strip()
    if isinstance(error, httpx.ConnectTimeout):
        return "connection failures", "connecting timed out"
    if isinstance(error, httpx.PoolTimeout):
        return "connection failures", "no free connection in time"
    if isinstance(error, httpx.ConnectError):
        return "connection failures", f"cannot connect ({detail or 'connection failed'})"
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "timeouts", f"no answer within {timeout:g} s"
    if isinstance(error, httpx.RemoteProtocolError):
        return "dropped connections", "the connection was closed before a complete answer"
    if isinstance(error, httpx.NetworkError):
        return "dropped connections", f"the connection broke ({detail or type(error).__name__})"
    return "transport errors", detail or type(error).__name__


def _retry_after(response: httpx.Response, payload: dict[str, Any]) -> float | None:
    """Seconds the server asked to wait: the Retry-After header, else `retryAfter` in the body."""
    candidates: list[object] = [response.headers.get("retry-after"), payload.get("retryAfter")]
    data = payload.get("data")
    if isinstance(data, dict):
        candidates.append(data.get("retryAfter"))
    for value in candidates:
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


class JoggClient:
    """The JoggAI v1 API over httpx; see the module docstring. Use as an async context manager."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        post_rate: Rate | None = CLOUD_POST_RATE,
        timeout: float = 30.0,
        retries: RetryPolicy = DEFAULT_RETRIES,
        poll: PollPolicy = CLOUD_POLL,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        _check_base_url(base_url)
        if not _fits_a_header(api_key):
            # Said without the key itself, which may be a real one with a stray character.
            raise ClientSetupError(
                "the JoggAI API key is empty or has characters an HTTP header cannot carry "
                "(spaces at either end, line breaks, non-ASCII)"
            )
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._transport = transport
        self.timeout = timeout
        self.connect_timeout = min(timeout, 10.0)
        self.retries = retries
        self.poll = poll
        self.clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.limiter = PostLimiter(post_rate, clock=clock, sleep=sleep)
        self.puts_counted = False  # whether this backend counts PUT against its POST limit
        self._remaining: int | None = None  # the last X-RateLimit-Remaining seen
        self.stats = ClientStats()
        self._http: httpx.AsyncClient | None = None

    @property
    def post_rate(self) -> Rate | None:
        """The limit on POST (and PUT) requests, for planning how long a run takes."""
        return self.limiter.policy

    def __repr__(self) -> str:
        return f"JoggClient({self.base_url!r})"

    async def __aenter__(self) -> JoggClient:
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=self._transport,
            timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
            follow_redirects=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("JoggClient is used inside `async with JoggClient(...)`")
        return self._http

    # The API.

    async def create_product(self, request: ProductCreateRequest) -> Product:
        data = await self._call("POST", "/product", body=_body(request))
        return self._parse(Product, data, "POST", "/product")

    async def update_product(self, request: ProductUpdateRequest) -> None:
        await self._call("PUT", "/product", body=_body(request))

    async def list_products(self) -> list[Product]:
        data = await self._call("GET", "/products")
        if isinstance(data, dict) and "products" in data:
            data = data["products"]
        if data is None:
            return []
        if not isinstance(data, list):
            raise self._unreadable("GET", "/products", "data is not a list of products")
        return [self._parse(Product, item, "GET", "/products") for item in data]

    async def list_product_videos(
        self, *, pages: int = 1, page_size: int = 100
    ) -> list[ProductVideo]:
        """The newest videos first, from the API's v2 list (`GET /v2/product_videos`): the
        one place a video whose creation answer was lost can be found again."""
        videos, _ = await self.videos_since(0.0, max_pages=pages, page_size=page_size)
        return videos

    async def videos_since(
        self, since: float, *, max_pages: int, page_size: int = 100
    ) -> tuple[list[ProductVideo], bool]:
        """The videos made at or after `since` (a Unix time), newest first, read page by page
        until the list is older than `since` or ends; and whether it got there within
        `max_pages`. When it did not, a video missing from what was read may still exist."""
        route = f"{self.base_url.removesuffix('/v1')}/v2/product_videos"
        videos: list[ProductVideo] = []
        for page in range(1, max_pages + 1):
            data = await self._call(
                "GET", route, params={"page": str(page), "page_size": str(page_size)}
            )
            listed = self._parse(ProductVideoList, data, "GET", "/v2/product_videos")
            videos.extend(video for video in listed.videos if video.created_at >= since)
            older = any(video.created_at < since for video in listed.videos)
            if older or not listed.videos or page * page_size >= listed.total:
                return videos, True
        return videos, False

    async def create_video(self, request: CreateVideoRequest) -> str:
        route = "/create_video_from_url"
        data = await self._call("POST", route, body=_body(request))
        return self._parse(ProjectCreated, data, "POST", route).project_id

    async def create_preview(self, request: CreateVideoRequest) -> str:
        data = await self._call("POST", "/preview", body=_body(request))
        return self._parse(ProjectCreated, data, "POST", "/preview").project_id

    async def get_project(self, project_id: str) -> ProjectInfo:
        data = await self._call("GET", "/project", params={"project_id": project_id})
        return self._parse(ProjectInfo, data, "GET", "/project")

    async def download(self, url: str, dest: Path) -> str:
        """Stream `url` (a project's video_url or cover_url) to `dest`; return its sha256 hex.

        The file appears at `dest` only once complete. The API key is not sent: produced files
        are served without it, and may live on another host.
        """
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL:
            target = httpx.URL("invalid:")
        if target.scheme not in ("http", "https") or not target.host:
            raise TransportFailure("GET", url, "only http and https URLs can be downloaded")
        partial = dest.with_name(f".{dest.name}.part")
        _prepare_destination(dest, partial)
        try:
            digest = await self._with_retries(
                "GET", url, lambda: self._download_once(target, partial)
            )
            try:
                os.replace(partial, dest)
            except OSError as error:
                raise DownloadError(f"cannot write {dest}: {error.strerror or error}") from None
            return digest
        finally:
            partial.unlink(missing_ok=True)

    # The request machinery.

    async def _call(
        self,
        method: str,
        route: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Send until a success envelope arrives; return its `data`, or raise a typed error."""
        idempotent = method in ("GET", "PUT")

        async def attempt() -> Any:
            # Whether PUTs count is learnt along the way, so it is asked at every try.
            if not (method == "POST" or (method == "PUT" and self.puts_counted)):
                return await self._exchange(method, route, body, params, idempotent)
            async with self.limiter.slot() as slot:
                try:
                    return await self._exchange(method, route, body, params, idempotent)
                except _Retry as retry:
                    if retry.never_sent:
                        self.limiter.give_back(slot)
                    raise
                finally:
                    self.stats.limiter_wait = self.limiter.waited

        return await self._with_retries(method, route, attempt)

    async def _with_retries(
        self, method: str, target: str, attempt: Callable[[], Awaitable[ResultT]]
    ) -> ResultT:
        """Run `attempt` until it returns, retrying what it marks retryable, as `self.retries`
        allows; the one retry loop of the client."""
        started = self.clock()
        kinds: list[str] = []
        tries = 0
        while True:
            tries += 1
            try:
                return await attempt()
            except _Retry as retry:
                kinds.append(retry.kind)
                await self._before_retry(method, target, retry, tries, started, kinds)

    async def _before_retry(
        self,
        method: str,
        target: str,
        retry: _Retry,
        attempt: int,
        started: float,
        kinds: list[str],
    ) -> None:
        """Wait before the next try, or raise the final error when no try is left."""
        delay = max(self.retries.delay(attempt, self._rng), retry.floor)
        elapsed = self.clock() - started
        if attempt >= self.retries.attempts or elapsed + delay > self.retries.total_seconds:
            if retry.final is not None:
                raise retry.final
            retried = ", ".join(dict.fromkeys(kinds))
            raise TransportFailure(
                method, target, retry.reason, attempts=attempt, elapsed=elapsed, retried=retried
            )
        self.stats.retries += 1
        log.warning(
            "retry %d of %d of %s %s in %.2f s: %s",
            attempt,
            self.retries.attempts - 1,
            method,
            self._redact(target),
            delay,
            self._redact(retry.reason),
        )
        await self._sleep(delay)

    async def _exchange(
        self,
        method: str,
        route: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None,
        idempotent: bool,
    ) -> Any:
        """One try: send, read the envelope, classify the outcome."""
        self.stats.sent[f"{method} {route}"] += 1
        try:
            # httpx bounds each read; this bounds the whole exchange, and also applies to
            # in-process transports, which have no socket timeouts of their own.
            async with asyncio.timeout(self.timeout + self.connect_timeout):
                response = await self.http.request(
                    method,
                    route,
                    json=body,
                    params=params,
                    headers={API_KEY_HEADER: self._api_key},
                )
        except NOT_SENT_ERRORS as error:
            self.stats.transport_errors += 1
            kind, reason = _describe_transport_error(error, self.timeout)
            raise _Retry(kind, reason, never_sent=True) from None
        except (httpx.TransportError, TimeoutError) as error:
            self.stats.transport_errors += 1
            kind, reason = _describe_transport_error(error, self.timeout)
            if idempotent:
                raise _Retry(kind, reason) from None
            self.stats.in_doubt += 1
            raise RequestInDoubt(method, route, reason, timed_out=kind == "timeouts") from None
        log.debug("%s %s: HTTP %d", method, route, response.status_code)
        if method in ("POST", "PUT"):
            self._watch_remaining(method, response)
        return self._read_envelope(method, route, response, idempotent)

    def _read_envelope(
        self, method: str, route: str, response: httpx.Response, idempotent: bool
    ) -> Any:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        code = payload.get("code") if isinstance(payload, dict) else None
        if not isinstance(payload, dict) or not isinstance(code, int) or isinstance(code, bool):
            if response.status_code == 429:
                # A gateway's own 429: refused, so not done.
                return self._rate_limited(method, route, response, {}, CODE_RATE_LIMITED, "", "")
            self.stats.bad_answers += 1
            reason = self._unreadable_reason(response)
            if idempotent:
                raise _Retry("unreadable answers", reason)
            self.stats.in_doubt += 1
            raise RequestInDoubt(method, route, reason)
        msg = str(payload.get("msg") or "")
        rid = str(payload.get("rid") or "")
        if code == CODE_OK:
            return payload.get("data")
        if code == CODE_RATE_LIMITED:
            return self._rate_limited(method, route, response, payload, code, msg, rid)
        error = api_error(code, self._redact(msg), rid, method=method, route=route)
        if code == CODE_SYSTEM_ERROR:
            self.stats.server_errors += 1
            raise _Retry("code 50000", _short(error), final=error)
        raise error

    def _rate_limited(
        self,
        method: str,
        route: str,
        response: httpx.Response,
        payload: dict[str, Any],
        code: int,
        msg: str,
        rid: str,
    ) -> Any:
        self.stats.rate_limited += 1
        wait = _retry_after(response, payload)
        error = api_error(
            code,
            self._redact(msg or "Rate limit exceeded"),
            rid,
            method=method,
            route=route,
            retry_after=wait,
        )
        if wait is None:
            policy = self.limiter.policy
            wait = policy.per_seconds / policy.requests if policy else 1.0
        if method == "PUT":
            self._learn_puts_count("a PUT was answered 429")
        if method in ("POST", "PUT"):
            # Every limited request of this client waits, not just this one.
            self.limiter.pause(wait)
        raise _Retry("code 429", _short(error), floor=wait, final=error)

    def _learn_puts_count(self, why: str) -> None:
        """The API documents its limit as POSTs; a backend that counts PUTs too is believed
        from the moment it shows it, and PUTs wait for the limit from then on."""
        if not self.puts_counted:
            self.puts_counted = True
            log.warning("the backend counts PUT against the POST limit (%s): counting it too", why)

    def _watch_remaining(self, method: str, response: httpx.Response) -> None:
        """X-RateLimit-Remaining: a PUT answered with fewer places left than the answer before
        it is a PUT the backend counted."""
        header = response.headers.get("x-ratelimit-remaining", "")
        if not header.strip().isdigit():
            return
        remaining = int(header)
        if method == "PUT" and self._remaining is not None and remaining < self._remaining:
            self._learn_puts_count("X-RateLimit-Remaining fell after a PUT")
        self._remaining = remaining

    def _unreadable_reason(self, response: httpx.Response) -> str:
        snippet = " ".join(response.text[:_SNIPPET].split())
        shown = f": {snippet!r}" if snippet else ": empty body"
        status = response.status_code
        return self._redact(f"the answer is not a JoggAI envelope (HTTP {status}{shown})")

    def _unreadable(self, method: str, route: str, problem: str) -> JoggError:
        self.stats.bad_answers += 1
        reason = f"the answer's data does not match the API ({problem})"
        if method == "POST":
            self.stats.in_doubt += 1
            return RequestInDoubt(method, route, reason)
        return TransportFailure(method, route, reason)

    def _parse(self, model: type[ModelT], data: Any, method: str, route: str) -> ModelT:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "data"
            raise self._unreadable(method, route, f"{where}: {first['msg']}") from None

    async def _download_once(self, target: httpx.URL, partial: Path) -> str:
        self.stats.sent["GET download"] += 1
        digest = hashlib.sha256()
        try:
            # Produced files may sit behind a CDN's redirect; API calls never follow one.
            async with self.http.stream("GET", target, follow_redirects=True) as response:
                # Produced files are never JSON: a JSON answer is an error envelope.
                is_json = response.headers.get("content-type", "").startswith("application/json")
                if response.status_code != 200 or is_json:
                    await response.aread()
                    raise self._download_refused(target, response)
                expected = response.headers.get("content-length")
                size = 0
                with partial.open("wb") as handle:
                    async for chunk in response.aiter_bytes(DOWNLOAD_CHUNK):
                        handle.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
        except httpx.TransportError as error:
            self.stats.transport_errors += 1
            raise _Retry(*_describe_transport_error(error, self.timeout)) from None
        except OSError as error:
            raise DownloadError(f"cannot write {partial}: {error.strerror or error}") from None
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise _Retry("truncated files", f"got {size} of {expected} bytes")
        return digest.hexdigest()

    def _download_refused(self, target: httpx.URL, response: httpx.Response) -> Exception:
        """The error for a non-200 answer to a download: retried if the server may recover."""
        route = target.path
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("code"), int):
            error: ApiError = api_error(
                payload["code"],
                self._redact(str(payload.get("msg") or "")),
                str(payload.get("rid") or ""),
                method="GET",
                route=route,
            )
            if not error.retryable:
                return error
            return _Retry(f"code {error.code}", _short(error), final=error)
        reason = f"HTTP {response.status_code} for {target}"
        if response.status_code >= 500 or response.status_code == 429:
            return _Retry("server errors", reason)
        return TransportFailure("GET", str(target), reason)

    def _redact(self, text: str) -> str:
        # A broken proxy or server could echo request headers back; never pass the key on.
        return text.replace(self._api_key, "***") if self._api_key else text


def _prepare_destination(dest: Path, partial: Path) -> None:
    """Make `dest`'s folder, and check now that a file can be written there."""
    if dest.is_dir():
        raise DownloadError(f"cannot write {dest}: it is a folder")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial.touch()
    except FileExistsError:
        raise DownloadError(f"cannot write {dest}: {dest.parent} is not a folder") from None
    except OSError as error:
        raise DownloadError(f"cannot write {dest}: {error.strerror or error}") from None


def _check_base_url(base_url: str) -> None:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        url = httpx.URL("invalid:")
    if url.scheme not in ("http", "https") or not url.host:
        raise ClientSetupError(
            f"JoggAI base URL {base_url!r} is not an http(s) URL such as https://api.jogg.ai/v1"
        )


def _fits_a_header(value: str) -> bool:
    return bool(value) and value.isascii() and value.isprintable() and value == value.strip()


def _short(error: ApiError) -> str:
    """An API error without the method and route that a retry's log line already gives."""
    rid = f" [rid {error.rid}]" if error.rid else ""
    return f"code {error.code} ({error.title}){rid}"


def _body(request: BaseModel) -> dict[str, Any]:
    return request.model_dump(mode="json", exclude_none=True)
