"""Products: media re-hosted when they can be downloaded, kept when not; partial updates."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from engine_support import InProcess, ProductSite

pytestmark = pytest.mark.anyio
FILES = "http://engine/files/media/"


async def post(inprocess: InProcess, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = (await inprocess.client.post(path, json=body)).json()
    assert answer["code"] == 0, answer
    return dict(answer["data"])


async def test_product_from_fields_rehosts_what_it_can(
    inprocess: InProcess, product_site: ProductSite
) -> None:
    shop = product_site.base_url
    media = [
        {"type": 1, "url": f"{shop}/img/front.jpg", "name": "Front", "description": "Front view"},
        {"type": 1, "url": f"{shop}/not-an-image.jpg", "name": "Broken"},
        {"type": 1, "url": f"{shop}/img/gone.jpg"},
        {"type": 2, "url": f"{shop}/video/demo.mp4", "name": "Demo"},
    ]
    product = await post(inprocess, "/product", {"name": "Lamp", "media": media})
    urls = [item["url"] for item in product["media"]]
    assert urls[0].startswith(FILES) and urls[0].endswith(".jpg")
    assert urls[1:] == [item["url"] for item in media[1:]]
    assert [item["name"] for item in product["media"]] == ["Front", "Broken", "", "Demo"]
    assert product["media"][0]["description"] == "Front view"
    assert product["url"] == "" and "details" not in product
    served = await inprocess.client.get(urls[0])
    async with httpx.AsyncClient() as outside:
        assert served.content == (await outside.get(f"{shop}/img/front.jpg")).content


async def test_partial_update_and_media_replacement(
    inprocess: InProcess, product_site: ProductSite
) -> None:
    shop = product_site.base_url
    first = {"type": 1, "url": f"{shop}/img/front.jpg"}
    product = await post(
        inprocess,
        "/product",
        {
            "name": "Lamp",
            "description": "Warm light",
            "target_audience": "Readers",
            "media": [first],
        },
    )
    rehosted = product["media"][0]
    answer = await inprocess.client.put(
        "/product",
        json={
            "product_id": product["product_id"],
            "name": "Reading lamp",
            "details": {"price": 39.5, "currency": "EUR"},
        },
    )
    updated = answer.json()["data"]
    assert updated["name"] == "Reading lamp"
    assert (updated["description"], updated["target_audience"]) == ("Warm light", "Readers")
    assert updated["media"] == [rehosted]
    assert updated["details"] == {"price": "39.5", "currency": "EUR"}

    # Our own URLs are recognised, not downloaded again; the list is replaced as given.
    second = {"type": 1, "url": f"{shop}/img/side.png", "name": "Side"}
    replaced = (
        await inprocess.client.put(
            "/product",
            json={"product_id": product["product_id"], "media": [second, rehosted]},
        )
    ).json()["data"]
    assert [item["url"].startswith(FILES) for item in replaced["media"]] == [True, True]
    assert replaced["media"][1] == rehosted
    listed = (await inprocess.client.get("/products")).json()["data"]
    assert listed[-1] == replaced


async def test_a_page_without_a_product_is_a_parameter_error(
    inprocess: InProcess, product_site: ProductSite
) -> None:
    url = f"{product_site.base_url}/not-an-image.jpg"
    answer = (await inprocess.client.post("/product", json={"url": url})).json()
    assert answer["code"] == 40000
    assert answer["msg"] == (
        f"Parameter error: url {url!r} has no product information (no name, description or media)"
    )
    missing = f"{product_site.base_url}/no-such-page.html"
    answer = (await inprocess.client.post("/product", json={"url": missing})).json()
    assert answer["code"] == 40000
    assert answer["msg"].startswith("Parameter error: url could not be fetched: ")
