"""Terms of Reference rules: every question answered, explicitly."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..models import Question
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in


def _questions(ctx: Context) -> Iterator[tuple[tuple[str | int, ...], Question]]:
    tor = ctx.report.tor
    if tor is None:
        return
    for ti, theme in enumerate(tor.themes):
        for qi, q in enumerate(theme.questions):
            yield ("themes", ti, "questions", qi), q


@rule(
    "AB201",
    Severity.ERROR,
    "ToR question answered nowhere",
    RuleDoc(
        finds="""
        A question of tor.yaml that no heading or fenced div names with
        `{tor="<id>"}`. The finding points at the question's id in tor.yaml.
        Not checked while a chapter is unreadable (AB001).
        """,
        why="""
        The Terms of Reference are what the IND and the ministry asked for. A
        question left out silently looks like "nothing to report", which a
        decision-maker may read as "no risk".
        """,
        example=(
            yaml_in(
                "tor.yaml",
                """
                themes:
                  - id: "1"
                    title: Politieke en veiligheidssituatie
                    questions:
                      - id: "1.1"
                        text: Wat zijn de belangrijkste politieke ontwikkelingen?
                      - id: "1.2"
                        text: Hoe is de veiligheidssituatie?
                      - id: "1.3"
                        text: Geldt de dienstplicht ook voor vrouwen?
                """,
            ),
        ),
        fix="""
        Answer the question in a section whose heading carries
        `{tor="<id>"}`; when nothing was found, say so explicitly with
        `.geen-informatie`.
        """,
        fixed=(
            chapter("""
            ## Dienstplicht voor vrouwen {tor="1.3" .geen-informatie}

            Er is geen informatie gevonden over dienstplicht voor vrouwen.
            """),
        ),
    ),
)
def unanswered(ctx: Context) -> Iterator[Finding]:
    if ctx.report.chapters_failed:
        return  # the answer may be in the chapter that could not be read
    answered = ctx.analysis.answered()
    doc = ctx.report.tor_doc
    if doc is None:
        return  # no tor.yaml (AB003), so no questions
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


@rule(
    "AB202",
    Severity.ERROR,
    "`tor=` names a question that is not in the ToR",
    RuleDoc(
        finds="""
        A `tor=` attribute that names a question id tor.yaml does not have: a
        typo, or a question that was renumbered.
        """,
        why="""
        The answer is then attributed to no question, and the question it was
        meant for may count as answered elsewhere or not at all: the coverage
        of the Terms of Reference (`abuild tor`) would be wrong.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.5"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
            """),
        ),
        fix="Use the question's id as tor.yaml gives it; `abuild tor` lists them.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
            """),
        ),
    ),
)
def unknown_question(ctx: Context) -> Iterator[Finding]:
    if ctx.report.tor is None:
        return
    ids = {q.id for _, q in _questions(ctx)}
    for a in ctx.analysis.answers:
        if a.qid not in ids:
            yield Finding(a.file, a.line, a.column, f'tor="{a.qid}" names a question that is not in tor.yaml')


@rule(
    "AB203",
    Severity.ERROR,
    "section that answers a question cites nothing and is not `.geen-informatie`",
    RuleDoc(
        finds="""
        A section (or div) with `tor=` that cites no source anywhere in it
        and is not marked `.geen-informatie`. A fresh `abuild new` scaffold
        has one for every question: the findings are the to-do list.
        """,
        why="""
        An answer to a question of the Terms of Reference is what the IND
        will quote in a decision; it must rest on at least one source, or say
        explicitly that nothing was found.
        """,
        example=(
            chapter("""
            ## Dienstplicht voor vrouwen {tor="1.2"}

            ::: geen-bron
            Dienstplicht geldt alleen voor mannen.
            :::
            """),
        ),
        fix="""
        Cite the sources of the answer; when nothing was found, mark the
        section `.geen-informatie` and say so.
        """,
        fixed=(
            chapter("""
            ## Dienstplicht voor vrouwen {tor="1.2" .geen-informatie}

            Er is geen informatie gevonden over dienstplicht voor vrouwen.
            """),
        ),
    ),
)
def answer_without_source(ctx: Context) -> Iterator[Finding]:
    for a in ctx.analysis.answers:
        if a.cites == 0 and not a.geen_informatie:
            yield Finding(
                a.file,
                a.line,
                a.column,
                f"section answering ToR question {a.qid} cites no source and is not marked .geen-informatie",
            )
