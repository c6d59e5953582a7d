"""What stays together on a DOCX page (:func:`.docx_package.finish_docx`
calls these).

- **Keep with next**: headings, a table's caption (above it), a figure
  (its caption is below it) and a ToR question (its "Beantwoord in" line
  follows) never end a page alone: ``w:keepNext`` on their styles, whatever
  the reference document says; widow and orphan control (two lines) on all
  text (``w:widowControl`` in the document defaults: without it Word and
  LibreOffice leave single lines at a page's foot and top).
- **Lead-ins**: a paragraph that introduces a list (its text ends with
  ":" and a list item follows) keeps with the list's first item
  (``w:keepNext`` on the paragraph: the benchmark's "... de volgende
  incidenten voor:" ended a page, its list on the next). Nothing else
  keeps with what follows: an ordinary paragraph before a table's caption
  does not, so the text fills the page and only the caption moves with
  its table (chained to it, a heading and its lead-in moved too and left a
  third of a page blank).
- **Source entries** (style ``Bibliography``) are not split over two pages
  (``w:keepLines``).
- **Tables**: at the text width (``w:tblW`` 100 %, the column widths pandoc
  gives scaled to the text width: pandoc wrote the example's Tabel 1 with
  "auto" width on pandoc's 5.5 in grid: 14 cm of a 16 cm column
  in LibreOffice, the columns fitted to their text); rows never split over two pages
  (``w:cantSplit``), the header row repeats (``w:tblHeader``); a table of
  at most :data:`SMALL_TABLE` rows is kept on one page with its caption,
  a longer one keeps its header with its first row and its last two rows
  together (the example's abbreviation list ended with one row alone on
  the next page); rows as compact as the PDF's; and after a table the same
  space as after a paragraph (Word has no space below a table: the text
  touched its last rule).
- ``settings.xml`` asks Word to update fields when the file is opened
  (``w:updateFields``): the TOC's page numbers (PAGEREF) and "Pagina X van
  Y" are computed by Word, never guessed here.

Regular expressions on pandoc's own markup, never on text: every piece of
report text in ``document.xml`` is XML-escaped.
"""

from __future__ import annotations

import re

# the paragraph styles that keep with the next paragraph: pandoc's heading,
# table caption and captioned figure styles, and the ToR question's
# (office.py gives it the custom style TOR_QUESTION)
TOR_QUESTION = "ToR Question"
KEEP_WITH_NEXT = (
    *(f"Heading{level}" for level in range(1, 10)),
    "TableCaption",
    "CaptionedFigure",
    TOR_QUESTION.replace(" ", ""),
)
# a table of up to 8 rows (a header and 7: the example's Tabel 1 and 2)
# stays on one page with its caption; a longer one may break between rows,
# its header row repeated. A row is 0.59 cm in LibreOffice (the
# benchmark's Tabel 6), a caption with its space 0.83 cm, so a table moved
# whole leaves at most 0.83 + 8 x 0.59 = 5.6 cm of the 24.7 cm a page has
# blank, about a fifth. At 15 rows (9.7 cm, two fifths, more when a row
# wraps or the caption has a note) the benchmark's province tables of 7 to
# 11 rows all moved whole: Tabel 6 (9 rows) left a third of p. 102 of the
# DOCX (via LibreOffice) blank; now its first six rows are on that page.
SMALL_TABLE = 8
# a source entry's lines stay on one page (office.py gives entries this style)
KEEP_LINES = ("Bibliography",)
# the space after a table: a body paragraph's (reference.docx: 6 pt)
AFTER_TABLE_TWIPS = 120
# a table cell's paragraph: 1 pt above and below, single line spacing
# (the PDF's 1 mm padding; at pandoc's 1.8 pt and 1.15 lines the example's
# 34 abbreviations took a page and a row)
_CELL_SPACING = '<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'

# the order of a paragraph's properties (CT_PPrBase, then rPr/sectPr/pPrChange):
# a property inserted out of order makes the file invalid
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs"
    " suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi"
    " adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection"
    " textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_CHILD = re.compile(r"<w:([A-Za-z]+)\b(?:[^>]*/>|[^>]*>.*?</w:\1>)", re.S)


def ppr_with(inner: str, element: str) -> str:
    """The content of a ``w:pPr`` with ``element`` (one empty or complete
    element) in its schema place; unchanged if it has one of its kind."""
    name = re.match(r"<w:([A-Za-z]+)", element)
    assert name is not None
    rank = PPR_ORDER.index(name.group(1))
    for child in _CHILD.finditer(inner):
        if child.group(1) == name.group(1):
            return inner
        if child.group(1) in PPR_ORDER and PPR_ORDER.index(child.group(1)) > rank:
            return inner[: child.start()] + element + inner[child.start() :]
    return inner + element


# --- styles.xml ------------------------------------------------------------------------------

_STYLE = re.compile(r'<w:style\b[^>]*\bw:styleId="([^"]*)"[^>]*>(.*?)</w:style>', re.S)
_STYLE_PPR = re.compile(r"<w:pPr>(.*?)</w:pPr>|<w:pPr\s*/>", re.S)


def _style_ppr(body: str, element: str) -> str:
    m = _STYLE_PPR.search(body)
    if m is not None:
        return body[: m.start()] + f"<w:pPr>{ppr_with(m.group(1) or '', element)}</w:pPr>" + body[m.end() :]
    # pPr follows the style's name, links and flags, and precedes rPr/tblPr/trPr/tcPr/tblStylePr
    later = re.search(r"<w:(?:rPr|tblPr|trPr|tcPr|tblStylePr)\b", body)
    at = later.start() if later else len(body)
    return body[:at] + f"<w:pPr>{element}</w:pPr>" + body[at:]


def keep_styles(styles: str) -> str:
    """styles.xml with keep-with-next on :data:`KEEP_WITH_NEXT`, lines
    kept together on :data:`KEEP_LINES`, and widow
    and orphan control in the document defaults."""

    def style(m: re.Match[str]) -> str:
        if m.group(1) not in KEEP_WITH_NEXT + KEEP_LINES:
            return m.group(0)
        head = m.group(0)[: m.start(2) - m.start(0)]
        element = "<w:keepNext/>" if m.group(1) in KEEP_WITH_NEXT else "<w:keepLines/>"
        return head + _style_ppr(m.group(2), element) + "</w:style>"

    styles = _STYLE.sub(style, styles)
    default = re.search(r"<w:pPrDefault>(.*?)</w:pPrDefault>|<w:pPrDefault\s*/>", styles, re.S)
    if default is None:
        # docDefaults: rPrDefault, then pPrDefault
        block = "<w:pPrDefault><w:pPr><w:widowControl/></w:pPr></w:pPrDefault>"
        if "</w:docDefaults>" in styles:
            return styles.replace("</w:docDefaults>", block + "</w:docDefaults>", 1)
        head = re.search(r"<w:styles\b[^>]*>", styles)
        at = head.end() if head else 0
        return styles[:at] + f"<w:docDefaults>{block}</w:docDefaults>" + styles[at:]
    inner = _style_ppr(default.group(1) or "", "<w:widowControl/>")
    return styles[: default.start()] + f"<w:pPrDefault>{inner}</w:pPrDefault>" + styles[default.end() :]


# --- settings.xml -------------------------------------------------------------------------

# the CT_Settings elements after updateFields, the first of which it precedes
_AFTER_UPDATE_FIELDS = re.compile(
    r"<(?:w:hdrShapeDefaults|w:footnotePr|w:endnotePr|w:compat|w:docVars|w:rsids|m:mathPr|w:attachedSchema"
    r"|w:themeFontLang|w:clrSchemeMapping|w:doNotIncludeSubdocsInStats|w:doNotAutoCompressPictures"
    r"|w:forceUpgrade|w:captions|w:readModeInkLockDown|w:smartTagType|sl:schemaLibrary|w:shapeDefaults"
    r"|w:doNotEmbedSmartTags|w:decimalSymbol|w:listSeparator)\b"
)


def update_fields(settings: str) -> str:
    """settings.xml asking Word to update the fields when it opens the file."""
    if "<w:updateFields" in settings:
        return re.sub(r"<w:updateFields\b[^>]*/>", '<w:updateFields w:val="true"/>', settings)
    element = '<w:updateFields w:val="true"/>'
    m = _AFTER_UPDATE_FIELDS.search(settings)
    if m is not None:
        return settings[: m.start()] + element + settings[m.start() :]
    return settings.replace("</w:settings>", element + "</w:settings>", 1)


# --- document.xml: lead-ins -------------------------------------------------------------------

# a body paragraph (in document.xml paragraphs do not nest: pandoc writes no text boxes)
_BODY_PARA = re.compile(r"<w:p>(?:<w:pPr>(.*?)</w:pPr>)?(.*?)</w:p>", re.S)
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def lead_ins(document: str) -> str:
    """``document`` with keep-with-next on every paragraph whose text ends
    with ":" and which a list item (a paragraph with ``w:numPr``) follows."""
    out, at = [], 0
    paras = list(_BODY_PARA.finditer(document))
    for m, nxt in zip(paras, paras[1:], strict=False):
        inner = m.group(1) or ""
        if "<w:numPr>" not in (nxt.group(1) or "") or _BETWEEN.fullmatch(document, m.end(), nxt.start()) is None:
            continue
        if not "".join(_TEXT.findall(m.group(2))).rstrip().endswith(":") or _HEADING_STYLE.search(inner):
            continue
        out += [document[at : m.start()], f"<w:p><w:pPr>{ppr_with(inner, '<w:keepNext/>')}</w:pPr>"]
        at = m.start(2)
    out.append(document[at:])
    return "".join(out)


# --- document.xml: tables ------------------------------------------------------------------

_TBL_TAG = re.compile(r"<(/?)w:tbl>")
_ROW = re.compile(r"<w:tr\b[^>]*>.*?</w:tr>", re.S)
_PARA = re.compile(r"<w:p>(?:<w:pPr>(.*?)</w:pPr>)?", re.S)
_GRID_COL = re.compile(r'<w:gridCol w:w="(\d+)"\s*/>')
_TBL_W = re.compile(r"<w:tblW\b[^>]*/>")
_TBL_LAYOUT = re.compile(r"<w:tblLayout\b[^>]*/>")
# what may stand between a table and the paragraph after it
_BETWEEN = re.compile(r"(?:\s|<w:bookmark(?:Start|End)\b[^>]*/>)*")
_NEXT_PARA = re.compile(r"<w:p>(?:<w:pPr>(.*?)</w:pPr>)?", re.S)
_HEADING_STYLE = re.compile(r'<w:pStyle w:val="(?:Heading\d|AbuildAnnexHeading\d)"')


def top_level_tables(document: str) -> list[tuple[int, int]]:
    """(start, end) of every table not inside another table."""
    spans, depth, start = [], 0, 0
    for m in _TBL_TAG.finditer(document):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.end()))
    return spans


def _paragraphs(row: str, extra: tuple[str, ...]) -> str:
    """``row`` with each of ``extra`` in the properties of its paragraphs;
    a Compact (table body) paragraph also gets the cell spacing."""

    def para(m: re.Match[str]) -> str:
        inner = m.group(1) or ""
        for element in extra:
            inner = ppr_with(inner, element)
        if 'w:val="Compact"' in inner or "<w:pStyle" not in inner:
            inner = ppr_with(inner, _CELL_SPACING)
        return f"<w:p><w:pPr>{inner}</w:pPr>"

    return _PARA.sub(para, row)


def _row_props(row: str) -> str:
    """``row`` that never splits over two pages (a trPr's children are a
    choice: any order)."""
    head = re.match(r"<w:tr\b[^>]*>", row)
    assert head is not None
    rest = row[head.end() :]
    trpr = re.match(r"<w:trPr>(.*?)</w:trPr>|<w:trPr\s*/>", rest, re.S)
    if trpr is None:
        return head.group(0) + "<w:trPr><w:cantSplit/></w:trPr>" + rest
    inner = trpr.group(1) or ""
    if "<w:cantSplit" not in inner:
        inner = "<w:cantSplit/>" + inner
    return head.group(0) + f"<w:trPr>{inner}</w:trPr>" + rest[trpr.end() :]


def _table(table: str, width: int) -> str:
    """One top-level table rewritten; a table in one of its cells is set
    aside meanwhile (its rows are not this table's) and left as it is."""
    open_tag, close_tag = "<w:tbl>", "</w:tbl>"
    inner = table[len(open_tag) : -len(close_tag)]
    nested: list[str] = []
    for start, end in reversed(top_level_tables(inner)):
        nested.insert(0, inner[start:end])
        # NUL cannot occur in XML: the placeholder is never report text
        inner = inner[:start] + "\x00" + inner[end:]
    out = _table_rows(open_tag + inner + close_tag, width)
    for element in nested:
        out = out.replace("\x00", element, 1)
    return out


def _table_rows(table: str, width: int) -> str:
    rows = _ROW.findall(table)
    if not rows:
        return table
    header = sum(1 for r in rows if "<w:tblHeader" in r)
    n = len(rows)
    if n <= SMALL_TABLE:
        keep = set(range(n - 1))  # every row with the next: one page
    else:
        # the header with the first body row, the last two rows together
        keep = set(range(header + 1)) | {n - 2}
    out, at = [], 0
    for i, m in enumerate(_ROW.finditer(table)):
        out.append(table[at : m.start()])
        row = _row_props(m.group(0))
        out.append(_paragraphs(row, ("<w:keepNext/>",) if i in keep else ()))
        at = m.end()
    out.append(table[at:])
    table = "".join(out)
    # the table at the text width, its columns in pandoc's proportions
    head_end = table.find("</w:tblPr>")
    if head_end < 0:
        return table
    tblpr = table[:head_end]
    tblpr = _TBL_W.sub('<w:tblW w:type="pct" w:w="5000"/>', tblpr, count=1)
    if "<w:tblLayout" in tblpr:
        tblpr = _TBL_LAYOUT.sub('<w:tblLayout w:type="fixed"/>', tblpr, count=1)
    else:
        # tblLayout follows tblW, jc, tblCellSpacing, tblInd, tblBorders, shd
        later = re.search(r"<w:(?:tblCellMar|tblLook|tblCaption|tblDescription)\b", tblpr)
        at = later.start() if later else len(tblpr)
        tblpr = tblpr[:at] + '<w:tblLayout w:type="fixed"/>' + tblpr[at:]
    table = tblpr + table[head_end:]
    grid = table.find("</w:tblGrid>")
    cols = [int(c) for c in _GRID_COL.findall(table[:grid])] if grid > 0 else []
    total = sum(cols)
    if cols and total > 0:
        # rounded so that the columns add up to the width exactly
        edges = [round(width * sum(cols[: k + 1]) / total) for k in range(len(cols))]
        widths = iter(b - a for a, b in zip([0, *edges], edges, strict=False))
        grid_xml = _GRID_COL.sub(lambda _m: f'<w:gridCol w:w="{next(widths)}"/>', table[:grid], count=len(cols))
        table = grid_xml + table[grid:]
    return table


def _space_after(after: str) -> str:
    """``after`` (the markup that follows a table) with the space after the
    table at its first paragraph (unless it is a heading, which has its own,
    or is already spaced)."""
    gap = _BETWEEN.match(after)
    at = gap.end() if gap else 0
    m = _NEXT_PARA.match(after, at)
    if m is None:
        return after
    inner = m.group(1) or ""
    if _HEADING_STYLE.search(inner) or "<w:spacing" in inner:
        return after
    inner = ppr_with(inner, f'<w:spacing w:before="{AFTER_TABLE_TWIPS}"/>')
    return after[:at] + f"<w:p><w:pPr>{inner}</w:pPr>" + after[m.end() :]


def tables(document: str, width: int) -> str:
    """Every top-level table of ``document`` as the module docstring says;
    ``width`` is the text width in twips. One pass: the document is copied
    once, not once per table (a report may have hundreds)."""
    spans = top_level_tables(document)
    if not spans:
        return document
    out = [document[: spans[0][0]]]
    for k, (start, end) in enumerate(spans):
        out.append(_table(document[start:end], width))
        upto = spans[k + 1][0] if k + 1 < len(spans) else len(document)
        out.append(_space_after(document[end:upto]))
    return "".join(out)
