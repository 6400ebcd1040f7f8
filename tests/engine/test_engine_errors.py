"""Every error the engine reports, in the cloud's envelope: codes, messages, HTTP 200, rids."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import (
    API_KEY,
    PRODUCT_NAME,
    WALKTHROUGH_PUT_BODY,
    InProcess,
    ProductSite,
    create_video_body,
    engine_config,
)

from jogg_pipeline.engine.engine import EngineError, LocalEngine
from jogg_pipeline.quantities import Rate

pytestmark = pytest.mark.anyio
RID = re.compile(r"^[0-9a-f]{32}$")


def assert_error(response: httpx.Response, code: int, msg: str | None = None) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200, response.text
    assert body["code"] == code, body
    assert body["data"] is None
    assert RID.match(body["rid"])
    if msg is not None:
        assert body["msg"] == msg
    assert "Traceback" not in body["msg"]
    return body


async def make_product(client: httpx.AsyncClient) -> str:
    response = await client.post("/product", json={"name": PRODUCT_NAME, "description": "Glow"})
    assert response.json()["code"] == 0, response.text
    return str(response.json()["data"]["product_id"])


async def test_unknown_ids_are_10104(inprocess: InProcess) -> None:
    client = inprocess.client
    assert_error(
        await client.post("/create_video_from_url", json=create_video_body("NOPE")),
        10104,
        "Record not found: product_id 'NOPE' does not exist",
    )
    assert_error(await client.post("/preview", json=create_video_body("NOPE")), 10104)
    assert_error(await client.put("/product", json={"product_id": "NOPE", "name": "x"}), 10104)
    assert_error(
        await client.get("/project", params={"project_id": "0" * 32}),
        10104,
        f"Record not found: project_id '{'0' * 32}' does not exist",
    )


async def test_api_key_is_required_and_checked(inprocess: InProcess) -> None:
    transport = inprocess.client._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://engine/v1") as bare:
        assert_error(
            await bare.get("/products"), 10105, "Invalid API key: the x-api-key header is missing"
        )
        assert_error(
            await bare.post("/product", json={"name": "x"}, headers={"x-api-key": "wrong"}),
            10105,
            "Invalid API key: x-api-key is not a key of this engine",
        )
        assert_error(await bare.get("/avatars", headers={"x-api-key": API_KEY + "x"}), 10105)
        assert (await bare.get("/avatars", headers={"x-api-key": API_KEY})).json()["code"] == 0


async def test_parameter_errors_name_the_field(inprocess: InProcess) -> None:
    client = inprocess.client
    product_id = await make_product(client)
    body = create_video_body(product_id)
    del body["avatar_id"]
    assert_error(
        await client.post("/create_video_from_url", json=body),
        40000,
        "Parameter error: avatar_id is required",
    )
    assert_error(
        await client.post(
            "/create_video_from_url", json=create_video_body(product_id, aspect_ratio=7)
        ),
        40000,
        "Parameter error: aspect_ratio must be one of 0, 1 or 2; got 7",
    )
    # A style name of the cloud's list that this engine does not have is no error: it is
    # shown in the nearest local layout, and the project says so.
    unknown_style = create_video_body(product_id, visual_style="Hologram")
    response = await client.post("/create_video_from_url", json=unknown_style)
    assert response.json()["code"] == 0, response.text
    created = response.json()["data"]["project_id"]
    project = (await client.get("/project", params={"project_id": created})).json()["data"]
    assert (
        'visual style "Hologram" is shown as this engine\'s FullScreen layout'
        in (project["warnings"])
    )
    assert_error(await client.get("/project"), 40000, "Parameter error: project_id is required")
    assert_error(
        await client.get("/voices", params={"page_size": "0"}),
        40000,
        "Parameter error: page_size must be between 1 and 100",
    )
    assert_error(
        await client.get("/avatars", params={"gender": "robot"}),
        40000,
        "Parameter error: gender must be one of male, female; got 'robot'",
    )
    assert_error(
        await client.get("/voices", params={"language": "elvish"}),
        40000,
        "Parameter error: language must be one of the documented languages, such as english; "
        "got 'elvish'",
    )
    assert_error(
        await client.post("/product", json={}),
        40000,
        "Parameter error: url is required (or name, to create a product without a URL)",
    )


async def test_malformed_bodies_are_40000_not_500(inprocess: InProcess) -> None:
    client = inprocess.client
    product_id = await make_product(client)
    # The walkthrough's PUT example leaves the description's string unterminated.
    broken = WALKTHROUGH_PUT_BODY.replace("NTQ0MTkzNjg", product_id)
    body = assert_error(await client.put("/product", content=broken.encode()), 40000)
    assert body["msg"].startswith("Parameter error: request body is not valid JSON (")
    assert "line 4 column" in body["msg"]
    assert_error(
        await client.post("/product", content=b""),
        40000,
        "Parameter error: request body is empty; a JSON object is required",
    )
    assert_error(
        await client.post("/product", content=b"[1, 2]"),
        40000,
        "Parameter error: request body must be a JSON object",
    )
    assert_error(
        await client.post("/product", content=b"\xff\xfe{}"),
        40000,
        "Parameter error: request body is not UTF-8 encoded JSON",
    )
    assert_error(
        await client.post("/create_video_from_url", content=b'{"product_id": '),
        40000,
    )
    # The product is untouched by the failed update.
    listed = (await client.get("/products")).json()["data"]
    assert [p["name"] for p in listed if p["product_id"] == product_id] == [PRODUCT_NAME]


async def test_unknown_routes_and_methods_answer_with_an_envelope(inprocess: InProcess) -> None:
    client = inprocess.client
    response = await client.get("/no_such_endpoint")
    assert response.status_code == 404
    assert response.json()["code"] == 10104
    assert response.json()["msg"] == "Record not found: no endpoint GET /v1/no_such_endpoint"
    response = await client.delete("/product")
    assert response.status_code == 405
    assert response.json()["msg"] == "Parameter error: method not allowed for DELETE /v1/product"


async def test_every_response_has_a_fresh_rid(inprocess: InProcess) -> None:
    rids = {(await inprocess.client.get("/visual_styles")).json()["rid"] for _ in range(5)}
    rids.add((await inprocess.client.get("/nowhere")).json()["rid"])
    assert len(rids) == 6 and all(RID.match(rid) for rid in rids)


async def test_a_system_fault_is_50000_without_a_traceback(tmp_path: Path) -> None:
    async with LocalEngine(engine_config(tmp_path / "engine")) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            # A real fault under the engine: its products table disappears.
            with sqlite3.connect(engine.layout.database) as db:
                db.execute("DROP TABLE products")
            response = await client.get("/products")
            assert_error(response, 50000, "System error: internal error")


async def test_post_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    config = engine_config(
        tmp_path / "engine", api_keys=(API_KEY, "other-key"), post_rate=Rate(2, 60.0)
    )
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            for _ in range(2):
                assert (await client.post("/product", json={"name": "x"})).json()["code"] == 0
            limited = await client.post("/product", json={"name": "x"})
            assert_error(limited, 429, "Rate limit exceeded. Please try again later.")
            assert 1 <= int(limited.headers["Retry-After"]) <= 60
            # GETs are not limited, and each key has its own window.
            assert (await client.get("/products")).json()["code"] == 0
            other = await client.post(
                "/product", json={"name": "y"}, headers={"x-api-key": "other-key"}
            )
            assert other.json()["code"] == 0


async def test_fetch_refusals_are_parameter_errors(
    tmp_path: Path, product_site: ProductSite
) -> None:
    allowed = tmp_path / "pages"
    allowed.mkdir()
    (allowed / "p.html").write_bytes(b"<html><head><title>T</title></head></html>")
    outside = tmp_path / "secret.html"
    outside.write_text("<html></html>")
    config = engine_config(
        tmp_path / "engine", allow_private_urls=False, allowed_file_roots=(allowed,)
    )
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            for url in (product_site.page_url, outside.as_uri(), "ftp://example.com/x"):
                body = assert_error(await client.post("/product", json={"url": url}), 40000)
                assert body["msg"].startswith("Parameter error: url could not be fetched: "), body
            ok = await client.post("/product", json={"url": (allowed / "p.html").as_uri()})
            assert ok.json()["code"] == 0, ok.text


async def test_one_engine_per_data_folder(tmp_path: Path) -> None:
    async with LocalEngine(engine_config(tmp_path / "engine")):
        with pytest.raises(EngineError, match="is in use by another running engine"):
            async with LocalEngine(engine_config(tmp_path / "engine")):
                pass


def test_walkthrough_put_body_is_the_documented_one() -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(WALKTHROUGH_PUT_BODY)
