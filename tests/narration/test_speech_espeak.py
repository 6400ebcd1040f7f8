"""The espeak-ng binding: its event records read as speak_lib.h lays them out, speech that is
the same whatever was spoken before, and one clear line when it cannot speak."""

from __future__ import annotations

import ctypes
from pathlib import Path

import espeakng_loader
import numpy as np
import pytest

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.espeak import EVENT_PHONEME, EVENT_SENTENCE, EVENT_WORD
from jogg_pipeline.errors import PipelineError


def test_the_event_record_has_speak_lib_h_layout() -> None:
    pointer = ctypes.sizeof(ctypes.c_void_p)
    fields = {name: getattr(espeak._Event, name).offset for name, _ in espeak._Event._fields_}
    assert fields == {
        "type": 0,
        "unique_identifier": 4,
        "text_position": 8,
        "length": 12,
        "audio_position": 16,
        "sample": 20,
        "user_data": 24,
        "id": 24 + pointer,
    }
    assert ctypes.sizeof(espeak._EventId) == 8  # char string[8], the largest member
    assert ctypes.sizeof(espeak._Event) == 24 + pointer + 8


def test_events_read_from_a_real_synthesis_make_sense() -> None:
    text = "Hello big world. Again"
    spoken = espeak.synthesize(text, "en-us", rate=175, pitch=50, pitch_range=50)
    assert spoken.sample_rate == 22050 and spoken.language == "en-us"
    assert spoken.samples.dtype == np.int16 and len(spoken.samples) > spoken.sample_rate
    words = [event for event in spoken.events if event.kind == EVENT_WORD]
    assert [text[e.char_index : e.char_index + e.length] for e in words] == [
        "Hello",
        "big",
        "world",
        "Again",
    ]
    # Two clocks in every record, milliseconds and samples: a misread layout breaks the match.
    for event in spoken.events:
        assert abs(event.milliseconds - event.sample * 1000 // spoken.sample_rate) <= 1
        assert 0 <= event.sample <= len(spoken.samples)
    assert [e.sample for e in spoken.events] == sorted(e.sample for e in spoken.events)
    phonemes = [e.phoneme for e in spoken.events if e.kind == EVENT_PHONEME]
    assert phonemes[:4] == ["h", "ə", "l", "ˈoʊ"]  # IPA names, from id.string
    sentences = [e.char_index for e in spoken.events if e.kind == EVENT_SENTENCE]
    assert sentences == [0, 17]


def test_the_same_text_gives_the_same_samples_whatever_came_before() -> None:
    text = "Fresh coffee, roasted this morning."
    first = espeak.synthesize(text, "en-us+f2", rate=150, pitch=40, pitch_range=80)
    espeak.synthesize("Something else, slower.", "es+m6", rate=120, pitch=70, pitch_range=20)
    espeak.synthesize("Und noch etwas.", "de+f2", rate=300, pitch=10, pitch_range=90)
    again = espeak.synthesize(text, "en-us+f2", rate=150, pitch=40, pitch_range=80)
    assert np.array_equal(first.samples, again.samples)
    assert first.events == again.events


def test_an_unknown_voice_is_one_clear_line() -> None:
    with pytest.raises(PipelineError) as raised:
        espeak.synthesize("Hello", "xx-nowhere+f2", rate=160, pitch=50, pitch_range=50)
    assert str(raised.value) == (
        "The offline voice cannot use xx-nowhere+f2: "
        "espeak-ng says 'The specified espeak-ng voice does not exist'"
    )


def test_missing_data_or_library_is_one_clear_line(tmp_path: Path) -> None:
    library, data = espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    with pytest.raises(PipelineError) as raised:
        espeak.Espeak(library, str(tmp_path))
    assert str(raised.value) == (
        f"The offline voice cannot start: no espeak-ng data in {tmp_path} "
        "(reinstall espeakng-loader)"
    )
    missing = tmp_path / "libespeak-ng.so"
    with pytest.raises(PipelineError) as raised:
        espeak.Espeak(str(missing), data)
    assert str(raised.value) == (
        f"The offline voice cannot start: no espeak-ng library at {missing} "
        "(reinstall espeakng-loader)"
    )
    missing.write_bytes(b"not a shared object")
    with pytest.raises(PipelineError) as raised:
        espeak.Espeak(str(missing), data)
    message = str(raised.value)
    assert message.startswith("The offline voice cannot start: ") and "\n" not in message
