"""The English edition of the example report and its real (partial)
translation, in all four formats: one module-scoped render through the
command line (about 15 s of CPU), read by the tests below; then the issue's
round trip: a Dutch paragraph changes, ``abuild translate extract`` runs
again, and the next English HTML (about 5 s) shows exactly that paragraph in
Dutch, marked, while its neighbours stay English."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import polib
import pypdfium2
import pytest

from tests.fixtures.report_kit import ABUILD
from tests.render.render_outputs import Docx, Html, Odt, norm

ROOT = Path(__file__).resolve().parents[2]
INTRO = "chapters/00-inleiding.md"
# a translated paragraph of INTRO: its Dutch words and the English a translator wrote
DUTCH = "Dit ambtsbericht beslaat de periode van"
OUT = Path("build") / "voorbeeldland" / "voorbeeldland.en.html"


def _abuild(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ABUILD), *args], cwd=root, capture_output=True, text=True, timeout=600)


def _english_of(root: Path, dutch_start: str) -> str:
    """The translator's English of the entry whose Dutch starts with ``dutch_start``."""
    po = polib.pofile(str(root / "reports/voorbeeldland/translations/en/chapters/00-inleiding.po"))
    (entry,) = [e for e in po if e.msgid.startswith(dutch_start) and not e.obsolete]
    assert entry.msgstr and not entry.fuzzy, "the example translates this paragraph"
    return entry.msgstr


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _marked_dutch(html: str) -> list[str]:
    """The text of every element the render marks as Dutch in the English edition."""
    return [
        _text(m)
        for m in re.findall(r'<(?:div|span)[^>]*class="[^"]*untranslated[^"]*"[^>]*>(.*?)</(?:div|span)>', html, re.S)
    ]


def _copy(root: Path) -> Path:
    shutil.copytree(ROOT / "reports" / "voorbeeldland", root / "reports" / "voorbeeldland")
    shutil.copytree(ROOT / "bibliography", root / "bibliography")
    return root


# the example translates every glossary meaning; the rendered copy has one
# fuzzy (the Dutch changed since), so that the list shows a meaning in Dutch
FUZZY_GLOSSARY = 'msgctxt "glossary UK"'


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example's English edition in all four formats (the directory they are in)."""
    root = _copy(tmp_path_factory.mktemp("example") / "repo")
    po = root / "reports/voorbeeldland/translations/en/glossary.po"
    text = po.read_text(encoding="utf-8")
    assert text.count(FUZZY_GLOSSARY) == 1
    po.write_text(text.replace(FUZZY_GLOSSARY, "#, fuzzy\n" + FUZZY_GLOSSARY), encoding="utf-8")
    done = _abuild(root, "render", "reports/voorbeeldland", "--lang", "en")
    assert done.returncode == 0, done.stderr
    return root / OUT.parent


@pytest.fixture(scope="module")
def pdf_pages(example) -> list[str]:
    pdf = pypdfium2.PdfDocument(example / "voorbeeldland.en.pdf")
    try:
        return [pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def outputs(example, pdf_pages) -> dict[str, str]:
    """Each format's text as a reader gets it, whitespace collapsed (no-break spaces too)."""
    html = Html(example / "voorbeeldland.en.html")
    for el in html.xpath("//style | //script"):
        el.drop_tree()
    return {
        "html": norm(html.tree.text_content()),
        "pdf": norm(" ".join(pdf_pages)),
        "docx": norm(" ".join(t for _s, t in Docx(example / "voorbeeldland.en.docx").paragraphs)),
        "odt": norm(" ".join(Odt(example / "voorbeeldland.en.odt").paragraphs)),
    }


FORMATS = ("html", "pdf", "docx", "odt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_figures_are_not_marked_and_dutch_numbers_are_translated(outputs, fmt):
    text = outputs[fmt]
    # Table 2's cells: figures only ("412") are language-neutral, never "[NL] 412";
    # its total in Dutch notation was translated ("1.226" -> "1,226")
    assert "412" in text and "[NL] 412" not in text and "[NL] 318" not in text
    assert "1,226" in text and "1.226" not in text
    assert "Province" in text and "[NL] Provincie" not in text


def test_figures_are_no_po_entries():
    po = polib.pofile(str(ROOT / "reports/voorbeeldland/translations/en/chapters/02-mensenrechten.po"))
    live = {e.msgid for e in po if not e.obsolete}
    assert "1.226" in live and not {"412", "318", "730", "676"} & live


@pytest.mark.parametrize("fmt", FORMATS)
def test_cross_references_take_the_language_around_them(outputs, fmt):
    text = outputs[fmt]
    # in Dutch paragraphs shown in Dutch (chapters 1 and 2), in the English summary
    # "Tabel 1 geeft" starts a sentence after a note call ("weer.³¹ Tabel 1 geeft")
    for dutch in ("(zie figuur 1)", "(zie paragraaf 2.2)", "De cijfers in tabel 2 zijn", "Tabel 1 geeft het aantal"):
        assert dutch in text, dutch
    for english in ("(see section 1.1)", "(see Table 1)"):
        assert english in text, english
    assert not re.search(r"zie (section|chapter|Figure|Table) \d", text)
    assert not re.search(r"see (paragraaf|hoofdstuk|figuur|tabel) \d", text)


def test_a_citation_within_dutch_text_is_in_dutch(example, outputs):
    """Note 168 is written in Dutch and cites a confidential source within its text
    (mid-sentence, so in lower case: docs/house-style.md)."""
    dutch, english = "zie vertrouwelijke bron, 15 april 2026", "zie confidential source"
    notes = {
        "html": Html(example / "voorbeeldland.en.html").notes,
        "docx": Docx(example / "voorbeeldland.en.docx").notes,
        "odt": Odt(example / "voorbeeldland.en.odt").notes,
    }
    for fmt, found in notes.items():
        assert any(dutch in n for n in found) and not any(english in n.lower() for n in found), fmt
    assert dutch in outputs["pdf"] and english not in outputs["pdf"].lower()
    # a citation note of its own (of a Dutch paragraph) is generated text: the edition's
    assert "Confidential source, 3 June 2025." in notes["html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_colofon_words_are_english(outputs, fmt):
    text = outputs[fmt]
    # (the HTML's <dt> and <dd> have no space between them)
    assert re.search("Peer review ?22 July 2026", text) and re.search("Legal review ?5 August 2026", text)
    assert "toetsing" not in text.lower()
    assert re.search("Place ?The Hague", text) and "Responsible unit" in text and re.search("Status ?draft", text)


def test_contents_mark_dutch_headings_and_give_their_language(example, pdf_pages):
    html = Html(example / "voorbeeldland.en.html")
    entries = html.xpath("//nav[contains(@class, 'toc')]//a")
    dutch = [a for a in entries if a.xpath(".//span[@lang='nl-NL']")]
    assert len(dutch) > 40  # chapters 1 to 5 are largely untranslated
    for a in dutch:
        badge = a.xpath(".//span[contains(@class, 'untranslated-badge')]")
        assert badge and badge[0].text == "[NL]" and badge[0].get("title") == "Not yet translated (Dutch)"
    english = [a for a in entries if not a.xpath(".//span[@lang]")]
    assert "Introduction" in [norm(a.text_content()) for a in english]
    assert not any(a.xpath(".//span[contains(@class, 'untranslated-badge')]") for a in english)
    # the ToR annex's "Answered in: 1.1 [NL] Politieke ontwikkelingen" too
    answers = html.xpath("//a[contains(@class, 'tor-ref')][@href='#sec-politiek']")
    assert answers and answers[0].xpath("span[contains(@class, 'untranslated-badge')]")[0].text == "[NL]"
    assert norm(answers[0].xpath("span[@lang='nl-NL']")[0].text_content()) == "Politieke ontwikkelingen"
    assert "Answered in: 1.1 [NL] Politieke ontwikkelingen (p. 6)" in norm(" ".join(pdf_pages))
    # the PDF's contents (pages 2 and 3) and its bookmarks
    assert "[NL] Politieke ontwikkelingen" in norm(pdf_pages[1])
    import pikepdf

    with pikepdf.open(example / "voorbeeldland.en.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert "1 [NL] Politieke en veiligheidssituatie" in titles and "Introduction" in titles
    # DOCX: the entry's Dutch run has w:lang, its marker does not
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    docx = Docx(example / "voorbeeldland.en.docx")
    toc = [
        p
        for p in docx.document.iter(f"{w}p")
        if (st := p.find(f"{w}pPr/{w}pStyle")) is not None and st.get(f"{w}val") == "TOC2"
    ]
    entry = next(p for p in toc if "Politieke ontwikkelingen" in "".join(t.text or "" for t in p.iter(f"{w}t")))
    runs = {
        "".join(t.text or "" for t in r.iter(f"{w}t")): (
            lang.get(f"{w}val") if (lang := r.find(f"{w}rPr/{w}lang")) is not None else ""
        )
        for r in entry.iter(f"{w}r")
    }
    assert runs["Politieke ontwikkelingen"] == "nl-NL"
    assert [lang for text, lang in runs.items() if "[NL]" in text] == [""]  # the marker is English
    # ODT: the entry's Dutch words in the span style that gives them their language
    with zipfile.ZipFile(example / "voorbeeldland.en.odt") as z:
        content = z.read("content.xml").decode("utf-8")
    toc_xml = content[content.index("<text:table-of-content ") : content.index("</text:table-of-content>")]
    m = re.search(r'\[NL\] <text:span text:style-name="([^"]+)">Politieke ontwikkelingen</text:span>', toc_xml)
    assert m, toc_xml[:2000]
    style = re.search(rf'<style:style style:name="{m.group(1)}".*?</style:style>', content, re.S)
    assert style and 'fo:language="nl"' in style.group(0) and 'fo:country="NL"' in style.group(0)


def test_dates_abuild_writes_are_english_and_a_source_title_stays_as_written(pdf_pages, outputs):
    annex = next(p for p in pdf_pages if "Public sources consulted" in p)
    text = " ".join(pdf_pages[pdf_pages.index(annex) :])
    # the source's own title, as written, typeset as a Dutch date: never broken within
    assert "grondwetsreferendum\nvan 9\xa0maart\xa02025" in text or "van 9\xa0maart\xa02025" in text
    assert "31\xa0maart\xa02026 (data-export)" in text
    assert not re.search(r"\d{1,2}[ \n](januari|februari|maart|mei|juni|juli|augustus|oktober)\b", text)
    # the dates abuild writes: English, in every format
    for fmt in FORMATS:
        assert "10 April 2025" in outputs[fmt] and "accessed 16 April 2025" in outputs[fmt]
        assert not re.search(r"(geraadpleegd|ongedateerd)", outputs[fmt])


def test_english_edition_of_the_example_through_a_change(example, tmp_path):
    html = (example / OUT.name).read_text(encoding="utf-8")
    root = _copy(tmp_path / "repo")
    english = _english_of(root, DUTCH)
    first_words = " ".join(english.split()[:4])

    assert re.search(r'<html[^>]* lang="en-GB"', html)
    text = _text(html)
    assert "Introduction" in text and "Reporting period" in text  # translated headings
    assert first_words in text and DUTCH not in text  # the translated paragraph, in English
    assert "Inhoudsopgave" not in text and "Contents" in text
    marked = _marked_dutch(html)
    assert marked, "the untranslated chapters are shown in Dutch, marked"
    assert 'lang="nl' in html

    # the Dutch paragraph changes; the translation goes fuzzy and the edition shows it in Dutch
    chapter = root / "reports" / "voorbeeldland" / INTRO
    src = chapter.read_text(encoding="utf-8")
    assert src.count(DUTCH) == 1
    chapter.write_text(src.replace(DUTCH, DUTCH.replace("beslaat", "omvat"), 1), encoding="utf-8")
    done = _abuild(root, "translate", "extract", "reports/voorbeeldland", "--lang", "en")
    assert done.returncode == 0, done.stderr
    po = polib.pofile(str(root / "reports/voorbeeldland/translations/en/chapters/00-inleiding.po"))
    fuzzy = [e for e in po if e.fuzzy and not e.obsolete]
    assert [e.msgid.split()[:4] for e in fuzzy] == [["Dit", "ambtsbericht", "omvat", "de"]]
    assert fuzzy[0].msgstr == english  # the old translation kept for the translator

    done = _abuild(root, "render", "reports/voorbeeldland", "--lang", "en", "--to", "html")
    assert done.returncode == 0, done.stderr
    html = (root / OUT).read_text(encoding="utf-8")
    assert first_words not in _text(html)  # the stale English is not printed
    assert any("ambtsbericht omvat de periode" in m for m in _marked_dutch(html))
    assert "Introduction" in _text(html)  # its neighbours keep their translation


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _wtext(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _docx_runs(paragraph) -> dict[str, str]:
    """Each run's text and its w:lang ("" when it has none)."""
    return {
        _wtext(r): (lang.get(f"{W}val") if (lang := r.find(f"{W}rPr/{W}lang")) is not None else "")
        for r in paragraph.iter(f"{W}r")
    }


def _odt_dutch_span(content: str, words: str) -> bool:
    """Whether ``words`` are an ODT span whose style gives them the language nl-NL."""
    m = re.search(rf'<text:span text:style-name="([^"]+)">{re.escape(words)}</text:span>', content)
    style = m and re.search(rf'<style:style style:name="{m.group(1)}".*?</style:style>', content, re.S)
    return bool(style) and 'fo:language="nl"' in style.group(0) and 'fo:country="NL"' in style.group(0)


def test_glossary_meanings_are_english_or_marked_dutch(example, pdf_pages):
    """The list of abbreviations: a translated meaning in English, one shown in
    Dutch (UK, fuzzy in the rendered copy) marked "[NL]" and tagged nl-NL in
    every format, as every other unit shown in Dutch."""
    html = Html(example / "voorbeeldland.en.html")
    rows = {
        norm(tr.xpath("td")[0].text_content()): tr.xpath("td")[1]
        for tr in html.xpath("//table[@id='tbl-afkortingen']//tr[td]")
    }
    assert norm(rows["VN"].text_content()) == "United Nations (English: UN)" and not rows["VN"].xpath(".//*[@lang]")
    uk = rows["UK"]
    assert uk.xpath("span[contains(@class, 'untranslated-badge')]")[0].text == "[NL]"
    assert norm(uk.xpath("span[@lang='nl-NL']")[0].text_content()) == "Verenigd Koninkrijk"
    annex = norm(" ".join(p for p in pdf_pages if "Abbreviation" in p))
    assert "UK [NL] Verenigd Koninkrijk" in annex and "VN United Nations (English: UN)" in annex
    assert "Verenigde Naties" not in annex
    docx = Docx(example / "voorbeeldland.en.docx")
    cell = next(p for p in docx.document.iter(f"{W}p") if "Verenigd Koninkrijk" in _wtext(p))
    runs = _docx_runs(cell)
    assert runs["Verenigd Koninkrijk"] == "nl-NL" and [lang for t, lang in runs.items() if "[NL]" in t] == [""]
    with zipfile.ZipFile(example / "voorbeeldland.en.odt") as z:
        content = z.read("content.xml").decode("utf-8")
    assert _odt_dutch_span(content, "Verenigd Koninkrijk") and "[NL] <text:span" in content


def test_a_note_shown_in_dutch_has_its_marker(example, pdf_pages):
    """Note 33 belongs to a paragraph shown in Dutch: read at the page's foot,
    apart from the paragraph's marker, it has its own "[NL]" in every format
    (before, only its lang attribute said so)."""
    start = "Zie over de methode ook Armed Conflict Location"
    notes = {
        "html": Html(example / "voorbeeldland.en.html").notes,
        "docx": Docx(example / "voorbeeldland.en.docx").notes,
        "odt": Odt(example / "voorbeeldland.en.odt").notes,
    }
    # every note with text in Dutch: 7 (the others are citations, generated in English)
    dutch = Html(example / "voorbeeldland.en.html").xpath(
        "//section[contains(@class, 'footnotes')]/ol/li[.//span[@lang='nl-NL']]"
    )
    assert len(dutch) == 7
    for fmt, found in notes.items():
        (note,) = [n for n in found if start in n]
        assert note.startswith("[NL] " + start), (fmt, note)
        assert sum(n.startswith("[NL] ") for n in found) == len(dutch), fmt
    assert "[NL] " + start in norm(" ".join(pdf_pages))
    w_note = next(
        fn for fn in Docx(example / "voorbeeldland.en.docx").footnotes_root.iter(f"{W}footnote") if start in _wtext(fn)
    )
    runs = _docx_runs(w_note)
    # the marker is English (pandoc writes the note within its Dutch paragraph: it says so)
    assert [lang for t, lang in runs.items() if "[NL]" in t] == ["en-GB"]
    assert any(start in t and lang == "nl-NL" for t, lang in runs.items())


def test_the_cover_names_the_kind_of_report_once(example, pdf_pages):
    """The English title says the kind in its own words ("General country of
    origin report Voorbeeldland"): no "General country report" line with it."""
    html = Html(example / "voorbeeldland.en.html")
    assert not html.xpath("//header[contains(@class, 'cover')]//p[contains(@class, 'cover-kind')]")
    cover = norm(html.xpath("//header[contains(@class, 'cover')]")[0].text_content())
    assert "General country of origin report Voorbeeldland" in cover and "General country report" not in cover
    assert "General country report" not in pdf_pages[0] and "origin report Voorbeeldland" in norm(pdf_pages[0])
    docx = " ".join(t for _s, t in Docx(example / "voorbeeldland.en.docx").paragraphs)
    odt = " ".join(Odt(example / "voorbeeldland.en.odt").paragraphs)
    for text in (docx, odt):
        head = norm(text[: text.index("Colophon")])
        assert "General country of origin report Voorbeeldland" in head and "General country report" not in head


def test_contents_badge_and_title_are_apart_on_screen(example):
    """The screen HTML's contents are flex rows, which drop the space between
    their items: "[NL]Politieke". Its contents laid out with its own screen CSS
    (WeasyPrint, the nav only: about 1 s) have as wide a gap between the
    badge's "]" and the title as between two words of the title (before:
    1.9 pt, a word space 4.6 pt)."""
    import lxml.html
    import weasyprint

    html = Html(example / "voorbeeldland.en.html")
    style = "".join(html.xpath("//style")[0].itertext())
    nav = lxml.html.tostring(html.xpath("//nav[contains(@class, 'toc')]")[0], encoding="unicode")
    page = f"<style>{style}</style><body class='screen'>{nav}"
    pdf = pypdfium2.PdfDocument(weasyprint.HTML(string=page, media_type="screen").write_pdf())
    try:
        tp = next(p.get_textpage() for p in pdf if "[NL] Politieke en" in p.get_textpage().get_text_range())
        text = tp.get_text_range()
        at = text.index("[NL] Politieke en")
        badge = tp.get_charbox(at + 5)[0] - tp.get_charbox(at + 3)[2]  # "]" to "P" (pdfium's space between)
        space = at + len("[NL] Politieke")
        word = tp.get_charbox(space + 1)[0] - tp.get_charbox(space - 1)[2]  # "e" to "e" of "Politieke en"
        assert badge >= 0.8 * word, (badge, word)
    finally:
        pdf.close()


PLACES = ("Havenstad", "Noordkust", "Westmark", "Hooglanden", "Oostvallei", "Zuiderdelta")


def test_the_translation_keeps_every_place_name():
    """docs/translation.md: proper names stay as the source writes them. A
    translated entry names the places its Dutch names, in the same words."""
    checked = 0
    for path in sorted((ROOT / "reports/voorbeeldland/translations/en").rglob("*.po")):
        for e in polib.pofile(str(path)):
            if e.obsolete or not e.msgstr:
                continue
            for place in PLACES:
                if place in e.msgid:
                    checked += 1
                    assert place in e.msgstr, (path.name, place, e.msgstr)
            assert not re.search(r"Highlands|Eastern Valley|Southern Delta|North(ern)? Coast", e.msgstr)
    assert checked > 15


def test_the_glossary_is_translated_and_says_the_english_abbreviation():
    po = polib.pofile(str(ROOT / "reports/voorbeeldland/translations/en/glossary.po"))
    live = {e.msgctxt.removeprefix("glossary "): e for e in po if not e.obsolete}
    assert len(live) == 33 and all(e.msgstr and not e.fuzzy for e in live.values())
    for dutch, english in (("VN", "UN"), ("IVBPR", "ICCPR"), ("IVRK", "CRC"), ("LHBTIQ+", "LGBTIQ+")):
        assert live[dutch].msgstr.endswith(f"(English: {english})"), dutch
    assert live["UK"].msgstr == "United Kingdom" and live["TOELT"].msgstr


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_organisation_a_source_names_keeps_its_abbreviation(example, outputs, fmt):
    """sources.yaml names the UN "Verenigde Naties"; glossary.po translates
    the meaning of VN ("United Nations (English: UN)"), which the name then
    matched no more: the English annex and notes printed "Verenigde Naties,"
    without the "(VN)" the Dutch edition prints. The name stays as written
    (a proper name), its abbreviation is abuild's: in every format."""
    text = outputs[fmt]
    if fmt == "docx":  # the DOCX's notes are a part of their own
        text += " " + norm(" ".join(Docx(example / "voorbeeldland.en.docx").notes))
    treaty = "Internationaal Verdrag inzake burgerrechten en politieke rechten"
    assert f"Verenigde Naties (VN), {treaty}, 16 December 1966" in text  # the annex
    assert f"Verenigde Naties (VN), {treaty};" in text  # a note
    assert not re.search(r"(?<!van de )Verenigde Naties, ", text)
    assert "Secretaris-Generaal van de Verenigde Naties, Children" in text  # a name as written, not a glossary's
