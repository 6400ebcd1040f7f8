"""Refusing secrets in specs: keys are named like credentials, or values look like tokens."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from typing import Any

from jogg_pipeline.spec.positions import DataPath

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_LAST_WORDS = {"secret", "password", "passwd", "token", "credential", "credentials"}
_SECRET_PAIRS = {("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key")}
_SECRET_VALUE = re.compile(r"^(Bearer\s+\S{8,}|sk-[A-Za-z0-9_-]{16,})$", re.IGNORECASE)
# Generated keys without a telling prefix. A value is a key when it is one unbroken run of
# 32 or more characters with no separator a word, path or URL would have, and is either hex
# with both digits and letters (`secrets.token_hex`, what `serve` generates), or base64 or
# base64url mixing upper case, lower case and digits (`token_urlsafe`, most cloud keys) with the
# letter spread of random text: no English word, identifier, slug or SKU is that long and that
# mixed. Below 32 characters a value is as likely an id as a key, and ids are not refused.
_HEX_KEY = re.compile(r"^(?=[^0-9]*[0-9])(?=[^a-fA-F]*[a-fA-F])[0-9a-fA-F]{32,}$")
_BASE64_KEY = re.compile(r"^(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/_-]{32,}={0,2}$")
# The letter spread, as a share of the most a string of its length can have (log2 of it):
# random base64 reaches about nine tenths, camelCase identifiers about four fifths.
_RANDOM_SPREAD = 0.85


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
    elif isinstance(data, str) and looks_like_token(data.strip()):
        yield path, "this value looks like an API token"


def looks_like_token(value: str) -> bool:
    if len(value) > 4096:
        return False  # text, not a key
    if _SECRET_VALUE.match(value) or _HEX_KEY.match(value):
        return True
    if _BASE64_KEY.match(value) is None:
        return False
    return _entropy(value) >= _RANDOM_SPREAD * math.log2(min(len(value), 48))


def _entropy(value: str) -> float:
    counts = [value.count(c) for c in set(value)]
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts)
