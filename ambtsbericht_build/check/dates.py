"""Date rules: the report's dates tell one consistent story."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..models import date_of
from . import Context, Finding, RuleDoc, rule, yaml_in


@rule(
    "AB501",
    Severity.ERROR,
    "inconsistent dates (reference period ends after the report date, accessed before issued, ...)",
    RuleDoc(
        finds="""
        Dates that contradict each other: a reference period that starts
        after it ends or ends after the report date; an information cut-off
        (`information_cutoff`) after the report date or before the reference
        period starts; a previous report dated
        on or after this one; a source issued after the report date,
        consulted (`accessed`) before it was issued or after the report date;
        a ToR dated after the report.
        """,
        why="""
        The reference period says what the report covers: a decision-maker
        relies on it to know which events can be in it. A source dated after
        the report cannot have been used for it; contradictory dates make the
        whole report look unreliable in court.
        """,
        example=(yaml_in("report.yaml", "date: 2026-03-01\nreference_period: {start: 2024-09-01, end: 2026-04-30}\n"),),
        fix="Correct the date that is wrong; the message names the two dates that disagree.",
        fixed=(yaml_in("report.yaml", "date: 2026-03-01\nreference_period: {start: 2024-09-01, end: 2026-01-31}\n"),),
    ),
)
def inconsistent_dates(ctx: Context) -> Iterator[Finding]:
    r = ctx.report.report
    doc = ctx.report.report_doc
    if r is not None and doc is not None:
        rp = r.reference_period
        if rp.start > rp.end:
            line, col = doc.pos(("reference_period", "start"))
            yield Finding(doc.file, line, col, f"reference period starts ({rp.start}) after it ends ({rp.end})")
        if rp.end > r.date:
            line, col = doc.pos(("reference_period", "end"))
            yield Finding(doc.file, line, col, f"reference period ends ({rp.end}) after the report date ({r.date})")
        cutoff = r.information_cutoff
        if cutoff is not None and cutoff > r.date:
            line, col = doc.pos(("information_cutoff",))
            yield Finding(doc.file, line, col, f"information cut-off ({cutoff}) is after the report date ({r.date})")
        elif cutoff is not None and cutoff < rp.start:
            line, col = doc.pos(("information_cutoff",))
            msg = f"information cut-off ({cutoff}) is before the reference period starts ({rp.start})"
            yield Finding(doc.file, line, col, msg)
        if r.previous is not None and r.previous >= r.date:
            line, col = doc.pos(("previous",))
            yield Finding(doc.file, line, col, f"previous report ({r.previous}) is not before this one ({r.date})")
    report_date = r.date if r is not None else None
    for s in ctx.report.sources:
        issued = date_of(s.source.issued)
        accessed = date_of(s.source.accessed)
        if issued and accessed and accessed < issued and _precise(s.source.issued):
            line, col = s.pos("accessed")
            yield Finding(s.file, line, col, f"{s.label} was accessed ({accessed}) before it was issued ({issued})")
        if report_date and issued and issued > report_date:
            line, col = s.pos("issued")
            yield Finding(s.file, line, col, f"{s.label} is issued ({issued}) after the report date ({report_date})")
        if report_date and accessed and accessed > report_date:
            line, col = s.pos("accessed")
            yield Finding(
                s.file,
                line,
                col,
                f"{s.label} was accessed ({accessed}) after the report date ({report_date})",
            )
    tor = ctx.report.tor
    tdoc = ctx.report.tor_doc
    if tor is not None and tdoc is not None and report_date and tor.date > report_date:
        line, col = tdoc.pos(("date",))
        yield Finding(tdoc.file, line, col, f"ToR date ({tor.date}) is after the report date ({report_date})")


def _precise(value: object) -> bool:
    """Only a full date can be compared day by day with 'accessed'."""
    import datetime as dt

    return isinstance(value, dt.date)
