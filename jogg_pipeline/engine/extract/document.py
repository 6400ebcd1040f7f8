"""Decoding and parsing an HTML page, and reading text out of its elements."""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import urljoin

from lxml import etree

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", flags=re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", flags=re.IGNORECASE)
# Plain elements (not lxml.html's classes): their lookup would cost a third of the parse.
_HTML_PARSER = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
_SPACE = re.compile(r"\s+")
# Elements whose text a reader never sees.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head", "title")
T = TypeVar("T")


def sniff_charset(content: bytes) -> str | None:
    """The charset declared by a byte-order mark or a <meta> tag near the top of the page."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    match = _META_CHARSET.search(content[:4096])
    if match:
        name = match.group(1).decode("ascii", "replace")
        if _known_codec(name):
            return name
    return None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def decode_page(page: bytes | str, charset: str | None) -> str:
    """The page as text: a byte-order mark wins, then the given charset, then the page's own."""
    if isinstance(page, str):
        return page
    for bom, bom_codec in _BOMS:
        if page.startswith(bom):
            return page[len(bom) :].decode(bom_codec, errors="replace")
    candidates = [charset, sniff_charset(page), "utf-8"]
    for name in candidates:
        if not name or not _known_codec(name):
            continue
        # UTF-16 declared in a meta tag of an ASCII-readable page is a lie (the tag was readable).
        if codecs.lookup(name).name.startswith("utf-16") and name is not charset:
            continue
        try:
            return page.decode(name)
        except UnicodeDecodeError:
            continue
    return page.decode("cp1252" if _looks_single_byte(page) else "utf-8", errors="replace")


def _looks_single_byte(page: bytes) -> bool:
    return b"\xc3" not in page and b"\xe2\x80" not in page


def clean_text(text: str | None) -> str:
    """Whitespace-normalised plain text with HTML entities decoded."""
    if not text:
        return ""
    return _SPACE.sub(" ", html.unescape(text)).strip()


def strip_tags(text: str) -> str:
    """Plain text of a string that may hold HTML markup, escaped or not ("&lt;b&gt;")."""
    text = html.unescape(text)
    if "<" not in text:
        return clean_text(text)
    try:
        root = etree.fromstring(f"<div>{text}</div>", _HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return clean_text(re.sub(r"<[^>]+>", " ", text))
    for element in root.iter("br", "p", "li", "div"):
        element.tail = " " + (element.tail or "")
    return clean_text("".join(root.itertext()))


def visible_text(element: etree._Element) -> str:
    """The text a reader sees inside `element`, whitespace-normalised."""
    parts: list[str] = []
    _collect_text(element, parts)
    return clean_text(" ".join(parts))


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    if isinstance(element.tag, str) and element.tag not in _INVISIBLE:
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_text(child, parts)
    if element.tail:
        parts.append(element.tail)


@dataclass
class Page:
    """A parsed page with the facts several extractors need."""

    root: etree._Element
    base_url: str
    language: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)
    # What several readers of the page compute alike (its structured items, its visible
    # elements), kept so each is computed once per page.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, computed on the first call for `key` and kept with the page."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def absolute(self, url: str | None) -> str:
        """`url` resolved against the page's base, or "" for empty and non-web URLs."""
        if not url:
            return ""
        url = url.strip()
        if url.startswith("//"):
            url = "https:" + url
        try:
            joined = urljoin(self.base_url, url)
        except ValueError:
            return ""
        return joined if joined.split(":", 1)[0].lower() in ("http", "https", "file") else ""

    def first_meta(self, *names: str) -> str:
        """The first non-empty content of the named <meta> tags, in the order asked."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                if value.strip():
                    return value.strip()
        return ""


def parse_page(page: bytes | str, base_url: str, charset: str | None = None) -> Page:
    """Parse the page, resolving its <base href> and collecting its <meta> tags."""
    text = _XML_DECLARATION.sub("", decode_page(page, charset), count=1)
    try:
        root = etree.fromstring(text, _HTML_PARSER) if text.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _HTML_PARSER)
    result = Page(root=root, base_url=base_url, language=root.get("lang", "") or "")
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            result.base_url = result.absolute(href) or base_url
            break
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            result.meta.setdefault(key.strip().lower(), []).append(html.unescape(content))
        if meta.get("http-equiv", "").lower() == "content-language" and not result.language:
            result.language = meta.get("content", "")
    return result
