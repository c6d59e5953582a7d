"""Archive rule: every public source of a report that keeps a source archive
has its copy, and every confidential source names where it is archived.

A copy that is missing from disk or changed is AB109 (sources.py), always an
error; AB111 is about the copy that was never made. The copies themselves
are fetched only by ``abuild archive``: this rule reads sources.yaml and
lists the archive directory, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..load import LoadedReport, SourceEntry
from ..models import Status
from . import Context, Finding, RuleDoc, Snippet, rule, yaml_in

WARC = (".warc", ".warc.gz")
# the key of `internal` that names a confidential source's archive reference
REFERENCE = "archief"


def keeps_archive(lr: LoadedReport) -> bool:
    """The report keeps a source archive: its ``archive/`` holds a WARC file,
    or one of its own sources records a WARC copy. A report written before
    ``abuild archive`` is not asked for copies until its first capture; from
    then on every source is (the archive is then the report's, not a few
    pages that happened to be saved)."""
    if any(s.source.archive is not None and s.source.archive.file.endswith(WARC) for s in lr.sources if not s.shared):
        return True
    d = lr.dir / "archive"
    try:
        return d.is_dir() and any(p.name.endswith(WARC) for p in d.iterdir())
    except OSError:
        return False


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
# an (uncompressed) WARC file of one capture, as abuild archive writes it gzipped
_WARC = (
    "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
    "WARC-Date: 2025-02-03T10:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: 33\r\n\r\n"
    "software: abuild (abuild archive)\r\n\r\n\r\n"
)


@rule(
    "AB111",
    Severity.WARNING,
    "public source without an archived copy, or confidential source without an archive reference",
    RuleDoc(
        finds="""
        In a report that keeps a source archive (its `archive/` holds a WARC
        file, or one of its sources records a WARC copy: `abuild archive`
        has been run): a public source with a `URL` that records no
        `archive`, or a confidential source whose `internal` has no
        `archief` (the reference of its report in the ministry's archive).
        A warning in a concept; an error once `intern-review` is recorded
        or the status is past `concept`. A copy that is recorded but
        missing or changed is AB109.
        """,
        why="""
        Web pages change and disappear; the reviewers, the IND and a court
        must be able to see what a source said when the report relied on
        it. A confidential source is never fetched or kept in the
        repository (by policy it is archived outside it), so the only thing
        abuild can check is that its `internal` says where.
        """,
        example=(yaml_in("sources.yaml", _MISSING), Snippet("archive/eerdere-opname.warc", _WARC)),
        fix="""
        Run `abuild archive REPORT`: it captures every public source that
        has no copy yet into a WARC file and records it. A page or PDF saved
        by hand is recorded with `abuild archive REPORT --add ID FILE`. For
        a confidential source, write the archive reference under
        `internal`: `archief: AMB-TL/2025/1104`.
        """,
    ),
)
def uncopied_source(ctx: Context) -> Iterator[Finding]:
    lr = ctx.report
    if not keeps_archive(lr):
        return
    sev = Severity.ERROR if _past_concept(ctx) else Severity.WARNING
    for s in lr.sources:
        if s.shared or s.broken:
            continue  # the shared bibliography's copies are not this report's to keep
        if s.source.confidential:
            yield from _reference(s, sev)
        elif s.source.URL and s.source.archive is None:
            line, col = s.pos("id")
            yield Finding(
                s.file,
                line,
                col,
                f"{s.label} has no archived copy: run abuild archive"
                f" (or --add {s.source.id} FILE for a copy saved by hand)",
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
