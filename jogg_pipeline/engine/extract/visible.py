"""The parts of a page a shopper sees, and short reads of their text and attributes."""

from __future__ import annotations

import re

from lxml import etree

from jogg_pipeline.engine.extract.document import Page, clean_text

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "option", "select"}
)


def attribute_words(element: etree._Element) -> str:
    """The words of the attributes that name an element's role (class, id, ...)."""
    return " ".join(
        element.get(name, "") for name in ("class", "id", "itemprop", "data-testid", "name")
    )


def within(element: etree._Element, roles: re.Pattern[str], levels: int = 16) -> bool:
    """Whether one of the element's `levels` nearest ancestors names a role `roles` matches
    (in its class, id, ... as `attribute_words` reads them)."""
    parent = element.getparent()
    for _ in range(levels):
        if parent is None:
            return False
        if roles.search(attribute_words(parent)):
            return True
        parent = parent.getparent()
    return False


def short_text(element: etree._Element, limit: int) -> str | None:
    """Visible text of `element` when it is at most `limit` characters, else None."""
    parts: list[str] = []
    size = 0
    for text in element.itertext():
        size += len(text)
        if size > limit * 4:
            return None
        parts.append(text)
    text = clean_text(" ".join(parts))
    return text if len(text) <= limit else None


def visible_elements(body: etree._Element) -> list[etree._Element]:
    """Elements in document order, without scripts, styles and hidden subtrees."""
    found: list[etree._Element] = []
    stack = [body]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag in SKIP_TAGS:
            continue
        if element.get("hidden") is not None or "display:none" in (
            element.get("style") or ""
        ).replace(" ", ""):
            continue
        found.append(element)
        stack.extend(reversed(element))
    return found


def page_elements(page: Page) -> list[etree._Element]:
    """The visible elements of the page's body, found once per page (callers must not change
    the list)."""

    def find() -> list[etree._Element]:
        body = page.root.find("body")
        return [] if body is None else visible_elements(body)

    return page.memo("visible elements", find)
