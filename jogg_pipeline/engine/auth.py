"""API keys: where an engine's keys come from (a file, the environment, or generated and kept
in its data folder), and checking the `x-api-key` header against them."""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

API_KEY_FILE = "api-key"
API_KEYS_ENV = "JOGG_ENGINE_API_KEYS"


def keys_from_env(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """The comma-separated keys of `JOGG_ENGINE_API_KEYS`, blanks dropped."""
    raw = (os.environ if environ is None else environ).get(API_KEYS_ENV, "")
    return tuple(key.strip() for key in raw.split(",") if key.strip())


def keys_from_file(path: Path) -> tuple[str, ...]:
    """The keys in `path`, one a line, blanks dropped; OSError if the file cannot be read."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip())


def readable_by_others(path: Path) -> bool:
    """Whether users other than the owner may read `path` (a key file should be 0600)."""
    return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))


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
