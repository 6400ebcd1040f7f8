"""A page's price candidates and the features that describe them.

Every amount a page offers as a price (structured data offers, price meta tags, a price the
summary names, amounts in the visible text) becomes a candidate with features describing how
shops show prices everywhere: where the amount comes from, what currency evidence sits next to
it, how close it is to the product's heading and buy button, how it is emphasised, whether it
is struck through or named an old price, whether words around it make it an instalment, a
shipping cost, a saving or a count, and how many sources agree on it. No feature names a site,
a page or a page's own class names: only words shops use everywhere. `price_model.py` ranks
the candidates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from jogg_pipeline.engine.extract.document import Page
from jogg_pipeline.engine.extract.products import (
    choose_main_product,
    find_products,
    first_text,
    offers_of,
)
from jogg_pipeline.engine.extract.structured import Item, all_items
from jogg_pipeline.engine.extract.values import (
    AMOUNT_PATTERN,
    CURRENCY_SYMBOL_PATTERN,
    ISO_CURRENCIES,
    decimal_value,
    find_currency,
    normalize_currency,
    price_amount,
)
from jogg_pipeline.engine.extract.visible import (
    SKIP_TAGS,
    attribute_words,
    page_elements,
    short_text,
)

# The features, in the order of the weight vector. Each is 0/1 or a small bounded number.
FEATURES: tuple[str, ...] = (
    # source
    "source_structured",
    "source_meta",
    "source_visible",
    "source_other",
    "structured_main_product",
    "structured_other_product",
    "structured_key_price",
    "structured_key_low",
    "structured_key_high",
    "structured_lowest_offer",
    "structured_several_offers",
    "meta_sale",
    "meta_old",
    # currency evidence
    "currency_symbol",
    "currency_code",
    "currency_none",
    "currency_matches_page",
    "currency_differs_from_page",
    "currency_from_page",
    # position
    "after_heading",
    "heading_distance",
    "buy_button_distance",
    "no_buy_button",
    "first_visible_after_heading",
    "visible_rank",
    "in_other_products",
    "in_page_frame",
    # emphasis
    "price_class",
    "current_class",
    "old_class",
    "list_class",
    "in_heading_tag",
    "bold",
    "large_font",
    "labelled_by_price_word",
    # old price
    "struck_through",
    "old_price_word",
    # not the price of one unit now
    "from_word",
    "per_period",
    "instalment",
    "shipping",
    "saving",
    "percent_next",
    "count_next",
    "unit_price",
    # agreement
    "agrees_structured",
    "agrees_meta",
    "agrees_visible",
    "agreement_sources",
    "visible_repeats",
    # the amount itself
    "amount_integer",
    "amount_largest",
    "amount_smallest",
)

# What each mark says of an amount before any page is seen: the fit starts from these
# weights and is pulled back to them, not to zero, so a mark too rare on the training pages to
# weigh by itself ("from", "save", an old-price class name) still counts as its words say.
PRIOR: Mapping[str, float] = {
    **dict.fromkeys(
        (
            "labelled_by_price_word",
            "price_class",
            "current_class",
            "structured_main_product",
            "structured_key_price",
            "first_visible_after_heading",
            "agreement_sources",
        ),
        1.0,
    ),
    **dict.fromkeys(
        (
            "old_class",
            "list_class",
            "from_word",
            "instalment",
            "saving",
            "structured_other_product",
            "structured_key_high",
            "in_page_frame",
            "currency_none",
        ),
        -1.0,
    ),
}

_MAX_VISIBLE = 120
_OLD_PRICE_MARKS = ("struck_through", "old_price_word", "meta_old")
# Amounts that are, by what the words next to them say, not what one unit costs now: a
# monthly payment, a shipping cost, a count, a price per kilo or litre. (Instalment, saving and
# "from" stay features: their words often sit next to the real price too.)
_NOT_THE_PRICE_MARKS = ("per_period", "shipping", "count_next", "unit_price", "percent_next")
_CONTEXT = 28
_AMOUNT = re.compile(AMOUNT_PATTERN)
_DIGIT = re.compile(r"\d")
# Text that is nothing but an amount and its currency ("€ 39,99", "12,-", "$5").
PRICE_TEXT = re.compile(
    rf"^[^\w\d]{{0,3}}(?:(?:{CURRENCY_SYMBOL_PATTERN})\s?)?(?:{AMOUNT_PATTERN})[,.]?-*"
    rf"\s?(?:(?:{CURRENCY_SYMBOL_PATTERN})\.?)?[^\w\d]{{0,3}}$",
    re.IGNORECASE,
)
# A box that says a word or two, then one amount with its currency: "Now £30.00", "Was
# £45.00", "UVP 249,99 €". The words count as the words before the amount. Case matters:
# "dye 2,86 €" is no currency code.
_WORDED_PRICE = re.compile(
    rf"^[^\W\d_]{{2,}}(?:\s[^\W\d_]{{2,}})?[\s:.]{{0,3}}(?:(?:{CURRENCY_SYMBOL_PATTERN})\s?"
    rf"(?:{AMOUNT_PATTERN})|(?:{AMOUNT_PATTERN})\s?(?:{CURRENCY_SYMBOL_PATTERN}))[^\w\d]{{0,3}}$"
)
_PRICE_ATTRIBUTES = ("content", "data-price", "data-price-amount", "data-value")
_PRICE_CLASS = re.compile(r"price|preis|prix|prezzo|precio|preco|cena|цена|amount", re.I)
_CURRENT_CLASS = re.compile(r"current|sale|final|now|special|actual|selling|offer|promo", re.I)
# Class names that can only mean the price before a reduction...
_OLD_CLASS = re.compile(
    r"(?<![a-z])(?:old|was)(?![a-z])|old[-_]?price|price[-_]?old|was[-_]?price|price[-_]?was|"
    r"strike|crossed|line-?through|rrp|msrp|uvp|compare[-_]?at|before[-_]?price",
    re.I,
)
# ... and ones that often do, though some shops name their only price so ("regular-price").
_LIST_CLASS = re.compile(
    r"regular|list|before|orig|compare|reference|recommend|base-?price|retail", re.I
)
# Lists of other products, whose prices are not this product's.
OTHER_PRODUCTS = re.compile(
    r"carousel|related|recommend|similar|upsell|cross-?sell|also-?(?:bought|viewed)|"
    r"recently-?viewed|accessor|bundle",
    re.I,
)
_FRAME_TAGS = frozenset({"header", "footer", "nav", "aside"})
_LARGE_CLASS = re.compile(r"(?<![a-z])(?:big|large|lg|xl|xxl|huge|h[1-3])(?![a-z])", re.I)
_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt|em|rem)", re.I)
_STRUCK_STYLE = re.compile(r"line-through", re.I)
STRUCK_TAGS = frozenset({"del", "s", "strike"})
# Tags that run inside a line of text rather than make a block of their own.
_INLINE_TAGS = frozenset(
    {
        "span",
        "b",
        "strong",
        "em",
        "i",
        "small",
        "sup",
        "sub",
        "del",
        "s",
        "strike",
        "ins",
        "u",
        "a",
        "label",
        "font",
        "bdi",
        "data",
        "abbr",
        "mark",
        "q",
        "time",
    }
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
_BOLD_TAGS = frozenset({"strong", "b"})
# The word "price" in the larger shop languages (also read by prices.py's rules).
PRICE_WORD = re.compile(
    r"(?<![a-z])(?:price|preis|prix|prezzo|precios?|preço|cena|цена|fiyat|hinta|pris|prijs|"
    r"價|价|価格|السعر)",
    re.I,
)
# "Price: $12.99", "Preis 12,99 €", "直購價：$294": a price word, then an amount with a currency.
LABELLED_PRICE = re.compile(
    rf"{PRICE_WORD.pattern}[^\d\n]{{0,8}}?(?P<price>(?:{CURRENCY_SYMBOL_PATTERN})\s?"
    rf"(?:{AMOUNT_PATTERN})|(?:{AMOUNT_PATTERN})\s?(?:{CURRENCY_SYMBOL_PATTERN}))",
    re.I,
)
# Words before an amount that make it the price before a reduction.
_OLD_WORD = re.compile(
    r"(?<![a-z])(?:was|old|rrp|uvp|msrp|list\s*price|statt|avant|antes|prima|regular|"
    r"before|originally|original|compare\s*at|retail|reference|bisher|früher|ehemals|"
    r"prix\s*barré|de|van|instead\s*of|anstatt|war|precio\s*anterior|preço\s*antigo|"
    r"定価|原价|市场价|建議)\W{0,3}$",
    re.I,
)
_FROM_WORD = re.compile(
    r"(?<![a-z])(?:from|starting\s*at|ab|à\s*partir\s*de|dès|desde|a\s*partir\s*de|da|a\s*partire"
    r"\s*da|vanaf|od|от|from\s*only)\W{0,3}$",
    re.I,
)
_PER_PERIOD = re.compile(
    r"^\W{0,3}(?:/\s*(?:mo|month|mes|mois|monat|mese|maand|m\.|mth)|per\s*month|a\s*month|"
    r"monthly|mtl|mensuel|al\s*mese|por\s*mes|pro\s*monat|/\s*(?:week|wk|yr|year))",
    re.I,
)
_INSTALMENT = re.compile(
    r"(?:\d+\s*[x×]\s*$|(?<![a-z])(?:instal+ments?|rate[n]?|raten|cuotas|parcelas?|"
    r"vezes|klarna|afterpay|paypal|affirm|pay\s*in\s*\d|interest[-\s]free|financ\w*|"
    r"mensualit\w*|monatlich)(?![a-z]))",
    re.I,
)
_SHIPPING = re.compile(
    r"(?<![a-z])(?:shipping|delivery|versand|lieferung|livraison|envío|envio|spedizione|"
    r"frete|verzending|dostawa|доставка|postage|porto)(?![a-z])",
    re.I,
)
_SAVING = re.compile(
    r"(?<![a-z])(?:save|saving|you\s*save|sparen|sie\s*sparen|ersparnis|économisez|"
    r"economisez|ahorra|ahorras|risparmi|risparmia|economize|bespaar|oszczędzasz|"
    r"скидка|discount|rabatt|remise|descuento|sconto|korting|off)(?![a-z])",
    re.I,
)
_PERCENT_NEXT = re.compile(r"^\s?%")
_COUNT_NEXT = re.compile(
    r"^\W{0,3}(?:items?|reviews?|ratings?|pcs|pieces|sold|left|stars?|bewertungen|avis|"
    r"reseñas|recensioni|avaliações|beoordelingen|opinie|отзыв\w*|votes?|customers?|x\b)",
    re.I,
)
_UNIT_PRICE = re.compile(
    r"^\W{0,3}(?:/|per|pro|je|par|por|al)\s*(?:\d+\s*)?(?:kg|g|l|ml|cl|m|m²|m2|100\s*g|"
    r"100\s*ml|unit|stück|st\.?|piece|pc|lb|oz)(?![a-z])",
    re.I,
)
_BUY_WORDS = re.compile(
    r"add\s*to\s*(?:cart|basket|bag|trolley)|buy\s*(?:it\s*)?now|in\s*den\s*warenkorb|"
    r"warenkorb|kaufen|ajouter\s*au\s*panier|ajouter|añadir\s*al\s*carrito|comprar|"
    r"aggiungi\s*al\s*carrello|adicionar\s*ao\s*carrinho|toevoegen|in\s*winkelwagen|"
    r"dodaj\s*do\s*koszyka|в\s*корзину|купить|sepete\s*ekle|カートに入れる|加入购物车|"
    r"加入購物車|立即购买|add[-_]?to[-_]?(?:cart|basket|bag)|addtocart",
    re.I,
)
_BUTTON_TAGS = frozenset({"button", "input"})
_LINK_TAGS = frozenset({"a", "form"})


@dataclass
class PriceCandidate:
    """One amount the page offers as a price, and what describes it."""

    amount: str
    currency: str
    # "structured", "meta", "visible", or "other": an amount only the extractor's other
    # readers found (script data, social cards).
    source: str
    features: dict[str, float] = field(default_factory=dict)

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)


def is_old_price(candidate: PriceCandidate) -> bool:
    """Whether the page marks the amount as the price before a reduction (struck through,
    or after "was", "RRP", "statt"...): by the definition of a price, never the price."""
    return any(candidate.features.get(name) for name in _OLD_PRICE_MARKS)


def may_be_the_price(candidate: PriceCandidate, currencies: Mapping[Decimal, bool]) -> bool:
    """Whether `candidate` can be the product's price at all: not an old price, not a
    monthly, shipping or unit price or a count, not in a list of other products, and with
    some currency evidence (its own or the page's declared one, or another source's for the
    same amount; `currencies` tells per amount whether any candidate names one: a bare number
    nothing gives a currency is a count or a code)."""
    features = candidate.features
    return (
        not is_old_price(candidate)
        and not any(features.get(name) for name in _NOT_THE_PRICE_MARKS)
        and not features.get("in_other_products")
        and (bool(candidate.currency) or currencies.get(candidate.value, False))
    )


def currency_evidence(candidates: Sequence[PriceCandidate]) -> dict[Decimal, bool]:
    """For each amount among `candidates`, whether any of them names its currency."""
    found: dict[Decimal, bool] = {}
    for candidate in candidates:
        found[candidate.value] = found.get(candidate.value, False) or bool(candidate.currency)
    return found


def page_candidates(
    page: Page, country: str, other_price: str = "", other_currency: str = ""
) -> list[PriceCandidate]:
    """Every price candidate of `page` with its features. `other_price` and `other_currency`
    are what the extractor's other readers chose, a candidate of its own when no other stands
    for the amount."""
    elements = page_elements(page)
    heading = next((e for e in elements if e.tag == "h1"), None)
    page_currency = _page_currency(page, country)
    candidates = [
        *_structured_candidates(page, heading),
        *_meta_candidates(page),
        *_summary_candidates(page, country),
        *_visible_candidates(elements, heading, country),
    ]
    other = decimal_value(other_price)
    if other is not None and all(c.value != other for c in candidates):
        # Script data and social cards have no candidates of their own: their amount stays
        # one to choose.
        candidates.append(
            PriceCandidate(other_price, other_currency, "other", features={"source_other": 1.0})
        )
    for candidate in candidates:
        _add_currency_features(candidate, page_currency)
    _add_agreement(candidates)
    return candidates


def _structured_candidates(page: Page, heading: etree._Element | None) -> Iterator[PriceCandidate]:
    title = _text(heading) if heading is not None else page.first_meta("og:title")
    for items in all_items(page).values():
        products = find_products(items)
        main = choose_main_product(products, page, title)
        for product in products[:20]:
            yield from _offer_candidates(product, product is main)


def _offer_candidates(product: Item, is_main: bool) -> Iterator[PriceCandidate]:
    offers = [*offers_of(product), product]
    found: list[PriceCandidate] = []
    for offer in offers:
        currency = first_text(offer, "priceCurrency")
        specs = [s for s in offer.get("priceSpecification", []) if isinstance(s, dict)]
        pairs = [(key, first_text(offer, key), currency, "") for key in _OFFER_KEYS]
        pairs += [
            (
                "price",
                first_text(spec, "price", "minPrice"),
                first_text(spec, "priceCurrency") or currency,
                first_text(spec, "priceType"),
            )
            for spec in specs
        ]
        for key, text, currency_text, price_type in pairs:
            amount = price_amount(text, machine=True)
            if amount is None:
                continue
            found.append(
                PriceCandidate(
                    amount=amount,
                    currency=normalize_currency(currency_text) or "",
                    source="structured",
                    features={
                        "source_structured": 1.0,
                        "structured_main_product": float(is_main),
                        "structured_other_product": float(not is_main),
                        "structured_key_price": float(key == "price"),
                        "structured_key_low": float(key == "lowPrice"),
                        "structured_key_high": float(key == "highPrice"),
                        "structured_several_offers": float(len(offers) > 2),
                        "old_price_word": float(
                            bool(_OLD_CLASS.search(price_type) or _LIST_CLASS.search(price_type))
                        ),
                    },
                )
            )
    if found:
        lowest = min(c.value for c in found)
        for candidate in found:
            candidate.features["structured_lowest_offer"] = float(candidate.value == lowest)
    return iter(found)


_OFFER_KEYS = ("price", "lowPrice", "highPrice")
_META_PRICES = (
    ("product:price:amount", ("product:price:currency",), ""),
    ("og:price:amount", ("og:price:currency",), ""),
    ("product:sale_price:amount", ("product:sale_price:currency",), "meta_sale"),
    ("product:original_price:amount", ("product:original_price:currency",), "meta_old"),
)


def _meta_candidates(page: Page) -> Iterator[PriceCandidate]:
    for name, currency_names, kind in _META_PRICES:
        text = page.first_meta(name)
        amount = price_amount(text, machine="," not in text)
        if amount is None:
            continue
        currency = normalize_currency(page.first_meta(*currency_names)) or ""
        features = {"source_meta": 1.0}
        if kind:
            features[kind] = 1.0
        yield PriceCandidate(amount=amount, currency=currency, source="meta", features=features)


def _summary_candidates(page: Page, country: str) -> Iterator[PriceCandidate]:
    """A price the page's summary writes after a price word ("Price: €24,50. Soft.")."""
    for name in ("og:description", "description"):
        text = page.first_meta(name)
        match = LABELLED_PRICE.search(text) if text else None
        amount = price_amount(match.group("price")) if match else None
        if match is None or amount is None:
            continue
        yield PriceCandidate(
            amount=amount,
            currency=find_currency(match.group("price"), country=country) or "",
            source="meta",
            features={
                "source_meta": 1.0,
                "labelled_by_price_word": 1.0,
                "old_price_word": float(bool(_OLD_WORD.search(text[: match.start("price")]))),
            },
        )
        return


def _visible_candidates(
    elements: list[etree._Element], heading: etree._Element | None, country: str
) -> list[PriceCandidate]:
    heading_at = elements.index(heading) if heading is not None else 0
    heading_path = _ancestors(heading) if heading is not None else {}
    button = _buy_button(elements)
    button_path = _ancestors(button) if button is not None else {}
    near_digits = _near_digits(elements)
    covered: set[etree._Element] = set()
    found: list[PriceCandidate] = []
    for index, element in enumerate(elements):
        parent = element.getparent()
        if parent in covered:
            covered.add(element)
            continue
        if element not in near_digits and not any(map(element.get, _PRICE_ATTRIBUTES)):
            continue
        reading = _price_reading(element)
        if reading is None:
            continue
        covered.add(element)
        text, labelled = reading
        amount = price_amount(text)
        if amount is None:
            continue
        holder = _holder(element)
        features = _visible_features(holder, text, labelled)
        features["source_visible"] = 1.0
        features["after_heading"] = float(index >= heading_at)
        features["heading_distance"] = _tree_distance(holder, heading_path)
        features["buy_button_distance"] = _tree_distance(holder, button_path)
        features["no_buy_button"] = float(button is None)
        found.append(
            PriceCandidate(
                amount=amount,
                currency=find_currency(text, country=country) or "",
                source="visible",
                features=features,
            )
        )
        if len(found) >= _MAX_VISIBLE:
            break
    first_after = next(
        (c for c in found if c.features["after_heading"] and not is_old_price(c)), None
    )
    for rank, candidate in enumerate(found):
        candidate.features["visible_rank"] = min(1.0, rank / 20)
        candidate.features["first_visible_after_heading"] = float(candidate is first_after)
    return found


def _holder(element: etree._Element) -> etree._Element:
    """The innermost element holding all of `element`'s text: a box that only wraps another
    (`<div class="carousel"><span class="price">2,86 €</span></div>`) is described by the
    names of both."""
    while (
        len(element) == 1
        and not (element.text or "").strip()
        and isinstance(element[0].tag, str)
        and not (element[0].tail or "").strip()
    ):
        element = element[0]
    return element


def _near_digits(elements: list[etree._Element]) -> set[etree._Element]:
    """Elements within three levels above a text with a digit: the only ones whose short
    text can be an amount (reading every element's text would cost most of the time)."""
    found: set[etree._Element] = set()
    for element in elements:
        owner = element if element.text and _DIGIT.search(element.text) else None
        if owner is None and element.tail and _DIGIT.search(element.tail):
            owner = element.getparent()
        for _ in range(3):
            if owner is None or owner in found:
                break
            found.add(owner)
            owner = owner.getparent()
    return found


def is_price_text(text: str, *, worded: bool = False) -> bool:
    """Whether `text` is one amount and its currency and nothing more ("€ 39,99"); with
    `worded`, after a word or two ("Now £30.00")."""
    pattern = _WORDED_PRICE if worded else PRICE_TEXT
    return bool(pattern.match(text)) and len(_AMOUNT.findall(text)) == 1


def _price_reading(element: etree._Element) -> tuple[str, bool] | None:
    """The element's price text when it reads as one amount (a price attribute, or text that
    is nothing but an amount and a currency), or a price written after a price word."""
    if not isinstance(element.tag, str) or element.tag in SKIP_TAGS:
        return None
    if _PRICE_CLASS.search(attribute_words(element)):
        for attribute in _PRICE_ATTRIBUTES:
            value = (element.get(attribute) or "").strip()
            if value and _AMOUNT.search(value) and len(value) <= 40:
                return value, False
    text = short_text(element, 40)
    if not text or not any(c.isdigit() for c in text):
        return None
    if is_price_text(text):
        return text, False
    if PRICE_WORD.search(element.text or ""):
        match = LABELLED_PRICE.search(text)
        if match:
            return match.group("price"), True
    if is_price_text(text, worded=True):
        return text, False
    return None


def _visible_features(element: etree._Element, text: str, labelled: bool) -> dict[str, float]:
    before, after = _surroundings(element, text)
    before = f"{before} {_DIGIT.split(text)[0]}"  # with the words of the box itself
    words = attribute_words(element)
    chain = _chain(element, 4)
    chain_words = " ".join(attribute_words(e) for e in chain)
    styles = " ".join(e.get("style", "") for e in chain)
    tags = {e.tag for e in chain}
    return {
        "price_class": float(bool(_PRICE_CLASS.search(chain_words))),
        "current_class": float(bool(_CURRENT_CLASS.search(chain_words))),
        "old_class": float(bool(_OLD_CLASS.search(words or chain_words))),
        "list_class": float(bool(_LIST_CLASS.search(words or chain_words))),
        "in_heading_tag": float(bool(tags & _HEADING_TAGS)),
        "bold": float(bool(tags & _BOLD_TAGS) or "bold" in styles),
        "large_font": float(_large(styles, chain_words)),
        "labelled_by_price_word": float(labelled or bool(PRICE_WORD.search(before[-14:]))),
        "struck_through": float(
            bool(tags & STRUCK_TAGS)
            or bool(_STRUCK_STYLE.search(styles))
            or any("strike" in name for e in chain for name in e.attrib)
        ),
        "old_price_word": float(bool(_OLD_WORD.search(before))),
        "from_word": float(bool(_FROM_WORD.search(before))),
        "per_period": float(bool(_PER_PERIOD.search(after))),
        "instalment": float(bool(_INSTALMENT.search(before) or _INSTALMENT.search(after[:14]))),
        # "Shipping: $4.95", "+ $4.95 delivery"; not "$12.44 free delivery" further on.
        "shipping": float(bool(_SHIPPING.search(before[-16:]) or _SHIPPING.search(after[:10]))),
        "saving": float(bool(_SAVING.search(before[-14:]) or _SAVING.search(after[:10]))),
        "percent_next": float(bool(_PERCENT_NEXT.search(after))),
        "count_next": float(bool(_COUNT_NEXT.search(after))),
        "unit_price": float(bool(_UNIT_PRICE.search(after))),
        "in_other_products": float(_inside(element, OTHER_PRODUCTS, 16)),
        "in_page_frame": float(any(e.tag in _FRAME_TAGS for e in element.iterancestors())),
    }


def _surroundings(element: etree._Element, text: str) -> tuple[str, str]:
    """The words just before the amount, read in its nearest ancestor that holds a little
    more text than the amount itself (a label often sits in a box of its own), and the words
    just after it in its own block (what the next paragraph or cell says is about something
    else: "€ 30,00" then "Shipping € 4,95")."""
    before = ""
    for ancestor in _chain(element, 3)[1:]:
        context = short_text(ancestor, 160)
        if context is None:
            break
        at = context.find(text)
        if at >= 0 and len(context) > len(text) + 1:
            before = context[max(0, at - _CONTEXT) : at]
            break
    else:
        previous = element.getprevious()
        before = ((short_text(previous, 60) or "") if previous is not None else "")[-_CONTEXT:]
    block = element
    while block.tag in _INLINE_TAGS and block.getparent() is not None:
        block = block.getparent()
    context = short_text(block, 160) or ""
    at = context.find(text)
    after = context[at + len(text) :] if at >= 0 else ""
    return before, (after or (element.tail or "")).strip()[:_CONTEXT]


def _large(styles: str, words: str) -> bool:
    for size, unit in _FONT_SIZE.findall(styles):
        pixels = float(size) * {"px": 1.0, "pt": 1.33, "em": 16.0, "rem": 16.0}[unit.lower()]
        if pixels >= 20:
            return True
    return bool(_LARGE_CLASS.search(words))


def _chain(element: etree._Element, levels: int) -> list[etree._Element]:
    """The element and its `levels - 1` nearest ancestors."""
    found = [element]
    parent = element.getparent()
    while parent is not None and len(found) < levels:
        found.append(parent)
        parent = parent.getparent()
    return found


def _inside(element: etree._Element, roles: re.Pattern[str], levels: int) -> bool:
    return any(roles.search(attribute_words(e)) for e in _chain(element, levels + 1)[1:])


def _buy_button(elements: list[etree._Element]) -> etree._Element | None:
    """The first button (by its label, value or role words) that puts the product in a cart;
    failing that, the first link or form named so (reading every link's text costs too much)."""
    for element in elements:
        if element.tag in _BUTTON_TAGS:
            label = " ".join(
                [attribute_words(element), element.get("value", ""), short_text(element, 40) or ""]
            )
            if _BUY_WORDS.search(label):
                return element
    for element in elements:
        if element.tag in _LINK_TAGS and _BUY_WORDS.search(attribute_words(element)):
            return element
    return None


def _ancestors(element: etree._Element) -> dict[etree._Element, int]:
    """Each ancestor of `element` (itself included) with its number of steps up."""
    return {e: steps for steps, e in enumerate([element, *element.iterancestors()])}


def _tree_distance(element: etree._Element, target_path: Mapping[etree._Element, int]) -> float:
    """Steps through the tree from `element` to the target, scaled to 0..1 (1 far or none)."""
    if not target_path:
        return 1.0
    for steps, ancestor in enumerate([element, *element.iterancestors()]):
        if ancestor in target_path:
            return min(1.0, (steps + target_path[ancestor]) / 16)
    return 1.0


def _text(element: etree._Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _page_currency(page: Page, country: str) -> str:
    text = page.first_meta(
        "product:price:currency", "og:price:currency", "pricecurrency", "priceCurrency"
    )
    return normalize_currency(text, country=country) or "" if text else ""


def _add_currency_features(candidate: PriceCandidate, page_currency: str) -> None:
    features = candidate.features
    features["currency_none"] = float(not candidate.currency)
    features["currency_code"] = float(candidate.currency in ISO_CURRENCIES)
    features["currency_symbol"] = float(bool(candidate.currency) and candidate.source == "visible")
    if page_currency and candidate.currency:
        features["currency_matches_page"] = float(candidate.currency == page_currency)
        features["currency_differs_from_page"] = float(candidate.currency != page_currency)
    elif page_currency:
        # A page may name its currency only in its markup ("og:price:currency") and show
        # bare amounts: they are in that currency.
        candidate.currency = page_currency
        features["currency_from_page"] = 1.0


def _add_agreement(candidates: list[PriceCandidate]) -> None:
    by_source: dict[str, dict[Decimal, int]] = {
        "structured": {},
        "meta": {},
        "visible": {},
        "other": {},
    }
    for candidate in candidates:
        counts = by_source[candidate.source]
        counts[candidate.value] = counts.get(candidate.value, 0) + 1
    # Old prices are larger than the price by nature: they would make every price look small.
    values = [c.value for c in candidates if not is_old_price(c)]
    largest, smallest = (max(values), min(values)) if values else (Decimal(0), Decimal(0))
    for candidate in candidates:
        value, features = candidate.value, candidate.features
        others = {
            source: counts.get(value, 0) - (source == candidate.source)
            for source, counts in by_source.items()
        }
        features["agrees_structured"] = float(others["structured"] > 0)
        features["agrees_meta"] = float(others["meta"] > 0)
        features["agrees_visible"] = float(others["visible"] > 0)
        features["agreement_sources"] = sum(1.0 for count in others.values() if count > 0) / 2
        features["visible_repeats"] = min(1.0, math.log1p(others["visible"]) / 3)
        features["amount_integer"] = float(value == value.to_integral_value())
        features["amount_largest"] = float(len(values) > 1 and value == largest)
        features["amount_smallest"] = float(len(values) > 1 and value == smallest)
