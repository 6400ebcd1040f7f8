"""A price written the way each language reads it: "$49", "119,01 €", "€ 26,00", "49ドル".

Japanese names its currencies in kana ("3,980えん", not "円"): the offline voice reads no kanji.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# "$1,299.00", "€119.01", "19.50 CHF", "R$ 1,759.99": a symbol or code on either side.
_PRICE = re.compile(
    r"^(?P<before>[^\d\s.,-]{1,4}|[A-Z]{3})?\s?(?P<amount>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<after>[^\d\s.,-]{1,4}|[A-Z]{3})?$"
)
# (decimal mark, thousands mark, euro after the amount, others after the amount)
_STYLE = {
    "english": (".", ",", False, False),
    "spanish": (",", ".", True, False),
    "french": (",", "\u202f", True, True),
    "german": (",", ".", True, False),
    "portuguese": (",", ".", True, False),
    "italian": (",", ".", True, False),
    "dutch": (",", ".", False, False),
    "flemish": (",", ".", False, False),
    "japanese": (".", ",", True, True),
}
_CURRENCY = r"[$€£¥₹₽₺₩¢]|R\$|\b(?:EUR|USD|GBP|CHF|JPY|CNY|INR|BRL|PLN|SEK|NOK|DKK|CAD|AUD)\b"
_MENTION = re.compile(rf"(?:{_CURRENCY})\s?\d|\d\s?(?:{_CURRENCY})", re.I)
_AMOUNT = re.compile(rf"(?:{_CURRENCY})\s?[\d.,]+|[\d.,]+\s?(?:{_CURRENCY})", re.I)
_JAPANESE_UNITS = {
    "$": "ドル",
    "€": "ユーロ",
    "£": "ポンド",
    "¥": "えん",
    "￥": "えん",
    "円": "えん",
    "USD": "ドル",
    "EUR": "ユーロ",
    "GBP": "ポンド",
    "JPY": "えん",
}
# A Japanese shop's tax or shipping remark after the price: "3,980円（税込）", "¥3,980 税込".
_JAPANESE_REMARK = re.compile(r"\s*[（(]?\s*(?:税込み?|税抜き?|税別|送料無料|送料込み?)\s*[）)]?$")


def mentions_price(text: str) -> bool:
    """Whether the text names an amount of money ("for €344.00", "₹2,433")."""
    return bool(_MENTION.search(text))


def without_prices(text: str) -> str:
    return _AMOUNT.sub(" ", text)


def spoken_price(price: str | None, language: str) -> str | None:
    """The price for `language`'s script; unusual text is returned as it is."""
    if not price or not any(ch.isdigit() for ch in price):
        return None
    text = price.strip()
    if language == "japanese":
        text = _JAPANESE_REMARK.sub("", text)
    match = _PRICE.match(text)
    style = _STYLE.get(language)
    if not match or style is None or (match["before"] and match["after"]):
        return text
    unit = match["before"] or match["after"] or ""
    try:
        amount = Decimal(match["amount"].replace(",", ""))
    except InvalidOperation:
        return text
    decimal_mark, thousands_mark, euro_after, others_after = style
    digits = f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"
    digits = digits.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands_mark)
    if language == "japanese" and unit in _JAPANESE_UNITS:
        return digits + _JAPANESE_UNITS[unit]
    if not unit:
        return digits
    if language in ("dutch", "flemish"):
        return f"{unit} {digits}"
    after = euro_after if unit in ("€", "EUR") else others_after or len(unit) == 3
    if after:
        return f"{digits} {unit}"
    return f"{unit}{digits}" if len(unit) == 1 else f"{unit} {digits}"
