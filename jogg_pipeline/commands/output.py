"""Writing the files a command was asked to write (`-o FILE`, `init`): missing folders are
created, and anything in the way ends as one line naming the path, never a traceback."""

from __future__ import annotations

from pathlib import Path

from jogg_pipeline.errors import PipelineError, UsageError


def check_target(path: Path) -> None:
    """Refuse a path that can never be a file: it is a folder, or a parent of it is a file."""
    try:
        if path.is_dir():
            raise UsageError(f"cannot write {path}: it is a folder")
        for parent in path.parents:
            if parent.exists() or parent.is_symlink():
                if not parent.is_dir():
                    what = "a file, not a folder" if parent.is_file() else "not a folder"
                    raise UsageError(f"cannot write {path}: {parent} is {what}")
                return
    except OSError as error:  # e.g. a folder on the way that may not be looked into
        raise PipelineError(f"cannot write {path}: {reason(error)}") from None


def write_file(path: Path, content: str | bytes) -> None:
    """Write `content` to `path`, creating its missing parent folders."""
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        folder = error.filename or path.parent
        raise PipelineError(f"cannot create the folder {folder}: {reason(error)}") from None
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise PipelineError(f"cannot write {path}: {reason(error)}") from None


def append_file(path: Path, text: str) -> None:
    check_target(path)
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise PipelineError(f"cannot write {path}: {reason(error)}") from None


def reason(error: OSError) -> str:
    """`Permission denied` as it reads inside a sentence: `permission denied`."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
