"""The spec reference, docs/reference/spec.md, generated from the models: every field at every
level with its type, allowed values, default, limits, description and an example.

    python -m jogg_pipeline.spec.reference [FILE]    # default: docs/reference/spec.md

Types, values, defaults and limits come from the models, the enums and the limits; what the
models do not say (a description, an example) comes from `NOTES`. A field without a note stops
the generator, so the reference cannot fall behind a new field silently.
"""

from __future__ import annotations

import io
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from jogg_pipeline.quantities import QUALITY_NAMES
from jogg_pipeline.spec.expand import id_segment
from jogg_pipeline.spec.fields import (
    NAME_PATTERN,
    AspectRatio,
    AvatarType,
    Language,
    ScriptStyle,
    TemplateType,
    VideoLength,
)
from jogg_pipeline.spec.limits import MAX_FIELD_CHARS, MAX_INTEGER_DIGITS, MAX_SPEC_BYTES
from jogg_pipeline.spec.model import (
    BUILTIN_DEFAULTS,
    MATRIX_KEYS,
    TEMPLATE_SETTINGS,
    Campaign,
    MediaOverride,
    Overrides,
    Product,
    Quality,
    Variant,
    VideoSettings,
)
from jogg_pipeline.wire.enums import (
    ASPECT_RATIO_SHAPES,
    ASPECT_RATIOS,
    AVATAR_TYPES,
    LANGUAGES,
    SCRIPT_STYLES,
    TEMPLATE_TYPES,
    VIDEO_LENGTHS,
)

DEFAULT_OUTPUT = Path("docs/reference/spec.md")
REGENERATE = "python -m jogg_pipeline.spec.reference"
GUIDE = "../guide/writing-specs.md"
TEMPLATE_VALUES = f"text, or a Jinja [template]({GUIDE}#templates)"


@dataclass(frozen=True)
class Note:
    """What a model cannot say about a field: a description (after the model's own, if any),
    an example value, the default in words where the model's value would mislead, and the
    values where the type alone (any string, any integer) says too little."""

    description: str
    example: Any
    default: str | None = None
    values: str | None = None


# --- the notes --------------------------------------------------------------------------------

_SETTING_NOTES: dict[str, Note] = {
    "aspect_ratio": Note("The video's shape.", "landscape"),
    "video_length": Note(
        "The video's length in seconds. On the JoggAI cloud each of them costs one credit "
        "(a credit per started 2 minutes).",
        30,
    ),
    "language": Note("The language of the script, the voice and the captions.", "spanish"),
    "script_style": Note("How the script is written.", "Top 3 reasons"),
    "avatar_id": Note(
        "The presenter. The local engine draws one of its eight presenters instead, of the "
        "same gender as the one asked for.",
        127,
        values="an avatar id: `GET /v1/avatars` lists the public ones",
    ),
    "avatar_type": Note("Whether `avatar_id` names a public or a custom avatar.", "public"),
    "voice_id": Note(
        "The voice. The local engine speaks a cloud voice with its espeak-ng voice of the same "
        "language and gender, and a voice of another language than the video's with the "
        "video's own.",
        "en-US-ChristopherNeural",
        values="a voice id: `GET /v1/voices` lists them",
    ),
    "visual_style": Note(
        "The layout. Exactly one of `visual_style` and `template_id` applies to a video: a "
        "layer that sets one drops the other inherited from below, and one layer setting both "
        "is an error. The local engine has FullScreen, SplitScreen, PictureInPicture, "
        "Presenter, Listicle and ProductCard, and maps the cloud's style names to the nearest.",
        "Presenter",
        values="a style name: `GET /v1/visual_styles` lists them",
    ),
    "template_id": Note(
        "A template, instead of `visual_style`.",
        12,
        default="not set: `visual_style` applies",
        values="a template id: `GET /v1/templates` lists them",
    ),
    "template_type": Note("Whether `template_id` names a public or a custom template.", "custom"),
    "caption": Note("Whether the video has captions of the narration.", False),
    "music_id": Note(
        "Background music. The local engine has seven beds, 1 to 7; `0` gives none, and "
        "without `music_id` it plays 1 (Warm acoustic).",
        3,
        default="not set: the backend's choice",
        values="a music id: `GET /v1/musics` lists them",
    ),
    "override_script": Note(
        "The narration, written instead of generated from the product. Besides what every "
        "template sees, it sees `video` (the video's resolved settings). The local engine cuts "
        "a script too long for the video at a sentence end.",
        "{{ product.name }}, now in {{ video.language | title }}.",
        default="not set: the script is written from the product",
        values=TEMPLATE_VALUES,
    ),
    "video_name": Note(
        "The video's name at the backend; a template that also sees `video`. A run that lost "
        "the answer to a video request finds the video by this name, so keep it different for "
        "every video of the campaign.",
        "{{ campaign }} – {{ key }} ({{ video.video_length }}s)",
        default="`<campaign> <video id>`, e.g. `spring-sale blush/long`",
        values=TEMPLATE_VALUES,
    ),
}

NOTES: dict[tuple[type, str], Note] = {
    (Campaign, "version"): Note("The version of the spec format; 1 is the only one.", 1),
    (Campaign, "campaign"): Note(
        "The campaign's name. It names the manifest, `results/<campaign>.json`, and the "
        "campaign's records in the state; two spec files cannot share it.",
        "spring-sale",
    ),
    (Campaign, "backend"): Note(
        "Where the videos are made: `local`, this package's offline engine, or `jogg`, the "
        "JoggAI cloud (the key comes from `JOGG_API_KEY` or `--api-key-file`). The command "
        "line's `--backend` wins.",
        "jogg",
    ),
    (Campaign, "quality"): Note(
        "The local engine's render quality: `full` (1080×1920 in portrait), `hd` (720×1280) or "
        "`preview` (360×640 at 15 frames a second, fast). It is part of a video's identity "
        "there: changing it renders the videos again. The command line's `--quality` wins; "
        "the jogg backend ignores it, with a warning.",
        "preview",
        default="not set: `full`",
    ),
    (Campaign, "vars"): Note(
        "Values for templates, read as `{{ vars.NAME }}`: strings, numbers, lists or "
        "mappings. A product's own `vars` are merged over them.",
        {"discount": 20, "season": "Spring"},
        default="none",
    ),
    (Campaign, "defaults"): Note(
        "Settings of every video: see [Video settings](#video-settings).",
        {"aspect_ratio": "portrait", "video_length": 30},
        default="the built-in defaults",
    ),
    (Campaign, "matrix"): Note(
        "Every video of every product is made once per combination of these values: see "
        "[The matrix](#the-matrix).",
        {"language": ["english", "spanish"]},
        default="none: one video per variant",
    ),
    (Campaign, "products"): Note(
        "The product pages to make videos of: see [Product entries](#product-entries).",
        [{"url": "https://shop.example.com/products/happy-booster-blush"}],
    ),
    (Campaign, "max_videos"): Note(
        "Counted before anything is expanded, so an oversized matrix fails at once, at the "
        "product where the count passes the limit.",
        20_000,
    ),
    **{(VideoSettings, name): note for name, note in _SETTING_NOTES.items()},
    (Variant, "name"): Note(
        "Unique among the product's variants.",
        "long",
        default="the variant's place in `videos`: `0`, `1`, ...",
    ),
    (Product, "url"): Note(
        "The product page: a web URL (`http` or `https`), or, for the local backend only, an "
        "HTML file, by a path relative to the spec's folder.",
        "https://shop.example.com/products/happy-booster-blush",
        values="a web URL, or a local file's path",
    ),
    (Product, "key"): Note(
        "It starts the id of each of the product's videos.",
        "blush",
        default="derived from the URL: its last meaningful path segment (a file's name "
        "without `.html`), lower case",
    ),
    (Product, "vars"): Note(
        "Values for this product's templates, merged over the campaign's `vars`.",
        {"badge": "New"},
        default="none",
    ),
    (Product, "overrides"): Note(
        "Product fields to change after extraction: see [Overrides](#overrides).",
        {"target_audience": "Makeup lovers who want a natural glow"},
        default="none: the product as extracted",
    ),
    (Product, "videos"): Note(
        "The product's variants: see [Variants](#variants).",
        [{"name": "short"}, {"name": "long", "video_length": 30}],
        default="one video with the defaults, whose id is the product key alone",
    ),
    (Overrides, "name"): Note(
        "The product's name, as the script and the title use it.",
        "{{ product.name }} – spring sale",
        default="as extracted",
        values=TEMPLATE_VALUES,
    ),
    (Overrides, "description"): Note(
        "The description the script is written from.",
        "{{ product.description | truncate(200) }}",
        default="as extracted",
        values=TEMPLATE_VALUES,
    ),
    (Overrides, "target_audience"): Note(
        "Who the product is for; the script speaks to them.",
        "Makeup lovers who want a natural glow",
        default="as extracted (pages rarely say: often empty)",
        values=TEMPLATE_VALUES,
    ),
    (Overrides, "media"): Note(
        "Each entry's strings may be templates.",
        [{"type": 1, "url": "https://shop.example.com/images/blush-front.jpg"}],
        default="as extracted",
    ),
    (MediaOverride, "type"): Note("", 1),
    (MediaOverride, "url"): Note(
        "Where the image or video is: a URL the backend can fetch.",
        "https://shop.example.com/images/blush-front.jpg",
        values=TEMPLATE_VALUES,
    ),
    (MediaOverride, "name"): Note(
        "A name for the file.", "blush-front.jpg", values=TEMPLATE_VALUES
    ),
    (MediaOverride, "description"): Note(
        "What it shows.", "The blush compact, closed", values=TEMPLATE_VALUES
    ),
}

# An example list of values per matrix key.
MATRIX_EXAMPLES: dict[str, list[Any]] = {
    "aspect_ratio": ["portrait", "square"],
    "video_length": [15, 30],
    "language": ["english", "spanish", "french"],
    "script_style": ["Discovery", "Data"],
    "avatar_id": [127, 128],
    "avatar_type": ["public", "custom"],
    "voice_id": ["en-US-ChristopherNeural", "en-US-JennyNeural"],
    "visual_style": ["FullScreen", "Presenter"],
    "template_id": [12, 13],
    "template_type": ["public", "custom"],
    "caption": [True, False],
    "music_id": [2, 5],
}


# --- sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One level of the spec: the model of its fields and where they stand in a file."""

    title: str  # its anchor is GitHub's: lower case, spaces as '-'
    path: str  # how the level is written before a field's name: "products[]."
    model: type[BaseModel]
    intro: str
    # The spec fragment that holds `{name: value}` at this level, for the examples.
    place: Callable[[dict[str, Any]], dict[str, Any]]
    # Only these fields: a variant lists its own, the video settings have their section.
    names: tuple[str, ...] | None = None

    @property
    def anchor(self) -> str:
        return self.title.lower().replace(" ", "-")


_PRODUCT_URL = "https://shop.example.com/products/happy-booster-blush"
_MEDIA = {"type": 1, "url": "https://shop.example.com/images/blush-front.jpg"}  # both required

SECTIONS: tuple[Section, ...] = (
    Section(
        "The campaign",
        "",
        Campaign,
        "The top level of a spec file. `version`, `campaign` and `products` are required.",
        lambda fields: fields,
    ),
    Section(
        "Video settings",
        "defaults.",
        VideoSettings,
        "The settings of `create_video_from_url`, under the API's own names, so the JoggAI "
        "docs apply unchanged; enums also take readable names, in any letter case, and are "
        "sent in the wire form. They can be set in `defaults` (every video), in a variant "
        "(`products[].videos[]`) and, but for the two templates, in the `matrix`. A video's "
        "settings are layered: the built-in defaults (those of the API's own example), then "
        "`defaults`, then its variant, then its matrix combination.",
        lambda fields: {"defaults": fields},
    ),
    Section(
        "Product entries",
        "products[].",
        Product,
        "One entry per product page in `products`; at least one.",
        lambda fields: {"products": [{"url": _PRODUCT_URL, **fields}]},
    ),
    Section(
        "Variants",
        "products[].videos[].",
        Variant,
        "The videos of one product, in its `videos`. Each variant may set any of the "
        "[video settings](#video-settings) besides its `name`, but not one the `matrix` "
        "varies. A video's id is the product key, then the variant's name (or its place in "
        "`videos` when unnamed; nothing when the product lists no `videos`), then one segment "
        "per matrix value: `blush/long/spanish`.",
        lambda fields: {"products": [{"url": _PRODUCT_URL, "videos": [fields]}]},
        names=tuple(
            name for name in Variant.model_fields if name not in VideoSettings.model_fields
        ),
    ),
    Section(
        "Overrides",
        "products[].overrides.",
        Overrides,
        "Product fields to change after the page is extracted, before the videos are made. "
        f"Strings are Jinja [templates]({GUIDE}#templates). A product is updated only when "
        "its rendered overrides differ from the ones last sent; a removed override puts the "
        "extracted value back.",
        lambda fields: {"products": [{"url": _PRODUCT_URL, "overrides": fields}]},
    ),
    Section(
        "Media",
        "products[].overrides.media[].",
        MediaOverride,
        "One image or video of the product, in `overrides.media`.",
        lambda fields: {
            "products": [{"url": _PRODUCT_URL, "overrides": {"media": [_MEDIA | fields]}}]
        },
    ),
)

MATRIX_TITLE = "The matrix"
MATRIX_INTRO = (
    "Every video of every product is made once per combination of the values listed. The "
    "keys are the video settings but the two templates; a variant cannot set what the matrix "
    "varies, and a matrix that varies `visual_style` or `template_id` leaves the layout to it "
    "alone. Each value adds a segment to the video's id, in the order of the keys: with "
    "`language: [english, spanish]` and `aspect_ratio: [portrait, square]`, a product `blush` "
    "without variants gives `blush/english/portrait`, `blush/english/square`, "
    "`blush/spanish/portrait` and `blush/spanish/square`."
)


# --- what a field's type says -----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How a value type of the video settings reads in the reference."""

    type: str
    values: str
    names: Mapping[Any, str] = field(default_factory=dict)  # wire value -> readable name


def _codes(values: Any) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _script_styles() -> str:
    styles = "".join(f"\n  - `{name}`: {what}" for name, what in SCRIPT_STYLES.items())
    return (
        f"one of the API's {len(SCRIPT_STYLES)} script styles, in any letter case or "
        "punctuation (`top 3 reasons`, `Humor and Meme`):" + styles
    )


_KINDS: tuple[tuple[Any, Kind], ...] = (
    (
        AspectRatio,
        Kind(
            "string or integer",
            f"{_codes(ASPECT_RATIOS.values())}; {_codes(ASPECT_RATIO_SHAPES.values())}; or the "
            f"wire form {_codes(ASPECT_RATIOS)}, which is what is sent",
            ASPECT_RATIOS,
        ),
    ),
    (
        VideoLength,
        Kind("integer or string", f"{_codes(VIDEO_LENGTHS)} (seconds; sent as a string)"),
    ),
    (
        Language,
        Kind(
            "string",
            f"one of the API's {len(LANGUAGES)} languages, in any letter case: "
            f"{_codes(LANGUAGES)}; the API's own names are accepted too "
            "(`Simplified Chinese`, `Traditional Chinese`)",
        ),
    ),
    (ScriptStyle, Kind("string", _script_styles())),
    (
        AvatarType,
        Kind(
            "string or integer",
            f"{_codes(AVATAR_TYPES.values())}, or the wire form {_codes(AVATAR_TYPES)}",
            AVATAR_TYPES,
        ),
    ),
    (TemplateType, Kind("string", _codes(TEMPLATE_TYPES))),
    (Quality, Kind("string", _codes(QUALITY_NAMES))),
)


@dataclass(frozen=True)
class Described:
    """A field's type, values and limits, in words."""

    type: str
    values: str
    limits: list[str]
    names: Mapping[Any, str]


def _kind(annotation: Any) -> Kind | None:
    # Annotated aliases compare equal by their metadata, which holds the same validator.
    return next((kind for known, kind in _KINDS if annotation == known), None)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The annotation without `| None` and `Annotated`, and the metadata found on the way;
    a known kind (AspectRatio, ...) is kept whole."""
    metadata: list[Any] = []
    while _kind(annotation) is None:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                break
            annotation = options[0]
        elif origin is Annotated:
            for item in annotation.__metadata__:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = get_args(annotation)[0]
        else:
            break
    return annotation, metadata


def describe(info: FieldInfo) -> Described:
    """What a field's annotation and constraints say, in words."""
    annotation, inner = _unwrap(info.annotation)
    metadata = [*info.metadata, *inner]
    kind = _kind(annotation)
    if kind is not None:
        return Described(kind.type, kind.values, [], kind.names)
    limits = _limits(annotation, metadata)
    if any(getattr(item, "pattern", None) == NAME_PATTERN for item in metadata):
        values = "lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit"
        return Described("string", values, limits, {})
    if get_origin(annotation) is Literal:
        options = get_args(annotation)
        kind_name = "integer" if all(isinstance(v, int) for v in options) else "string"
        return Described(kind_name, _codes(options), [], {})
    return Described(*_plain(annotation), limits, {})


def _plain(annotation: Any) -> tuple[str, str]:
    origin = get_origin(annotation)
    if origin is list:
        item, _ = _unwrap(get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "list of mappings", f"each as in {_link(_section_of(item))}"
        return "list", "any"
    if origin is dict:
        key = get_args(annotation)[0]
        if get_origin(key) is Literal:
            return "mapping", f"keys {_codes(get_args(key))}, each with a list of values"
        return "mapping", "any names and values"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping", f"as in {_link(_section_of(annotation))}"
    if annotation is bool:
        return "boolean", "`true` or `false`"
    if annotation is int:
        return "integer", "any"
    if annotation is str:
        return "string", "any"
    raise TypeError(f"the reference cannot describe the type {annotation!r}")


def _limits(annotation: Any, metadata: list[Any]) -> list[str]:
    limits: list[str] = []
    for item in metadata:
        if isinstance(item, MinLen) and annotation is str:
            limits.append("not empty")
        elif isinstance(item, MinLen):
            limits.append(
                f"at least {item.min_length} {'entry' if item.min_length == 1 else 'entries'}"
            )
        elif isinstance(item, MaxLen):
            limits.append(f"at most {item.max_length:,} characters")
        elif isinstance(item, Ge):
            limits.append(f"at least {item.ge:,}")
        elif isinstance(item, Le):
            limits.append(f"at most {item.le:,}")
    if annotation is str and not any(isinstance(item, MaxLen) for item in metadata):
        limits.append(f"at most {MAX_FIELD_CHARS:,} characters (as every string)")
    if annotation is int and not any(isinstance(item, Le) for item in metadata):
        limits.append(f"at most {MAX_INTEGER_DIGITS} digits (as every number)")
    return limits


def _section_of(model: type[BaseModel]) -> Section:
    for section in SECTIONS:
        if section.model is model:
            return section
    raise LookupError(f"no section of the reference documents {model.__name__}")


def _link(section: Section) -> str:
    return f"[{section.title}](#{section.anchor})"


# --- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One field as the reference shows it; `example` is the spec fragment that shows it."""

    path: str
    description: str
    type: str
    values: str
    default: str
    limits: list[str]
    example: dict[str, Any]
    also_in: tuple[str, ...] = ()


def _note(model: type[BaseModel], name: str) -> Note:
    for owner in model.__mro__:
        note = NOTES.get((owner, name))
        if note is not None:
            return note
    raise LookupError(
        f"{model.__name__}.{name} has no note in jogg_pipeline/spec/reference.py's NOTES: "
        "give it a description and an example"
    )


def _default(
    model: type[BaseModel], name: str, info: FieldInfo, note: Note, names: Mapping[Any, str]
) -> str:
    if note.default is not None:
        return note.default
    if model is VideoSettings and name in BUILTIN_DEFAULTS:
        value = BUILTIN_DEFAULTS[name]
        if value in names:
            return f"`{names[value]}` (sent as `{value}`), built in"
        return f"`{_yaml(value)}`, built in"
    if info.is_required():
        return "required"
    if info.default is None:
        return "not set"
    if info.default == "":
        return "empty"
    return f"`{_yaml(info.default)}`"


def _sentences(*parts: str | None) -> str:
    """The parts as sentences: the models' descriptions may lack the full stop."""
    return " ".join(p if p.endswith((".", ":", ")")) else p + "." for p in parts if p)


def field_entries(section: Section) -> Iterator[Entry]:
    names = section.names if section.names is not None else tuple(section.model.model_fields)
    for name in names:
        info = section.model.model_fields[name]
        note = _note(section.model, name)
        described = describe(info)
        also_in: tuple[str, ...] = ()
        if section.model is VideoSettings:
            also_in = ("products[].videos[]", *(("matrix",) if name in MATRIX_KEYS else ()))
        yield Entry(
            path=section.path + name,
            description=_sentences(info.description, note.description),
            type=described.type,
            values=note.values or described.values,
            default=_default(section.model, name, info, note, described.names),
            limits=described.limits,
            example=section.place({name: note.example}),
            also_in=also_in,
        )


def matrix_entries() -> Iterator[Entry]:
    settings = VideoSettings.model_fields
    for name in MATRIX_KEYS:
        described = describe(settings[name])
        example = MATRIX_EXAMPLES[name]
        wire = [VideoSettings.model_validate({name: value}).given()[name] for value in example]
        segments = ", ".join(f"`{id_segment(name, value)}`" for value in wire)
        setting = f"[`defaults.{name}`](#{heading_anchor('defaults.' + name)})"
        yield Entry(
            path="matrix." + name,
            description=(
                f"The values of {setting} to make every video in, one video each. The id "
                f"segments of the example: {segments}."
            ),
            type="list of " + " or ".join(f"{word}s" for word in described.type.split(" or ")),
            values=f"as {setting}, each once at most",
            default="not varied",
            limits=["at least 1 entry"],
            example={"matrix": {name: example}},
        )


# --- Markdown ---------------------------------------------------------------------------------


def heading_anchor(text: str) -> str:
    """GitHub's anchor of a heading: lower case, spaces as '-', only letters, digits, - and _."""
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def _yaml_tree(value: Any) -> Any:
    """Lists of scalars in flow style (`[english, spanish]`), templates in double quotes."""
    if isinstance(value, dict):
        tree = CommentedMap()
        for key, item in value.items():
            tree[key] = _yaml_tree(item)
        return tree
    if isinstance(value, list):
        sequence = CommentedSeq(_yaml_tree(item) for item in value)
        if not any(isinstance(item, dict | list) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str) and value.startswith("{"):
        return DoubleQuotedScalarString(value)
    return value


def _yaml(value: Any) -> str:
    """`value` as YAML, the way the examples write it: a whole block, or one scalar."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    stream = io.StringIO()
    if isinstance(value, dict):
        yaml.dump(_yaml_tree(value), stream)
        return stream.getvalue()
    yaml.dump({"v": _yaml_tree(value)}, stream)
    return stream.getvalue().removeprefix("v: ").strip()


def _entry_markdown(entry: Entry) -> str:
    lines = [
        f"### `{entry.path}`",
        "",
        entry.description,
        "",
        f"- **Type:** {entry.type}",
        f"- **Values:** {entry.values}",
        f"- **Default:** {entry.default}",
    ]
    if entry.limits:
        lines.append(f"- **Limits:** {'; '.join(entry.limits)}")
    if entry.also_in:
        lines.append(f"- **Also in:** {', '.join(f'`{place}`' for place in entry.also_in)}")
    lines += ["", "```yaml", _yaml(entry.example).rstrip("\n"), "```", ""]
    return "\n".join(lines)


def reference_markdown() -> str:
    """docs/reference/spec.md, as the models say it now."""
    parts: list[tuple[str, str, list[Entry]]] = [
        (section.title, section.intro, list(field_entries(section))) for section in SECTIONS
    ]
    parts.append((MATRIX_TITLE, MATRIX_INTRO, list(matrix_entries())))
    contents = [
        f"- [{title}](#{heading_anchor(title)}): "
        + ", ".join(
            f"[`{entry.path.rsplit('.', 1)[-1]}`](#{heading_anchor(entry.path)})"
            for entry in part_entries
        )
        for title, _, part_entries in parts
    ]
    lines = [
        "# Spec reference",
        "",
        f"<!-- Generated from jogg_pipeline/spec/model.py by `{REGENERATE}`: do not edit. -->",
        "",
        "Every key of a campaign spec, level by level: its type, the values it takes, its "
        "default, its limits and an example. YAML and TOML specs have the same keys and the "
        "same meaning (`jogg-pipeline convert` turns one into the other); the examples are "
        f"YAML. The [guide]({GUIDE}) explains how the parts work together; "
        "`jogg-pipeline schema` prints the format as a JSON Schema, for editors.",
        "",
        f"Limits that hold everywhere: a spec file is at most {MAX_SPEC_BYTES // 2**20} MB; "
        f"every string is at most {MAX_FIELD_CHARS:,} characters and every number at most "
        f"{MAX_INTEGER_DIGITS} digits; the templates ({_codes(TEMPLATE_SETTINGS)} and "
        "every string in `overrides`) render within a budget. Keys named like credentials "
        "(`api_key`, `token`, ...) and token-like values are refused: the API key never "
        "lives in a spec. An unknown key is an error, with a did-you-mean.",
        "",
        "## Contents",
        "",
        *contents,
        "",
    ]
    for title, intro, part_entries in parts:
        lines += [f"## {title}", "", intro, ""]
        lines += [_entry_markdown(entry) for entry in part_entries]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    output = Path(arguments[0]) if arguments else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
