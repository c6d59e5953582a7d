"""AB103 (footnote cites nothing) and AB107 (footnote labels: twice, undefined, unused)."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import CHAPTER, INTRO

HEAD = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1 1.2"}

Een vertrouwelijke bron en HRW bevestigden dit.[@vb-2025-11-04; @hrw-2025]

"""
FIRST = 7
OTHER = "chapters/03-mensenrechten.md"


def chapter(report, body: str, name: str = CHAPTER) -> None:
    report.chapter(HEAD + body, name)


# --- AB103 --------------------------------------------------------------------


def test_ab103_inline_note_without_citation(report):
    chapter(report, "Er waren verkiezingen [@hrw-2025] in maart.^[Een opmerking.]\n")
    d = report.expect("AB103", CHAPTER, FIRST, 44)
    assert d.severity.value == "warning"


def test_ab103_reference_note_without_citation(report):
    chapter(report, "Er waren verkiezingen.[@hrw-2025][^1]\n\n[^1]: Een opmerking zonder bron.\n")
    d = report.expect("AB103", CHAPTER, FIRST + 2, 1)
    assert "[^1]" in d.message


@pytest.mark.parametrize(
    "body",
    [
        "Er waren verkiezingen.^[Zie [@hrw-2025, p. 3].]\n",
        "Er waren verkiezingen.[^1]\n\n[^1]: Zie [@hrw-2025].\n",
        "Er waren verkiezingen.[^1]\n\n[^1]: Een opmerking.\n\n    Zie ook [@hrw-2025].\n",
    ],
)
def test_ab103_notes_that_cite_pass(report, body):
    chapter(report, body)
    report.expect_none()


@pytest.mark.parametrize(
    "body",
    [
        "::: geen-bron\nAlgemeen bekend.^[Een opmerking.]\n:::\n",
        "::: intern\nNavragen.[^x]\n\n[^x]: Bij de ambassade.\n:::\n",
        "::: geen-bron\nAlgemeen bekend.[^x]\n:::\n\n[^x]: Een opmerking.\n",
    ],
)
def test_ab103_exempt_blocks(report, body):
    chapter(report, body)
    report.expect_none("AB103")


def test_ab103_not_in_claims_false_chapter(report):
    report.write(INTRO, "---\nclaims: false\n---\n\n# Inleiding\n\nTekst.^[Een opmerking.]\n")
    report.expect_none()


def test_ab103_note_in_a_heading(report):
    chapter(report, "## Kop^[Een opmerking.]\n\nTekst.[@hrw-2025]\n")
    report.expect("AB103", CHAPTER, FIRST, 7)


# --- AB107 --------------------------------------------------------------------


def test_ab107_defined_twice(report):
    chapter(report, "Tekst.[^1]\n\n[^1]: Zie [@hrw-2025].\n[^1]: Zie ook [@hrw-2025].\n")
    d = report.expect("AB107", CHAPTER, FIRST + 3, 1)
    assert "defined twice" in d.message and f"line {FIRST + 2}" in d.message


def test_ab107_used_but_not_defined(report):
    chapter(report, "Tekst [@hrw-2025] en meer.[^2]\n")
    d = report.expect("AB107", CHAPTER, FIRST, 27)
    assert "used but not defined" in d.message


def test_ab107_defined_but_never_used(report):
    chapter(report, "Tekst.[@hrw-2025]\n\n[^ongebruikt]: Zie [@hrw-2025].\n")
    d = report.expect("AB107", CHAPTER, FIRST + 2, 1)
    assert "never used" in d.message


def test_ab107_passes(report):
    chapter(report, "Tekst.[^a] Meer.[^b]\n\n[^a]: Zie [@hrw-2025].\n[^b]: Zie [@hrw-2025].\n")
    report.expect_none()


def test_ab107_labels_are_per_chapter(report):
    # the same label in two chapters: two notes, both fine
    chapter(report, "Tekst.[^1]\n\n[^1]: Zie [@hrw-2025].\n")
    report.write(OTHER, "# Mensenrechten\n\nTekst.[^1]\n\n[^1]: Zie [@hrw-2025].\n")
    report.expect_none()


def test_ab107_definition_in_another_chapter_does_not_count(report):
    chapter(report, "Tekst.[@hrw-2025][^1]\n")
    report.write(OTHER, "# Mensenrechten\n\nTekst.[@hrw-2025]\n\n[^1]: Zie [@hrw-2025].\n")
    diags = [d for d in report.check() if d.code == "AB107"]
    assert {(d.file.rsplit("/", 1)[-1], d.line, d.column) for d in diags} == {
        ("02-politiek.md", FIRST, 18),
        ("03-mensenrechten.md", 5, 1),
    }


def test_ab107_reference_in_code_is_not_a_reference(report):
    chapter(report, "Schrijf `[^1]` voor een noot.[@hrw-2025]\n")
    report.expect_none()


def test_notes_through_the_cli(report):
    chapter(report, "Tekst.[@hrw-2025][^9]\n")
    code, out, _ = report.cli_json("--strict", report.rel)
    assert code == 1
    assert [(d["code"], d["line"], d["column"]) for d in out["diagnostics"]] == [("AB107", FIRST, 18)]
