"""Typography: fitting text into a box (wrap, shrink, ellipsis) and drawing it as a layer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ELLIPSIS = "…"
Color = tuple[int, int, int]


@lru_cache(maxsize=2)
def _lato_file(bold: bool) -> Path | None:
    """Lato (SIL OFL, from the font-lato package): full Latin coverage and a real bold."""
    try:
        import font_lato
    except ImportError:
        return None
    path = (
        Path(font_lato.__file__).parent
        / "files"
        / ("Lato-Bold.ttf" if bold else "Lato-Regular.ttf")
    )
    return path if path.is_file() else None


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The text face at a pixel size; Pillow's bundled font when Lato is not installed.

    Shared between threads: a FreeType face is only read once made.
    """
    path = _lato_file(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    loaded = ImageFont.load_default(size=size)
    if not isinstance(loaded, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType; scalable fonts are unavailable")
    return loaded


def stroke_for(size: int, bold: bool) -> int:
    """A stroke that thickens the bundled single-weight font into a display weight."""
    if not bold or _lato_file(bold=True) is not None:
        return 0
    return max(1, round(size / 30))


def text_width(text: str, size: int, bold: bool = False) -> float:
    return font(size, bold).getlength(text) + 2 * stroke_for(size, bold)


@dataclass(frozen=True)
class FittedText:
    """Lines that fit a width at one font size."""

    lines: tuple[str, ...]
    size: int
    bold: bool


def _break_word(word: str, size: int, width: float, bold: bool) -> list[str]:
    """Split a word wider than the box into pieces that fit (long URLs, CJK runs)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, size, bold) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, size: int, width: float, bold: bool = False, limit: int = 0) -> list[str]:
    """Greedy word wrap of whitespace-separated text at a font size.

    With a limit, wrapping stops once there are more than limit lines: callers only need to
    know that the text overflows, and long texts stay cheap.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        if limit and len(lines) > limit:
            return lines
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, size, bold) <= width:
            current = word
        else:
            *full, current = _break_word(word, size, width, bold)
            lines.extend(full)
    if current:
        lines.append(current)
    return lines


def ellipsize(text: str, size: int, width: float, bold: bool = False) -> str:
    """Shorten text with an ellipsis so it fits the width on one line."""
    if text_width(text, size, bold) <= width:
        return text
    # Widths grow with the prefix length, so search for the longest prefix that fits.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip(" ,;:-–—") + ELLIPSIS


def balance(text: str, size: int, width: float, bold: bool, lines: list[str]) -> list[str]:
    """The same number of lines, as even in length as possible (no lone last word)."""
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    best = lines
    for _ in range(10):
        middle = (low + high) / 2
        attempt = wrap(text, size, middle, bold, limit=len(lines))
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
    size = max_size
    while True:
        allowed = max_lines
        if height is not None:
            allowed = max(1, min(max_lines, int(height // line_height(size))))
        lines = wrap(text, size, width, bold, limit=allowed)
        if len(lines) <= allowed:
            return FittedText(tuple(balance(text, size, width, bold, lines)), size, bold)
        next_size = int(size * 0.92)
        if next_size < min_size or next_size == size:
            break
        size = next_size
    kept = lines[: allowed - 1]
    rest = " ".join(lines[allowed - 1 :])
    return FittedText((*kept, ellipsize(rest, size, width, bold)), size, bold)


def line_height(size: int) -> int:
    ascent, descent = font(size, bold=True).getmetrics()
    return round((ascent + descent) * 1.08)


def block_size(fitted: FittedText) -> tuple[int, int]:
    """Width and height of the drawn block, without shadow padding."""
    width = max((text_width(line, fitted.size, fitted.bold) for line in fitted.lines), default=0)
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
    stroke = stroke_for(fitted.size, fitted.bold)
    face = font(fitted.size, fitted.bold)
    step = line_height(fitted.size)
    for index, line in enumerate(fitted.lines):
        line_w = text_width(line, fitted.size, fitted.bold)
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
