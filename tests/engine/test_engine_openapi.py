"""The engine's OpenAPI document against JoggAI's, and the messages of the FastAPI layer.

Which of JoggAI's operations the engine implements is asked of the engine itself (anything but
404 or 405 is an answer), so the document is checked against what is served, not against a list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import API_KEY, InProcess, create_video_body
from ruamel.yaml import YAML

from jogg_pipeline.wire import models

pytestmark = pytest.mark.anyio
REFERENCE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "joggai" / "v1" / "openapi.yaml"
)
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(REFERENCE)
    return document


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path) -> operation of the paths served at the document's own server."""
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        if "servers" not in item
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def follow(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or what its local `$ref` points at."""
    if "$ref" not in node:
        return node
    target: Any = document
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return follow(document, target)


async def served_document(inprocess: InProcess) -> dict[str, Any]:
    transport = inprocess.client._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as bare:
        response = await bare.get("/openapi.json")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


async def implemented(inprocess: InProcess, reference: dict[str, Any]) -> set[tuple[str, str]]:
    """The reference's operations the engine answers: asked with an empty body, so that an
    implemented POST is a parameter error and changes nothing."""
    found = set()
    for method, path in operations(reference):
        response = await inprocess.client.request(method, path, content=b"")
        if response.status_code not in (404, 405):
            found.add((method, path))
    return found


async def test_the_document_is_served_without_a_key_and_no_docs_pages(
    inprocess: InProcess, reference: dict[str, Any]
) -> None:
    document = await served_document(inprocess)
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "/v1"}]
    # The key is documented as JoggAI documents it.
    assert document["components"]["securitySchemes"] == reference["components"]["securitySchemes"]
    assert document["security"] == reference["security"]
    transport = inprocess.client._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as bare:
        for page in ("/docs", "/redoc"):
            answer = await bare.get(page)
            assert answer.status_code == 404
            assert answer.json()["msg"] == f"Record not found: no endpoint GET {page}"


async def test_documented_operations_are_the_reference_operations_the_engine_serves(
    inprocess: InProcess, reference: dict[str, Any]
) -> None:
    served = await implemented(inprocess, reference)
    document = await served_document(inprocess)
    assert set(operations(document)) == served
    # Every answer is documented as the HTTP 200 envelope; FastAPI's 422 is never sent.
    for key, operation in operations(document).items():
        assert list(operation["responses"]) == ["200"], key
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert not {"HTTPValidationError", "ValidationError"} & set(document["components"]["schemas"])
    # The reference has more than the engine serves, and the engine serves its whole flow.
    assert served < set(operations(reference))
    assert {("POST", "/product"), ("POST", "/create_video_from_url"), ("GET", "/project")} <= served
    # The one route outside v1 keeps its own server, and answers there.
    elsewhere = {path: item for path, item in document["paths"].items() if "servers" in item}
    assert list(elsewhere) == ["/product_videos"]
    assert elsewhere["/product_videos"]["servers"] == [{"url": "/v2"}]
    assert set(elsewhere["/product_videos"]) == {"servers", "get"}
    answer = await inprocess.client.get("http://engine/v2/product_videos")
    assert answer.json()["code"] == 0


async def test_request_bodies_are_the_wire_models_with_the_reference_required_fields(
    inprocess: InProcess, reference: dict[str, Any]
) -> None:
    document = await served_document(inprocess)
    cloud = operations(reference)
    bodies = {
        key: operation["requestBody"]
        for key, operation in operations(document).items()
        if "requestBody" in operation
    }
    assert set(bodies) == {key for key in operations(document) if key[0] in ("POST", "PUT")}
    for key, body in bodies.items():
        assert body["required"] is True
        schema_ref = body["content"]["application/json"]["schema"]["$ref"]
        model = getattr(models, schema_ref.rsplit("/", 1)[1])
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        schema = follow(document, body["content"]["application/json"]["schema"])
        cloud_schema = follow(reference, cloud[key]["requestBody"]["content"]["application/json"])
        cloud_schema = follow(reference, cloud_schema["schema"])
        assert set(schema.get("required", [])) == required == set(cloud_schema.get("required", []))
        # Every field the cloud documents is one the model reads.
        assert set(cloud_schema["properties"]) <= set(schema["properties"]), key


async def test_query_parameters_have_the_reference_names(
    inprocess: InProcess, reference: dict[str, Any]
) -> None:
    document = await served_document(inprocess)
    cloud = operations(reference)
    for key, operation in operations(document).items():
        cloud_parameters = {
            parameter["name"]: parameter
            for parameter in (follow(reference, p) for p in cloud[key].get("parameters", []))
        }
        for parameter in operation.get("parameters", []):
            assert parameter["in"] == "query", key
            assert parameter["name"] in cloud_parameters, (key, parameter["name"])
            expected = cloud_parameters[parameter["name"]].get("required", False)
            assert parameter["required"] == expected, (key, parameter["name"])
    voices = operations(document)[("GET", "/voices")]["parameters"]
    voices = {parameter["name"]: parameter["schema"] for parameter in voices}
    assert voices["page_size"] == {**voices["page_size"], "minimum": 1, "maximum": 100}
    assert voices["gender"]["enum"] == ["male", "female"]


# (query, the message users have always had); each is read by the FastAPI layer's parameters.
QUERY_MESSAGES = [
    ("/voices?page=abc", "page must be an integer; got 'abc'"),
    ("/voices?page=2.0", "page must be an integer; got '2.0'"),
    ("/voices?page_size=101", "page_size must be between 1 and 100"),
    ("/visual_styles?aspect_ratio=3", "aspect_ratio must be between -1 and 2"),
    ("/templates?aspect_ratio=x", "aspect_ratio must be an integer; got 'x'"),
    ("/avatars?aspect_ratio=-1", "aspect_ratio must be between 0 and 2"),
    ("/avatars?style=casual", "style must be one of professional, social; got 'casual'"),
    ("/voices?age=ancient", "age must be one of young, middle_aged, old; got 'ancient'"),
    ("/voices?page=0&gender=robot", "page must be between 1 and 999999"),
    ("/project?project_id=", "project_id is required"),
    ("http://engine/v2/product_videos?page_size=0", "page_size must be between 1 and 100"),
]


async def test_query_messages_are_the_ones_users_had(inprocess: InProcess) -> None:
    for query, message in QUERY_MESSAGES:
        answer = await inprocess.client.get(query)
        assert answer.status_code == 200, query
        assert (answer.json()["code"], answer.json()["msg"]) == (
            40000,
            f"Parameter error: {message}",
        ), query


async def test_blank_and_python_integer_query_values_are_read_as_before(
    inprocess: InProcess,
) -> None:
    client = inprocess.client
    every = (await client.get("/voices", params={"page_size": 100})).json()["data"]
    # A blank value is the default; int() reads spaces, a sign and non-ASCII digits.
    assert (await client.get("/voices?page=&gender=&page_size=100")).json()["data"] == every
    second = (await client.get("/voices", params={"page": 2, "page_size": 1})).json()["data"]
    assert (await client.get("/voices?page=+2&page_size=%20%D9%A1")).json()["data"] == second


async def test_body_messages_are_the_ones_users_had(inprocess: InProcess) -> None:
    client = inprocess.client
    product_id = (await client.post("/product", json={"name": "Lamp"})).json()["data"]["product_id"]
    cases = [
        (
            "PUT",
            "/product",
            {"product_id": product_id, "media": [{"type": 3, "url": "u"}]},
            "media[0].type must be one of 1 or 2; got 3",
        ),
        ("PUT", "/product", {"name": "x"}, "product_id is required"),
        ("POST", "/product", {"name": 5}, "name must be a string; got 5"),
        (
            "POST",
            "/preview",
            create_video_body(product_id, aspect_ratio="wide", language="klingon"),
            "aspect_ratio must be one of 0, 1 or 2; got 'wide'",
        ),
        (
            "POST",
            "/create_video_from_url",
            create_video_body(product_id, template_id=2),
            "give either visual_style or template_id, not both",
        ),
    ]
    for method, path, body, message in cases:
        answer = await client.request(method, path, json=body)
        assert answer.status_code == 200
        assert (answer.json()["code"], answer.json()["msg"]) == (
            40000,
            f"Parameter error: {message}",
        ), body


async def test_any_content_type_is_read_as_json_and_get_routes_answer_head(
    inprocess: InProcess,
) -> None:
    client = inprocess.client
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        answer = await client.post(
            "/product", content=b'{"name": "Lamp"}', headers={"content-type": content_type}
        )
        assert answer.json()["code"] == 0, answer.text
        assert answer.json()["data"]["name"] == "Lamp"
    # HEAD is answered where GET is, behind the same key check, and is not documented.
    head = await client.head("/products")
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == len((await client.get("/products")).content)
    refused = await client.head("/products", headers={"x-api-key": API_KEY + "-not"})
    assert refused.status_code == 200
    assert int(refused.headers["content-length"]) == len(
        (await client.get("/products", headers={"x-api-key": API_KEY + "-not"})).content
    )
    document = await served_document(inprocess)
    assert all("head" not in item for item in document["paths"].values())


async def test_the_key_is_checked_before_the_body_is_read(inprocess: InProcess) -> None:
    transport = inprocess.client._transport
    oversized = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    async with httpx.AsyncClient(transport=transport, base_url="http://engine/v1") as bare:
        for headers, message in (
            ({}, "Invalid API key: the x-api-key header is missing"),
            ({"x-api-key": "wrong"}, "Invalid API key: x-api-key is not a key of this engine"),
        ):
            for body in (oversized, b"{not json"):
                answer = await bare.post("/preview", content=body, headers=headers)
                assert (answer.json()["code"], answer.json()["msg"]) == (10105, message)
