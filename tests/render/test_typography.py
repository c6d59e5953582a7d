"""Dutch typesetting in the real outputs (render/typography.py, the house
style's note calls, the source annex's order): one small report rendered in
all four formats, read back from the HTML, PDF, DOCX and ODT."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.render.conftest import MINI_FILES, make_mini_report
from tests.render.render_outputs import Html

NBSP, EN_DASH = "\u00a0", "\u2013"
BODY_PT = 10.5

EXTRA_SOURCES = """
- id: wet-31
  type: legislation
  author: [{literal: Republiek Testland}]
  title: Wet nr. 31/2025 inzake vergaderingen
  issued: 2025-01-01
- id: wet-7
  type: legislation
  author: [{literal: Republiek Testland}]
  title: Wet nr. 7/2025 inzake de pers
  issued: 2025-01-01
  URL: https://wetten.example/p.-14-16/2019-2021
  accessed: 2025-02-01
- id: standaard
  type: article-newspaper
  title: Protest in de hoofdstad
  container-title: De Standaard
  publisher: De Standaard
  issued: 2025-03-01
- id: parool
  type: article-newspaper
  title: Verkiezingen uitgesteld
  container-title: Het Parool
  publisher: Het Parool
  issued: 2025-03-02
- id: nrc
  type: article-newspaper
  title: Nieuwe regering
  container-title: NRC
  publisher: NRC
  issued: 2025-03-03
"""

TYPO_CHAPTER = """\
# Typografie {#typografie}

Op 17 januari 2025 werd 45 % van de 12 km weg gesloten, volgens art. 5 van
Wet nr. 7/2025.[@wet-7, pp. 14-16] In de periode 2019-2021 gebeurde
hetzelfde.[@wet-31, art. 3] De kranten meldden het.[@standaard; @parool; @nrc]

## Periode 2019-2021 {#periode-2019-2021}

Code blijft `p. 14-16 en 2019-2021` zoals [paragraaf 2019-2021](#periode-2019-2021) ook.[@wet-31]

Een gesprekspartner vertelde dit.^[Dit zeiden ook anderen in het gesprek [@vb-geheim].]
Zie ook de VN.^[Zie [@vn-pagina].]
"""


def _sweep() -> str:
    """Paragraphs whose last call falls at every position near the end of a
    line: before the fix, WeasyPrint broke after "woord;" and set the call
    at the start of the next line (6 times in these paragraphs)."""
    paras = []
    for end in ("woord[@hrw-rapport]; en[@krant-bericht].", "woord.[@hrw-rapport]^[Zie [@vn-pagina].]"):
        for n in range(60):
            paras.append("De " + "a" * (n % 9) + " " + " ".join(["regering"] * (n // 3)) + " " + end)
    return "# Regels {#regels}\n\n" + "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def typo(tmp_path_factory) -> dict[str, Path]:
    files = dict(MINI_FILES)
    files["sources.yaml"] = MINI_FILES["sources.yaml"] + textwrap.indent(EXTRA_SOURCES, "        ")
    files["chapters/02-typografie.md"] = textwrap.indent(TYPO_CHAPTER, "        ")
    files["chapters/03-regels.md"] = textwrap.indent(_sweep(), "        ")
    root = tmp_path_factory.mktemp("typo") / "repo"
    import tests.render.conftest as conftest

    saved = conftest.MINI_FILES
    conftest.MINI_FILES = files
    try:
        report = make_mini_report(root)
    finally:
        conftest.MINI_FILES = saved
    result = render_report(report, RenderOptions(out_dir=root / "out"))
    assert not result.refused, result.diagnostics
    return dict(result.outputs)


def _pdf_chars(path: Path) -> list[tuple[int, list[dict]]]:
    import pdfplumber

    margin = 25 * 72 / 25.4
    with pdfplumber.open(str(path)) as pdf:
        return [
            (n, [c for c in p.chars if margin - 2 < c["top"] < p.height - margin + 2 and c["size"] < 40])
            for n, p in enumerate(pdf.pages, 1)
        ]


def _calls_and_lines(path: Path):
    """(page, call digit, the body line it belongs to) for every note-call digit."""
    out = []
    for n, chars in _pdf_chars(path):
        body = [c for c in chars if abs(c["size"] - BODY_PT) < 0.05]
        lines: dict[float, list[dict]] = {}
        for c in body:
            key = next((k for k in lines if abs(k - c["bottom"]) < 3), c["bottom"])
            lines.setdefault(key, []).append(c)
        for c in chars:
            if c["size"] < 8.4 and (c["text"].isdigit() or c["text"] == ","):
                # a call is raised: its bottom is above its line's baseline, less than a line up
                line = next((cs for k, cs in lines.items() if k - 12 < c["bottom"] <= k + 1), None)
                if line is not None:
                    out.append((n, c, line))
    return out


# --- 1. note calls ------------------------------------------------------------------------


def test_a_note_call_never_starts_a_line_in_the_pdf(typo):
    calls = _calls_and_lines(typo["pdf"])
    assert len(calls) > 240, "every paragraph's calls were found"
    starts = [
        (n, c["text"], "".join(b["text"] for b in sorted(line, key=lambda b: b["x0"]))[:40])
        for n, c, line in calls
        if c["x0"] < min(b["x0"] for b in line)
    ]
    assert not starts, f"note calls at the start of a line: {starts[:5]}"


def test_note_calls_are_sized_from_the_body_text_not_the_note_text(typo):
    sizes = {round(c["size"], 2) for _, c, _ in _calls_and_lines(typo["pdf"]) if c["text"].isdigit()}
    assert sizes == {round(0.7 * BODY_PT, 2)}, f"call sizes {sizes} (body {BODY_PT} pt, notes 8.5 pt)"


def test_adjacent_calls_and_their_word_are_one_unbreakable_unit_in_html(typo):
    html = Html(typo["html"])
    refs = html.xpath("//p//a[contains(@class, 'footnote-ref')]")
    assert refs
    for ref in refs:
        keep = ref.getparent()
        assert keep.tag == "span" and keep.get("class") == "note-call", html.source[:0]
        before = (keep.text or "").replace(NBSP, "")
        assert before == before.strip(), "no space inside the unit"
    pairs = html.xpath("//span[@class='note-call'][count(a[contains(@class, 'footnote-ref')]) = 2]")
    assert pairs and all(p.xpath("sup[. = ',']") for p in pairs), "141,142: both calls in one unit"
