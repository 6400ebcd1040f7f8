"""On-screen caption lines and when each shows.

A Cue is the seam for speech: today cues are spread over the video from the description; a
narration track can supply its own cues (from word timings) and the renderer draws them the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS_PER_CUE = 12
MIN_CUE_SECONDS = 1.6
GAP_SECONDS = 0.12

_SENTENCE_END = re.compile(r"(?<=[.!?;。！？])\s+|\n+|\s+[•·▪●–—-]\s+")
_BULLETS = re.compile(r"^[\s•·▪●*>\-–—]+")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _even_parts(words: list[str], max_words: int) -> list[list[str]]:
    """Words in the fewest runs of at most max_words, all about the same length."""
    parts = -(-len(words) // max_words)
    per_part = -(-len(words) // parts)
    return [words[start : start + per_part] for start in range(0, len(words), per_part)]


def _clauses(words: list[str]) -> list[list[str]]:
    """Words grouped into clauses, ending after a comma, colon or dash."""
    clauses: list[list[str]] = [[]]
    for word in words:
        clauses[-1].append(word)
        if word.endswith((",", ":", "–", "—")):
            clauses.append([])
    return [clause for clause in clauses if clause]


def caption_lines(description: str, max_words: int = MAX_WORDS_PER_CUE) -> list[str]:
    """The description cut into short readable chunks.

    One chunk per sentence; a long sentence breaks at its commas first (clauses joined while
    they fit), and only a clause that is still too long is split evenly.
    """
    chunks: list[str] = []
    for sentence in _SENTENCE_END.split(description):
        words = _BULLETS.sub("", sentence).split()
        if len(words) <= max_words:
            if words:
                chunks.append(" ".join(words))
            continue
        current: list[str] = []
        for clause in _clauses(words):
            if current and len(current) + len(clause) > max_words:
                chunks.append(" ".join(current))
                current = []
            if len(clause) > max_words:
                *full, current = _even_parts(clause, max_words)
                chunks.extend(" ".join(part) for part in full)
            else:
                current += clause
        if current:
            chunks.append(" ".join(current))
    return chunks


def spread_cues(lines: list[str], start: float, end: float) -> list[Cue]:
    """Lay lines out over [start, end], each lasting in proportion to its words.

    When the window cannot give every line MIN_CUE_SECONDS, the first lines are kept: a
    description leads with what matters most.
    """
    span = end - start
    if span <= 0 or not lines:
        return []
    kept = lines[: max(1, int(span // MIN_CUE_SECONDS))]
    weights = [len(line.split()) + 2 for line in kept]
    total = sum(weights)
    cues: list[Cue] = []
    cursor = start
    for line, weight in zip(kept, weights, strict=True):
        length = span * weight / total
        gap = min(GAP_SECONDS, length * 0.1)
        cues.append(Cue(cursor, cursor + length - gap, line))
        cursor += length
    return cues


def description_cues(description: str, start: float, end: float) -> list[Cue]:
    return spread_cues(caption_lines(description), start, end)


# --- captions of a narration, from the synthesiser's word timings ------------------------------

MAX_PHRASE_WORDS = 7
MAX_PHRASE_CHARS = 34
PHRASE_PAUSE = 0.45  # a silence this long between two words starts a new phrase
HOLD_SECONDS = 0.6  # a phrase stays this long after its last word, unless the next begins


@dataclass(frozen=True)
class SpokenWord:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Phrase:
    """Words shown together, from the first one's start to `end`."""

    words: tuple[SpokenWord, ...]
    end: float

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    def current(self, t: float) -> int | None:
        """The index of the word being spoken at t (the last one begun), None before any."""
        index = None
        for number, word in enumerate(self.words):
            if word.start <= t:
                index = number
        return index


def phrases_of(words: list[SpokenWord], *, end_limit: float) -> list[Phrase]:
    """Spoken words grouped into caption phrases: a phrase ends after punctuation, before a
    pause, or when it is as long as a caption line pair may be; it shows until the next one
    starts or a moment after its last word, never past end_limit."""
    groups: list[list[SpokenWord]] = []
    for word in words:
        if not word.text.strip():
            continue
        current = groups[-1] if groups else None
        if current is not None:
            chars = sum(len(w.text) + 1 for w in current) + len(word.text)
            last = current[-1]
            if (
                last.text.endswith((".", "!", "?", ";", ":", ",", "。", "！", "？", "、"))
                or word.start - last.end > PHRASE_PAUSE
                or len(current) >= MAX_PHRASE_WORDS
                or chars > MAX_PHRASE_CHARS
            ):
                current = None
        if current is None:
            groups.append([word])
        else:
            current.append(word)
    phrases: list[Phrase] = []
    for index, group in enumerate(groups):
        following = groups[index + 1][0].start if index + 1 < len(groups) else end_limit
        end = min(following, group[-1].end + HOLD_SECONDS, end_limit)
        phrases.append(Phrase(tuple(group), max(end, group[-1].end)))
    return phrases


def _timestamp(seconds: float) -> str:
    millis = round(max(0.0, seconds) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(phrases: list[Phrase], language: str | None = None) -> str:
    """The narration as a WebVTT file: one cue per phrase, each word with its own timestamp
    (karaoke-style inline timestamps, so players can follow the voice word by word)."""
    lines = ["WEBVTT"]
    if language:
        lines.append(f"Language: {language}")
    lines.append("")
    for number, phrase in enumerate(phrases, start=1):
        lines.append(str(number))
        lines.append(f"{_timestamp(phrase.start)} --> {_timestamp(phrase.end)}")
        parts = [_escape(phrase.words[0].text)]
        for word in phrase.words[1:]:
            parts.append(f"<{_timestamp(word.start)}>{_escape(word.text)}")
        lines.append(" ".join(parts))
        lines.append("")
    return "\n".join(lines)


def _escape(text: str) -> str:
    # "-->" cannot appear in a cue's text, and & < > are markup there.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("-->", "--&gt;")
