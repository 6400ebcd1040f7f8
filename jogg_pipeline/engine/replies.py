"""The engine's answers: success and error envelopes, as the cloud sends them.

Every answer, errors included, is HTTP 200 with `{rid, code, msg, data}` and a fresh 32-hex
`rid`; only unknown routes and methods keep their HTTP status (404, 405) beside the envelope.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from pydantic_core import InitErrorDetails
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jogg_pipeline.wire.enums import (
    CODE_BAD_API_KEY,
    CODE_BAD_PARAMETER,
    CODE_NOT_FOUND,
    CODE_OK,
    CODE_RATE_LIMITED,
    CODE_SYSTEM_ERROR,
    ERROR_CODES,
)
from jogg_pipeline.wire.envelope import envelope
from jogg_pipeline.wire.models import describe_validation_error

log = logging.getLogger("jogg_pipeline.engine")


class ErrorReply(Exception):
    """An error the API reports in the envelope; `msg` is the whole one-line message."""

    def __init__(
        self, code: int, msg: str, *, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.status = status
        self.headers = dict(headers or {})


def parameter_error(detail: str) -> ErrorReply:
    return ErrorReply(CODE_BAD_PARAMETER, f"{ERROR_CODES[CODE_BAD_PARAMETER]}: {detail}")


def invalid_request(error: RequestValidationError) -> ErrorReply:
    """The 40000 for a request FastAPI could not validate: its first problem, worded by
    `describe_validation_error` as for any wire model."""
    first = error.errors()[0]
    # FastAPI puts where the value came from ("body", "query") before the field's name.
    details = InitErrorDetails(
        type=first["type"], loc=tuple(first["loc"][1:]), input=first.get("input")
    )
    if "ctx" in first:
        details["ctx"] = first["ctx"]
    problem = ValidationError.from_exception_data("request", [details])
    return parameter_error(describe_validation_error(problem))


def not_found(detail: str) -> ErrorReply:
    return ErrorReply(CODE_NOT_FOUND, f"{ERROR_CODES[CODE_NOT_FOUND]}: {detail}")


def bad_api_key(detail: str) -> ErrorReply:
    return ErrorReply(CODE_BAD_API_KEY, f"{ERROR_CODES[CODE_BAD_API_KEY]}: {detail}")


def rate_limited(retry_after: int, limit: int) -> ErrorReply:
    return ErrorReply(
        CODE_RATE_LIMITED,
        "Rate limit exceeded. Please try again later.",
        headers={
            "Retry-After": str(retry_after),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
        },
    )


def success(data: Any = None) -> JSONResponse:
    return JSONResponse(envelope(CODE_OK, "success", data))


def error_response(error: ErrorReply) -> JSONResponse:
    return JSONResponse(
        envelope(error.code, error.msg), status_code=error.status, headers=error.headers
    )


class SystemErrorMiddleware:
    """Turns an unexpected exception into the 50000 envelope; the traceback goes to the log only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = JSONResponse(
                envelope(CODE_SYSTEM_ERROR, f"{ERROR_CODES[CODE_SYSTEM_ERROR]}: internal error")
            )
            await response(scope, receive, send)
