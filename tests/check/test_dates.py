"""AB501: the report's dates tell one consistent story."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import REPORT_YAML, SOURCES_YAML, TOR_YAML


def set_report(report, old: str, new: str) -> None:
    assert old in REPORT_YAML
    report.write("report.yaml", REPORT_YAML.replace(old, new))


def test_dates_pass(report):
    set_report(report, "status: concept", "status: concept\nprevious: 2024-08-15")
    report.expect_none()


def test_ab501_reference_period_ends_after_report_date(report):
    set_report(report, "end: 2026-01-31", "end: 2026-04-30")
    d = report.expect("AB501", "report.yaml", 6, 39)
    assert d.message == "reference period ends (2026-04-30) after the report date (2026-03-01)"


def test_ab501_reference_period_ending_on_the_report_date_passes(report):
    set_report(report, "end: 2026-01-31", "end: 2026-03-01")
    report.expect_none()


def test_ab501_reference_period_starts_after_it_ends(report):
    set_report(
        report,
        "reference_period: {start: 2024-09-01, end: 2026-01-31}",
        "reference_period:\n  start: 2026-02-01\n  end: 2026-01-31",
    )
    d = report.expect("AB501", "report.yaml", 7, 3)
    assert "starts (2026-02-01) after it ends" in d.message


def test_ab501_previous_report_not_before_this_one(report):
    set_report(report, "status: concept", "status: concept\nprevious: 2026-03-01")
    report.expect("AB501", "report.yaml", 8, 1)


@pytest.mark.parametrize(
    "old, new, key_line, words",
    [
        ("accessed: 2025-02-03", "accessed: 2025-01-10", 7, "accessed (2025-01-10) before it was issued"),
        (
            "issued: 2025-01-16\n  URL: https://www.hrw.org/world-report/2025/testland\n  accessed: 2025-02-03",
            "issued: 2026-03-01\n  URL: https://www.hrw.org/world-report/2025/testland\n  accessed: 2026-03-01",
            None,
            None,
        ),
        ("issued: 2025-11-04", "issued: 2026-05-01", 12, "issued (2026-05-01) after the report date"),
        ("accessed: 2025-02-03", "accessed: 2026-03-02", 7, "accessed (2026-03-02) after the report date"),
    ],
)
def test_ab501_source_dates(report, old, new, key_line, words):
    report.write("sources.yaml", SOURCES_YAML.replace(old, new, 1))
    if key_line is None:  # issued and accessed on the report date itself: fine
        report.expect_none()
        return
    d = report.expect("AB501", "sources.yaml", key_line, 3)
    assert words in d.message


def test_ab501_year_only_issued_is_not_compared_day_by_day(report):
    report.write(
        "sources.yaml",
        SOURCES_YAML.replace("issued: 2025-01-16", "issued: 2025", 1).replace(
            "accessed: 2025-02-03", "accessed: 2025-01-01", 1
        ),
    )
    report.expect_none()


def test_ab501_tor_date_after_report_date(report):
    report.write("tor.yaml", TOR_YAML.replace("date: 2025-06-10", "date: 2026-06-10"))
    d = report.expect("AB501", "tor.yaml", 3, 1)
    assert "ToR date (2026-06-10) is after the report date (2026-03-01)" == d.message


def test_dates_through_the_cli(report):
    set_report(report, "end: 2026-01-31", "end: 2026-04-30")
    code, out, _ = report.cli_json(report.rel)
    assert code == 1
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in out["diagnostics"]] == [
        ("AB501", f"{report.rel}/report.yaml", 6, 39)
    ]


@pytest.mark.parametrize(
    ("cutoff", "message"),
    [
        ("2026-03-02", "information cut-off (2026-03-02) is after the report date (2026-03-01)"),
        ("2024-08-31", "information cut-off (2024-08-31) is before the reference period starts (2024-09-01)"),
    ],
)
def test_ab501_information_cutoff_outside_the_report(report, cutoff, message):
    set_report(report, "status: concept", f"status: concept\ninformation_cutoff: {cutoff}")
    d = report.expect("AB501", "report.yaml", REPORT_YAML.splitlines().index("status: concept") + 2, 1)
    assert d.message == message


@pytest.mark.parametrize("cutoff", ["2024-09-01", "2026-02-15", "2026-03-01"])
def test_ab501_information_cutoff_within_the_report_passes(report, cutoff):
    set_report(report, "status: concept", f"status: concept\ninformation_cutoff: {cutoff}")
    report.expect_none()
