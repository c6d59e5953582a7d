"""Dutch typesetting in the real outputs (render/typography.py, the house
style's note calls, the source annex's order): one small report rendered in
all four formats, read back from the HTML, PDF, DOCX and ODT."""

from __future__ import annotations

import re
import textwrap
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.render.conftest import MINI_FILES, make_mini_report
from tests.render.render_outputs import Html, W

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
- id: wrf
  type: report
  author: [{literal: Women's Rights Forum}]
  title: 'Het rapport van ''s lands'' gevangenissen - een "overzicht"'
  issued: undated
  version: "2"
- id: tijdschrift
  type: article-journal
  author: [{family: Berg, given: Jan, non-dropping-particle: van den}]
  title: Een artikel
  container-title: Tijdschrift
  volume: "4"
  issue: "2"
  issued: 2025-01-01
- id: nrc
  type: article-newspaper
  title: Nieuwe regering
  container-title: NRC
  publisher: NRC
  issued: 2025-03-03
- id: ml-zuid
  type: report
  author: [{literal: Meetland Instituut}]
  title: Meetland - Zuid
  issued: 2025-01-01
- id: ml-arbeid
  type: report
  author: [{literal: Meetland Instituut}]
  title: 'Meetland: Arbeid'
  issued: 2025-01-01
- id: ml-noord
  type: report
  author: [{literal: Meetland Instituut}]
  title: Meetland Noord
  issued: 2025-01-01
"""

TYPO_CHAPTER = """\
# Typografie {#typografie}

Op 17 januari 2025 werd 45 % (78 procent) van de 12 km weg gesloten, volgens art. 5 van
Wet nr. 7/2025.[@wet-7, pp. 14-16] In de periode 2019-2021 gebeurde
hetzelfde.[@wet-31, art. 3] De kranten meldden het.[@standaard; @parool; @nrc]
Twee bronnen naast elkaar.[@hrw-rapport][@krant-bericht]

## Periode 2019-2021 {#periode-2019-2021}

Code blijft `p. 14-16 en 2019-2021` zoals [paragraaf 2019-2021](#periode-2019-2021) ook.[@wet-31]

Een gesprekspartner vertelde dit.^[Dit zeiden ook anderen in het gesprek [@vb-geheim].]
Zie ook de VN.^[Zie [@vn-pagina].]
Ook de krant.^[Zie voor een breder beeld van de situatie [@parool].]
De regering.^[Dit bevestigde de regering; [@nrc].]
De opkomst.^[De opkomst was 61 procent.[@nrc]]

Drie rapporten.[@ml-zuid; @ml-noord; @ml-arbeid]
Het dagblad.[@krant-bericht, blz. 12-14] Het hoofdstuk.[@tijdschrift, hfst. 3] De noot.[@tijdschrift, noot 4]
Het forum schreef het.[@wrf, para. 2] Het tijdschrift ook.[@tijdschrift, sec. 3]
Op 18 mei 2026 woonden er circa 3,1 miljoen mensen jonger dan 18 jaar, die 1.700 MLF per
maand verdienden (zie paragraaf 2.2 en AI 35/1695/2026).[@nrc]
Volgens prof. A.B. Janssen en dr. Smit staat het in A/HRC/55/23 en S/2025/123.[@nrc]
"""


def _sweep() -> str:
    """Paragraphs whose last call falls at every position near the end of a
    line: before the fix, WeasyPrint broke after "woord;" and set the call
    at the start of the next line (6 times in these paragraphs)."""
    paras = []
    for end in (
        "woord[@hrw-rapport]; en[@krant-bericht].",
        "woord.[@hrw-rapport]^[Zie [@vn-pagina].]",
        "sinds 17 januari volgens p. 12 van nr. 7/2025 ook 45 % van 3 km.[@hrw-rapport]",
        "op 18 mei 2026 circa 3,1 miljoen van 18 jaar voor 1.700 MLF in AI 35/1695/2026.[@hrw-rapport]",
        "volgens prof. A.B. Janssen en dr. Smit in A/HRC/55/23 of S/2025/123 van J.K. Doe.[@hrw-rapport]",
    ):
        for n in range(60):
            paras.append("De " + "a" * (n % 9) + " " + " ".join(["regering"] * (n // 3)) + " " + end)
    return "# Regels {#regels}\n\n" + "\n\n".join(paras) + "\n"


def _render(tmp_path_factory, lang: str, formats: tuple[str, ...]) -> dict[str, Path]:
    files = dict(MINI_FILES)
    files["report.yaml"] = MINI_FILES["report.yaml"].replace("language: nl", f"language: {lang}")
    files["sources.yaml"] = MINI_FILES["sources.yaml"] + textwrap.indent(EXTRA_SOURCES, "        ")
    files["glossary.yaml"] = (
        MINI_FILES["glossary.yaml"].rstrip() + "\n        WRF: 'Women''s Rights Forum - \"Testland\"'\n"
    )
    files["chapters/02-typografie.md"] = textwrap.indent(TYPO_CHAPTER, "        ")
    if lang == "nl":
        files["chapters/03-regels.md"] = textwrap.indent(_sweep(), "        ")
    root = tmp_path_factory.mktemp("typo") / "repo"
    import tests.render.conftest as conftest

    saved = conftest.MINI_FILES
    conftest.MINI_FILES = files
    try:
        report = make_mini_report(root)
    finally:
        conftest.MINI_FILES = saved
    result = render_report(report, RenderOptions(formats=formats, out_dir=root / "out"))
    assert not result.refused, result.diagnostics
    return dict(result.outputs)


@pytest.fixture(scope="module")
def typo(tmp_path_factory) -> dict[str, Path]:
    return _render(tmp_path_factory, "nl", ("html", "pdf", "docx", "odt"))


@pytest.fixture(scope="module")
def typo_en(tmp_path_factory) -> dict[str, Path]:
    return _render(tmp_path_factory, "en", ("html", "docx"))


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
    side_by_side = html.xpath("//p[starts-with(normalize-space(.), 'Op 17')]")[0].text_content()
    assert "naast elkaar." in side_by_side and "[" not in side_by_side, "[@a][@b]: two calls, no brackets"
    pairs = html.xpath("//span[@class='note-call'][count(a[contains(@class, 'footnote-ref')]) = 2]")
    assert pairs and all(p.xpath("sup[. = ',']") for p in pairs), "141,142: both calls in one unit"


# --- 2. non-breaking spaces and en dashes -----------------------------------------------------


def _texts(typo, notes: bool = True) -> dict[str, str]:
    """The whole visible text of each format, as written (U+00A0 kept);
    ``notes=False``: without the DOCX's notes (they follow the body)."""
    import pdfplumber

    html = Html(typo["html"])
    # the visible text: not the style sheet (its embedded fonts' @font-face has quotes)
    for style in html.tree.iter("style"):
        style.getparent().remove(style)
    out = {"html": html.tree.text_content()}
    with zipfile.ZipFile(typo["docx"]) as z:
        out["docx"] = " ".join(
            "".join(t.text or "" for t in ET.fromstring(z.read(part)).iter(f"{W}t"))
            for part in ("word/document.xml", "word/footnotes.xml")[: 2 if notes else 1]
        )
    with zipfile.ZipFile(typo["odt"]) as z:
        out["odt"] = "".join(ET.fromstring(z.read("content.xml")).itertext())
    with pdfplumber.open(str(typo["pdf"])) as pdf:
        out["pdf"] = "\n".join(p.extract_text() for p in pdf.pages)
    return out


TIED = [
    "17\u00a0januari",
    "45\u00a0%",
    "78\u00a0procent",
    "12\u00a0km",
    "art.\u00a05",
    "Wet\u00a0nr.\u00a07/\u20602025",
    "pp.\u00a014\u201316",  # the locator, in the note citeproc wrote
    "art.\u00a03",
    "periode 2019\u20132021",
    "4\u00a0november\u00a02025",  # a date citeproc wrote: the year stays with its month
    "18\u00a0mei\u00a02026",
    "3,1\u00a0miljoen",
    "18\u00a0jaar",
    "1.700\u00a0MLF",
    "paragraaf\u00a02.2",
    "AI\u00a035/\u20601695/\u20602026",
    "prof.\u00a0A.B.\u00a0Janssen",
    "dr.\u00a0Smit",
    "A/\u2060HRC/\u206055/\u206023",
    "S/\u20602025/\u2060123",
]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_dutch_non_breaking_spaces_and_en_dashes_in_every_format(typo, fmt):
    text = _texts(typo)[fmt]
    if fmt == "pdf":
        # WeasyPrint maps U+00A0 to the space glyph; that it does not break is
        # tested by the layout (the unit stays on one line) below
        # and the word joiner is not in its text (it prints nothing)
        text = text.replace("\u00a0", " ")
        tied = [t.replace("\u00a0", " ").replace("\u2060", "") for t in TIED]
    else:
        tied = TIED
    missing = [t for t in tied if t not in text]
    assert not missing, f"{fmt}: {missing}"


@pytest.mark.parametrize("fmt", ["html", "docx", "odt"])
def test_code_urls_and_ids_keep_their_hyphens_and_spaces(typo, fmt):
    text = _texts(typo)[fmt]
    assert "p. 14-16 en 2019-2021" in text, "code is printed as written"
    if fmt == "html":
        html = Html(typo["html"])
        assert html.xpath("//*[@id='periode-2019-2021']") and html.xpath("//a[@href='#periode-2019-2021']")
        assert html.xpath("//a[@href='https://wetten.example/p.-14-16/2019-2021']")
    assert "https://wetten.example/p.-14-16/2019-2021" in text


def test_a_tied_unit_is_never_split_over_two_lines_in_the_pdf(typo):
    import pdfplumber

    with pdfplumber.open(str(typo["pdf"])) as pdf:
        lines = [line for p in pdf.pages for line in p.extract_text().splitlines()]
    swept = [line for line in lines if "januari" in line or "45" in line or "km" in line]
    assert len(swept) > 60
    # the swept paragraphs put each tie at the end of a line in one of them
    # (not the colofon's "Aantal bijlagen 3": a table row, label and value)
    split = [
        line
        for line in lines
        if "...." not in line
        and not line.startswith("Aantal ")
        # (a word, not a note call: "en.45" is word and call)
        and re.search(
            r"(?:^|\s)(?:17|p\.|nr\.|45|3|mei|3,1|18|1\.700|AI|prof\.|A\.B\.|dr\.|J\.K\.)$|[A-Z0-9]/$", line.rstrip()
        )
    ]
    assert not split, split[:5]


# --- 4. the order of the source annex -------------------------------------------------------

ANNEX_ORDER = [
    # news, by author or newspaper: J, N, P (Het Parool), S (De Standaard)
    ["Jansen, Piet", "NRC, Nieuwe regering", "Het Parool, Verkiezingen", "De Standaard, Protest"],
    # laws: nr. 7 before nr. 31, and both before "op"
    ["Wet nr. 7/2025", "Wet nr. 31/2025", "Wet op de dienstplicht"],
    # punctuation counts as a space (docs/house-style.md): before, "Meetland – Zuid" came
    # first (after "Meetland" a space sorts before a colon, and "–" after every letter)
    ["Meetland: Arbeid", "Meetland Noord", "Meetland – Zuid"],
]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_source_annex_in_natural_dutch_order_in_every_format(typo, fmt):
    text = _texts(typo, notes=False)[fmt].replace("\u00a0", " ").replace("\u2060", "")
    annex = " ".join(text[text.rfind("Geraadpleegde openbare bronnen") :].split())
    for group in ANNEX_ORDER:
        at = [annex.find(entry) for entry in group]
        assert -1 not in at and at == sorted(at), f"{fmt}: {list(zip(group, at, strict=True))}"
    # and the whole annex in one order: each entry of the HTML's (its first words;
    # the PDF's lines break within an entry) in the same order in this format
    entries = [
        " ".join(e.text_content().replace("\u00a0", " ").replace("\u2060", "").split())[:25]
        for e in Html(typo["html"]).xpath("//*[@id='bronnen']//div[contains(@class, 'csl-entry')]")
    ]
    assert len(entries) >= 12, entries
    at = [annex.find(e) for e in entries]
    assert -1 not in at and at == sorted(at), f"{fmt}: {list(zip(entries, at, strict=True))}"


# --- 3. a note that explains and then cites -------------------------------------------------

NOTE_READINGS = [
    "in het gesprek. Vertrouwelijke bron, 4 november 2025.",  # a sentence, then its reference
    "van de situatie: Het Parool, Verkiezingen uitgesteld",  # a "zie" sentence: a colon
    "Zie Verenigde Naties (VN), Testland landenpagina",  # right after "zie": as written
    "de regering; NRC, Nieuwe regering",  # the drafter's punctuation: as written
    "61 procent. NRC, Nieuwe regering",  # a citation glued to the sentence ("procent.[@nrc]"): a space
]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_a_note_that_explains_and_cites_is_punctuated_in_every_format(typo, fmt):
    text = " ".join(_texts(typo)[fmt].replace("\u00a0", " ").split())
    missing = [r for r in NOTE_READINGS if r not in text]
    assert not missing, f"{fmt}: {missing}"
    assert "gesprek Vertrouwelijke" not in text


# --- 5. quotation marks, apostrophes, dashes and locators -------------------------------------

DUTCH_MARKS = [
    "Women’s Rights Forum – ‘Testland’",  # the abbreviation list
    "Het rapport van ’s lands’ gevangenissen – een ‘overzicht’, versie 2, ongedateerd",  # a source title
    "ongedateerd, par. 2.",  # "para." typed in a Dutch report
    "vol. 4, nr. 2",
    "Een artikel, Tijdschrift, vol. 4, nr. 2, 1 januari 2025, § 3.",  # "sec." typed
    # Dutch labels a drafter types, read as locators (the CSL's nl locale): printed
    # "blz. 12-14" as typed, and "noot 4"
    "Testland Dagblad, 2 oktober 2025, pp. 12–14.",
    "1 januari 2025, hfst. 3.",
    "1 januari 2025, n. 4.",
]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_dutch_marks_and_locators_in_every_format(typo, fmt):
    text = " ".join(_texts(typo)[fmt].replace("\u00a0", " ").split())
    missing = [m for m in DUTCH_MARKS if m not in text]
    assert not missing, f"{fmt}: {missing}"
    assert "'" not in text.replace("'t ", "") and " - " not in text and "para." not in text


ENGLISH = [
    "Women’s Rights Forum – ‘Testland’",
    "een ‘overzicht’, version 2, undated, para. 2.",
    "Tijdschrift, vol. 4, no. 2, 1 January 2025, sec. 3.",
    "accessed 3 May 2025",
    # the Dutch labels the Dutch text typed (an English edition's citations are the
    # Dutch text's placeholders) printed in English: "blz. 12-14", "hfst. 3", "noot 4" before
    "Testland Dagblad, 2 October 2025, pp. 12–14.",
    "1 January 2025, ch. 3.",
    "1 January 2025, n. 4.",
]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_english_locators_and_words_in_an_english_report(typo_en, fmt):
    html = " ".join(Html(typo_en["html"]).tree.text_content().replace("\u00a0", " ").split())
    with zipfile.ZipFile(typo_en["docx"]) as z:
        docx = " ".join(
            "".join(t.text or "" for t in ET.fromstring(z.read(part)).iter(f"{W}t"))
            for part in ("word/document.xml", "word/footnotes.xml")
        )
    text = {"html": html, "docx": " ".join(docx.replace("\u00a0", " ").split())}[fmt]
    missing = [m for m in ENGLISH if m not in text]
    assert not missing, f"{fmt}: {missing}"
    assert "ongedateerd" not in text and "versie" not in text and "geraadpleegd" not in text
    assert not re.search(r"\b(blz\.|hfst\.|noot) \d", text)
