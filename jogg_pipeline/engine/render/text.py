"""Typography: fitting text into a box (wrap, shrink, ellipsis) and drawing it as a layer.

Text is drawn with the main face (Source Sans Pro); a text with a character the main face
lacks (kana, kanji) is drawn and measured whole with the fallback face, IPAexGothic, when
the optional extra "japanese" (matplotlib-fontja) is installed. `can_draw` says whether a
text can be drawn at all, so that what cannot is left out rather than drawn as boxes.
"""

from __future__ import annotations

import importlib.util
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ELLIPSIS = "…"
Color = tuple[int, int, int]
_NO_GLYPH = "\U0010ffff"  # a noncharacter: every face draws its .notdef glyph for it
_PROBE_SIZE = 32
_probe_lock = threading.Lock()


@lru_cache(maxsize=2)
def _face_file(bold: bool) -> Path | None:
    """Source Sans Pro (SIL OFL, from the font-source-sans-pro package): Latin, Greek and
    Cyrillic, the euro sign, and a real bold."""
    try:
        import font_source_sans_pro
    except ImportError:
        return None
    name = "SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf"
    path = Path(font_source_sans_pro.__file__).parent / "files" / name
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _fallback_file() -> Path | None:
    """IPAexGothic (IPA Font License, from the optional matplotlib-fontja package): kana,
    kanji, Latin, Greek and Cyrillic in one weight. Found without importing the package,
    which would import matplotlib."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    folders = spec.submodule_search_locations if spec else None
    for folder in folders or ():
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False, fallback: bool = False) -> ImageFont.FreeTypeFont:
    """The text face at a pixel size: the main face, or with `fallback` the fallback face
    when it is installed (see uses_fallback); Pillow's bundled font when Source Sans is not
    installed.

    Shared between threads: a FreeType face is only read once made.
    """
    path = (_fallback_file() if fallback else None) or _face_file(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    loaded = ImageFont.load_default(size=size)
    if not isinstance(loaded, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType; scalable fonts are unavailable")
    return loaded


def _visible(char: str) -> bool:
    """Whether a character needs a glyph: not a space, a control or an invisible format
    character (a zero-width joiner draws nothing in any face)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


@lru_cache(maxsize=2)
def _no_glyph_mask(fallback: bool) -> tuple[tuple[int, int], bytes]:
    with _probe_lock:
        mask = font(_PROBE_SIZE, fallback=fallback).getmask(_NO_GLYPH)
        return mask.size, bytes(mask)


@lru_cache(maxsize=8192)
def _has_glyph(char: str, fallback: bool) -> bool:
    """Whether the face draws `char` with a glyph of its own: a missing one is drawn with
    the face's .notdef glyph, the same picture as a noncharacter's."""
    missing = _no_glyph_mask(fallback)
    with _probe_lock:
        mask = font(_PROBE_SIZE, fallback=fallback).getmask(char)
        return (mask.size, bytes(mask)) != missing


def uses_fallback(text: str) -> bool:
    """Whether `text` is drawn with the fallback face: it is installed and has a character
    of the text that the main face lacks."""
    if text.isascii() or _fallback_file() is None:
        return False
    return any(
        not _has_glyph(char, False) and _has_glyph(char, True)
        for char in set(text)
        if _visible(char)
    )


def can_draw(text: str) -> bool:
    """Whether an installed face has a glyph for every character of `text`; when not, the
    text would show empty boxes."""
    chars = {char for char in text if _visible(char)}
    if all(_has_glyph(char, False) for char in chars):
        return True
    return _fallback_file() is not None and all(_has_glyph(char, True) for char in chars)


def _fallback_for(text: str, fallback: bool | None) -> bool:
    return uses_fallback(text) if fallback is None else fallback


def stroke_for(size: int, bold: bool, fallback: bool = False) -> int:
    """A stroke that thickens a single-weight face (Pillow's bundled font, the fallback
    face) into a display weight."""
    if not bold:
        return 0
    if fallback and _fallback_file() is not None:
        return max(1, round(size / 30))
    if _face_file(bold=True) is not None:
        return 0
    return max(1, round(size / 30))


def text_width(text: str, size: int, bold: bool = False, fallback: bool | None = None) -> float:
    """The drawn width of `text`, in the face it is drawn with: the fallback face when
    `fallback`, or when None and the text needs it (uses_fallback)."""
    fallback = _fallback_for(text, fallback)
    return font(size, bold, fallback).getlength(text) + 2 * stroke_for(size, bold, fallback)


@dataclass(frozen=True)
class FittedText:
    """Lines that fit a width at one font size, in the main or the fallback face."""

    lines: tuple[str, ...]
    size: int
    bold: bool
    fallback: bool = False


def _break_word(
    word: str, size: int, width: float, bold: bool, fallback: bool | None = None
) -> list[str]:
    """Split a word wider than the box into pieces that fit (long URLs, CJK runs)."""
    fallback = _fallback_for(word, fallback)
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, size, bold, fallback) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(
    text: str,
    size: int,
    width: float,
    bold: bool = False,
    limit: int = 0,
    fallback: bool | None = None,
) -> list[str]:
    """Greedy word wrap of whitespace-separated text at a font size, measured in the face
    the whole text is drawn with.

    With a limit, wrapping stops once there are more than limit lines: callers only need to
    know that the text overflows, and long texts stay cheap.
    """
    fallback = _fallback_for(text, fallback)
    lines: list[str] = []
    current = ""
    for word in text.split():
        if limit and len(lines) > limit:
            return lines
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold, fallback) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, size, bold, fallback) <= width:
            current = word
        else:
            *full, current = _break_word(word, size, width, bold, fallback)
            lines.extend(full)
    if current:
        lines.append(current)
    return lines


def ellipsize(
    text: str, size: int, width: float, bold: bool = False, fallback: bool | None = None
) -> str:
    """Shorten text with an ellipsis so it fits the width on one line."""
    fallback = _fallback_for(text, fallback)
    if text_width(text, size, bold, fallback) <= width:
        return text
    # Widths grow with the prefix length, so search for the longest prefix that fits.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, bold, fallback) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(" ,;:-–—") + ELLIPSIS


def balance(
    text: str,
    size: int,
    width: float,
    bold: bool,
    lines: list[str],
    fallback: bool | None = None,
) -> list[str]:
    """The same number of lines, as even in length as possible (no lone last word)."""
    if len(lines) < 2:
        return lines
    fallback = _fallback_for(text, fallback)
    low, high = width / len(lines), width
    best = lines
    for _ in range(10):
        middle = (low + high) / 2
        attempt = wrap(text, size, middle, bold, limit=len(lines), fallback=fallback)
        if len(attempt) <= len(lines):
            best, high = attempt, middle
        else:
            low = middle
    return best


def fit_text(
    text: str, width: float, max_lines: int, max_size: int, min_size: int, bold: bool = False
) -> FittedText:
    """Largest size (down to min_size) at which text wraps into max_lines; else an ellipsis."""
    return fit_box(text, width, None, max_size, min_size, max_lines, bold)


def fit_box(
    text: str,
    width: float,
    height: float | None,
    max_size: int,
    min_size: int,
    max_lines: int,
    bold: bool = False,
) -> FittedText:
    """Largest size (down to min_size) at which text wraps into max_lines that also fit the
    box's height (None: any height); else an ellipsis."""
    text = " ".join(text.split())
    fallback = uses_fallback(text)  # one face for the whole text, its lines and its ellipsis
    size = max_size
    while True:
        allowed = max_lines
        if height is not None:
            allowed = max(1, min(max_lines, int(height // line_height(size))))
        lines = wrap(text, size, width, bold, limit=allowed, fallback=fallback)
        if len(lines) <= allowed:
            balanced = balance(text, size, width, bold, lines, fallback)
            return FittedText(tuple(balanced), size, bold, fallback)
        next_size = int(size * 0.92)
        if next_size < min_size or next_size == size:
            break
        size = next_size
    kept = lines[: allowed - 1]
    rest = " ".join(lines[allowed - 1 :])
    return FittedText((*kept, ellipsize(rest, size, width, bold, fallback)), size, bold, fallback)


def line_height(size: int) -> int:
    ascent, descent = font(size, bold=True).getmetrics()
    return round((ascent + descent) * 1.08)


def block_size(fitted: FittedText) -> tuple[int, int]:
    """Width and height of the drawn block, without shadow padding."""
    width = max(
        (text_width(line, fitted.size, fitted.bold, fitted.fallback) for line in fitted.lines),
        default=0,
    )
    return int(width + 0.999), line_height(fitted.size) * len(fitted.lines)


def draw_text(
    fitted: FittedText,
    color: Color,
    align: str = "left",
    shadow: float = 0.0,
    min_width: int = 0,
) -> Image.Image:
    """An RGBA layer holding the lines; a soft shadow when shadow > 0 (its opacity)."""
    text_w, text_h = block_size(fitted)
    text_w = max(text_w, min_width)
    pad = max(2, fitted.size // 6) if shadow else 1
    layer = Image.new("RGBA", (text_w + 2 * pad, text_h + 2 * pad), (*color, 0))
    mask = Image.new("L", layer.size, 0)
    draw = ImageDraw.Draw(mask)
    stroke = stroke_for(fitted.size, fitted.bold, fitted.fallback)
    face = font(fitted.size, fitted.bold, fitted.fallback)
    step = line_height(fitted.size)
    for index, line in enumerate(fitted.lines):
        line_w = text_width(line, fitted.size, fitted.bold, fitted.fallback)
        offset = {"left": 0.0, "center": (text_w - line_w) / 2, "right": text_w - line_w}[align]
        position = (pad + stroke + offset, pad + index * step)
        draw.text(position, line, fill=255, font=face, stroke_width=stroke, stroke_fill=255)
    if shadow:
        blurred = mask.filter(ImageFilter.GaussianBlur(max(1, fitted.size / 14)))
        shade = blurred.point(lambda value: round(value * shadow))
        layer = Image.new("RGBA", layer.size, (0, 0, 0, 0))
        layer.putalpha(shade)
        layer.alpha_composite(_solid_with_alpha(color, mask), (0, 0))
        return layer
    return _solid_with_alpha(color, mask)


def _solid_with_alpha(color: Color, alpha: Image.Image) -> Image.Image:
    layer = Image.new("RGBA", alpha.size, (*color, 255))
    layer.putalpha(alpha)
    return layer
