"""Helpers of the engine tests: a product site, engine settings, the walkthrough's bodies."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

from jogg_pipeline.engine.config import EngineConfig
from jogg_pipeline.engine.engine import LocalEngine

API_KEY = "test-key-0123456789"
PRODUCT_NAME = "Happy Booster Heart Blush"
PRODUCT_DESCRIPTION = "Ultra-soft blendable blush with a fresh mix of tones for a healthy glow."


def make_image(color: tuple[int, int, int], fmt: str, size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def product_page(image_urls: list[str]) -> bytes:
    """A product page with schema.org JSON-LD, as shops publish them."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": PRODUCT_NAME,
        "description": PRODUCT_DESCRIPTION,
        "image": image_urls,
        "sku": "B004HYNCA0",
        "brand": {"@type": "Brand", "name": "Physicians Formula"},
        "offers": {
            "@type": "Offer",
            "price": "12.99",
            "priceCurrency": "USD",
            "availability": "https://schema.org/InStock",
        },
    }
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{PRODUCT_NAME}</title>
<script type="application/ld+json">{json.dumps(data)}</script>
</head><body><h1>{PRODUCT_NAME}</h1><p>{PRODUCT_DESCRIPTION}</p>
{"".join(f'<img src="{url}">' for url in image_urls)}
</body></html>""".encode()


def site_files(base_url: str) -> dict[str, tuple[str, bytes]]:
    """Path -> (content type, body) of the test shop."""
    images = [f"{base_url}/img/front.jpg", f"{base_url}/img/side.png"]
    return {
        "/product.html": ("text/html; charset=utf-8", product_page([*images, "/img/missing.jpg"])),
        "/img/front.jpg": ("image/jpeg", make_image((200, 40, 80), "JPEG")),
        "/img/side.png": ("image/png", make_image((40, 120, 200), "PNG")),
        "/not-an-image.jpg": ("image/jpeg", b"this is text, not a JPEG"),
    }


@dataclass
class ProductSite:
    """A shop on 127.0.0.1: /product.html, two images and one image URL that is missing."""

    base_url: str
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def page_url(self) -> str:
        return f"{self.base_url}/product.html"


def engine_config(data_dir: Path, **overrides: object) -> EngineConfig:
    settings: dict[str, object] = {
        "data_dir": data_dir,
        "api_keys": (API_KEY,),
        "workers": 2,
        "quality": "preview",
        "allow_private_urls": True,
    }
    settings.update(overrides)
    return EngineConfig(**settings)  # type: ignore[arg-type]


@dataclass
class InProcess:
    engine: LocalEngine
    client: httpx.AsyncClient


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServedEngine:
    """`jogg-pipeline serve` running in a subprocess."""

    process: subprocess.Popen[str]
    root_url: str
    data_dir: Path
    banner: list[str]

    @property
    def api_url(self) -> str:
        return f"{self.root_url}/v1"

    def stop(self, sig: int = signal.SIGINT) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_serve(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> ServedEngine:
    """Start `jogg-pipeline serve` on a free loopback port; return once it listens."""
    port = free_port()
    command = [sys.executable, "-m", "jogg_pipeline", "serve", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--quality", "preview", *extra]
    environment = {k: v for k, v in os.environ.items() if k != "JOGG_ENGINE_API_KEYS"}
    environment.update(env or {})
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    banner: list[str] = []
    deadline = time.monotonic() + 30
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"serve exited early: {''.join(banner)}")
        banner.append(line)
        if line.startswith("Serving the JoggAI v1 API"):
            # Keep reading its output, so a full pipe never blocks the server.
            drain = threading.Thread(target=banner.extend, args=(process.stdout,), daemon=True)
            drain.start()
            return ServedEngine(process, f"http://127.0.0.1:{port}", data_dir, banner)
    process.kill()
    raise AssertionError(f"serve did not start: {''.join(banner)}")


# The walkthrough's PUT body, verbatim but for a trailing space and its two last images: the
# description string is never closed.
WALKTHROUGH_PUT_BODY = r"""{
        "product_id": "NTQ0MTkzNjg",
        "name": "Physician Tested update",
        "description": "Brush on a radiant blushing glow: Ultra-soft and blendable blushing powder features a fresh and vibrant mix of blushing tones infused with a pop of color to create a healthy glow. Multi-reflective pearls provide a soft iridescence to highlight contour and add radiance to cheeks.
        "media": [
            {
                "type": 2,
                "name": "c7131c6d03cf0e5df33f7db8f1176c32.mp4",
                "url": "https://res.jogg.ai/c7131c6d03cf0e5df33f7db8f1176c32.mp4",
                "description": ""
            },
            {
                "type": 1,
                "name": "Image2",
                "url": "https://res.jogg.ai/2484eeeac5ae6360284fa2f04f1a2691.jpg",
                "description": "This product offers versatile blush shades in \"Rose\" and \"Natural,\" suitable for diverse skin tones, enhancing a natural, radiant look for makeup enthusiasts."
            }
        ],
        "target_audience": ""
}"""  # noqa: E501

# The same body with the string closed, as a user would fix it.
WALKTHROUGH_PUT_FIXED = WALKTHROUGH_PUT_BODY.replace("to cheeks.\n", 'to cheeks.",\n')

# The walkthrough's create_video_from_url bodies, verbatim (the second repeats "caption").
WALKTHROUGH_WITH_VISUAL_STYLE = """{
    "product_id": "NTQ0MTkzNjg",
    "aspect_ratio": 0,
    "video_length":"15",
    "language": "english",
    "avatar_id": 127,
    "avatar_type":0,
    "visual_style": "FullScreen",
    "script_style": "Don't Worry",
    "voice_id":"en-US-ChristopherNeural",
    "template_type": "public",
    "override_script": "",
    "caption": true
    }"""
WALKTHROUGH_WITH_TEMPLATE = """{
    "product_id": "NTQ0MTkzNjg",
    "aspect_ratio": 0,
    "video_length":"15",
    "language": "english",
    "caption": true,
    "avatar_id": 100266,
    "avatar_type":1,
    "script_style": "Don't Worry",
    "template_id":0,
    "voice_id":"en-US-ChristopherNeural",
    "template_type": "public",
    "override_script": "",
    "caption": true
}"""


def create_video_body(product_id: str, **changes: object) -> dict[str, object]:
    """The walkthrough's visual-style body for `product_id`, with `changes` applied."""
    body: dict[str, object] = json.loads(WALKTHROUGH_WITH_VISUAL_STYLE)
    body["product_id"] = product_id
    body.update(changes)
    return body


async def wait_for_project(
    client: httpx.AsyncClient, project_id: str, timeout: float = 120.0
) -> dict[str, object]:
    """Poll GET /project until the project succeeds or fails; return its data."""
    import asyncio

    deadline = time.monotonic() + timeout
    while True:
        response = await client.get("/project", params={"project_id": project_id})
        data = response.json()["data"]
        assert data is not None, response.text
        if data["status_code"] in (4, 5) or time.monotonic() > deadline:
            return dict(data)
        await asyncio.sleep(0.2)


@dataclass(frozen=True)
class VideoFacts:
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None


def read_video(content: bytes) -> VideoFacts:
    """What PyAV reads back from an MP4."""
    import av

    with av.open(io.BytesIO(content)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        assert container.duration is not None
        return VideoFacts(
            duration=container.duration / av.time_base,
            width=video.codec_context.width,
            height=video.codec_context.height,
            video_codec=video.codec_context.name,
            audio_codec=audio.codec_context.name if audio else None,
        )
