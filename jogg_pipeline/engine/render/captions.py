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
