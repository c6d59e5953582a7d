"""A preview build is the render's: the same refusal on a confidentiality
finding (no page; the finding named, never the value), the same
confidential-source handling in a page that is built."""

from __future__ import annotations

from ambtsbericht_build.preview.build import build_page
from ambtsbericht_build.preview.page import preview_page
from tests.fixtures.report_kit import CHAPTER_MD

SECRET = "medewerker VN-organisatie, Genève"  # sources.yaml: internal.who of vb-2025-11-04


def test_confidential_source_prints_as_the_render_prints_it(report):
    b = build_page(report.dir, 5 << 20)
    assert b.html is not None and not b.problem and not b.findings
    assert "Vertrouwelijke bron, 4" in b.html
    assert "vb-2025-11-04" not in b.html and "medewerker" not in b.html and "Genève" not in b.html


def test_a_leaked_internal_value_gives_no_page_and_is_never_shown(report):
    good = build_page(report.dir, 5 << 20).html
    report.chapter(CHAPTER_MD + f"\nVolgens een {SECRET} was het onrustig.[@hrw-2025]\n")
    b = build_page(report.dir, 5 << 20)
    assert b.html is None
    assert "confidentiality finding" in b.problem
    codes = [d.code for d in b.findings]
    assert "AB302" in codes
    page = preview_page(good, 2, b.findings, b.problem, b.anchors)
    assert "AB302" in page and "Geen nieuw voorbeeld" in page
    assert "medewerker" not in page and "Genève" not in page and "onrustig" not in page


def test_half_written_sources_give_no_page(report):
    """A bibliography that cannot be read may hide a confidential source:
    no page, whatever the status (the render's unread-sources refusal)."""
    text = report.path("sources.yaml").read_text(encoding="utf-8")
    report.write("sources.yaml", text[: text.index("Human Rights") + 3], dedent_text=False)  # a save cut short
    b = build_page(report.dir, 5 << 20)
    assert b.html is None and b.problem
    assert any(d.file.endswith("sources.yaml") and d.line > 0 for d in b.findings)


def test_a_finding_that_quotes_a_secret_is_shown_without_the_quote(report):
    """AB102 quotes the sentence after a paragraph's last citation; when that
    sentence holds an internal value, the panel names the finding by its
    rule, never with the quote (the page is audited, so is its panel)."""
    good = build_page(report.dir, 5 << 20).html
    report.chapter(CHAPTER_MD + f"\nHet was onrustig.[@hrw-2025] Volgens een {SECRET} bleef het zo.\n")
    b = build_page(report.dir, 5 << 20)
    assert b.html is None
    assert {"AB102", "AB302"} <= {d.code for d in b.findings}
    page = preview_page(good, 2, b.findings, b.problem, b.anchors)
    assert "AB102" in page
    assert "medewerker" not in page and "Genève" not in page and "bleef het zo" not in page
