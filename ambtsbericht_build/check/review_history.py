"""Review-history rules: the path to vaststelling in report.yaml is kept in
order, and the status agrees with it (review/history.py has the logic)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..review.history import problems
from . import Context, Finding, RuleDoc, rule, yaml_in

_SIGNED = """\
review:
  - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
  - {step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}
  - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
"""


def _findings(ctx: Context, code: str) -> Iterator[Finding]:
    r, doc = ctx.report.report, ctx.report.report_doc
    if r is None or doc is None:
        return
    for p in problems(r):
        if p.code != code:
            continue
        line, col = doc.pos(("status",) if p.index is None else ("review", p.index, p.key))
        yield Finding(doc.file, line, col, p.message)


@rule(
    "AB503",
    Severity.WARNING,
    "report is vastgesteld or gepubliceerd but records no review history",
    RuleDoc(
        finds="""
        A report whose status is `vastgesteld` or `gepubliceerd` while its
        `review` list records none of the steps of the path to vaststelling
        (`intern-review`, `jenv-review`, `vastgesteld`, `gepubliceerd`).
        """,
        why="""
        The history says who reviewed which text and who adopted it. A report
        adopted before abuild kept it elsewhere, so it is accepted with this
        warning; a report adopted with abuild records every step with
        `abuild status --advance`, and then nobody has to ask who signed it.
        """,
        example=(yaml_in("report.yaml", "status: vastgesteld\n"),),
        fix="""
        Record the steps the report went through (date, role, name, the
        commit reviewed), or leave the warning for a report adopted before
        abuild: its next edition records its steps with
        `abuild status --advance`.
        """,
        fixed=(yaml_in("report.yaml", "status: vastgesteld\n" + _SIGNED),),
    ),
)
def adopted_without_history(ctx: Context) -> Iterator[Finding]:
    return _findings(ctx, "AB503")


@rule(
    "AB504",
    Severity.ERROR,
    "review step out of order, repeated, unsigned or dated back, or a status that disagrees with the last step",
    RuleDoc(
        finds="""
        In the `review` list of report.yaml: a step of the path to
        vaststelling recorded out of order (the order is `intern-review`,
        `jenv-review`, `vastgesteld`, `gepubliceerd`, none skipped), recorded
        twice, dated before the step it follows, or not signed off (no
        `by`); or a `status` that disagrees with the last step (after
        `vastgesteld` the status is `vastgesteld`; a final status needs its
        step recorded).
        """,
        why="""
        The history is the evidence that the text was reviewed before it was
        adopted. A skipped or repeated step, or a status set by hand past the
        history, means the report claims a review that is not on record.
        """,
        example=(
            yaml_in(
                "report.yaml",
                """
                status: vastgesteld
                review:
                  - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
                  - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
                """,
            ),
        ),
        fix="""
        Record the missing step, or set the status back to what the last
        step allows. `abuild status REPORT` says where the report stands;
        `abuild status REPORT --advance STEP --by NAME` records a step only
        when it is the next one.
        """,
        fixed=(yaml_in("report.yaml", "status: vastgesteld\n" + _SIGNED),),
    ),
)
def history_out_of_order(ctx: Context) -> Iterator[Finding]:
    return _findings(ctx, "AB504")
