"""``abuild tor``: the ToR coverage matrix.

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

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..analyse import Answer, analyse
from ..diagnostics import Diagnostics, display_path
from ..load import LoadOptions, load_report

FORMATS = ("text", "json", "markdown")

ANSWERED = "answered"
NO_SOURCE = "no-source"
GEEN_INFORMATIE = "geen-informatie"
UNANSWERED = "unanswered"
STATUSES = (ANSWERED, NO_SOURCE, GEEN_INFORMATIE, UNANSWERED)

_LABEL = {ANSWERED: "answered", NO_SOURCE: "no source", GEEN_INFORMATIE: "geen informatie", UNANSWERED: "unanswered"}


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


# --- output ---------------------------------------------------------------------


def _where(a: Answer, cwd: Path | None) -> str:
    return f"{display_path(a.file, cwd)}:{a.line}"


def _answer_note(a: Answer, status: str) -> str:
    if a.geen_informatie:
        # only worth saying when another answer makes the question answered
        return " (.geen-informatie)" if status == ANSWERED else ""
    if a.cites == 0 and status == ANSWERED:
        return " (cites no source: AB203)"
    return ""


def _summary(cov: TorCoverage) -> str:
    c = cov.counts()
    n = c["questions"]
    return (
        f"{n} question{'s' if n != 1 else ''}: {c['answered']} answered, {c['no_source']} without source, "
        f"{c['geen_informatie']} geen informatie, {c['unanswered']} unanswered"
    )


def render_text(cov: TorCoverage, cwd: Path | None = None) -> str:
    qw = max([len(q.id) for q in cov.questions()] + [len(a.qid) for a in cov.unknown] + [3])
    sw = max(len(v) for v in _LABEL.values())
    lines = [f"{cov.title} ({display_path(cov.tor_file, cwd)})", ""]
    for t in cov.themes:
        lines.append(f"{t.id}  {t.title}")
        for q in t.questions:
            head = f"  {q.id:<{qw}}  {_LABEL[q.status]:<{sw}}"
            if not q.answers:
                lines.append(head.rstrip())
            for i, a in enumerate(q.answers):
                prefix = head if i == 0 else " " * len(head)
                lines.append(f"{prefix}  {_where(a, cwd)}  {a.title}{_answer_note(a, q.status)}".rstrip())
        lines.append("")
    if cov.unknown:
        lines.append("Not in the ToR (AB202):")
        for a in cov.unknown:
            lines.append(f"  {a.qid:<{qw}}  {_where(a, cwd)}  {a.title}".rstrip())
        lines.append("")
    lines.append(_summary(cov))
    return "\n".join(lines) + "\n"


def _answer_json(a: Answer, cwd: Path | None) -> dict:
    return {
        "file": display_path(a.file, cwd),
        "line": a.line,
        "column": a.column,
        "title": a.title,
        "geen_informatie": a.geen_informatie,
        "cites": a.cites,
    }


def render_json(cov: TorCoverage, cwd: Path | None = None) -> str:
    doc = {
        "version": 1,
        "report": display_path(cov.report_dir, cwd),
        "tor": {"file": display_path(cov.tor_file, cwd), "title": cov.title},
        "themes": [
            {
                "id": t.id,
                "title": t.title,
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "status": q.status,
                        "answers": [_answer_json(a, cwd) for a in q.answers],
                    }
                    for q in t.questions
                ],
            }
            for t in cov.themes
        ],
        "unknown": [dict(_answer_json(a, cwd), id=a.qid) for a in cov.unknown],
        "summary": cov.counts(),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(cov: TorCoverage, cwd: Path | None = None) -> str:
    out = [f"# {_md(cov.title)}", "", f"ToR coverage of `{display_path(cov.report_dir, cwd)}`: {_summary(cov)}.", ""]
    for t in cov.themes:
        out += [f"## {_md(t.id)} {_md(t.title)}", "", "| Question | Status | Answered in |", "|---|---|---|"]
        for q in t.questions:
            status = _LABEL[q.status]
            if q.status in (UNANSWERED, NO_SOURCE):
                status = f"**{status}**"
            where = "<br>".join(
                f"{_md(a.title)}{_md(_answer_note(a, q.status))} (`{_where(a, cwd)}`)" for a in q.answers
            )
            out.append(f"| **{_md(q.id)}** {_md(q.text)} | {status} | {where} |")
        out.append("")
    if cov.unknown:
        out += ["## Not in the ToR", "", "| tor= | Answered in |", "|---|---|"]
        for a in cov.unknown:
            out.append(f"| {_md(a.qid)} | {_md(a.title)} (`{_where(a, cwd)}`) |")
        out.append("")
    return "\n".join(out)


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


def render_coverage(cov: TorCoverage, fmt: str = "text", cwd: Path | None = None) -> str:
    return RENDERERS[fmt](cov, cwd)
