"""AB111: in a report that keeps an archive, a public source without a copy
and a confidential source without an archive reference; a warning in a
concept, an error from intern-review on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.report_kit import REPORT_YAML, SOURCES_YAML

# an empty WARC file is enough to say the report keeps an archive
WARC = "archive/eerder-20260101T000000Z.warc"


def ab111(report) -> list:
    return [d for d in report.check() if d.code == "AB111"]


def test_a_report_without_an_archive_is_not_asked_for_copies(report):
    assert ab111(report) == []


def test_both_kinds_at_their_place_as_warnings_in_a_concept(report):
    report.write(WARC, "")
    hrw, vb = ab111(report)
    assert (Path(hrw.file).name, hrw.line, hrw.column, hrw.severity.value) == ("sources.yaml", 1, 3, "warning")
    assert "source hrw-2025 has no archived copy" in hrw.message and "--add hrw-2025 FILE" in hrw.message
    internal = SOURCES_YAML.splitlines().index("  internal:") + 1
    assert (vb.line, vb.column, vb.severity.value) == (internal, 3, "warning")
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
    report.write(WARC, "")
    assert [d.severity.value for d in ab111(report)] == ["error", "error"]


def test_a_copy_and_a_reference_clear_it(report):
    import hashlib

    report.write("archive/hrw-2025.pdf", b"%PDF-1.4 kopie\n")
    sha = hashlib.sha256(b"%PDF-1.4 kopie\n").hexdigest()
    text = SOURCES_YAML.replace(
        "  accessed: 2025-02-03\n",
        f"  accessed: 2025-02-03\n  archive: {{file: archive/hrw-2025.pdf, sha256: {sha}}}\n",
    ).replace(
        "    who: medewerker VN-organisatie, Genève\n",
        "    who: medewerker VN-organisatie, Genève\n    archief: AMB-TL/2025/1104\n",
    )
    report.write("sources.yaml", text, dedent_text=False)
    report.write(WARC, "")
    assert report.codes() == []


def test_a_recorded_warc_copy_also_means_the_report_keeps_an_archive(report):
    """Even with the archive kept elsewhere (--archive-dir), a source that
    records a WARC copy turns the rule on."""
    report.write("elders/hrw-2025.warc.gz", b"x")
    import hashlib

    sha = hashlib.sha256(b"x").hexdigest()
    text = SOURCES_YAML.replace(
        "  accessed: 2025-02-03\n",
        f"  accessed: 2025-02-03\n  archive: {{file: elders/hrw-2025.warc.gz, sha256: {sha}}}\n",
    )
    report.write("sources.yaml", text, dedent_text=False)
    [vb] = ab111(report)
    assert "archive reference" in vb.message


def test_shared_bibliography_sources_are_not_asked_for(report):
    report.write(WARC, "")
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
    assert {d.line for d in ab111(report)} == {1, SOURCES_YAML.splitlines().index("  internal:") + 1}
