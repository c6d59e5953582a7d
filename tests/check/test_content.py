"""AB401 (remote or escaping link/image target), AB408 (missing one), AB402 (raw HTML),
AB403 (dangling cross-reference), AB404 (no alt text)."""

from __future__ import annotations

import os

import pytest

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, PIXEL_PNG

PNG = PIXEL_PNG  # a real 1x1 PNG: a file that only starts like one is AB405
LINE = CHAPTER_MD.count("\n") + 2  # the line added after the base chapter


def add(report, text: str) -> None:
    report.chapter(CHAPTER_MD + "\n" + text + "\n")


def col(text: str, needle: str) -> int:
    return text.index(needle) + 1


# --- AB401 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, needle, words",
    [
        ("Zie [HRW](https://www.hrw.org/testland).[@hrw-2025]", "[HRW", "is remote"),
        ("Zie <https://www.hrw.org/testland>.[@hrw-2025]", "<", "is remote"),
        ("Zie [HRW](//www.hrw.org/testland).[@hrw-2025]", "[HRW", "is remote"),
        ("Zie [mail](mailto:info@example.org).[@hrw-2025]", "[mail", "is remote"),
        ("Mail <info@example.org>.[@hrw-2025]", "<", "mailto:info@example.org is remote"),
        ("![Kaart van Testland](../../../../buiten.png)", "!", "outside the repository"),
        ("![Kaart van Testland](/etc/hostname)", "!", "absolute path"),
        ("![Kaart van Testland](/nergens/kaart.png)", "!", "absolute path"),
        # pandoc decodes character references in a target (red-team r03, R01, R05)
        ("Zie [site](h&#116;tp://tracker.example/x).[@hrw-2025]", "[site", "is remote"),
        ("Zie [site](http&#58;//tracker.example/x).[@hrw-2025]", "[site", "is remote"),
        ("Zie [mail](m&#97;ilto:x@tracker.example).[@hrw-2025]", "[mail", "is remote"),
    ],
)
def test_ab401_bad_targets(report, text, needle, words):
    (report.dir / "media").mkdir()
    add(report, text)
    d = report.expect("AB401", CHAPTER, LINE, col(text, needle))
    assert words in d.message
    report.expect_none("AB408")


@pytest.mark.parametrize(
    "text, needle, words",
    [
        ("![Kaart van Testland](media/ontbreekt.png){#fig-kaart}", "!", "does not exist"),
        ("Zie [de bijlage](bijlagen/ontbreekt.pdf).[@hrw-2025]", "[de", "does not exist"),
        ("![Kaart van Testland](media)", "!", "is not a file"),
        ("![Kaart van Testland]()", "!", "has no target"),
    ],
)
def test_ab408_missing_local_targets(report, text, needle, words):
    """A missing file inside the repository is an ordinary error, not a
    confidentiality finding: nothing would be fetched or read from outside."""
    from ambtsbericht_build.check import confidentiality_codes

    (report.dir / "media").mkdir()
    add(report, text)
    d = report.expect("AB408", CHAPTER, LINE, col(text, needle))
    assert words in d.message
    report.expect_none("AB401")
    assert "AB408" not in confidentiality_codes() and "AB401" in confidentiality_codes()


def test_ab401_symlink_leaving_the_repository(report, tmp_path):
    outside = tmp_path / "geheim.png"
    outside.write_bytes(PNG)
    (report.dir / "media").mkdir()
    os.symlink(outside, report.dir / "media" / "kaart.png")
    add(report, "![Kaart van Testland](media/kaart.png){#fig-kaart}")
    d = report.expect("AB401", CHAPTER, LINE, 1)
    assert "outside the repository" in d.message


def test_ab401_targets_inside_the_repository_pass(report):
    report.write("media/kaart van testland.png", PNG)
    report.write_root("docs/uitleg.md", "# Uitleg\n")
    add(
        report,
        "![Kaart van Testland](media/kaart%20van%20testland.png){#fig-kaart}\n\n"
        "Zie [de uitleg](../../docs/uitleg.md#kop) en [hoofdstuk 1](chapters/01-inleiding.md).[@hrw-2025]",
    )
    report.expect_none()


@pytest.mark.parametrize(
    "definition, words",
    [
        ("[r]: https://tracker.example/y", "is remote"),
        ("[r]: h&#116;tps://tracker.example/y", "is remote"),
        ("[r]: ../../../../etc/hostname", "outside the repository"),
        ("[r]: </etc/hostname>", "absolute path"),
    ],
)
@pytest.mark.parametrize("use", ["Zie de [site][r].[@hrw-2025]", "Zie de [r].[@hrw-2025]", "![Kaart van Testland][r]"])
def test_ab401_reference_links_and_images(report, definition, words, use):
    """A reference link or image (red-team R02, R06, R10): pandoc resolves
    it, the scanner does not; the finding is on the definition."""
    add(report, use + "\n\n" + definition)
    target = definition.split()[1].lstrip("<")
    d = report.expect("AB401", CHAPTER, LINE + 2, definition.index(target) + 1)
    assert words in d.message


def test_ab401_in_a_footnote(report):
    note = "[^1]: Zie [@hrw-2025] en [de site](http://example.org)."
    add(report, "Tekst.[^1]\n\n" + note)
    report.expect("AB401", CHAPTER, LINE + 2, col(note, "[de"))


# --- AB402 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, needle",
    [
        ('Tekst met <span style="color:red">kleur</span>.[@hrw-2025]', "<span"),
        ("Een regel<br>verder.[@hrw-2025]", "<br>"),
        ("<script>alert(1)</script>", "<script"),
        ('<div class="x">\nBlok.[@hrw-2025]\n</div>', "<div"),
    ],
)
def test_ab402_raw_html(report, text, needle):
    add(report, text)
    report.expect("AB402", CHAPTER, LINE, col(text, needle))


def test_ab402_comments_and_code_are_not_html(report):
    add(
        report,
        "Tekst <!-- opmerking --> en `<b>code</b>` en 3 < 4 > 2.[@hrw-2025]\n\n"
        "<!--\nmeerdere regels <b>\n-->\n\n```\n<div>in code</div>\n```",
    )
    report.expect_none()


# --- AB403 --------------------------------------------------------------------


def test_ab403_dangling_cross_reference(report):
    add(report, "Zie [](#sec-bestaat-niet).[@hrw-2025]")
    d = report.expect("AB403", CHAPTER, LINE, 5)
    assert d.message == "cross-reference to #sec-bestaat-niet, which does not exist"


def test_ab403_targets_that_exist(report):
    report.write("media/kaart.png", PNG)
    report.write(
        "chapters/03-mensenrechten.md",
        "# Mensenrechten\n\n## Pers en media\n\nPersvrijheid.[@hrw-2025]\n\n::: {#div-kader}\nKader.[@hrw-2025]\n:::\n",
    )
    add(
        report,
        "![Kaart van Testland](media/kaart.png){#fig-kaart}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Tabel [@hrw-2025] {#tbl-x}\n\n"
        "Zie [](#fig-kaart), [](#tbl-x), [](#h-politiek), [hier](#sec-veiligheid), "
        "[](#pers-en-media), [](#mensenrechten), [](#div-kader) en [](#span-x).[@hrw-2025]\n\n"
        "Een [gemarkeerde passage]{#span-x} hier.[@hrw-2025]",
    )
    report.expect_none()


def test_ab403_not_checked_while_a_chapter_is_unreadable(report):
    add(report, "Zie [](#sec-in-het-kapotte-hoofdstuk).[@hrw-2025]")
    report.write("chapters/03-kapot.md", b"# Kapot \xff\n")
    assert [d.code for d in report.check()] == ["AB001"]


def test_ab403_automatic_ids_are_unique(report):
    add(
        report,
        "## Details\n\nEen.[@hrw-2025]\n\n## Details\n\nTwee.[@hrw-2025]\n\n"
        "Zie [](#details-1) en [](#details-2).[@hrw-2025]",
    )
    d = report.expect("AB403", CHAPTER, LINE + 8, 23)
    assert "#details-2" in d.message


# --- AB404 --------------------------------------------------------------------


def test_ab404_image_without_alt_text(report):
    report.write("media/kaart.png", PNG)
    add(report, "Zie de kaart: ![](media/kaart.png){#fig-kaart}.[@hrw-2025]")
    d = report.expect("AB404", CHAPTER, LINE, 15)
    assert d.message == "image has no alternative text"


def test_ab404_figure_without_caption(report):
    report.write("media/kaart.png", PNG)
    add(report, "![ ](media/kaart.png)")
    report.expect("AB404", CHAPTER, LINE, 1)


def test_ab404_alt_text_passes(report):
    report.write("media/kaart.png", PNG)
    add(
        report,
        "![Kaart van Testland met de provincies](media/kaart.png){#fig-kaart}\n\n"
        'Klein: ![](media/kaart.png){alt="Kaart van Testland"}.[@hrw-2025]',
    )
    report.expect_none()


def test_ab402_html_block_is_not_an_uncited_sentence(report):
    add(report, '<div class="x">\nBlok.[@hrw-2025]\n</div>')
    assert [d.code for d in report.check()] == ["AB402"]


def test_content_through_the_cli(report):
    text = "Zie [HRW](https://www.hrw.org) en <b>dit</b> en [](#nergens).[@hrw-2025]"
    add(report, text)
    code, out, _ = report.cli_json(report.rel)
    assert code == 1
    assert [(d["code"], d["line"], d["column"]) for d in out["diagnostics"]] == [
        ("AB401", LINE, col(text, "[HRW")),
        ("AB402", LINE, col(text, "<b>")),
        ("AB403", LINE, col(text, "[](#")),
    ]
