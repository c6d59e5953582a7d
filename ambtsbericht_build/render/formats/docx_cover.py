"""The DOCX's cover (:func:`.docx_package.finish_docx` calls these): in the
PDF's order and alignment, without pandoc's issuer line, the colofon at the
PDF's 9 pt. Regular expressions on pandoc's own markup, never on text."""

from __future__ import annotations

import re

from .docx_package import xml_text

# --- the cover ------------------------------------------------------------------------------

_ABSTRACT_TITLE = re.compile(
    r'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="AbstractTitle" />\s*</w:pPr>\s*((?:(?!</w:p>).)*)</w:p>\s*', re.S
)
_STATUS = (
    '<w:p><w:pPr><w:pStyle w:val="Abstract" /></w:pPr>'
    '<w:r><w:rPr><w:b /><w:bCs /></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>'
)
# as the PDF's cover (common.css): the status bold in dark red, 12 pt below
# the date; the colofon's title left-aligned in the house blue at 13 pt
# (26 half-points), 24 pt below the status (pandoc's style centres it)
_STATUS_PPR = '<w:pPr><w:pStyle w:val="Abstract" /><w:spacing w:before="240" w:after="0" /></w:pPr>'
_STATUS_RPR = '<w:rPr><w:b /><w:bCs /><w:color w:val="8B0000" /><w:sz w:val="21" /><w:szCs w:val="21" /></w:rPr>'
_TITLE_PPR = (
    '<w:pPr><w:pStyle w:val="AbstractTitle" /><w:spacing w:before="480" w:after="120" /><w:jc w:val="left" /></w:pPr>'
)
_TITLE_RPR = '<w:rPr><w:b /><w:bCs /><w:color w:val="154273" /><w:sz w:val="26" /><w:szCs w:val="26" /></w:rPr>'


# pandoc's author line under the title: the issuer, which the PDF's cover
# does not print (the colofon's "Opgesteld door" row says it)
_AUTHOR = re.compile(r'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="Author" />\s*</w:pPr>(?:(?!</w:p>).)*</w:p>\s*', re.S)


def cover(document: str, status: str) -> str:
    """The cover in the PDF's order and alignment: the status (``status``,
    the concept label, or "" for none) before the colofon's title, both
    left-aligned, with space above (pandoc writes the abstract's title first,
    centred, and the status as the abstract's first paragraph); no issuer
    line under the title, as on the PDF's cover."""
    document = _AUTHOR.sub("", document, count=1)
    # the title 3 cm (1701 twips) down the page, as the PDF's cover sets it
    document = re.sub(
        r'<w:pStyle w:val="Title" />\s*</w:pPr>',
        '<w:pStyle w:val="Title" /><w:spacing w:before="1701" /></w:pPr>',
        document,
        count=1,
    )
    m = _ABSTRACT_TITLE.search(document)
    if m is None:
        return document
    runs = re.sub(r"<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>", "", m.group(1), flags=re.S).replace(
        "<w:r>", "<w:r>" + _TITLE_RPR
    )
    title = f"<w:p>{_TITLE_PPR}{runs}</w:p>"
    rest = document[m.end() :]
    head = ""
    old_status = _STATUS.format(xml_text(status)) if status else None
    if old_status and rest.startswith(old_status):
        rest = rest[len(old_status) :]
        head = f'<w:p>{_STATUS_PPR}<w:r>{_STATUS_RPR}<w:t xml:space="preserve">{xml_text(status)}</w:t></w:r></w:p>'
    # the colofon's rows in a paragraph style of their own (9 pt, colofon_styles)
    table = re.search(r"<w:tbl>(?:(?!</w:tbl>).)*</w:tbl>", rest, re.S)
    if table is not None:
        rows = table.group(0).replace('<w:pStyle w:val="Compact" />', f'<w:pStyle w:val="{COLOFON_STYLE}" />')
        rows = _unruled(rows)
        rest = rest[: table.start()] + rows + rest[table.end() :]
    return document[: m.start()] + head + title + rest


# the colofon's rows as the PDF and the ODT set them: without rules (the
# table style's grid made the DOCX's cover a form, page read of issue #11)
_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)


def _unruled(table: str) -> str:
    """The colofon's table without borders: tblBorders in its CT_TblPr place
    (after tblW, jc, tblCellSpacing, tblInd; before shd, tblLayout, ...)."""
    head = table.find("</w:tblPr>")
    if head < 0 or "<w:tblBorders" in table[:head]:
        return table
    later = re.search(r"<w:(?:shd|tblLayout|tblCellMar|tblLook|tblCaption|tblDescription)\b", table[:head])
    at = later.start() if later else head
    return table[:at] + _NO_BORDERS + table[at:]


# the colofon's text at the PDF's size (print.css .colofon: 9 pt, 18
# half-points): with the house font embedded (office_fonts.py) its taller
# lines ran the disclaimer's last line onto page 2 at 10.5 pt
COLOFON_STYLE = "AbuildColofon"
_COLOFON_STYLE = (
    f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{COLOFON_STYLE}"><w:name w:val="Colofon"/>'
    '<w:basedOn w:val="Compact"/><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
)


def colofon_styles(styles: str) -> str:
    """The colofon's row style, and pandoc's "Abstract" (the cover's status
    and disclaimer paragraphs) at 9 pt with 6 pt between paragraphs."""
    styles = re.sub(
        r'(<w:style [^>]*w:styleId="Abstract"[^>]*>(?:(?!</w:style>).)*?)<w:sz w:val="\d+" />\s*<w:szCs w:val="\d+" />',
        r'\1<w:sz w:val="18" /><w:szCs w:val="18" />',
        styles,
        count=1,
        flags=re.S,
    )
    styles = re.sub(
        r'(<w:style [^>]*w:styleId="Abstract"[^>]*>(?:(?!</w:style>).)*?)<w:spacing w:after="\d+"',
        r'\1<w:spacing w:after="120"',
        styles,
        count=1,
        flags=re.S,
    )
    if f'w:styleId="{COLOFON_STYLE}"' in styles:
        return styles
    return styles.replace("</w:styles>", _COLOFON_STYLE + "</w:styles>", 1)
