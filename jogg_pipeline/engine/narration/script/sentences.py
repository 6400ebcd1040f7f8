"""Text split into sentences, the unit a script is built from and a voice pauses after."""

from __future__ import annotations

import re

_CJK_END = "。！？"
_END = ".!?…" + _CJK_END


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations a full stop does not end a sentence after.
_ABBREVIATIONS = _word_set(
    "e.g i.e etc approx incl inkl ca z.b bzw usw dr mr mrs ms no nr vs st jr sr p.ex env "
    "aprox pág ecc sig sra ggf evtl vol cf fig resp u.a d.h"
)
# A boundary: an end mark then a space; a CJK end mark; or "!"/"?" glued to a next word.
_BOUNDARY = re.compile(rf"(?<=[{_END}])[\"'”’»)]*\s+|(?<=[{_CJK_END}])|(?<=[!?])(?=[^\W\d_])")
_TERMINAL = re.compile(rf"[{_END}][\"'”’»)]*$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’»)]*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, which marks item breaks with newlines (see cleaning.strip_markup)."""
    sentences: list[str] = []
    for line in text.split("\n"):
        pieces = [piece.strip() for piece in _BOUNDARY.split(line.strip()) if piece.strip()]
        pending = ""
        for index, piece in enumerate(pieces):
            pending = f"{pending} {piece}" if pending else piece
            following = pieces[index + 1] if index + 1 < len(pieces) else ""
            if not _continues(pending, following):
                sentences.append(pending)
                pending = ""
        if pending:
            sentences.append(pending)
    return sentences


def _continues(pending: str, following: str) -> bool:
    """Whether a full stop in `pending` ends an abbreviation or an initial, not a sentence."""
    if following[:1].islower() and pending.endswith(("…", "...")):
        return True  # a pause, not an end: "never rusts… ever"
    if not following or not pending.endswith("."):
        return False
    last = pending.rsplit(" ", 1)[-1].rstrip(".").lower()
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def is_truncated(sentence: str) -> bool:
    """A sentence the page cut short ("... Read more", "LED CREE da...")."""
    return bool(_TRUNCATED.search(sentence))


def finished(sentence: str, language: str) -> str:
    """The sentence with an end mark: a full stop, or "。" in Japanese."""
    sentence = sentence.rstrip(" ,;:–—-")
    if not sentence or _TERMINAL.search(sentence):
        return sentence
    return sentence + ("。" if language == "japanese" or _ends_cjk(sentence) else ".")


def _ends_cjk(sentence: str) -> bool:
    return bool(_CJK.match(sentence[-1]))
