"""Product text made speakable: no markup, addresses, product codes or shouting.

Pages hand over text with tags and entities left in, shop addresses, EAN and model codes
and ALL-CAPS names; a voice would read every one of them out.
"""

from __future__ import annotations

import html
import re

from jogg_pipeline.engine.narration.script.language import STOPWORDS

# Block-level tags end a line of text: a list item is a sentence of its own.
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|li|ul|ol|div|h[1-6]|tr|td|section)\b[^<>]{0,2000}>", re.I
)
_INVISIBLE_BLOCK = re.compile(r"<\s*(script|style|noscript)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,2000}>")
_LEFTOVER_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,10});?")
_ANGLES = re.compile(r"[<>]")
# Bullets and bars separate items the way a full stop separates sentences.
_ITEM_MARK = re.compile(r"\s*(?:[•·▪■►▶✓✔✅★☆|｜]|\s-\s(?=[A-Z]))\s*")
_FOOTNOTE_MARK = re.compile(r"[*†‡®™©]|[_~`#]{2,}")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")

_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)\S+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A bare shop address ("Amazon.com", "Jumbo.ch"): a name, a dot and a lower-case domain.
_TLDS = (
    "com|net|org|info|biz|shop|store|online|site|io|co|app|eu|de|at|ch|fr|be|nl|lu|es|pt|it|"
    "uk|ie|pl|cz|sk|hu|ro|bg|gr|tr|ru|ua|by|kz|lv|lt|ee|fi|se|no|dk|is|jp|cn|tw|hk|kr|in|pk|"
    "br|ar|cl|mx|pe|au|nz|ca|us|za|si|hr|rs|ba|mk|il|sa|ae|eg|ma|ng|ke|ph|my|sg|id|th|vn"
)
_DOMAIN = re.compile(rf"\b[\w-]{{2,}}(?:\.[\w-]+)*\.(?-i:{_TLDS})(?![\w-])(?:/\S*)?", re.I)

# Units after a number: "128GB", "1080p", "0.7l", "235x100cm" are read, not spelled.
_UNIT = (
    r"(?:mm|cm|dm|m|km|in|inch|inches|ft|yd|g|kg|mg|lb|lbs|oz|ml|cl|dl|l|ltr|w|kw|v|mah|wh|"
    r"kwh|hz|khz|mhz|ghz|gb|tb|mb|kb|mp|px|p|k|x|pcs|pc|pz|st|stk|uds|db|h|hrs|min|s|sec|"
    r"m²|m2|m³|m3|cm²|cm2|cc|ccm|gen|st|nd|rd|th|er|e|ème|º|ª|d|fps|bit)"
)
_MEASURE = re.compile(rf"^\d+(?:[.,]\d+)?(?:x\d+(?:[.,]\d+)?)*{_UNIT}?$", re.I)
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[.,\u202f ]\d{3})*(?:[.,]\d{1,2})?$")
_TOKEN_EDGES = "()[]{}\"'«»“”‘’„‚‹›.,;:!?¡¿"
# A label that announces a code: the whole sentence is a catalogue line.
_CODE_LABEL = re.compile(
    r"\b(?:ean|gtin|isbn|upc|asin|mpn|sku|model\s*(?:no|number|nr|code)|item\s*(?:no|number)|"
    r"part\s*(?:no|number)|product\s*code|art(?:ikel)?\.?\s*-?\s*nr|artikelnummer|"
    r"bestellnummer|modellnummer|r[ée]f[ée]rence|r[ée]f\.|c[óo]digo|codice|referencia|"
    r"numer\s*katalogowy|kod\s*produktu)\b",
    re.I,
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that introduce a code ("SKU AP-75012X", "Modell K35HW").
_LABEL_WORDS = _word_set(
    "sku ean gtin mpn upc asin isbn model modell modèle modelo modello type typ ref réf "
    "art art.-nr artikel item part code"
)
_LAST_LATIN = 0x24F
_POSSESSIVE = re.compile(r"['’]s$")
_FUNCTION_WORDS = frozenset().union(*STOPWORDS.values())
_CAPS_WORD = re.compile(r"\b[^\W\d_]{5,}\b")


def strip_markup(text: str, *, lines: bool = True) -> str:
    """Text without tags, entities or markdown marks. Block ends, bullets and bars become
    line breaks (item breaks), or spaces with `lines=False` (bars still break)."""
    text = html.unescape(html.unescape(text))  # pages double-encode ("&amp;amp;")
    text = _INVISIBLE_BLOCK.sub(" ", text)
    text = _COMMENT.sub(" ", text)
    text = _BLOCK_TAG.sub("\n" if lines else " ", text)
    text = _TAG.sub(" ", text)
    text = _LEFTOVER_ENTITY.sub(" ", text)
    text = _ANGLES.sub(" ", text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _ITEM_MARK.sub("\n", text)
    text = _SPACE.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def has_address(text: str) -> bool:
    """Whether the text holds a URL, a shop's web address or an e-mail address."""
    return bool(_URL.search(text) or _EMAIL.search(text) or _DOMAIN.search(text))


def remove_addresses(text: str) -> str:
    for pattern in (_URL, _EMAIL, _DOMAIN):
        text = pattern.sub(" ", text)
    return tidy(text)


def is_code(token: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether a word is a product code, EAN or other identifier rather than something said."""
    core = _POSSESSIVE.sub("", token.strip(_TOKEN_EDGES))  # "1970's", "TV's"
    if not core or any(ch.isalpha() and ord(ch) > _LAST_LATIN for ch in core):
        return False  # Chinese or Cyrillic text: words, not codes
    if core.lower() in known:
        return True
    digits = sum(ch.isdigit() for ch in core)
    letters = sum(ch.isalpha() for ch in core)
    if not digits or _GROUPED_NUMBER.match(core):
        return False
    if not letters:
        return digits >= 6 or (digits >= 5 and any(ch in "-/" for ch in core))
    return not _MEASURE.match(core) and letters + digits >= 5 and digits >= 2


def has_code_label(text: str) -> bool:
    return bool(_CODE_LABEL.search(text))


def remove_codes(text: str, known: frozenset[str] = frozenset()) -> str:
    """The text without its code words (and without the codes given in `known`, lower case)."""
    return without_codes(text, known)[0]


def without_codes(text: str, known: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The text without its code words, and whether taking one out broke a phrase ("tested
    on [2020-12-02] in our lab": a function word on each side of the gap)."""
    for code in known:
        if " " in code:  # "SM A 015": a code with spaces is no single word
            text = re.sub(re.escape(code), " ", text, flags=re.I)
    words = text.split(" ")
    kept: list[str] = []
    broken = False
    for index, word in enumerate(words):
        if not is_code(word, known):
            kept.append(word)
            continue
        if kept and kept[-1].strip(_TOKEN_EDGES).lower() in _LABEL_WORDS:
            kept.pop()  # "Model AP-75012X fits": the label goes with its code
            continue
        after = words[index + 1] if index + 1 < len(words) else ""
        before_joins = bool(kept) and _is_function_word(kept[-1])
        after_joins = not after or word[-1:] in ",.;:!?" or _is_function_word(after)
        broken = broken or (before_joins and after_joins)
    return tidy(" ".join(kept)), broken


def _is_function_word(word: str) -> bool:
    return word.strip(_TOKEN_EDGES).lower() in _FUNCTION_WORDS


def tidy(text: str) -> str:
    """Spacing and punctuation left tidy after words were taken out."""
    text = re.sub(r"\(\s*[-/,;:]*\s*\)|\[\s*\]", " ", text)
    text = _SPACE.sub(" ", text)
    text = re.sub(r"\s+([,.;:!?)\]。、！？])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"(?:\s*[,;:/-])+\s*([.!?。！？])", r"\1", text)
    text = re.sub(r"^[\s,;:/–—-]+|[\s,;:/–—-]+$", "", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    return text.strip()


def calm_caps(text: str) -> str:
    """Shouted sentences in sentence case, and long ALL-CAPS words ("KÄRCHER") in title case.

    Short capitals (LED, USB, IKEA) are acronyms and stay."""
    # Letters without case (kana, kanji) count as not shouted: "USBで じゅうでん できます" is calm.
    letters = [ch for ch in text if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    if len(text.split()) >= 4 and letters and upper / len(letters) > 0.6:
        lowered = text.lower()
        return lowered[:1].upper() + lowered[1:]
    return _CAPS_WORD.sub(_title_if_upper, text)


def calm_name(text: str, small_words: frozenset[str]) -> str:
    """A name without shouting: an ALL-CAPS name in title case, keeping acronyms (BMW, TV)
    and putting `small_words` ("with", "de") in lower case; else as calm_caps does words."""
    letters = [ch for ch in text if ch.isalpha()]  # as in calm_caps
    upper = sum(ch.isupper() for ch in letters)
    if len(text.split()) < 3 or not letters or upper / len(letters) <= 0.6:
        return _CAPS_WORD.sub(_title_if_upper, text)

    def word(match: re.Match[str]) -> str:
        part = match.group(0)
        if not part.isupper():
            return part
        if part.lower() in small_words:
            return part.lower()
        return part if len(part) <= 3 else part[0] + part[1:].lower()

    return re.sub(r"[^\W\d_]+", word, text)


def _title_if_upper(match: re.Match[str]) -> str:
    word = match.group(0)
    return word[0] + word[1:].lower() if word.isupper() else word
