"""The data folder's layout, and serving its produced and re-hosted files over HTTP.

Only regular files under `<data_dir>/files` are served; a request path is resolved with
symlinks followed and must stay inside that folder, so neither `..` nor a symlink escapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from jogg_pipeline.engine.replies import error_response, not_found

FILES_ROUTE = "/files"


@dataclass(frozen=True)
class DataLayout:
    """Where an engine keeps its database, its files and its lock."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "engine.sqlite3"

    @property
    def lock(self) -> Path:
        return self.root / "engine.lock"

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def media(self) -> Path:
        return self.files / "media"

    def project_dir(self, project_id: str) -> Path:
        return self.files / "projects" / project_id

    def create(self) -> None:
        self.media.mkdir(parents=True, exist_ok=True)
        (self.files / "projects").mkdir(parents=True, exist_ok=True)

    def relative(self, path: Path) -> str:
        """`path` (under the files folder) as the POSIX path the files route serves."""
        return path.relative_to(self.files).as_posix()

    def resolve(self, relative: str) -> Path | None:
        """The regular file `relative` names under the files folder, or None if it escapes."""
        parts = PurePosixPath(relative).parts
        if not parts or any(part in ("", ".", "..") or part.startswith("/") for part in parts):
            return None
        if "\\" in relative or "\x00" in relative:
            return None
        root = self.files.resolve()
        candidate = (root.joinpath(*parts)).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate


def public_url(base_url: str, relative: str) -> str:
    """The absolute URL of a served file, for a client that reached the engine at `base_url`."""
    return f"{base_url.rstrip('/')}{FILES_ROUTE}/{relative}"


def make_files_endpoint(layout: DataLayout) -> Callable[[Request], Awaitable[Response]]:
    async def serve_file(request: Request) -> Response:
        relative = request.path_params["path"]
        path = layout.resolve(relative)
        if path is None:
            error = not_found(f"no file {relative!r}")
            error.status = 404
            return error_response(error)
        return FileResponse(path)

    return serve_file
