"""The walkthrough's four steps, over real HTTP (`jogg-pipeline serve`) and in-process (ASGI).

Bodies are the walkthrough's own; only hosts and ids change (the media hosts of the PUT body
point at the loopback shop, where those files do not exist, so no test leaves the machine).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import (
    API_KEY,
    PRODUCT_NAME,
    WALKTHROUGH_PUT_FIXED,
    WALKTHROUGH_WITH_TEMPLATE,
    WALKTHROUGH_WITH_VISUAL_STYLE,
    ProductSite,
    ServedEngine,
    engine_config,
    make_image,
    product_page,
    read_video,
    wait_for_project,
)
from PIL import Image

from jogg_pipeline.engine.engine import LocalEngine

HEX32 = re.compile(r"^[0-9a-f]{32}$")
PORTRAIT_PREVIEW = (360, 640)


def put_body(product_id: str, shop: str, extra_media: list[dict[str, Any]]) -> dict[str, Any]:
    body = json.loads(WALKTHROUGH_PUT_FIXED.replace("https://res.jogg.ai", shop))
    body["product_id"] = product_id
    body["media"] = extra_media + body["media"]
    return body


def video_body(template: str, product_id: str) -> dict[str, Any]:
    return {**json.loads(template), "product_id": product_id}


def check_product_from_page(product: dict[str, Any], page_url: str, files_prefix: str) -> None:
    assert product["name"] == PRODUCT_NAME
    assert product["url"] == page_url
    assert product["details"]["price"] == "12.99"
    assert product["details"]["currency"] == "USD"
    images = [m for m in product["media"] if m["type"] == 1]
    rehosted = [m for m in images if m["url"].startswith(files_prefix)]
    kept = [m for m in images if not m["url"].startswith(files_prefix)]
    assert len(rehosted) == 2, product["media"]
    assert [m["url"].rsplit("/", 1)[-1] for m in kept] == ["missing.jpg"]


def check_video(content: bytes, cover: bytes, seconds: int) -> None:
    facts = read_video(content)
    assert abs(facts.duration - seconds) <= 0.1, facts
    assert (facts.width, facts.height) == PORTRAIT_PREVIEW
    assert (facts.video_codec, facts.audio_codec) == ("h264", "aac")
    with Image.open(io.BytesIO(cover)) as image:
        image.load()
        assert image.height > image.width


@pytest.mark.slow
def test_walkthrough_over_http(served: ServedEngine, product_site: ProductSite) -> None:
    headers = {"x-api-key": API_KEY, "Content-Type": "application/json"}
    with httpx.Client(base_url=served.api_url, headers=headers, timeout=30) as client:
        # 1. Upload the URL to create the product.
        created = client.post("/product", json={"url": product_site.page_url}).json()
        assert created["code"] == 0 and created["msg"] == "success", created
        product = created["data"]
        check_product_from_page(product, product_site.page_url, f"{served.root_url}/files/media/")
        rehosted = [m for m in product["media"] if m["url"].startswith(served.root_url)]
        original = httpx.get(f"{product_site.base_url}/img/front.jpg").content
        assert original in [httpx.get(m["url"]).content for m in rehosted]

        # 2. Update the product with the walkthrough's fields (media replace the list).
        body = put_body(product["product_id"], product_site.base_url, rehosted[:1])
        updated = client.put("/product", json=body).json()
        assert updated["code"] == 0, updated
        assert updated["data"]["name"] == "Physician Tested update"
        assert updated["data"]["description"].endswith("add radiance to cheeks.")
        assert [m["url"] for m in updated["data"]["media"]] == [m["url"] for m in body["media"]]
        listed = client.get("/products").json()["data"]
        assert [p for p in listed if p["product_id"] == product["product_id"]] == [updated["data"]]

        # 3. Generate the video, with a visual style and with a template.
        project_ids = []
        for template in (WALKTHROUGH_WITH_VISUAL_STYLE, WALKTHROUGH_WITH_TEMPLATE):
            answer = client.post(
                "/create_video_from_url", json=video_body(template, product["product_id"])
            ).json()
            assert answer["code"] == 0, answer
            assert HEX32.match(answer["data"]["project_id"])
            project_ids.append(answer["data"]["project_id"])

        # 4. Get the generated video.
        for project_id in project_ids:
            info = poll(client, project_id)
            assert info["status_code"] == 4, info
            assert info["status_desc"].startswith("success")
            assert info["id"] == project_id
            assert info["title"] == "Physician Tested update"
            assert info["video_duration"] == 15
            assert abs(info["created_at"] - time.time()) < 300
            assert info["video_url"].startswith(f"{served.root_url}/files/projects/{project_id}/")
            video = httpx.get(info["video_url"])
            assert video.headers["content-type"] == "video/mp4"
            check_video(video.content, httpx.get(info["cover_url"]).content, 15)


def poll(client: httpx.Client, project_id: str, timeout: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        data = client.get("/project", params={"project_id": project_id}).json()["data"]
        seen.add(data["status_code"])
        if data["status_code"] in (4, 5):
            assert seen <= {2, 3, 4, 5}
            return dict(data)
        time.sleep(0.2)
    raise AssertionError(f"project {project_id} did not finish: {data}")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_walkthrough_curl_commands(served: ServedEngine, product_site: ProductSite) -> None:
    """The walkthrough's curl commands, unchanged but for the host, key and ids."""

    def curl(method: str, path: str, body: str | None = None) -> dict[str, Any]:
        command = ["curl", "--silent", "--location", "--request", method, served.api_url + path]
        command += ["--header", f"x-api-key: {API_KEY}"]
        if body is not None:
            command += ["--header", "Content-Type: application/json", "--data-raw", body]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
        return dict(json.loads(result.stdout))

    created = curl("POST", "/product", '{\n    "url": "' + product_site.page_url + '"\n}')
    product_id = created["data"]["product_id"]
    fixed = WALKTHROUGH_PUT_FIXED.replace("NTQ0MTkzNjg", product_id)
    fixed = fixed.replace("https://res.jogg.ai", product_site.base_url)
    assert curl("PUT", "/product", fixed)["code"] == 0
    created_video = curl(
        "POST",
        "/create_video_from_url",
        WALKTHROUGH_WITH_VISUAL_STYLE.replace("NTQ0MTkzNjg", product_id),
    )
    project_id = created_video["data"]["project_id"]
    deadline = time.monotonic() + 120
    while (info := curl("GET", f"/project?project_id={project_id}"))["data"]["status_code"] < 4:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert info["data"]["status_code"] == 4, info


@pytest.mark.anyio
async def test_walkthrough_in_process(tmp_path: Path) -> None:
    """The runner's way: file:// product pages under an allowed root, through ASGITransport."""
    shop = tmp_path / "shop"
    (shop / "img").mkdir(parents=True)
    (shop / "img" / "front.jpg").write_bytes(make_image((10, 160, 90), "JPEG"))
    (shop / "product.html").write_bytes(product_page(["img/front.jpg", "img/missing.jpg"]))
    config = engine_config(
        tmp_path / "engine", allowed_file_roots=(shop,), allow_private_urls=False
    )
    async with LocalEngine(config) as engine:
        transport = httpx.ASGITransport(app=engine.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://engine/v1", headers={"x-api-key": API_KEY}
        ) as client:
            page_url = (shop / "product.html").as_uri()
            created = (await client.post("/product", json={"url": page_url})).json()
            assert created["code"] == 0, created
            media = created["data"]["media"]
            assert [m["url"].startswith("http://engine/files/media/") for m in media] == [
                True,
                False,
            ]
            product_id = created["data"]["product_id"]
            updated = (
                await client.put(
                    "/product", json={"product_id": product_id, "target_audience": "Makeup fans"}
                )
            ).json()
            assert updated["data"]["target_audience"] == "Makeup fans"
            assert updated["data"]["media"] == media  # untouched by a partial update

            preview = await client.post(
                "/preview", json=video_body(WALKTHROUGH_WITH_VISUAL_STYLE, product_id)
            )
            project_id = preview.json()["data"]["project_id"]
            info = await wait_for_project(client, project_id)
            assert info["status_code"] == 4, info
            video = await client.get(str(info["video_url"]))
            cover = await client.get(str(info["cover_url"]))
            check_video(video.content, cover.content, 15)
