"""Faults between a client and a JoggAI-compatible ASGI app, in-process or over loopback.

`FaultyApp` wraps any ASGI app. For chosen calls (an explicit schedule per route, and/or a
seeded random fraction) it injects one `Fault`: an error envelope (50000, 18020, ...), a 429
with Retry-After, a delay, a dropped connection, or a garbage body (not JSON, truncated JSON,
JSON without `code`). A fault comes BEFORE the inner app sees the request (it had no effect) or
AFTER it answered (it took effect and the answer is lost: the case that leaves a POST in doubt).
It counts, per "METHOD /path", the calls that reached the inner app and those it answered
with code 0, so tests can assert that nothing was done twice.

A dropped connection looks different on each side of the wire:
- in-process (httpx.ASGITransport), the wrapper raises httpx.RemoteProtocolError, which the
  transport passes on unchanged: the exception httpx raises when a server closes the socket;
- over loopback, `LoopbackServer(..., drop_proxy=True)` puts `DropProxy`, a small TCP proxy,
  in front of uvicorn: the wrapper marks the answer, and the proxy closes the client's socket
  instead of relaying it, so the client meets a real connection drop with no answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import random
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import httpx
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DROP_MARKER = b"x-fault-drop"
ERROR_MESSAGES = {
    429: "Rate limit exceeded. Please try again later.",
    10104: "Record not found",
    10105: "Invalid API key",
    18020: "Insufficient credit",
    18025: "No permission to call APIs",
    40000: "Parameter error",
    50000: "System error",
}


class FaultKind(StrEnum):
    ENVELOPE = "envelope"  # an error envelope with `code`
    RATE_LIMITED = "rate_limited"  # code 429, Retry-After header and `retryAfter` in the body
    DELAY = "delay"  # answer `seconds` late
    DROP = "drop"  # no answer: the connection closes
    NOT_JSON = "not_json"  # a gateway's HTML error page
    TRUNCATED_JSON = "truncated_json"  # the first half of a JSON body
    NO_CODE_JSON = "no_code_json"  # JSON without `code`


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    after: bool = False  # inject after the inner app handled the request
    seconds: float = 0.0  # the delay, or the Retry-After
    code: int = 50000

    @classmethod
    def error(cls, code: int = 50000, *, after: bool = False) -> Fault:
        return cls(FaultKind.ENVELOPE, after=after, code=code)

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> Fault:
        return cls(FaultKind.RATE_LIMITED, seconds=retry_after, code=429)

    @classmethod
    def delay(cls, seconds: float, *, after: bool = False) -> Fault:
        return cls(FaultKind.DELAY, after=after, seconds=seconds)

    @classmethod
    def drop(cls, *, after: bool = False) -> Fault:
        return cls(FaultKind.DROP, after=after)

    @classmethod
    def not_json(cls, *, after: bool = False) -> Fault:
        return cls(FaultKind.NOT_JSON, after=after)

    @classmethod
    def truncated_json(cls, *, after: bool = False) -> Fault:
        return cls(FaultKind.TRUNCATED_JSON, after=after)

    @classmethod
    def no_code_json(cls, *, after: bool = False) -> Fault:
        return cls(FaultKind.NO_CODE_JSON, after=after)


# The faults a random plan draws from: every kind, before and after, except long delays
# (a test that wants them says how long its client's timeout is).
RANDOM_FAULTS: tuple[Fault, ...] = (
    Fault.error(50000),
    Fault.rate_limited(1.0),
    Fault.drop(),
    Fault.drop(after=True),
    Fault.not_json(),
    Fault.not_json(after=True),
    Fault.truncated_json(after=True),
    Fault.no_code_json(),
)


@dataclass
class _Captured:
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""


def _api_paths(method: str, path: str) -> bool:
    return path.startswith("/v1/")


class FaultyApp:
    """An ASGI app that injects faults around `app`; see the module docstring.

    `schedule` maps a "METHOD /path" pattern (fnmatch, e.g. "POST /v1/product" or
    "GET /files/*") to the faults of its 1st, 2nd, ... matching call (None: no fault). Calls
    past the end of a schedule, and calls no pattern matches, get a fault from `choices` with
    probability `rate`, drawn from a `random.Random(seed)`, if `eligible(method, path)`.
    `drop_as` is "raise" in-process and "mark" behind a `DropProxy`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        schedule: Mapping[str, Sequence[Fault | None]] | None = None,
        rate: float = 0.0,
        choices: Sequence[Fault] = RANDOM_FAULTS,
        seed: int = 0,
        eligible: Callable[[str, str], bool] = _api_paths,
        drop_as: Literal["raise", "mark"] = "raise",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.schedule = {pattern: list(faults) for pattern, faults in (schedule or {}).items()}
        self.rate = rate
        self.choices = tuple(choices)
        self.eligible = eligible
        self.drop_as = drop_as
        self._rng = random.Random(seed)
        self._clock = clock
        self._scheduled_calls: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()  # every call to the wrapper
        self.reached: Counter[str] = Counter()  # calls passed on to the inner app
        self.succeeded: Counter[str] = Counter()  # ... that it answered with code 0
        self.arrivals: list[tuple[float, str]] = []  # (clock, key) of each call reaching it
        self.injected: list[tuple[str, Fault]] = []
        self.calls: list[tuple[float, str, Fault | None]] = []  # (clock, key, fault) of each call

    def _choose(self, key: str, method: str, path: str) -> Fault | None:
        for pattern, faults in self.schedule.items():
            if fnmatch.fnmatchcase(key, pattern):
                index = self._scheduled_calls[pattern]
                self._scheduled_calls[pattern] += 1
                if index < len(faults):
                    return faults[index]
                break
        eligible = self.rate > 0 and bool(self.choices) and self.eligible(method, path)
        if eligible and self._rng.random() < self.rate:
            return self._rng.choice(self.choices)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        key = f"{method} {path}"
        self.seen[key] += 1
        fault = self._choose(key, method, path)
        self.calls.append((self._clock(), key, fault))
        if fault is not None:
            self.injected.append((key, fault))
        if fault is not None and not fault.after:
            if fault.kind is FaultKind.DELAY:
                await asyncio.sleep(fault.seconds)
            else:
                await self._inject(fault, None, send)
                return
        captured = await self._run_inner(scope, receive, key)
        if fault is not None and fault.after:
            if fault.kind is FaultKind.DELAY:
                await asyncio.sleep(fault.seconds)
            else:
                await self._inject(fault, captured, send)
                return
        await _replay(captured, send)

    async def _run_inner(self, scope: Scope, receive: Receive, key: str) -> _Captured:
        self.reached[key] += 1
        self.arrivals.append((self._clock(), key))
        captured = _Captured()
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured.status = message["status"]
                captured.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        captured.body = b"".join(parts)
        if _envelope_code(captured.body) == 0:
            self.succeeded[key] += 1
        return captured

    async def _inject(self, fault: Fault, captured: _Captured | None, send: Send) -> None:
        kind = fault.kind
        if kind is FaultKind.DROP:
            if self.drop_as == "raise":
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            await _respond(send, 200, b"", [(DROP_MARKER, b"1")])
        elif kind is FaultKind.ENVELOPE:
            await _respond_json(send, _error_body(fault.code))
        elif kind is FaultKind.RATE_LIMITED:
            # The header holds whole seconds only: a shorter wait is said in the body alone.
            body = _error_body(429) | {"retryAfter": fault.seconds}
            header = [(b"retry-after", b"%d" % fault.seconds)] if fault.seconds >= 1 else []
            await _respond_json(send, body, header)
        elif kind is FaultKind.NOT_JSON:
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            await _respond(send, 502, page, [(b"content-type", b"text/html")])
        elif kind is FaultKind.TRUNCATED_JSON:
            whole = captured.body if captured else json.dumps(_error_body(0)).encode()
            await _respond(send, 200, whole[: len(whole) // 2], _JSON)
        elif kind is FaultKind.NO_CODE_JSON:
            payload: dict[str, Any] = {"message": "Service Unavailable"}
            if captured is not None:
                with contextlib.suppress(ValueError):
                    payload = json.loads(captured.body)
                    payload.pop("code", None)
            await _respond_json(send, payload)
        else:
            raise ValueError(f"fault {kind} has no answer of its own")


_JSON = [(b"content-type", b"application/json")]


def _error_body(code: int) -> dict[str, Any]:
    return {"rid": uuid.uuid4().hex, "code": code, "msg": ERROR_MESSAGES.get(code, "success")}


def _envelope_code(body: bytes) -> int | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    code = payload.get("code") if isinstance(payload, dict) else None
    return code if isinstance(code, int) else None


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _respond_json(
    send: Send, payload: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await _respond(send, 200, json.dumps(payload).encode(), [*_JSON, *(headers or [])])


async def _replay(captured: _Captured, send: Send) -> None:
    await send(
        {"type": "http.response.start", "status": captured.status, "headers": captured.headers}
    )
    await send({"type": "http.response.body", "body": captured.body})


class DropProxy:
    """A loopback TCP proxy that relays HTTP/1.1 both ways, but closes the client's connection
    instead of relaying an answer that carries the drop marker header."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self.dropped = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        upward = asyncio.create_task(_pipe(reader, up_writer))
        try:
            await self._relay_answers(up_reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            upward.cancel()
            for stream in (writer, up_writer):
                stream.close()

    async def _relay_answers(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (
                    line.partition(b":") for line in head.split(b"\r\n")[1:] if line
                )
            }
            if DROP_MARKER in headers:
                self.dropped += 1
                return  # the caller closes the client's socket: no answer at all
            writer.write(head)
            if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
                await _relay_chunked(reader, writer)
            else:
                await _relay_exactly(reader, writer, int(headers.get(b"content-length", b"0")))
            await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.CancelledError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        writer.close()


async def _relay_exactly(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, size: int
) -> None:
    while size > 0:
        chunk = await reader.read(min(size, 65536))
        if not chunk:
            raise asyncio.IncompleteReadError(b"", size)
        writer.write(chunk)
        size -= len(chunk)


async def _relay_chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        writer.write(size_line)
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            writer.write(await reader.readuntil(b"\r\n"))  # no trailers: the final CRLF
            return
        await _relay_exactly(reader, writer, size + 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LoopbackServer:
    """Serve an ASGI app with uvicorn on 127.0.0.1 from a thread with its own event loop.

    `open_app` is entered in that loop (a LocalEngine must live in the loop that serves it) and
    yields the app to serve. With `drop_proxy`, `url` is the proxy's; `app` is what was served.
    """

    def __init__(
        self,
        open_app: Callable[[], AbstractAsyncContextManager[ASGIApp]],
        *,
        drop_proxy: bool = False,
        port: int | None = None,
    ) -> None:
        self._open_app = open_app
        self._drop_proxy = drop_proxy
        self.port = port or free_port()
        self.proxy: DropProxy | None = None
        self.app: ASGIApp | None = None
        self._server: uvicorn.Server | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        port = self.proxy.port if self.proxy else self.port
        return f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 30.0) -> LoopbackServer:
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            self.stop()
            raise RuntimeError(f"the loopback server did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=30)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        async with self._open_app() as app:
            self.app = app
            config = uvicorn.Config(
                app,
                host="127.0.0.1",
                port=self.port,
                lifespan="off",
                log_level="critical",
                access_log=False,
            )
            self._server = uvicorn.Server(config)
            serving = asyncio.create_task(self._server.serve())
            while not self._server.started:
                if serving.done():
                    await serving  # raises why it could not start
                    return
                await asyncio.sleep(0.01)
            if self._drop_proxy:
                self.proxy = DropProxy(self.port)
                await self.proxy.start()
            self._ready.set()
            await serving
            if self.proxy is not None:
                await self.proxy.stop()


@contextlib.asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[ASGIApp]:
    """An app that needs no opening, for `LoopbackServer(lambda: serving(app))`."""
    yield app
