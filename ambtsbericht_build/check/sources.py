"""Source rules: public sources are complete, confidential ones are anonymous."""

from __future__ import annotations

from ..diagnostics import Severity
from . import Finding, rule


def _has(raw: dict, key: str) -> bool:
    v = raw.get(key)
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return True


@rule("AB106", Severity.ERROR, "public source lacks author/publisher, title, issued, or accessed for a URL")
def incomplete_source(ctx):
    """A public source must say who published it (``author`` or
    ``publisher``), what it is (``title``), when (``issued``, or
    ``issued: undated``) and, when it has a ``URL``, when it was consulted
    (``accessed``). Without these a reader cannot find it again."""
    for s in ctx.report.sources:
        if s.source.confidential:
            continue
        raw = s.raw
        missing = []
        if not (_has(raw, "author") or _has(raw, "publisher") or _has(raw, "editor")):
            missing.append("author or publisher")
        if not _has(raw, "title"):
            missing.append("title")
        if not _has(raw, "issued"):
            missing.append("issued (or issued: undated)")
        if _has(raw, "URL") and not _has(raw, "accessed"):
            missing.append("accessed (it has a URL)")
        if missing:
            line, col = s.pos("id")
            yield Finding(s.file, line, col, f"source {s.source.id} lacks {', '.join(missing)}")


IDENTIFYING = ("author", "editor", "title", "URL", "DOI", "publisher", "container-title", "note", "abstract")


@rule("AB301", Severity.ERROR, "confidential source with public identifying fields (author, title, URL)")
def identifying_confidential(ctx):
    """A confidential source is printed only as "Vertrouwelijke bron, <date>".
    Fields that identify it (author, title, URL, publisher, ...) have no place
    in the CSL item: what the drafters need to know goes under ``internal``,
    which is never printed."""
    for s in ctx.report.sources:
        if not s.source.confidential:
            continue
        for key in IDENTIFYING:
            if _has(s.raw, key):
                line, col = s.pos(key)
                yield Finding(
                    s.file,
                    line,
                    col,
                    f"confidential source {s.source.id} has public field {key!r}; move it under 'internal'",
                )
