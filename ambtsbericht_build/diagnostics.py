"""The one finding type every stage produces, and the collector they share.

Stages never print or exit: they add :class:`Diagnostic` objects to a
:class:`Diagnostics` collection, and the CLI renders them once at the end
(text, JSON, SARIF or GitHub annotations, see :mod:`ambtsbericht_build.output`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A finding at a place in a file the drafter edits.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    ``file`` is kept as given (absolute or relative); :meth:`display_path`
    makes it relative to the current directory for output.
    """

    file: str
    line: int
    column: int
    code: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)

    def display_path(self, cwd: Path | None = None) -> str:
        return display_path(self.file, cwd)

    def to_json(self, cwd: Path | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.display_path(cwd),
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


def display_path(path: str | os.PathLike[str], cwd: Path | None = None) -> str:
    """Path relative to ``cwd`` (default: the current directory), with ``/``."""
    cwd = cwd or Path.cwd()
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(cwd).as_posix()
        except ValueError:
            try:
                return Path(os.path.relpath(p, cwd)).as_posix()
            except ValueError:  # another drive on Windows
                return p.as_posix()
    return p.as_posix()


class Diagnostics:
    """Ordered, de-duplicated collection of findings."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, int, int, str, str], Diagnostic] = {}

    def add(
        self,
        code: str,
        severity: Severity,
        file: str | os.PathLike[str],
        line: int,
        column: int,
        message: str,
    ) -> Diagnostic:
        d = Diagnostic(str(file), max(line, 0), max(column, 0), code, severity, message)
        self._items.setdefault((d.file, d.line, d.column, d.code, d.message), d)
        return d

    def error(self, code: str, file: str | os.PathLike[str], line: int, column: int, message: str) -> Diagnostic:
        return self.add(code, Severity.ERROR, file, line, column, message)

    def warning(self, code: str, file: str | os.PathLike[str], line: int, column: int, message: str) -> Diagnostic:
        return self.add(code, Severity.WARNING, file, line, column, message)

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        for d in other:
            self._items.setdefault((d.file, d.line, d.column, d.code, d.message), d)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._items.values())

    @property
    def errors(self) -> int:
        return sum(1 for d in self._items.values() if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self._items.values() if d.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)
