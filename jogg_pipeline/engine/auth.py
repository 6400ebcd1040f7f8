"""API keys: checking the `x-api-key` header, and the key an engine generates for itself."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

API_KEY_FILE = "api-key"
API_KEYS_ENV = "JOGG_ENGINE_API_KEYS"


def keys_from_env(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """The comma-separated keys of `JOGG_ENGINE_API_KEYS`, blanks dropped."""
    raw = (os.environ if environ is None else environ).get(API_KEYS_ENV, "")
    return tuple(key.strip() for key in raw.split(",") if key.strip())


def load_or_create_api_key(data_dir: Path) -> tuple[str, bool]:
    """The key kept in `data_dir` (created, mode 0600, if absent) and whether it is new."""
    path = data_dir / API_KEY_FILE
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key, False
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(24)
    # Created with 0600 from the start, so the key is never readable by others, even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)
    return key, True


def key_is_valid(presented: str | None, keys: Iterable[str]) -> bool:
    """Constant-time comparison against every configured key."""
    if not presented:
        return False
    candidate = presented.encode()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(candidate, key.encode())
    return matched
