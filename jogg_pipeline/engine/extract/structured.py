"""Schema.org items from JSON-LD, microdata and RDFa, in one shape.

Every item is a dict mapping a property's local name ("price", not "http://schema.org/price")
to a list of values; a value is a string or a nested item. "@type" holds local type names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from jogg_pipeline.engine.extract.document import Page, clean_text, visible_text

Item = dict[str, list[Any]]

_MAX_DEPTH = 12
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_COMMENT_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>)\s*$")


def local_name(key: str) -> str:
    """The local part of a property or type name: "schema:price" and full IRIs give "price"."""
    return re.split(r"[/#:]", key.strip())[-1]


# --- JSON-LD -----------------------------------------------------------------------------


def json_ld_items(page: Page) -> list[Item]:
    """Every node of every JSON-LD block, flattened, with @id references resolved."""
    roots: list[Any] = []
    for script in page.root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind and script.text:
            roots.extend(_load_json_blocks(script.text))
    index: dict[str, Any] = {}
    for root in roots:
        _index_ids(root, index, 0)
    items: list[Item] = []
    for root in roots:
        _flatten_roots(root, items, index)
    return items


def _load_json_blocks(text: str) -> list[Any]:
    """Parse a script's JSON, tolerating comments, trailing commas, control characters and
    several documents written one after the other."""
    text = _COMMENT_WRAPPER.sub("", text.strip())
    for attempt in (text, _repair(text)):
        values = _decode_sequence(attempt)
        if values:
            return values
    return []


def _repair(text: str) -> str:
    text = _CONTROL.sub(" ", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def _decode_sequence(text: str) -> list[Any]:
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position = 0
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n;,":
            position += 1
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        values.append(value)
    return values


def _index_ids(node: Any, index: dict[str, Any], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            index.setdefault(node_id, node)
        for value in node.values():
            _index_ids(value, index, depth + 1)
    elif isinstance(node, list):
        for value in node:
            _index_ids(value, index, depth + 1)


def _flatten_roots(node: Any, items: list[Item], index: dict[str, Any]) -> None:
    if isinstance(node, list):
        for value in node:
            _flatten_roots(value, items, index)
    elif isinstance(node, dict):
        if "@graph" in node:
            _flatten_roots(node["@graph"], items, index)
        if "@type" in node or "@graph" not in node:
            items.append(_convert_json_node(node, index, 0, set()))


def _convert_json_node(
    node: dict[str, Any], index: dict[str, Any], depth: int, seen: set[int]
) -> Item:
    item: Item = {}
    seen = seen | {id(node)}
    for key, raw in node.items():
        if key in ("@context", "@graph"):
            continue
        name = "@type" if key == "@type" else "@id" if key == "@id" else local_name(key)
        values = raw if isinstance(raw, list) else [raw]
        converted: list[Any] = []
        for value in values:
            if isinstance(value, dict):
                ref = value.get("@id")
                if len(value) == 1 and isinstance(ref, str) and ref in index:
                    value = index[ref]
                if id(value) in seen or depth >= _MAX_DEPTH:
                    continue
                converted.append(_convert_json_node(value, index, depth + 1, seen))
            elif isinstance(value, bool):
                converted.append("true" if value else "false")
            elif isinstance(value, int | float):
                converted.append(_number_text(value))
            elif isinstance(value, str):
                converted.append(value)
        if name == "@type":
            converted = [local_name(v) for v in converted if isinstance(v, str)]
        if converted:
            item.setdefault(name, []).extend(converted)
    return item


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer() is False:
        return repr(value)
    return str(int(value)) if isinstance(value, float) else str(value)


# --- microdata -------------------------------------------------------------------------


def microdata_items(page: Page) -> list[Item]:
    """Top-level microdata items, then items that sit in no item at all ("loose" properties
    are gathered into one item typed "@loose")."""
    items: list[Item] = []
    for element in page.root.iter():
        if not isinstance(element.tag, str):
            continue
        # An item with itemprop but no enclosing item is still top-level.
        if element.get("itemscope") is not None and not _inside_itemscope(element):
            items.append(_microdata_item(element, page, 0))
    loose = _loose_properties(page)
    if loose:
        items.append(loose)
    return items


def _inside_itemscope(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.get("itemscope") is not None:
            return True
        parent = parent.getparent()
    return False


def _microdata_item(scope: etree._Element, page: Page, depth: int) -> Item:
    item: Item = {}
    types = [local_name(t) for t in (scope.get("itemtype") or "").split() if t]
    if types:
        item["@type"] = types
    for element in _property_elements(scope):
        names = (element.get("itemprop") or "").split()
        if element.get("itemscope") is not None and depth < _MAX_DEPTH:
            value: Any = _microdata_item(element, page, depth + 1)
        else:
            value = _element_value(element, page)
        if value in ("", {}):
            continue
        for name in names:
            item.setdefault(local_name(name), []).append(value)
    return item


def _property_elements(scope: etree._Element) -> list[etree._Element]:
    """Descendants carrying itemprop that belong to `scope`, not to a nested item."""
    found: list[etree._Element] = []
    stack = list(reversed(scope))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if element.get("itemprop") is not None:
            found.append(element)
        if element.get("itemscope") is None:
            stack.extend(reversed(element))
    return found


def _element_value(element: etree._Element, page: Page) -> str:
    """A property's value as microdata and RDFa define it, reading `content` first."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    content = element.get("content")
    if content is not None and content.strip():
        return clean_text(content)
    for attribute in _URL_ATTRIBUTES.get(tag, ()):
        value = element.get(attribute)
        if value:
            return page.absolute(value) or value.strip()
    if tag in ("data", "meter") and element.get("value"):
        return element.get("value", "").strip()
    if tag == "time" and element.get("datetime"):
        return element.get("datetime", "").strip()
    for attribute in ("href", "resource", "src"):
        if element.get(attribute) and tag in ("link",):
            return element.get(attribute, "").strip()
    return visible_text(element)


_URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "data-src"),
    "audio": ("src",),
    "video": ("src",),
    "source": ("src",),
    "embed": ("src",),
    "iframe": ("src",),
    "track": ("src",),
    "object": ("data",),
}

_LOOSE_NAMES = {
    "name",
    "price",
    "pricecurrency",
    "availability",
    "sku",
    "brand",
    "mpn",
    "productid",
    "image",
    "description",
    "lowprice",
}


def _loose_properties(page: Page) -> Item:
    """Product-like itemprop attributes outside any item (templates often drop the scope)."""
    item: Item = {}
    for element in page.root.iter():
        if not isinstance(element.tag, str) or element.get("itemprop") is None:
            continue
        # <head> meta tags named "name" or "image" describe the site, not a product.
        parent = element.getparent()
        in_head = parent is not None and parent.tag == "head"
        if in_head and element.get("itemprop") in ("name", "image"):
            continue
        if _inside_itemscope(element):
            continue
        value = _element_value(element, page)
        if not value:
            continue
        for name in element.get("itemprop", "").split():
            key = local_name(name)
            if key.lower() in _LOOSE_NAMES:
                item.setdefault(key, []).append(value)
    if item:
        item["@type"] = ["@loose"]
    return item


# --- RDFa ------------------------------------------------------------------------------


def rdfa_items(page: Page) -> list[Item]:
    """Top-level RDFa items (elements with `typeof`), read like microdata."""
    items: list[Item] = []
    for element in page.root.iter():
        if not isinstance(element.tag, str) or element.get("typeof") is None:
            continue
        if not _inside_typeof(element):
            items.append(_rdfa_item(element, page, 0))
    return items


def _inside_typeof(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.get("typeof") is not None:
            return True
        parent = parent.getparent()
    return False


def _rdfa_item(scope: etree._Element, page: Page, depth: int) -> Item:
    item: Item = {}
    types = [local_name(t) for t in (scope.get("typeof") or "").split() if t]
    if types:
        item["@type"] = types
    stack = list(reversed(scope))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        names = (element.get("property") or element.get("rel") or "").split()
        nested = element.get("typeof") is not None
        if (names and element.get("property") is not None) or (names and nested):
            if nested and depth < _MAX_DEPTH:
                value: Any = _rdfa_item(element, page, depth + 1)
            else:
                value = _element_value(element, page)
            if value not in ("", {}):
                for name in names:
                    item.setdefault(local_name(name), []).append(value)
        if not nested:
            stack.extend(reversed(element))
    return item


def all_items(page: Page) -> dict[str, list[Item]]:
    """Items by syntax, in the order extraction trusts them (read once per page: callers
    must not change them)."""
    return page.memo(
        "items",
        lambda: {
            "json-ld": json_ld_items(page),
            "microdata": microdata_items(page),
            "rdfa": rdfa_items(page),
        },
    )
