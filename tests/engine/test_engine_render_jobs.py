"""Every setting of a create-video request reaches its render job: none is stored and ignored."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.projects import plan_render_job
from jogg_pipeline.engine.render_job import RenderJob
from jogg_pipeline.engine.store import StoredProduct
from jogg_pipeline.wire.models import CreateVideoRequest

PRODUCT = StoredProduct(
    product_id="P1",
    url="https://shop.example/lamp",
    name="Lumo Desk Lamp",
    description=(
        "Dims smoothly from bright daylight to a warm evening glow. "
        "The arm folds flat, so it fits in a drawer. "
        "Regulable de luz diurna a luz cálida. El brazo se pliega y cabe en un cajón."
    ),
    target_audience="Students",
    media=[],
    details={"price": "49.90", "currency": "EUR", "availability": "InStock"},
    created_at=0,
)
BASE = dict(
    product_id="P1",
    aspect_ratio=0,
    video_length="15",
    language="english",
    avatar_id=1,
    avatar_type=0,
    visual_style="Presenter",
    script_style="Top 3 reasons",
    voice_id="local-en-US-female",
    template_type="public",
    music_id=2,
    caption=True,
)


def job_of(**changes: object) -> RenderJob:
    request = CreateVideoRequest.model_validate({**BASE, **changes})
    return plan_render_job(request, PRODUCT, quality="preview", project_id="ab" * 16, preview=False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "spanish", "voice_id": "local-es-ES-female"}, "script"),
        ({"script_style": "Challenge"}, "script"),
        ({"voice_id": "local-en-US-male"}, "voice_id"),
        ({"avatar_id": 2}, "presenter_id"),
        ({"music_id": 5}, "music_id"),
        ({"visual_style": "SplitScreen"}, "visual_style"),
        ({"override_script": "Bright light. Order now."}, "script"),
    ],
)
def test_each_setting_changes_what_is_rendered(change: dict, field: str) -> None:
    base, changed = job_of(), job_of(**change)
    assert getattr(base, field) != getattr(changed, field)


def test_a_spanish_request_is_narrated_in_spanish() -> None:
    job = job_of(language="spanish", voice_id=None)
    assert job.voice_id == "local-es-ES-female"
    text = " ".join(job.script)
    assert "cajón" in text and "drawer" not in text


def test_a_template_sets_its_layout_and_its_aspect_ratio() -> None:
    job = job_of(visual_style=None, template_id=3 * 3 + 1, aspect_ratio=0)
    assert (job.visual_style, job.aspect_ratio) == ("Presenter", 1)
    assert (
        "template 10 (Presenter, landscape 16:9) sets the aspect ratio: the video is landscape "
        "16:9, not portrait 9:16" in job.warnings
    )
