"""A voice's audition: its language's sample sentence, as a small MP3 that decodes back to the
voice's speech, the same bytes every time."""

from __future__ import annotations

import io

import av
import numpy as np

from jogg_pipeline.engine.narration.audition import (
    MEDIA_TYPE,
    SAMPLE_RATE,
    SENTENCES,
    audition,
)
from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.voices import VOICE_LANGUAGES, resolve_voice


def decode(data: bytes) -> tuple[str, int, str, np.ndarray]:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = np.concatenate(
            [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
        )
        return container.format.name, stream.rate, stream.layout.name, samples


def test_every_spoken_language_has_a_sample_sentence() -> None:
    assert set(SENTENCES) == set(VOICE_LANGUAGES)


def test_an_audition_is_a_small_mp3_of_the_voice_saying_its_sentence() -> None:
    voice = resolve_voice(None, "german", "male")
    data = audition(voice)
    assert MEDIA_TYPE == "audio/mpeg" and data[:3] == b"ID3"
    assert len(data) < 40_000
    name, rate, layout, samples = decode(data)
    assert (name, rate, layout) == ("mp3", SAMPLE_RATE, "mono")
    speech = speak(SENTENCES["german"], voice, sample_rate=SAMPLE_RATE)
    # The decoder's priming delay and the last frame's padding add at most two frames.
    assert 0 <= len(samples) - len(speech.samples) < 2 * 1152 + 1105
    level = 20 * np.log10(np.sqrt(np.mean(samples**2)) / np.sqrt(np.mean(speech.samples**2)))
    assert abs(level) < 1.0


def test_auditions_are_the_same_bytes_every_time_and_differ_by_voice() -> None:
    female = resolve_voice(None, "spanish", "female")
    first = audition(female)
    audition.cache_clear()
    assert audition(female) == first
    assert audition(resolve_voice(None, "spanish", "male")) != first
    assert audition(resolve_voice(None, "italian", "female")) != first
