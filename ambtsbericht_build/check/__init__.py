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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeAlias, TypeVar, cast

from ..analyse import Analysis, analyse
from ..diagnostics import Diagnostics, Severity
from ..load import LoadedChapter, LoadedReport
from .ruledoc import RuleDoc, Snippet, chapter, yaml_in

S = TypeVar("S")
T = TypeVar("T")

__all__ = [
    "REGISTRY",
    "ByChapter",
    "Context",
    "Early",
    "Finding",
    "Rule",
    "RuleDoc",
    "Snippet",
    "by_chapter",
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
    # a rule whose severity depends on the report's stage (AB111: a warning
    # in a concept, an error from intern-review on); None: the rule's own
    severity: Severity | None = None


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
    # the part of the rule that needs no analysis, started while pandoc
    # reads the chapters (see run_checks)
    early: Callable[[LoadedReport], Early] | None = None


class Early(Protocol):
    """A rule's work that needs no analysis, made when pandoc has been given
    every chapter (the rule's YAML, say); :meth:`chapter` is called for each
    chapter once it is pandoc's reading, while pandoc reads the next. The
    rule function finds it in :attr:`Context.early`, under its code."""

    def chapter(self, lc: LoadedChapter) -> None: ...


class ByChapter(Generic[S, T]):
    """The :class:`Early` of a rule that walks the chapters one by one:
    ``walk(state, lc)`` is one chapter's part (its findings, say), ``state``
    is made once from the report by ``prepare``. :meth:`results` gives every
    chapter's part in chapter order, walking those not walked yet: the same
    results as one walk of the chapters after the analysis.

    ``kept_as``: the parts are findings, kept under that code between
    checks (check/memo.py) when ``state`` is made of files check/memo.py's
    key covers (the report's, the bibliography: not an image's); ``state``
    is then made only for a chapter not kept."""

    def __init__(
        self,
        report: LoadedReport,
        prepare: Callable[[LoadedReport], S],
        walk: Callable[[S, LoadedChapter], Iterable[T]],
        kept_as: str | None = None,
    ):
        self.report, self.prepare, self.walk, self.kept_as = report, prepare, walk, kept_as
        self._state: list[S] = []
        self.done: dict[int, Sequence[T]] = {}  # id(LoadedChapter) -> its part

    @property
    def state(self) -> S:
        if not self._state:
            self._state.append(self.prepare(self.report))
        return self._state[0]

    def chapter(self, lc: LoadedChapter) -> None:
        if id(lc) in self.done:
            return
        if self.kept_as is None:
            self.done[id(lc)] = list(self.walk(self.state, lc))
            return
        from .memo import FINDINGS, chapter_part

        walk = cast("Callable[[S, LoadedChapter], Iterable[Finding]]", self.walk)
        found = chapter_part(self.kept_as, self.report, lc, lambda: tuple(walk(self.state, lc)), FINDINGS)
        self.done[id(lc)] = cast("Sequence[T]", found)

    def results(self) -> Iterator[T]:
        for lc in self.report.chapters:
            self.chapter(lc)
            yield from self.done[id(lc)]


def by_chapter(
    ctx: Context,
    code: str,
    prepare: Callable[[LoadedReport], S],
    walk: Callable[[S, LoadedChapter], Iterable[T]],
    kept_as: str | None = None,
) -> Iterator[T]:
    """The results of a :class:`ByChapter` rule: those walked early (under
    ``code`` in ``ctx.early``), else walked now."""
    work = ctx.early.get(code)
    if not isinstance(work, ByChapter) or work.walk is not walk:
        work = ByChapter(ctx.report, prepare, walk, kept_as)
    return cast("ByChapter[S, T]", work).results()


@dataclass
class Context:
    report: LoadedReport
    analysis: Analysis
    early: dict[str, Early] = field(default_factory=dict)


RuleFunc: TypeAlias = Callable[[Context], Iterable[Finding]]

REGISTRY: dict[str, Rule] = {}


def register(r: Rule) -> None:
    if r.code in REGISTRY:
        raise RuntimeError(f"rule {r.code} registered twice")
    REGISTRY[r.code] = r


def rule(
    code: str,
    severity: Severity,
    summary: str,
    doc: RuleDoc,
    *,
    confidentiality: bool = False,
    early: Callable[[LoadedReport], Early] | None = None,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code``, with its documentation.

    ``confidentiality=True``: a finding of this rule refuses every render,
    whatever the status (see :func:`confidentiality_codes`). ``early``: the
    rule's work that can start before the analysis (:class:`Early`)."""

    def deco(func: RuleFunc) -> RuleFunc:
        family = func.__module__.rsplit(".", 1)[-1]
        register(Rule(code, severity, summary, func, family, doc, confidentiality, early))
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
    "archive_copies",
    "confidential_sources",
    "confidential",
    "public_terms",
    "mixed_script",
    "drafter_notes",
    "tor",
    "content",
    "images",
    "dates",
    "publication",
    "abbreviations",
    "review_history",
    "translations",
)
for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")


def run_checks(
    report: LoadedReport,
    diags: Diagnostics,
    select: set[str] | None = None,
    analysed: Callable[[LoadedReport], None] | None = None,
) -> Analysis:
    """Run every registered rule (or those in ``select``) on a loaded report.

    pandoc's reading of the chapters is the check's longest wait (0.53 s
    of the benchmark report's 0.8 s); the rules' :class:`Early` work is
    done during it, on the chapters pandoc has read so far: AB302's secrets
    and YAML, then each chapter's walks (AB302, AB110, the images of AB405
    and AB407), about 0.25 s that came after pandoc's last chapter."""
    rules = [(c, r) for c, r in sorted(REGISTRY.items()) if r.func is not None and (select is None or c in select)]
    early: dict[str, Early] = {}

    def started() -> None:
        for code, r in rules:
            if r.early is not None:
                early[code] = r.early(report)

    def read(lc: LoadedChapter) -> None:
        for e in early.values():
            e.chapter(lc)

    # once pandoc has read every chapter, before the rules' work on them: the render builds its document meanwhile
    analysis = analyse(report, started, read, (lambda: analysed(report)) if analysed is not None else None)
    ctx = Context(report, analysis, early)
    for code, r in rules:
        assert r.func is not None
        for f in r.func(ctx):
            diags.add(code, f.severity or r.severity, f.file, f.line, f.column, f.message)
    return ctx.analysis
