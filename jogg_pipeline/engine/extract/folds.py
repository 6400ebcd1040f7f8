"""Labelled pages split by site, so what is fitted on some shops is scored on others."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

# Second-level labels under a country code that shops register beneath (shop.co.uk, shop.com.br).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob"})


class _Located(Protocol):
    @property
    def url(self) -> str: ...


P = TypeVar("P", bound=_Located)


def site_of(url: str) -> str:
    """The shop behind `url`: its registrable domain without the public suffix
    ("www.shop.co.uk" and "shop.fr" give "shop"). A shop's national sites count as one,
    since a rule fitted on one of them would flatter the others."""
    labels = (urlsplit(url).hostname or "").rstrip(".").split(".")
    if len(labels) < 2:
        return labels[0]
    suffix = 2 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 1
    return labels[-suffix - 1]


def site_folds(pages: Sequence[P], folds: int, seed: int) -> list[list[P]]:
    """`pages` split into `folds` parts with no site in two of them, as even in pages as the
    sites allow: sites shuffled by `seed`, then, largest first, each to the smallest part."""
    by_site: dict[str, list[P]] = {}
    for page in pages:
        by_site.setdefault(site_of(page.url), []).append(page)
    if len(by_site) < folds:
        raise ValueError(f"{len(by_site)} sites cannot make {folds} folds")
    sites = sorted(by_site)
    random.Random(seed).shuffle(sites)
    sites.sort(key=lambda site: -len(by_site[site]))  # stable: equal sizes keep the shuffle
    parts: list[list[P]] = [[] for _ in range(folds)]
    for site in sites:
        smallest = min(range(folds), key=lambda index: len(parts[index]))
        parts[smallest].extend(by_site[site])
    return parts


def site_count(pages: Sequence[_Located]) -> int:
    """How many sites `pages` come from."""
    return len({site_of(page.url) for page in pages})
