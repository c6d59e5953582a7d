"""Structure rules: the Markdown is read the way the drafter meant it."""

from __future__ import annotations

from ..diagnostics import Severity
from . import Finding, rule


@rule("AB004", Severity.ERROR, "fenced div (`:::`) opened but never closed")
def unclosed_div(ctx):
    """A ``:::`` fence without its closing ``:::`` runs to the end of the
    chapter: after an unclosed ``::: geen-bron`` or ``::: intern`` every
    following paragraph would silently be exempt from the citation rules (or
    never rendered). The finding points at the opening fence."""
    for lc in ctx.report.chapters:
        for line, column, what in lc.chapter.unclosed:
            yield Finding(lc.file, line, column, f"{what} opened here is never closed (add a ':::' line)")
