"""AB201 (question answered nowhere), AB202 (unknown question), AB203 (answer cites nothing)."""

from __future__ import annotations

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD

HEAD = "# Politiek en veiligheid {#h-politiek}\n\n"


def test_ab201_question_answered_nowhere(report):
    report.chapter(CHAPTER_MD.replace(' tor="1.2"', ""))
    d = report.expect("AB201", "tor.yaml", 10, 9)
    assert d.message.startswith("ToR question 1.2 is answered nowhere")


def test_ab201_not_checked_while_a_chapter_is_unreadable(report):
    # the answer (and the citation of a source) may be in the chapter that could not be read
    report.chapter(CHAPTER_MD.replace(' tor="1.2"', "").replace("[@vb-2025-11-04]", "[@hrw-2025]"))
    report.write("chapters/03-kapot.md", b"# Kapot \xff\n")
    assert [d.code for d in report.check()] == ["AB001"]


def test_ab201_answered_by_a_div(report):
    report.chapter(CHAPTER_MD.replace(' tor="1.2"', "") + '\n::: {tor="1.2"}\nOok dit.[@hrw-2025]\n:::\n')
    report.expect_none()


def test_ab201_answered_by_geen_informatie(report):
    report.chapter(
        CHAPTER_MD.replace(' tor="1.2"', "") + '\n## Dienstplicht {tor="1.2" .geen-informatie}\n\n'
        "Er is geen informatie gevonden over dienstplicht.\n"
    )
    report.expect_none()


def test_ab201_one_heading_answers_two_questions(report):
    report.chapter(HEAD + '## Alles {tor="1.1 1.2"}\n\nAlles tegelijk.[@hrw-2025; @vb-2025-11-04]\n')
    report.expect_none()


def test_ab202_unknown_question_on_a_heading(report):
    report.chapter(CHAPTER_MD.replace('tor="1.2"', 'tor="1.2 9.9"'))
    d = report.expect("AB202", CHAPTER, 7, 32)
    assert d.message == 'tor="9.9" names a question that is not in tor.yaml'


def test_ab202_unknown_question_on_a_div(report):
    report.chapter(CHAPTER_MD + '\n::: {#div-x tor="2.1"}\nMeer.[@hrw-2025]\n:::\n')
    report.expect("AB202", CHAPTER, 11, 13)


def test_ab203_answer_without_citation(report):
    report.chapter(
        HEAD + '## Verkiezingen {tor="1.1"}\n\n::: geen-bron\nAlgemeen bekend.\n:::\n\n'
        '## Veiligheid {tor="1.2"}\n\nGevechten.[@hrw-2025; @vb-2025-11-04]\n'
    )
    d = report.expect("AB203", CHAPTER, 3, 18)
    assert "ToR question 1.1" in d.message


def test_ab203_citation_in_a_subsection_or_note_counts(report):
    report.chapter(
        HEAD + '## Verkiezingen {tor="1.1"}\n\n### Details\n\nZie de noot.[^1]\n\n'
        "[^1]: Volgens [@hrw-2025].\n\n"
        '## Veiligheid {tor="1.2"}\n\nGevechten.^[Zie [@vb-2025-11-04].]\n'
    )
    report.expect_none()


def test_ab203_a_later_section_does_not_count(report):
    report.chapter(
        HEAD + '## Verkiezingen {tor="1.1"}\n\n::: intern\nnog te schrijven\n:::\n\n'
        '## Veiligheid {tor="1.2"}\n\nGevechten.[@hrw-2025; @vb-2025-11-04]\n'
    )
    report.expect("AB203", CHAPTER, 3, 18)


def test_ab203_div_answer_without_citation(report):
    report.chapter(CHAPTER_MD + '\n::: {tor="1.1"}\n::: geen-bron\nAlgemeen bekend.\n:::\n:::\n')
    report.expect("AB203", CHAPTER, 11, 6)


def test_ab203_geen_informatie_needs_no_citation(report):
    report.chapter(
        CHAPTER_MD.replace('{#sec-veiligheid tor="1.2"}', '{#sec-veiligheid tor="1.2" .geen-informatie}')
        .replace("(zie [](#sec-verkiezingen)).[@vb-2025-11-04]", "geen informatie.")
        .replace("[@hrw-2025]", "[@hrw-2025; @vb-2025-11-04]")
    )
    report.expect_none()


def test_tor_through_the_cli(report):
    report.chapter(CHAPTER_MD.replace('tor="1.2"', 'tor="1.3"'))
    code, out, _ = report.cli_json(report.rel)
    assert code == 1
    got = [(d["code"], d["file"], d["line"], d["column"]) for d in out["diagnostics"]]
    assert got == [("AB202", f"{report.rel}/{CHAPTER}", 7, 32), ("AB201", f"{report.rel}/tor.yaml", 10, 9)]
