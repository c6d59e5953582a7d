"""``abuild check FILE ...``: files map to the reports they concern (what a
pre-commit hook passes), so a drafter's commit is checked, not the world."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from ambtsbericht_build.cli import main
from tests.fixtures.report_kit import REPORT_YAML, make_report


def _two_reports(base: Path) -> Path:
    """reports/testland (clean) and reports/bland (one AB501 error)."""
    rd = make_report(base)
    shutil.copytree(rd.dir, rd.root / "reports" / "bland")
    (rd.root / "reports" / "bland" / "report.yaml").write_text(
        REPORT_YAML.replace("end: 2026-01-31", "end: 2026-04-30"), encoding="utf-8"
    )
    (rd.root / "bibliography").mkdir()
    (rd.root / "bibliography" / "gedeeld.yaml").write_text("[]\n", encoding="utf-8")
    (rd.root / "README.md").write_text("# repo\n", encoding="utf-8")
    return rd.root


def _check(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    data = json.loads(result.output)
    return result.exit_code, [f"{d['file']}:{d['code']}" for d in data["diagnostics"]]


def test_a_file_in_a_report_checks_that_report(tmp_path, monkeypatch):
    monkeypatch.chdir(_two_reports(tmp_path))
    assert _check(["reports/testland/chapters/02-politiek.md", "reports/testland/sources.yaml"]) == (0, [])
    assert _check(["reports/bland/report.yaml"]) == (1, ["reports/bland/report.yaml:AB501"])


def test_a_shared_bibliography_file_checks_every_report(tmp_path, monkeypatch):
    monkeypatch.chdir(_two_reports(tmp_path))
    assert _check(["bibliography/gedeeld.yaml"]) == (1, ["reports/bland/report.yaml:AB501"])


def test_each_report_is_checked_once_whatever_the_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(_two_reports(tmp_path))
    args = ["reports/bland/report.yaml", "reports/bland", "./reports/bland/chapters/02-politiek.md"]
    assert _check(args) == (1, ["reports/bland/report.yaml:AB501"])


def test_a_file_in_no_report_is_still_a_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(_two_reports(tmp_path))
    code, found = _check(["README.md"])
    assert (code, found) == (1, ["README.md:AB003"])
