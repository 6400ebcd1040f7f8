"""How much narration a video has room for.

A script of `seconds` at `words_per_minute` may hold `seconds * words_per_minute / 60` words,
less the breath at its start and end (LEAD_SECONDS) and a pause after every sentence but the
last (PAUSE_SECONDS), so that the voice ends before the video does. Words are counted by
whitespace; a number counts as the several words it is read as ("2,433" is two).

Languages written without spaces are measured in characters instead (letters and digits,
not punctuation), at CHARS_PER_SECOND for a voice at 150 words a minute, scaled with
`words_per_minute`: Japanese at 5.5 characters a second (330 a minute, a brisk announcer's
pace of about seven morae a second), Chinese at 4.5 (a syllable each), Thai at 12.
"""

from __future__ import annotations

from dataclasses import dataclass

from jogg_pipeline.engine.narration.script.sentences import split_sentences

LEAD_SECONDS = 0.5
PAUSE_SECONDS = 0.3
REFERENCE_WPM = 150.0
CHARS_PER_SECOND = {
    "japanese": 5.5,
    "chinese": 4.5,
    "traditional-chinese": 4.5,
    "cantonese": 4.5,
    "thai": 12.0,  # letters, not marks: two a syllable, six syllables a second
}


@dataclass(frozen=True)
class Budget:
    """The room a script of one language has, in words (or characters)."""

    seconds: float
    words_per_minute: float
    language: str

    @property
    def by_characters(self) -> bool:
        return self.language in CHARS_PER_SECOND

    @property
    def rate(self) -> float:
        """Units said per second."""
        if self.by_characters:
            return CHARS_PER_SECOND[self.language] * self.words_per_minute / REFERENCE_WPM
        return self.words_per_minute / 60.0

    @property
    def room(self) -> float:
        """What the sentences' costs (see cost) may add up to."""
        speaking = max(0.0, self.seconds - LEAD_SECONDS)
        return speaking * self.rate + self.pause  # the last sentence has no pause after it

    @property
    def pause(self) -> float:
        return PAUSE_SECONDS * self.rate

    def units(self, text: str) -> int:
        """Words (or characters) as read aloud."""
        if self.by_characters:
            return sum(ch.isalnum() for ch in text)  # combining marks are not alphanumeric
        return sum(_read_as(word) for word in text.split())

    def cost(self, text: str) -> float:
        """What `text` takes of the room: its units and a pause after each sentence."""
        return self.units(text) + self.pause * max(1, len(split_sentences(text)))

    def fits(self, sentences: list[str] | tuple[str, ...]) -> bool:
        return sum(self.cost(sentence) for sentence in sentences) <= self.room + 1e-9

    def words_allowed(self, sentence_count: int) -> float:
        """The word (or character) limit of a script of `sentence_count` sentences."""
        return max(0.0, self.room - self.pause * max(1, sentence_count))


def _read_as(word: str) -> int:
    """How many words a written word is read as: a number of n digits as about n/2."""
    digits = sum(ch.isdigit() for ch in word)
    return 1 + max(0, digits - 1) // 2 if digits else 1
