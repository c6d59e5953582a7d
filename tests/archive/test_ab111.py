"""AB111, in every report (issue #15): a public source with a URL and no
archived copy, the shared bibliography's too, and a confidential source
without an archive reference; a warning in a concept, an error from
intern-review on. The base report of the kit has its copy and its reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.report_kit import ARCHIVED_LINE, REPORT_YAML, SOURCES_YAML

# the kit's sources without the copy of hrw-2025 and the reference of the confidential source
UNARCHIVED = SOURCES_YAML.replace(ARCHIVED_LINE, "\n").replace("    archief: AMB-TL/2025/1104\n", "")
INTERNAL_LINE = UNARCHIVED.splitlines().index("  internal:") + 1


def ab111(report) -> list:
    return [d for d in report.check() if d.code == "AB111"]


def test_the_base_report_has_its_copy_and_its_reference(report):
    assert ab111(report) == []


def test_both_kinds_at_their_place_as_warnings_in_a_concept_without_any_archive(report):
    """No archive directory, no WARC file anywhere: asked all the same."""
    report.write("sources.yaml", UNARCHIVED, dedent_text=False)
    report.remove("archive/hrw-2025.html")
    report.path("archive").rmdir()
    hrw, vb = ab111(report)
    assert (Path(hrw.file).name, hrw.line, hrw.column, hrw.severity.value) == ("sources.yaml", 1, 3, "warning")
    assert "source hrw-2025 has no archived copy" in hrw.message and "--add hrw-2025 FILE" in hrw.message
    assert (vb.line, vb.column, vb.severity.value) == (INTERNAL_LINE, 3, "warning")
    assert "names no archive reference" in vb.message and "vb-2025" not in vb.message  # its key is not shown


@pytest.mark.parametrize(
    "report_yaml",
    [
        REPORT_YAML.replace("status: concept", "status: review")
        + "review:\n  - {step: intern-review, date: 2026-02-10, by: A. de Vries, commit: 3f9c2e1}\n",
        REPORT_YAML.replace("status: concept", "status: review")
        + "review:\n  - {step: intern-review, date: 2026-02-10, by: A. de Vries, commit: 3f9c2e1}\n"
        + "  - {step: jenv-review, date: 2026-02-20, by: B. Jansen, commit: 3f9c2e1}\n",
    ],
)
def test_errors_from_intern_review_on(report, report_yaml):
    report.write("report.yaml", report_yaml, dedent_text=False)
    report.write("sources.yaml", UNARCHIVED, dedent_text=False)
    assert [d.severity.value for d in ab111(report)] == ["error", "error"]


def test_a_source_without_a_url_is_not_asked_for_a_copy(report):
    report.write("sources.yaml", UNARCHIVED.replace("  URL: https://www.hrw.org/world-report/2025/testland\n", ""))
    assert [d.line for d in ab111(report)] == [INTERNAL_LINE - 1]


def test_shared_bibliography_sources_are_asked_for_too(report):
    report.write_root(
        "bibliography/gedeeld.yaml",
        """
        - id: vn-1951
          type: legislation
          title: Verdrag betreffende de status van vluchtelingen
          issued: 1951-07-28
          URL: https://www.unhcr.org/1951-convention
          accessed: 2025-01-01
        """,
    )
    [d] = ab111(report)
    assert (Path(d.file).name, d.line, d.severity.value) == ("gedeeld.yaml", 1, "warning")
    assert "source vn-1951 has no archived copy" in d.message and "bibliography/archive/" in d.message
