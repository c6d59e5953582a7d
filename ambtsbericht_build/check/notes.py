"""Footnote rules: notes are sources' carriers, so they must cite and resolve."""

from __future__ import annotations

from ..diagnostics import Severity
from . import Finding, rule


@rule("AB103", Severity.WARNING, "footnote that cites no source")
def note_without_source(ctx):
    """In a claims chapter, a footnote (``^[...]`` or a ``[^n]`` definition)
    that cites no source is probably a citation that was lost. Notes in
    ``::: geen-bron`` or ``::: intern`` blocks and ``.geen-informatie``
    sections are exempt: a reference note when its definition or every
    reference to it is."""
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


@rule("AB107", Severity.ERROR, "footnote label defined twice, used but not defined, or defined but never used")
def note_labels(ctx):
    """Footnote labels are per chapter: ``[^1]`` in two chapters are two
    notes. Within a chapter each label is defined once, every reference has a
    definition, and every definition is referenced."""
    for lc in ctx.report.chapters:
        ch = lc.chapter
        defined: dict[str, object] = {}
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
