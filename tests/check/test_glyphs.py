"""AB406: a character the house font cannot print; and the PDF embeds no
font but the house font (no system font is read), whatever the text."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check.glyphs import HOUSE, NOTO_SANS_RANGES, ranges_of
from ambtsbericht_build.house_style import template_path
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD

LINE = CHAPTER_MD.count("\n") + 2


@pytest.mark.parametrize("style", ["Regular", "Italic", "Bold", "BoldItalic"])
def test_the_ranges_are_the_fonts_character_map(style):
    assert ranges_of(template_path(f"fonts/NotoSans-{style}.ttf")) == NOTO_SANS_RANGES


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_lacks_agrees_with_the_font(text):
    import unicodedata

    from fontTools.ttLib import TTFont

    cmap = _cmap()
    expected = []
    seen = set()
    for i, ch in enumerate(text):
        if ch in seen or ord(ch) in cmap:
            continue
        seen.add(ch)
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        if 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
            continue
        expected.append((i, ch))
    assert HOUSE.lacks(text) == expected
    assert TTFont  # imported: fontTools is what the ranges were read with


_CMAP: set[int] = set()


def _cmap() -> set[int]:
    if not _CMAP:
        from fontTools.ttLib import TTFont

        with TTFont(str(template_path("fonts/NotoSans-Regular.ttf")), lazy=True) as f:
            _CMAP.update(f.getBestCmap())
    return _CMAP


@pytest.mark.parametrize(
    "text, column, shown",
    [
        ("De partij 人民党 won.[@hrw-2025]", 11, "U+4EBA CJK UNIFIED IDEOGRAPH-4EBA"),
        ("Een vrolijke 😀 bron.[@hrw-2025]", 14, "U+1F600 GRINNING FACE"),
        ("De krant الشرق schreef het.[@hrw-2025]", 10, "ARABIC LETTER"),
    ],
)
def test_ab406_at_the_character(report, text, column, shown):
    report.chapter(CHAPTER_MD + "\n" + text + "\n")
    d = report.expect("AB406", CHAPTER, LINE, column)
    assert shown in d.message and "empty box" in d.message


def test_ab406_in_report_yaml_and_sources_but_not_internal(report):
    yaml = (report.dir / "report.yaml").read_text(encoding="utf-8")
    report.write("report.yaml", yaml.replace("title: Algemeen ambtsbericht Testland", "title: Ambtsbericht ★"))
    sources = (report.dir / "sources.yaml").read_text(encoding="utf-8")
    sources = sources.replace("title: World Report 2025 – Testland", "title: 世界报告 2025")
    report.write("sources.yaml", sources.replace("Genève", "Genève, 北京"))  # internal: never printed
    found = sorted((Path(d.file).name, d.line, d.column) for d in report.check() if d.code == "AB406")
    assert found == [("report.yaml", 1, 1), ("sources.yaml", 4, 3)], found


def test_no_ab406_for_dutch_greek_cyrillic_and_invisible_characters(report):
    report.chapter(
        CHAPTER_MD + "\nCuraçao, Ελλάδα, Україна, €, „citaat”, co\u00adöperatie, zero\u200bwidth.[@hrw-2025]\n"
    )
    report.expect_none("AB406")


def test_the_pdf_embeds_only_the_house_font(tmp_path):
    """A character outside Noto Sans is drawn from no system font (the
    machine has DejaVu Sans, which WeasyPrint embedded before)."""
    from ambtsbericht_build.render.formats.html import html_page
    from ambtsbericht_build.render.pdf import html_to_pdf
    from tests.render.test_hostile_metadata import _facts

    facts = _facts("Titel 中文")
    body = "<p>Tekst 人民党 😀 ა ℵ ∰ ☃ 𝔸 and ĳ.</p>"
    out = tmp_path / "x.pdf"
    html_to_pdf(html_page(facts, body, "print"), out)
    names = _font_names(out)
    assert names and all(n.startswith("Abuild-Noto-Sans") for n in names), names


def _font_names(pdf_path: Path) -> set[str]:
    names = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and obj.get("/BaseFont"):
                names.add(str(obj.BaseFont)[1:].split("+", 1)[-1])
    return names
