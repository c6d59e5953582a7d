"""Hostile and broken PO files: each is a finding at its place in the PO
file, never a traceback, never an overwritten file, never text the Dutch
check would refuse (tests/fixtures/report_kit.py's small report)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.translate import translate_report
from ambtsbericht_build.translate.extract import extract
from tests.fixtures.report_kit import PIXEL_PNG as PIXEL

PO = "translations/en/chapters/02-politiek.po"
SENTENCE = "Op 1 maart 2025 vonden in Testland verkiezingen plaats.{1}"


def _extracted(report) -> Path:
    lr = load_report(report.dir, Diagnostics())
    extract(lr, "en", Diagnostics())
    return report.path(PO)


def _translate(report, msgid: str, msgstr: str) -> Path:
    """Extract, then give the entry ``msgid`` the translation ``msgstr``."""
    path = _extracted(report)
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    assert entry is not None, [e.msgid for e in po]
    entry.msgstr = msgstr
    po.save(str(path))
    return path


def _msgstr_line(path: Path, msgstr_start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(k for k, ln in enumerate(lines, 1) if ln.startswith(f'msgstr "{msgstr_start}'))


def test_the_kit_extracts_and_translates_cleanly(report):
    path = _translate(report, SENTENCE, "Elections were held in Testland on 1 March 2025.{1}")
    text = path.read_text(encoding="utf-8")
    assert "#: chapters/02-politiek.md:5\n#, python-brace-format\nmsgid" in text
    assert "vb-2025" not in text and "hrw-2025" not in text  # citations are placeholders; keys are not shown
    report.expect_none()
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    body = tr.report.chapters[1].chapter.text
    assert "Elections were held in Testland on 1 March 2025.[@hrw-2025]" in body
    assert tr.broken == 0 and tr.translated == 1


@pytest.mark.parametrize(
    "msgstr, message",
    [
        ("Elections were held in Testland on 1 March 2025.", "{1} (citation) is missing"),
        ("Elections{1} were held in Testland on 1 March 2025.{1}", "{1} (citation) is there twice"),
        ("Elections were held in Testland on 1 March 2025.{2}", "{2} is not a placeholder"),
        ("Elections {were} held.{1}", "a single '{'"),
    ],
)
def test_a_broken_placeholder_is_an_error_at_the_po_line_and_column(report, msgstr, message):
    path = _translate(report, SENTENCE, msgstr)
    line = _msgstr_line(path, msgstr[:10])
    found = [d for d in report.check() if d.code == "AB602"]
    assert all(Path(d.file).resolve() == path.resolve() and d.line == line for d in found), found
    d = [d for d in found if message in d.message]
    assert len(d) == 1, found
    if "{2}" in msgstr:  # the column of the placeholder itself: 'msgstr "' is 8 characters
        assert d[0].column == 9 + msgstr.index("{2}")
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    assert tr.broken == 1
    assert "::: {.untranslated lang=nl}\nOp 1 maart 2025" in tr.report.chapters[1].chapter.text


@pytest.mark.parametrize(
    "msgstr",
    [
        "Elections were held.{1} <b onclick=x>more</b>",
        "Elections were held.{1} <!-- source: medewerker -->",
        "::: intern Elections were held.{1}",
        "Elections were held.{1}\n\n::: intern\nsecret\n:::",
        "Elections were held.{1} [@vb-2025-11-04]",
        "Elections were held.{1} @vb-2025-11-04 said so",
        "Elections were held.{1}^[A note of my own.]",
        "Elections were held.{1} [see](https://tracker.example/x.png)",
        "# Elections were held.{1}",
        "- Elections were held.{1}",
        "Elections were held.{1}\\",
    ],
)
def test_a_translation_cannot_bring_in_what_the_dutch_check_refuses(report, msgstr):
    _translate(report, SENTENCE, msgstr)
    assert "AB604" in report.codes()
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    body = tr.report.chapters[1].chapter.text
    assert tr.broken == 1
    for needle in ("<b", "<!--", "intern", "vb-2025-11-04]\u0020", "A note", "tracker", "# Elections", "- Elections"):
        assert needle not in body.replace("[@vb-2025-11-04]", ""), (needle, body)


def test_a_figure_caption_cannot_close_its_image_and_open_another(report):
    report.write("media/kaart.png", PIXEL)
    report.chapter(
        """
        # Politiek en veiligheid {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]

        ![Kaart van Testland](media/kaart.png){#fig-kaart}

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Een vertrouwelijke bron meldde gevechten in het noorden.[@vb-2025-11-04]
        """
    )
    _translate(report, "Kaart van Testland", "Map](https://tracker.example/p.png) ![Map of Testland")
    assert "AB604" in report.codes()
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    assert "tracker" not in tr.report.chapters[1].chapter.text and tr.broken == 1


def test_a_confidential_name_typed_by_a_translator_is_caught(report):
    path = _translate(report, SENTENCE, "Elections were held, said a medewerker VN-organisatie, Genève.{1}")
    line = _msgstr_line(path, "Elections")
    found = [d for d in report.check() if d.code == "AB302"]
    assert found and Path(found[0].file).resolve() == path.resolve() and found[0].line == line, found


def test_a_po_file_with_a_syntax_error_is_reported_and_never_overwritten(report):
    path = _extracted(report)
    broken = path.read_text(encoding="utf-8").replace('msgstr ""\n', 'msgstr "Elections\n', 1)
    path.write_text(broken, encoding="utf-8")
    line = _msgstr_line(path, "Elections")
    d = report.expect("AB603", PO, line, 1)
    assert "double quote" in d.message
    proc = report.cli("translate", "extract", report.rel, "--lang", "en")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{PO}:{line}:1" in proc.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_a_huge_po_file_is_refused_by_the_size_limit(report):
    path = _extracted(report)
    path.write_text(path.read_text(encoding="utf-8") + "#" * 6_000_000 + "\n", encoding="utf-8")
    d = report.expect("AB603", PO, 0, 0)
    assert "over the limit" in d.message


def test_a_po_text_that_names_a_file_is_not_read_as_that_file(report, tmp_path):
    outside = tmp_path / "elsewhere.po"
    outside.write_text('msgid "Verkiezingen"\nmsgstr "Gestolen"\n', encoding="utf-8")
    report.write(PO, str(outside), dedent_text=False)
    d = report.expect("AB603", PO, 1, 1)
    assert "file name" in d.message


def test_a_po_file_for_no_chapter_and_stale_translations_are_out_of_date(report):
    path = _translate(report, SENTENCE, "Elections were held in Testland on 1 March 2025.{1}")
    report.write("translations/en/chapters/99-weg.po", path.read_text(encoding="utf-8"), dedent_text=False)
    chapter = report.path("chapters/02-politiek.md")
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("1 maart", "2 maart"), encoding="utf-8")
    found = sorted((Path(d.file).name, d.code) for d in report.check() if d.code == "AB605")
    assert found == [("02-politiek.po", "AB605"), ("99-weg.po", "AB605")]


def test_status_shows_each_translations_state(report):
    from ambtsbericht_build.translate.state import status_lines

    assert status_lines(load_report(report.dir, Diagnostics())) == []  # no translations/: nothing said
    _translate(report, SENTENCE, "Elections were held in Testland on 1 March 2025.{1}")
    lines = status_lines(load_report(report.dir, Diagnostics()))
    # two more than before the kit's report.yaml named its place and responsible unit (AB505)
    assert lines[0] == "translation en: 1 of 17 translated, 0 fuzzy, 16 untranslated, 0 broken", lines
    assert "  translations/en/chapters/02-politiek.po: 1 of 5 translated, 0 fuzzy, 4 untranslated, 0 broken" in lines


def test_drafters_notes_and_comments_never_reach_a_po_file(report):
    report.chapter(
        """
        # Politiek en veiligheid {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025] <!-- Geheimzegel -->

        ::: intern
        Kompasroos zei dat.
        :::

        ::: intern notitie
        Zwijgzaam detail.
        :::

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Een vertrouwelijke bron meldde gevechten in het noorden.[@vb-2025-11-04]
        """
    )
    text = _extracted(report).read_text(encoding="utf-8")
    assert "Op 1 maart 2025" in text
    assert "Geheimzegel" not in text and "Kompasroos" not in text
    # pandoc prints "::: intern notitie" as text (AB306 refuses the render); a drafter meant a note
    assert "Zwijgzaam" not in text and "notitie" not in text


def test_a_po_file_behind_a_symlink_out_of_the_repository_is_not_read(report, tmp_path):
    outside = tmp_path / "outside.po"
    outside.write_text('msgid "Verkiezingen"\nmsgstr "Gelekt"\n', encoding="utf-8")
    link = report.path(PO)
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    d = report.expect("AB603", PO, 0, 0)
    assert "outside the repository" in d.message
    tr = translate_report(load_report(report.dir, Diagnostics()), "en", Diagnostics())
    assert "Gelekt" not in "".join(c.chapter.text for c in tr.report.chapters)
