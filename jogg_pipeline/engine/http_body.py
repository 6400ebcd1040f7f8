"""What a request body may be: read in chunks up to MAX_BODY_BYTES, JSON that every writer can
store (no huge numbers, no Infinity or NaN, no lone surrogates, no deep nesting), and, once
validated, fields within their length limits and URLs that parse.

The raw checks run before FastAPI reads a byte (engine/routing.py hands it the document they
parsed); the field limits run as the last step of validating the body model.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from starlette.requests import Request

from jogg_pipeline.engine.config import (
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_MEDIA_ITEMS,
    MAX_NUMBER_CHARS,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
    MAX_VIDEO_NAME_CHARS,
)
from jogg_pipeline.engine.replies import ErrorReply, parameter_error

ModelT = TypeVar("ModelT", bound=BaseModel)

_BODY_LIMIT = f"{MAX_BODY_BYTES // (1024 * 1024)} MiB ({MAX_BODY_BYTES} bytes)"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _BadNumber(ValueError):
    """A number the body may not hold; the message is the whole reason."""


def body_too_large() -> ErrorReply:
    return parameter_error(f"request body is larger than the limit of {_BODY_LIMIT}")


async def read_limited(request: Request) -> bytes:
    """The raw body, read chunk by chunk and refused as soon as it passes MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "")
    # A declared length over the limit is refused before a byte of the body is read.
    if (declared.isascii() and declared.isdigit()) and (
        len(declared) > 18 or int(declared) > MAX_BODY_BYTES
    ):
        raise body_too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise body_too_large()
    return bytes(body)


def _number_text(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise _BadNumber(
            f"request body has a number {len(text)} characters long; "
            f"the limit is {MAX_NUMBER_CHARS}"
        )
    return text


def _parse_int(text: str) -> int:
    return int(_number_text(text))


def _parse_float(text: str) -> float:
    value = float(_number_text(text))
    if not math.isfinite(value):
        raise _BadNumber(f"request body has a number out of range ({text})")
    return value


def _refuse_constant(name: str) -> object:
    raise _BadNumber(f"request body is not valid JSON ({name} is not a JSON number)")


def parse_json(raw: bytes) -> object:
    """The JSON document `raw` holds, or a 40000 error saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise parameter_error("request body is not UTF-8 encoded JSON") from None
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")
        raise parameter_error(
            f"request body is not valid JSON ({reason} at line {error.lineno} column {error.colno})"
        ) from None
    except _BadNumber as error:
        raise parameter_error(str(error)) from None
    except RecursionError:
        raise too_deep() from None


def too_deep() -> ErrorReply:
    return parameter_error(f"request body nests deeper than the limit of {MAX_JSON_DEPTH} levels")


def field_path(location: tuple[str | int, ...]) -> str:
    """`("media", 0, "url")` as "media[0].url", the way validation errors name fields."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def check_json_tree(document: object) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and text that is not Unicode.

    json accepts a lone surrogate such as "\\ud800", which no UTF-8 writer (the store, the
    answer) can encode. Iterative, so a deep document cannot exhaust the stack.
    """
    stack: list[tuple[object, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, where = stack.pop()
        if len(where) > MAX_JSON_DEPTH:
            raise too_deep()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                raise parameter_error(
                    f"{field_path(where) or 'request body'} is not Unicode text: "
                    f"it holds a lone surrogate {found.group()!r}"
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                found = _SURROGATE.search(key)
                if found:
                    raise parameter_error(
                        f"{field_path(where) or 'request body'} has a key that is not Unicode "
                        f"text: it holds a lone surrogate {found.group()!r}"
                    )
                stack.append((item, (*where, key)))
        elif isinstance(value, list):
            stack.extend((item, (*where, index)) for index, item in enumerate(value))


async def read_json_object(request: Request) -> tuple[bytes, dict[str, Any]]:
    """The raw body and the JSON object it holds, within the limits, or a 40000 saying why."""
    raw = await read_limited(request)
    if not raw.strip():
        raise parameter_error("request body is empty; a JSON object is required")
    document = parse_json(raw)
    if not isinstance(document, dict):
        raise parameter_error("request body must be a JSON object")
    check_json_tree(document)
    return raw, document


def within_limits(body: ModelT) -> ModelT:
    """`body` if its text, URLs and media list keep their limits (a pydantic after-validator:
    the ValueError's message becomes the 40000's)."""
    _check_fields(body.model_dump(exclude_none=True))
    return body


def _check_fields(fields: dict[str, Any], where: tuple[str | int, ...] = ()) -> None:
    for key, value in fields.items():
        location = (*where, key)
        if isinstance(value, str):
            _check_text(key, value, location)
        elif isinstance(value, dict):
            _check_fields(value, location)
        elif isinstance(value, list):
            if key == "media" and len(value) > MAX_MEDIA_ITEMS:
                raise ValueError(
                    f"{field_path(location)} has {len(value)} items; the limit is {MAX_MEDIA_ITEMS}"
                )
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _check_fields(item, (*location, index))


def _check_text(key: str, value: str, location: tuple[str | int, ...]) -> None:
    limit = {"url": MAX_URL_CHARS, "video_name": MAX_VIDEO_NAME_CHARS}.get(key, MAX_TEXT_CHARS)
    if len(value) > limit:
        raise ValueError(
            f"{field_path(location)} has {len(value)} characters; the limit is {limit}"
        )
    if key == "url" and value.strip():
        try:
            httpx.URL(value.strip())
        except httpx.InvalidURL as error:
            reason = str(error)
            raise ValueError(
                f"{field_path(location)} is not a valid URL ({reason[:1].lower()}{reason[1:]})"
            ) from None
