"""Stage 3, check: the rule registry.

Each rule family lives in its own module and registers its rules with
:func:`rule`. A rule is a function ``(ctx) -> iterable of Finding``; the
registry attaches the rule's code and severity, so a rule cannot report under
another code. Rules never print and never depend on an output format.

Every rule is registered with its documentation (:class:`RuleDoc`: what it
finds, why it matters, an example, the fix), from which ``abuild rules``,
docs/checks.md and the SARIF rule help are written. The load stage's own codes
(AB001-AB003) are registered in :mod:`.loading`, without a function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from ..analyse import Analysis, analyse
from ..diagnostics import Diagnostics, Severity
from ..load import LoadedReport
from .ruledoc import RuleDoc, Snippet, chapter, yaml_in

__all__ = [
    "REGISTRY",
    "Context",
    "Finding",
    "Rule",
    "RuleDoc",
    "Snippet",
    "chapter",
    "confidentiality_codes",
    "register",
    "rule",
    "run_checks",
    "yaml_in",
]


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
    func: RuleFunc | None  # None: the load stage reports the code itself
    family: str
    doc: RuleDoc
    # a confidentiality finding (a secret or a piece of one, text of a drafter
    # note that would print, a network reference, ...): refuses every render,
    # whatever the report's status (render/pipeline.py), because concepts
    # circulate outside the team for review
    confidentiality: bool = False


@dataclass
class Context:
    report: LoadedReport
    analysis: Analysis


RuleFunc: TypeAlias = Callable[[Context], Iterable[Finding]]

REGISTRY: dict[str, Rule] = {}


def register(r: Rule) -> None:
    if r.code in REGISTRY:
        raise RuntimeError(f"rule {r.code} registered twice")
    REGISTRY[r.code] = r


def rule(
    code: str, severity: Severity, summary: str, doc: RuleDoc, *, confidentiality: bool = False
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code``, with its documentation.

    ``confidentiality=True``: a finding of this rule refuses every render,
    whatever the status (see :func:`confidentiality_codes`)."""

    def deco(func: RuleFunc) -> RuleFunc:
        register(Rule(code, severity, summary, func, func.__module__.rsplit(".", 1)[-1], doc, confidentiality))
        return func

    return deco


def confidentiality_codes() -> frozenset[str]:
    """The codes whose findings refuse every render, concept or final: the
    one list, read from the registry (each rule says so when it registers)."""
    return frozenset(code for code, r in REGISTRY.items() if r.confidentiality)


FAMILIES = (
    "loading",
    "structure",
    "reading",
    "claims",
    "notes",
    "citations",
    "citelike",
    "sources",
    "confidential_sources",
    "confidential",
    "drafter_notes",
    "tor",
    "content",
    "images",
    "dates",
    "publication",
)
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
