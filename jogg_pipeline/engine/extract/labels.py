"""Values written next to a label ("SKU: 123", "<th>Brand</th><td>Acme</td>"), and the
identifier an element's markup names as the product's ('<span class="sku">123</span>')."""

from __future__ import annotations

import functools
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
            r"mã\s*sản\s*phẩm|商品編號|商品番号|货号|"
            # The number a shopper orders by, and a catalogue's own number.
            r"bestell\s*-?\s*(?:nummer|nr\.?)|cat(?:alogue)?\.?\s*(?:number|no\.?)|"
            r"(?:n°|no\.?|numéro)\s*d['’]article|produkta\s*kods|prekės\s*kodas|"
            r"tuotekoodi|tuotenumero|ürün\s*kodu|varenr\.?)$",
            re.IGNORECASE,
        ),
        re.compile(
            r"^(?:réf(?:érence)?\.?|ref(?:erence)?\.?|referencia|referência|cod\.?|codice|código|"
            r"код|koodi|model\s*(?:number|no\.?)|item\s*model\s*number|part\s*number|型号|"
            # A classified ad's or listing's number, where the page names no item number.
            r"(?:ad|listing|post(?:ing)?)\s*(?:id|#|no\.?|number)|"
            r"anzeige(?:\s*-?\s*(?:nr\.?|nummer|id))?|anzeigen\s*-?\s*(?:nr\.?|nummer|id))$",
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
_IDENTIFIER = re.compile(r"^\w(?:[\w./-]*\w)?$")
_DATE = re.compile(r"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$")
# Role names read in these attributes and in data- attributes: words, not values.
_ROLE_ATTRIBUTES = frozenset({"class", "id", "itemprop"})
_ROLE_NAME = re.compile(r"^[A-Za-z][\w-]{1,60}$")
_ROLE_WORD_BREAK = re.compile(r"[-_]+|(?<=[a-z])(?=[A-Z])")
_IDENTIFIER_WORDS = frozenset({"sku", "ref", "reference", "identifier"})
_NUMBER_WORDS = frozenset({"number", "num", "no", "nr", "code", "id"})
_ITEM_WORDS = frozenset(
    {"product", "prod", "prd", "item", "itm", "article", "art", "cat", "catalog", "catalogue"}
    | _IDENTIFIER_WORDS
)
# What every role name that `_names_identifier` accepts contains.
_ROLE_HINT = re.compile("sku|ref|ident|num|nr|code|no|id")
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
                value = _value_for_label(element, text, label, sku=field == "sku")
                if field == "sku":
                    value = identifier(value)
                if value:
                    best[field] = (rank, value)
                    break
    return {field: (value, rank == 0) for field, (rank, value) in best.items()}


def identifier(text: str) -> str:
    """An item number out of a labelled value: its first token, when that is shaped like one
    (letters and digits, perhaps joined by "-", ".", "/"; a digit; not a date) and is not the
    first group of a number written in groups ("0800 123 456")."""
    tokens = text.split()
    if not tokens:
        return ""
    token = tokens[0].strip(".,;:()[]#")
    if len(tokens) > 1 and token.isdigit() and tokens[1].strip(".,;:()").isdigit():
        return ""
    if not 3 <= len(token) <= 40 or not _IDENTIFIER.match(token) or _DATE.match(token):
        return ""
    return token if any(c.isdigit() for c in token) else ""


def marked_identifier(elements: list[etree._Element]) -> str:
    """The identifier the markup names as the product's own: an element whose role (class,
    id, itemprop, a data- attribute) names a reference or an item number, and whose whole
    text is one identifier ('<span class="product-reference">1002/710</span>'). Shops write
    it as shoppers quote it, separators included, where markup carries a bare or variant id.
    None when the marked elements show more than one identifier (a related product's, or a
    list of products)."""
    shown: set[str] = set()
    whole: set[str] = set()
    for element in elements:
        if not any(_names_identifier(role) for role in _role_names(element)):
            continue
        words = (short_text(element, 40) or "").split()
        values = {value for value in map(identifier, words) if value}
        shown |= values
        if len(words) == 1:
            whole |= values
    return next(iter(whole)) if len(shown) == 1 and shown == whole else ""


def _role_names(element: etree._Element) -> list[str]:
    names: list[str] = []
    for attribute, value in element.items():
        is_role = attribute in _ROLE_ATTRIBUTES or attribute.startswith("data-")
        # A cheap look first: most attributes name no identifier.
        if is_role and _ROLE_HINT.search(value.lower()):
            names.extend(value.split())
    return names


@functools.lru_cache(maxsize=4096)
def _names_identifier(role: str) -> bool:
    """Whether a role name ends in a word for an identifier: "sku", "product__ref",
    "refNumber", "product-name-catNumber"; a bare "number" or "id" needs a word for an item
    before it ("itemNumber", "product-id"), so "review-count" and "phone-number" do not.
    Values that are not names ("78485437", JSON) name no role."""
    if not _ROLE_NAME.match(role):
        return False
    words = [word.lower() for word in _ROLE_WORD_BREAK.split(role) if word]
    while words and words[-1].isdigit():
        words.pop()
    if not words:
        return False
    if words[-1] in _IDENTIFIER_WORDS:
        return True
    return len(words) > 1 and words[-1] in _NUMBER_WORDS and words[-2] in _ITEM_WORDS


def _value_for_label(
    element: etree._Element, text: str, label: re.Pattern[str], *, sku: bool
) -> str:
    head, separator, rest = text.partition(":")
    if sku and not separator:
        # CJK text writes a full-width colon after a label ("商品編號：M67296549").
        head, separator, rest = text.partition("：")
    if _is_label(text, label):
        return _following_value(element)
    if len(element) > 3:
        return ""
    if separator and _is_label(head, label) and rest.strip():
        return _clean_value(rest)
    # "SKU MKI6IKW1N4", "Art.-Nr. 2800395267": an item number's label and the number, written
    # without a colon (a brand's label so written is a phrase: "Brand new").
    words = text.split()
    if sku and not separator and 1 < len(words) <= 5 and _is_label(" ".join(words[:-1]), label):
        return _clean_value(words[-1])
    return ""


def _is_label(text: str, label: re.Pattern[str]) -> bool:
    """Whether `text` is the label, with or without the "#" or ":" written after it."""
    text = text.strip().rstrip(" :")
    return bool(label.match(text) or label.match(text.rstrip(" #")))


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
