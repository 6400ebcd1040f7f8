"""Availability from schema.org links, stock boxes, and buy buttons."""

from __future__ import annotations

import re

from lxml import etree

from jogg_pipeline.engine.extract.values import normalize_availability
from jogg_pipeline.engine.extract.visible import attribute_words, short_text

# Words of languages written with spaces match whole; Chinese and Japanese phrases match
# anywhere, as those languages run words together ("ただいま在庫切れです").
_IN_STOCK_PHRASES = re.compile(
    r"\b(?:in\s*stock|available(?!\s*(?:soon|from))|add\s*to\s*(?:cart|basket|bag|trolley)|"
    r"buy\s*(?:it\s*)?now|auf\s*lager|lieferbar|verfügbar|in\s*den\s*warenkorb|"
    r"ajouter\s*au\s*panier|en\s*stock|disponible|aggiungi\s*al\s*carrello|disponibile|"
    r"añadir\s*al\s*carrito|comprar|adicionar\s*ao\s*carrinho|dodaj\s*do\s*koszyka|"
    r"w\s*magazynie|dostępny|на\s*складе|в\s*наличии|в\s*корзину|купить|"
    r"skladem|na\s*zalogi|do\s*košíka|do\s*košarice|v\s*košarico|adaugă\s*în\s*coș|"
    r"kosárba|lisää\s*ostoskoriin|lägg\s*i\s*varukorgen|læg\s*i\s*kurv|legg\s*i\s*handlekurv|"
    r"in\s*winkelwagen|op\s*voorraad|sepete\s*ekle|stokta|أضف\s*إلى\s*الحقيبة|أضف\s*إلى\s*السلة)\b|"
    r"加入購物車|カートに入れる|在庫あり|立即购买|加入购物车|有货|现货",
    re.IGNORECASE,
)
_OUT_OF_STOCK_PHRASES = re.compile(
    r"\b(?:out\s*of\s*stock|sold\s*out|currently\s*unavailable|no\s*longer\s*available|"
    r"not\s*available|unavailable|ausverkauft|nicht\s*(?:mehr\s*)?(?:verfügbar|lieferbar)|"
    r"rupture\s*de\s*stock|épuisé|indisponible|esaurito|non\s*disponibile|agotado|"
    r"no\s*disponible|esgotado|indisponível|niedostępny|brak\s*w\s*magazynie|"
    r"нет\s*в\s*наличии|распродано|vyprodáno|nedostupné|nicht\s*auf\s*lager|"
    r"uitverkocht|niet\s*op\s*voorraad|tükendi|نفذت\s*الكمية)\b|"
    r"缺貨|缺货|无货|無貨|售罄|已售完|在庫切れ|在庫なし|売り切れ|品切れ|품절",
    re.IGNORECASE,
)
_PRE_ORDER_PHRASES = re.compile(r"\b(?:pre-?order|vorbestellen|précommande|prenota)\b", re.I)
_STOCK_HINT = re.compile(r"availab|stock|inventory|verfugbar|dispon|lager", re.IGNORECASE)
_BUY_HINT = re.compile(r"add[-_]?to[-_]?(?:cart|basket|bag)|buy|addtocart|purchase", re.I)


def availability_from_page(
    elements: list[etree._Element], words: list[str], *, has_price: bool
) -> str:
    """Availability from schema.org links, stock boxes, and buy buttons."""
    for element in elements:
        for attribute in ("href", "content", "data-availability", "value"):
            value = element.get(attribute) or ""
            if "schema.org/" in value and normalize_availability(value):
                return normalize_availability(value) or ""
    for element, element_words in zip(elements, words, strict=True):
        if not _STOCK_HINT.search(element_words) or _in_button(element):
            continue
        text = short_text(element, 300)
        if not text:
            continue
        phrase = _availability_phrase(text)
        if phrase:
            return phrase
    for button in filter(_is_button, elements):
        label = short_text(button, 40) or button.get("value") or button.get("aria-label") or ""
        if not label and not _BUY_HINT.search(attribute_words(button)):
            continue
        says_buy = _IN_STOCK_PHRASES.search(label) or _BUY_HINT.search(attribute_words(button))
        if says_buy and button.get("disabled") is None:
            return "InStock"
        # A buy button that says "Sold out" instead, as many shops' themes write it.
        if not says_buy and _OUT_OF_STOCK_PHRASES.search(label):
            return "OutOfStock"
    return "InStock" if has_price else ""


def _in_button(element: etree._Element) -> bool:
    """Whether `element` is part of a button or link: a buy button carries a label for each
    of its states ("Add to cart", "Product unavailable") and the page's style shows one, so
    a stock word inside it says nothing about the product."""
    for ancestor in element.iterancestors():
        if _is_button(ancestor):
            return True
        if ancestor.tag in ("body", "main", "form", "section", "article"):
            return False
    return False


def _is_button(element: etree._Element) -> bool:
    """A button, a form's input or a link: what a shopper presses to buy."""
    return element.tag in ("button", "input", "a") or element.get("role") == "button"


def _availability_phrase(text: str) -> str:
    if _OUT_OF_STOCK_PHRASES.search(text):
        return "OutOfStock"
    if _PRE_ORDER_PHRASES.search(text):
        return "PreOrder"
    if _IN_STOCK_PHRASES.search(text):
        return "InStock"
    return ""
