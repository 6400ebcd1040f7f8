"""Helpers of the long suite: a campaign of many generated product pages, a deadline that
bounds each test, `jogg-pipeline serve` that can be killed and started again on the same port
and data, and the figures of a run written where `docs/reliability.md` takes them from."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from engine.engine_support import ServedEngine, free_port, start_serve
from runs.run_kit import API_KEY, PAGES, Campaign

IMAGES = sorted((PAGES / "images").glob("*.jpg"))
# Four videos a product whose settings differ, none of which makes a render slower.
VARIANTS = (
    ("worry", "Don't Worry", True),
    ("worry-bare", "Don't Worry", False),
    ("top3", "Top 3 reasons", True),
    ("top3-bare", "Top 3 reasons", False),
)
# Where each test appends a line of its figures (JSON); unset: the test's own folder.
REPORT_ENV = "JOGG_SOAK_REPORT"


def setting(name: str, default: int) -> int:
    """A figure of the long suite: JOGG_SOAK_<NAME> if set, else the suite's minimum."""
    return int(os.environ.get(f"JOGG_SOAK_{name}", default))


def product_page(index: int) -> str:
    """A product page with schema.org JSON-LD: its name, price and image differ by index."""
    image = IMAGES[index % len(IMAGES)].name
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": f"Soak Test Product {index:04d}",
        "description": f"Product number {index} of the long suite, with a plain description.",
        "image": [f"images/{image}"],
        "sku": f"SOAK-{index:04d}",
        "brand": {"@type": "Brand", "name": "Soak"},
        "offers": {"@type": "Offer", "price": f"{10 + index % 90}.99", "priceCurrency": "EUR"},
    }
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{data['name']}</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f'<body><h1>{data["name"]}</h1><img src="images/{image}"></body></html>\n'
    )


def campaign_spec(products: int) -> str:
    lines = [
        "version: 1",
        "campaign: nightly",
        "defaults:",
        "  video_length: 15",
        "  aspect_ratio: square",
        "products:",
    ]
    for index in range(products):
        lines += [f"  - url: pages/p{index:04d}.html", f"    key: p{index:04d}", "    videos:"]
        for name, style, caption in VARIANTS:
            lines += [
                f"      - name: {name}",
                f'        script_style: "{style}"',
                f"        caption: {str(caption).lower()}",
            ]
    return "\n".join(lines) + "\n"


def make_soak_campaign(root: Path, videos: int) -> Campaign:
    """A campaign of at least `videos` videos (four a product) under `root`."""
    products = -(-videos // len(VARIANTS))
    folder = root / "campaign"
    pages = folder / "pages"
    shutil.copytree(PAGES / "images", pages / "images")
    for index in range(products):
        (pages / f"p{index:04d}.html").write_text(product_page(index), encoding="utf-8")
    spec = folder / "nightly.yaml"
    spec.write_text(campaign_spec(products), encoding="utf-8")
    return Campaign(folder, spec, root / "state", root / "results")


class Deadline:
    """The most a soak test may take; every wait in it is bounded by what is left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.end = self.start + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"the soak test ran past its deadline of {self.seconds:.0f} s")
        return left

    def elapsed(self) -> float:
        return time.monotonic() - self.start


class Server:
    """`jogg-pipeline serve` on one port and data folder, that can be killed and restarted."""

    def __init__(
        self, data_dir: Path, file_root: Path, workers: int, port: int | None = None
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra = (
            "--port", str(self.port), "--api-key", API_KEY, "--workers", str(workers),
            "--allow-file-root", str(file_root),
        )  # fmt: skip
        self.served: ServedEngine | None = None
        self.kills = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        # start_serve picks a port of its own first; the last --port given wins.
        deadline = time.monotonic() + 30
        while True:
            try:
                self.served = start_serve(self.data_dir, *self.extra)
                return
            except AssertionError:  # the port may be held a moment longer by the killed one
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def kill(self) -> None:
        assert self.served is not None
        self.served.process.send_signal(signal.SIGKILL)
        self.served.process.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.served is not None:
            self.served.stop()


def start_run(command: list[str], environment: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd
    )


def report(root: Path, figures: dict[str, Any]) -> None:
    """Append the figures of a soak test to $JOGG_SOAK_REPORT (else a file in `root`) and
    print them, so that `pytest -m soak -s` shows them too."""
    line = json.dumps(figures, sort_keys=True)
    path = Path(os.environ.get(REPORT_ENV) or root / "soak-report.jsonl")
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    print(f"soak figures: {line}")
