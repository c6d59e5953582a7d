"""Footnote rules: notes are sources' carriers, so they must cite and resolve."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..load.markdown import NoteDef
from . import Context, Finding, RuleDoc, chapter, rule


@rule(
    "AB103",
    Severity.WARNING,
    "footnote that cites no source",
    RuleDoc(
        finds="""
        In a claims chapter, a footnote (`^[...]` or a `[^n]` definition) that
        cites no source. Notes in `::: geen-bron` or `::: intern` blocks and
        `.geen-informatie` sections are exempt: a reference note when its
        definition or every reference to it is.
        """,
        why="""
        In an ambtsbericht the footnotes carry the sources; a footnote without
        one is usually a citation that was lost while editing, and the
        statement it belongs to may now rest on nothing. It is a warning
        because a note may also explain a term (`abuild check --strict`, as
        in CI, still fails on it).
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.^[Zie ook het vorige ambtsbericht.] De opkomst was laag.[@hrw-2025]
            """),
        ),
        fix="""
        Put the lost citation back in the note. A note that only explains goes
        in a `::: geen-bron` block, or becomes part of the text.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.^[Zie ook [@hrw-2025, p. 3].] De opkomst was laag.[@hrw-2025]
            """),
        ),
    ),
)
def note_without_source(ctx: Context) -> Iterator[Finding]:
    an = ctx.analysis
    for lc in ctx.report.chapters:
        if not lc.meta.claims:
            continue
        ch = lc.chapter
        exempt_refs: dict[str, bool] = {}
        for b in ch.all_blocks():
            exempt = an.is_exempt(b)
            for r in b.note_refs:
                exempt_refs[r.label] = exempt_refs.get(r.label, True) and exempt
            if exempt:
                continue
            for n in b.inline_notes:
                if not n.cites:
                    yield Finding(lc.file, n.line, n.column, "footnote cites no source")
        for nd in ch.notes:
            if any(b.cites for b in nd.blocks):
                continue
            if exempt_refs.get(nd.label) or (nd.blocks and all(an.is_exempt(b) for b in nd.blocks)):
                continue
            yield Finding(lc.file, nd.line, nd.column, f"footnote [^{nd.label}] cites no source")


@rule(
    "AB107",
    Severity.ERROR,
    "footnote label defined twice, used but not defined, or defined but never used",
    RuleDoc(
        finds="""
        Within one chapter: a footnote label defined twice, a reference
        `[^n]` without a definition `[^n]: ...`, or a definition that nothing
        refers to. Labels are per chapter: `[^1]` in two chapters are two
        notes.
        """,
        why="""
        A note that is referred to but not defined is printed as the literal
        text `[^1]` and its source is lost; a note defined twice cites one of
        two sources, and nobody can tell which the reviewers meant.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[^1]
            """),
        ),
        fix="Define each label once, in the chapter that uses it; remove definitions nothing refers to.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[^1]

            [^1]: [@hrw-2025, p. 3].
            """),
        ),
    ),
)
def note_labels(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        ch = lc.chapter
        defined: dict[str, NoteDef] = {}
        for nd in ch.notes:
            if nd.label in defined:
                first = defined[nd.label]
                yield Finding(
                    lc.file, nd.line, nd.column, f"footnote [^{nd.label}] is defined twice (first on line {first.line})"
                )
            else:
                defined[nd.label] = nd
        used: set[str] = set()
        for b in ch.all_blocks():
            for r in b.note_refs:
                used.add(r.label)
                if r.label not in defined:
                    yield Finding(lc.file, r.line, r.column, f"footnote [^{r.label}] is used but not defined")
        for label, nd in defined.items():
            if label not in used:
                yield Finding(lc.file, nd.line, nd.column, f"footnote [^{label}] is defined but never used")
