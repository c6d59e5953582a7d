"""Citation rules: every key resolves, every own source is used."""

from __future__ import annotations

from ..diagnostics import Severity
from . import Finding, rule


@rule("AB104", Severity.ERROR, "citation key not in the bibliography")
def unknown_key(ctx):
    """A citation ``[@key]`` whose key is in none of the report's
    bibliography files (sources.yaml, bibliography/*.yaml, or the files
    report.yaml lists). Not checked while a bibliography file is unreadable."""
    if ctx.report.bib_failed:
        return  # a bibliography file could not be read (AB001/AB003 say so): any key may be in it
    known = ctx.report.source_index()
    for lc, c in ctx.analysis.cites:
        if c.key not in known:
            yield Finding(lc.file, c.line, c.column, f"citation key @{c.key} is not in the bibliography")


@rule("AB105", Severity.WARNING, "source in the bibliography never cited")
def uncited_source(ctx):
    """A source in the report's own bibliography (sources.yaml or a file
    report.yaml lists) that no chapter cites. The repository's shared
    ``bibliography/`` library is exempt: other reports use it."""
    if ctx.report.chapters_failed:
        return  # an unreadable chapter may cite them
    cited = ctx.analysis.cited_keys
    for s in ctx.report.sources:
        if not s.shared and s.source.id not in cited:
            line, col = s.pos("id")
            yield Finding(s.file, line, col, f"source {s.source.id} is never cited")
