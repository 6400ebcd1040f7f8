"""Choosing the product's images and videos: absolute, deduplicated across sizes, without
icons, logos, sprites or tracking pixels, the main image first and the sharpest after it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from lxml import etree

from jogg_pipeline.engine.extract.candidate import MediaHint
from jogg_pipeline.engine.extract.document import Page, clean_text
from jogg_pipeline.engine.extract.model import IMAGE, VIDEO, MediaKind
from jogg_pipeline.engine.extract.visible import within

MAX_IMAGES = 12
MAX_VIDEOS = 4

_NOT_PRODUCT_IMAGE = re.compile(
    r"(?:^|[^a-z])(?:icon|icons|sprite|sprites|logo|logos|favicon|pixel|tracking|tracker|beacon|"
    r"spacer|blank|transparent|placeholder|loader|loading|spinner|badge|flag|flags|rating|stars?|"
    r"avatar|payment|banner|social|facebook|twitter|pinterest|instagram|youtube|arrow|btn|"
    r"button|captcha|1x1|clear\.gif|empty|paypal|visa|mastercard|klarna)(?:[^a-z]|$)",
    re.IGNORECASE,
)
# Lists of other products and the page's chrome, whose images are not this product's.
_NOT_THIS_PRODUCT = re.compile(
    r"related|recommend|similar|upsell|cross-?sell|also-?(?:bought|viewed)|p13n|"
    r"recently-?viewed|reco(?:s|-|_|$)|header|footer|nav(?:bar|igation)?(?:[-_ ]|$)|menu",
    re.IGNORECASE,
)
MIN_SIDE = 100
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".jfif", ".bmp", ".tif")
_VIDEO_EXTENSIONS = (".mp4", ".webm", ".mov", ".m4v", ".ogv", ".m3u8", ".mpd")
# Size markers inside paths: "_SX300_", "-300x300", "/w_300,h_200/", "_1200x", "/s300/".
_PATH_SIZE = re.compile(
    r"(?:\._[A-Z0-9,_]+_(?=\.)|[-_@]\d{2,4}x\d{0,4}(?=[._/-]|$)|[-_]\d{0,4}x\d{2,4}(?=[._/-]|$)|"
    r"(?<=/)[whcsqf]_[^/,]+(?:,[whcsqf]_[^/,]+)*(?=/)|(?<=/)s\d{2,4}(?:-c)?(?=/)|[-_](?:small|medium|large|"
    r"thumb|thumbnail|zoom|big|xl|xxl|lg|md|sm|mini|preview)(?=[._/-]|$)|@[23]x(?=\.)|"
    r"(?<=/)[a-z]{1,2}-[a-z]?\d{2,4}(?=\.\w+$))",
    re.IGNORECASE,
)
_SIZE_QUERY_KEYS = frozenset(
    [
        "w",
        "h",
        "width",
        "height",
        "wid",
        "hei",
        "size",
        "sz",
        "resize",
        "fit",
        "q",
        "quality",
        "fmt",
        "format",
        "crop",
        "dpr",
        "sw",
        "sh",
        "scl",
        "fm",
        "auto",
        "imwidth",
        "imheight",
        "odnwidth",
        "odnheight",
        "odnbg",
        "rect",
        "maxwidth",
        "maxheight",
        "mw",
        "mh",
        "$",
    ]
)
_WIDTH_QUERY_KEYS = frozenset(("w", "width", "wid", "imwidth", "sw", "maxwidth", "odnwidth", "mw"))
_NUMBERS = re.compile(r"(\d{2,4})")
_GALLERY_HINT = re.compile(
    r"product|gallery|zoom|carousel|slider|slide|main|hero|media|photo|image|img|picture|thumb|"
    r"pdp|detail|item|viewer|swiper",
    re.IGNORECASE,
)
_LAZY_SOURCES = (
    "data-old-hires",
    "data-zoom-image",
    "data-large-image",
    "data-zoom",
    "data-large",
    "data-full",
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "src",
)


@dataclass
class MediaChoice:
    """A media item ready for output."""

    type: MediaKind
    url: str
    name: str
    description: str


def page_images(page: Page, product_name: str = "") -> list[MediaHint]:
    """Images shown in the page body that look like pictures of the product: not in lists of
    other products, not captioned with another product's name, not animated GIFs."""
    name_words = _words(product_name)
    body = page.root.find("body")
    if body is None:
        return []
    hints: list[MediaHint] = []
    for image in body.iter("img"):
        url = _best_source(image, page)
        if not url:
            continue
        width, height = _attribute_size(image)
        if (width and width < MIN_SIDE) or (height and height < MIN_SIDE):
            continue
        alt = clean_text(image.get("alt") or image.get("title") or "")
        if _NOT_PRODUCT_IMAGE.search(alt) or within(image, _NOT_THIS_PRODUCT):
            continue
        if urlsplit(url).path.lower().endswith(".gif"):
            continue
        alt_words = _words(alt)
        shared = len(alt_words & name_words)
        if name_words and alt_words and shared < len(alt_words) / 2:
            continue
        # Unsized images count when a gallery holds them or their caption names the product.
        if not (width or height or _in_gallery(image) or (alt_words and shared)):
            continue
        hints.append(MediaHint(url=url, alt=alt, width=width, height=height))
    return hints


def page_videos(page: Page) -> list[MediaHint]:
    """<video> elements and their sources."""
    hints: list[MediaHint] = []
    for video in page.root.iter("video"):
        sources = [video.get("src"), *(s.get("src") for s in video.iter("source"))]
        for source in sources:
            url = page.absolute(source)
            if url:
                hints.append(MediaHint(url=url, alt=clean_text(video.get("title") or "")))
                break
    return hints


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w{3,}", text.lower()) if not word.isdigit()}


def _best_source(image: etree._Element, page: Page) -> str:
    srcset = image.get("data-srcset") or image.get("srcset") or ""
    best = _largest_in_srcset(srcset)
    if best:
        return page.absolute(best)
    for attribute in _LAZY_SOURCES:
        value = (image.get(attribute) or "").strip()
        if value and not value.startswith("data:") and not value.startswith("{"):
            url = page.absolute(value)
            if url:
                return url
    return ""


def _largest_in_srcset(srcset: str) -> str:
    best, best_size = "", -1.0
    for part in srcset.split(","):
        pieces = part.strip().split()
        if not pieces or pieces[0].startswith("data:"):
            continue
        size = 1.0
        if len(pieces) > 1:
            match = re.match(r"([\d.]+)([wx])", pieces[1])
            if match:
                size = float(match.group(1)) * (1 if match.group(2) == "w" else 1000)
        if size > best_size:
            best, best_size = pieces[0], size
    return best


def _attribute_size(image: etree._Element) -> tuple[int, int]:
    sizes = []
    for name in ("width", "height"):
        match = re.match(r"\s*(\d+)\s*(?:px)?\s*$", image.get(name) or "")
        sizes.append(int(match.group(1)) if match else 0)
    return sizes[0], sizes[1]


def _in_gallery(image: etree._Element) -> bool:
    element: etree._Element | None = image
    for _ in range(6):
        if element is None:
            return False
        words = " ".join(element.get(n, "") for n in ("class", "id", "itemprop", "data-testid"))
        if _GALLERY_HINT.search(words):
            return True
        element = element.getparent()
    return False


def is_unwanted(url: str) -> bool:
    """Icons, logos, sprites, tracking pixels, vector art and inline data."""
    if not url or url.startswith("data:"):
        return True
    parts = urlsplit(url)
    path = unquote(parts.path).lower()
    if path.endswith((".svg", ".ico")) or path.endswith(".svgz"):
        return True
    return bool(_NOT_PRODUCT_IMAGE.search(path))


def identity(url: str) -> str:
    """The image an URL shows, ignoring the size it is served at."""
    parts = urlsplit(url)
    path = _PATH_SIZE.sub("", unquote(parts.path))
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _SIZE_QUERY_KEYS and not key.startswith("$")
    ]
    # Hosts are left out: shops serve one picture from several CDN hosts.
    return f"{path.lower()}?{urlencode(sorted(query))}"


def estimated_size(hint: MediaHint) -> int:
    """Pixel area from the hint's size, or from size markers in the URL."""
    if hint.width or hint.height:
        width = hint.width or hint.height
        height = hint.height or hint.width
        return width * height
    parts = urlsplit(hint.url)
    best = 0
    for match in _PATH_SIZE.finditer(unquote(parts.path)):
        numbers = [int(n) for n in _NUMBERS.findall(match.group(0))]
        if numbers:
            best = max(best, max(numbers) ** 2)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.startswith("$") and not value:
            numbers = [int(n) for n in _NUMBERS.findall(key)]
            best = max([best, *(n * n for n in numbers)])
        if key.lower() in _WIDTH_QUERY_KEYS and value.isdigit():
            best = max(best, int(value) ** 2)
    return best


def choose_media(
    images: list[MediaHint], extra_images: list[MediaHint], videos: list[MediaHint]
) -> list[MediaChoice]:
    """Images then videos, deduplicated and filtered. `images` are the ones the page's markup
    names for the product (its first is the main image); `extra_images` are found in the body,
    and only those whose size is known to be small are dropped."""
    ranked = [(0, hint) for hint in images] + [
        (1, hint) for hint in extra_images if not _known_small(hint)
    ]
    return [
        *_choose(ranked, IMAGE, MAX_IMAGES, _looks_like_image),
        *_choose([(0, hint) for hint in videos], VIDEO, MAX_VIDEOS, lambda _url: True),
    ]


def _known_small(hint: MediaHint) -> bool:
    size = estimated_size(hint)
    return 0 < size < MIN_SIDE * MIN_SIDE


def _looks_like_image(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return not path.endswith((*_VIDEO_EXTENSIONS, ".html", ".htm", ".php", ".js", ".css"))


def _choose(
    ranked: list[tuple[int, MediaHint]],
    kind: MediaKind,
    limit: int,
    accept: Callable[[str], bool],
) -> list[MediaChoice]:
    groups: dict[str, list[tuple[tuple[int, int], MediaHint]]] = {}
    for position, (rank, hint) in enumerate(ranked):
        if is_unwanted(hint.url) or not accept(hint.url):
            continue
        groups.setdefault(identity(hint.url), []).append(((rank, position), hint))
    chosen: list[tuple[tuple[int, int], int, MediaHint, str]] = []
    for members in groups.values():
        first = min(order for order, _ in members)
        best = max(members, key=lambda member: (estimated_size(member[1]), -member[0][1]))[1]
        alt = next((hint.alt for _, hint in members if hint.alt), "")
        chosen.append((first, estimated_size(best), best, alt))
    if not chosen:
        return []
    chosen.sort(key=lambda entry: entry[0])
    main, rest = chosen[0], chosen[1:]
    rest.sort(key=lambda entry: (-entry[1], entry[0]))
    return [
        MediaChoice(type=kind, url=hint.url, name=_file_name(hint.url), description=alt)
        for _, _, hint, alt in [main, *rest][:limit]
    ]


def _file_name(url: str) -> str:
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return name or urlsplit(url).netloc
