"""AB502: no drafting leftovers in a final report."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, REPORT_YAML

LINE = CHAPTER_MD.count("\n") + 2


def final(report, status: str = "vastgesteld") -> None:
    report.write("report.yaml", REPORT_YAML.replace("status: concept", f"status: {status}"))


@pytest.mark.parametrize("status", ["vastgesteld", "gepubliceerd"])
def test_ab502_todo_in_a_final_report(report, status):
    final(report, status)
    report.chapter(CHAPTER_MD + "\nDe opkomst was 43 procent (TODO: controleren).[@hrw-2025]\n")
    d = report.expect("AB502", CHAPTER, LINE, 28)
    assert d.message == f"TODO marker in a {status} report"


@pytest.mark.parametrize(
    "text, column",
    [
        ("<!-- FIXME: bron zoeken -->", 6),
        ("Tekst.[@hrw-2025] <!-- XXX -->", 24),
    ],
)
def test_ab502_markers_in_comments_count(report, text, column):
    final(report)
    report.chapter(CHAPTER_MD + "\n" + text + "\n")
    report.expect("AB502", CHAPTER, LINE, column)


def test_ab502_intern_block_in_a_final_report(report):
    final(report)
    report.chapter(CHAPTER_MD + "\n::: intern\nNog navragen bij de ambassade.\n:::\n")
    d = report.expect("AB502", CHAPTER, LINE, 1)
    assert d.message == "::: intern block in a vastgesteld report"


@pytest.mark.parametrize("status", ["concept", "review"])
def test_ab502_drafts_may_have_leftovers(report, status):
    report.write("report.yaml", REPORT_YAML.replace("status: concept", f"status: {status}"))
    report.chapter(CHAPTER_MD + "\n::: intern\nTODO navragen.\n:::\n")
    report.expect_none()


def test_ab502_final_report_without_leftovers_passes(report):
    final(report, "gepubliceerd")
    report.chapter(CHAPTER_MD + "\nDe methode (todo-lijst) en Todo zijn gewone woorden.[@hrw-2025]\n")
    report.expect_none("AB502")  # (AB503 warns: the report records no review history)


def test_publication_through_the_cli(report):
    final(report)
    report.chapter(CHAPTER_MD + "\nTODO\n")
    code, out, _ = report.cli_json(report.rel)
    assert code == 1
    assert ("AB502", LINE, 1) in [(d["code"], d["line"], d["column"]) for d in out["diagnostics"]]
