"""Selling points: the sentences of a description that are worth saying, best first.

A sentence is left out when it is shop boilerplate, holds an address, is a catalogue line
("EAN: ...") or would be broken by taking its code out, names a price (the script says the
price from the details, not a stale copy), was cut short by the page, is a heading or a
fragment, or only repeats the name. What is left is cleaned of codes and shouting, and
ranked: early in the page, of a usual length, speaking to the viewer; small print and example
dialogue last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jogg_pipeline.engine.narration.script import cleaning, language
from jogg_pipeline.engine.narration.script.boilerplate import is_boilerplate
from jogg_pipeline.engine.narration.script.money import mentions_price
from jogg_pipeline.engine.narration.script.sentences import is_truncated, split_sentences

_MIN_WORDS = 3
_MAX_WORDS = 40  # a longer "sentence" is a run-on the page glued together
_MIN_CHARS = 6  # the same limits for languages written without spaces
_MAX_CHARS = 90
_NAME_SHARE = 0.8  # a sentence made of this much of the name's words is the name again


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that speak to the viewer: a sentence with one sells better.
_YOU_WORDS = _word_set(
    "you your yours tu tus ti tuo tua vous votre vos du dein deine dich dir sie ihr ihre "
    "você seu sua je jouw uw あなた"
)
# Small print: a sentence with one of these warns rather than sells.
_CAVEAT = re.compile(
    r"\b(?:please note|may be required|requires?d?|not included|cannot|can't guarantee|terms|"
    r"bitte beachten|hinweis|veuillez noter|tenga en cuenta|si prega|let op|let wel)\b|"
    r"\bnot[ae]:|ご注意|注意",
    re.I,
)
_QUOTES = (('"', '"'), ("“", "”"), ("„", "“"), ("«", "»"))
_OPENING_QUOTES = ('"', "“", "„", "«", "'")
_RUN_IN_LABEL = re.compile(r"^[^\W\d][^:.!?]{0,60}:\s+(?=[^\W\d_])")
_STOPWORD_SETS = tuple(language.STOPWORDS.values())
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Point:
    """A selling point: one sentence of the description."""

    text: str
    order: int  # position among the description's usable sentences
    figure: bool  # it gives a number: a size, a weight, a count


def usable_sentences(description: str, name: str, known: frozenset[str]) -> list[str]:
    """The description's sentences that could be said, in page order, without duplicates.
    `name` is the product's full name; `known` its codes (lower case)."""
    seen: set[str] = set()
    kept = []
    name_words = set(lower_words(name))
    for raw in split_sentences(cleaning.strip_markup(without_leading(description, name))):
        if (
            is_truncated(raw)
            or is_boilerplate(raw)
            or cleaning.has_address(raw)
            or cleaning.has_code_label(raw)
            or mentions_price(raw)
        ):
            continue
        text, broken = cleaning.without_codes(raw, known)
        if broken:
            continue
        text = cleaning.calm_caps(text)
        text = _balanced_quotes(_without_label(without_leading(text, name)))
        text = text[:1].upper() + text[1:]
        words = lower_words(text)
        if not words or not _speakable_length(text) or _is_heading(text):
            continue
        if sum(word in name_words for word in words) >= _NAME_SHARE * len(words):
            continue
        key = " ".join(words)
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def ranked(sentences: list[str], lang: str) -> list[Point]:
    """`sentences` as points, the best first."""
    points = [
        Point(text, order, any(ch.isdigit() for ch in text)) for order, text in enumerate(sentences)
    ]
    return sorted(points, key=lambda point: -_score(point, lang))


def proper_nouns(sentences: list[str]) -> frozenset[str]:
    """Words the sentences capitalise after their first word and never write in lower case:
    names ("Google", "Tapo"), which keep their capital after a frame (lower case)."""
    capital: set[str] = set()
    lower: set[str] = set()
    for sentence in sentences:
        for word in _WORD.findall(sentence)[1:]:
            (capital if word[0].isupper() else lower).add(word.lower())
    return frozenset(capital - lower)


def without_leading(text: str, name: str) -> str:
    """A text that starts by repeating the product's name, without it."""
    if name and len(name) < len(text) and text.lower().startswith(name.lower()):
        rest = text[len(name) :].lstrip(" .,:;-–—|")
        if rest[:1].isalpha() and rest[:1].isupper():
            return rest
    return text


def lower_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _score(point: Point, lang: str) -> float:
    """How well a point sells: early in the page, a sentence's usual length, to the viewer."""
    words = lower_words(point.text)
    count = len(point.text.split()) if language.writes_with_spaces(lang) else len(point.text) / 3
    score = -0.6 * point.order
    score += 2.0 if 6 <= count <= 22 else 0.0 if count <= 30 else -2.0
    score += 1.5 if any(word in _YOU_WORDS for word in words) else 0.0
    score += 0.5 if point.figure else 0.0
    score -= 4.0 if _CAVEAT.search(point.text) else 0.0
    score -= 3.0 if point.text.startswith(_OPENING_QUOTES) else 0.0  # an example dialogue
    return score + (0.5 if point.text.endswith(("!", "！")) else 0.0)


def _without_label(text: str) -> str:
    """A sentence without the run-in heading a page put before it ("Two-Way Audio: Enables
    communication ..." says "Enables communication ...")."""
    match = _RUN_IN_LABEL.match(text)
    if match and len(text[match.end() :].split()) >= _MIN_WORDS:
        return text[match.end() :]
    return text


def _is_heading(text: str) -> bool:
    """A title rather than a sentence: its words capitalised ("Motion Detection and Activity
    Zones", "Características do Colchão"). German capitalises nouns, so a German line needs
    three capitalised words before it counts as one."""
    words = [word for word in text.split() if word[:1].isalpha()]
    lowered = {word.lower().strip(".,;:!?") for word in words}
    content = [word for word in words if not any(word.lower() in s for s in _STOPWORD_SETS)]
    capitals = sum(word[:1].isupper() for word in content)
    if text.endswith(("!", "?")) or not content:
        return False
    if capitals == len(content) >= 2 and not lowered & language.STOPWORDS["german"]:
        return True
    return len(content) >= 3 and capitals >= 0.75 * len(content)


def _balanced_quotes(text: str) -> str:
    """The sentence without quotation marks that open or close nothing (a dialogue the
    sentence splitter cut in two)."""
    for opening, closing in _QUOTES:
        unbalanced = (
            text.count(opening) % 2
            if opening == closing
            else text.count(opening) != text.count(closing)
        )
        if unbalanced:
            text = text.replace(opening, "").replace(closing, "")
    return text.strip()


def _speakable_length(text: str) -> bool:
    if language.spaced_text(text):
        return _MIN_WORDS <= len(text.split()) <= _MAX_WORDS
    letters = sum(ch.isalnum() for ch in text)
    return _MIN_CHARS <= letters <= _MAX_CHARS
