"""What stays together on an ODT page (:func:`.odt_package.write_finished`
calls these), as :mod:`.docx_layout` does for the DOCX.

- **Keep with next** (``fo:keep-with-next="always"``) on the paragraph
  styles of headings, table captions (above their table), captioned
  figures (their caption is below) and ToR questions (their "Beantwoord
  in" line follows: the example's questions 2.4 and 5.3 ended pages 47
  and 48 alone); orphans and widows of two lines on all text (the default
  paragraph style: ODF's default is none).
- **Lead-ins**: a paragraph whose text ends with ":" and which a list
  follows keeps with it (an automatic style with ``fo:keep-with-next``:
  the benchmark's p. 205 ended with a heading and "... de volgende
  incidenten voor:", the list on the next page); an ordinary paragraph
  before a table's caption does not (:mod:`.docx_layout`).
- **Source entries** (style ``Bibliography``) are not split over two
  pages (``fo:keep-together``).
- **Tables** at the text width (``table:align="margins"``: pandoc wrote a
  table without column widths centred and as wide as LibreOffice chose);
  rows that never split over two pages (``fo:keep-together``); a table
  of at most :data:`.docx_layout.SMALL_TABLE` rows on one page
  (``style:may-break-between-rows="false"``). The header row repeats on
  every page by ODF's own rule for ``table:table-header-rows``, which
  pandoc writes; the rules and the space after a table are
  :func:`.odt_package.rule_tables`'.
"""

from __future__ import annotations

import copy
from xml.etree import ElementTree as ET

from .docx_layout import KEEP_LINES, SMALL_TABLE, TOR_QUESTION
from .odt_package import OdtPackageError, cm, paragraph_props, q

# the ODF name of the ToR question's style (office.py: OdtWriter.tor_style)
TOR_STYLE = TOR_QUESTION.replace(" ", "_20_")
KEEP_WITH_NEXT = ("Heading", *(f"Heading_20_{level}" for level in range(1, 11)), "TableCaption", "FigureWithCaption")
# a row style of abuild's: the row is never split over two pages
ROW_STYLE = "Abuild_Table_Row"


def keep_styles(styles: ET.Element) -> None:
    """Keep-with-next on the styles of :data:`KEEP_WITH_NEXT` that the
    document has and on the ToR question's (made here if the reference
    document has none), orphans and widows on the default paragraph style."""
    office_styles = styles.find(q("office:styles"))
    if office_styles is None:
        raise OdtPackageError("styles.xml: no office:styles")
    paragraph = {
        s.get(q("style:name")): s
        for s in office_styles.findall(q("style:style"))
        if s.get(q("style:family")) == "paragraph"
    }
    if TOR_STYLE not in paragraph:
        paragraph[TOR_STYLE] = ET.SubElement(
            office_styles,
            q("style:style"),
            {
                q("style:name"): TOR_STYLE,
                q("style:display-name"): TOR_QUESTION,
                q("style:family"): "paragraph",
                q("style:parent-style-name"): "Text_20_body",
                q("style:class"): "text",
            },
        )
    for name in (*KEEP_WITH_NEXT, TOR_STYLE):
        if name in paragraph:
            paragraph_props(paragraph[name], fo__keep_with_next="always")
    for name in KEEP_LINES:
        if name in paragraph:
            paragraph_props(paragraph[name], fo__keep_together="always")
    default = next(
        (d for d in office_styles.findall(q("style:default-style")) if d.get(q("style:family")) == "paragraph"),
        None,
    )
    if default is None:
        default = ET.Element(q("style:default-style"), {q("style:family"): "paragraph"})
        office_styles.insert(0, default)
    paragraph_props(default, fo__orphans="2", fo__widows="2")


def _text(el: ET.Element) -> str:
    """The text of ``el`` without its notes' (a note's call after the colon
    does not hide it: the DOCX's text has no note text either)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag != q("text:note"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# the automatic paragraph style of a lead-in: ``<its style>_Lead_In``
LEAD_IN = "{}_Lead_In"


def lead_ins(office_text: ET.Element, automatic: ET.Element) -> None:
    """Keep-with-next on every paragraph whose text ends with ":" and
    whose next sibling is a list: an automatic style per paragraph style,
    a copy of the paragraph's automatic style or one based on its common style."""
    own = {s.get(q("style:name")): s for s in automatic.findall(q("style:style"))}
    made: set[str] = set()
    for parent in office_text.iter():
        children = list(parent)
        for p, nxt in zip(children, children[1:], strict=False):
            if p.tag != q("text:p") or nxt.tag != q("text:list") or not _text(p).rstrip().endswith(":"):
                continue
            name = p.get(q("text:style-name"), "Standard")
            lead = LEAD_IN.format(name)
            if lead not in made:
                if name in own:
                    style = copy.deepcopy(own[name])
                    style.set(q("style:name"), lead)
                else:
                    style = ET.Element(
                        q("style:style"),
                        {q("style:name"): lead, q("style:family"): "paragraph", q("style:parent-style-name"): name},
                    )
                paragraph_props(style, fo__keep_with_next="always")
                automatic.append(style)
                made.add(lead)
            p.set(q("text:style-name"), lead)


def tables(office_text: ET.Element, automatic: ET.Element, width_cm: float) -> None:
    """Every table at the text width, its rows unbroken, a small one on one page."""
    small: set[str] = set()
    styled = False
    # a table in a table's cell keeps the cell's width
    nested = {
        t.get(q("table:style-name"))
        for cell in office_text.iter(q("table:table-cell"))
        for t in cell.iter(q("table:table"))
    }
    for table in office_text.iter(q("table:table")):
        rows = list(table.iter(q("table:table-row")))
        if len(rows) <= SMALL_TABLE:
            small.add(table.get(q("table:style-name"), ""))
        for row in rows:
            if row.get(q("table:style-name")) is None:
                row.set(q("table:style-name"), ROW_STYLE)
                styled = True
    for style in automatic.findall(q("style:style")):
        if style.get(q("style:family")) != "table" or style.get(q("style:name")) in nested:
            continue
        props = style.find(q("style:table-properties"))
        if props is None:
            props = ET.SubElement(style, q("style:table-properties"))
        props.set(q("table:align"), "margins")
        props.set(q("style:width"), cm(width_cm))
        props.set(q("style:rel-width"), "100%")
        if style.get(q("style:name")) in small:
            props.set(q("style:may-break-between-rows"), "false")
    if styled:
        row_style = ET.SubElement(
            automatic, q("style:style"), {q("style:name"): ROW_STYLE, q("style:family"): "table-row"}
        )
        ET.SubElement(row_style, q("style:table-row-properties"), {q("fo:keep-together"): "always"})
