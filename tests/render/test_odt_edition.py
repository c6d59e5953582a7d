"""Issue #11, the ODT: valid ODF 1.3 and publishable page by page (real renders).

The ODT parts are validated against the OASIS ODF 1.3 RELAX NG schemas
(tests/vendor/odf-1.3, see tests/vendor/README.md). The example report (a
concept) and a small vastgesteld report are rendered to ODT only, once.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats import odt_package
from ambtsbericht_build.render.formats.odt_package import length_cm, q
from ambtsbericht_build.render.formats.office import OFFICE_TOC_DEPTH
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.render.conftest import EXAMPLE, make_mini_report
from tests.render.test_hostile_metadata import HOSTILE, _facts

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "odf-1.3"
DOCUMENT_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml")


class Package:
    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.content = ET.fromstring(self.parts["content.xml"])
        self.styles = ET.fromstring(self.parts["styles.xml"])
        self.text = self.content.find(f"{q('office:body')}/{q('office:text')}")

    def style(self, name: str, root: ET.Element | None = None) -> ET.Element | None:
        for tree in (self.content, self.styles) if root is None else (root,):
            for s in tree.iter(q("style:style")):
                if s.get(q("style:name")) == name:
                    return s
        return None

    def paragraph_prop(self, style_name: str, attr: str) -> str | None:
        """A paragraph property of a style, inherited through its parents."""
        seen = set()
        name: str | None = style_name
        while name and name not in seen:
            seen.add(name)
            s = self.style(name)
            if s is None:
                return None
            props = s.find(q("style:paragraph-properties"))
            if props is not None and props.get(q(attr)) is not None:
                return props.get(q(attr))
            name = s.get(q("style:parent-style-name"))
        return None

    def master(self, name: str = "Standard") -> ET.Element:
        for m in self.styles.iter(q("style:master-page")):
            if m.get(q("style:name")) == name:
                return m
        raise AssertionError(f"no master page {name}")


def _render_odt(tmp_path_factory, name: str, report: Path | None) -> Path:
    d = tmp_path_factory.mktemp(name)
    report_dir = report or make_mini_report(d / "repo")
    result = render_report(report_dir, RenderOptions(formats=("odt",), out_dir=d / "out"))
    assert not result.refused, result.diagnostics
    return result.outputs["odt"]


@pytest.fixture(scope="module")
def example_pkg(tmp_path_factory) -> Package:
    return Package(_render_odt(tmp_path_factory, "odt-example", EXAMPLE))


@pytest.fixture(scope="module")
def final_pkg(tmp_path_factory) -> Package:
    return Package(_render_odt(tmp_path_factory, "odt-final", None))


@pytest.fixture(scope="module")
def schemas():
    from lxml import etree

    return (
        etree.RelaxNG(etree.parse(str(VENDOR / "OpenDocument-v1.3-schema.rng"))),
        etree.RelaxNG(etree.parse(str(VENDOR / "OpenDocument-v1.3-manifest-schema.rng"))),
    )


def _errors(schema, data: bytes) -> list[str]:
    from lxml import etree

    if schema.validate(etree.fromstring(data)):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5]]


@pytest.mark.parametrize("which", ["example_pkg", "final_pkg"])
def test_every_part_is_valid_odf_1_3(which, request, schemas):
    pkg: Package = request.getfixturevalue(which)
    document, manifest = schemas
    for name in DOCUMENT_PARTS:
        assert name in pkg.parts, f"{name} missing from the package"
        assert _errors(document, pkg.parts[name]) == [], name
    assert _errors(manifest, pkg.parts["META-INF/manifest.xml"]) == []
    listed = {e.get(q("manifest:full-path")) for e in ET.fromstring(pkg.parts["META-INF/manifest.xml"])}
    assert set(pkg.parts) - {"mimetype", "META-INF/manifest.xml"} <= listed, "every part is in the manifest"


def test_the_schema_rejects_what_pandoc_wrote_before(schemas):
    """The validation can fail: the colofon as pandoc's ODT writer printed it
    (runs and line breaks straight in office:text) is not ODF."""
    document, _ = schemas
    bad = (
        f'<office:document-content xmlns:office="{odt_package.NS["office"]}" xmlns:text="{odt_package.NS["text"]}"'
        ' office:version="1.3"><office:body><office:text><text:span>Land</text:span>Voorbeeldland<text:line-break/>'
        "</office:text></office:body></office:document-content>"
    ).encode()
    assert _errors(document, bad)


def test_colofon_is_a_table_on_the_cover(example_pkg):
    blocks = list(example_pkg.text)
    assert all(b.tag not in (q("text:span"), q("text:line-break")) for b in blocks), "no loose runs in the body"
    tables = [b for b in blocks if b.tag == q("table:table")]
    rows = ["|".join("".join(c.itertext()).strip() for c in r) for r in tables[0].iter(q("table:table-row"))]
    assert rows[0] == "Land|Voorbeeldland" and "Versie|1.0" in rows
    toc = next(i for i, b in enumerate(blocks) if b.tag == q("text:table-of-content"))
    assert blocks.index(tables[0]) < toc, "the colofon comes before the table of contents"
    breaks = [
        i
        for i, b in enumerate(blocks)
        if example_pkg.paragraph_prop(b.get(q("text:style-name"), ""), "fo:break-after") == "page"
    ]
    # on the cover, as in the PDF: after the title block, then a page break
    assert len(breaks) == 1 and blocks.index(tables[0]) < breaks[0] < toc
    assert not [b for b in blocks[: breaks[0]] if b.tag == q("text:h")]


def test_toc_lists_every_chapter_and_section_as_a_link(example_pkg):
    toc = example_pkg.text.find(q("text:table-of-content"))
    body = toc.find(q("text:index-body"))
    assert body is not None
    # a number and its title are parted by a tab (the number column): a space in the heading
    entries = [
        (p.get(q("text:style-name")), "".join(t or "\t" for t in _texts(p)).rstrip("\t").replace("\t", " "))
        for p in body.findall(q("text:p"))
    ]
    headings = [
        (f"Contents_20_{h.get(q('text:outline-level'))}", "".join(t for t in h.itertext()))
        for h in example_pkg.text.iter(q("text:h"))
        if int(h.get(q("text:outline-level"))) <= OFFICE_TOC_DEPTH
        and not h.get(q("text:style-name")).startswith("Abuild_20_Annex")
    ]
    assert len(entries) >= 30
    assert [t for _, t in entries] == [t for _, t in headings]
    assert [s for s, _ in entries] == [s for s, _ in headings]
    marks = {m.get(q("text:name")) for m in example_pkg.text.iter(q("text:bookmark-start"))}
    links = [a.get(q("xlink:href")) for a in body.iter(q("text:a"))]
    assert len(links) == len(entries) and all(href[1:] in marks for href in links)
    assert "Inhoudsopgave" in "".join(body.find(q("text:index-title")).itertext())


def test_source_annex_is_not_cut_into_sections(example_pkg):
    """Each source was a text:section, and LibreOffice then left a group
    heading ("Websites") alone at the foot of a page."""
    assert not list(example_pkg.text.iter(q("text:section")))
    marks = {m.get(q("text:name")) for m in example_pkg.text.iter(q("text:bookmark"))}
    assert len({m for m in marks if m.startswith("ref-")}) >= 60, "each source keeps its id as a bookmark"
    blocks = list(example_pkg.text)
    groups = [i for i, b in enumerate(blocks) if b.tag == q("text:h") and "".join(b.itertext()) == "Websites"]
    assert len(groups) == 1 and blocks[groups[0] + 1].tag == q("text:p")


def test_images_fit_the_text_width(example_pkg):
    props = next(example_pkg.styles.iter(q("style:page-layout-properties")))
    width = length_cm(props.get(q("fo:page-width"))) - length_cm(props.get(q("fo:margin-left"))) * 2
    frames = list(example_pkg.text.iter(q("draw:frame")))
    assert frames
    for frame in frames:
        w, h = length_cm(frame.get(q("svg:width"))), length_cm(frame.get(q("svg:height")))
        assert w <= width + 0.01, f"{frame.get(q('draw:name'))} is {w:.1f} cm wide, the text {width:.1f} cm"
    # the map (1,600 x 1,200 px) fills the column and keeps its proportions
    w, h = length_cm(frames[0].get(q("svg:width"))), length_cm(frames[0].get(q("svg:height")))
    assert abs(w - width) < 0.01 and abs(h / w - 0.75) < 0.01


def test_tables_have_rules_and_a_repeated_header_row(example_pkg):
    tables = list(example_pkg.text.iter(q("table:table")))
    assert len(tables) >= 4
    # the colofon is set as in the PDF, without rules (test_cover_and_colofon_...)
    for table in tables[1:]:
        for cell in table.iter(q("table:table-cell")):
            style = example_pkg.style(cell.get(q("table:style-name")))
            props = style.find(q("style:table-cell-properties"))
            assert props.get(q("fo:border")) not in (None, "none"), table.get(q("table:name"))
    # every table but the colofon (rows of label and value) has a header
    # row that LibreOffice repeats on each page the table runs onto
    colofon, *others = tables
    assert colofon.find(q("table:table-header-rows")) is None
    assert "Provincie" in "".join(others[0].itertext()) and len(others) >= 3
    for table in others:
        head = table.find(q("table:table-header-rows"))
        assert head is not None, table.get(q("table:name"))
        for cell in head.iter(q("table:table-cell")):
            assert "".join(cell.itertext()).strip()
            props = example_pkg.style(cell.get(q("table:style-name"))).find(q("style:table-cell-properties"))
            assert props.get(q("fo:background-color")) == odt_package.HEADER_SHADE


def test_every_chapter_and_annex_starts_a_page(example_pkg):
    h1 = [h for h in example_pkg.text.iter(q("text:h")) if h.get(q("text:outline-level")) == "1"]
    assert len(h1) >= 9
    for h in h1:
        style = h.get(q("text:style-name"))
        assert example_pkg.paragraph_prop(style, "fo:break-before") == "page", "".join(h.itertext())


def test_header_footer_and_cover(example_pkg):
    master = example_pkg.master()
    header = "".join(master.find(q("style:header")).itertext())
    assert "Algemeen ambtsbericht Voorbeeldland" in header and header.endswith("september 2026")
    footer = master.find(q("style:footer")).find(q("text:p"))
    assert footer.text == "Pagina " and footer[0].tag == q("text:page-number") and footer[0].tail == " van "
    assert footer[1].tag == q("text:page-count")
    first = next(iter(example_pkg.text))
    cover = example_pkg.style(first.get(q("text:style-name")))
    cover_master = example_pkg.master(cover.get(q("style:master-page-name")))
    # no running header or footer on the cover: at most the watermark's header
    assert cover_master.find(q("style:footer")) is None
    for p in cover_master.iter(q("text:p")):
        if p.find(q("draw:custom-shape")) is None:
            continue
        assert not (p.text or "").strip() and [c.tag for c in p] == [q("draw:custom-shape")]
        assert not (p[0].tail or "").strip()
    assert cover_master.get(q("style:next-style-name")) == "Standard"


def test_concept_watermark_only_while_concept(example_pkg, final_pkg):
    shapes = list(example_pkg.master().iter(q("draw:custom-shape")))
    assert len(shapes) == 1 and "".join(shapes[0].itertext()) == "CONCEPT"
    cover = [m for m in example_pkg.styles.iter(q("style:master-page")) if m.get(q("style:name")) != "Standard"]
    assert [len(list(m.iter(q("draw:custom-shape")))) for m in cover] == [1], "the cover has the watermark too"
    # LibreOffice's Format > Watermark finds it by this name and can change it
    assert shapes[0].get(q("draw:name")).startswith("PowerPlusWaterMarkObject")
    assert "rotate" in shapes[0].get(q("draw:transform"))
    assert not list(final_pkg.styles.iter(q("draw:custom-shape")))
    assert b"CONCEPT" not in final_pkg.parts["styles.xml"] + final_pkg.parts["content.xml"]
    assert "Testland" in "".join(final_pkg.master().find(q("style:header")).itertext())


# --- the module's parts, on hostile input -------------------------------------------------

UNITS = st.sampled_from(["cm", "mm", "in", "pt", "pc", "px"])


@settings(max_examples=200, deadline=None)
@given(w=st.floats(0.01, 5000), h=st.floats(0.01, 5000), unit=UNITS)
def test_fit_images_keeps_proportions_and_bounds(w, h, unit):
    text = ET.Element(q("office:text"))
    frame = ET.SubElement(text, q("draw:frame"), {q("svg:width"): f"{w:.4f}{unit}", q("svg:height"): f"{h:.4f}{unit}"})
    before = (length_cm(frame.get(q("svg:width"))), length_cm(frame.get(q("svg:height"))))
    odt_package.fit_images(text, 16.0, 24.7)
    after = (length_cm(frame.get(q("svg:width"))), length_cm(frame.get(q("svg:height"))))
    scale = min(1.0, 16.0 / before[0], (24.7 - odt_package.CAPTION_ROOM_CM) / before[1])
    # within the text column and the page, and in proportion (to the micrometre
    # written: half of 1e-4 cm, plus the float error of 0.01 * 0.345 - 0.0034)
    tol = 5e-5 + 1e-12
    assert after[0] <= 16.0 + tol and after[1] <= 24.7 - odt_package.CAPTION_ROOM_CM + tol
    assert abs(after[0] - before[0] * scale) <= tol and abs(after[1] - before[1] * scale) <= tol


heading_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(st.tuples(st.integers(1, 4), heading_text, st.booleans()), min_size=1, max_size=8))
def test_toc_entries_are_the_headings_without_their_notes(titles):
    text = ET.Element(q("office:text"))
    ET.SubElement(text, q("text:table-of-content"), {q("text:name"): "toc"}).append(
        ET.Element(q("text:table-of-content-source"), {q("text:outline-level"): "2"})
    )
    for i, (level, title, note) in enumerate(titles):
        h = ET.SubElement(text, q("text:h"), {q("text:outline-level"): str(level)})
        ET.SubElement(h, q("text:bookmark-start"), {q("text:name"): f"h{i}"}).tail = title
        if note:
            ET.SubElement(ET.SubElement(h, q("text:note")), q("text:note-body")).text = "noot"
    assert odt_package.fill_toc(text, "Inhoudsopgave") == sum(1 for level, _, _ in titles if level <= 2)
    body = text.find(f"{q('text:table-of-content')}/{q('text:index-body')}")
    entries = ["".join(p.itertext()) for p in body.findall(q("text:p"))]
    assert entries == [" ".join(t.split()) for level, t, _ in titles if level <= 2]
    # and it serialises and parses back
    assert ET.fromstring(ET.tostring(text)) is not None


# --- the real writer on hostile text ---------------------------------------------------------


def _doc(headings: list[str]) -> dict:
    from ambtsbericht_build.render import ast as A

    blocks = []
    for i, title in enumerate(headings):
        blocks.append(A.Header(1 + i % 3, A.text(title), ident=f"h-{i}"))
        blocks.append(A.Para(A.text(title)))
    return {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(title=HOSTILE, headings=st.lists(HOSTILE.filter(str.strip), min_size=1, max_size=4), draft=st.booleans())
def test_hostile_titles_and_headings_give_valid_odf(tmp_path_factory, schemas, title, headings, draft):
    """Whatever the title and heading texts (markup, quotes, control
    characters, line separators), pandoc plus the finishing give valid ODF
    with the title in the running header and every heading in the TOC."""
    from dataclasses import replace

    from ambtsbericht_build.render.facts import HeadingFact
    from ambtsbericht_build.render.formats.office import OdtWriter

    facts = _facts(title)
    # the headings the HTML's TOC lists: all of them
    listed = [HeadingFact(1 + i % 3, "", f"h-{i}", t) for i, t in enumerate(headings)]
    facts = replace(facts, meta=replace(facts.meta, draft=draft), headings=listed)
    out = tmp_path_factory.mktemp("hostile") / "x.odt"
    OdtWriter().write(_doc(headings), facts, out)
    pkg = Package(out)
    document, manifest = schemas
    for name in DOCUMENT_PARTS:
        assert _errors(document, pkg.parts[name]) == [], name
    assert _errors(manifest, pkg.parts["META-INF/manifest.xml"]) == []
    toc = pkg.text.find(f"{q('text:table-of-content')}/{q('text:index-body')}")
    shown = [h for i, h in enumerate(headings) if 1 + i % 3 <= OFFICE_TOC_DEPTH]
    assert len(toc.findall(q("text:p"))) == len(shown)
    assert bool(list(pkg.styles.iter(q("draw:custom-shape")))) == draft


def _tree(draw):
    """office:text with paragraphs in sections nested up to three deep."""
    counter = iter(range(10_000))

    def block(depth: int) -> ET.Element:
        if depth < 3 and draw(st.booleans()):
            section = ET.Element(q("text:section"), {q("text:name"): f"s{next(counter)}"})
            section.text = "\n"
            section.extend(block(depth + 1) for _ in range(draw(st.integers(0, 3))))
            return section
        p = ET.Element(q("text:h") if draw(st.booleans()) else q("text:p"))
        p.text = draw(st.text(max_size=5))
        return p

    root = ET.Element(q("office:text"))
    root.extend(block(0) for _ in range(draw(st.integers(1, 4))))
    return root


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_unwrap_sections_keeps_text_order_and_names(data):
    text = _tree(data.draw)
    names = [s.get(q("text:name")) for s in text.iter(q("text:section"))]
    with_paragraph = [
        s.get(q("text:name")) for s in text.iter(q("text:section")) if len(s) and s[0].tag != q("text:section")
    ]
    before = [p.text or "" for p in text.iter() if p.tag in (q("text:p"), q("text:h"))]
    odt_package.unwrap_sections(text)
    assert not list(text.iter(q("text:section")))
    after = [p for p in text.iter() if p.tag in (q("text:p"), q("text:h"))]
    assert ["".join(p.itertext()) for p in after] == before
    marks = [m.get(q("text:name")) for m in text.iter(q("text:bookmark"))]
    assert set(with_paragraph) <= set(marks) <= set(names)


def test_an_english_report_has_english_page_furniture(tmp_path):
    from dataclasses import replace

    from ambtsbericht_build.render.formats.office import OdtWriter

    facts = _facts("Country of origin report")
    facts = replace(facts, lang="en", month_year="May 2026", meta=replace(facts.meta, lang="en-GB"))
    out = tmp_path / "en.odt"
    OdtWriter().write(_doc(["Introduction", "Security situation"]), facts, out)
    pkg = Package(out)
    footer = pkg.master().find(q("style:footer")).find(q("text:p"))
    assert (footer.text, footer[0].tail) == ("Page ", " of ")
    assert "".join(pkg.master().find(q("style:header")).itertext()).endswith("Country of origin reportMay 2026")
    title = pkg.text.find(f"{q('text:table-of-content')}/{q('text:index-body')}/{q('text:index-title')}")
    assert "".join(title.itertext()) == "Contents"
    assert "DRAFT" in [t for s in pkg.styles.iter(q("draw:custom-shape")) for t in s.itertext()]


def test_images_in_a_list_or_a_table_fit_the_room_there(tmp_path):
    """A map in a list item is indented, one in a table cell has a column's
    share of the width: scaled to the text width alone, both overran."""
    import base64
    import io
    import json

    from PIL import Image

    from ambtsbericht_build.render.formats.office import OdtWriter
    from ambtsbericht_build.tools import run_pandoc

    buf = io.BytesIO()
    Image.new("RGB", (1600, 200), "white").save(buf, "PNG", dpi=(96, 96))
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    markdown = f"- ![]({uri})\n\n| kaart | b |\n|---|---|\n| ![]({uri}) | x |\n\n![]({uri})\n"
    doc = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], markdown, "test"))
    out = tmp_path / "x.odt"
    OdtWriter().write(doc, _facts("Titel"), out)
    pkg = Package(out)
    widths = {}
    for path, frame in _frames_with_path(pkg.text):
        where = "table" if q("table:table") in path else "list" if q("text:list-item") in path else "body"
        widths[where] = length_cm(frame.get(q("svg:width")))
    assert set(widths) == {"list", "table", "body"}
    assert abs(widths["body"] - 16.0) < 0.01
    assert widths["list"] <= 16.0 - 1.27 + 0.01
    assert widths["table"] <= 8.0


def _frames_with_path(root, path=()):
    for child in root:
        if child.tag == q("draw:frame"):
            yield path, child
        yield from _frames_with_path(child, (*path, child.tag))


def test_a_reference_odt_without_page_styles_is_a_clear_writer_error(tmp_path):
    """A repository's own reference.odt without master pages: one line that
    names the file, not a traceback, and no half-written package beside it
    (the render then keeps the previous outputs)."""
    import re
    from dataclasses import replace

    from ambtsbericht_build.house_style import HouseStyle, template_path
    from ambtsbericht_build.render.formats.base import WriterError
    from ambtsbericht_build.render.formats.office import OdtWriter

    with zipfile.ZipFile(template_path("reference.odt")) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["styles.xml"] = re.sub(
        rb"<office:master-styles>.*</office:master-styles>", b"", parts["styles.xml"], flags=re.S
    )
    (tmp_path / "templates").mkdir()
    with zipfile.ZipFile(tmp_path / "templates" / "reference.odt", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    facts = replace(_facts("Titel"), house_style=HouseStyle.for_repo(tmp_path))
    out = tmp_path / "out" / "x.odt"
    out.parent.mkdir()
    with pytest.raises(WriterError, match=r"^ODT: styles.xml: no page layout .*templates/reference.odt"):
        OdtWriter().write(_doc(["Inleiding"]), facts, out)
    assert not list(out.parent.glob("*.odt-part"))


# --- the TOC's page numbers and entries (pageread #2, #6) ---------------------------------


def _toc_entries(pkg: Package) -> list[tuple[str, str]]:
    """(title, page shown before the index is updated) of each entry: the
    text before and after its tab."""
    body = pkg.text.find(f"{q('text:table-of-content')}/{q('text:index-body')}")
    out = []
    for p in body.findall(q("text:p")):
        *_, tab = [None, *p.iter(q("text:tab"))]  # the last: the dot leader's
        assert tab is not None, f"{''.join(p.itertext())!r}: no tab to the dot leader"
        # the title (after its number and a tab, in the number column) up to the leader's tab
        title, _, _ = "".join(t if t else "\t" for t in _texts(p)).rpartition("\t")
        out.append((" ".join(title.split()), (tab.tail or "").strip()))
    return out


def _texts(el: ET.Element):
    """The element's text with each tab as an empty string."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag == q("text:tab"):
            yield ""
        else:
            yield from _texts(child)
        if child.tail:
            yield child.tail


def test_toc_shows_entries_with_dot_leaders(example):
    """The ODT's TOC showed titles only, with no dot leaders, until the reader
    updated the index; the page numbers are LibreOffice's to write (numbers
    copied from the PDF were measured 1-4 pages off: docs/render.md)."""
    pkg = Package(example["odt"])
    entries = _toc_entries(pkg)
    assert len(entries) > 20 and all(shown == "" for _, shown in entries), entries
    for level in range(1, OFFICE_TOC_DEPTH + 1):
        style = pkg.style(f"Contents_20_{level}", pkg.styles)
        *_, stop = style.iter(q("style:tab-stop"))  # after the number column's
        assert stop.get(q("style:type")) == "right" and stop.get(q("style:leader-text")) == "."
        # at the right margin: the text width (16 cm) less the entry's indent
        indent = length_cm(style.find(q("style:paragraph-properties")).get(q("fo:margin-left")))
        assert abs(length_cm(stop.get(q("style:position"))) + indent - 16.0) < 0.01


def test_toc_lists_what_the_pdf_and_html_list(example):
    """The ODT listed the annexes' source groups and ToR themes, which the
    PDF and HTML leave out, and would again on an update of the index: the
    index is built from the heading styles, and those headings have their own."""
    from tests.render.test_docx_edition import html_toc_titles

    pkg = Package(example["odt"])
    assert [t for t, _ in _toc_entries(pkg)] == html_toc_titles(example["html"])
    annex = {"".join(h.itertext()): h for h in pkg.text.iter(q("text:h"))}
    for title in ("Rapporten en publicaties", "Nieuwsberichten", "1 Politieke en veiligheidssituatie"):
        h = annex[title]
        assert h.get(q("text:style-name")) == "Abuild_20_Annex_20_Heading_20_2"
        assert h.get(q("text:outline-level")) == "2", "one level below its annex, in the navigator"
    assert pkg.style("Abuild_20_Annex_20_Heading_20_2", pkg.styles).get(q("style:parent-style-name")) == "Heading_20_2"
    source = pkg.text.find(f"{q('text:table-of-content')}/{q('text:table-of-content-source')}")
    assert source.get(q("text:use-outline-level")) == "false"
    used = {s.get(q("text:style-name")) for s in source.iter(q("text:index-source-style"))}
    assert used == {f"Heading_20_{level}" for level in range(1, OFFICE_TOC_DEPTH + 1)}


def test_cover_and_colofon_are_set_to_fit_their_page(example_pkg):
    """The cover and colofon ran two lines onto page 2 (title 6 cm down,
    ruled 11 pt rows), and "CONCEPT" and "Colofon" were set tight; now they
    are set as in the PDF: rows and disclaimer at 9 pt without rules, the
    status and the colofon's title with space above (seen in LibreOffice:
    the cover is page 1, the TOC starts page 2)."""
    pkg = example_pkg
    blocks = list(pkg.text)
    end = next(i for i, b in enumerate(blocks) if b.get(q("text:style-name")) == "Abuild_Page_Break")
    cover = blocks[:end]

    def size(p) -> str | None:
        name = p.get(q("text:style-name"))
        while name:
            s = pkg.style(name)
            props = s.find(q("style:text-properties")) if s is not None else None
            if props is not None and props.get(q("fo:font-size")):
                return props.get(q("fo:font-size"))
            name = s.get(q("style:parent-style-name")) if s is not None else None
        return None

    said = {"".join(b.itertext()).strip(): b for b in cover if b.tag == q("text:p")}
    assert length_cm(pkg.paragraph_prop(cover[0].get(q("text:style-name")), "fo:margin-top")) <= 4.0
    status, title = said["CONCEPT"], said["Colofon"]
    assert length_cm(pkg.paragraph_prop(status.get(q("text:style-name")), "fo:margin-top")) >= 0.5
    assert length_cm(pkg.paragraph_prop(title.get(q("text:style-name")), "fo:margin-top")) >= 1.0
    assert cover.index(status) < cover.index(title), "CONCEPT, then Colofon, as in the PDF and HTML"
    (table,) = [b for b in cover if b.tag == q("table:table")]
    for cell in table.iter(q("table:table-cell")):
        props = pkg.style(cell.get(q("table:style-name"))).find(q("style:table-cell-properties"))
        assert props.get(q("fo:border")) == "none"
        assert all(size(p) == "9pt" for p in cell.iter(q("text:p")))
    disclaimer = cover[cover.index(table) + 1 :]
    assert len(disclaimer) == 4 and all(size(p) == "9pt" for p in disclaimer)


def test_a_notes_own_number_reads_as_in_the_pdf(example_pkg):
    """The PDF and HTML print a note's own number as "1."; LibreOffice
    printed "1" (docs/house-style.md: Noten). The suffix is the note area's
    only: the call in the text stays a bare superscript number."""
    (config,) = [
        c for c in example_pkg.styles.iter(q("text:notes-configuration")) if c.get(q("text:note-class")) == "footnote"
    ]
    assert config.get(q("style:num-suffix")) == "."
    assert config.get(q("text:start-numbering-at")) == "document", "1-277 straight through, as the PDF"


def test_table_rows_are_as_compact_as_the_pdfs(example_pkg):
    """With 2 mm above and below each cell's text the example's 34
    abbreviations ran one row ("VW – Vaderlandse Wacht") onto a page of its
    own under a repeated header; at 0.4 mm the list fits its page, as in the
    PDF (seen in LibreOffice: p. 41 of 43)."""
    tables = list(example_pkg.text.iter(q("table:table")))[1:]
    for table in tables:
        for cell in table.iter(q("table:table-cell")):
            props = example_pkg.style(cell.get(q("table:style-name"))).find(q("style:table-cell-properties"))
            assert props.get(q("fo:padding")) is None
            for side in ("top", "bottom"):
                assert length_cm(props.get(q(f"fo:padding-{side}"))) <= 0.05, table.get(q("table:name"))


def test_source_entries_have_a_hanging_indent(example_pkg):
    """The ODT's source entries had the style "Bibliography", which its
    styles did not define: LibreOffice set them flush left, without the
    DOCX's and PDF's hanging indent."""
    entries = [p for p in example_pkg.text.iter(q("text:p")) if p.get(q("text:style-name")) == "Bibliography"]
    assert len(entries) >= 40
    assert any("".join(p.itertext()).startswith("Amnesty International, Behind Closed Doors") for p in entries)
    left = length_cm(example_pkg.paragraph_prop("Bibliography", "fo:margin-left"))
    indent = length_cm(example_pkg.paragraph_prop("Bibliography", "fo:text-indent"))
    assert left > 0 and indent == -left


def test_a_table_caption_stays_with_its_table_and_note_numbers_fit_their_indent(example_pkg):
    """Second page read: "Tabel 2" ended a page alone (pandoc's TableCaption
    style was not defined), and "100.Het ..." ran into the note's text (a
    0.5 cm hanging indent for a number and its period at 8.5 pt)."""
    captions = [p for p in example_pkg.content.iter(q("text:p")) if p.get(q("text:style-name")) == "TableCaption"]
    assert len(captions) >= 2
    style = example_pkg.style("TableCaption", example_pkg.styles)
    assert style is not None, "TableCaption is not defined"
    assert style.find(q("style:paragraph-properties")).get(q("fo:keep-with-next")) == "always"
    note = example_pkg.style("Footnote", example_pkg.styles).find(q("style:paragraph-properties"))
    indent = length_cm(note.get(q("fo:margin-left")))
    assert indent >= 0.8 and length_cm(note.get(q("fo:text-indent"))) == -indent
