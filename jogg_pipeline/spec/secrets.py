"""Refusing secrets in specs: keys are named like credentials, or values look like tokens."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from jogg_pipeline.spec.positions import DataPath

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_LAST_WORDS = {"secret", "password", "passwd", "token", "credential", "credentials"}
_SECRET_PAIRS = {("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key")}
_SECRET_VALUE = re.compile(r"^(Bearer\s+\S{8,}|sk-[A-Za-z0-9_-]{16,})$", re.IGNORECASE)


def is_secret_key(key: str) -> bool:
    words = [w.lower() for w in _WORD.findall(key)]
    if not words:
        return False
    if words[-1] in _SECRET_LAST_WORDS or words[0] in {"authorization", "apikey"}:
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(words))


def find_secrets(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """(path, reason) for every key or value in `data` that looks like a credential."""
    if isinstance(data, dict):
        for key, value in data.items():
            if is_secret_key(str(key)):
                yield (*path, key), f"{key!r} looks like a secret"
            else:
                yield from find_secrets(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from find_secrets(value, (*path, index))
    elif isinstance(data, str) and _SECRET_VALUE.match(data.strip()):
        yield path, "this value looks like an API token"
