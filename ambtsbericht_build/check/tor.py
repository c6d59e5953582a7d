"""Terms of Reference rules: every question answered, explicitly."""

from __future__ import annotations

from ..diagnostics import Severity
from . import Finding, rule


def _questions(ctx):
    tor = ctx.report.tor
    if tor is None:
        return
    for ti, theme in enumerate(tor.themes):
        for qi, q in enumerate(theme.questions):
            yield ("themes", ti, "questions", qi), q


@rule("AB201", Severity.ERROR, "ToR question answered nowhere")
def unanswered(ctx):
    """Each question of tor.yaml is answered by a heading or fenced div with
    ``{tor="<id>"}``, or explicitly marked ``.geen-informatie`` when nothing
    was found. Silence is not an answer."""
    if ctx.report.chapters_failed:
        return  # the answer may be in the chapter that could not be read
    answered = ctx.analysis.answered()
    doc = ctx.report.tor_doc
    for path, q in _questions(ctx):
        if q.id not in answered:
            line, col = doc.pos(path + ("id",))
            yield Finding(
                doc.file,
                line,
                col,
                f'ToR question {q.id} is answered nowhere (add {{tor="{q.id}"}} to a heading, '
                "or mark it .geen-informatie)",
            )


@rule("AB202", Severity.ERROR, "`tor=` names a question that is not in the ToR")
def unknown_question(ctx):
    """A ``tor=`` attribute names a question id that tor.yaml does not have:
    a typo, or a question that was renumbered."""
    if ctx.report.tor is None:
        return
    ids = {q.id for _, q in _questions(ctx)}
    for a in ctx.analysis.answers:
        if a.qid not in ids:
            yield Finding(a.file, a.line, a.column, f'tor="{a.qid}" names a question that is not in tor.yaml')


@rule("AB203", Severity.ERROR, "section that answers a question cites nothing and is not `.geen-informatie`")
def answer_without_source(ctx):
    """A section (or div) that answers a ToR question must rest on at least
    one source. When nothing was found, say so with ``.geen-informatie``."""
    for a in ctx.analysis.answers:
        if a.cites == 0 and not a.geen_informatie:
            yield Finding(
                a.file,
                a.line,
                a.column,
                f"section answering ToR question {a.qid} cites no source and is not marked .geen-informatie",
            )
