"""Checking a spec file: syntax, the format's rules, templates, and its expansion into videos.
Every problem of a file is collected, each with its line and column; `check_specs` also checks
the files given together against each other."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jogg_pipeline.errors import UsageError
from jogg_pipeline.spec.expand import (
    ExpandedCampaign,
    ExpandedProduct,
    ExpandedVideo,
    combinations,
    resolve_settings,
    video_id,
)
from jogg_pipeline.spec.limits import (
    DEFAULT_MAX_VIDEOS,
    MAX_FIELD_CHARS,
    MAX_INTEGER_DIGITS,
)
from jogg_pipeline.spec.load import SPEC_SUFFIXES, Document, LoadError, load_document
from jogg_pipeline.spec.messages import locate
from jogg_pipeline.spec.model import (
    LAYOUT_SETTINGS,
    MATRIX_KEYS,
    TEMPLATE_SETTINGS,
    Campaign,
    Product,
    VideoSettings,
)
from jogg_pipeline.spec.positions import START, DataPath, Position, find, format_path
from jogg_pipeline.spec.problems import Problem, Problems, SpecError
from jogg_pipeline.spec.secrets import find_secrets
from jogg_pipeline.spec.templates import PRODUCT_NAMES, VIDEO_NAMES, check_template, is_template
from jogg_pipeline.spec.urls import UrlProblem, derive_key, resolve

M = TypeVar("M", bound=BaseModel)

BACKENDS = ("local", "jogg")
_SECRET_HELP = "a spec never holds secrets: the API key comes from JOGG_API_KEY or --api-key-file"


@dataclass(frozen=True)
class CheckResult:
    path: Path
    problems: list[Problem]
    expanded: ExpandedCampaign | None  # None when the spec has errors
    # The campaign name the file gives, valid or not, and where its value stands: the files
    # checked together must not share one.
    campaign: str | None = None
    campaign_position: Position = START

    @property
    def ok(self) -> bool:
        return self.expanded is not None


def spec_files(arguments: Iterable[str | Path]) -> list[Path]:
    """The spec files named: files as given, folders as every spec file directly in them."""
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SPEC_SUFFIXES)
            if not found:
                raise UsageError(f"{path}: no spec files (.yaml, .yml, .toml) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def load_campaign(path: Path, *, backend: str | None = None) -> ExpandedCampaign:
    """The spec at `path`, expanded; SpecError with every problem when it has errors."""
    result = check_spec(path, backend=backend)
    if result.expanded is None:
        raise SpecError(path, result.problems)
    return result.expanded


def check_spec(path: Path, *, backend: str | None = None) -> CheckResult:
    try:
        document = load_document(path)
    except LoadError as error:
        return CheckResult(path, [error.problem], None)
    checker = _Checker(document, backend)
    expanded = checker.run()
    problems = checker.problems.sorted()
    name = document.data.get("campaign") if isinstance(document.data, dict) else None
    return CheckResult(
        path,
        problems,
        None if checker.problems.has_errors else expanded,
        campaign=name if isinstance(name, str) else None,
        campaign_position=find(document.positions, ("campaign",)),
    )


def check_specs(paths: Iterable[Path], *, backend: str | None = None) -> list[CheckResult]:
    """Each spec checked on its own, then against the others: two specs naming one campaign
    would share its state and its manifest, so each of them gets an error naming the other.
    A file named twice (a folder and a file in it) is checked once."""
    unique: dict[Path, Path] = {}
    for path in paths:
        unique.setdefault(path.resolve(), path)
    results = [check_spec(path, backend=backend) for path in unique.values()]
    namesakes: dict[str, list[CheckResult]] = {}
    for result in results:
        if result.campaign is not None:
            namesakes.setdefault(result.campaign, []).append(result)
    clashing = {id(r): group for group in namesakes.values() if len(group) > 1 for r in group}
    return [
        _clash(result, clashing[id(result)]) if id(result) in clashing else result
        for result in results
    ]


def _clash(result: CheckResult, namesakes: list[CheckResult]) -> CheckResult:
    others = [
        f"{other.path}:{other.campaign_position.line}:{other.campaign_position.column}"
        for other in namesakes
        if other is not result
    ]
    named = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else others[0]
    message = f"campaign {result.campaign!r} is also named by {named}"
    problem = Problem.at(result.campaign_position, f"{message}; each campaign needs its own name")
    return replace(result, problems=sorted([*result.problems, problem]), expanded=None)


class _Checker:
    def __init__(self, document: Document, backend: str | None) -> None:
        self.document = document
        self.positions = document.positions
        self.problems = Problems()
        self.backend_override = backend
        self.skip: set[DataPath] = set()  # paths already reported as secrets

    def at(self, path: DataPath, *, key: bool = False) -> Position:
        return find(self.positions, path, at_key=key)

    def error(self, path: DataPath, message: str, *, key: bool = False) -> None:
        self.problems.error(self.at(path, key=key), message)

    def run(self) -> ExpandedCampaign | None:
        data = self.document.data
        if not isinstance(data, dict):
            self.error((), "a spec is a mapping of keys (version, campaign, products, ...)")
            return None
        for path, reason in find_secrets(data):
            self.skip.add(path)
            self.error(path, f"{format_path(path)}: {reason}; {_SECRET_HELP}", key=True)
        for path, reason in _oversized(data):
            self.skip.add(path)
            self.error(path, f"{format_path(path)}: {reason}")
        campaign = self._validate(Campaign, data, ())
        named_backend = data.get("backend")
        backend = self.backend_override or (
            named_backend
            if isinstance(named_backend, str) and named_backend in BACKENDS
            else "local"
        )
        if data.get("quality") is not None and backend == "jogg":
            self.problems.warning(
                self.at(("quality",)),
                "quality applies to the local engine only; the jogg backend ignores it",
            )
        raw_vars = data.get("vars")
        campaign_vars = raw_vars if isinstance(raw_vars, dict) else {}
        defaults = self._piece(VideoSettings, data.get("defaults", {}), ("defaults",), campaign)
        matrix = self._matrix(data.get("matrix"))
        raw_products = data.get("products")
        products = raw_products if isinstance(raw_products, list) else []

        product_plans: list[ExpandedProduct] = []
        videos: list[tuple[ExpandedVideo, DataPath]] = []
        keys: dict[str, DataPath] = {}
        max_videos = campaign.max_videos if campaign is not None else DEFAULT_MAX_VIDEOS
        asked = 0  # videos the products ask for, counted before they are made
        for index, raw in enumerate(products):
            product = self._piece(Product, raw, ("products", index), campaign)
            if product is None:
                continue
            plan = self._product(index, product, campaign_vars, backend, keys)
            if plan is None:
                continue
            product_plans.append(plan)
            per_matrix = math.prod(len(values) for values in (matrix or {}).values())
            before, asked = asked, asked + len(product.videos or [None]) * per_matrix
            if asked > max_videos:
                if before <= max_videos:
                    self._too_many_videos(index, max_videos)
                continue
            videos.extend(self._videos(index, product, plan, defaults, matrix))
        self._check_ids(videos)
        if self.problems.has_errors or campaign is None:
            return None
        return ExpandedCampaign(
            campaign=campaign.campaign,
            backend=backend,
            spec_path=self.document.path,
            spec_sha256=hashlib.sha256(self.document.text.encode("utf-8")).hexdigest(),
            vars=campaign.vars,
            products=tuple(product_plans),
            videos=tuple(video for video, _ in videos),
            quality=campaign.quality,
        )

    def _too_many_videos(self, index: int, max_videos: int) -> None:
        """Reported at the first product beyond the limit; later ones are not expanded."""
        self.error(
            ("products", index),
            f"products[{index}]: the spec expands to more than {max_videos:,} videos by here "
            "(max_videos); set a higher max_videos if that is meant",
        )

    # --- structure ----------------------------------------------------------------------------

    def _validate(self, model: type[M], raw: Any, base: DataPath) -> M | None:
        try:
            return model.model_validate(raw)
        except ValidationError as failure:
            for detail in failure.errors():
                detail["loc"] = (*base, *detail["loc"])
                path = tuple(detail["loc"])
                if any(path[: len(s)] == s for s in self.skip):
                    continue
                position, message, _ = locate(detail, self.positions)
                self.problems.error(position, message)
            return None

    def _piece(
        self, model: type[M], raw: Any, path: DataPath, campaign: Campaign | None
    ) -> M | None:
        """A part of the campaign on its own, so that one bad field does not hide the problems
        of the rest: fields with errors (already reported by the campaign-wide validation) are
        left out, and what remains is checked further."""
        if campaign is not None:
            return model.model_validate(raw)
        try:
            return model.model_validate(raw)
        except ValidationError as failure:
            if not isinstance(raw, dict):
                return None
            bad = {detail["loc"][0] for detail in failure.errors() if detail["loc"]}
            try:
                return model.model_validate({k: v for k, v in raw.items() if k not in bad})
            except ValidationError:
                return None

    def _matrix(self, raw: Any) -> dict[str, list[Any]] | None:
        """The matrix in wire values; None if any value is invalid."""
        if not isinstance(raw, dict):
            return {} if raw is None else None
        matrix: dict[str, list[Any]] = {}
        valid = True
        for name, values in raw.items():
            if name not in MATRIX_KEYS or not isinstance(values, list):
                valid = False
                continue
            wire_values: list[Any] = []
            for index, value in enumerate(values):
                path = ("matrix", name, index)
                settings = self._validate_value(name, value, path)
                if settings is None:
                    valid = False
                    continue
                wire = settings[name]
                if wire in wire_values:
                    self.error(path, f"{format_path(path)}: the matrix lists {value!r} twice")
                    valid = False
                wire_values.append(wire)
            matrix[name] = wire_values
        return matrix if valid else None

    def _validate_value(self, name: str, value: Any, path: DataPath) -> dict[str, Any] | None:
        if value is None:
            self.error(path, f"{format_path(path)}: a matrix value cannot be empty (null)")
            return None
        try:
            return VideoSettings.model_validate({name: value}).given()
        except ValidationError as failure:
            for detail in failure.errors():
                detail["loc"] = path
                position, message, _ = locate(detail, self.positions)
                self.problems.error(position, message)
            return None

    # --- products -----------------------------------------------------------------------------

    def _product(
        self,
        index: int,
        product: Product,
        campaign_vars: Mapping[str, Any],
        backend: str,
        keys: dict[str, DataPath],
    ) -> ExpandedProduct | None:
        base: DataPath = ("products", index)
        try:
            source = resolve(product.url, self.document.path.parent)
        except UrlProblem as problem:
            self.error((*base, "url"), f"{format_path((*base, 'url'))}: {problem}")
            return None
        if source.local_path is not None:
            if backend == "jogg":
                self.error(
                    (*base, "url"),
                    f"{format_path((*base, 'url'))}: the local file {product.url!r} works only "
                    "with the local backend; the jogg backend needs a web URL",
                )
                return None
            if not source.local_path.is_file():
                self.error(
                    (*base, "url"),
                    f"{format_path((*base, 'url'))}: no such file {product.url!r} "
                    f"(looked for {source.local_path})",
                )
                return None
        key = product.key or derive_key(source)
        key_path = (*base, "key") if product.key else (*base, "url")
        if key in keys:
            first = self.at(keys[key]).line
            if product.key:
                message = f"duplicate product key {key!r} (first at line {first})"
            else:
                message = (
                    f"the product key {key!r} derived from this URL is taken (line {first}); "
                    "give the product a unique 'key'"
                )
            self.error(key_path, f"{format_path(key_path)}: {message}")
        duplicate = key in keys
        keys.setdefault(key, key_path)
        merged_vars = {**campaign_vars, **product.vars}
        overrides = product.overrides.model_dump(exclude_none=True) if product.overrides else {}
        under = (*base, "overrides")
        found = self._templates(overrides, under, PRODUCT_NAMES, merged_vars)
        if duplicate:
            return None  # its videos would only repeat the same problem
        return ExpandedProduct(
            index=index,
            key=key,
            url=product.url,
            fetch_url=source.fetch_url,
            vars=merged_vars,
            overrides=overrides,
            sources={format_path(path[len(under) :]): where for path, where in found.items()},
        )

    def _templates(
        self,
        value: Any,
        path: DataPath,
        names: tuple[str, ...],
        merged_vars: Mapping[str, Any],
        found: dict[DataPath, str] | None = None,
    ) -> dict[DataPath, str]:
        """Check the templates in `value`; return where each stands, "FILE:LINE:COL" by path."""
        found = {} if found is None else found
        if isinstance(value, dict):
            for key, item in value.items():
                self._templates(item, (*path, key), names, merged_vars, found)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._templates(item, (*path, index), names, merged_vars, found)
        elif isinstance(value, str) and is_template(value):
            position = self.at(path)
            found[path] = f"{self.document.path}:{position.line}:{position.column}"
            for issue in check_template(
                value, names=names, var_names=merged_vars, video_fields=VideoSettings.model_fields
            ):
                message = f"{format_path(path)}: {issue.message}"
                if issue.is_error:
                    self.error(path, message)
                else:
                    self.problems.warning(position, message)
        return found

    # --- videos -------------------------------------------------------------------------------

    def _videos(
        self,
        index: int,
        product: Product,
        plan: ExpandedProduct,
        defaults: VideoSettings | None,
        matrix: dict[str, list[Any]] | None,
    ) -> list[tuple[ExpandedVideo, DataPath]]:
        """The product's videos, each with the place in the spec it comes from."""
        base: DataPath = ("products", index)
        default_settings = defaults.given() if defaults else {}
        default_sources = self._video_templates(default_settings, ("defaults",), plan)
        variants = product.videos if product.videos is not None else [None]
        names: dict[str, int] = {}
        videos: list[tuple[ExpandedVideo, DataPath]] = []
        for position, variant in enumerate(variants):
            variant_path = (*base, "videos", position)
            given: dict[str, Any] = {}
            label: str | None = None
            sources = default_sources
            if variant is not None:
                given = variant.given()
                label = given.pop("name", None) or str(position)
                if label in names:
                    self.error(
                        (*variant_path, "name"),
                        f"{format_path((*variant_path, 'name'))}: duplicate variant name "
                        f"{label!r} (also videos[{names[label]}])",
                    )
                    continue
                names[label] = position
                sources = {k: v for k, v in default_sources.items() if k not in given}
                sources.update(self._video_templates(given, variant_path, plan))
                self._matrix_overlap(given, variant_path, matrix or {})
            if matrix is None or (defaults is None and "defaults" in self.document.data):
                continue
            for combination in combinations(matrix):
                origin = (*variant_path, "name") if variant is not None else base
                videos.append(
                    (
                        ExpandedVideo(
                            id=video_id(plan.key, label, combination),
                            product_key=plan.key,
                            variant=label,
                            matrix=combination,
                            settings=resolve_settings(default_settings, given, combination),
                            sources=sources,
                        ),
                        origin,
                    )
                )
        return videos

    def _video_templates(
        self, settings: Mapping[str, Any], path: DataPath, plan: ExpandedProduct
    ) -> dict[str, str]:
        """Check the template settings of one layer; return where each stands, by name."""
        sources: dict[str, str] = {}
        for name in TEMPLATE_SETTINGS:
            if name in settings:
                found = self._templates(settings[name], (*path, name), VIDEO_NAMES, plan.vars)
                for where in found.values():  # one at most: these settings are strings
                    sources[name] = where
        return sources

    def _matrix_overlap(
        self, given: Mapping[str, Any], path: DataPath, matrix: Mapping[str, list[Any]]
    ) -> None:
        for name in given:
            clash = name in matrix or (
                name in LAYOUT_SETTINGS and any(k in LAYOUT_SETTINGS for k in matrix)
            )
            if clash:
                self.error(
                    (*path, name),
                    f"{format_path((*path, name))}: the matrix varies "
                    f"{name if name in matrix else 'the layout'}; "
                    "set it in the matrix or in the variant, not both",
                    key=True,
                )

    def _check_ids(self, videos: list[tuple[ExpandedVideo, DataPath]]) -> None:
        seen: set[str] = set()
        for video, origin in videos:
            if video.id in seen:
                self.error(origin, f"duplicate video id '{video.id}'")
            seen.add(video.id)


def _oversized(data: Any, path: DataPath = ()) -> list[tuple[DataPath, str]]:
    """Strings and numbers larger than any spec needs, by path."""
    found: list[tuple[DataPath, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_oversized(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_oversized(value, (*path, index)))
    elif isinstance(data, str) and len(data) > MAX_FIELD_CHARS:
        found.append((path, f"longer than {MAX_FIELD_CHARS} characters"))
    # Digits counted by bits: converting a huge number to text is itself slow.
    elif isinstance(data, int) and data.bit_length() * math.log10(2) > MAX_INTEGER_DIGITS:
        found.append((path, f"a number of more than {MAX_INTEGER_DIGITS} digits"))
    return found
