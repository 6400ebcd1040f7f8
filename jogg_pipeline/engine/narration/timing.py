"""What a narration is made of once spoken: the voice's samples and when each word and mouth
shape happens. The speech synthesiser produces it; captions and presenters read it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Mouth shapes a presenter can draw, from the phonemes the synthesiser reports:
# rest (silence), closed (p b m), open (a), wide (e i), round (o u w), teeth (f v).
VISEME_SHAPES = ("rest", "closed", "open", "wide", "round", "teeth")


@dataclass(frozen=True)
class TimedWord:
    """One spoken word: its text, when it is heard, and where it is in the script's text."""

    text: str
    start: float  # seconds from the start of the narration
    end: float
    char_start: int  # [char_start, char_end) in the script text that was spoken
    char_end: int


@dataclass(frozen=True)
class Viseme:
    """A mouth shape held over [start, end) seconds."""

    shape: str  # one of VISEME_SHAPES
    start: float
    end: float


@dataclass(frozen=True)
class Speech:
    """A spoken script: mono float32 samples in [-1, 1] and its timings."""

    text: str
    samples: np.ndarray
    sample_rate: int
    words: tuple[TimedWord, ...]
    visemes: tuple[Viseme, ...]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate
