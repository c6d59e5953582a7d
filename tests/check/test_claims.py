"""AB101 (paragraph or item cites nothing) and AB102 (sentence after the last citation)."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import CHAPTER, INTRO, PIXEL_PNG

HEAD = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1 1.2"}

Een vertrouwelijke bron en HRW bevestigden dit.[@vb-2025-11-04; @hrw-2025]

"""
FIRST = 7  # first line after HEAD


def chapter(report, body: str) -> None:
    report.chapter(HEAD + body)


# --- AB101 --------------------------------------------------------------------


def test_ab101_paragraph_without_citation(report):
    chapter(report, "Er vonden verkiezingen plaats.\nDe opkomst was laag.\n")
    d = report.expect("AB101", CHAPTER, FIRST, 1)
    assert d.message == "paragraph cites no source"


def test_ab101_passes_with_citation(report):
    chapter(report, "Er vonden verkiezingen plaats.\nDe opkomst was laag.[@hrw-2025]\n")
    report.expect_none()


def test_ab101_list_item_without_citation(report):
    chapter(report, "Verkiezingen vonden plaats.[@hrw-2025]\n\n- in het noorden [@hrw-2025]\n- in het zuiden\n")
    d = report.expect("AB101", CHAPTER, FIRST + 3, 3)
    assert d.message == "list item cites no source"


def test_ab101_nested_item_is_its_own_item(report):
    chapter(report, "- in het noorden [@hrw-2025]\n    1. in Havenstad\n- in het zuiden [@hrw-2025]\n")
    report.expect("AB101", CHAPTER, FIRST + 1, 8)


def test_ab101_indented_item_text_is_an_item_not_code(report):
    chapter(report, "1.  een [@hrw-2025]\n    - sub [@hrw-2025]\n\n        vervolg van sub zonder bron\n")
    report.expect("AB101", CHAPTER, FIRST + 3, 9)


def test_ab101_colon_paragraph_covered_by_citing_list(report):
    chapter(report, "De volgende groepen lopen risico:\n\n- journalisten [@hrw-2025]\n- advocaten [@hrw-2025]\n")
    report.expect_none()


def test_ab101_colon_item_covered_by_citing_sublist(report):
    chapter(report, "- Risicogroepen:\n    - journalisten [@hrw-2025]\n    - advocaten [@hrw-2025]\n")
    report.expect_none()


def test_ab101_colon_paragraph_not_covered_when_an_item_does_not_cite(report):
    chapter(report, "De volgende groepen lopen risico:\n\n- journalisten [@hrw-2025]\n- advocaten\n")
    diags = [d for d in report.check() if d.code == "AB101"]
    assert [(d.line, d.column) for d in diags] == [(FIRST, 1), (FIRST + 3, 3)]


def test_ab101_colon_needed_for_lead_in(report):
    chapter(report, "De volgende groepen lopen risico\n\n- journalisten [@hrw-2025]\n- advocaten [@hrw-2025]\n")
    report.expect("AB101", CHAPTER, FIRST, 1)


def test_ab101_colon_paragraph_not_followed_by_list(report):
    chapter(report, "De volgende groepen lopen risico:\n\nJournalisten en advocaten.[@hrw-2025]\n")
    report.expect("AB101", CHAPTER, FIRST, 1)


def test_ab101_list_must_follow_directly(report):
    chapter(report, "Risicogroepen:\n\n## Tussenkop\n\n- journalisten [@hrw-2025]\n")
    report.expect("AB101", CHAPTER, FIRST, 1)


def test_ab101_line_without_blank_before_is_not_a_list(report):
    # pandoc reads "- advocaten" as part of the paragraph: one paragraph, citing
    chapter(report, "Risicogroepen:\n- journalisten [@hrw-2025]\n")
    report.expect_none()


@pytest.mark.parametrize(
    "note",
    [
        "Er vonden verkiezingen plaats.^[Zie [@hrw-2025].]\n",
        "Er vonden verkiezingen plaats.[^1]\n\n[^1]: Zie [@hrw-2025, p. 3].\n",
        "Er vonden verkiezingen plaats.[^n]\n\n[^n]:\n    Zie de kaart.\n\n    En [@hrw-2025].\n",
    ],
)
def test_ab101_citation_in_a_note_counts(report, note):
    chapter(report, note)
    report.expect_none()


def test_ab101_note_without_citation_does_not_count(report):
    chapter(report, "Er vonden verkiezingen plaats.^[Een opmerking.]\n")
    report.expect("AB101", CHAPTER, FIRST, 1)


@pytest.mark.parametrize(
    "body",
    [
        "::: geen-bron\nDit is algemeen bekend.\n:::\n",
        "::: {.geen-bron}\nDit is algemeen bekend.\n\n- ook dit\n:::\n",
        ":::: geen-bron\n::: {#div-x}\nGenest in geen-bron.\n:::\n::::\n",
        "::: intern\nNog navragen bij de ambassade.\n:::\n",
        "## Dienstplicht voor vrouwen {.geen-informatie}\n\nEr is geen informatie gevonden over dienstplicht.\n\n"
        "### Subsectie\n\nOok hier niets gevonden.\n",
        "- item met bron [@hrw-2025]\n\n  ::: geen-bron\n  Uitleg in het item.\n  :::\n",
    ],
)
def test_ab101_exempt_blocks(report, body):
    chapter(report, body)
    report.expect_none("AB101")


def test_ab101_geen_informatie_section_ends_at_next_heading(report):
    chapter(report, "## Niets {.geen-informatie}\n\nEr is geen informatie gevonden.\n\n## Wel iets\n\nZonder bron.\n")
    report.expect("AB101", CHAPTER, FIRST + 6, 1)


def test_ab101_div_closes(report):
    chapter(report, "::: geen-bron\nVrijgesteld.\n:::\n\nNiet vrijgesteld.\n")
    report.expect("AB101", CHAPTER, FIRST + 4, 1)


def test_ab101_claims_false_chapter_is_exempt(report):
    report.write(INTRO, "---\nclaims: false\n---\n\n# Inleiding\n\nGeen bronnen.\n\n- ook geen bron\n")
    report.expect_none()


def test_ab101_claims_chapter_by_default(report):
    report.write(INTRO, "# Inleiding\n\nGeen bronnen.\n")
    report.expect("AB101", INTRO, 3, 1)


def test_ab101_figure_table_caption_and_code_are_not_paragraphs(report):
    report.write("media/kaart.png", PIXEL_PNG)
    chapter(
        report,
        "![Kaart van Testland](media/kaart.png){#fig-kaart}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Bijschrift zonder bron {#tbl-x}\n\n"
        "```\ncode zonder bron\n```\n\n    ingesprongen code\n",
    )
    report.expect_none()


def test_ab101_html_comment_line_does_not_split_a_paragraph(report):
    chapter(report, "Eerste regel\n<!-- opmerking -->\ntweede regel.[@hrw-2025]\n")
    report.expect_none()


def test_ab101_paragraph_in_block_quote(report):
    chapter(report, "> Een citaat zonder bron.\n")
    report.expect("AB101", CHAPTER, FIRST, 3)


# --- AB102 --------------------------------------------------------------------


def test_ab102_sentence_after_last_citation(report):
    chapter(report, "Hij werd gearresteerd [@hrw-2025]. Daarna werd hij vrijgelaten.\n")
    d = report.expect("AB102", CHAPTER, FIRST, 36)
    assert "Daarna werd hij vrijgelaten." in d.message


def test_ab102_citation_after_full_stop_covers_its_sentence_only(report):
    chapter(report, "Hij werd gearresteerd.[@hrw-2025] Daarna werd hij vrijgelaten.\n")
    report.expect("AB102", CHAPTER, FIRST, 35)


def test_ab102_on_a_later_line(report):
    chapter(report, "Hij werd gearresteerd.[@hrw-2025]\nDaarna werd hij vrijgelaten.\n")
    report.expect("AB102", CHAPTER, FIRST + 1, 1)


@pytest.mark.parametrize(
    "ending",
    [
        "Hij werd gearresteerd.[@hrw-2025]",
        "Hij werd gearresteerd [@hrw-2025].",
        "Hij werd gearresteerd [@hrw-2025; @vb-2025-11-04, p. 3].",
        "Hij werd gearresteerd (zie [](#sec-verkiezingen)).[@hrw-2025]",
        "Hij werd gearresteerd.^[Zie [@hrw-2025].]",
        "Hij werd gearresteerd.[^1]\n\n[^1]: Zie [@hrw-2025].",
    ],
)
def test_ab102_citation_at_the_end_passes(report, ending):
    chapter(report, "Een eerste zin. " + ending + "\n")
    report.expect_none()


def test_ab102_a_bare_citation_cites_its_sentence_but_is_ab110(report):
    # the sentence is sourced (no AB102); the house style wants a note (AB110)
    chapter(report, "Een eerste zin. Volgens @hrw-2025 werd hij gearresteerd.\n")
    assert [d.code for d in report.check()] == ["AB110"]


@pytest.mark.parametrize(
    "middle",
    [
        "art. 12",
        "p. 4",
        "pp. 4-5",
        "o.a. Amnesty",
        "bijv. Amnesty",
        "nr. 3",
        "e.d. Voorbeelden",
        "resp. 3",
        "J.K. Doe",
        "J. Doe",
        "1.200 Seren",
        "3.1 van het verslag",
        "Art. 5",
        "dr. Jansen",
    ],
)
def test_ab102_abbreviations_initials_and_numbers_do_not_end_a_sentence(report, middle):
    text = f"De organisatie [@hrw-2025] verwijst naar {middle} als bron."
    chapter(report, text + "\n")
    report.expect_none()
    # ... and the real sentence end after them is still found
    chapter(report, text + " Daarna volgde meer.\n")
    report.expect("AB102", CHAPTER, FIRST, len(text) + 2)


@pytest.mark.parametrize(
    "after, column",
    [
        ("'s Avonds werd hij vrijgelaten.", 36),
        ("„Dat klopt niet”, zei de minister.", 36),
        ("(Dat meldde ook de krant.)", 36),
    ],
)
def test_ab102_dutch_sentence_starts(report, after, column):
    chapter(report, "Hij werd gearresteerd [@hrw-2025]. " + after + "\n")
    report.expect("AB102", CHAPTER, FIRST, column)


@pytest.mark.parametrize(
    "middle", ["o.m. De Bruin", "d.d. 3 maart", "t.a.v. De minister", "para. 12", "ong. 300", "i.v.m. De verkiezingen"]
)
def test_ab102_more_abbreviations(report, middle):
    chapter(report, f"De organisatie [@hrw-2025] verwijst naar {middle} als bron.\n")
    report.expect_none()


def test_ab102_uncited_note_does_not_count(report):
    chapter(report, "Hij werd gearresteerd [@hrw-2025]. Daarna vrij.^[Een opmerking zonder bron.]\n")
    report.expect("AB102", CHAPTER, FIRST, 36)


def test_ab102_in_a_list_item(report):
    chapter(report, "- Hij werd gearresteerd [@hrw-2025]. Daarna vrij.\n")
    report.expect("AB102", CHAPTER, FIRST, 38)


def test_ab102_exempt_in_geen_bron(report):
    chapter(report, "::: geen-bron\nHij werd gearresteerd [@hrw-2025]. Daarna vrij.\n:::\n")
    report.expect_none()


def test_ab102_not_in_claims_false_chapter(report):
    report.write(INTRO, "---\nclaims: false\n---\n\n# Inleiding\n\nZie [@hrw-2025]. Daarna meer.\n")
    report.expect_none("AB102")


@pytest.mark.parametrize(
    "lead",
    [
        "Hij werd gearresteerd [@hrw-2025]. De volgende groepen lopen risico:",
        "Hij werd gearresteerd.[@hrw-2025] De volgende groepen lopen risico:",
        "Volgens HRW [@hrw-2025] lopen de volgende groepen risico:",
    ],
)
def test_ab102_colon_lead_in_covered_by_citing_list(report, lead):
    chapter(report, lead + "\n\n- journalisten [@hrw-2025]\n- advocaten [@hrw-2025]\n")
    report.expect_none()


def test_ab102_colon_lead_in_covered_in_a_list_item(report):
    chapter(report, "- Zij werd gearresteerd [@hrw-2025]. Risicogroepen:\n    - journalisten [@hrw-2025]\n")
    report.expect_none()


def test_ab102_colon_lead_in_not_covered_when_an_item_does_not_cite(report):
    body = "Hij werd gearresteerd [@hrw-2025]. De volgende groepen:\n\n- journalisten [@hrw-2025]\n- advocaten\n"
    chapter(report, body)
    report.expect("AB102", CHAPTER, FIRST, 36)


def test_ab102_colon_needed_for_lead_in(report):
    chapter(report, "Hij werd gearresteerd [@hrw-2025]. De volgende groepen\n\n- journalisten [@hrw-2025]\n")
    report.expect("AB102", CHAPTER, FIRST, 36)


def test_ab102_colon_lead_in_covers_only_its_own_sentence(report):
    text = "Hij werd gearresteerd [@hrw-2025]. Daarna werd hij vrijgelaten. De volgende groepen:"
    chapter(report, text + "\n\n- journalisten [@hrw-2025]\n")
    d = report.expect("AB102", CHAPTER, FIRST, 36)
    assert "Daarna werd hij vrijgelaten." in d.message


def test_claims_through_the_cli(report):
    chapter(report, "Er vonden verkiezingen plaats.\n\nHij werd gearresteerd [@hrw-2025]. Daarna vrij.\n")
    code, out, _ = report.cli_json(report.rel)
    assert code == 1
    got = [(d["code"], d["file"], d["line"], d["column"], d["severity"]) for d in out["diagnostics"]]
    file = f"{report.rel}/{CHAPTER}"
    assert got == [("AB101", file, FIRST, 1, "error"), ("AB102", file, FIRST + 2, 36, "error")]
    assert out["summary"] == {"errors": 2, "warnings": 0}


def test_a_span_s_attributes_after_the_last_citation_are_no_sentence(report):
    """'[...]{.nadruk}' (and the English edition's '.untranslated' span) ends
    with attributes, not with an uncited sentence."""
    report.chapter(
        """
        # Politiek en veiligheid {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        [Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]]{.nadruk lang=nl}

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Een vertrouwelijke bron meldde gevechten in het noorden.[@vb-2025-11-04] [Daarna niets.]{.x}
        """
    )
    found = [d for d in report.check() if d.code == "AB102"]
    assert [d.message for d in found] == ['sentence after the last citation of its paragraph: "[Daarna niets.]"']
