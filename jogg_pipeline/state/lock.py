"""One run at a time per state directory. The lock is an OS file lock, so it dies with its
holder: a lock left by a killed run is simply taken over. Who holds it is written beside it,
so a refused run can name the holder."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from jogg_pipeline.errors import PipelineError

LOCK_FILE = "lock"
HOLDER_FILE = "lock.holder.json"


class StateLocked(PipelineError):
    """Another run holds the state directory."""


class StateLock:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._lock = FileLock(state_dir / LOCK_FILE, timeout=0)

    def __enter__(self) -> StateLock:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise StateLocked(self._refusal()) from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        (self.state_dir / HOLDER_FILE).write_text(json.dumps(holder), encoding="utf-8")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        (self.state_dir / HOLDER_FILE).unlink(missing_ok=True)
        self._lock.release()

    def _refusal(self) -> str:
        try:
            holder = json.loads((self.state_dir / HOLDER_FILE).read_text(encoding="utf-8"))
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder["started"]))
            who = f"pid {holder['pid']} on {holder['host']}, since {since}"
        except (OSError, ValueError, KeyError, TypeError):
            who = "another process"
        return (
            f"another run holds the state directory {self.state_dir} ({who}); "
            "wait for it to finish, or use another --state-dir"
        )
