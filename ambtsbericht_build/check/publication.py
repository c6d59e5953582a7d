"""Publication rules: a final report carries no drafting leftovers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..load.markdown import is_intern
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in

_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")


@rule(
    "AB502",
    Severity.ERROR,
    "TODO/FIXME marker or `::: intern` block in a report whose status is vastgesteld or gepubliceerd",
    RuleDoc(
        finds="""
        In a report whose status is `vastgesteld` or `gepubliceerd`: a
        `TODO`, `FIXME` or `XXX` anywhere in a chapter (HTML comments
        included), and every `::: intern` block.
        """,
        why="""
        An established report is the text that was reviewed and that courts
        will quote. A `TODO` means a question was still open when it was
        established. An `::: intern` note between drafters is never rendered,
        but it stays in the established text, where a contact's name or a
        drafter's doubt does not belong.
        """,
        example=(
            yaml_in("report.yaml", "status: vastgesteld\n"),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025] <!-- TODO: opkomst -->
            """),
        ),
        fix="""
        Resolve the markers and remove the `::: intern` blocks, or set the
        status back to `concept` or `review` while work remains.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025]
            """),
            # the history a vastgesteld report records (AB503)
            yaml_in(
                "report.yaml",
                """
                status: vastgesteld
                review:
                  - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
                  - {step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}
                  - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
                """,
            ),
        ),
    ),
)
def drafting_leftovers(ctx: Context) -> Iterator[Finding]:
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
            if is_intern(d.attrs.classes):
                yield Finding(lc.file, d.line, d.column, f"::: intern block in a {r.status.value} report")


# the history a vastgesteld report records (AB503), in the examples below
_SIGNED = """\
review:
  - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
  - {step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}
  - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
"""

# the colofon's rows a report may leave out while drafting (render/colofon.py
# leaves a missing one out of every format): key in report.yaml, the row
COLOFON_FIELDS = (("place", "Plaats"), ("responsible_unit", "Verantwoordelijke afdeling"))


@rule(
    "AB505",
    Severity.WARNING,
    "report.yaml lacks a field the colofon of a published report prints (place, responsible_unit)",
    RuleDoc(
        finds="""
        A report.yaml without `place` or without `responsible_unit` (or with
        one left empty): the colofon rows "Plaats" and "Verantwoordelijke
        afdeling". A warning while the status is `concept` or `review`; an
        error once it is `vastgesteld` or `gepubliceerd`.
        """,
        why="""
        The colofon says where and by which unit the report was drawn up;
        IND decision makers and courts cite it. A missing field leaves its
        row out of every format without a word, so nobody notices the gap
        until the report is published.
        """,
        example=(yaml_in("report.yaml", "status: vastgesteld\nplace:\n" + _SIGNED),),
        fix="""
        Write the place of issue and the responsible unit in report.yaml:
        `place: Den Haag` and `responsible_unit: Directie Sociale en
        Culturele Zaken, Afdeling Ambtsberichten`.
        """,
        fixed=(
            yaml_in(
                "report.yaml",
                "status: vastgesteld\nplace: Den Haag\n"
                "responsible_unit: Directie Sociale en Culturele Zaken, Afdeling Ambtsberichten\n" + _SIGNED,
            ),
        ),
    ),
)
def missing_colofon_fields(ctx: Context) -> Iterator[Finding]:
    r, doc = ctx.report.report, ctx.report.report_doc
    if r is None or doc is None:
        return
    severity = Severity.ERROR if r.status.final else Severity.WARNING
    for key, row in COLOFON_FIELDS:
        if getattr(r, key):
            continue
        # at the key when it is there but empty, else at the status that asks for it
        line, col = doc.pos((key,) if (key,) in doc.positions.keys else ("status",))
        need = f"a {r.status.value} report needs it" if r.status.final else "a vastgesteld report needs it"
        yield Finding(
            doc.file,
            line,
            col,
            f"report.yaml gives no {key}: the colofon's row '{row}' is left out ({need}; write '{key}: ...')",
            severity,
        )
