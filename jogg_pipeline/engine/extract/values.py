"""Normalisation of prices, currencies and availability as pages write them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

AVAILABILITY_NAMES = (
    "InStock",
    "OutOfStock",
    "PreOrder",
    "PreSale",
    "BackOrder",
    "Discontinued",
    "LimitedAvailability",
    "InStoreOnly",
    "OnlineOnly",
    "SoldOut",
    "MadeToOrder",
)
_AVAILABILITY_BY_KEY = {name.lower(): name for name in AVAILABILITY_NAMES}
# Free-text spellings seen in feeds and data attributes, keyed without spaces or punctuation.
_AVAILABILITY_SYNONYMS = {
    "available": "InStock",
    "instockonline": "InStock",
    "true": "InStock",
    "yes": "InStock",
    "onstock": "InStock",
    "outstock": "OutOfStock",
    "notavailable": "OutOfStock",
    "unavailable": "OutOfStock",
    "notinstock": "OutOfStock",
    "false": "OutOfStock",
    "oos": "OutOfStock",
    "preorderable": "PreOrder",
    "backorderable": "BackOrder",
    "limitedstock": "LimitedAvailability",
    "lowstock": "LimitedAvailability",
}

ISO_CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
    GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF
    KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR
    MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG
    SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
    VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW""".split()  # noqa: SIM905 - a table, not code
)

# Symbols that name one currency wherever they appear.
_UNAMBIGUOUS_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₽": "RUB",
    "руб": "RUB",
    "₴": "UAH",
    "грн": "UAH",
    "₺": "TRY",
    "tl": "TRY",
    "₩": "KRW",
    "₪": "ILS",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "₦": "NGN",
    "₸": "KZT",
    "円": "JPY",
    "тг": "KZT",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "lei": "RON",
    "лв": "BGN",
    "kn": "HRK",
    "r$": "BRL",
    "us$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "nt$": "TWD",
    "ر.س": "SAR",
    "د.إ": "AED",
    "chf": "CHF",
    "fr.": "CHF",
}
# Symbols shared by several currencies, resolved by the country of the page.
_AMBIGUOUS_SYMBOLS = {
    "$": {
        "us": "USD",
        "ca": "CAD",
        "au": "AUD",
        "nz": "NZD",
        "mx": "MXN",
        "ar": "ARS",
        "cl": "CLP",
        "co": "COP",
        "sg": "SGD",
        "hk": "HKD",
        "tw": "TWD",
        "br": "BRL",
        "uy": "UYU",
        "": "USD",
    },
    "¥": {"jp": "JPY", "cn": "CNY", "": "JPY"},
    "￥": {"jp": "JPY", "cn": "CNY", "": "JPY"},  # the full-width form Japanese pages use
    "kr": {"se": "SEK", "no": "NOK", "dk": "DKK", "is": "ISK"},
    "rs": {"pk": "PKR", "in": "INR", "lk": "LKR", "np": "NPR"},
    "r": {"za": "ZAR"},
}
# Country of a page by its language, for pages on generic domains.
_COUNTRY_BY_LANGUAGE = {"ja": "jp", "zh": "cn", "sv": "se", "nb": "no", "nn": "no", "da": "dk"}

CURRENCY_SYMBOL_PATTERN = (
    r"US\$|CA\$|AU\$|NZ\$|HK\$|NT\$|[RCASU]\$|\$|€|£|¥|￥|円|₹|₽|₴|₺|₩|₪|₫|₱|฿|₦|₸|zł|Kč|Ft|"
    r"lei|руб|грн|тг|лв|kn|kr|Rs\.?|CHF|Fr\.|ر\.س|د\.إ|(?-i:\bTL\b|\b[A-Z]{3}\b)"
)

# Digits grouped in lakhs ("1,23,456", as Indian shops write) or in thousands ("1.299,00",
# "1 299", "23,450"), or plain ("1299.00").
_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"
    r"|\d{1,3}(?:[.,'\u2019 \u00a0\u202f\u2009]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d+(?:[.,]\d+)?)(?!\d)"
)
AMOUNT_PATTERN = _NUMBER.pattern
_PERCENT = re.compile(r"\s?%")


def parse_decimal(text: str, *, machine: bool = False) -> str | None:
    """The amount in `text` as a plain decimal string ("1.299,00 €" -> "1299.00").

    `machine` says the text comes from structured data, where "." is always the decimal mark.
    """
    # A percentage ("-21%") is a discount, never an amount.
    match = next((m for m in _NUMBER.finditer(text) if not _PERCENT.match(text, m.end())), None)
    if match is None:
        return None
    raw = re.sub(r"[ \u00a0\u202f\u2009'\u2019]", "", match.group(0)).rstrip(".,")
    if machine and raw.count(",") == 0:
        whole, _, fraction = raw.partition(".")
        return _plain(whole, fraction) if raw.count(".") <= 1 else None
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        mark = "." if raw.rfind(".") > raw.rfind(",") else ","
    elif dots + commas == 0:
        return _plain(raw, "")
    else:
        mark = "." if dots else ","
        groups = raw.split(mark)
        # "1,299" and "1.299.000" group thousands; "12,99" and "87.11" have a decimal mark.
        if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] not in ("", "0")):
            return _plain(raw.replace(mark, ""), "")
    whole, _, fraction = raw.rpartition(mark)
    whole = whole.replace(".", "").replace(",", "")
    return _plain(whole, fraction)


def _plain(whole: str, fraction: str) -> str | None:
    whole = whole.lstrip("0") or "0"
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return f"{whole}.{fraction}" if fraction else whole


def price_amount(text: str, *, machine: bool = False) -> str | None:
    """`parse_decimal` of a text that stands for a price: None for no text and for zero, which
    shops write for "price on request" or as a placeholder."""
    amount = parse_decimal(text, machine=machine) if text else None
    return amount if amount is not None and amount.strip("0.") else None


def decimal_value(text: str) -> Decimal | None:
    """`text` as a Decimal, or None when it is not a number."""
    try:
        return Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None


def normalize_currency(text: str, *, country: str = "") -> str | None:
    """An ISO 4217 code for a code or symbol, using the page's country for shared symbols."""
    token = text.strip().rstrip(".").strip()
    if not token:
        return None
    if token.upper() in ISO_CURRENCIES:
        return token.upper()
    key = token.lower()
    if key in _UNAMBIGUOUS_SYMBOLS:
        return _UNAMBIGUOUS_SYMBOLS[key]
    if key + "." in _UNAMBIGUOUS_SYMBOLS:
        return _UNAMBIGUOUS_SYMBOLS[key + "."]
    choices = _AMBIGUOUS_SYMBOLS.get(key)
    if choices is None:
        return None
    return choices.get(country) or choices.get("")


def find_currency(text: str, *, country: str = "") -> str | None:
    """The first currency code or symbol written in `text`, as an ISO code."""
    for match in re.finditer(CURRENCY_SYMBOL_PATTERN, text, flags=re.IGNORECASE):
        token = match.group(0)
        if len(token) == 3 and token.isalpha() and token.upper() not in ISO_CURRENCIES:
            continue
        if len(token) == 3 and token.isalpha() and not token.isupper():
            continue
        code = normalize_currency(token, country=country)
        if code:
            return code
    return None


def page_country(url: str, language: str) -> str:
    """The country a page addresses, from its domain or its declared language ("" if unknown)."""
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(tld) == 2 and tld.isalpha():
        return "gb" if tld == "uk" else tld
    lang = language.lower().replace("_", "-")
    if "-" in lang:
        region = lang.split("-", 1)[1][:2]
        if region.isalpha():
            return region
    if tld in ("com", "net", "org", "us") and lang.startswith("en"):
        return "us"
    return _COUNTRY_BY_LANGUAGE.get(lang[:2], "")


def normalize_availability(text: str) -> str | None:
    """The schema.org ItemAvailability name for a URL, name or common spelling."""
    value = text.strip().rstrip("/")
    if not value:
        return None
    value = re.split(r"[/#:]", value)[-1]
    key = re.sub(r"[^a-z]", "", value.lower())
    return _AVAILABILITY_BY_KEY.get(key) or _AVAILABILITY_SYNONYMS.get(key)
