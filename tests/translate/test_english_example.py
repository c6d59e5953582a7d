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


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example's English edition in all four formats (the directory they are in)."""
    root = _copy(tmp_path_factory.mktemp("example") / "repo")
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
