"""Projects: a create-video request becomes a queued render job; its state is reported back.

A job also records what its video does differently from the request (`render_warnings`), and
the project reports it in `warnings`: this engine makes no narration and places no presenter
yet, and maps catalogue ids it does not have to its own.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from jogg_pipeline.api.enums import STATUS_DELETED, STATUS_FAILED, STATUS_SUCCESS
from jogg_pipeline.api.models import (
    CreateVideoRequest,
    ProductVideo,
    ProductVideoList,
    ProjectInfo,
    Template,
)
from jogg_pipeline.engine import catalog
from jogg_pipeline.engine.envelope import not_found, parameter_error
from jogg_pipeline.engine.files import public_url
from jogg_pipeline.engine.jobs import RenderQueue
from jogg_pipeline.engine.products import Products
from jogg_pipeline.engine.store import Store, StoredProduct

MEDIA_IMAGE = 1
MEDIA_VIDEO = 2
_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}
_CURRENCY_SYMBOLS |= {"KRW": "₩", "RUB": "₽", "TRY": "₺", "BRL": "R$", "AUD": "A$", "CAD": "C$"}


# The v2 list names statuses in words.
_LIST_STATUS = {STATUS_SUCCESS: "completed", STATUS_FAILED: "failed", STATUS_DELETED: "failed"}


def format_price(price: str | None, currency: str | None) -> str | None:
    """A price as a viewer reads it: "$19.99", "19,99 CHF"; None when there is no price."""
    if not price or not price.strip():
        return None
    amount = price.strip()
    try:
        amount = f"{Decimal(amount.replace(',', '')):,.2f}"
    except InvalidOperation:
        return amount  # already formatted text, such as "From $10"
    code = (currency or "").strip().upper()
    if not code:
        return amount
    symbol = _CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{amount}" if symbol else f"{amount} {code}"


def seed_of(project_id: str) -> int:
    return int(project_id[:8], 16)


def render_warnings(
    request: CreateVideoRequest,
    product: StoredProduct,
    *,
    template: Template | None,
    preview: bool,
) -> list[str]:
    """One sentence per thing the rendered video does differently from `request`."""
    spoken = f"voice {request.voice_id} is not heard" if request.voice_id else "no voice is heard"
    shown = "shows the script as captions only" if request.caption else "captions are off"
    warnings = [
        f"{spoken}: this engine does not narrate yet, and {shown}",
        f"avatar {request.avatar_id} does not appear: this engine places no presenter yet",
    ]
    if not request.override_script.strip():
        warnings.append(
            f'script style "{request.script_style}" is not applied: this engine writes no script '
            "yet and uses the product description as it is"
        )
        if request.language != "english" and request.caption:
            warnings.append(
                f"language {request.language} is not applied: this engine does not translate, "
                "so the captions are the product description as the page has it"
            )
    if template is not None and template.id != request.template_id:
        warnings.append(
            f"template {request.template_id} is not one of this engine's templates: the video "
            f"uses its template {template.id} ({template.name})"
        )
    # The preview endpoint ignores music_id, as the cloud's does.
    known_music = {music.id for music in catalog.music_list()}
    if request.music_id is not None and not preview and request.music_id not in known_music:
        warnings.append(
            f"music {request.music_id} is not in this engine's library: the video has the "
            "engine's own soft music instead"
        )
    videos = sum(item["type"] == MEDIA_VIDEO for item in product.media)
    if videos:
        which = "video is" if videos == 1 else f"{videos} videos are"
        warnings.append(f"the product's {which} not shown: this engine uses its images only")
    return warnings


def render_job(
    request: CreateVideoRequest,
    product: StoredProduct,
    *,
    quality: str,
    project_id: str,
    preview: bool,
) -> dict[str, Any]:
    """The stored description of one render: everything the worker needs, nothing it fetches,
    and the warnings its project reports."""
    template = None
    if request.visual_style is not None:
        style = catalog.find_visual_style(request.visual_style)
        if style is None:
            known = ", ".join(catalog.visual_styles())
            raise parameter_error(
                f"visual_style {request.visual_style!r} is not one of this engine's: {known}"
            )
        template_id = None
    else:
        template = catalog.resolve_template(request.template_id or 0, request.aspect_ratio)
        style, template_id = template.visual_style, template.id
    hinted_gender = catalog.voice_gender_hint(request.voice_id) if request.voice_id else None
    avatar = catalog.resolve_avatar(request.avatar_id, hinted_gender)
    voice = catalog.resolve_voice(request.voice_id, request.language, avatar.gender)
    details = product.details or {}
    override = request.override_script.strip()
    return {
        "aspect_ratio": request.aspect_ratio,
        "video_length": request.length_seconds,
        "title": product.name.strip() or request.video_name or "Product",
        "price": format_price(details.get("price"), details.get("currency")),
        "description": override or product.description,
        "images": [
            item["path"] for item in product.media if item["type"] == MEDIA_IMAGE and "path" in item
        ],
        "caption": request.caption,
        "visual_style": style,
        "template_id": template_id,
        "quality": quality,
        "seed": seed_of(project_id),
        "language": request.language,
        "script_style": request.script_style,
        "override_script": override,
        "avatar_id": avatar.avatar_id,
        "voice_id": voice.voice_id,
        "music_id": request.music_id,
        "warnings": render_warnings(request, product, template=template, preview=preview),
    }


class Projects:
    """The create-video, preview and project endpoints' logic."""

    def __init__(self, store: Store, products: Products, queue: RenderQueue, quality: str) -> None:
        self.store = store
        self.products = products
        self.queue = queue
        self.quality = quality

    def create(self, request: CreateVideoRequest, *, preview: bool) -> str:
        product = self.products.get(request.product_id)
        project_id = uuid.uuid4().hex
        job = render_job(
            request,
            product,
            quality="preview" if preview else self.quality,
            project_id=project_id,
            preview=preview,
        )
        self.store.insert_project(
            project_id=project_id,
            kind="preview" if preview else "video",
            product_id=product.product_id,
            title=request.video_name or product.name,
            request=request.model_dump(mode="json"),
            job=job,
        )
        self.queue.wake()
        return project_id

    def list_videos(self, page: int, page_size: int, base_url: str) -> ProductVideoList:
        projects, total = self.store.list_projects(
            "video", offset=(page - 1) * page_size, limit=page_size
        )
        videos = []
        for project in projects:
            done = project.status == STATUS_SUCCESS
            videos.append(
                ProductVideo(
                    id=project.project_id,
                    title=project.title,
                    video_duration=project.video_duration or 0,
                    video_url=public_url(base_url, project.video_path)
                    if done and project.video_path
                    else "",
                    cover_url=public_url(base_url, project.cover_path)
                    if done and project.cover_path
                    else "",
                    status=_LIST_STATUS.get(project.status, "processing"),
                    created_at=project.created_at,
                )
            )
        return ProductVideoList(videos=videos, total=total, page=page, page_size=page_size)

    def info(self, project_id: str | None, base_url: str) -> ProjectInfo:
        if not project_id or not project_id.strip():
            raise parameter_error("project_id is required")
        project = self.store.get_project(project_id.strip())
        if project is None:
            raise not_found(f"project_id {project_id!r} does not exist")
        done = project.status == STATUS_SUCCESS
        video = project.video_path if done else None
        cover = project.cover_path if done else None
        return ProjectInfo(
            id=project.project_id,
            title=project.title,
            video_url=public_url(base_url, video) if video else "",
            cover_url=public_url(base_url, cover) if cover else "",
            video_duration=round(project.video_duration or 0),
            status_code=project.status,
            status_desc=project.status_desc,
            created_at=project.created_at,
            # Jobs queued by an engine older than warnings have none.
            warnings=list(project.job.get("warnings", [])),
        )
