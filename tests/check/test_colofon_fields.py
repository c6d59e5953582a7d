"""AB505: a colofon field a published report needs (place, responsible_unit)
is flagged in report.yaml: a warning while drafting, an error once the
report is vastgesteld, at the place a drafter edits."""

from __future__ import annotations

import re

import pytest

from ambtsbericht_build.diagnostics import Severity
from tests.fixtures.report_kit import REPORT_YAML

SIGNED = """\
review:
  - {step: intern-review, date: 2026-02-10, role: collegiaal toetser, by: A. de Vries, commit: 3f9c2e1}
  - {step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}
  - {step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}
"""


def _without(*keys: str) -> str:
    return "".join(line for line in REPORT_YAML.splitlines(keepends=True) if line.split(":")[0] not in keys)


@pytest.mark.parametrize(
    ("status", "severity"),
    [("concept", Severity.WARNING), ("review", Severity.WARNING), ("vastgesteld", Severity.ERROR)],
)
def test_missing_colofon_fields_by_status(report, status, severity):
    text = _without("place", "responsible_unit").replace("status: concept", f"status: {status}")
    if status == "vastgesteld":
        text += SIGNED
    report.write("report.yaml", text, dedent_text=False)
    found = [d for d in report.check() if d.code == "AB505"]
    assert [d.severity for d in found] == [severity, severity]
    assert ["place" in found[0].message, "responsible_unit" in found[1].message] == [True, True]
    status_line = text.splitlines().index(f"status: {status}") + 1
    assert {(d.line, d.column) for d in found} == {(status_line, 1)}, "at the status that asks for the fields"
    assert "'Plaats'" in found[0].message and "write 'place: ...'" in found[0].message


def test_an_empty_field_is_flagged_at_its_key(report):
    text = REPORT_YAML.replace("place: Den Haag", "place:")
    report.write("report.yaml", text, dedent_text=False)
    (d,) = [d for d in report.check() if d.code == "AB505"]
    assert (d.line, d.column) == (text.splitlines().index("place:") + 1, 1)


def test_a_complete_report_is_not_flagged(report):
    assert not [d for d in report.check() if d.code == "AB505"]


def test_a_vastgesteld_report_without_place_is_not_rendered(report):
    from ambtsbericht_build.render.pipeline import RenderOptions, render_report

    text = _without("place").replace("status: concept", "status: vastgesteld") + SIGNED
    report.write("report.yaml", text, dedent_text=False)
    result = render_report(report.dir, RenderOptions(formats=("html",), out_dir=report.root / "out"))
    assert result.refused
    assert any(re.search(r"AB505", str(d)) for d in result.diagnostics)
