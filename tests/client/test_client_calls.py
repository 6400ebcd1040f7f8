"""Each call of the client against the real engine in this process (httpx's ASGI transport):
products created, updated and listed, videos requested and found again, and the engine's
refusals raised as their own exception classes. Nothing waits for a render."""

from __future__ import annotations

import time

import pytest
from client_kit import PRODUCT, in_process_client, video_request

from jogg_pipeline.client.errors import BadParameter, NotFound
from jogg_pipeline.engine.config import MAX_TEXT_CHARS
from jogg_pipeline.engine.engine import LocalEngine
from jogg_pipeline.wire.enums import ProjectStatus
from jogg_pipeline.wire.models import ProductCreateRequest, ProductUpdateRequest

pytestmark = pytest.mark.anyio
MISSING = "0123456789abcdef0123456789abcdef"
LONG_NAME = "x" * (MAX_TEXT_CHARS + 1)


async def test_products_are_created_updated_and_listed(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        first = await client.create_product(PRODUCT)
        assert first.product_id
        assert (first.name, first.description) == (PRODUCT.name, PRODUCT.description)
        assert first.media == [] and first.url == ""
        second = await client.create_product(
            ProductCreateRequest(name="Glass Kettle", description="Boils fast.")
        )
        assert second.product_id != first.product_id

        await client.update_product(
            ProductUpdateRequest(
                product_id=first.product_id,
                name="Happy Booster Heart Blush – 20% off",
                target_audience="Commuters",
            )
        )
        listed = {product.product_id: product for product in await client.list_products()}
    assert set(listed) == {first.product_id, second.product_id}
    updated = listed[first.product_id]
    assert (updated.name, updated.target_audience) == (
        "Happy Booster Heart Blush – 20% off",
        "Commuters",
    )
    assert updated.description == PRODUCT.description  # a field not sent stays as it was
    assert listed[second.product_id].name == "Glass Kettle"
    assert client.stats.sent == {"POST /product": 2, "PUT /product": 1, "GET /products": 1}


async def test_a_requested_video_is_a_project_and_is_in_the_video_list(
    engine: LocalEngine,
) -> None:
    before = int(time.time())
    async with in_process_client(engine.app) as client:
        product = await client.create_product(PRODUCT)
        project_id = await client.create_video(
            video_request(product.product_id, video_name="sale blush/short")
        )
        project = await client.get_project(project_id)
        videos = await client.list_product_videos()
        recent, complete = await client.videos_since(before, max_pages=1)
        later, nothing_older = await client.videos_since(time.time() + 3600, max_pages=1)
    assert project.id == project_id
    assert project.title == "sale blush/short"
    # Whatever its render has reached: nothing waits for it here.
    assert project.status_code not in (ProjectStatus.FAILED, ProjectStatus.DELETED)
    assert project.created_at >= before
    assert [(video.id, video.title) for video in videos] == [(project_id, "sale blush/short")]
    assert [video.id for video in recent] == [project_id] and complete
    assert later == [] and nothing_older


async def test_a_preview_is_a_project_of_its_own(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        product = await client.create_product(PRODUCT)
        request = video_request(product.product_id)
        preview = await client.create_preview(request)
        video = await client.create_video(request)
        assert preview != video
        assert (await client.get_project(preview)).id == preview


async def test_refusals_are_raised_as_their_own_classes(engine: LocalEngine) -> None:
    async with in_process_client(engine.app) as client:
        with pytest.raises(NotFound) as unknown_product:
            await client.update_product(ProductUpdateRequest(product_id=MISSING, name="x"))
        with pytest.raises(NotFound) as unknown_video_product:
            await client.create_video(video_request(MISSING))
        with pytest.raises(BadParameter) as too_long:
            await client.create_product(ProductCreateRequest(name=LONG_NAME))
        with pytest.raises(NotFound) as unknown_project:
            await client.get_project(MISSING)
    assert unknown_product.value.route == "/product"
    assert str(unknown_product.value).startswith(
        "JoggAI API error 10104 (Record not found) on PUT /product"
    )
    assert str(unknown_video_product.value).startswith(
        "JoggAI API error 10104 (Record not found) on POST /create_video_from_url"
    )
    assert str(too_long.value).startswith(
        "JoggAI API error 40000 (Parameter error) on POST /product: name has "
        f"{len(LONG_NAME)} characters; the limit is {MAX_TEXT_CHARS} [rid "
    )
    assert unknown_project.value.code == 10104
    assert client.stats.retries == 0  # refusals are answers, never retried
