"""The narration of a video: its script spoken to fit the video, placed in time.

The script was sized to the video when the engine accepted the request; the voice may still
run long (a slow voice, many numbers). It is then spoken faster, within natural pacing, and if
it still does not fit, sentences are left out from the end backwards, the call to action last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jogg_pipeline.engine.narration.speech import fit_to
from jogg_pipeline.engine.narration.timing import Speech, Viseme
from jogg_pipeline.engine.narration.voices import LocalVoice, local_voices, voice_for_video
from jogg_pipeline.engine.render.captions import SpokenWord
from jogg_pipeline.engine.render.timeline import narration_window

NATURAL_PACE = 160.0  # words a minute the voice first tries
_TRAILING = ".,!?;:…)]\"'»”’。、！？"


@dataclass(frozen=True)
class VoiceOver:
    """The spoken narration and where it starts in the video."""

    speech: Speech
    offset: float  # seconds into the video the voice starts
    sentences: tuple[str, ...]  # those spoken, in order
    notes: tuple[str, ...]  # what was done differently from the script, one sentence each

    @property
    def end(self) -> float:
        return self.offset + self.speech.duration

    def track(self, duration: float) -> np.ndarray:
        """The voice as a mono track of the video's length."""
        rate = self.speech.sample_rate
        total = round(duration * rate)
        track = np.zeros(total, dtype=np.float32)
        start = min(total, round(self.offset * rate))
        part = self.speech.samples[: total - start]
        track[start : start + len(part)] = part
        return track

    def words(self) -> list[SpokenWord]:
        """The spoken words, with the punctuation that follows each in the script (captions
        show it, and it ends caption phrases)."""
        text = self.speech.text
        spoken: list[SpokenWord] = []
        for word in self.speech.words:
            end = word.char_end
            while end < len(text) and text[end] in _TRAILING:
                end += 1
            shown = text[word.char_start : end] or word.text
            spoken.append(SpokenWord(shown, word.start + self.offset, word.end + self.offset))
        return spoken

    def visemes(self) -> tuple[Viseme, ...]:
        return tuple(
            Viseme(v.shape, v.start + self.offset, v.end + self.offset) for v in self.speech.visemes
        )

    def sentence_starts(self) -> list[tuple[str, float]]:
        """Each sentence spoken and when its first word is heard."""
        starts: list[tuple[str, float]] = []
        position = 0
        words = self.speech.words
        for sentence in self.sentences:
            first = next((w for w in words if w.char_start >= position), None)
            if first is not None:
                starts.append((sentence, first.start + self.offset))
            position += len(sentence) + 1
        return starts


def find_voice(voice_id: str, language: str) -> LocalVoice:
    """The local voice a job names, or the voice of its language."""
    for voice in local_voices():
        if voice.voice_id == voice_id:
            return voice
    return voice_for_video(None, language, None).voice


def voice_over(
    sentences: tuple[str, ...], voice: LocalVoice, duration: float, sample_rate: int
) -> VoiceOver | None:
    """The script spoken to fit the video's narration window; None without a script."""
    kept = [sentence for sentence in sentences if sentence.strip()]
    if not kept:
        return None
    start, end = narration_window(duration)
    notes: list[str] = []
    fitted = fit_to(
        " ".join(kept), voice, end - start, words_per_minute=NATURAL_PACE, sample_rate=sample_rate
    )
    dropped = 0
    while not fitted.fits and len(kept) > 1:
        # The call to action closes the video: leave out what comes before it.
        kept.pop(-2 if len(kept) > 2 else 0)
        dropped += 1
        fitted = fit_to(
            " ".join(kept),
            voice,
            end - start,
            words_per_minute=NATURAL_PACE,
            sample_rate=sample_rate,
        )
    if dropped:
        notes.append(
            f"{dropped} sentence{'s' if dropped > 1 else ''} of the script left out: the voice "
            f"could not say all of it in {end - start:.1f} s"
        )
    speech = fitted.speech
    if not fitted.fits:
        speech = _cut(speech, end - start)
        notes.append(f"the narration is cut at {end - start:.1f} s: it is longer than the video")
    return VoiceOver(speech, start, tuple(kept), tuple(notes))


def _cut(speech: Speech, seconds: float) -> Speech:
    """The speech up to `seconds`, faded out at the cut, words and mouths after it left out."""
    rate = speech.sample_rate
    keep = round(seconds * rate)
    samples = speech.samples[:keep].copy()
    fade = min(len(samples), round(0.05 * rate))
    if fade:
        samples[-fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
    words = tuple(word for word in speech.words if word.end <= seconds)
    visemes = tuple(
        Viseme(v.shape, v.start, min(v.end, seconds)) for v in speech.visemes if v.start < seconds
    )
    return Speech(speech.text, samples, rate, words, visemes)
