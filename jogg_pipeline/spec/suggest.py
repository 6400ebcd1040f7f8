"""Did-you-mean suggestions for misspelt keys and values."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


def closest(
    word: str, candidates: Iterable[str], *, normalize: Callable[[str], str] = str.lower
) -> str | None:
    """The candidate closest to `word`, if one is close enough to be a likely typo."""
    by_form: dict[str, str] = {}
    for candidate in candidates:
        by_form.setdefault(normalize(candidate), candidate)
    matches = difflib.get_close_matches(normalize(word), list(by_form), n=1, cutoff=0.6)
    return by_form[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str], **kwargs: Callable[[str], str]) -> str:
    """ "; did you mean 'x'?" or "" when nothing is close."""
    match = closest(word, candidates, **kwargs)
    return f"; did you mean '{match}'?" if match else ""
