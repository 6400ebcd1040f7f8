"""Values written next to a label: "SKU: 123", "<th>Brand</th><td>Acme</td>"."""

from __future__ import annotations

import re

from lxml import etree

from jogg_pipeline.engine.extract.document import clean_text
from jogg_pipeline.engine.extract.visible import short_text

# Labels by field, strongest first: a shop's own item number beats a maker's reference.
_LABELS: dict[str, tuple[re.Pattern[str], ...]] = {
    "sku": (
        re.compile(
            r"^(?:(?:\w+\s)?(?:sku|asin|item\s*(?:number|no\.?|#|code|id))|cod\s*produs|"
            r"קוד\s*מוצר|מק\"ט|商品コード|article\s*(?:number|no\.?)|"
            r"art\.?\s*-?\s*nr\.?|artikel\s*-?\s*(?:nummer|nr\.?)|product\s*(?:code|id|number|no\.?)|"
            r"código(?:\s*(?:do|de)\s*produto)?|codice(?:\s*articolo|\s*prodotto)|"
            r"numer\s*katalogowy|kod\s*produktu|kód\s*produktu|код\s*товара|артикул|cikkszám|"
            r"šifra(?:\s*artikla|\s*proizvoda)?|tootekood|varenummer|artikelnr\.?|"
            r"mã\s*sản\s*phẩm|商品編號|商品番号|货号)$",
            re.IGNORECASE,
        ),
        re.compile(
            r"^(?:réf(?:érence)?\.?|ref(?:erence)?\.?|referencia|cod\.?|codice|código|код|"
            r"koodi|model\s*(?:number|no\.?)|item\s*model\s*number|part\s*number|型号)$",
            re.IGNORECASE,
        ),
    ),
    "brand": (
        re.compile(
            r"^(?:brand|brand\s*name|marke|marque|marca|marchio|marka|márka|merk|merke|märke|"
            r"mærke|varumärke|merkki|tuotemerkki|značka|znamka|blagovna\s*znamka|kaubamärk|"
            r"zīmols|prekės\s*ženklas|brend|бренд|марка|μάρκα|מותג|品牌|ブランド|브랜드|"
            r"العلامة التجارية|الماركة|ماركة)$",
            re.IGNORECASE,
        ),
        re.compile(
            r"^(?:производитель|manufacturer|make|make\s*/\s*manufacturer|hersteller|"
            r"fabricant|fabbricante|fabricante|"
            r"producent|výrobce|gyártó|proizvođač|proizvajalec|tootja|ražotājs|gamintojas)$",
            re.IGNORECASE,
        ),
    ),
}
_LABEL_TAGS = frozenset({"th", "td", "dt", "span", "b", "strong", "label", "div", "p", "em", "li"})


def labelled_values(elements: list[etree._Element]) -> dict[str, tuple[str, bool]]:
    """Values written next to a label: table cells, definition lists, "Label: value" text.
    For each field the strongest label wins, then the first on the page; the flag says
    whether the label was of the strongest kind."""
    best: dict[str, tuple[int, str]] = {}
    for element in elements:
        # A label is the element's own text ("<th>SKU</th>", "<b>SKU:</b> 123").
        own = (element.text or "").strip()
        if element.tag not in _LABEL_TAGS or not own or len(own) > 60 or own[0].isdigit():
            continue
        text = short_text(element, 60)
        if not text:
            continue
        for field, labels in _LABELS.items():
            for rank, label in enumerate(labels):
                if field in best and best[field][0] <= rank:
                    break
                value = _value_for_label(element, text, label)
                if field == "sku":
                    value = identifier(value)
                if value:
                    best[field] = (rank, value)
                    break
    return {field: (value, rank == 0) for field, (rank, value) in best.items()}


def identifier(text: str) -> str:
    """An item number out of a labelled value: its first token, if that has a digit."""
    token = text.split()[0].strip(".,;:()[]") if text.split() else ""
    return token if any(c.isdigit() for c in token) and len(token) <= 40 else ""


def _value_for_label(element: etree._Element, text: str, label: re.Pattern[str]) -> str:
    head, separator, rest = text.partition(":")
    stripped = text.rstrip(" :#").strip()
    if label.match(stripped):
        return _following_value(element)
    if separator and label.match(head.strip()) and rest.strip() and len(element) <= 3:
        return _clean_value(rest)
    return ""


def _following_value(element: etree._Element) -> str:
    """The value after a label: its tail text, or the next sibling with text; for a label
    wrapped alone in a cell ("<th><span>SKU</span></th>"), the cell's next sibling."""
    label = short_text(element, 60)
    for _ in range(3):
        if element.tail and element.tail.strip(" :\n\t|"):
            return _clean_value(element.tail)
        sibling = element.getnext()
        while sibling is not None:
            if isinstance(sibling.tag, str):
                text = short_text(sibling, 80)
                if text:
                    return _clean_value(text)
                if text is None:
                    return ""
            sibling = sibling.getnext()
        parent = element.getparent()
        if parent is None or short_text(parent, 60) != label:
            return ""
        element = parent
    return ""


def _clean_value(text: str) -> str:
    value = clean_text(text).strip(" :#|\u200e\u200f")
    return value if 0 < len(value) <= 60 else ""
