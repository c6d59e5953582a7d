"""The DOCX as an edition (issue #11): page breaks, running header and footer
fields, the CONCEPT watermark, a table of contents that shows before fields
are updated, the generated annexes' shape, and abuild's document properties.
Every test reads the real DOCX the render wrote (zipfile + lxml)."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from ambtsbericht_build.render import ast as A
from ambtsbericht_build.render.facts import RenderFacts
from ambtsbericht_build.render.formats.docx_package import app_xml, custom_xml, header_parts, xml_text
from ambtsbericht_build.render.formats.docx_toc import headings_and_toc
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
    """The text a reader sees: w:t, a tab as a space (not a field's instruction)."""
    return " ".join("".join(t.text or "" if t.tag == f"{W}t" else " " for t in el.iter(f"{W}t", f"{W}tab")).split())


def headings(doc, top: int = 9, annex: bool = False) -> list[tuple[int, object]]:
    """(level, paragraph) of the headings; ``annex``: with the annex headings
    the TOC leaves out (their own style, based on a heading's)."""
    out = []
    pattern = r"(?:AbuildAnnex)?Heading(\d)" if annex else r"Heading(\d)"
    for p in doc.iterfind(".//w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        m = re.fullmatch(pattern, style.get(f"{W}val")) if style is not None else None
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
        assert style == f"TOC{level}" and text(link.find("w:r", NS)) == title
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
    levels = headings(Package(example["docx"]).document, annex=True)
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
    doc = etree.fromstring(headings_and_toc(xml)[0].encode())
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


# --- the TOC's page numbers and entries (pageread #1, #6) ---------------------------------


def html_toc_titles(html: Path) -> list[str]:
    """The entries of the HTML's TOC (the PDF prints the same nav)."""
    tree = etree.HTML(html.read_bytes())
    return [" ".join("".join(li.itertext()).split()) for li in tree.xpath("//nav[@class='toc']//li")]


def docx_toc(pkg: Package) -> list[tuple[str, str]]:
    """(title, page number shown before fields are updated) of each entry."""
    (sdt,) = pkg.document.xpath(
        ".//w:sdt[w:sdtPr/w:docPartObj/w:docPartGallery/@w:val='Table of Contents']", namespaces=NS
    )
    out = []
    for p in sdt.iterfind("w:sdtContent/w:p", NS):
        link = p.find("w:hyperlink", NS)
        if link is None:
            continue
        runs = list(link.iterfind("w:r", NS))
        title = text(runs[0])
        # the PAGEREF field's result: the w:t runs after its "separate"
        chars = [(r.find("w:fldChar", NS), r) for r in runs]
        sep = next(i for i, (c, _) in enumerate(chars) if c is not None and c.get(f"{W}fldCharType") == "separate")
        shown = "".join(text(r) for _, r in chars[sep + 1 :])
        assert any(r.find("w:tab", NS) is not None for r in runs), f"{title!r}: no tab to the dot leader"
        out.append((title, shown))
    return out


def test_toc_shows_entries_and_leaders_and_leaves_page_numbers_to_word(example):
    """Every entry with its dot leader at once; no page number before Word
    updates the fields (numbers copied from the PDF were measured 2-6 pages
    off in Word's pagination: docs/render.md), and the field is marked dirty
    so that Word offers to update it on opening."""
    entries = docx_toc(Package(example["docx"]))
    assert len(entries) > 20 and dict(entries)["Inleiding"] == ""
    assert all(shown == "" for _, shown in entries), entries
    assert b'w:dirty="true"' in Package(example["docx"]).parts["word/document.xml"]


def test_toc_lists_what_the_pdf_and_html_list(example):
    """The DOCX listed the annexes' source groups and ToR themes, which the
    PDF and HTML leave out; they keep their look and outline level under a
    style of their own, which a TOC field (\\o) does not collect."""
    pkg = Package(example["docx"])
    assert [t for t, _ in docx_toc(pkg)] == html_toc_titles(example["html"])
    annex = [
        text(p)
        for p in pkg.document.iterfind(".//w:p", NS)
        if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(f"{W}val") == "AbuildAnnexHeading2"
    ]
    assert {"Rapporten en publicaties", "Nieuwsberichten", "1 Politieke en veiligheidssituatie"} <= set(annex)
    (style,) = pkg.xml("word/styles.xml").xpath("w:style[@w:styleId='AbuildAnnexHeading2']", namespaces=NS)
    assert style.find("w:basedOn", NS).get(f"{W}val") == "Heading2"


def test_cover_reads_concept_then_colofon_left_aligned(example, mini):
    """The DOCX cover read "Colofon" (centred by pandoc's Abstract Title
    style) and then "CONCEPT"; the PDF and HTML read CONCEPT, then Colofon,
    both left-aligned like the rest of the cover."""
    pkg = Package(example["docx"])
    styles = pkg.xml("word/styles.xml")

    def alignment(p) -> str:
        jc = p.find("w:pPr/w:jc", NS)
        if jc is not None:
            return jc.get(f"{W}val")
        sid = p.find("w:pPr/w:pStyle", NS).get(f"{W}val")
        found = styles.xpath(f"w:style[@w:styleId='{sid}']/w:pPr/w:jc/@w:val", namespaces=NS)
        return found[0] if found else "left"

    body = pkg.document.find("w:body", NS)
    cover = []
    for el in body:
        if el.tag == f"{W}tbl":
            break
        cover.append(el)
    said = [text(p) for p in cover]
    assert said[-2:] == ["CONCEPT", "Colofon"]
    assert all(alignment(p) in ("left", "start") for p in cover), [alignment(p) for p in cover]
    status = cover[-2].find("w:r/w:rPr/w:color", NS)
    assert status is not None and status.get(f"{W}val") == "8B0000", "the PDF's dark red"
    # a vastgesteld report has no status line: the colofon's title follows the date
    mini_said = []
    for el in Package(mini["docx"]).document.find("w:body", NS):
        if el.tag == f"{W}tbl":
            break
        mini_said.append(text(el))
    assert mini_said[-1] == "Colofon" and "CONCEPT" not in mini_said


def test_a_notes_own_number_reads_as_in_the_pdf(example):
    """The PDF and HTML print a note's own number on the line in a hanging
    column, the DOCX printed a superscript "1" (docs/house-style.md: Note
    numbers): now "1", a tab, the text, hanging as in the PDF."""
    pkg = Package(example["docx"])
    notes = [n for n in pkg.xml("word/footnotes.xml").iterfind("w:footnote", NS) if n.get(f"{W}type") is None]
    assert len(notes) > 200
    for note in notes:
        runs = note.findall("w:p/w:r", NS)
        assert runs[0].find("w:footnoteRef", NS) is not None, "Word's automatic number"
        assert runs[0].find("w:rPr/w:rStyle", NS).get(f"{W}val") == "AbuildNoteNumber"
        # on the line also where LibreOffice reads only the run's own properties
        assert runs[0].find("w:rPr/w:vertAlign", NS).get(f"{W}val") == "baseline"
        assert runs[1].find("w:tab", NS) is not None and not text(runs[1]), "a tab to the text"
        ind = note.find("w:p/w:pPr/w:ind", NS)
        assert ind.get(f"{W}left") == ind.get(f"{W}hanging") == "442", "the text hangs as in the PDF (2.6em)"
        assert note.find("w:p/w:pPr/w:tabs/w:tab", NS).get(f"{W}pos") == "442"
    styles = pkg.xml("word/styles.xml")
    (style,) = styles.xpath("w:style[@w:styleId='AbuildNoteNumber']", namespaces=NS)
    assert style.find("w:rPr/w:vertAlign", NS).get(f"{W}val") == "baseline"
    # LibreOffice prints a note's number in the calls' style: that style is on the line ...
    (call_style,) = styles.xpath("w:style[@w:styleId='FootnoteReference']", namespaces=NS)
    assert call_style.find("w:rPr/w:vertAlign", NS) is None
    # ... and the call in the text stays a superscript by its run
    calls = pkg.document.xpath(".//w:r[w:footnoteReference]/w:rPr", namespaces=NS)
    assert calls and {c.find("w:rStyle", NS).get(f"{W}val") for c in calls} == {"FootnoteReference"}
    assert {c.find("w:vertAlign", NS).get(f"{W}val") for c in calls} == {"superscript"}


@settings(max_examples=8, deadline=None)
@example("sec-politieke-ontwikkelingen-algemeen-toegang-tot-rechtshulp")
@example("sec-é" + "ë" * 40)
@given(
    st.text(
        st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x24F) | st.sampled_from("-_."),
        min_size=1,
        max_size=70,
    ).filter(lambda s: s[0].isalpha())
)
def test_bookmark_names_are_pandocs(ident):
    """The TOC tells its headings from the annexes' by identifier; pandoc's
    DOCX writer shortens one longer than 40 characters to a hash (the
    benchmark report lost 120 of its 232 TOC entries before this was known)."""
    import pypandoc

    from ambtsbericht_build.render.formats.docx_toc import bookmark_name

    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [A.Header(1, A.text("Kop"), ident=ident)]}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "x.docx"
        pypandoc.convert_text(json.dumps(doc), "docx", format="json", outputfile=str(out))
        with zipfile.ZipFile(out) as z:
            names = re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]*)"', z.read("word/document.xml").decode())
    assert names == [bookmark_name(ident)]


LONG_ID = "sec-verkiezingen-in-de-provincies-van-het-noorden-en-het-zuiden"
LONG_IDS = f"""\
# Politiek en veiligheid {{#h-politiek}}

## Verkiezingen in de provincies van het noorden en het zuiden {{#{LONG_ID} tor="1.1"}}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]
"""


def test_toc_keeps_headings_with_long_identifiers(tmp_path):
    """A heading whose identifier is longer than Word's 40-character
    bookmark names was taken for an annex heading and left out of the TOC."""
    from ambtsbericht_build.render.pipeline import RenderOptions, render_report
    from tests.fixtures.report_kit import make_report

    report = make_report(tmp_path)
    report.chapter(LONG_IDS)
    result = render_report(report.dir, RenderOptions(out_dir=report.root / "out", formats=("docx",)))
    assert not result.refused, result.diagnostics
    titles = [t for t, _ in docx_toc(Package(result.outputs["docx"]))]
    assert "1.1 Verkiezingen in de provincies van het noorden en het zuiden" in titles
