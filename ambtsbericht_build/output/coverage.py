"""The ToR coverage matrix as text, JSON or Markdown (``abuild tor``).

The matrix itself is computed by :mod:`ambtsbericht_build.analyse.coverage`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..analyse import Answer
from ..analyse.coverage import ANSWERED, GEEN_INFORMATIE, NO_SOURCE, UNANSWERED, TorCoverage
from ..diagnostics import display_path

FORMATS = ("text", "json", "markdown")

_LABEL = {ANSWERED: "answered", NO_SOURCE: "no source", GEEN_INFORMATIE: "geen informatie", UNANSWERED: "unanswered"}


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


def _answer_json(a: Answer, cwd: Path | None) -> dict[str, Any]:
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
