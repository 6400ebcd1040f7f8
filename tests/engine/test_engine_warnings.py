"""Nothing silent: products say which images could not be used and what their page lacked,
projects say what their video does differently from the request."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import (
    API_KEY,
    PRODUCT_DESCRIPTION,
    PRODUCT_NAME,
    create_video_body,
    engine_config,
    make_image,
)

from jogg_pipeline.engine.engine import LocalEngine

pytestmark = pytest.mark.anyio
CARD = "the product has no image: its videos show a designed card instead"


@asynccontextmanager
async def engine_client(data_dir: Path, shop: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An engine in this process that may read the files under `shop`."""
    config = engine_config(data_dir, workers=1, allowed_file_roots=(shop,))
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            yield client


def write_page(shop: Path, name: str, images: list[str], *, price: str | None = "12.99") -> Path:
    """A product page in `shop` naming `images` (paths relative to it) in its JSON-LD."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": PRODUCT_NAME,
        "description": PRODUCT_DESCRIPTION,
        "image": images,
    }
    if price is not None:
        data["offers"] = {"@type": "Offer", "price": price, "priceCurrency": "USD"}
    page = shop / name
    page.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>{PRODUCT_NAME}</title>'
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><h1>{PRODUCT_NAME}</h1></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A folder of product pages and images: a.jpg and c.png are real, b.jpg is missing and
    text.jpg is text."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(make_image((200, 40, 80), "JPEG"))
    (folder / "c.png").write_bytes(make_image((40, 120, 200), "PNG"))
    (folder / "text.jpg").write_text("this is text, not a JPEG")
    return folder


async def data_of(answer: httpx.Response) -> Any:
    body = answer.json()
    assert body["code"] == 0, body
    return body["data"]


async def test_images_that_cannot_be_used_are_counted_with_the_first_reason(
    tmp_path: Path, shop: Path
) -> None:
    page = write_page(shop, "p.html", ["a.jpg", "b.jpg", "c.png", "text.jpg"])
    expected = ["2 of 4 images could not be used (file not found: b.jpg)"]
    async with engine_client(tmp_path / "engine", shop) as client:
        product = await data_of(await client.post("/product", json={"url": page.as_uri()}))
        assert product["name"] == PRODUCT_NAME
        assert product["warnings"] == expected
        listed = await data_of(await client.get("/products"))
        assert [item["warnings"] for item in listed] == [expected]
    # Kept in the engine's database: a new engine reports the same.
    async with engine_client(tmp_path / "engine", shop) as client:
        listed = await data_of(await client.get("/products"))
        assert [item["warnings"] for item in listed] == [expected]


async def test_a_file_that_is_not_an_image_is_named(tmp_path: Path, shop: Path) -> None:
    page = write_page(shop, "p.html", ["a.jpg", "text.jpg"])
    async with engine_client(tmp_path / "engine", shop) as client:
        product = await data_of(await client.post("/product", json={"url": page.as_uri()}))
    assert product["warnings"] == [
        f"1 of 2 images could not be used ({(shop / 'text.jpg').as_uri()} is not an image this "
        "engine can read)"
    ]


async def test_a_page_without_images_or_price_says_so(tmp_path: Path, shop: Path) -> None:
    page = write_page(shop, "bare.html", [], price=None)
    async with engine_client(tmp_path / "engine", shop) as client:
        product = await data_of(await client.post("/product", json={"url": page.as_uri()}))
    assert product["media"] == []
    assert product["warnings"] == ["no price found on the page", CARD]


async def test_only_unusable_images_leave_a_designed_card(tmp_path: Path, shop: Path) -> None:
    one = write_page(shop, "one.html", ["b.jpg"])
    two = write_page(shop, "two.html", ["b.jpg", "gone.png"])
    async with engine_client(tmp_path / "engine", shop) as client:
        first = await data_of(await client.post("/product", json={"url": one.as_uri()}))
        second = await data_of(await client.post("/product", json={"url": two.as_uri()}))
    assert first["warnings"] == [
        "the product's image could not be used (file not found: b.jpg): its videos "
        "show a designed card instead"
    ]
    assert second["warnings"] == [
        "none of the product's 2 images could be used (file not found: b.jpg): its "
        "videos show a designed card instead"
    ]


async def test_fields_given_in_the_request_are_not_missing_from_the_page(
    tmp_path: Path, shop: Path
) -> None:
    page = write_page(shop, "p.html", ["a.jpg"], price=None)
    async with engine_client(tmp_path / "engine", shop) as client:
        priced = await data_of(
            await client.post("/product", json={"url": page.as_uri(), "details": {"price": "9.50"}})
        )
        unpriced = await data_of(await client.post("/product", json={"url": page.as_uri()}))
        from_fields = await data_of(await client.post("/product", json={"name": "Lamp"}))
    assert priced["warnings"] == []
    assert unpriced["warnings"] == ["no price found on the page"]
    assert from_fields["warnings"] == [CARD]  # no page: nothing is missing from one


async def test_a_put_that_replaces_the_media_recomputes_the_image_warning(
    tmp_path: Path, shop: Path
) -> None:
    page = write_page(shop, "p.html", ["a.jpg", "b.jpg"], price=None)
    async with engine_client(tmp_path / "engine", shop) as client:
        product = await data_of(await client.post("/product", json={"url": page.as_uri()}))
        assert product["warnings"] == [
            "no price found on the page",
            "1 of 2 images could not be used (file not found: b.jpg)",
        ]
        good = [{"type": 1, "url": (shop / "c.png").as_uri()}]
        replaced = await data_of(
            await client.put("/product", json={"product_id": product["product_id"], "media": good})
        )
        assert replaced["warnings"] == ["no price found on the page"]
        renamed = await data_of(
            await client.put("/product", json={"product_id": product["product_id"], "name": "X"})
        )
        assert renamed["warnings"] == ["no price found on the page"]
        bad = [*good, {"type": 1, "url": (shop / "text.jpg").as_uri()}]
        worse = await data_of(
            await client.put("/product", json={"product_id": product["product_id"], "media": bad})
        )
        listed = await data_of(await client.get("/products"))
    assert worse["warnings"] == [
        "no price found on the page",
        f"1 of 2 images could not be used ({(shop / 'text.jpg').as_uri()} is not an image this "
        "engine can read)",
    ]
    assert listed[-1]["warnings"] == worse["warnings"]


async def test_media_beyond_the_limit_are_counted(tmp_path: Path, shop: Path) -> None:
    config = engine_config(
        tmp_path / "engine", workers=1, allowed_file_roots=(shop,), max_media_per_product=1
    )
    media = [{"type": 1, "url": (shop / name).as_uri()} for name in ("a.jpg", "c.png")]
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            product = await data_of(
                await client.post("/product", json={"name": "Lamp", "media": media})
            )
    assert product["warnings"] == [
        "1 of 2 images could not be used (this engine fetches at most 1 media per product)"
    ]


# The products table as the engine's first version made it, without the warnings column.
OLD_PRODUCTS_TABLE = """
CREATE TABLE products (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    target_audience TEXT NOT NULL,
    media TEXT NOT NULL,
    details TEXT,
    created_at INTEGER NOT NULL
);
"""


async def test_a_database_of_the_previous_version_gains_the_column(
    tmp_path: Path, shop: Path
) -> None:
    data_dir = tmp_path / "engine"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / "engine.sqlite3") as old:
        old.executescript(OLD_PRODUCTS_TABLE)
        # A media item that failed before reasons were kept: no path, no problem.
        media = [{"type": 1, "url": "https://shop.example/a.jpg", "name": "", "description": ""}]
        old.execute(
            "INSERT INTO products (product_id, url, name, description, target_audience, media,"
            " details, created_at) VALUES ('NTQ0MTkzNjg', '', 'Lamp', '', '', ?, NULL, 1)",
            (json.dumps(media),),
        )
    old.close()
    page = write_page(shop, "p.html", [], price=None)
    async with engine_client(data_dir, shop) as client:
        listed = await data_of(await client.get("/products"))
        assert listed == [
            {
                "product_id": "NTQ0MTkzNjg",
                "url": "",
                "name": "Lamp",
                "description": "",
                "target_audience": "",
                "media": media,
                "warnings": [
                    "the product's image could not be used: its videos show a designed card instead"
                ],
            }
        ]
        created = await data_of(await client.post("/product", json={"url": page.as_uri()}))
        assert created["warnings"] == ["no price found on the page", CARD]


async def post_video(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    created = await data_of(await client.post("/create_video_from_url", json=body))
    return await data_of(await client.get("/project", params={"project_id": created["project_id"]}))


async def test_a_project_says_what_its_video_does_differently(tmp_path: Path, shop: Path) -> None:
    media = [
        {"type": 1, "url": (shop / "a.jpg").as_uri()},
        {"type": 2, "url": "https://shop.example/demo.mp4"},
    ]
    async with engine_client(tmp_path / "engine", shop) as client:
        product = await data_of(
            await client.post("/product", json={"name": "Lamp", "media": media})
        )
        walkthrough = await post_video(client, create_video_body(product["product_id"]))
        assert walkthrough["warnings"] == [
            "voice en-US-ChristopherNeural is spoken by this engine's voice local-en-US-male",
            "the product text is too thin for a full script: it is built from the product's "
            "name alone",
            "the product's video is not shown: this engine uses its images only",
        ]
        spanish = await post_video(
            client,
            create_video_body(
                product["product_id"],
                language="spanish",
                voice_id=None,
                visual_style=None,
                template_id=99,
                music_id=13,
            ),
        )
        assert spanish["warnings"] == [
            "template 99 is not one of this engine's templates: the video uses its template 0 "
            "(FullScreen, portrait 9:16)",
            "the product text is too thin for a full script: it is built from the product's "
            "name alone",
            "music 13 is not in this engine's library: the video has its music 1 (Warm acoustic)",
            "the product's video is not shown: this engine uses its images only",
        ]
        scripted = await post_video(
            client,
            create_video_body(
                product["product_id"],
                language="korean",
                voice_id="en-US-JennyNeural",
                caption=False,
                avatar_id=2,
                visual_style="PictureInPicture",
            ),
        )
        assert scripted["warnings"] == [
            "Voice en-US-JennyNeural speaks English, not the video's Korean: the narration uses "
            "local-ko-KR-female instead.",
            "language korean has no script frame in this engine and the product has no text in "
            "korean: the narration is the product's name",
            "the product's video is not shown: this engine uses its images only",
        ]
        preview = await data_of(
            await client.post("/preview", json=create_video_body(product["product_id"], music_id=3))
        )
        previewed = await data_of(
            await client.get("/project", params={"project_id": preview["project_id"]})
        )
        assert not any("music" in warning for warning in previewed["warnings"])
