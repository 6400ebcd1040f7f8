"""Where the page finds a video's files. A manifest names local files (the in-process engine's,
`--download`'s) relative to the project's root; the page names them relative to its own folder,
so that the page and the files can be moved together (a CI artifact) and play from disk. Cloud
files are given by their http(s) URLs. Any other address (`javascript:`, `data:`) is never put
into the page."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Source:
    """An address as the page writes it: a relative, %-encoded path or an http(s) URL."""

    href: str
    local: bool


@dataclass(frozen=True)
class Found:
    """A file looked for: its address, or why there is none (a note for the page)."""

    source: Source | None
    note: str | None = None


class Locations:
    def __init__(self, root: Path, page_folder: Path) -> None:
        self.root = root.absolute()
        self.page_folder = page_folder.absolute()

    def find(self, value: object, what: str, relative_to: Path | None = None) -> Found:
        """`value` from a manifest: a URL, or a path relative to `relative_to` (default: the
        project's root). A local file that is not there gets a note saying so."""
        if not isinstance(value, str) or not value:
            return Found(None)
        scheme = urlsplit(value).scheme.lower()
        if scheme in _WEB_SCHEMES:
            return Found(Source(value, local=False))
        if scheme:
            return Found(None)
        path = (relative_to or self.root) / value
        if not path.is_file():
            return Found(None, f"{what} not found: {value}")
        relative = Path(os.path.relpath(path.absolute(), self.page_folder)).as_posix()
        return Found(Source(quote(relative), local=True))

    def first(self, values: list[tuple[object, str]]) -> Found:
        """The first of several candidates that can be shown; the notes of the others when
        none can."""
        notes = []
        for value, what in values:
            found = self.find(value, what)
            if found.source is not None:
                return found
            if found.note:
                notes.append(found.note)
        return Found(None, "; ".join(notes) or None)
