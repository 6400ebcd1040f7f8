"""Projects: a create-video request becomes a queued render job; its state is reported back.

The job is complete when it is queued: the narration script is written then (it is quick and
deterministic), and the voice, presenter, layout and music are chosen from this engine's own
catalogue. What the video does differently from the request (a cloud voice spoken by a local
one, a language without script phrases, ...) is recorded one sentence each, and the project
reports it in `warnings` and, once rendered, in `status_desc`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Literal

from jogg_pipeline.engine import catalog
from jogg_pipeline.engine.files import public_url
from jogg_pipeline.engine.jobs import RenderQueue
from jogg_pipeline.engine.media import MEDIA_IMAGE, MEDIA_VIDEO
from jogg_pipeline.engine.narration.script import ProductFacts, write_script
from jogg_pipeline.engine.narration.voices import voice_for_video
from jogg_pipeline.engine.products import Products
from jogg_pipeline.engine.render.music import DEFAULT_BED, DEFAULT_MUSIC_ID, NO_MUSIC, find_bed
from jogg_pipeline.engine.render.styles import presenter_shown, resolve_style
from jogg_pipeline.engine.render.timeline import narration_window
from jogg_pipeline.engine.render_job import RenderJob, UnreadableRenderJob
from jogg_pipeline.engine.replies import not_found, parameter_error
from jogg_pipeline.engine.store import Store, StoredProduct
from jogg_pipeline.engine.workers import CAPTIONS_NAME
from jogg_pipeline.wire.enums import STATUS_DELETED, STATUS_FAILED, STATUS_SUCCESS
from jogg_pipeline.wire.models import (
    CreateVideoRequest,
    ProductVideo,
    ProductVideoList,
    ProjectInfo,
)

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}
_CURRENCY_SYMBOLS |= {"KRW": "₩", "RUB": "₽", "TRY": "₺", "BRL": "R$", "AUD": "A$", "CAD": "C$"}


# The v2 list names statuses in words.
_LIST_STATUS: dict[int, Literal["completed", "failed"]] = {
    STATUS_SUCCESS: "completed",
    STATUS_FAILED: "failed",
    STATUS_DELETED: "failed",
}


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


def _captions_of(video_path: str) -> str:
    """The files-relative path of the captions written beside a project's video."""
    return video_path.rsplit("/", 1)[0] + f"/{CAPTIONS_NAME}"


def seed_of(project_id: str) -> int:
    return int(project_id[:8], 16)


def plan_render_job(
    request: CreateVideoRequest,
    product: StoredProduct,
    *,
    quality: str,
    project_id: str,
    preview: bool,
) -> RenderJob:
    """What the request's video is made of: everything the worker needs, nothing it fetches,
    and the notes its project reports."""
    notes: list[str] = []
    template = None
    if request.visual_style is not None:
        style, style_note = resolve_style(request.visual_style)
        notes += [style_note] if style_note else []
        template_id = None
    else:
        template = catalog.resolve_template(request.template_id or 0, request.aspect_ratio)
        style, template_id = template.visual_style, template.id
        if template.id != request.template_id:
            notes.append(
                f"template {request.template_id} is not one of this engine's templates: the "
                f"video uses its template {template.id} ({template.name})"
            )
    hinted_gender = catalog.voice_gender_hint(request.voice_id) if request.voice_id else None
    avatar = catalog.resolve_avatar(request.avatar_id, hinted_gender)
    aspect_ratio: int = request.aspect_ratio
    if template is not None and template.id == request.template_id:
        # A template is a layout in one aspect ratio, as the templates list says.
        aspect_ratio = template.aspect_ratio
        if aspect_ratio != request.aspect_ratio:
            shape, asked = (catalog.ASPECT_NAMES[a] for a in (aspect_ratio, request.aspect_ratio))
            notes.append(
                f"template {template.id} ({template.name}) sets the aspect ratio: the video is "
                f"{shape}, not {asked}"
            )
    # The presenter is in the video when the style shows one, and on the cover always.
    presenter_id = avatar.avatar_id
    if presenter_shown(style) and avatar.avatar_id != request.avatar_id:
        notes.append(
            f"avatar {request.avatar_id} is shown as this engine's drawn presenter "
            f"{avatar.avatar_id} ({avatar.name})"
        )
    choice = voice_for_video(request.voice_id, request.language, avatar.gender)
    if choice.note:
        notes.append(choice.note)
    elif request.voice_id and request.voice_id != choice.voice.voice_id:
        notes.append(
            f"voice {request.voice_id} is spoken by this engine's voice {choice.voice.voice_id}"
        )
    details = product.details or {}
    price = format_price(details.get("price"), details.get("currency"))
    facts = ProductFacts(
        name=product.name,
        description=product.description,
        target_audience=product.target_audience,
        price=price,
        brand=details.get("brand"),
        availability=details.get("availability"),
        sku=details.get("sku"),
    )
    start, end = narration_window(float(request.length_seconds))
    script = write_script(
        facts,
        request.script_style,
        request.language,
        end - start,
        override_script=request.override_script.strip(),
    )
    notes += script.notes
    # The preview endpoint ignores music_id, as the cloud's does.
    music_id = None if preview else request.music_id
    if music_id is not None and music_id != NO_MUSIC and find_bed(music_id) is None:
        notes.append(
            f"music {music_id} is not in this engine's library: the video has its music "
            f"{DEFAULT_MUSIC_ID} ({DEFAULT_BED.name})"
        )
        music_id = None
    videos = sum(item["type"] == MEDIA_VIDEO for item in product.media)
    if videos:
        which = "video is" if videos == 1 else f"{videos} videos are"
        notes.append(f"the product's {which} not shown: this engine uses its images only")
    return RenderJob(
        aspect_ratio=aspect_ratio,
        video_length=request.length_seconds,
        title=product.name.strip() or request.video_name or "Product",
        price=price,
        description=product.description,
        images=tuple(
            item["path"] for item in product.media if item["type"] == MEDIA_IMAGE and "path" in item
        ),
        caption=request.caption,
        visual_style=style,
        template_id=template_id,
        quality=quality,
        seed=seed_of(project_id),
        language=request.language,
        script_style=request.script_style,
        override_script=request.override_script.strip(),
        script=tuple(script.sentences),
        avatar_id=avatar.avatar_id,
        presenter_id=presenter_id,
        voice_id=choice.voice.voice_id,
        music_id=music_id,
        warnings=tuple(notes),
    )


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
        job = plan_render_job(
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
        try:
            job: RenderJob | None = project.job
        except UnreadableRenderJob:
            job = None  # its render failed saying so; the project is still reported
        return ProjectInfo(
            id=project.project_id,
            title=project.title,
            video_url=public_url(base_url, video) if video else "",
            cover_url=public_url(base_url, cover) if cover else "",
            video_duration=round(project.video_duration or 0),
            status_code=project.status,
            status_desc=project.status_desc,
            created_at=project.created_at,
            warnings=list(job.warnings) if job else [],
            captions_url=public_url(base_url, _captions_of(video))
            if video and job and job.script
            else "",
        )
