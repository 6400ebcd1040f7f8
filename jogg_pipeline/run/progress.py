"""What a run shows while it works: a progress bar on a terminal (rich), plain log lines
elsewhere (CI logs), nothing but the summary with --quiet. Every line also goes to the
`jogg_pipeline.run` log at DEBUG, so `--log-file` keeps a run's every step even when quiet."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

log = logging.getLogger("jogg_pipeline.run")


class Reporter:
    def __init__(self, *, quiet: bool = False, interactive: bool | None = None) -> None:
        self.quiet = quiet
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def campaign(self, name: str, videos: int, backend: str) -> None:
        self.close()
        heading = f"{name}: {videos} video{'' if videos == 1 else 's'}, backend {backend}"
        log.debug("%s", heading)
        if self.quiet:
            return
        if self.interactive:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("videos ended"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(name, total=videos)
        else:
            print(heading, file=sys.stderr, flush=True)

    def __call__(self, line: str) -> None:
        log.debug("%s", line)
        if self.quiet:
            return
        if self._progress is not None:
            self._progress.console.print(f"  {line}", highlight=False, markup=False)
        else:
            print(f"  {line}", file=sys.stderr, flush=True)

    def ended(self, count: int = 1) -> None:
        """Videos that reached success or failure."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, count)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
