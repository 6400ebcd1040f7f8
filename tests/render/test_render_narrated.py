"""Narrated videos: the voice where the script is, captions in time with it, the presenter
talking where its style puts it, and every setting of the request heard or seen."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from jogg_pipeline.engine.narration.script import ProductFacts, write_script
from jogg_pipeline.engine.render import RenderSpec, render_video
from jogg_pipeline.engine.render.planar import to_rgb
from jogg_pipeline.engine.render.renderer import prepare
from jogg_pipeline.engine.render.spec import QUALITIES, frame_size

SCRIPT = (
    "Meet the Aurora bottle.",
    "It keeps drinks cold for a whole day.",
    "Pick yours today.",
)
LENGTH = 8


def spec_of(**changes: object) -> RenderSpec:
    fields: dict[str, object] = dict(
        aspect_ratio=0,
        video_length=LENGTH,
        title="Aurora Bottle",
        price="$29.00",
        visual_style="Presenter",
        quality="preview",
        seed=11,
        script=SCRIPT,
        language="english",
        voice_id="local-en-US-female",
        music_id=0,
        presenter_id=5,
    )
    fields.update(changes)
    return RenderSpec(**fields)  # type: ignore[arg-type]


def frame_energy(samples: np.ndarray, rate: int, step: float = 0.05) -> np.ndarray:
    mono = samples.mean(axis=0)
    size = round(step * rate)
    frames = mono[: len(mono) // size * size].reshape(-1, size)
    return np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1))


def pitch(frame: np.ndarray, rate: int) -> float:
    """The fundamental of a voiced frame, by autocorrelation between 70 and 400 Hz."""
    frame = frame - frame.mean()
    correlation = np.correlate(frame, frame, mode="full")[len(frame) - 1 :]
    low, high = rate // 400, rate // 70
    lag = low + int(np.argmax(correlation[low:high]))
    return rate / lag


@pytest.mark.parametrize(
    ("aspect", "style"), [(0, "Presenter"), (1, "SplitScreen"), (2, "PictureInPicture")]
)
def test_the_voice_is_heard_where_the_script_is_and_nowhere_else(
    tmp_path: Path, probe, aspect: int, style: str
) -> None:
    spec = spec_of(aspect_ratio=aspect, visual_style=style)
    voice = prepare(spec).voice
    assert voice is not None
    video = tmp_path / "v.mp4"
    render_video(spec, video, tmp_path / "c.jpg")
    found = probe(video)
    assert abs(found.container_seconds - LENGTH) < 0.05
    assert (found.width, found.height) == frame_size(aspect, QUALITIES["preview"])
    energy = frame_energy(found.audio, found.sample_rate)
    times = np.arange(len(energy)) * 0.05
    before = energy[times + 0.05 <= voice.offset]
    after = energy[times >= voice.end + 0.1]
    during = energy[(times >= voice.offset) & (times + 0.05 <= voice.end)]
    assert before.max() < 0.002 and (after.size == 0 or after.max() < 0.002)
    assert np.mean(during > 0.02) > 0.6  # speech, with its pauses between words
    # A voiced frame has a speaking voice's pitch.
    loudest = int(np.argmax(energy))
    rate = found.sample_rate
    chunk = found.audio.mean(axis=0)[loudest * rate // 20 : (loudest + 1) * rate // 20]
    assert 120 < pitch(chunk, rate) < 350


def test_captions_show_the_spoken_words_in_time_and_only_when_asked(tmp_path: Path) -> None:
    shown = prepare(spec_of(caption=True))
    hidden = prepare(spec_of(caption=False))
    phrase = shown.phrases[1]
    middle = (phrase.start + phrase.end) / 2
    with_captions = np.asarray(to_rgb(shown.compositor.frame(middle)), dtype=int)
    without = np.asarray(to_rgb(hidden.compositor.frame(middle)), dtype=int)
    box = shown.compositor.layout.caption_box
    changed = np.abs(with_captions - without).sum(axis=2) > 30
    inside = changed[box.y : box.bottom, box.x : box.right]
    assert inside.mean() > 0.02
    assert changed.sum() == inside.sum()  # nothing else differs
    # The captions are the words of the script, and the file beside the video says when.
    spoken = [word for phrase in shown.phrases for word in phrase.text.split()]
    assert spoken == " ".join(SCRIPT).split()
    captions = tmp_path / "v.vtt"
    render_video(spec_of(), tmp_path / "v.mp4", tmp_path / "c.jpg", captions_path=captions)
    text = captions.read_text(encoding="utf-8")
    header, *cues = text.strip().split("\n\n")
    assert header.splitlines() == ["WEBVTT", "Language: english"]
    words = [
        re.sub(r"<[^>]+>", "", word)
        for cue in cues
        for line in cue.splitlines()[2:]
        for word in line.split()
    ]
    assert words == " ".join(SCRIPT).split()


def test_the_presenter_stands_where_its_style_puts_it_and_talks(tmp_path: Path) -> None:
    prepared = prepare(spec_of())
    compositor = prepared.compositor
    presenter = compositor.presenter
    box = compositor.layout.presenter_box
    assert presenter is not None and box is not None
    figure = presenter.figure.presenter  # type: ignore[attr-defined]
    width, height = figure.size
    assert box.x <= presenter.x and presenter.x + width <= box.right  # type: ignore[attr-defined]
    assert presenter.y + height == box.bottom  # type: ignore[attr-defined]
    without = prepare(spec_of(presenter_id=None)).compositor
    voice = prepared.voice
    assert voice is not None
    t = voice.offset + 1.0
    talking = np.asarray(to_rgb(compositor.frame(t)), dtype=int)
    empty = np.asarray(to_rgb(without.frame(t)), dtype=int)
    differs = np.abs(talking - empty).sum(axis=2) > 30
    assert differs[box.y : box.bottom, box.x : box.right].mean() > 0.2
    # Its mouth moves while it speaks: frames of different mouth shapes differ in the mouth.
    mouth = presenter.mouth  # type: ignore[attr-defined]
    shapes: dict[str, float] = {}
    for step in range(int(voice.speech.duration * 30)):
        moment = voice.offset + step / 30
        shapes.setdefault(mouth.at(moment), moment)
    assert {"open", "closed", "rest"} <= set(shapes)
    _, px, py = presenter.figure.mouths["open"]  # type: ignore[attr-defined]
    patch = presenter.figure.mouths["open"][0].planes.size  # type: ignore[attr-defined]
    left, top = presenter.x + px, presenter.y + py  # type: ignore[attr-defined]
    region = (slice(top - 4, top + patch[1] + 4), slice(left - 4, left + patch[0] + 4))
    open_frame = np.asarray(to_rgb(compositor.frame(shapes["open"])), dtype=int)[region]
    closed_frame = np.asarray(to_rgb(compositor.frame(shapes["closed"])), dtype=int)[region]
    assert np.abs(open_frame - closed_frame).mean() > 3


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_each_setting_makes_a_different_video(tmp_path: Path) -> None:
    facts = ProductFacts(
        name="Aurora Bottle",
        description="Keeps drinks cold for a day. Steel body. Leakproof lid.",
        price="$29.00",
    )

    def script(style: str, language: str) -> tuple[str, ...]:
        return write_script(facts, style, language, 7.0).sentences

    base = dict(script=script("Top 3 reasons", "english"), visual_style="PictureInPicture")
    variants = {
        "base": {},
        "language": {"script": script("Top 3 reasons", "spanish"), "language": "spanish"},
        "voice": {"voice_id": "local-en-US-male"},
        "avatar": {"presenter_id": 2},
        "script_style": {"script": script("Challenge", "english")},
        "music": {"music_id": 5},
    }
    digests = {}
    for name, change in variants.items():
        video = tmp_path / f"{name}.mp4"
        render_video(spec_of(**{**base, **change}), video, tmp_path / f"{name}.jpg")
        digests[name] = _digest(video)
    assert len(set(digests.values())) == len(variants), digests
    again = tmp_path / "again.mp4"
    render_video(spec_of(**base), again, tmp_path / "again.jpg")
    assert _digest(again) == digests["base"]  # the same request, the same bytes
