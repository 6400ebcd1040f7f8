"""Product facts made usable for one language: a name a voice can say, selling points in
that language (best first), the questions the page opens with, and the details (price, brand,
stock, audience) as the language says them. In Japanese, only what the offline voice can read
(kana.py): the rest is left out, and counted for the script's notes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from jogg_pipeline.engine.narration.script import cleaning, kana, language
from jogg_pipeline.engine.narration.script.boilerplate import is_boilerplate
from jogg_pipeline.engine.narration.script.model import ProductFacts
from jogg_pipeline.engine.narration.script.money import spoken_price
from jogg_pipeline.engine.narration.script.names import brand_name, full_name, spoken_name
from jogg_pipeline.engine.narration.script.points import (
    Point,
    lower_words,
    proper_nouns,
    ranked,
    usable_sentences,
    without_leading,
)
from jogg_pipeline.engine.narration.script.sentences import finished
from jogg_pipeline.engine.narration.script.stock import stock_state

_POOL = 12  # points a list draws from: the rest of a long page is small print
_OPENING = 3  # a question among a description's first sentences is its reader's problem
_AUDIENCE_WORDS = 12
_PRONOUN_I = re.compile(r"I(?:['’]|$)")  # "I", "I'm": capital wherever they stand


@dataclass(frozen=True)
class Material:
    """What a script can be written from, in one language."""

    language: str
    name: str  # the spoken name; "" when the page gave none
    full_name: str
    points: tuple[Point, ...]  # best first, each a finished sentence
    questions: tuple[str, ...]  # questions the page opens with
    audience: str | None  # words to put in a sentence ("busy parents")
    price: str | None  # as the language reads it
    brand: str | None
    brand_in_name: bool
    stock: str | None  # a stock.py state
    foreign: int  # description sentences left out for being in another language
    proper: frozenset[str]  # lower-case proper nouns: the brand's words and capitalised names
    # Japanese only: sentences left out because the voice cannot read them (kana.py), and
    # which of "name", "brand", "audience" and "price" were not said for that reason.
    unread: int = 0
    unread_details: tuple[str, ...] = ()

    @property
    def thin(self) -> bool:
        return not self.points and not self.questions


@functools.lru_cache(maxsize=64)  # one product is written in many styles and lengths
def gather(facts: ProductFacts, lang: str) -> Material:
    """The usable material of `facts` for a script in `lang`."""
    if lang == "japanese":
        facts = _for_voice(facts)
    sku = (facts.sku or "").strip().lower()
    known = frozenset({sku}) if sku else frozenset()
    brand = brand_name(facts.brand, lang)
    name = full_name(facts.name, known)
    named = frozenset(lower_words(f"{name} {brand or ''}"))  # no evidence of a language
    description = without_leading(facts.description or "", (facts.name or "").strip())
    candidates = usable_sentences(description, name, known)
    text_label = language.text_label(
        (language.sentence_label(text, named), len(text.split())) for text in candidates
    )
    kept = [text for text in candidates if language.belongs(text, lang, text_label, named)]
    foreign = len(candidates) - len(kept)
    if lang == "japanese":
        kept = [text for text in kept if kana.readable(text)]
    opening = kept[:_OPENING]
    questions = tuple(finished(t, lang) for t in opening if t.endswith(("?", "？")))
    statements = [text for text in kept if not text.endswith(("?", "？"))]
    points = [
        Point(finished(point.text, lang), point.order, point.figure)
        for point in ranked(statements, lang)[:_POOL]
    ]
    proper = frozenset(lower_words(brand or "")) | proper_nouns(candidates)
    details: dict[str, str | None] = {
        "name": spoken_name(name, brand),
        "brand": brand,
        "audience": _audience(facts.target_audience, lang, named, proper, known),
        "price": spoken_price(facts.price, lang),
    }
    unsaid: tuple[str, ...] = ()
    if lang == "japanese":
        unsaid = tuple(
            key
            for key, text in details.items()
            if text and not kana.readable(text, kana_after=True)
        )
        details.update(dict.fromkeys(unsaid))
    return Material(
        language=lang,
        name=details["name"] or "",
        full_name=name,
        points=tuple(points),
        questions=questions,
        audience=details["audience"],
        price=details["price"],
        brand=details["brand"],
        brand_in_name=bool(brand and brand.lower() in name.lower()) and "name" not in unsaid,
        stock=stock_state(facts.availability),
        foreign=foreign,
        proper=proper,
        unread=len(candidates) - foreign - len(kept),
        unread_details=unsaid,
    )


def _for_voice(facts: ProductFacts) -> ProductFacts:
    """The product's Japanese text as the voice is given it (kana.for_voice)."""
    return replace(
        facts,
        name=kana.for_voice(facts.name or ""),
        description=kana.for_voice(facts.description or ""),
        target_audience=kana.for_voice(facts.target_audience or ""),
        price=facts.price and kana.for_voice(facts.price),
        brand=facts.brand and kana.for_voice(facts.brand),
    )


def _audience(
    audience: str, lang: str, named: frozenset[str], proper: frozenset[str], known: frozenset[str]
) -> str | None:
    """The audience as words to put in a sentence ("busy parents"), or None."""
    text = cleaning.strip_markup(audience or "").replace("\n", ", ")
    if not text or cleaning.has_address(text) or is_boilerplate(text):
        return None
    text = cleaning.remove_codes(text, known).rstrip(".!?。！？ ")
    count = len(text.split()) if language.writes_with_spaces(lang) else 1
    if not text or count > _AUDIENCE_WORDS or re.search(r"[.!?。！？]\s", text):
        return None
    if not language.belongs(text, lang, None, named):
        return None
    return lower_first(text, lang, proper)


def lower_first(text: str, lang: str, proper: frozenset[str]) -> str:
    """`text` continuing a sentence: its first word in lower case where the language does
    that (not German, whose nouns keep their capital), unless it is a proper noun or an
    acronym."""
    if lang == "german" or not text:
        return text
    first = text.split(" ", 1)[0]
    letters = [ch for ch in first if ch.isalpha()]
    if not letters or not letters[0].isupper() or (lang == "english" and _PRONOUN_I.match(first)):
        return text
    if any(ch.isupper() for ch in letters[1:]) or lower_words(first)[0] in proper:
        return text
    second = text.split(" ", 2)[1:2]
    article = lower_words(first)[0] in language.STOPWORDS.get(lang, frozenset())
    if second and second[0][:1].isupper() and not article:
        return text  # a title ("Second Generation") or a name ("Hilfiger Denim")
    return text[0].lower() + text[1:]
