"""The route class of the engine's API: the `x-api-key` check and, for POSTs, the rate limit come
first, then a body is read and checked (engine/http_body.py), and only then does FastAPI
validate the request and call the endpoint.

These checks cannot be FastAPI dependencies: FastAPI reads the whole body before it solves any,
and a refused key, a full rate window or an oversized body must cost no more than its headers.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from jogg_pipeline.engine.auth import key_is_valid
from jogg_pipeline.engine.http_body import read_json_object
from jogg_pipeline.engine.ratelimit import SlidingWindowLimiter
from jogg_pipeline.engine.replies import bad_api_key, rate_limited

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_JSON = (b"content-type", b"application/json")


def presented_key(request: Request, api_keys: tuple[str, ...]) -> str:
    """The request's `x-api-key` if it is one of `api_keys`, or a 10105 saying what is wrong."""
    presented = request.headers.getlist("x-api-key")
    if len(presented) > 1:
        # Proxies and servers disagree on which of several copies counts: refuse.
        raise bad_api_key(f"x-api-key is sent {len(presented)} times; send it once")
    key = presented[0] if presented else ""
    if not key:
        raise bad_api_key("the x-api-key header is missing")
    if not key_is_valid(key, api_keys):
        raise bad_api_key("x-api-key is not a key of this engine")
    return key


class CheckedJsonRequest(Request):
    """A request whose body has been read and checked: FastAPI takes the document from here
    rather than from the spent stream.

    It is declared JSON whatever the client's content type said, because the engine has always
    read every body as JSON (FastAPI reads only declared JSON, and would validate other bodies
    as bytes).
    """

    def __init__(self, request: Request, raw: bytes, document: dict[str, Any]) -> None:
        headers = [pair for pair in request.scope["headers"] if pair[0] != _JSON[0]]
        super().__init__({**request.scope, "headers": [*headers, _JSON]}, request.receive)
        self._checked_raw = raw
        self._checked_document = document

    async def body(self) -> bytes:
        return self._checked_raw

    async def json(self) -> Any:
        return self._checked_document


def guarded_route(
    api_keys: tuple[str, ...], limiter: SlidingWindowLimiter | None
) -> type[APIRoute]:
    """The APIRoute class of an engine with these keys and this POST rate limit."""

    class GuardedRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            handle = super().get_route_handler()
            window = limiter if "POST" in (self.methods or ()) else None
            reads_body = self.body_field is not None

            async def guarded(request: Request) -> Response:
                key = presented_key(request, api_keys)
                if window is not None:
                    wait = window.acquire(key)
                    if wait is not None:
                        raise rate_limited(wait, window.limit.requests)
                if reads_body:
                    request = CheckedJsonRequest(request, *await read_json_object(request))
                response = await handle(request)
                if window is not None:
                    response.headers.update(
                        {
                            "X-RateLimit-Limit": str(window.limit.requests),
                            "X-RateLimit-Remaining": str(window.remaining(key)),
                        }
                    )
                return response

            return guarded

    return GuardedRoute
