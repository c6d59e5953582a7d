"""Source rules: public sources are complete, confidential ones are anonymous."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Severity
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in


def _has(raw: dict[str, Any], key: str) -> bool:
    v = raw.get(key)
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return True


@rule(
    "AB106",
    Severity.ERROR,
    "public source lacks author/publisher, title, issued, or accessed for a URL",
    RuleDoc(
        finds="""
        A public source without who published it (`author`, `editor` or
        `publisher`), what it is (`title`), when (`issued`, or
        `issued: undated`) or, when it has a `URL`, when it was consulted
        (`accessed`).
        """,
        why="""
        Lawyers, the IND and the court must be able to find a source again
        and see which version the report relied on; web pages change, so the
        date of consultation matters as much as the address.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: ai-2025
                  type: webpage
                  author: [{literal: Amnesty International}]
                  title: Testland 2025
                  issued: 2025-04-29
                  URL: https://www.amnesty.org/en/location/africa/testland/
                """,
            ),
        ),
        fix="Add the missing fields; `accessed` is the date on which the drafter consulted the page.",
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: ai-2025
                  type: webpage
                  author: [{literal: Amnesty International}]
                  title: Testland 2025
                  issued: 2025-04-29
                  URL: https://www.amnesty.org/en/location/africa/testland/
                  accessed: 2025-05-02
                """,
            ),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[@ai-2025]
            """),
        ),
    ),
)
def incomplete_source(ctx: Context) -> Iterator[Finding]:
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


@rule(
    "AB301",
    Severity.ERROR,
    "confidential source with public identifying fields (author, title, URL)",
    RuleDoc(
        finds="""
        A source with `confidential: true` that has a field which identifies
        it (author, editor, title, URL, DOI, publisher, container-title,
        note, abstract) in its CSL item.
        """,
        why="""
        A confidential source is printed only as "Vertrouwelijke bron,
        4 november 2025". Its identity must never leak: a named contact or
        organisation can be traced, and a person who spoke to the embassy can
        be endangered.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  author: [{literal: medewerker VN-organisatie}]
                  issued: 2025-12-01
                """,
            ),
        ),
        fix="""
        Move what the drafters need to know under `internal`, which is never
        printed in any output.
        """,
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  issued: 2025-12-01
                  internal:
                    who: medewerker VN-organisatie
                """,
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Een vertrouwelijke bron meldde gevechten in het zuiden.[@vb-2025-12-01]
            """),
        ),
    ),
)
def identifying_confidential(ctx: Context) -> Iterator[Finding]:
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
