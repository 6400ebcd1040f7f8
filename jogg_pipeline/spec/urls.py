"""Product URLs in specs: web URLs, or local files (local backend only) relative to the spec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_GENERIC_SEGMENTS = {"p", "dp", "product", "products", "item", "items", "shop", "index", "gp"}
_PAGE_SUFFIX = re.compile(r"\.(html?|php|aspx?|jsp)$", re.IGNORECASE)


class UrlProblem(ValueError):
    pass


@dataclass(frozen=True)
class ProductSource:
    url: str  # what the spec says
    fetch_url: str  # what a backend is asked to fetch: http(s) or an absolute file:// URL
    local_path: Path | None  # for local files


def resolve(url: str, spec_dir: Path) -> ProductSource:
    """Classify a product URL; raise UrlProblem with a readable reason if it cannot work."""
    text = url.strip()
    scheme_match = _SCHEME.match(text)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme in {"http", "https"}:
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (raises on a malformed port)
        except ValueError as error:
            raise UrlProblem(f"{url!r} is not a valid URL: {error}") from None
        if not parts.hostname:
            raise UrlProblem(f"{url!r} is not a valid URL: it has no host")
        if any(c.isspace() for c in text):
            raise UrlProblem(f"{url!r} is not a valid URL: it contains spaces")
        return ProductSource(url, text, None)
    if scheme == "file":
        path = Path(unquote(urlsplit(text).path))
    elif scheme and len(scheme) > 1:  # one letter would be a Windows drive
        raise UrlProblem(f"unsupported URL scheme '{scheme}'; use http(s) or a local file path")
    else:
        path = Path(text)
    if not path.is_absolute():
        path = spec_dir / path
    path = path.resolve()
    return ProductSource(url, path.as_uri(), path)


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9._-]+", "-", text.lower())
    value = re.sub(r"-{2,}", "-", value).strip("-._")
    return value[:64].rstrip("-._")


def derive_key(source: ProductSource) -> str:
    """A stable product key from its URL: the last meaningful path segment."""
    if source.local_path is not None:
        return slug(source.local_path.stem) or "product"
    parts = urlsplit(source.fetch_url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for segment in reversed(segments):
        candidate = slug(_PAGE_SUFFIX.sub("", segment))
        if candidate and candidate not in _GENERIC_SEGMENTS:
            return candidate
    return slug(parts.hostname or "") or "product"
