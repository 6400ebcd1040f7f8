"""A campaign repository: `specs/` (the campaigns), `results/` (the manifests, committed) and
`.jogg/` (the state, a cache). Commands find its root from any folder inside it, so where the
state and the results live never depends on the folder a command was started from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_FILE = "jogg-pipeline.toml"
SPECS = "specs"
RESULTS = "results"
STATE = ".jogg"


@dataclass(frozen=True)
class Project:
    """Where a project's parts live. `found` is False for the fallback: the current folder,
    when no folder from there up to the repository's top is a project."""

    root: Path
    found: bool = True

    @property
    def specs(self) -> Path:
        return self.root / SPECS

    @property
    def results(self) -> Path:
        return self.root / RESULTS

    @property
    def state_dir(self) -> Path:
        return self.root / STATE


def is_project_root(folder: Path) -> bool:
    return (folder / PROJECT_FILE).is_file() or (folder / SPECS).is_dir()


def find_project(start: Path | None = None) -> Project | None:
    """The nearest folder from `start` up with a project file or a `specs/` folder. The search
    stops at the top of the git repository it is in, so a project never reaches outside it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if is_project_root(candidate):
            return Project(candidate)
        if (candidate / ".git").exists():
            return None
    return None


def current_project(start: Path | None = None) -> Project:
    """The project around `start`, or the current folder standing in for one."""
    return find_project(start) or Project((start or Path.cwd()).resolve(), found=False)
