"""Japanese as the offline voice can read it: kana, not kanji.

espeak-ng's Japanese voice reads hiragana and katakana and digits, but for every kanji it says
the name of its writing system ("Chinese letter"), and it does the same for the iteration
marks (々, ゝ), the middle dot (・), a small vowel that makes no syllable it knows with the
kana before it, and a voiced kana straight after a Latin letter ("USBで"). It says nothing
for full-width digits, and it spells every Latin word letter by letter in English ("Lamp" is
"L, A, M, P"), which only suits an acronym ("USB", "LED"). A Japanese script is therefore
written with what `for_voice` makes of the page's text and says only what is `readable`.
"""

from __future__ import annotations

import re
import unicodedata

from jogg_pipeline.engine.narration.script.language import script_of

# Full-width digits and Latin letters (the voice is silent on them) and half-width katakana:
# NFKC makes them the ASCII and kana the voice reads. Full-width punctuation stays: it reads
# the same and looks right in Japanese captions.
_WIDTH_VARIANTS = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]+")
_WIDE_SEPARATOR = re.compile(r"(?<=\d)[，．](?=\d)")  # "3，980" in a number: "3,980"
# Marks the voice names instead of reading: ideographic iteration and closing marks, the
# ideographic zero, Hangzhou numerals, the kana iteration marks, the double hyphen and the
# spacing semi-voiced mark.
_NAMED_MARKS = frozenset(
    "々〆〇〻〼〱〲〳〴〵ゝゞヽヾ゠\u309a\u309c"
    + "".join(map(chr, range(0x3021, 0x302A)))
    + "〸〹〺"
)
# Small kana the voice reads only after certain kana (ゎ, ゕ and ゖ after none): a small vowel
# after a kana with the same vowel (a long vowel: かぁ) or in a loanword syllable (ティ, フォ).
_SMALL = frozenset("ぁぃぅぇぉゎゕゖァィゥェォヮヵヶ")
_VOWEL_ROWS = {
    "ぁ": "あかがさざただなはばぱまやらわゃ",
    "ぃ": "いきぎしじちぢにひびぴみりゐ",
    "ぅ": "うくぐすずつづぬふぶぷむゆるゅゔ",
    "ぇ": "えけげせぜてでねへべぺめれゑ",
    "ぉ": "おこごそぞとどのほぼぽもよろをょ",
}
_LOANWORD_SYLLABLES = {
    "ぁ": "くぐつふゔ",
    "ぃ": "うくぐつてでふゔ",
    "ぅ": "とど",
    "ぇ": "いうくぐしじちつふゔ",
    "ぉ": "うくぐつふゔ",
}
_JOINS = {
    small: frozenset(_VOWEL_ROWS[small] + _LOANWORD_SYLLABLES[small]) for small in _VOWEL_ROWS
}
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_LATIN_THEN_KANA = re.compile(r"(?<=[A-Za-z])(?=[\u3041-\u30ff])|(?<=[\u3041-\u30ff])(?=[A-Za-z])")
_ACRONYM = re.compile(r"[A-Z]{1,5}")  # spelled out in Japanese too


def for_voice(text: str) -> str:
    """`text` as the voice should be given it: composed kana (ハ + ゚ is パ), ASCII digits and
    letters for full-width ones (and their separators in a number), full-width katakana for
    half-width, a space for the middle dot between words ("スマート・ウォッチ"), and a space
    between Latin letters and kana ("USB で", as Japanese is often typeset)."""
    text = unicodedata.normalize("NFC", text)
    text = _WIDTH_VARIANTS.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)
    text = _WIDE_SEPARATOR.sub(lambda mark: unicodedata.normalize("NFKC", mark.group()), text)
    return _LATIN_THEN_KANA.sub(" ", text.replace("・", " "))


def readable(text: str, *, kana_after: bool = False) -> bool:
    """Whether the voice reads all of `text` (as `for_voice` gives it): no kanji, no mark it
    names, no small kana that joins nothing, no Latin word but an acronym; and, for a text a
    frame puts kana straight after (`kana_after`: a name, a price), no Latin letter at its end."""
    for index, char in enumerate(text):
        if char in _NAMED_MARKS or script_of(char) == "han":
            return False
        if char in _SMALL and (index == 0 or not _joins(text[index - 1], char)):
            return False
    if kana_after and _LATIN_WORD.search(text[-1:]):
        return False
    return all(_ACRONYM.fullmatch(word) for word in _LATIN_WORD.findall(text))


def _joins(before: str, small: str) -> bool:
    return _hiragana(before) in _JOINS.get(_hiragana(small), ())


def _hiragana(char: str) -> str:
    """The hiragana of a katakana (ヴ is ゔ); any other character as it is."""
    return chr(ord(char) - 0x60) if "ァ" <= char <= "ヶ" else char
