"""GitLab code quality (``--format gitlab``): the Code Climate subset GitLab
reads, one issue per finding, with fingerprints that are stable across runs
and edits above a finding, and unique within one report."""

from __future__ import annotations

import json

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.output.codequality import render_codequality

REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def test_nothing_for_a_clean_report():
    assert json.loads(render_codequality(Diagnostics())) == []


def test_issue_fields_and_severities(tmp_path):
    diags = Diagnostics()
    diags.error("AB101", tmp_path / "a.md", 7, 3, "paragraph cites no source")
    diags.warning("AB105", tmp_path / "s.yaml", 0, 0, "source x is never cited")
    issues = json.loads(render_codequality(diags, cwd=tmp_path))
    assert [set(i) >= REQUIRED for i in issues] == [True, True]
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("AB101", "blocker", {"path": "a.md", "lines": {"begin": 7}}),
        ("AB105", "minor", {"path": "s.yaml", "lines": {"begin": 1}}),  # a whole-file finding: line 1
    ]
    assert issues[0]["description"] == "AB101: paragraph cites no source"


def test_fingerprints_unique_and_independent_of_the_line(tmp_path):
    def issues(*lines: int) -> list[str]:
        diags = Diagnostics()
        for line in lines:
            diags.error("AB101", tmp_path / "a.md", line, 1, "paragraph cites no source")
        return [i["fingerprint"] for i in json.loads(render_codequality(diags, cwd=tmp_path))]

    assert len(set(issues(3, 9, 12))) == 3
    assert issues(3, 9, 12) == issues(5, 11, 14)  # lines moved by an edit above: the same issues


def test_real_output(bad_report, abuild, workdir, findings):
    proc = abuild("check", "--format", "gitlab", "reports/bad", cwd=workdir)
    assert proc.returncode == 1
    issues = json.loads(proc.stdout)
    assert len(issues) == len(findings("reports/bad")) > 10
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all((workdir / i["location"]["path"]).exists() for i in issues)
    assert {i["severity"] for i in issues} == {"blocker", "minor"}
