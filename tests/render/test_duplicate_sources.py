"""A source id defined twice (AB108): the render does not guess which entry a citation means.

On main, pandoc silently printed the later entry in every footnote citing the
id; now a concept prints the citation as unresolved (with the AB108 finding on
standard error) and a final report is not rendered at all.
"""

from __future__ import annotations

import pytest

from tests.check.test_duplicate_sources import OTHER
from tests.fixtures.report_kit import SOURCES_YAML


def test_a_concept_prints_the_citation_as_unresolved(report, tmp_path):
    report.write("sources.yaml", SOURCES_YAML + OTHER)
    out = tmp_path / "out"
    proc = report.cli("render", report.rel, "--to", "html", "--out", str(out), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "AB108" in proc.stderr
    html = (out / "testland.html").read_text(encoding="utf-8")
    assert "Een andere bron" not in html  # the later entry (pandoc's silent pick)
    assert "World Report 2025" not in html  # nor the first
    # citeproc's mark for a citation it cannot resolve, under a neutral name
    # (a key in no bibliography never prints: publication-safety.md G15)
    assert "Onbekende-bron-1?" in html and "Hrw-2025?" not in html


@pytest.mark.parametrize("status", ["vastgesteld", "gepubliceerd"])
def test_a_final_report_is_not_rendered(report, tmp_path, status):
    report.write("sources.yaml", SOURCES_YAML + OTHER)
    report.write("report.yaml", report.path("report.yaml").read_text().replace("status: concept", f"status: {status}"))
    out = tmp_path / "out"
    proc = report.cli("render", report.rel, "--to", "html", "--out", str(out), timeout=300)
    assert proc.returncode == 1
    assert "AB108" in proc.stderr
    assert not (out / "testland.html").exists()
