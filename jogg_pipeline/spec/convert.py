"""Writing a spec's data as YAML or TOML. Values are carried over as written (aliases stay
aliases), so the converted spec means exactly what its source meant; comments are not kept."""

from __future__ import annotations

import copy
import io
import os
from pathlib import Path
from typing import Any

import tomli_w
from ruamel.yaml import YAML

from jogg_pipeline.errors import UsageError
from jogg_pipeline.spec.positions import DataPath, format_path
from jogg_pipeline.spec.urls import UrlProblem, resolve

FORMATS = ("yaml", "toml")


def dump(data: dict[str, Any], fmt: str) -> str:
    if fmt == "toml":
        _check_toml(data, ())
        return tomli_w.dumps(data, multiline_strings=True)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    # Keep the spec's key order. ruamel declares this flag by assigning None, hence the ignore.
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.allow_unicode = True
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _check_toml(value: Any, path: DataPath) -> None:
    """TOML has no null; say where the spec has one instead of failing deep in the writer."""
    if value is None:
        raise UsageError(f"{format_path(path)} is null, which TOML cannot express; remove it")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_toml(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_toml(item, (*path, index))


def rebase_local_urls(data: dict[str, Any], source_dir: Path, target_dir: Path) -> dict[str, Any]:
    """The same spec for a file in `target_dir`: relative product file paths are rewritten so
    they still name the same files."""
    if source_dir.resolve() == target_dir.resolve():
        return data
    rebased = copy.deepcopy(data)
    for product in rebased.get("products", []):
        url = product.get("url") if isinstance(product, dict) else None
        if not isinstance(url, str):
            continue
        try:
            source = resolve(url, source_dir)
        except UrlProblem:
            continue
        if source.local_path is not None and not Path(url).is_absolute() and "://" not in url:
            relative = os.path.relpath(source.local_path, target_dir.resolve())
            product["url"] = Path(relative).as_posix()
    return rebased
