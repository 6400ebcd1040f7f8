"""What the unit tests of the decision, the manifest and saved plans share: a backend scope, a
product as the backend returns it, and a spec loaded from a real file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jogg_pipeline.spec.expand import ExpandedCampaign
from jogg_pipeline.spec.validate import load_campaign

SCOPE = "https://api.example.test/v1#0123456789abcdef"
# The product "blush" as the backend answers its creation.
BLUSH: dict[str, Any] = {
    "product_id": "P1",
    "url": "https://shop.example.com/blush",
    "name": "Blush",
    "description": "Soft.",
    "target_audience": "",
    "media": [],
}


def load_spec(folder: Path, text: str, name: str = "sale.yaml") -> ExpandedCampaign:
    """`text` written to `folder/name` (the folder made if needed), loaded and expanded."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_campaign(path)
