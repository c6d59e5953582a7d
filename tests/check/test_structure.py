"""AB004: fenced divs are closed."""

from __future__ import annotations

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD

LINE = CHAPTER_MD.count("\n") + 2


def test_ab004_unclosed_geen_bron(report):
    report.chapter(CHAPTER_MD + "\n::: geen-bron\nEen opmerking over de methode.\n\nNog een alinea zonder bron.\n")
    d = report.expect("AB004", CHAPTER, LINE, 1)
    assert "never closed" in d.message


def test_ab004_nested_unclosed_reports_each_open_fence(report):
    report.chapter(CHAPTER_MD + '\n::: {tor="1.2"}\n::: intern\nNotitie.\n')
    codes = [(d.code, d.line) for d in report.check() if d.code == "AB004"]
    assert codes == [("AB004", LINE), ("AB004", LINE + 1)]


def test_ab004_closed_divs_pass(report):
    report.chapter(CHAPTER_MD + "\n::: geen-bron\nEen opmerking over de methode.\n:::\n")
    assert not [d for d in report.check() if d.code == "AB004"]
