"""The ToR coverage matrix (``abuild tor``): which section answers which question.

For every question of tor.yaml, theme by theme: where the report answers it
(file:line of the ``tor=`` attribute and the section title) and in what state:

- ``answered``: a section answers it and cites at least one source;
- ``no-source``: sections answer it, but none cites a source yet (AB203; a
  fresh ``abuild new`` scaffold is all ``no-source``);
- ``geen-informatie``: it is answered only by ``.geen-informatie`` sections;
- ``unanswered``: no section names it (AB201).

Answers that name a question the ToR does not have (AB202) are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..load import LoadOptions, load_report
from . import Answer, analyse

ANSWERED = "answered"
NO_SOURCE = "no-source"
GEEN_INFORMATIE = "geen-informatie"
UNANSWERED = "unanswered"
STATUSES = (ANSWERED, NO_SOURCE, GEEN_INFORMATIE, UNANSWERED)


class TorUnavailable(Exception):
    """The report or its tor.yaml could not be loaded; ``diagnostics`` say why."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__("the Terms of Reference could not be loaded")
        self.diagnostics = diagnostics


@dataclass
class QuestionCoverage:
    id: str
    text: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(not a.geen_informatie and a.cites for a in self.answers):
            return ANSWERED
        if any(not a.geen_informatie for a in self.answers):
            return NO_SOURCE
        if self.answers:
            return GEEN_INFORMATIE
        return UNANSWERED


@dataclass
class ThemeCoverage:
    id: str
    title: str
    questions: list[QuestionCoverage] = field(default_factory=list)


@dataclass
class TorCoverage:
    report_dir: Path
    tor_file: Path
    title: str
    themes: list[ThemeCoverage]
    unknown: list[Answer]  # tor= naming a question that is not in the ToR
    diagnostics: Diagnostics  # what loading found (unreadable chapters can hide answers)

    def questions(self) -> list[QuestionCoverage]:
        return [q for t in self.themes for q in t.questions]

    def counts(self) -> dict[str, int]:
        qs = self.questions()
        counts = {"questions": len(qs)}
        for status in STATUSES:
            counts[status.replace("-", "_")] = sum(q.status == status for q in qs)
        return counts

    def unreadable_chapters(self) -> int:
        """Load problems that can hide answers: a chapter that is missing, unreadable
        or has broken front matter."""
        return sum(
            1
            for d in self.diagnostics
            if d.code in ("AB001", "AB003") or (d.code == "AB002" and d.file.endswith(".md"))
        )

    @property
    def complete(self) -> bool:
        return all(q.status != UNANSWERED for q in self.questions())


def tor_coverage(report_dir: Path, *, max_bytes: int = LoadOptions.max_bytes) -> TorCoverage:
    """Load a report and match its chapters' ``tor=`` answers to its ToR questions."""
    diags = Diagnostics()
    lr = load_report(Path(report_dir), diags, LoadOptions(max_bytes=max_bytes))
    if lr is None or lr.tor is None:
        raise TorUnavailable(diags)
    answered = analyse(lr).answered()
    themes = []
    known: set[str] = set()
    for theme in lr.tor.themes:
        tc = ThemeCoverage(theme.id, theme.title)
        for q in theme.questions:
            known.add(q.id)
            tc.questions.append(QuestionCoverage(q.id, " ".join(q.text.split()), answered.get(q.id, [])))
        themes.append(tc)
    unknown = [a for qid, answers in answered.items() if qid not in known for a in answers]
    unknown.sort(key=lambda a: (str(a.file), a.line, a.column))
    tor_file = lr.tor_doc.file if lr.tor_doc else lr.dir / "tor.yaml"
    return TorCoverage(lr.dir, tor_file, lr.tor.title, themes, unknown, diags)
