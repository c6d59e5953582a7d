"""The base fixture every other test varies: a valid report, no findings."""

from ambtsbericht_build.check import REGISTRY


def test_base_report_has_no_findings(report):
    assert report.check() == []


def test_base_report_through_the_cli(report):
    code, out, _ = report.cli_json("--strict", report.rel)
    assert code == 0
    assert out == {"version": 1, "diagnostics": [], "summary": {"errors": 0, "warnings": 0}}


def test_every_spec_code_is_registered():
    spec = {
        "AB001",
        "AB002",
        "AB003",
        "AB101",
        "AB102",
        "AB103",
        "AB104",
        "AB105",
        "AB106",
        "AB107",
        "AB201",
        "AB202",
        "AB203",
        "AB301",
        "AB401",
        "AB402",
        "AB403",
        "AB404",
        "AB501",
        "AB502",
    }
    assert spec <= set(REGISTRY)
