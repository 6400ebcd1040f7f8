"""The faces text is drawn with: Source Sans Pro for Latin, Greek and Cyrillic; IPAexGothic,
from the optional extra "japanese", for kana and kanji; and can_draw for what no face has."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from jogg_pipeline.engine.render.text import (
    FittedText,
    block_size,
    can_draw,
    draw_text,
    fit_box,
    font,
    stroke_for,
    text_width,
    uses_fallback,
)

JAPANESE_FONT = importlib.util.find_spec("matplotlib_fontja") is not None
with_japanese_font = pytest.mark.skipif(
    not JAPANESE_FONT, reason="the optional extra 'japanese' (matplotlib-fontja) is not installed"
)
LATIN = ["Hello, world!", "Ça coûte 49,90 €", "Ωμέγα", "Жизнь прекрасна", "Zürich–Łódź"]
JAPANESE = ["この しょうひん", "ステンレス ボトル", "日本語の字幕", "Lamp ライト"]
PRIVATE_USE = "\ue000"


def ink(fitted: FittedText) -> np.ndarray:
    """The drawn text's coverage (its alpha)."""
    return np.asarray(draw_text(fitted, (255, 255, 255)).getchannel("A"))


@pytest.mark.parametrize("text", LATIN)
def test_latin_greek_cyrillic_and_the_euro_are_drawn_with_the_main_face(text: str) -> None:
    assert can_draw(text)
    assert not uses_fallback(text)
    assert not fit_box(text, 800, None, 40, 20, 2).fallback


def test_a_private_use_character_cannot_be_drawn() -> None:
    assert not can_draw(PRIVATE_USE)
    assert not can_draw(f"Hello {PRIVATE_USE}")
    assert not can_draw(f"この しょうひん {PRIVATE_USE}")
    assert can_draw("a\u200db \t\n")  # spaces and invisible joiners need no glyph


@pytest.mark.parametrize("text", JAPANESE)
def test_japanese_can_be_drawn_only_with_the_extra(text: str) -> None:
    assert can_draw(text) == JAPANESE_FONT
    assert uses_fallback(text) == JAPANESE_FONT


def test_without_the_extra_japanese_cannot_be_drawn() -> None:
    # A fresh interpreter in which the package cannot be imported, installed or not: the
    # faces are found once per process.
    program = (
        "import json, sys\n"
        "sys.modules['matplotlib_fontja'] = None\n"
        "from jogg_pipeline.engine.render.text import can_draw, fit_box, uses_fallback\n"
        "texts = json.loads(sys.argv[1])\n"
        "print(json.dumps([[can_draw(t), uses_fallback(t), fit_box(t, 800, None, 40, 20, 2)"
        ".fallback] for t in texts]))\n"
    )
    texts = [*LATIN, *JAPANESE, PRIVATE_USE]
    result = subprocess.run(
        [sys.executable, "-c", program, json.dumps(texts)],
        capture_output=True,
        text=True,
        check=True,
    )
    answers = dict(zip(texts, json.loads(result.stdout), strict=True))
    assert all(answers[text] == [True, False, False] for text in LATIN)
    assert all(answers[text] == [False, False, False] for text in [*JAPANESE, PRIVATE_USE])


@with_japanese_font
def test_japanese_is_drawn_with_real_glyphs() -> None:
    pictures = []
    box = (font(48).getmask("\U0010ffff").size, bytes(font(48).getmask("\U0010ffff")))
    for char in "あいアイ日本":
        fitted = fit_box(char, 400, None, 48, 24, 1)
        assert fitted.fallback
        picture = ink(fitted)
        assert picture.max() == 255 and (picture > 0).sum() > 40  # strokes, not a hairline
        pictures.append(picture)
        # The main face draws its .notdef box for it: the same picture for every one.
        assert (font(48).getmask(char).size, bytes(font(48).getmask(char))) == box
    for index, picture in enumerate(pictures):
        for other in pictures[index + 1 :]:
            same_shape = picture.shape == other.shape
            assert not same_shape or not np.array_equal(picture, other)


@with_japanese_font
def test_japanese_is_measured_in_the_face_it_is_drawn_with() -> None:
    text = "きょうの はっけん、それが この しょうひんです。 さっそく くわしく みて みましょう。"
    fitted = fit_box(text, 600, None, 48, 24, 3, bold=True)
    assert fitted.fallback and len(fitted.lines) > 1
    for line in fitted.lines:
        assert text_width(line, fitted.size, True) == text_width(line, fitted.size, True, True)
        assert text_width(line, fitted.size, True) <= 600
        # The main face's boxes are another width: measuring with it would misplace lines.
        assert text_width(line, fitted.size, True, False) != text_width(line, fitted.size, True)
    picture = ink(fitted)
    columns = np.flatnonzero(picture.max(axis=0) > 0)
    width, _ = block_size(fitted)
    assert columns[-1] - columns[0] + 1 <= width + 2
    assert columns[-1] - columns[0] + 1 >= 0.9 * width  # the widest line fills the measure
    # One weight only: bold Japanese is thickened with a stroke, as the bundled font is.
    assert stroke_for(48, True, fallback=True) > 0
    assert stroke_for(48, True) == 0 and stroke_for(48, False, fallback=True) == 0


@with_japanese_font
def test_mixed_text_is_drawn_whole_in_the_fallback_face() -> None:
    fitted = fit_box("Lamp ライト Ω €", 800, None, 40, 20, 1)
    assert fitted.fallback and fitted.lines == ("Lamp ライト Ω €",)
    assert (ink(fitted) > 0).any()


def test_faces_are_cached_and_shared_between_threads() -> None:
    assert font(30) is font(30)
    assert font(30, fallback=True) is font(30, fallback=True)
    # Characters no other test asks about: the threads fill the glyph cache together.
    texts = [*"ЁЩЯѢΞΨ₤₧", *"龍鳳麒麟鶴亀", "\ue123"] * 4
    expected = [True] * 8 + [JAPANESE_FONT] * 6 + [False]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(can_draw, texts)) == expected * 4
        widths = list(pool.map(lambda text: text_width(text, 30), texts))
    assert widths == [text_width(text, 30) for text in texts]
