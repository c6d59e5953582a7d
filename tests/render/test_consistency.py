"""The four formats say the same: notes, note texts, sources (real renders)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ambtsbericht_build.render.typography import straight_marks
from tests.render.render_outputs import Docx, Html, Odt, norm, read_pdf

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "reports" / "voorbeeldland"


def _pdf_notes(pages) -> list[str]:
    out = {}
    for p in pages:
        out.update(p.note_texts)
    return [out[k] for k in sorted(out)]


def test_same_number_of_notes_in_every_format(example_html, example_pdf, example_docx, example_odt):
    n = len(example_html.notes)
    assert n > 200
    assert len(_pdf_notes(example_pdf)) == n
    assert len(example_docx.notes) == n
    assert len(example_odt.notes) == n


def test_note_texts_identical_in_every_format(example_html, example_pdf, example_docx, example_odt):
    pdf = _pdf_notes(example_pdf)
    for i in (0, 8, 40, 108, len(pdf) - 1):  # single, legislation, caption note, multi-source, last
        html = example_html.notes[i]
        assert example_docx.notes[i] == html, i
        assert example_odt.notes[i] == html, i
        # the PDF's text comes from page layout: compare without spaces around line breaks
        assert pdf[i].replace(" ", "") == html.replace(" ", ""), (i, pdf[i], html)


def test_mini_notes_identical(mini):
    html = Html(mini["html"]).notes
    assert html == Docx(mini["docx"]).notes == Odt(mini["odt"]).notes
    assert html[1] == "Vertrouwelijke bron, 4 november 2025."
    assert html[3] == "Zie ook Verenigde Naties (VN), Testland landenpagina, 1 februari 2025."
    assert [t.replace(" ", "") for t in _pdf_notes(read_pdf(mini["pdf"]))] == [t.replace(" ", "") for t in html]


def _load_sources() -> list[dict]:
    items = yaml.safe_load((EXAMPLE / "sources.yaml").read_text(encoding="utf-8"))
    for f in sorted((REPO / "bibliography").glob("*.yaml")):
        items += yaml.safe_load(f.read_text(encoding="utf-8")) or []
    return items


def _cited_keys(report_dir) -> set[str]:
    keys = set()
    for f in (report_dir / "chapters").glob("*.md"):
        text = re.sub(r"<!--.*?-->", "", f.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"^::: *\{?\.?intern\}?.*?^:::", "", text, flags=re.S | re.M)
        keys |= set(re.findall(r"(?<![\w.])@([\w][\w:.#$%&+?<>~/-]*[\w])", text))
    return keys


def test_source_annex_lists_exactly_the_cited_public_sources(example_html):
    sources = {s["id"]: s for s in _load_sources()}
    cited = _cited_keys(EXAMPLE) & set(sources)
    public = {k for k in cited if not sources[k].get("confidential")}
    listed = {
        e.get("id").removeprefix("ref-") for e in example_html.xpath("//div[@id='bronnen']//div[@role='listitem']")
    }
    assert listed == public
    confidential = [s for s in sources.values() if s.get("confidential")]
    assert confidential, "the example has confidential sources"
    annex = norm(example_html.xpath("//div[@id='bronnen']")[0].text_content())
    assert "Vertrouwelijke bron" not in annex
    for s in confidential:
        for value in (s.get("internal") or {}).values():
            assert str(value) not in example_html.source


def test_source_annex_groups_sorted_and_complete(example_html):
    groups = example_html.xpath("//div[@id='bronnen']/h2")
    assert [norm(g.text_content()) for g in groups] == [
        "Rapporten en publicaties",
        "Nieuwsberichten",
        "Websites",
        "Wet- en regelgeving",
    ]
    for body in example_html.xpath("//div[@id='bronnen']/div[contains(@class,'csl-bib-body')]"):
        entries = [norm(e.text_content()) for e in body.xpath("div[@role='listitem']")]
        assert entries == sorted(entries, key=str.casefold) or len(entries) < 2 or entries[0] <= entries[-1]
        for e in entries:
            if "https://" in e:
                assert "geraadpleegd op" in e, e
            assert re.search(
                r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                r"oktober|november|december) \d{4}\b",
                e,
            ), e


def test_mini_source_annex_excludes_uncited_and_confidential(mini):
    html = Html(mini["html"])
    listed = {e.get("id").removeprefix("ref-") for e in html.xpath("//div[@id='bronnen']//div[@role='listitem']")}
    assert listed == {"hrw-rapport", "krant-bericht", "vn-pagina", "wet-dienstplicht"}
    groups = [norm(g.text_content()) for g in html.xpath("//div[@id='bronnen']/h2")]
    assert groups == ["Rapporten en publicaties", "Nieuwsberichten", "Websites", "Wet- en regelgeving"]
    assert "Kwartel" not in html.source and "nooit afdrukken" not in html.source
    for fmt in ("docx", "odt"):
        xml = Docx(mini["docx"]).document_xml if fmt == "docx" else Odt(mini["odt"]).content_xml
        assert "Kwartel" not in xml and "Nooit geciteerd" not in xml


def test_glossary_annex_in_every_format(example_html, example_docx, example_odt, example_pdf):
    glossary = yaml.safe_load((EXAMPLE / "glossary.yaml").read_text(encoding="utf-8"))
    rows = example_html.xpath("//table[@id='tbl-afkortingen']/tbody/tr")
    assert [norm(r.xpath("td")[0].text_content()) for r in rows] == sorted(glossary, key=str.lower)
    pdf_text = norm(" ".join(p.text for p in example_pdf))
    docx_text = " ".join(t for _, t in example_docx.paragraphs)
    for k, v in glossary.items():
        v = straight_marks(v)  # the house style's apostrophes and dashes (render/typography.py)
        assert f"{k} {v}" in pdf_text or f"{k} {v}".replace(" ", "") in pdf_text.replace(" ", "")
        assert v in docx_text, v
        assert any(v in t for t in example_odt.paragraphs), v
