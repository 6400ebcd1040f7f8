"""Problems found in a spec: each one a line, a column and a message a person understands."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from jogg_pipeline.errors import UsageError
from jogg_pipeline.spec.positions import Position


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR

    @classmethod
    def at(cls, position: Position, message: str, severity: Severity = Severity.ERROR) -> Problem:
        return cls(position.line, position.column, message, severity)

    def render(self, file: Path | str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "message": self.message,
        }


@dataclass
class Problems:
    """Collects problems while a file is checked, so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, position: Position, message: str) -> None:
        self.items.append(Problem.at(position, message))

    def warning(self, position: Position, message: str) -> None:
        self.items.append(Problem.at(position, message, Severity.WARNING))

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class SpecError(UsageError):
    """A spec file has errors; raised by commands that need a valid spec."""

    def __init__(self, file: Path, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        first = errors[0].render(file) if errors else str(file)
        more = (
            f" (and {len(errors) - 1} more; run `jogg-pipeline validate`)"
            if len(errors) > 1
            else ""
        )
        super().__init__(first + more)
