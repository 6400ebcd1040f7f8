"""Speaking from several threads at once: espeak-ng's global state is guarded, and each
narration comes out exactly as it does alone."""

from __future__ import annotations

import threading

import numpy as np

from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.timing import Speech
from jogg_pipeline.engine.narration.voices import resolve_voice

JOBS = [
    ("Fresh coffee, roasted this morning. Ground to order.", "english", "female", 150),
    ("Café recién tostado esta mañana, molido al momento.", "spanish", "male", 180),
    ("Frisch gerösteter Kaffee, heute Morgen gemahlen.", "german", "female", 170),
    ("Un café fraîchement torréfié ce matin.", "french", "male", 135),
]


def say(job: tuple[str, str, str, int]) -> Speech:
    text, language, gender, pace = job
    return speak(text, resolve_voice(None, language, gender), words_per_minute=pace)


def test_threads_speaking_at_once_give_what_each_gives_alone() -> None:
    alone = [say(job) for job in JOBS]
    together: list[Speech | None] = [None] * (2 * len(JOBS))
    start = threading.Barrier(len(together))

    def work(slot: int) -> None:
        start.wait()
        together[slot] = say(JOBS[slot % len(JOBS)])

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(len(together))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for slot, speech in enumerate(together):
        expected = alone[slot % len(JOBS)]
        assert speech is not None
        assert np.array_equal(speech.samples, expected.samples)
        assert (speech.words, speech.visemes) == (expected.words, expected.visemes)
