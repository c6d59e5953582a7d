"""AB104 (citation key not in the bibliography) and AB105 (source never cited)."""

from __future__ import annotations

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD

SHARED = """\
- id: vn-1951
  type: legislation
  author: [{literal: Verenigde Naties}]
  title: Verdrag betreffende de status van vluchtelingen
  issued: 1951-07-28
"""

EXTRA = """\
- id: extra-2025
  type: report
  author: [{literal: Amnesty International}]
  title: Testland 2025
  issued: 2025-05-01
"""


# --- AB104 --------------------------------------------------------------------


def test_ab104_unknown_key(report):
    report.chapter(CHAPTER_MD + "\nDe oppositie boycotte de verkiezingen.[@hrw-2025; @onbekend-2024, p. 3]\n")
    d = report.expect("AB104", CHAPTER, 11, 51)
    assert d.message == "citation key @onbekend-2024 is not in the bibliography"


def test_ab104_unknown_key_in_a_note_and_bare(report):
    report.chapter(CHAPTER_MD + "\nVolgens @ghost werd het erger.^[Zie [@ook-weg].]\n")
    diags = [d for d in report.check() if d.code == "AB104"]
    assert [(d.line, d.column) for d in diags] == [(11, 9), (11, 38)]


def test_ab104_passes_for_own_and_shared_sources(report):
    report.write_root("bibliography/internationaal.yaml", SHARED)
    report.chapter(CHAPTER_MD + "\nHet verdrag geldt.[@vn-1951]\n")
    report.expect_none()


def test_ab104_no_bibliography_at_all(report):
    report.remove("sources.yaml")
    diags = [d for d in report.check() if d.code == "AB104"]
    assert [(d.line, d.column) for d in diags] == [(5, 57), (9, 86)]


def test_ab104_not_checked_while_a_bibliography_file_is_unreadable(report):
    report.write("sources.yaml", "- id: [unclosed\n")
    codes = report.codes()
    assert "AB001" in codes and "AB104" not in codes


def test_ab104_keys_in_code_are_not_citations(report):
    report.chapter(CHAPTER_MD + "\nSchrijf `[@sleutel]` voor een bron.[@hrw-2025]\n")
    report.expect_none()


def test_ab104_email_address_is_not_a_citation(report):
    report.chapter(CHAPTER_MD + "\nMail naar info@example.org voor meer.[@hrw-2025]\n")
    report.expect_none()


# --- AB105 --------------------------------------------------------------------


def test_ab105_own_source_never_cited(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    d = report.expect("AB105", "sources.yaml", 16, 3)
    assert d.severity.value == "warning"
    assert d.message == "source extra-2025 is never cited"


def test_ab105_passes_when_cited(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    report.chapter(CHAPTER_MD + "\nAmnesty bevestigde dit.[@extra-2025]\n")
    report.expect_none()


def test_ab105_shared_bibliography_is_exempt(report):
    report.write_root("bibliography/internationaal.yaml", SHARED)
    report.expect_none()


def test_ab105_explicitly_listed_file_is_not_exempt(report):
    report.write("extra.yaml", EXTRA)
    report.write(
        "report.yaml", report.path("report.yaml").read_text() + "bibliography:\n  - sources.yaml\n  - extra.yaml\n"
    )
    report.expect("AB105", "extra.yaml", 1, 3)


def test_ab105_warning_fails_only_with_strict(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    code, out, _ = report.cli_json(report.rel)
    assert code == 0 and out["summary"] == {"errors": 0, "warnings": 1}
    code, out, _ = report.cli_json("--strict", report.rel)
    assert code == 1
    d = out["diagnostics"][0]
    assert (d["code"], d["file"], d["line"], d["column"]) == ("AB105", f"{report.rel}/sources.yaml", 16, 3)
