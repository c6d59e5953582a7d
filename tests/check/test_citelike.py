"""AB110 (citation-like text), AB005 (refused constructs), AB006 (unplaced
blocks), and the structure the checks now take from pandoc (issue #9)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check.citelike import findings
from ambtsbericht_build.load.markdown import parse_chapter
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD


@pytest.mark.parametrize(
    "text, needle",
    [
        ("De opkomst was laag [hrw-2025, p. 3].[@hrw-2025]", "[hrw-2025, p. 3]"),
        ("De opkomst was laag [ai-2031-rapport].[@hrw-2025]", "[ai-2031-rapport]"),
        ("De opkomst was laag (@hrw-2025).", "(@hrw-2025)"),
        ("De opkomst was laag [@ hrw-2025].[@hrw-2025]", "[@ hrw-2025]"),
        ("De opkomst was laag `[@hrw-2025]`.[@hrw-2025]", "`[@hrw-2025]`"),
        ("Volgens @hrw-2025 was de opkomst laag.", "@hrw-2025"),
        ("Zo stelt @hrw-2025, en ook [@hrw-2025].", "@hrw-2025"),
    ],
)
def test_ab108_citation_like(report, text, needle):
    report.chapter(CHAPTER_MD + "\n" + text + "\n")
    d = report.expect("AB110", CHAPTER, 11, text.index(needle) + 1)
    assert "write" in d.message


@pytest.mark.parametrize(
    "text",
    [
        "Artikel [3] van de wet en [noot] en [zie hierboven](#sec-verkiezingen).[@hrw-2025]",
        "Mail info@hrw-2025.org of zie [@hrw-2025].",  # an address, not a citation
        "Volgens @onbekend-2025 was het zo.[@hrw-2025]",  # an unknown key is AB104's
        "Zie [p. 3 van @hrw-2025].",  # inside a bracket: a normal citation
        "Mail `info@example.org` of [@hrw-2025].",
        "Een [span]{.klein} en een lijst [a, b, c].[@hrw-2025]",
    ],
)
def test_ab108_no_false_alarm(report, text):
    report.chapter(CHAPTER_MD + "\n" + text + "\n")
    assert "AB110" not in [d.code for d in report.check()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="ab []()@`-,.{}#0123456789", max_size=60))
def test_ab108_never_raises_and_points_inside_the_block(text):
    from pathlib import Path

    ch = parse_chapter(Path("x.md"), "# K\n\n" + text + "\n")
    for b in ch.all_blocks():
        for offset, message in findings(b, {"a-2020"}):
            assert 0 <= offset < len(b.text) and message


def test_ab005_definition_list(report):
    report.chapter(CHAPTER_MD + "\nOpkomst\n: 52 procent.[@hrw-2025]\n")
    report.expect("AB005", CHAPTER, 11, 1)


def test_ab005_line_block(report):
    report.chapter(CHAPTER_MD + "\n| Een regel.[@hrw-2025]\n| Nog een.[@hrw-2025]\n")
    report.expect("AB005", CHAPTER, 11, 1)


def test_ab006_block_abuild_cannot_place(report):
    report.chapter(CHAPTER_MD + "\n&#72;&#82;&#87; meldt.[@hrw-2025]\n")
    assert "AB006" in [d.code for d in report.check()]


def test_grid_table_before_fence_keeps_later_paragraphs_outside_geen_bron(report):
    table = "+-----+\n| a   |\n+=====+\n| 1   |\n+-----+\n"
    report.chapter(CHAPTER_MD + "\n::: geen-bron\n" + table + ":::\n\nDeze alinea citeert niets.\n")
    report.expect("AB101", CHAPTER, 19, 1)


def test_link_reference_definition_is_no_paragraph(report):
    report.chapter(CHAPTER_MD + "\nVolgens [HRW][hrw] was het zo.[@hrw-2025]\n\n[hrw]: media/kaart.png\n")
    assert "AB101" not in [d.code for d in report.check()]


def test_tab_nested_list_items_are_checked(report):
    report.chapter(CHAPTER_MD + "\n- buiten [@hrw-2025]\n\t- binnen zonder bron\n")
    report.expect("AB101", CHAPTER, 12, 4)  # after the tab, "- " (columns count characters)


def test_heading_id_as_pandoc_makes_it(report):
    report.chapter(CHAPTER_MD + "\n## Periode 2024--2025\n\nZie [](#periode-20242025).[@hrw-2025]\n")
    assert "AB403" not in [d.code for d in report.check()]


def test_nested_and_repeated_citations_count(report):
    from ambtsbericht_build.load.markdown.pandoc_ast import Walker

    w = Walker()
    ast = [
        {
            "t": "Para",
            "c": [
                {
                    "t": "Cite",
                    "c": [
                        [
                            {
                                "citationId": "a",
                                "citationPrefix": [],
                                "citationSuffix": [
                                    {
                                        "t": "Cite",
                                        "c": [[{"citationId": "b", "citationPrefix": [], "citationSuffix": []}], []],
                                    }
                                ],
                            },
                            {"citationId": "a", "citationPrefix": [], "citationSuffix": []},
                        ],
                        [{"t": "Str", "c": "[@a, @b; @a]"}],
                    ],
                }
            ],
        }
    ]
    (u,) = w.blocks(ast, (), 0)
    assert u.cites == ["a", "b", "a"]


def _depths_by_character(t: str) -> list[int]:
    """check/citelike.py's _bracket_depths as it was, a step per character (the reference)."""
    depth, out = 0, []
    for i, ch in enumerate(t):
        out.append(depth)
        if ch == "[" and (i == 0 or t[i - 1] != "\\"):
            depth += 1
        elif ch == "]" and depth and t[i - 1] != "\\":
            depth -= 1
    out.append(depth)
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]\\@a ", max_size=40))
def test_open_brackets_from_the_brackets_alone_are_those_by_character(t: str) -> None:
    from ambtsbericht_build.check.citelike import _bracket_depths

    before = _bracket_depths(t)
    assert [before(i) for i in range(len(t) + 1)] == _depths_by_character(t)
