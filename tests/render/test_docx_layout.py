"""Issue #11, the DOCX page by page: what must stay with what follows
(headings, captions, figures, ToR questions), widow control, tables at the
text width whose rows do not split, and fields updated when Word opens the
file. The example's real DOCX (the session's render) and, for the table
rewrite, generated tables."""

from __future__ import annotations

import re
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ambtsbericht_build.render.formats.docx_layout import (
    AFTER_TABLE_TWIPS,
    PPR_ORDER,
    SMALL_TABLE,
    lead_ins,
    ppr_with,
    tables,
    top_level_tables,
)
from ambtsbericht_build.render.formats.docx_notes import SEPARATOR_AFTER_PT, SEPARATOR_BEFORE_PT
from ambtsbericht_build.render.formats.docx_package import TEXT_WIDTH, W_NS
from tests.render.test_docx_edition import NS, Package, W, text


def _style(styles, style_id: str):
    found = styles.xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
    return found[0] if found else None


def _inherits(styles, style_id: str, prop: str) -> bool:
    """Whether paragraph style ``style_id`` has ``prop`` (w:keepNext, ...)
    on, itself or through the styles it is based on."""
    seen: set[str] = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        s = _style(styles, style_id)
        if s is None:
            return False
        el = s.find(f"w:pPr/{prop}", NS)
        if el is not None:
            return el.get(f"{W}val") not in ("0", "false", "off")
        based = s.find("w:basedOn", NS)
        style_id = based.get(f"{W}val") if based is not None else ""
    return False


def _pstyle(p) -> str:
    s = p.find("w:pPr/w:pStyle", NS)
    return s.get(f"{W}val") if s is not None else ""


def test_what_ends_a_page_alone_keeps_with_the_next(example_docx, example):
    """ODT p. 47-49 (LibreOffice): ToR questions 2.4 and 5.3 ended their
    pages, their "Beantwoord in" line on the next; the DOCX had no widow
    control at all (no w:widowControl anywhere in its styles)."""
    pkg = Package(example["docx"])
    styles = pkg.xml("word/styles.xml")
    for sid in ("Heading1", "Heading2", "Heading3", "TableCaption", "CaptionedFigure", "ToRQuestion"):
        assert _inherits(styles, sid, "w:keepNext"), sid
    assert styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", NS) is not None
    paras = list(pkg.document.iter(f"{W}p"))
    questions = [i for i, p in enumerate(paras) if _pstyle(p) == "ToRQuestion"]
    # one per question of the example's ToR, each followed by its answer, which does not keep
    assert len(questions) == 17
    for i in questions:
        assert re.match(r"\d+\.\d+ ", text(paras[i])), text(paras[i])
        assert text(paras[i + 1]).startswith("Beantwoord in"), text(paras[i + 1])
        assert not _inherits(styles, _pstyle(paras[i + 1]), "w:keepNext")
        assert paras[i + 1].find("w:pPr/w:keepNext", NS) is None


def _rows(tbl):
    return tbl.findall("w:tr", NS)


def _keeps(row) -> bool:
    return all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{W}p"))


def test_tables_fill_the_text_width_and_do_not_split_rows(example_docx, example):
    """Tabel 1 was 'auto' wide (on pandoc's 5.5 in grid: 14 of 16 cm), no table had a
    row that could not split, and the abbreviation list's last row ended
    alone on the next page (LibreOffice, p. 48)."""
    pkg = Package(example["docx"])
    body = pkg.document.find("w:body", NS)
    tbls = body.findall("w:tbl", NS)
    assert len(tbls) == 4  # the colofon, Tabel 1, Tabel 2, the abbreviation list
    for tbl in tbls:
        width = tbl.find("w:tblPr/w:tblW", NS)
        assert (width.get(f"{W}type"), width.get(f"{W}w")) == ("pct", "5000")
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(f"{W}type") == "fixed"
        cols = [int(c.get(f"{W}w")) for c in tbl.iterfind("w:tblGrid/w:gridCol", NS)]
        assert sum(cols) == TEXT_WIDTH, cols
        for row in _rows(tbl):
            assert row.find("w:trPr/w:cantSplit", NS) is not None
    # the colofon is set as in the PDF and the ODT, without rules
    borders = tbls[0].find("w:tblPr/w:tblBorders", NS)
    assert [b.get(f"{W}val") for b in borders] == ["nil"] * 6
    assert tbls[1].find("w:tblPr/w:tblBorders", NS) is None, "the others keep the table style's rules"
    # every table but the colofon repeats its header row
    for tbl in tbls[1:]:
        assert _rows(tbl)[0].find("w:trPr/w:tblHeader", NS) is not None
    table1 = tbls[1]
    assert "Provincie" in text(_rows(table1)[0])
    assert len({c.get(f"{W}w") for c in table1.iterfind("w:tblGrid/w:gridCol", NS)}) == 1, "equal columns"
    # a small table is on one page, with its caption (which keeps with it)
    rows = _rows(table1)
    assert len(rows) <= SMALL_TABLE and all(_keeps(r) for r in rows[:-1]) and not _keeps(rows[-1])
    caption = table1.getprevious()
    while caption.tag != f"{W}p":
        caption = caption.getprevious()
    assert _pstyle(caption) == "TableCaption"
    # a long one: the header with the first row, the last two rows together
    abbreviations = _rows(tbls[3])
    assert len(abbreviations) > SMALL_TABLE and "".join(abbreviations[-1].itertext()) == "VWVaderlandse Wacht"
    assert [_keeps(r) for r in abbreviations] == [True, True] + [False] * (len(abbreviations) - 4) + [True, False]
    # the paragraph after a table (not a heading) has a paragraph's space before it
    for tbl in tbls:
        after = tbl.getnext()
        while after.tag != f"{W}p":
            after = after.getnext()
        if not _pstyle(after).startswith(("Heading", "AbuildAnnexHeading")):
            assert after.find("w:pPr/w:spacing", NS).get(f"{W}before") == str(AFTER_TABLE_TWIPS), text(after)


def test_word_updates_the_fields_on_opening_and_no_page_number_is_made_up(example_docx, example):
    """LibreOffice 7's PDF export of the DOCX shows the TOC without page
    numbers (it does not update fields on loading); Word, asked by
    w:updateFields, computes them. abuild writes none itself."""
    pkg = Package(example["docx"])
    settings_xml = pkg.xml("word/settings.xml")
    (update,) = settings_xml.findall("w:updateFields", NS)
    assert update.get(f"{W}val") == "true"
    # in its schema place: before rsids, themeFontLang, decimalSymbol
    order = [etree.QName(el).localname for el in settings_xml]
    assert order.index("updateFields") < order.index("rsids") < order.index("decimalSymbol")
    xml = pkg.parts["word/document.xml"].decode()
    refs = re.findall(r"PAGEREF (_Toc\d+)", xml)
    assert len(refs) > 50
    # each PAGEREF's result (between separate and end) is empty: no guessed page number
    for result in re.findall(r"PAGEREF _Toc\d+ \\h </w:instrText>.*?separate\"/></w:r>(.*?)<w:fldChar", xml):
        assert "<w:t" not in result


# --- the rewrite on generated tables -------------------------------------------------------------

_DOC = f'<w:document xmlns:w="{W_NS}"><w:body>{{}}</w:body></w:document>'


def _table(widths: list[int], n_rows: int, header: bool, layout: str) -> str:
    cell = (
        '<w:tc><w:tcPr /><w:p><w:pPr><w:pStyle w:val="Compact" /><w:jc w:val="left" /></w:pPr>'
        "<w:r><w:t>x</w:t></w:r></w:p></w:tc>"
    )
    head = '<w:trPr><w:tblHeader w:val="on" /></w:trPr>'
    rows = "".join(
        "<w:tr>" + (head if header and i == 0 else "") + cell * len(widths) + "</w:tr>" for i in range(n_rows)
    )
    grid = "".join(f'<w:gridCol w:w="{w}" />' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:type="auto" w:w="0" />{layout}'
        '<w:tblLook w:firstRow="1" w:val="0020" /></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )


@settings(max_examples=60, deadline=None)
@given(
    widths=st.lists(st.integers(1, 20000), min_size=1, max_size=8),
    n_rows=st.integers(1, 40),
    header=st.booleans(),
    fixed=st.booleans(),
    width=st.integers(2000, 16000),
    after=st.sampled_from(["", '<w:p><w:pPr><w:pStyle w:val="BodyText" /></w:pPr></w:p>', "<w:p><w:r/></w:p>"]),
)
def test_any_table_fills_the_width_and_stays_valid(widths, n_rows, header, fixed, width, after):
    layout = '<w:tblLayout w:type="autofit" />' if fixed else ""
    src = _DOC.format(_table(widths, n_rows, header, layout) + after)
    out = tables(src, width)
    root = etree.fromstring(out.encode())  # well-formed
    (tbl,) = root.iter(f"{W}tbl")
    cols = [int(c.get(f"{W}w")) for c in tbl.iterfind("w:tblGrid/w:gridCol", NS)]
    assert sum(cols) == width and len(cols) == len(widths)
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == n_rows and all(len(r.findall("w:trPr/w:cantSplit", NS)) == 1 for r in rows)
    assert not _keeps(rows[-1])
    if n_rows <= SMALL_TABLE:
        assert all(_keeps(r) for r in rows[:-1])
    else:
        assert _keeps(rows[-2]) and _keeps(rows[0])
    assert [etree.QName(e).localname for e in tbl.find("w:tblPr", NS)].count("tblLayout") == 1
    for p in tbl.iter(f"{W}p"):
        names = [etree.QName(e).localname for e in p.find("w:pPr", NS)]
        assert names == sorted(names, key=PPR_ORDER.index), names
    assert tables(out, width) == out, "a second pass changes nothing"


@settings(max_examples=100, deadline=None)
@given(present=st.sets(st.sampled_from(PPR_ORDER[:-3])), new=st.sampled_from(PPR_ORDER[:-3]))
def test_a_property_goes_in_its_schema_place(present, new):
    inner = "".join(f"<w:{n}/>" for n in sorted(present, key=PPR_ORDER.index))
    out = ppr_with(inner, f"<w:{new}/>")
    names = re.findall(r"<w:(\w+)", out)
    assert names == sorted(set(present) | {new}, key=PPR_ORDER.index)


def test_a_table_in_a_table_is_left_to_its_cell():
    inner = _table([100, 100], 2, False, "")
    outer = _table([1000], 1, False, "").replace("<w:r><w:t>x</w:t></w:r></w:p></w:tc>", "</w:p>" + inner + "</w:tc>")
    src = _DOC.format(outer)
    assert len(top_level_tables(src)) == 1
    out = etree.fromstring(tables(src, 9000).encode())
    outer_tbl = next(out.iter(f"{W}tbl"))
    inner_tbl = outer_tbl.find(".//w:tc/w:tbl", NS)
    assert [c.get(f"{W}w") for c in inner_tbl.iterfind("w:tblGrid/w:gridCol", NS)] == ["100", "100"]


def test_the_docx_package_is_a_zip_word_reads(example):
    # the rewritten parts stay well-formed XML
    with zipfile.ZipFile(example["docx"]) as z:
        for name in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            etree.fromstring(z.read(name))


# --- the benchmark's page-by-page read (LibreOffice 7.4's PDF of the DOCX) ----------------------


def test_the_notes_rule_has_the_pdfs_space_above_and_below(example):
    """Most full pages: the rule above the notes sat on the last body line's
    descenders (pandoc's separator paragraphs have no spacing at all)."""
    notes = Package(example["docx"]).xml("word/footnotes.xml")
    seps = notes.xpath("w:footnote[@w:type='separator' or @w:type='continuationSeparator']", namespaces=NS)
    assert len(seps) == 2
    for sep in seps:
        (p,) = sep.findall("w:p", NS)
        spacing = p.find("w:pPr/w:spacing", NS)
        assert spacing is not None
        assert int(spacing.get(f"{W}before")) == round(SEPARATOR_BEFORE_PT * 20) == 210  # 3.7 mm, the PDF's 1em
        assert int(spacing.get(f"{W}after")) == round(SEPARATOR_AFTER_PT * 20) == 113  # 2 mm


def _keeps_next(styles, p) -> bool:
    own = p.find("w:pPr/w:keepNext", NS)
    return own is not None or _inherits(styles, _pstyle(p), "w:keepNext")


def test_a_lead_in_keeps_with_its_list_and_nothing_chains_a_caption(example):
    """Benchmark p. 205 (ODT, the DOCX alike): "... de volgende incidenten
    voor:" ended the page, its list on the next. And p. 102: a paragraph
    chained to a caption would take its heading along to the next page."""
    pkg = Package(example["docx"])
    styles = pkg.xml("word/styles.xml")
    paras = list(pkg.document.find("w:body", NS).iterchildren(f"{W}p", f"{W}tbl"))
    lead = [
        i
        for i, p in enumerate(paras[:-1])
        if p.tag == f"{W}p"
        and text(p).endswith(":")
        and paras[i + 1].find("w:pPr/w:numPr", NS) is not None
        and not _pstyle(p).startswith("Heading")
    ]
    # the example's two: OCHA on the camps (ch. 1), the returnees at risk (ch. 5)
    assert len(lead) >= 2, [text(paras[i]) for i in lead]
    for i in lead:
        assert paras[i].find("w:pPr/w:keepNext", NS) is not None, text(paras[i])
    captions = [i for i, p in enumerate(paras) if p.tag == f"{W}p" and _pstyle(p) == "TableCaption"]
    assert len(captions) == 2
    for i in captions:
        before = paras[i - 1]
        assert _pstyle(before).startswith(("Heading", "AbuildAnnexHeading")) or not _keeps_next(styles, before)
    # an ordinary paragraph that introduces no list does not keep
    body = [p for p in paras if p.tag == f"{W}p" and _pstyle(p) in ("BodyText", "FirstParagraph")]
    assert sum(p.find("w:pPr/w:keepNext", NS) is not None for p in body) == len(
        [i for i in lead if _pstyle(paras[i]) in ("BodyText", "FirstParagraph")]
    )


def test_a_source_entry_is_not_split_over_two_pages(example):
    """Benchmark p. 219-220: one entry of the source annex on two pages."""
    pkg = Package(example["docx"])
    styles = pkg.xml("word/styles.xml")
    entries = [p for p in pkg.document.iter(f"{W}p") if _pstyle(p) == "Bibliography"]
    assert len(entries) > 20
    assert _inherits(styles, "Bibliography", "w:keepLines")
    assert not _inherits(styles, "Bibliography", "w:keepNext"), "the annex would be one block"


_LIST_ITEM = (
    '<w:p><w:pPr><w:pStyle w:val="Compact"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    "<w:r><w:t>item</w:t></w:r></w:p>"
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["list", "BodyText", "Heading2", "TableCaption", "bare"]),
            st.text(alphabet="ab :.", max_size=6),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_exactly_the_lead_ins_keep_with_next(blocks):
    """Any run of paragraphs: keep-with-next is added to a non-heading
    paragraph whose text ends with ':' and which a list item follows, to no
    other, in its schema place; a second pass changes nothing."""
    xml = []
    for kind, words, bookmark in blocks:
        if kind == "list":
            xml.append(_LIST_ITEM)
            continue
        ppr = "" if kind == "bare" else f'<w:pPr><w:pStyle w:val="{kind}"/><w:spacing w:before="0"/></w:pPr>'
        mark = '<w:bookmarkEnd w:id="0"/>' if bookmark else ""
        xml.append(f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{words}</w:t></w:r></w:p>{mark}')
    src = _DOC.format("".join(xml))
    out = lead_ins(src)
    assert lead_ins(out) == out
    got = [p for p in etree.fromstring(out.encode()).iter(f"{W}p")]
    for k, (kind, words, _mark) in enumerate(blocks):
        want = (
            kind not in ("list", "Heading2")
            and words.rstrip().endswith(":")
            and k + 1 < len(blocks)
            and blocks[k + 1][0] == "list"
        )
        assert (got[k].find("w:pPr/w:keepNext", NS) is not None) == want, (k, blocks)
        ppr = got[k].find("w:pPr", NS)
        if ppr is not None:
            names = [etree.QName(e).localname for e in ppr]
            assert names == sorted(names, key=PPR_ORDER.index), names
