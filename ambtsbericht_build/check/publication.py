"""Publication rules: a final report carries no drafting leftovers."""

from __future__ import annotations

import re

from ..diagnostics import Severity
from . import Finding, rule

_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")


@rule(
    "AB502",
    Severity.ERROR,
    "TODO/FIXME marker or `::: intern` block in a report whose status is vastgesteld or gepubliceerd",
)
def drafting_leftovers(ctx):
    """Once a report is ``vastgesteld`` or ``gepubliceerd`` it is frozen:
    TODO/FIXME/XXX markers (anywhere in a chapter, comments included) and
    ``::: intern`` blocks must be resolved and removed first."""
    r = ctx.report.report
    if r is None or not r.status.final:
        return
    for lc in ctx.report.chapters:
        text = lc.chapter.text
        for m in _MARKER.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            yield Finding(lc.file, line, col, f"{m.group(1)} marker in a {r.status.value} report")
        for d in lc.chapter.divs:
            if "intern" in d.attrs.classes:
                yield Finding(lc.file, d.line, d.column, f"::: intern block in a {r.status.value} report")
