"""What changed between two manifests, and why, from the two manifests alone (so it works on
manifests read from git): videos added and removed; for the others a changed status, a new
video and what made it (its settings, its product's fields), a changed error, warnings that
appeared or went away; and the products' own changes. Rendered for people (text), for a
pull-request comment or job summary (markdown), or for machines (JSON).

A field a manifest does not have (`products` and `warnings` came later) gives no reason: only
what both manifests say is compared."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jogg_pipeline.errors import UsageError

ELLIPSIS = "…"
MAX_VALUE = 60  # characters of one value in a line; longer ones lose their middle
MAX_MESSAGE = 100  # the same for a warning or an error message: sentences that need more room
FORMATS = ("text", "markdown", "json")

# The reasons' kinds, in the order a line gives them.
STATUS, VIDEO, SETTING, PRODUCT, ERROR, WARNING = (
    "status",
    "video",
    "setting",
    "product",
    "error",
    "warning",
)
# A product's fields that change what its videos show (its warnings and errors do not).
_PRODUCT_CONTENT = ("url", "product_id", "name", "price", "media")


@dataclass(frozen=True)
class Reason:
    """One difference: `field` of the thing changed from `old` to `new` (None: absent)."""

    kind: str
    field: str
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "old": self.old, "new": self.new}


@dataclass
class VideoChange:
    id: str
    reasons: list[Reason] = field(default_factory=list)

    def of(self, kind: str) -> list[Reason]:
        return [reason for reason in self.reasons if reason.kind == kind]

    @property
    def new_video(self) -> bool:
        return any(r.field == "project_id" and r.old and r.new for r in self.of(VIDEO))

    def as_json(self) -> dict[str, Any]:
        change: dict[str, Any] = {
            "id": self.id,
            "new_video": self.new_video,
            "reasons": [reason.as_json() for reason in self.reasons],
        }
        # The fields of the first format, kept for the scripts that read them.
        for reason in self.reasons:
            if reason.kind == STATUS:
                change["status"] = {"old": reason.old, "new": reason.new}
            elif reason.kind == VIDEO and reason.field == "video_url":
                change["video_url"] = {"old": reason.old, "new": reason.new}
            elif reason.kind == SETTING and reason.field != "quality":
                pair = {"old": reason.old, "new": reason.new}
                change.setdefault("settings", {})[reason.field] = pair
        return change


@dataclass
class ProductChange:
    key: str
    reasons: list[Reason] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "reasons": [reason.as_json() for reason in self.reasons]}


@dataclass
class ManifestDiff:
    campaign: str
    old_label: str = ""
    new_label: str = ""
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[VideoChange] = field(default_factory=list)
    products_compared: bool = False  # both manifests have `products`
    products_added: dict[str, dict[str, Any]] = field(default_factory=dict)
    products_removed: dict[str, dict[str, Any]] = field(default_factory=dict)
    products_changed: list[ProductChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.products_added
            or self.products_removed
            or self.products_changed
        )

    def counts(self) -> dict[str, dict[str, int] | None]:
        videos = {"added": len(self.added), "removed": len(self.removed)}
        videos["changed"] = len(self.changed)
        products = None
        if self.products_compared:
            products = {
                "added": len(self.products_added),
                "removed": len(self.products_removed),
                "changed": len(self.products_changed),
            }
        return {"videos": videos, "products": products}

    def as_json(self) -> dict[str, Any]:
        products = None
        if self.products_compared:
            products = {
                "added": [_product_json(k, p) for k, p in self.products_added.items()],
                "removed": [_product_json(k, p) for k, p in self.products_removed.items()],
                "changed": [change.as_json() for change in self.products_changed],
            }
        return {
            "campaign": self.campaign,
            "old": self.old_label,
            "new": self.new_label,
            "summary": self.counts(),
            "added": [{"id": v["id"], "status": v.get("status")} for v in self.added],
            "removed": [{"id": v["id"], "status": v.get("status")} for v in self.removed],
            "changed": [change.as_json() for change in self.changed],
            "products": products,
        }


def _product_json(key: str, product: dict[str, Any]) -> dict[str, Any]:
    return {"key": key, "name": product.get("name"), "product_id": product.get("product_id")}


# Reading


def is_manifest(document: Any) -> bool:
    videos = document.get("videos") if isinstance(document, dict) else None
    return (
        isinstance(document, dict)
        and "manifest_version" in document
        and isinstance(videos, list)
        and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in videos)
    )


def parse_manifest(text: str, label: str) -> dict[str, Any]:
    """The manifest in `text`; `label` names it in errors (a path, or REV:path)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{label}:{error.lineno}:{error.colno}: not a manifest: invalid JSON ({error.msg})"
        ) from None
    if not is_manifest(document):
        raise UsageError(f"{label}: not a jogg-pipeline manifest (no manifest_version and videos)")
    return document


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    return parse_manifest(text, str(path))


def empty_manifest(like: dict[str, Any]) -> dict[str, Any]:
    """The manifest before a campaign's first run: everything in `like` shows as added."""
    return {"manifest_version": 1, "campaign": like.get("campaign"), "videos": [], "products": {}}


# Comparing


def diff_manifests(
    old: dict[str, Any], new: dict[str, Any], *, old_label: str = "", new_label: str = ""
) -> ManifestDiff:
    before = {video["id"]: video for video in old["videos"]}
    after = {video["id"]: video for video in new["videos"]}
    campaign = str(new.get("campaign") or old.get("campaign") or "")
    result = ManifestDiff(campaign, old_label, new_label)
    result.added = [after[i] for i in sorted(after.keys() - before.keys())]
    result.removed = [before[i] for i in sorted(before.keys() - after.keys())]

    old_products, new_products = old.get("products"), new.get("products")
    products: dict[str, list[Reason]] | None = None
    if isinstance(old_products, dict) and isinstance(new_products, dict):
        result.products_compared = True
        products = {}
        for key in sorted(new_products.keys() - old_products.keys()):
            result.products_added[key] = _as_dict(new_products[key])
        for key in sorted(old_products.keys() - new_products.keys()):
            result.products_removed[key] = _as_dict(old_products[key])
        for key in sorted(old_products.keys() & new_products.keys()):
            products[key] = product_reasons(
                _as_dict(old_products[key]), _as_dict(new_products[key])
            )
            if products[key]:
                result.products_changed.append(ProductChange(key, products[key]))

    for video_id in sorted(before.keys() & after.keys()):
        change = VideoChange(video_id, video_reasons(before[video_id], after[video_id], products))
        if change.reasons:
            result.changed.append(change)
    return result


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def video_reasons(
    a: dict[str, Any], b: dict[str, Any], products: dict[str, list[Reason]] | None
) -> list[Reason]:
    """Why video `a` became `b`. `products` holds each product's reasons when both manifests
    describe their products (else None); a new video is explained by its product's content
    changes."""
    reasons: list[Reason] = []
    if a.get("status") != b.get("status"):
        reasons.append(Reason(STATUS, "status", a.get("status"), b.get("status")))
    project_changed = a.get("project_id") != b.get("project_id")
    if project_changed:
        reasons.append(Reason(VIDEO, "project_id", a.get("project_id"), b.get("project_id")))
    reasons += _compare(SETTING, "", _as_dict(a.get("settings")), _as_dict(b.get("settings")))
    if "quality" in a and "quality" in b and a["quality"] != b["quality"]:
        reasons.append(Reason(SETTING, "quality", a["quality"], b["quality"]))
    if project_changed:
        key = str(b.get("product_key"))
        if products is not None:
            if key == a.get("product_key"):
                reasons += [r for r in products.get(key, []) if r.kind == PRODUCT]
        else:  # the manifests do not describe products: what the videos say
            for name in ("url", "product_id"):
                if a.get(name) != b.get(name):
                    reasons.append(Reason(PRODUCT, name, a.get(name), b.get(name)))
    elif a.get("video_url") != b.get("video_url"):
        reasons.append(Reason(VIDEO, "video_url", a.get("video_url"), b.get("video_url")))
    if a.get("error") != b.get("error"):
        reasons.append(Reason(ERROR, "error", a.get("error"), b.get("error")))
    reasons += _warnings(a, b)
    return reasons


def product_reasons(a: dict[str, Any], b: dict[str, Any]) -> list[Reason]:
    """Why product `a` became `b`: its content as the videos see it, the overrides sent, what
    the backend extracted, then its warnings and error."""
    reasons = [
        Reason(PRODUCT, name, a.get(name), b.get(name))
        for name in _PRODUCT_CONTENT
        if a.get(name) != b.get(name)
    ]
    changed_name = next((r for r in reasons if r.field == "name"), None)
    for reason in _compare(
        PRODUCT, "overrides.", _as_dict(a.get("overrides")), _as_dict(b.get("overrides"))
    ):
        # An override of the name is the name itself: said once.
        if not (
            changed_name and reason.field == "overrides.name" and reason.new == changed_name.new
        ):
            reasons.append(reason)
    reasons += _compare(
        PRODUCT, "extracted.", _as_dict(a.get("extracted")), _as_dict(b.get("extracted")), depth=1
    )
    if a.get("error") != b.get("error"):
        reasons.append(Reason(ERROR, "error", a.get("error"), b.get("error")))
    reasons += _warnings(a, b)
    return reasons


def _compare(
    kind: str, prefix: str, a: dict[str, Any], b: dict[str, Any], *, depth: int = 0
) -> list[Reason]:
    """A reason per key whose value differs; `depth` levels of nested objects are entered."""
    reasons = []
    for key in sorted(a.keys() | b.keys()):
        old, new = a.get(key), b.get(key)
        if old == new:
            continue
        if depth and isinstance(old, dict) and isinstance(new, dict):
            reasons += _compare(kind, f"{prefix}{key}.", old, new, depth=depth - 1)
        else:
            reasons.append(Reason(kind, f"{prefix}{key}", old, new))
    return reasons


def _warnings(a: dict[str, Any], b: dict[str, Any]) -> list[Reason]:
    old, new = a.get("warnings"), b.get("warnings")
    if not isinstance(old, list) or not isinstance(new, list):
        return []  # a manifest from before warnings: nothing to compare with
    gone = [Reason(WARNING, "warnings", text, None) for text in old if text not in new]
    return gone + [Reason(WARNING, "warnings", None, text) for text in new if text not in old]


# Rendering


def shorten(text: str, width: int = MAX_VALUE) -> str:
    """`text` cut in the middle, with an ellipsis, to at most `width` characters."""
    if len(text) <= width:
        return text
    head = width // 2
    return text[:head] + ELLIPSIS + text[len(text) - (width - head - 1) :]


def show(value: Any, width: int = MAX_VALUE) -> str:
    """A value as a line shows it: strings quoted, anything else as compact JSON; at most
    `width` characters of it."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return json.dumps(shorten(value, width), ensure_ascii=False)
    compact = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return shorten(compact, width)


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>#|~&!$@")


def escape_markdown(text: str) -> str:
    """Text that renders as itself in a markdown table cell: punctuation markdown could read
    (emphasis, links, HTML, cell borders, math, mentions) is backslash-escaped."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)


@dataclass(frozen=True)
class Style:
    """How user text enters a line: as it is, or escaped for markdown."""

    escape: Callable[[str], str]

    def value(self, value: Any, width: int = MAX_VALUE) -> str:
        return self.escape(show(value, width))

    def message(self, text: Any) -> str:
        return self.value(text, MAX_MESSAGE)

    def name(self, text: str) -> str:
        return self.escape(text)


TEXT = Style(lambda text: text)
MARKDOWN = Style(escape_markdown)


def _error(error: Any, style: Style) -> str:
    if not isinstance(error, dict):
        return style.value(error)
    head = " ".join(str(error[k]) for k in ("step", "code") if error.get(k) not in (None, ""))
    message = style.message(error.get("msg") or "")
    return f"{style.name(head)}: {message}" if head else message


def describe(reason: Reason, style: Style = TEXT, *, prefix: str = "") -> str:
    """One reason as words, e.g. `aspect_ratio 0 -> 1`, `name "A" -> "B"`, `media 3 -> 2`."""
    if reason.kind == WARNING:
        if reason.new is None:
            return f"warning gone: {style.message(reason.old)}"
        return f"new warning: {style.message(reason.new)}"
    if reason.kind == ERROR:
        if reason.new is None:
            return f"error gone (was {_error(reason.old, style)})"
        return f"error {_error(reason.new, style)}"
    label = style.name(prefix + reason.field)
    old, new = reason.old, reason.new
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            return f"{label} changed"
        return f"{label} {len(old)} -> {len(new)}"
    if reason.kind == STATUS:
        return f"status {style.name(str(old))} -> {style.name(str(new))}"
    return f"{label} {style.value(old)} -> {style.value(new)}"


def describe_video(change: VideoChange, style: Style = TEXT) -> str:
    """A changed video's reasons, in clauses: its status, the new video and what made it, its
    error, its warnings."""
    clauses: list[str] = []
    status = change.of(STATUS)
    errors = change.of(ERROR)
    if status:
        clause = describe(status[0], style)
        if status[0].new == "failed" and errors and errors[0].new is not None:
            clause += f" ({_error(errors[0].new, style)})"
            errors = []
        clauses.append(clause)
    project = [r for r in change.of(VIDEO) if r.field == "project_id"]
    explained = [describe(r, style) for r in change.of(SETTING)]
    explained += [describe(r, style, prefix=_product_prefix(r)) for r in change.of(PRODUCT)]
    if project:
        old, new = project[0].old, project[0].new
        head = "new video" if old and new else "video requested" if new else "no video now"
        clauses.append(f"{head}: {', '.join(explained)}" if explained else head)
    elif explained:
        clauses.append(", ".join(explained))
    if not status:  # a video that got its file is said by its status
        clauses += [describe(r, style) for r in change.of(VIDEO) if r.field == "video_url"]
    clauses += [describe(r, style) for r in errors]
    clauses += [describe(r, style) for r in change.of(WARNING)]
    return "; ".join(clauses)


def _product_prefix(reason: Reason) -> str:
    return "" if reason.field.startswith("product") else "product "


def describe_product(change: ProductChange, style: Style = TEXT) -> str:
    ids = [r for r in change.reasons if r.field == "product_id"]
    url_changed = any(r.field == "url" for r in change.reasons)
    parts = []
    for reason in change.reasons:
        text = describe(reason, style)
        if reason in ids and reason.old and reason.new and not url_changed:
            text += " (extracted again)"
        parts.append(text)
    return "; ".join(parts)


def _product_name(product: dict[str, Any], style: Style) -> str:
    name = product.get("name")
    return f": {style.value(name)}" if name else ""


def summary(diff: ManifestDiff) -> str:
    """The counts in words, e.g. `1 video added, 2 videos changed; 1 product changed`."""
    groups = []
    for noun, counts in diff.counts().items():
        words = [
            f"{n} {noun[:-1] if n == 1 else noun} {what}" for what, n in (counts or {}).items() if n
        ]
        if words:
            groups.append(", ".join(words))
    return "; ".join(groups) or "no changes"


def render_text(diff: ManifestDiff) -> list[str]:
    """For people: a summary, then one line per product and per video that changed."""
    lines = [f"{diff.campaign}: {summary(diff)}" if diff.campaign else summary(diff)]
    for key, product in diff.products_added.items():
        lines.append(f"+ product {key}{_product_name(product, TEXT)}")
    for key, product in diff.products_removed.items():
        lines.append(f"- product {key}{_product_name(product, TEXT)}")
    lines += [f"~ product {c.key}: {describe_product(c)}" for c in diff.products_changed]
    lines += [f"+ {v['id']} ({v.get('status')})" for v in diff.added]
    lines += [f"- {v['id']} ({v.get('status')})" for v in diff.removed]
    lines += [f"~ {change.id}: {describe_video(change)}" for change in diff.changed]
    return lines


def render_markdown(diff: ManifestDiff) -> list[str]:
    """For a pull-request comment or a job summary: a heading, the counts, a table."""
    style = MARKDOWN
    lines = [f"## Campaign {style.name(diff.campaign or '?')}", ""]
    if diff.empty:
        return [*lines, "No changes."]
    lines += [f"{summary(diff).capitalize()}.", "", "| change | item | details |"]
    lines.append("| --- | --- | --- |")
    for row in _markdown_rows(diff, style):
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _markdown_rows(diff: ManifestDiff, style: Style) -> Iterator[tuple[str, str, str]]:
    for key, product in diff.products_added.items():
        yield "added", f"product {style.name(key)}", style.value(product.get("name"))
    for key, product in diff.products_removed.items():
        yield "removed", f"product {style.name(key)}", style.value(product.get("name"))
    for change in diff.products_changed:
        yield "changed", f"product {style.name(change.key)}", describe_product(change, style)
    for video in diff.added:
        yield "added", style.name(video["id"]), style.name(str(video.get("status")))
    for video in diff.removed:
        yield "removed", style.name(video["id"]), style.name(str(video.get("status")))
    for video_change in diff.changed:
        yield "changed", style.name(video_change.id), describe_video(video_change, style)


def render(diffs: list[ManifestDiff], output: str, *, many: bool = False) -> str:
    """Every diff in the format asked for, as the text to print. In JSON, one diff is an
    object and `many` (however many there are) an object holding their list, `diffs`."""
    if output == "json":
        documents = [diff.as_json() for diff in diffs]
        document = {"diffs": documents} if many else documents[0]
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    renderer = render_markdown if output == "markdown" else render_text
    return "\n\n".join("\n".join(renderer(diff)) for diff in diffs)
