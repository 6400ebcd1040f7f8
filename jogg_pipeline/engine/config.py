"""The local engine's settings, and the limits every request body must keep.

The limits are far beyond what a campaign sends and far below what would let one request fill
the memory, the disk or the product list. The API documents no lengths of its own, so these are
ours; each is at least what a valid spec may send (`jogg_pipeline.spec.limits`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jogg_pipeline.quantities import QUALITY_NAMES, Rate

# A whole spec file is at most 2 MiB: no single request needs more.
MAX_BODY_BYTES = 2 * 1024 * 1024
# Objects in lists in objects: a request needs three levels.
MAX_JSON_DEPTH = 32
# Characters of a JSON number: ids and settings have at most 20 digits.
MAX_NUMBER_CHARS = 100
# Any text field (names, descriptions, audiences, scripts, details), as a spec allows.
MAX_TEXT_CHARS = 20_000
# A product or media URL: longer ones are refused by most web servers anyway.
MAX_URL_CHARS = 8_192
# A video's title, named by a spec (200 characters) or made from a campaign and a video id.
MAX_VIDEO_NAME_CHARS = 1_000
# Media given with a product, each of them downloaded and kept.
MAX_MEDIA_ITEMS = 50


def default_worker_count() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class EngineConfig:
    """Everything a LocalEngine needs; paths are resolved when the engine opens."""

    data_dir: Path
    api_keys: tuple[str, ...] = ()
    workers: int = field(default_factory=default_worker_count)
    quality: str = "full"
    allowed_file_roots: tuple[Path, ...] = ()
    allow_private_urls: bool = False
    post_rate: Rate | None = None
    fetch_timeout: float = 15.0
    # A product is answered within this, well inside a client's 30 s: media still coming then
    # stay at their URL, and its warnings say so.
    product_deadline: float = 20.0
    max_fetch_bytes: int = 10 * 1024 * 1024
    max_media_per_product: int = 12

    def __post_init__(self) -> None:
        if self.quality not in QUALITY_NAMES:
            raise ValueError(f"quality {self.quality!r} is not one of {', '.join(QUALITY_NAMES)}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
