"""The product's name as a voice says it, and its brand.

Page titles carry shop decoration ("Details about", "| Shop", "【seller】"), codes, prices and
capitals; and a name said three times in fifteen seconds must be short: the spoken name stops
at the name's first separator, after a model ("TP-Link Tapo C200"), or after a few words.
"""

from __future__ import annotations

import re

from jogg_pipeline.engine.narration.script import cleaning, language
from jogg_pipeline.engine.narration.script.boilerplate import is_boilerplate
from jogg_pipeline.engine.narration.script.money import without_prices

_NAME_WORDS = 8  # a spoken name is short; the full one is on screen
_LONG_NAME_WORDS = 10  # the most a name without a place to cut keeps
_SHORT_NAME_WORDS = 5  # a longer name stops after its model, if it has one
_BRAND_WORDS = 5
_MODEL = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9-]{2,6}$")
_PREFIX = re.compile(
    r"^(?:details about|dettagli su|détails sur|details zu|detalles (?:de|sobre)|"
    r"detalhes (?:de|sobre)|buy|shop|compra|achetez|kaufen)\s+",
    re.I,
)
_SUFFIX = re.compile(
    r"\s*[-–]\s*(?:mostra il titolo originale|see original listing|afficher le titre d'origine)"
    r"\s*$",
    re.I,
)
_BRACKETED = re.compile(r"【[^】]*】|\[[^\]]*\]")
_BREAK = re.compile(r"\s*(?:,|\s[-–—|/]\s|\(|:|;|\s·\s|\.\s)\s*")
_NO_BRAND = re.compile(
    r"^(?:unbranded|generic|no ?brand|none|n/?a|unknown|not applicable|does not apply|"
    r"sans marque|sin marca|marca blanca|markenlos|ohne marke|senza marca|sem marca|geen merk)$",
    re.I,
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a title-cased name keeps in lower case, and a spoken name does not end with.
_SMALL_WORDS = _word_set(
    "a an and the of for with in on to by de del la le les el los y et du des da do dos das "
    "e di con per für mit und van het een voor met en"
)
_PREPOSITIONS = _word_set(
    "for with by from para con por pour avec par für mit von per voor met com"
)


def full_name(name: str, known: frozenset[str]) -> str:
    """The product's name without shop decoration, codes (and the `known` ones), prices or
    shouting; "" when nothing is left."""
    for line in cleaning.strip_markup(name or "", lines=False).split("\n"):
        line = _BRACKETED.sub(" ", line)
        line = _SUFFIX.sub("", _PREFIX.sub("", line.strip()))
        if is_boilerplate(line):
            continue
        line = cleaning.remove_codes(cleaning.remove_addresses(without_prices(line)), known)
        line = cleaning.calm_name(line, _SMALL_WORDS)
        if any(ch.isalpha() for ch in line):
            return line
    return ""


def spoken_name(name: str, brand: str | None) -> str:
    """A short form of the full name for saying more than once."""
    parts = [part for part in _BREAK.split(name) if part.strip()]
    if not parts:
        return ""
    spoken = parts[0].strip()
    rest = parts[1:]
    # "365 by Whole Foods Market, Potato Chips": the brand alone is not the product.
    while rest and (len(spoken.split()) < 2 or (brand and spoken.lower() == brand.lower())):
        spoken = f"{spoken} {rest.pop(0).strip()}"
    words = spoken.split()
    model = next((i for i, word in enumerate(words[1:5], 1) if _MODEL.match(word)), None)
    if len(words) > _SHORT_NAME_WORDS and model is not None:
        words = words[: model + 1]
    if len(words) > _NAME_WORDS:
        # Before a preposition ("Pink Dog Hair Dye for Pets"), else whole if it is not much
        # longer: a name ends on its noun ("... 3 Blade Ceiling Fan").
        cut = next((i for i in range(3, _NAME_WORDS + 1) if words[i].lower() in _PREPOSITIONS), 0)
        words = words[: cut or (len(words) if len(words) <= _LONG_NAME_WORDS else _NAME_WORDS)]
    while len(words) > 1 and words[-1].lower() in _SMALL_WORDS | _PREPOSITIONS:
        words.pop()
    return cleaning.tidy(" ".join(words))


def brand_name(brand: str | None, lang: str) -> str | None:
    """The brand as said in `lang`; None for a placeholder ("Unbranded"), a sentence, or a
    brand in another writing system than the narration's."""
    text = cleaning.remove_addresses(cleaning.strip_markup(brand or "")).replace("\n", " ")
    if not text or _NO_BRAND.match(text) or len(text.split()) > _BRAND_WORDS:
        return None
    label = language.sentence_label(text)
    if label not in (None, "latin", *language.STOPWORDS) and not language.belongs(text, lang, None):
        return None
    return cleaning.calm_name(text, _SMALL_WORDS)
