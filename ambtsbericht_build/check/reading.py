"""Reading rules: the checks judge what pandoc publishes (docs/format.md §9).

pandoc's parse of each chapter, with the render's reader, is placed on the
scanner's lines and columns (``load/markdown/pandoc_ast.py``). What cannot be
placed, and what pandoc reads that the report format does not have, is said
here rather than guessed."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from . import Context, Finding, RuleDoc, chapter, rule


def _problems(ctx: Context, code: str) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        for c, line, column, message in lc.chapter.read_problems:
            if c == code:
                yield Finding(lc.file, line, column, message)


@rule(
    "AB005",
    Severity.ERROR,
    "Markdown construct that the report format does not have (definition list, line block, heading in a table cell)",
    RuleDoc(
        finds="""
        A construct pandoc reads but the report format (docs/format.md §9)
        does not have: a definition list (a line, then a line starting with
        `: `) or a line block (lines starting with `| `), and, inside a
        definition or a grid table's cell at any depth, a heading (`# ...`)
        or another definition list. Each is refused on its own: the finding
        points at its first line (a heading in a cell: at its text).
        """,
        why="""
        The citation rules are defined for paragraphs, list items, headings,
        tables and figures. A definition or a line of a line block is none of
        them: abuild could only guess whether it needs a source, and a guess
        is what a court cannot rely on. A heading in a table cell is printed
        as a heading and numbered as a section of the report.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Opkomst
            : 52 procent bij het referendum.[@hrw-2025]
            """),
        ),
        fix="Write the definition as a paragraph or a list item (with its citation).",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            - Opkomst: 52 procent bij het referendum.[@hrw-2025]
            """),
        ),
    ),
)
def refused_construct(ctx: Context) -> Iterator[Finding]:
    yield from _problems(ctx, "AB005")


@rule(
    "AB006",
    Severity.ERROR,
    "block that pandoc publishes but abuild cannot place in the chapter",
    RuleDoc(
        finds="""
        A paragraph, list item, heading, caption or figure that pandoc reads
        from the chapter (and so publishes) but that abuild cannot find in
        the chapter's text, so it cannot say where its findings would be.
        The finding points at the last place abuild could read before it.
        Also: a chapter pandoc cannot read at all.
        """,
        why="""
        Every claim that is published must be checked. A block abuild cannot
        place is not silently skipped (its claims would escape the citation
        rules) and not given a made-up position: it is reported.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            &#72;&#82;&#87; meldt.[@hrw-2025]
            """),
        ),
        fix="""
        Rewrite the Markdown around the place named: an entity or an escape
        that pandoc prints as another character (`&#72;`) is best written
        as the character itself.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            HRW meldt.[@hrw-2025]
            """),
        ),
    ),
)
def unplaced_block(ctx: Context) -> Iterator[Finding]:
    from ..load.limits import limits_of

    for f in _problems(ctx, "AB006"):
        if not any(lc.file == f.file and limits_of(lc.chapter.text) for lc in ctx.report.chapters):
            yield f  # else pandoc was not asked to read it: AB008 says where and why
