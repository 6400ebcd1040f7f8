"""The ASGI app: the JoggAI v1 routes under /v1, and the files route, over an engine's parts.

Nothing here depends on lifespan events (an in-process ASGITransport does not send them): the
engine builds the app after opening everything it needs. Request bodies are read in chunks up
to the limits of `config`, and any input a client can get wrong is a 40000 saying what is wrong,
never the 50000 of an internal error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jogg_pipeline.engine import auditions, catalog
from jogg_pipeline.engine.auth import key_is_valid
from jogg_pipeline.engine.config import (
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_MEDIA_ITEMS,
    MAX_NUMBER_CHARS,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
    MAX_VIDEO_NAME_CHARS,
)
from jogg_pipeline.engine.files import FILES_ROUTE, DataLayout, make_files_endpoint, public_url
from jogg_pipeline.engine.products import Products
from jogg_pipeline.engine.projects import Projects
from jogg_pipeline.engine.ratelimit import SlidingWindowLimiter
from jogg_pipeline.engine.replies import (
    ErrorReply,
    SystemErrorMiddleware,
    bad_api_key,
    error_response,
    parameter_error,
    rate_limited,
    success,
)
from jogg_pipeline.wire.enums import CODE_BAD_PARAMETER, CODE_NOT_FOUND, LANGUAGES
from jogg_pipeline.wire.models import (
    AvatarList,
    CreateVideoRequest,
    MusicList,
    ProductCreateRequest,
    ProductUpdateRequest,
    ProjectCreated,
    TemplateList,
    VisualStyleList,
    VoiceList,
    describe_validation_error,
)

API_PREFIX = "/v1"
V2_PREFIX = "/v2"
ModelT = TypeVar("ModelT", bound=BaseModel)
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class AppParts:
    """What the routes work with."""

    layout: DataLayout
    api_keys: tuple[str, ...]
    products: Products
    projects: Projects
    limiter: SlidingWindowLimiter | None


def base_url(request: Request) -> str:
    """The engine's root URL as this client reached it (files are served from there)."""
    return str(request.base_url).rstrip("/")


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


def check_fields(fields: dict[str, Any], where: tuple[str | int, ...] = ()) -> None:
    """Refuse a validated body whose text, URLs or media list pass the limits."""
    for key, value in fields.items():
        location = (*where, key)
        if isinstance(value, str):
            check_text(key, value, location)
        elif isinstance(value, dict):
            check_fields(value, location)
        elif isinstance(value, list):
            if key == "media" and len(value) > MAX_MEDIA_ITEMS:
                raise parameter_error(
                    f"{field_path(location)} has {len(value)} items; the limit is {MAX_MEDIA_ITEMS}"
                )
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    check_fields(item, (*location, index))


def check_text(key: str, value: str, location: tuple[str | int, ...]) -> None:
    limit = {"url": MAX_URL_CHARS, "video_name": MAX_VIDEO_NAME_CHARS}.get(key, MAX_TEXT_CHARS)
    if len(value) > limit:
        raise parameter_error(
            f"{field_path(location)} has {len(value)} characters; the limit is {limit}"
        )
    if key == "url" and value.strip():
        try:
            httpx.URL(value.strip())
        except httpx.InvalidURL as error:
            reason = str(error)
            raise parameter_error(
                f"{field_path(location)} is not a valid URL ({reason[:1].lower()}{reason[1:]})"
            ) from None


async def read_body(request: Request, model: type[ModelT]) -> ModelT:
    """The JSON body validated as `model` and within the limits, or a 40000 error saying why."""
    raw = await read_limited(request)
    if not raw.strip():
        raise parameter_error("request body is empty; a JSON object is required")
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise parameter_error("request body must be a JSON object")
    check_json_tree(body)
    try:
        validated = model.model_validate(body)
    except ValidationError as error:
        raise parameter_error(describe_validation_error(error)) from None
    check_fields(validated.model_dump(exclude_none=True))
    return validated


def query_int(request: Request, name: str, default: int, allowed: range) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise parameter_error(f"{name} must be an integer; got {raw!r}") from None
    if value not in allowed:
        raise parameter_error(f"{name} must be between {allowed.start} and {allowed.stop - 1}")
    return value


def query_choice(request: Request, name: str, choices: tuple[str, ...]) -> str | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise parameter_error(f"{name} must be one of {', '.join(choices)}; got {raw!r}")
    return raw


def build_app(parts: AppParts) -> FastAPI:
    app = FastAPI(
        title="jogg-pipeline local engine", docs_url=None, redoc_url=None, openapi_url=None
    )

    def guarded(handler: Handler, *, limited: bool = False) -> Handler:
        """`handler` behind the API key check and, for POSTs, the rate limit."""

        async def endpoint(request: Request) -> Response:
            try:
                presented = request.headers.getlist("x-api-key")
                if len(presented) > 1:
                    # Proxies and servers disagree on which of several copies counts: refuse.
                    raise bad_api_key(f"x-api-key is sent {len(presented)} times; send it once")
                key = presented[0] if presented else ""
                if not key:
                    raise bad_api_key("the x-api-key header is missing")
                if not key_is_valid(key, parts.api_keys):
                    raise bad_api_key("x-api-key is not a key of this engine")
                if limited and parts.limiter is not None:
                    wait = parts.limiter.acquire(key)
                    if wait is not None:
                        raise rate_limited(wait, parts.limiter.limit.requests)
                    response = await handler(request)
                    response.headers.update(
                        {
                            "X-RateLimit-Limit": str(parts.limiter.limit.requests),
                            "X-RateLimit-Remaining": str(parts.limiter.remaining(key)),
                        }
                    )
                    return response
                return await handler(request)
            except ErrorReply as error:
                return error_response(error)

        return endpoint

    async def create_product(request: Request) -> Response:
        body = await read_body(request, ProductCreateRequest)
        return success(await parts.products.create(body, base_url(request)))

    async def update_product(request: Request) -> Response:
        body = await read_body(request, ProductUpdateRequest)
        return success(await parts.products.update(body, base_url(request)))

    async def list_products(request: Request) -> Response:
        return success(parts.products.list(base_url(request)))

    async def create_video(request: Request) -> Response:
        body = await read_body(request, CreateVideoRequest)
        return success(ProjectCreated(project_id=parts.projects.create(body, preview=False)))

    async def create_preview(request: Request) -> Response:
        body = await read_body(request, CreateVideoRequest)
        return success(ProjectCreated(project_id=parts.projects.create(body, preview=True)))

    async def project_info(request: Request) -> Response:
        project_id = request.query_params.get("project_id")
        return success(parts.projects.info(project_id, base_url(request)))

    async def list_product_videos(request: Request) -> Response:
        page = query_int(request, "page", 1, range(1, 10**6))
        page_size = query_int(request, "page_size", 10, range(1, 101))
        return success(parts.projects.list_videos(page, page_size, base_url(request)))

    async def list_visual_styles(request: Request) -> Response:
        aspect = query_int(request, "aspect_ratio", -1, range(-1, 3))
        styles = catalog.visual_style_list(None if aspect == -1 else aspect)
        return success(VisualStyleList(visual_styles=styles))

    async def list_templates(request: Request) -> Response:
        aspect = query_int(request, "aspect_ratio", -1, range(-1, 3))
        templates = [t for t in catalog.template_list() if aspect in (-1, t.aspect_ratio)]
        return success(TemplateList(templates=templates))

    async def list_avatars(request: Request) -> Response:
        query_int(request, "aspect_ratio", 0, range(3))  # drawn presenters fit every ratio
        wanted = {
            "style": query_choice(request, "style", ("professional", "social")),
            "gender": query_choice(request, "gender", ("male", "female")),
            "age": query_choice(request, "age", ("adult", "senior", "young_adult")),
        }
        avatars = [
            avatar.wire(public_url(base_url(request), avatar.cover_path))
            for avatar in catalog.LOCAL_AVATARS
            if all(value in (None, getattr(avatar, name)) for name, value in wanted.items())
        ]
        return success(AvatarList(avatars=avatars))

    async def list_voices(request: Request) -> Response:
        page = query_int(request, "page", 1, range(1, 10**6))
        page_size = query_int(request, "page_size", 10, range(1, 101))
        gender = query_choice(request, "gender", ("male", "female"))
        language = request.query_params.get("language") or None
        if language is not None and language not in LANGUAGES:
            raise parameter_error(
                f"language must be one of the documented languages, such as english; "
                f"got {language!r}"
            )
        age = query_choice(request, "age", ("young", "middle_aged", "old"))
        voices = [
            catalog.wire_voice(
                voice, public_url(base_url(request), catalog.voice_audition_path(voice))
            )
            for voice in catalog.local_voices()
            if gender in (None, voice.gender)
            and language in (None, voice.language)
            and age in (None, catalog.VOICE_AGE)
        ]
        start = (page - 1) * page_size
        return success(VoiceList(total=len(voices), voices=voices[start : start + page_size]))

    async def list_musics(request: Request) -> Response:
        root = base_url(request)
        return success(MusicList(musics=catalog.music_list(lambda path: public_url(root, path))))

    routes: list[tuple[str, str, Handler, bool]] = [
        ("/product", "POST", create_product, True),
        ("/product", "PUT", update_product, False),
        ("/products", "GET", list_products, False),
        ("/create_video_from_url", "POST", create_video, True),
        ("/preview", "POST", create_preview, True),
        ("/project", "GET", project_info, False),
        ("/visual_styles", "GET", list_visual_styles, False),
        ("/templates", "GET", list_templates, False),
        ("/avatars", "GET", list_avatars, False),
        ("/voices", "GET", list_voices, False),
        ("/musics", "GET", list_musics, False),
    ]
    for path, method, handler, limited in routes:
        app.router.routes.append(
            Route(API_PREFIX + path, guarded(handler, limited=limited), methods=[method])
        )
    # The one v2 route the engine serves: the video list, which reconciles lost answers.
    app.router.routes.append(
        Route(V2_PREFIX + "/product_videos", guarded(list_product_videos), methods=["GET"])
    )
    # Auditions are made on first request, then served like any other file.
    app.router.routes.append(
        Route(auditions.ROUTE, auditions.make_auditions_endpoint(parts.layout), methods=["GET"])
    )
    app.router.routes.append(
        Route(
            FILES_ROUTE + "/{path:path}", make_files_endpoint(parts.layout), methods=["GET", "HEAD"]
        )
    )

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        where = f"{request.method} {request.url.path}"
        if error.status_code == 405:
            code, msg = CODE_BAD_PARAMETER, f"Parameter error: method not allowed for {where}"
        elif error.status_code == 404:
            code, msg = CODE_NOT_FOUND, f"Record not found: no endpoint {where}"
        else:
            code, msg = CODE_BAD_PARAMETER, f"Parameter error: {error.detail}"
        return error_response(
            ErrorReply(code, msg, status=error.status_code, headers=error.headers)
        )

    app.add_exception_handler(HTTPException, http_error)
    app.add_middleware(SystemErrorMiddleware)
    return app
