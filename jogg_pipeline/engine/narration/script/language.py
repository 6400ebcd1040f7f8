"""Which language a sentence is in: its writing system first, then small stopword lists.

Product pages mix languages (an English spec sheet on a German shop, a Latvian blurb under
an English name); a script keeps only the sentences in the language it is narrated in. The
writing system settles most cases (kana is Japanese, hangul Korean); among the Latin-script
languages with a script frame, the most frequent function words and the accented letters a
language does not use tell them apart. A sentence with no such evidence is taken to be in
the language of the text around it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable

# (first code point, last code point, writing system) for letters.
_RANGES = sorted(
    [
        (0x0041, 0x024F, "latin"),
        (0x1E00, 0x1EFF, "latin"),
        (0xFF21, 0xFF5A, "latin"),
        (0x0370, 0x03FF, "greek"),
        (0x1F00, 0x1FFF, "greek"),
        (0x0400, 0x052F, "cyrillic"),
        (0x0530, 0x058F, "armenian"),
        (0x0590, 0x05FF, "hebrew"),
        (0x0600, 0x06FF, "arabic"),
        (0x0750, 0x077F, "arabic"),
        (0x08A0, 0x08FF, "arabic"),
        (0xFB50, 0xFDFF, "arabic"),
        (0xFE70, 0xFEFF, "arabic"),
        (0x0900, 0x097F, "devanagari"),
        (0x0980, 0x09FF, "bengali"),
        (0x0A00, 0x0A7F, "gurmukhi"),
        (0x0A80, 0x0AFF, "gujarati"),
        (0x0B00, 0x0B7F, "oriya"),
        (0x0B80, 0x0BFF, "tamil"),
        (0x0C00, 0x0C7F, "telugu"),
        (0x0C80, 0x0CFF, "kannada"),
        (0x0D00, 0x0D7F, "malayalam"),
        (0x0E00, 0x0E7F, "thai"),
        (0x10A0, 0x10FF, "georgian"),
        (0x1100, 0x11FF, "hangul"),
        (0x3130, 0x318F, "hangul"),
        (0xAC00, 0xD7AF, "hangul"),
        (0x1200, 0x139F, "ethiopic"),
        (0x1800, 0x18AF, "mongolian"),
        (0x3040, 0x30FF, "kana"),
        (0x31F0, 0x31FF, "kana"),
        (0xFF66, 0xFF9F, "kana"),
        (0x3400, 0x4DBF, "han"),
        (0x4E00, 0x9FFF, "han"),
        (0xF900, 0xFAFF, "han"),
        (0x20000, 0x2FFFF, "han"),
    ]
)
_STARTS = [start for start, _, _ in _RANGES]

# The writing systems each wire language is written in; Latin unless listed.
_SCRIPTS: dict[str, frozenset[str]] = {
    "japanese": frozenset({"kana", "han"}),
    "chinese": frozenset({"han"}),
    "traditional-chinese": frozenset({"han"}),
    "cantonese": frozenset({"han"}),
    "korean": frozenset({"hangul"}),
    "russian": frozenset({"cyrillic"}),
    "ukrainian": frozenset({"cyrillic"}),
    "bulgarian": frozenset({"cyrillic"}),
    "mongolian": frozenset({"cyrillic", "mongolian"}),
    "serbian": frozenset({"cyrillic", "latin"}),
    "greek": frozenset({"greek"}),
    "arabic": frozenset({"arabic"}),
    "persian": frozenset({"arabic"}),
    "urdu": frozenset({"arabic"}),
    "hebrew": frozenset({"hebrew"}),
    "hindi": frozenset({"devanagari"}),
    "bengali": frozenset({"bengali"}),
    "assamese": frozenset({"bengali"}),
    "tamil": frozenset({"tamil"}),
    "telugu": frozenset({"telugu"}),
    "kannada": frozenset({"kannada"}),
    "malayalam": frozenset({"malayalam"}),
    "odia": frozenset({"oriya"}),
    "thai": frozenset({"thai"}),
    "amharic": frozenset({"ethiopic"}),
}
_LATIN = frozenset({"latin"})
_WRITTEN_AS = {"flemish": "dutch"}  # Flemish is written in standard Dutch


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The commonest function words of the Latin-script languages with a script frame. Words
# several languages share count for each; the ones they do not share decide.
STOPWORDS: dict[str, frozenset[str]] = {
    "english": _word_set(
        "the and of to with for is are your you this that it its from on in by be as or an at "
        "can will has have was our all more not so which into than every any when without "
        "while there their they we just also up out about after over"
    ),
    "spanish": _word_set(
        "el la los las de del y en con para por que es un una su sus se al lo como más muy "
        "este esta sin sobre tu tus son pero también desde hasta cuando entre puede hace todo "
        "nuestro cada"
    ),
    "french": _word_set(
        "le la les de des du et en un une pour avec dans sur est sont qui que au aux ce cette "
        "ces son sa ses votre vos vous nous il elle par pas plus très sans ou leur tout être "
        "fait chaque"
    ),
    "german": _word_set(
        "der die das den dem des und mit für ist sind ein eine einen einem einer im auf von zu "
        "zum zur sich nicht auch oder bei aus wie noch nach wird werden durch sie ihr ihre "
        "dein deine es so über jede"
    ),
    "portuguese": _word_set(
        "o os a as de do da dos das e em no na nos nas com para por um uma que é são seu sua "
        "seus suas mais muito não ao à você como também pelo pela este esta isso cada"
    ),
    "italian": _word_set(
        "il lo la gli le di del della dei delle e è in con per un una che non più sono da dal "
        "dalla al alla nel nella su questo questa anche come tuo tua ogni molto ed"
    ),
    "dutch": _word_set(
        "de het een en van met voor is zijn op te dat die niet ook je jouw uw wordt door bij "
        "naar aan om dit deze uit kan heeft of maar al meer zo elke"
    ),
}
# Accented letters each of those languages writes (loanwords included); others betray
# another language ("ā", "ł", "ș").
_OWN_LETTERS: dict[str, str] = {
    "english": "éèêëïçñö",
    "spanish": "áéíóúüñ",
    "french": "àâæçéèêëîïôœùûüÿ",
    "german": "äöüßé",
    "portuguese": "áâãàçéêíóôõúü",
    "italian": "àèéìíîòóùú",
    "dutch": "áéèëïöüíóúàç",
}
_WORD = re.compile(r"[^\W\d_]+")
_MIN_SCORE = 2  # function words a sentence needs before its language is decided


def script_of(character: str) -> str | None:
    """The writing system of one letter; None for anything else."""
    if not character.isalpha():
        return None
    point = ord(character)
    if point < 0x80:
        return "latin"
    index = bisect.bisect_right(_STARTS, point) - 1
    if index >= 0 and _RANGES[index][0] <= point <= _RANGES[index][1]:
        return _RANGES[index][2]
    return None


def scripts_of(language: str) -> frozenset[str]:
    return _SCRIPTS.get(language, _LATIN)


def writes_with_spaces(language: str) -> bool:
    """Whether the language separates words with spaces (Japanese and Chinese do not)."""
    return not scripts_of(language) & {"kana", "han", "thai"} or language == "korean"


def spaced_text(text: str) -> bool:
    """Whether a text is written with spaces between words, judging by its letters."""
    counts = Counter(script for script in map(script_of, text) if script)
    unspaced = counts["kana"] + counts["han"] + counts["thai"]
    return unspaced * 2 < sum(counts.values())


@functools.lru_cache(maxsize=4096)
def sentence_label(sentence: str, ignore: frozenset[str] = frozenset()) -> str | None:
    """What a sentence is written in: a language name where the evidence is clear
    ("english", "japanese", "korean"), else its writing system ("han", "cyrillic"), or
    "latin" for Latin script in no language this module can tell; None without letters.

    Words in `ignore` (the product's name and brand, lower case) are not evidence."""
    counts = Counter(script for script in map(script_of, sentence) if script)
    if not counts:
        return None
    script, _ = counts.most_common(1)[0]
    if script in ("kana", "han") and counts["kana"]:
        return "japanese"
    if script == "hangul":
        return "korean"
    if script != "latin":
        return script
    return _stopword_language(_words(sentence, ignore)) or "latin"


def text_label(labels: Iterable[tuple[str | None, int]]) -> str | None:
    """The label of a whole text from its sentences' (label, length): the one that covers
    at least half of what could be labelled."""
    weights: Counter[str] = Counter()
    for label, length in labels:
        if label and label != "latin":
            weights[label] += length
    if weights["japanese"] and weights["han"]:  # kanji sentences of a Japanese text
        weights["japanese"] += weights.pop("han")
    if not weights:
        return None
    label, weight = weights.most_common(1)[0]
    return label if weight * 2 >= sum(weights.values()) else None


def belongs(
    sentence: str, language: str, text: str | None, ignore: frozenset[str] = frozenset()
) -> bool:
    """Whether `sentence` may be narrated in `language`, given the label of its whole
    `text` (see text_label). Only sentences clearly in another language are refused."""
    language = _WRITTEN_AS.get(language, language)
    label = sentence_label(sentence, ignore)
    if label is None:
        return True
    expected = scripts_of(language)
    if label == "japanese":
        return language == "japanese"
    if label == "han":
        return "han" in expected and (language != "japanese" or text == "japanese")
    if label == "korean":
        return "hangul" in expected
    if label not in STOPWORDS and label != "latin":
        return label in expected
    if "latin" not in expected:
        return False
    if language in STOPWORDS:
        if _foreign_letters(sentence, language, ignore):
            return False
        if label != "latin":
            return label == language
        return text in (None, language)
    # A Latin-script language this module has no words for: refuse only what it knows.
    return label == "latin" and text not in STOPWORDS


def _words(sentence: str, ignore: frozenset[str]) -> list[str]:
    return [word for word in _WORD.findall(sentence.lower()) if word not in ignore]


def _stopword_language(words: list[str]) -> str | None:
    scores = Counter(
        {language: sum(word in stop for word in words) for language, stop in STOPWORDS.items()}
    )
    ranked = scores.most_common(2)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= _MIN_SCORE and top >= 1.5 * second:
        return best
    if top == 1 and second == 0 and len(words) <= 5:  # a short fragment: "Made in Italy"
        return best
    return None


def _foreign_letters(sentence: str, language: str, ignore: frozenset[str]) -> bool:
    """Whether words use accented Latin letters `language` never writes."""
    own = _OWN_LETTERS[language]
    words = _words(sentence, ignore)
    foreign = sum(
        any(ord(ch) > 127 and ch not in own and script_of(ch) == "latin" for ch in word)
        for word in words
    )
    if foreign >= 2:
        return True
    return foreign == 1 and not any(word in STOPWORDS[language] for word in words)
