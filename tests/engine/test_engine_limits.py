"""The engine's limits on what a request may hold: body size, field lengths, JSON that Python
accepts but no API should (huge numbers, lone surrogates, deep nesting, Infinity), URLs that
cannot be fetched, and a repeated API key. Each is a 40000 (or 10105) naming what is wrong,
never a 50000.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import API_KEY, InProcess, create_video_body, start_serve
from pydantic import ValidationError

from jogg_pipeline.engine.config import (
    MAX_BODY_BYTES,
    MAX_MEDIA_ITEMS,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
    MAX_VIDEO_NAME_CHARS,
)
from jogg_pipeline.wire.models import ProductDetails, describe_validation_error

pytestmark = pytest.mark.anyio
JSON = {"content-type": "application/json"}
BODY_TOO_LARGE = "Parameter error: request body is larger than the limit of 2 MiB (2097152 bytes)"


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert response.status_code == 200, response.text
    assert body["data"] is None, body
    return body["code"], body["msg"]


async def post_raw(client: httpx.AsyncClient, path: str, body: str) -> tuple[int, str]:
    return error_of(await client.post(path, content=body.encode(), headers=JSON))


async def test_a_body_over_the_limit_is_refused_declared_or_streamed(
    inprocess: InProcess,
) -> None:
    client = inprocess.client
    padding = "x" * MAX_BODY_BYTES
    declared = await client.post("/product", content=f'{{"name": "{padding}"}}', headers=JSON)
    assert error_of(declared) == (40000, BODY_TOO_LARGE)

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(3):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    streamed = await client.post("/product", content=chunks(), headers=JSON)
    assert "content-length" not in streamed.request.headers
    assert error_of(streamed) == (40000, BODY_TOO_LARGE)
    # Nothing was stored.
    assert (await client.get("/products")).json()["data"] == []


async def test_a_body_just_under_the_limit_reaches_the_field_checks(inprocess: InProcess) -> None:
    name = "x" * (MAX_BODY_BYTES - 20)
    assert await post_raw(inprocess.client, "/product", f'{{"name": "{name}"}}') == (
        40000,
        f"Parameter error: name has {len(name)} characters; the limit is {MAX_TEXT_CHARS}",
    )


def product_with(field: str, value: Any) -> dict[str, Any]:
    return {"name": "Blush", field: value}


def image(url: str = "http://127.0.0.1:9/a.jpg") -> dict[str, Any]:
    return {"type": 1, "url": url}


LONG_URL = "http://127.0.0.1:9/" + "a" * MAX_URL_CHARS
LONG_TEXT = "x" * (MAX_TEXT_CHARS + 1)
# (field, value, the field the answer names, its length, its limit)
TOO_LONG = [
    ("name", LONG_TEXT, "name", len(LONG_TEXT), MAX_TEXT_CHARS),
    ("description", LONG_TEXT, "description", len(LONG_TEXT), MAX_TEXT_CHARS),
    ("target_audience", LONG_TEXT, "target_audience", len(LONG_TEXT), MAX_TEXT_CHARS),
    ("url", LONG_URL, "url", len(LONG_URL), MAX_URL_CHARS),
    ("media", [image(), image(LONG_URL)], "media[1].url", len(LONG_URL), MAX_URL_CHARS),
    (
        "media",
        [{**image(), "description": LONG_TEXT}],
        "media[0].description",
        len(LONG_TEXT),
        MAX_TEXT_CHARS,
    ),
    ("details", {"brand": LONG_TEXT}, "details.brand", len(LONG_TEXT), MAX_TEXT_CHARS),
]


@pytest.mark.parametrize(
    ("field", "value", "named", "length", "limit"), TOO_LONG, ids=[row[2] for row in TOO_LONG]
)
async def test_product_fields_over_their_limit_are_refused(
    inprocess: InProcess, field: str, value: Any, named: str, length: int, limit: int
) -> None:
    for method in ("POST", "PUT"):
        body = product_with(field, value)
        if method == "PUT":
            body["product_id"] = "NOPE"  # the limits are checked before the product is looked up
        answer = await inprocess.client.request(method, "/product", json=body)
        assert error_of(answer) == (
            40000,
            f"Parameter error: {named} has {length} characters; the limit is {limit}",
        )


async def test_media_lists_over_the_limit_are_refused(inprocess: InProcess) -> None:
    media = [image() for _ in range(MAX_MEDIA_ITEMS + 1)]
    answer = await inprocess.client.post("/product", json=product_with("media", media))
    assert error_of(answer) == (
        40000,
        f"Parameter error: media has {MAX_MEDIA_ITEMS + 1} items; the limit is {MAX_MEDIA_ITEMS}",
    )


async def test_fields_at_their_limit_are_accepted(inprocess: InProcess) -> None:
    client = inprocess.client
    created = await client.post(
        "/product",
        json={"name": "n" * MAX_TEXT_CHARS, "description": "d" * MAX_TEXT_CHARS},
    )
    assert created.json()["code"] == 0, created.text[:300]
    product_id = created.json()["data"]["product_id"]
    body = create_video_body(product_id)
    body["override_script"] = "s" * MAX_TEXT_CHARS
    body["video_name"] = "v" * MAX_VIDEO_NAME_CHARS
    assert (await client.post("/preview", json=body)).json()["code"] == 0

    for field, limit in (("override_script", MAX_TEXT_CHARS), ("video_name", MAX_VIDEO_NAME_CHARS)):
        over = {**create_video_body(product_id), field: "s" * (limit + 1)}
        for path in ("/create_video_from_url", "/preview"):
            assert error_of(await client.post(path, json=over)) == (
                40000,
                f"Parameter error: {field} has {limit + 1} characters; the limit is {limit}",
            )


# (the body, the reason the answer gives)
BAD_JSON = [
    (
        '{"name": "x", "avatar_id": ' + "9" * 5000 + "}",
        "request body has a number 5000 characters long; the limit is 100",
    ),
    (
        '{"name": "x", "details": {"price": 1.' + "5" * 200 + "}}",
        "request body has a number 202 characters long; the limit is 100",
    ),
    ('{"name": "\\ud800"}', "name is not Unicode text: it holds a lone surrogate '\\ud800'"),
    (
        '{"name": "x", "media": [{"type": 1, "url": "u", "name": "a\\udfffb"}]}',
        "media[0].name is not Unicode text: it holds a lone surrogate '\\udfff'",
    ),
    (
        '{"name": "x", "\\ud800": 1}',
        "request body has a key that is not Unicode text: it holds a lone surrogate '\\ud800'",
    ),
    (
        '{"name": "x", "extra": ' + "[" * 1000 + "]" * 1000 + "}",
        "request body nests deeper than the limit of 32 levels",
    ),
    (
        '{"name": "x", "extra": ' + "[" * 40 + "]" * 40 + "}",
        "request body nests deeper than the limit of 32 levels",
    ),
    (
        '{"name": "x", "details": {"price": Infinity}}',
        "request body is not valid JSON (Infinity is not a JSON number)",
    ),
    (
        '{"name": "x", "details": {"price": -Infinity}}',
        "request body is not valid JSON (-Infinity is not a JSON number)",
    ),
    (
        '{"name": "x", "details": {"price": NaN}}',
        "request body is not valid JSON (NaN is not a JSON number)",
    ),
    (
        '{"name": "x", "details": {"price": 1e999}}',
        "request body has a number out of range (1e999)",
    ),
    (
        '{"url": "http://①②③.①/"}',
        "url is not a valid URL (invalid IDNA hostname: '①②③.①')",
    ),
    (
        '{"name": "x", "media": [{"type": 1, "url": "http://①②③.①/a.jpg"}]}',
        "media[0].url is not a valid URL (invalid IDNA hostname: '①②③.①')",
    ),
    (
        '{"name": "x", "media": [{"type": 1, "url": "http://[::1/a.jpg"}]}',
        "media[0].url is not a valid URL (invalid port: ':1')",
    ),
]

BAD_JSON_IDS = [
    "5000-digit integer",
    "202-character float",
    "lone surrogate",
    "lone surrogate in media",
    "lone surrogate in a key",
    "nested 1000 deep",
    "nested 40 deep",
    "Infinity",
    "-Infinity",
    "NaN",
    "1e999",
    "IDN product URL",
    "IDN media URL",
    "URL with a bad port",
]


@pytest.mark.parametrize(("body", "reason"), BAD_JSON, ids=BAD_JSON_IDS)
async def test_bad_input_is_40000_not_50000(inprocess: InProcess, body: str, reason: str) -> None:
    assert await post_raw(inprocess.client, "/product", body) == (
        40000,
        f"Parameter error: {reason}",
    )


async def test_bad_input_is_refused_by_every_route_that_reads_a_body(
    inprocess: InProcess,
) -> None:
    client = inprocess.client
    deep = '{"product_id": "p", "x": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"
    for path in ("/create_video_from_url", "/preview"):
        assert await post_raw(client, path, deep) == (
            40000,
            "Parameter error: request body nests deeper than the limit of 32 levels",
        )
    answer = await client.put(
        "/product", content='{"product_id": "p", "url": "http://①②③.①/"}', headers=JSON
    )
    assert error_of(answer) == (
        40000,
        "Parameter error: url is not a valid URL (invalid IDNA hostname: '①②③.①')",
    )


def test_a_price_that_is_not_finite_is_refused() -> None:
    for value, shown in ((float("inf"), "inf"), (float("-inf"), "-inf"), (float("nan"), "nan")):
        with pytest.raises(ValidationError) as raised:
            ProductDetails.model_validate({"price": value})
        assert describe_validation_error(raised.value) == (
            f"price must be a finite number; got {shown}"
        )
    assert ProductDetails.model_validate({"price": 12.5}).price == "12.5"
    assert ProductDetails.model_validate({"price": 12}).price == "12"


async def test_a_repeated_api_key_is_refused(inprocess: InProcess) -> None:
    transport = httpx.ASGITransport(app=inprocess.engine.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://engine/v1") as bare:
        for second in (API_KEY, "another"):
            answer = await bare.get(
                "/avatars", headers=[("x-api-key", API_KEY), ("x-api-key", second)]
            )
            assert error_of(answer) == (
                10105,
                "Invalid API key: x-api-key is sent 2 times; send it once",
            )
        answer = await bare.get("/avatars", headers=[("x-api-key", API_KEY)])
        assert answer.json()["code"] == 0


def peak_memory_kib(pid: int) -> int:
    """The most resident memory process `pid` has used so far (VmHWM), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))  # type: ignore[union-attr]


def answer_on(sock: socket.socket) -> dict[str, Any]:
    """The JSON envelope of the one HTTP answer read from `sock`."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536) or b"<closed>"
        assert not received.endswith(b"<closed>"), received
    head, body = received.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        more = sock.recv(65536)
        assert more, body
        body += more
    assert head.startswith(b"HTTP/1.1 200 "), head
    return json.loads(body)  # type: ignore[no-any-return]


def request_head(port: int, length_header: str) -> bytes:
    return (
        f"POST /v1/product HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-api-key: {API_KEY}\r\n"
        f"Content-Type: application/json\r\n{length_header}\r\n\r\n"
    ).encode()


@pytest.mark.slow
def test_serve_refuses_oversized_bodies_at_once_without_buffering(tmp_path: Path) -> None:
    served = start_serve(tmp_path / "engine", env={"JOGG_ENGINE_API_KEYS": API_KEY})
    try:
        port = int(served.root_url.rsplit(":", 1)[1])
        headers = {"x-api-key": API_KEY}
        assert httpx.get(f"{served.api_url}/products", headers=headers).json()["data"] == []
        baseline = peak_memory_kib(served.process.pid)
        hundred_mb = 100 * 1024 * 1024

        # A declared 100 MB body is answered after its first 4 KB: the rest is never sent.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request_head(port, f"Content-Length: {hundred_mb}"))
            sock.sendall(b'{"name": "' + b"x" * 4096)
            answer = answer_on(sock)
        assert (answer["code"], answer["msg"]) == (40000, BODY_TOO_LARGE)

        # A chunked body is answered once it passes the limit, without waiting for its end.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request_head(port, "Transfer-Encoding: chunked"))
            chunk = b"x" * 65536
            for _ in range(MAX_BODY_BYTES // len(chunk) + 1):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            answer = answer_on(sock)
        assert (answer["code"], answer["msg"]) == (40000, BODY_TOO_LARGE)

        # Three clients that send 100 MB each in full: refused, and GETs are not held up.
        def upload() -> Iterator[bytes]:
            yield b'{"name": "'
            for _ in range(100):
                yield b"x" * (1024 * 1024)
            yield b'"}'

        answers: list[tuple[int, str]] = []

        def post() -> None:
            response = httpx.post(
                f"{served.api_url}/product",
                content=upload(),
                headers={**headers, "content-length": str(hundred_mb + 12)},
                timeout=60,
            )
            answers.append(error_of(response))

        uploads = [threading.Thread(target=post) for _ in range(3)]
        for thread in uploads:
            thread.start()
        started = time.monotonic()
        listed = httpx.get(f"{served.api_url}/products", headers=headers, timeout=30)
        assert time.monotonic() - started < 2.0
        for thread in uploads:
            thread.join()
        assert answers == [(40000, BODY_TOO_LARGE)] * 3
        assert listed.json()["data"] == []
        assert httpx.get(f"{served.api_url}/products", headers=headers).json()["data"] == []
        # 300 MB went by; the server's peak memory grew by less than one limit's worth of it.
        assert peak_memory_kib(served.process.pid) - baseline < 32 * 1024
    finally:
        served.stop()
