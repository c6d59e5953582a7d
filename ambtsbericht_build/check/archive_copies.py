"""Archive rule: every public source has its copy, and every confidential
source names where it is archived; in every report, the shared
bibliography's sources too.

A copy that is missing from disk or changed is AB109 (sources.py), always an
error; AB111 is about the copy that was never made. The copies themselves
are fetched only by ``abuild archive``: this rule reads the bibliography,
nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..load import SourceEntry
from ..models import Status
from . import Context, Finding, RuleDoc, rule, yaml_in

# the key of `internal` that names a confidential source's archive reference
REFERENCE = "archief"


def _past_concept(ctx: Context) -> bool:
    """From intern-review on: the step is recorded, or the status is past concept."""
    r = ctx.report.report
    if r is None:
        return False
    return r.status is not Status.concept or any(s.step == "intern-review" for s in r.review)


_MISSING = """
- id: ai-2025
  type: webpage
  author: [{literal: Amnesty International}]
  title: Testland 2025
  issued: 2025-04-29
  URL: https://www.amnesty.org/en/location/africa/testland/
  accessed: 2025-05-02
"""


@rule(
    "AB111",
    Severity.WARNING,
    "public source without an archived copy, or confidential source without an archive reference",
    RuleDoc(
        finds="""
        A public source with a `URL` that records no `archive`, in any
        report and in the shared `bibliography/` as well (a copy is
        recorded in the source's YAML file, or for a `.bib` or `.json`
        source in the `archive.yaml` beside its file); or a confidential
        source whose `internal` has no `archief` (the reference of its
        report in the ministry's archive). A warning in a concept; an error
        once `intern-review` is recorded or the status is past `concept`.
        A copy that is recorded but missing or changed is AB109. A source
        without a `URL` (a book, a law in print) is not asked for a copy.
        """,
        why="""
        Web pages change and disappear; the reviewers, the IND and a court
        must be able to see what a source said when the report relied on
        it. A confidential source is never fetched or kept in the
        repository (by policy it is archived outside it), so the only thing
        abuild can check is that its `internal` says where.
        """,
        example=(yaml_in("sources.yaml", _MISSING),),
        fix="""
        Run `abuild archive REPORT`: it captures every public source that
        has no copy yet into a WARC file and records it. A page or PDF saved
        by hand is recorded with `abuild archive REPORT --add ID FILE`. The
        sources of the shared `bibliography/` are captured into
        `bibliography/archive/`, once for every report. For a confidential
        source, write the archive reference under `internal`:
        `archief: AMB-TL/2025/1104`.
        """,
    ),
)
def uncopied_source(ctx: Context) -> Iterator[Finding]:
    lr = ctx.report
    sev = Severity.ERROR if _past_concept(ctx) else Severity.WARNING
    for s in lr.sources:
        if s.broken:
            continue
        if s.source.confidential:
            yield from _reference(s, sev)
        elif s.source.URL and s.source.archive is None:
            line, col = s.pos("id")
            where = " (a shared source's copy goes to bibliography/archive/)" if s.shared else ""
            yield Finding(
                s.file,
                line,
                col,
                f"{s.label} has no archived copy: run abuild archive"
                f" (or --add {s.source.id} FILE for a copy saved by hand){where}",
                sev,
            )


def _reference(s: SourceEntry, sev: Severity) -> Iterator[Finding]:
    internal = s.source.internal or {}
    ref = internal.get(REFERENCE)
    if isinstance(ref, str) and ref.strip():
        return
    line, col = s.pos("internal") if s.source.internal is not None else s.pos("id")
    yield Finding(
        s.file,
        line,
        col,
        f"{s.label} names no archive reference: write internal: {REFERENCE}: <reference in the archive>"
        " (a confidential source is archived outside the repository)",
        sev,
    )
