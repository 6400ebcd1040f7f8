"""The ASGI app: the JoggAI v1 routes under /v1, the one v2 route, and the files routes.

FastAPI rather than plain Starlette: each route declares its body model (from
`jogg_pipeline.wire.models`), its query parameters and its answer once, and that one declaration
both validates requests and documents them at `/openapi.json` (served without a key; no /docs or
/redoc, whose pages load scripts from the web). Its dispatch costs some 30-50 us a request more
than Starlette's, nothing beside a fetch or a render. What FastAPI does its own way is kept as
the engine did it: key, rate limit and body limits first (engine/routing.py), and every refusal
is the HTTP 200 envelope with the engine's one-line message.

Nothing here depends on lifespan events (an in-process ASGITransport does not send them): the
engine builds the app after opening everything it needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from jogg_pipeline import __version__
from jogg_pipeline.engine import auditions, catalog
from jogg_pipeline.engine.files import FILES_ROUTE, DataLayout, make_files_endpoint, public_url
from jogg_pipeline.engine.http_body import within_limits
from jogg_pipeline.engine.openapi import API_PREFIX, engine_document
from jogg_pipeline.engine.parameters import (
    AspectRatioFilter,
    AvatarAgeFilter,
    AvatarAspectRatio,
    AvatarStyleFilter,
    GenderFilter,
    LanguageFilter,
    Page,
    PageSize,
    ProjectId,
    VoiceAgeFilter,
)
from jogg_pipeline.engine.products import Products
from jogg_pipeline.engine.projects import Projects
from jogg_pipeline.engine.ratelimit import SlidingWindowLimiter
from jogg_pipeline.engine.replies import (
    ErrorReply,
    SystemErrorMiddleware,
    error_response,
    invalid_request,
    success,
)
from jogg_pipeline.engine.routing import guarded_route
from jogg_pipeline.wire.enums import CODE_BAD_PARAMETER, CODE_NOT_FOUND
from jogg_pipeline.wire.envelope import Envelope
from jogg_pipeline.wire.models import (
    AvatarList,
    CreateVideoRequest,
    MusicList,
    Product,
    ProductCreateRequest,
    ProductUpdateRequest,
    ProductVideoList,
    ProjectCreated,
    ProjectInfo,
    TemplateList,
    VisualStyleList,
    VoiceList,
)

V2_PREFIX = "/v2"
ENVELOPE_NOTE = (
    "The envelope {rid, code, msg, data}: code 0 and the data, or an error code and message "
    "with data null. Errors are HTTP 200 too; only unknown routes and methods are 404 and 405."
)

# Bodies as the routes take them: the wire model, then the engine's limits on its fields.
ProductCreateBody = Annotated[ProductCreateRequest, AfterValidator(within_limits)]
ProductUpdateBody = Annotated[ProductUpdateRequest, AfterValidator(within_limits)]
CreateVideoBody = Annotated[CreateVideoRequest, AfterValidator(within_limits)]


@dataclass(frozen=True)
class AppParts:
    """What the routes work with."""

    layout: DataLayout
    api_keys: tuple[str, ...]
    products: Products
    projects: Projects
    limiter: SlidingWindowLimiter | None


class EngineApp(FastAPI):
    """The engine's FastAPI app, whose OpenAPI document is shaped like JoggAI's."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = engine_document(
                self.title, self.version, self.description, self.routes
            )
        return self.openapi_schema


def base_url(request: Request) -> str:
    """The engine's root URL as this client reached it (files are served from there)."""
    return str(request.base_url).rstrip("/")


def build_app(parts: AppParts) -> FastAPI:
    app = EngineApp(
        title="jogg-pipeline local engine",
        version=__version__,
        description="The JoggAI v1 API, served on this machine by the local engine.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        # The document's servers are relative to where it is served, proxy prefix or not.
        root_path_in_servers=False,
    )

    async def create_product(request: Request, body: ProductCreateBody) -> Response:
        return success(await parts.products.create(body, base_url(request)))

    async def update_product(request: Request, body: ProductUpdateBody) -> Response:
        return success(await parts.products.update(body, base_url(request)))

    async def list_products(request: Request) -> Response:
        return success(parts.products.list(base_url(request)))

    async def create_video(body: CreateVideoBody) -> Response:
        return success(ProjectCreated(project_id=parts.projects.create(body, preview=False)))

    async def create_preview(body: CreateVideoBody) -> Response:
        return success(ProjectCreated(project_id=parts.projects.create(body, preview=True)))

    async def project_info(request: Request, project_id: ProjectId) -> Response:
        return success(parts.projects.info(project_id, base_url(request)))

    async def list_product_videos(
        request: Request, page: Page = 1, page_size: PageSize = 10
    ) -> Response:
        return success(parts.projects.list_videos(page, page_size, base_url(request)))

    async def list_visual_styles(aspect_ratio: AspectRatioFilter = -1) -> Response:
        styles = catalog.visual_style_list(None if aspect_ratio == -1 else aspect_ratio)
        return success(VisualStyleList(visual_styles=styles))

    async def list_templates(aspect_ratio: AspectRatioFilter = -1) -> Response:
        templates = [t for t in catalog.template_list() if aspect_ratio in (-1, t.aspect_ratio)]
        return success(TemplateList(templates=templates))

    async def list_avatars(
        request: Request,
        # Checked, then unused: drawn presenters fit every ratio.
        aspect_ratio: AvatarAspectRatio = 0,
        style: AvatarStyleFilter = None,
        gender: GenderFilter = None,
        age: AvatarAgeFilter = None,
    ) -> Response:
        wanted = {"style": style, "gender": gender, "age": age}
        root = base_url(request)
        avatars = [
            avatar.wire(public_url(root, avatar.cover_path))
            for avatar in catalog.LOCAL_AVATARS
            if all(value in (None, getattr(avatar, name)) for name, value in wanted.items())
        ]
        return success(AvatarList(avatars=avatars))

    async def list_voices(
        request: Request,
        page: Page = 1,
        page_size: PageSize = 10,
        gender: GenderFilter = None,
        language: LanguageFilter = None,
        age: VoiceAgeFilter = None,
    ) -> Response:
        root = base_url(request)
        voices = [
            catalog.wire_voice(voice, public_url(root, catalog.voice_audition_path(voice)))
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

    # (method, path, endpoint, its answer)
    routes: list[tuple[str, str, Callable[..., Awaitable[Response]], Any]] = [
        ("POST", API_PREFIX + "/product", create_product, Envelope[Product]),
        ("PUT", API_PREFIX + "/product", update_product, Envelope[Product]),
        ("GET", API_PREFIX + "/products", list_products, Envelope[list[Product]]),
        ("POST", API_PREFIX + "/create_video_from_url", create_video, Envelope[ProjectCreated]),
        ("POST", API_PREFIX + "/preview", create_preview, Envelope[ProjectCreated]),
        ("GET", API_PREFIX + "/project", project_info, Envelope[ProjectInfo]),
        ("GET", API_PREFIX + "/visual_styles", list_visual_styles, Envelope[VisualStyleList]),
        ("GET", API_PREFIX + "/templates", list_templates, Envelope[TemplateList]),
        ("GET", API_PREFIX + "/avatars", list_avatars, Envelope[AvatarList]),
        ("GET", API_PREFIX + "/voices", list_voices, Envelope[VoiceList]),
        ("GET", API_PREFIX + "/musics", list_musics, Envelope[MusicList]),
        # The one v2 route the engine serves: the video list, which reconciles lost answers.
        ("GET", V2_PREFIX + "/product_videos", list_product_videos, Envelope[ProductVideoList]),
    ]
    route_class = guarded_route(parts.api_keys, parts.limiter)
    for method, path, endpoint, answer in routes:
        app.router.add_api_route(
            path,
            endpoint,
            methods=[method],
            # Documentation only: the endpoints answer with the envelope already made.
            response_model=answer,
            responses={200: {"description": ENVELOPE_NOTE}},
            route_class_override=route_class,
        )
    # Auditions are made on first request, then served like any other file.
    app.add_route(auditions.ROUTE, auditions.make_auditions_endpoint(parts.layout), ["GET"])
    app.add_route(FILES_ROUTE + "/{path:path}", make_files_endpoint(parts.layout), ["GET", "HEAD"])
    # Starlette's routes answer HEAD beside GET, as the engine's always have; FastAPI's answer
    # only what they declare. Last, so that they cost no other request a look.
    for method, path, endpoint, _ in routes:
        if method == "GET":
            app.router.add_api_route(
                path,
                endpoint,
                methods=["HEAD"],
                include_in_schema=False,
                route_class_override=route_class,
            )

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, ErrorReply)
        return error_response(error)

    async def not_valid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return error_response(invalid_request(error))

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

    app.add_exception_handler(ErrorReply, refused)
    app.add_exception_handler(RequestValidationError, not_valid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_middleware(SystemErrorMiddleware)
    return app
