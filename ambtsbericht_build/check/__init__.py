"""Stage 3, check: the rule registry.

Each rule family lives in its own module and registers its rules with
:func:`rule`. A rule is a function ``(ctx) -> iterable of Finding``; the
registry attaches the rule's code and severity, so a rule cannot report under
another code. Rules never print and never depend on an output format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..analyse import Analysis, analyse
from ..diagnostics import Diagnostics, Severity
from ..load import LoadedReport


@dataclass(frozen=True)
class Finding:
    file: Path | str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    func: Callable[[Context], Iterable[Finding]] | None
    family: str

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or self.summary) if self.func else self.summary


@dataclass
class Context:
    report: LoadedReport
    analysis: Analysis


REGISTRY: dict[str, Rule] = {}

# Rules the load stage reports itself (it cannot hand half-read files on).
_LOAD_RULES = {
    "AB001": (Severity.ERROR, "file unreadable, not UTF-8, or not valid YAML"),
    "AB002": (Severity.ERROR, "report.yaml, tor.yaml or a source entry breaks its schema"),
    "AB003": (Severity.ERROR, "a chapter file is missing, or the report has none"),
}
for _code, (_sev, _summary) in _LOAD_RULES.items():
    REGISTRY[_code] = Rule(_code, _sev, _summary, None, "load")


def rule(code: str, severity: Severity, summary: str):
    """Register a rule function under ``code``."""

    def deco(func):
        if code in REGISTRY:
            raise RuntimeError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, severity, summary, func, func.__module__.rsplit(".", 1)[-1])
        return func

    return deco


FAMILIES = ("structure", "claims", "notes", "citations", "sources", "tor", "content", "dates", "publication")
for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")


def run_checks(report: LoadedReport, diags: Diagnostics, select: set[str] | None = None) -> Analysis:
    """Run every registered rule (or those in ``select``) on a loaded report."""
    ctx = Context(report, analyse(report))
    for code, r in sorted(REGISTRY.items()):
        if r.func is None or (select is not None and code not in select):
            continue
        for f in r.func(ctx):
            diags.add(code, r.severity, f.file, f.line, f.column, f.message)
    return ctx.analysis
