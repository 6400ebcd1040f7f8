"""Last-resort sources: the identifier in the page's URL, and the product facts that shops'
scripts (analytics data layers, app state) spell out as JSON keys."""

from __future__ import annotations

import contextlib
import json
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from jogg_pipeline.engine.extract.candidate import Candidate
from jogg_pipeline.engine.extract.document import Page, clean_text

_ID_QUERY_KEYS = re.compile(r"^(?:sku|childsku|itemid|item_id|productid|product_id|pid)$", re.I)
_NUMERIC_ID = re.compile(r"^\d{5,20}$")
# "name-123456" and "name-p123456": a slug ending in a number, perhaps with a letter before.
_SLUG_ID = re.compile(r"[-_][a-z]?(\d{5,20})$", re.IGNORECASE)
# An opaque catalogue code: upper-case letters and digits, both present.
_CODE_ID = re.compile(r"^(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,14}$")
_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?|jsp)$", re.IGNORECASE)

_SCRIPT_SKU = re.compile(r'"(?:sku|productSku|product_sku)"\s*:\s*"([^"\\]{1,40})"')
_SCRIPT_BRAND = re.compile(
    r'"(?:brand|brandName|brand_name)"\s*:\s*(?:"([^"\\]{1,60})"|\{[^{}]{0,200}?"name"\s*:\s*"([^"\\]{1,60})")'
)
_PLACEHOLDER = re.compile(r"[${}%<>]|^(?:null|none|undefined|n/?a|-|0)$", re.IGNORECASE)
_MAX_SCRIPT_CHARS = 2_000_000


def url_identifier(url: str) -> str:
    """The product identifier a URL carries: an id query parameter, or its last path part."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if _ID_QUERY_KEYS.match(key) and value.strip():
            return value.strip()
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for segment in reversed(segments[-2:]):
        stem = _PAGE_SUFFIX.sub("", segment)
        if _NUMERIC_ID.match(stem) or _CODE_ID.match(stem):
            return stem
        slug = _SLUG_ID.search(stem)
        if slug:
            return slug.group(1)
    return ""


def script_candidate(page: Page) -> Candidate:
    """The first sku and brand that the page's inline scripts name."""
    candidate = Candidate()
    budget = _MAX_SCRIPT_CHARS
    for script in page.root.iter("script"):
        kind = (script.get("type") or "").lower()
        text = script.text or ""
        if "ld+json" in kind or not text or budget <= 0:
            continue
        text = text[:budget]
        budget -= len(text)
        if not candidate.sku:
            for match in _SCRIPT_SKU.finditer(text):
                value = _plain(match.group(1))
                if value and any(c.isdigit() for c in value):
                    candidate.sku = value
                    break
        if not candidate.brand:
            for match in _SCRIPT_BRAND.finditer(text):
                value = _plain(match.group(1) or match.group(2))
                if value and not value.isdigit():
                    candidate.brand = value
                    break
        if candidate.sku and candidate.brand:
            break
    return candidate


def _plain(value: str) -> str:
    with contextlib.suppress(json.JSONDecodeError):
        value = json.loads(f'"{value}"')
    value = clean_text(value)
    return "" if _PLACEHOLDER.search(value) else value


def usable_text(value: str) -> str:
    """`value` unless it is a template placeholder or a null spelled out."""
    return "" if not value or _PLACEHOLDER.search(value) else value
