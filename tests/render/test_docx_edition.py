"""The DOCX as an edition (issue #11): page breaks, running header and footer
fields, the CONCEPT watermark, a table of contents that shows before fields
are updated, the generated annexes' shape, and abuild's document properties.
Every test reads the real DOCX the render wrote (zipfile + lxml)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ambtsbericht_build.render.facts import RenderFacts
from ambtsbericht_build.render.formats.docx_package import app_xml, custom_xml, header_parts, headings_and_toc, xml_text
from tests.render.test_hostile_metadata import _facts as hostile_facts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS = {
    "w": W[1:-1],
    "r": R[1:-1],
    "v": "urn:schemas-microsoft-com:vml",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


class Package:
    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        self.targets = {r.get("Id"): "word/" + r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}

    def xml(self, name: str):
        return etree.fromstring(self.parts[name])

    def section_part(self, kind: str, which: str):
        (ref,) = self.document.xpath(f"w:body/w:sectPr/w:{kind}Reference[@w:type='{which}']", namespaces=NS)
        return self.xml(self.targets[ref.get(f"{R}id")])


def text(el) -> str:
    """The text a reader sees: w:t only (not a field's instruction)."""
    return " ".join("".join(t.text or "" for t in el.iter(f"{W}t")).split())


def headings(doc, top: int = 9) -> list[tuple[int, object]]:
    out = []
    for p in doc.iterfind(".//w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        m = re.fullmatch(r"Heading(\d)", style.get(f"{W}val")) if style is not None else None
        if m and int(m.group(1)) <= top:
            out.append((int(m.group(1)), p))
    return out


def test_every_chapter_and_annex_starts_a_page(example):
    doc = Package(example["docx"]).document
    level1 = [p for level, p in headings(doc) if level == 1]
    assert len(level1) >= 10  # 7 chapters, 3 annexes
    for p in level1:
        assert p.find("w:pPr/w:pageBreakBefore", NS) is not None, f"{text(p)!r} does not start a page"


def test_note_numbers_run_on_through_the_document(example):
    """pandoc's `numRestart eachSect` made LibreOffice start the notes at 1
    in every chapter; the PDF and ODT number them straight through."""
    doc = Package(example["docx"]).document
    restarts = [e.get(f"{{{NS['w']}}}val") for e in doc.iter(f"{{{NS['w']}}}numRestart")]
    assert restarts and set(restarts) == {"continuous"}


def test_running_header_and_page_x_of_y_footer_as_fields(example, mini):
    pkg = Package(example["docx"])
    header = pkg.section_part("header", "default")
    assert text(header).startswith("Algemeen ambtsbericht Voorbeeldland")
    assert text(header).endswith("september 2026")
    footer = pkg.section_part("footer", "default")
    instructions = [i.text.strip() for i in footer.iterfind(".//w:instrText", NS)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert text(footer) == "Pagina 1 van 1", "the fields' shown results between 'Pagina' and 'van'"
    # the cover has its own (empty) header and footer
    assert pkg.document.find("w:body/w:sectPr/w:titlePg", NS) is not None
    assert text(pkg.section_part("footer", "first")) == ""
    # a second report: its own title, no leftover footer part from the reference document
    mini_pkg = Package(mini["docx"])
    assert text(mini_pkg.section_part("header", "default")).startswith("Thematisch ambtsbericht Testland")
    assert "word/footer1.xml" not in mini_pkg.parts


def _watermarks(pkg: Package) -> list[str]:
    out = []
    for which in ("default", "first"):
        part = pkg.section_part("header", which)
        out += [t.get("string") for t in part.iterfind(".//v:textpath[@string]", NS)]
    return out


def test_concept_watermark_while_a_concept_only(example, mini):
    assert _watermarks(Package(example["docx"])) == ["CONCEPT", "CONCEPT"], "every page, the cover too"
    assert _watermarks(Package(mini["docx"])) == [], "a vastgesteld report has no watermark"


def test_toc_is_filled_before_fields_are_updated(example):
    pkg = Package(example["docx"])
    doc = pkg.document
    (sdt,) = doc.xpath(".//w:sdt[w:sdtPr/w:docPartObj/w:docPartGallery/@w:val='Table of Contents']", namespaces=NS)
    instr = " ".join(i.text for i in sdt.iterfind(".//w:instrText", NS))
    assert 'TOC \\o "1-3"' in instr, "three levels, as the PDF"
    entries = [p for p in sdt.iterfind("w:sdtContent/w:p", NS) if p.find("w:hyperlink", NS) is not None]
    bookmarks = {}
    for level, p in headings(doc, 3):
        for b in p.iterfind("w:bookmarkStart", NS):
            if b.get(f"{W}name").startswith("_Toc"):
                bookmarks[b.get(f"{W}name")] = (level, text(p))
    body = [(level, text(p)) for level, p in headings(doc, 3)]
    shown = []
    for p in entries:
        link = p.find("w:hyperlink", NS)
        style = p.find("w:pPr/w:pStyle", NS).get(f"{W}val")
        name = link.get(f"{W}anchor")
        assert name in bookmarks, f"TOC entry {text(p)!r} links to no heading"
        level, title = bookmarks[name]
        assert style == f"TOC{level}" and text(link) == title
        assert f"PAGEREF {name}" in " ".join(i.text for i in link.iterfind(".//w:instrText", NS))
        shown.append((level, title))
    assert shown == body, "one entry per heading of levels 1-3, in document order"
    titles = [t for _, t in shown]
    assert {"Inleiding", "1.1.1 Wet op de nationale veiligheid", "Bijlage 3 Terms of Reference"} <= set(titles)
    # the field is still one field: begin in the first entry, end after the last
    chars = [c.get(f"{W}fldCharType") for c in sdt.iterfind(".//w:fldChar", NS)]
    assert chars[0] == "begin" and chars[-1] == "end"
    assert chars.count("begin") == chars.count("end") == len(entries) + 1
    # a chapter's line is kept with the next, as in the PDF
    assert pkg.xml("word/styles.xml").xpath("w:style[@w:styleId='TOC1']/w:pPr/w:keepNext", namespaces=NS)


def test_tor_questions_have_no_bullet(example):
    doc = Package(example["docx"]).document
    questions = [p for p in doc.iterfind(".//w:p", NS) if re.match(r"\d+\.\d+ \S", text(p))]
    questions = [p for p in questions if p.find("w:pPr/w:pStyle", NS) is None or "Heading" not in text(p)]
    tor = [p for p in questions if p.find("w:r/w:rPr/w:b", NS) is not None]
    assert len(tor) >= 15, "the ToR annex lists the questions"
    for p in tor:
        assert p.find("w:pPr/w:numPr", NS) is None, f"a bullet before {text(p)[:40]!r}"
    answered = [p for p in doc.iterfind(".//w:p", NS) if text(p).startswith("Beantwoord in:")]
    assert answered and all(p.find("w:pPr/w:numPr", NS) is None for p in answered)


def test_heading_levels_never_skip(example):
    levels = headings(Package(example["docx"]).document)
    previous = 1
    for level, p in levels:
        assert level <= previous + 1, f"{text(p)!r} (level {level}) follows a level-{previous} heading"
        previous = level
    annex_parts = [text(p) for level, p in levels if level == 2]
    assert "Rapporten en publicaties" in annex_parts and "1 Politieke en veiligheidssituatie" in annex_parts


def test_source_entries_have_a_hanging_indent(example):
    pkg = Package(example["docx"])
    entries = [
        p
        for p in pkg.document.iterfind(".//w:p", NS)
        if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(f"{W}val") == "Bibliography"
    ]
    assert len(entries) >= 40
    assert any(text(p).startswith("Amnesty International, Behind Closed Doors") for p in entries)
    styles = pkg.xml("word/styles.xml")
    (ind,) = styles.xpath("w:style[@w:styleId='Bibliography']/w:pPr/w:ind", namespaces=NS)
    assert int(ind.get(f"{W}hanging")) > 0 and ind.get(f"{W}left") == ind.get(f"{W}hanging")


def test_document_properties_are_abuilds(example):
    pkg = Package(example["docx"])
    app = pkg.parts["docProps/app.xml"].decode()
    assert re.search(r"<Application>abuild \S+</Application>", app)
    for leftover in ("Microsoft", "<Words>", "<Pages>", "<Template>", "<TotalTime>"):
        assert leftover not in app
    custom = pkg.xml("docProps/custom.xml")
    props = {p.get("name"): "".join(p.itertext()) for p in custom}
    # the review anchors' properties (tests/review/test_import.py): the report and its chapters
    anchors = {k: props.pop(k) for k in list(props) if k.startswith("abuild-")}
    assert anchors["abuild-report"] == "voorbeeldland" and anchors["abuild-source-0"].startswith("chapters/")
    assert props == {
        "kind": "Algemeen ambtsbericht",
        "country": "Voorbeeldland",
        "report-date": "1 september 2026",
        "reference-period": "1 september 2024 tot en met 30 juni 2026",
        "version": "1.0",
        "status": "concept",
    }
    assert b"custom-properties+xml" in pkg.parts["[Content_Types].xml"]
    for rid, target in pkg.targets.items():
        if "header" in target or "footer" in target:
            assert target in pkg.parts, f"{rid} points at a missing {target}"


# --- hostile text: the package stays XML and says what was written ---------------------------

_PIECES = list("</>\"'\\&;{}\n\t\x00\x0b é\u2028\ufffe") + ["<w:p>", "</w:t>", "]]>", "&amp;", "{cutoff}"]
HOSTILE = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join) | st.text(max_size=30)


def _facts(title: str, draft: bool) -> RenderFacts:
    """The hostile-metadata test's facts, with the title in every field the
    DOCX writes and the concept flag as given."""
    facts = hostile_facts(title, issuer=title)
    return replace(facts, meta=replace(facts.meta, country=title, version=title, draft=draft))


def _xml_kept(s: str) -> str:
    return _kept(s)


def _one_line(s: str) -> str:
    return " ".join(_kept(s).split())


def _kept(s: str) -> str:
    return "".join(
        c for c in s if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
    )


@settings(max_examples=150, deadline=None)
@given(title=HOSTILE, draft=st.booleans())
def test_header_and_properties_stay_xml_whatever_the_title(title, draft):
    facts = _facts(title, draft)
    parts = header_parts(facts)
    header = etree.fromstring(parts["header-abuild.xml"])
    shown = [t.text or "" for t in header.iter(f"{W}t")]
    assert shown[0] == _one_line(title) and shown[-1] == "mei 2026"
    assert len(header.xpath(".//v:textpath[@string='CONCEPT']", namespaces=NS)) == (1 if draft else 0)
    footer = etree.fromstring(parts["footer-abuild.xml"])
    assert [i.text.strip() for i in footer.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]
    custom = etree.fromstring(custom_xml(facts))
    assert {p.get("name"): "".join(p.itertext()) for p in custom}["country"] == _one_line(title)
    app = etree.fromstring(app_xml(facts))
    assert "".join(app.find("{*}Company").itertext()) == _one_line(title)


# pandoc 3.9's document.xml: its TOC field (empty) and heading paragraphs
_PANDOC_TOC = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents" /><w:docPartUnique />'
    '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading" /></w:pPr><w:r>'
    '<w:t xml:space="preserve">Inhoudsopgave</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin" '
    'w:dirty="true" /><w:instrText xml:space="preserve">TOC \\o &quot;1-3&quot; \\h \\z \\u</w:instrText>'
    '<w:fldChar w:fldCharType="separate" /><w:fldChar w:fldCharType="end" /></w:r></w:p></w:sdtContent></w:sdt>'
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), HOSTILE), max_size=12))
def test_toc_lists_every_heading_whatever_its_text(heads):
    body = "".join(
        f'<w:bookmarkStart w:id="{i}" w:name="h{i}" /><w:p><w:pPr><w:pStyle w:val="Heading{level}" /></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_text(title)}</w:t></w:r></w:p><w:bookmarkEnd w:id="{i}" />'
        for i, (level, title) in enumerate(heads)
    )
    xml = f'<w:document xmlns:w="{NS["w"]}"><w:body>{_PANDOC_TOC}{body}<w:sectPr /></w:body></w:document>'
    doc = etree.fromstring(headings_and_toc(xml).encode())
    expected = [(level, " ".join(_xml_kept(t).split())) for level, t in heads if level <= 3]
    expected = [(level, t) for level, t in expected if t]
    sdt = doc.find(".//w:sdt", NS)
    listed = [
        (int(p.find("w:pPr/w:pStyle", NS).get(f"{W}val")[3:]), text(p.find("w:hyperlink", NS)))
        for p in sdt.iterfind("w:sdtContent/w:p", NS)
        if p.find("w:hyperlink", NS) is not None
    ]
    assert listed == [(level, " ".join(t.split())) for level, t in expected]
    for level, p in headings(doc):
        assert (p.find("w:pPr/w:pageBreakBefore", NS) is not None) == (level == 1)
    ids = [b.get(f"{W}id") for b in doc.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids)), "bookmark ids are unique"
