#!/usr/bin/env python3
"""Build the house style's reference.docx and reference.odt, reproducibly.

Pandoc renders DOCX and ODT with ``--reference-doc``; these two files carry
the house style of abuild (font, sizes, colours, page, language, tables).

The script starts from pandoc's own default reference documents
(``pandoc -o x.docx --print-default-data-file reference.docx``, the same for
ODT), edits their XML with the standard library only, and writes both files
deterministically: fixed entry order, fixed timestamps (1980-01-01 00:00:00),
fixed permissions, every entry stored uncompressed (so the bytes do not
depend on the zlib of the machine), ``mimetype`` first in the ODT. Running it
twice with the same pandoc gives byte-identical files.

Usage::

    python templates/build_reference.py              # writes into ambtsbericht_build/templates/
    python templates/build_reference.py --out-dir D  # writes into D/
    python templates/build_reference.py --pandoc /path/to/pandoc

Pandoc is looked up as: --pandoc, then ``pypandoc.get_pandoc_path()``, then
``pandoc`` on PATH, then ``pandoc-probe`` on PATH.

Headings get no automatic numbering here: the render code writes section
numbers into the heading text itself.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

# --------------------------------------------------------------------------
# House style
# --------------------------------------------------------------------------

#: Font name as installed on a desktop (the files are in templates/fonts/).
HOUSE_FONT = "Noto Sans"
#: PANOSE of NotoSans-Regular.ttf 2.004 (OS/2 table), for fontTable/theme.
HOUSE_FONT_PANOSE = "020B0502040504020204"
#: Rijksoverheid "donkerblauw".
HEADING_COLOR = "154273"
#: Thin table rules.
TABLE_BORDER_COLOR = "808080"

BODY_PT = 10.5
FOOTNOTE_PT = 8.5
CAPTION_PT = 9.5
TITLE_PT = 20.0
SUBTITLE_PT = 14.0
#: Heading levels 1..6: (size in pt, bold, italic)
HEADINGS = {
    1: (16.0, True, False),
    2: (13.0, True, False),
    3: (11.5, True, False),
    4: (10.5, True, False),
    5: (10.5, True, True),
    6: (10.5, False, True),
}
#: Space before/after headings, in pt.
HEADING_SPACING = {1: (18, 6), 2: (14, 4), 3: (12, 3), 4: (10, 2), 5: (10, 2), 6: (10, 2)}

#: A4 in twentieths of a point (twips) and 2.5 cm margins.
A4_TWIPS = (11906, 16838)
MARGIN_TWIPS = 1417  # 2.5 cm = 2.5 / 2.54 * 1440
HEADER_FOOTER_TWIPS = 709  # 1.25 cm

LANG_DOCX = "nl-NL"
LANG_ODT = ("nl", "NL")

#: Fixed zip metadata.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644 << 16  # regular file, rw-r--r--

HERE = Path(__file__).resolve().parent.parent / "ambtsbericht_build" / "templates"


# --------------------------------------------------------------------------
# Pandoc
# --------------------------------------------------------------------------


def find_pandoc(explicit: str | None = None) -> str:
    """Return the path of a pandoc executable."""
    if explicit:
        return explicit
    try:
        import pypandoc  # type: ignore

        path = pypandoc.get_pandoc_path()
        if path:
            return str(path)
    except Exception:  # pypandoc missing, or it finds no pandoc
        pass
    for name in ("pandoc", "pandoc-probe"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("build_reference.py: no pandoc found (pypandoc, 'pandoc' or 'pandoc-probe')")


def pandoc_version(pandoc: str) -> str:
    out = subprocess.run([pandoc, "--version"], check=True, capture_output=True, text=True).stdout
    first = out.splitlines()[0] if out else ""
    return first.split()[-1] if first else "unknown"


def pandoc_default_data(pandoc: str, name: str) -> bytes:
    """Bytes of pandoc's default data file ``name`` (e.g. reference.docx)."""
    suffix = Path(name).suffix
    with tempfile.TemporaryDirectory(prefix="abuild-ref-") as tmp:
        target = Path(tmp) / f"default{suffix}"
        subprocess.run(
            [pandoc, "-o", str(target), "--print-default-data-file", name],
            check=True,
            capture_output=True,
        )
        return target.read_bytes()


# --------------------------------------------------------------------------
# Zip handling
# --------------------------------------------------------------------------


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """Zip ``entries`` in the given order with fixed metadata, all stored."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = ZIP_FILE_MODE
            info.create_system = 3  # Unix, whatever the building OS
            info.create_version = 20
            info.extract_version = 20
            info.flag_bits = 0x800 if not name.isascii() else 0
            zf.writestr(info, payload)
    return buf.getvalue()


# --------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------


def register_namespaces(xml: bytes) -> None:
    """Keep the prefixes of ``xml`` when ElementTree writes it back."""
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xml), events=("start-ns",)):
        if prefix:
            ET.register_namespace(prefix, uri)


def parse(xml: bytes) -> ET.Element:
    register_namespaces(xml)
    return ET.fromstring(xml)


def serialize(root: ET.Element, standalone: bool = False) -> bytes:
    decl = '<?xml version="1.0" encoding="UTF-8"'
    decl += ' standalone="yes"?>' if standalone else "?>"
    return (decl + "\n" + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def set_child(
    parent: ET.Element,
    tag: str,
    attrs: dict[str, str] | None = None,
    order: list[str] | None = None,
    replace: bool = True,
) -> ET.Element:
    """Get or create child ``tag`` of ``parent``, placed by schema ``order``.

    With ``replace`` the attributes of an existing child are replaced by
    ``attrs``; otherwise they are merged into it.
    """
    child = parent.find(tag)
    if child is None:
        child = ET.Element(tag)
        index = len(parent)
        if order and tag in order:
            rank = order.index(tag)
            for i, sibling in enumerate(parent):
                if sibling.tag in order and order.index(sibling.tag) > rank:
                    index = i
                    break
        parent.insert(index, child)
    elif replace:
        child.attrib.clear()
    for key, value in (attrs or {}).items():
        child.set(key, value)
    return child


def remove_children(parent: ET.Element, tag: str) -> None:
    for child in parent.findall(tag):
        parent.remove(child)


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(local: str) -> str:
    return f"{{{W_NS}}}{local}"


def _order(*names: str) -> list[str]:
    return [w(n) for n in names]


STYLE_ORDER = _order(
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
)
PPR_ORDER = _order(
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
RPR_ORDER = _order(
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
TBLPR_ORDER = _order(
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)
TBLSTYLEPR_ORDER = _order("pPr", "rPr", "tblPr", "trPr", "tcPr")
TCPR_ORDER = _order(
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)
BORDER_ORDER = _order("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")
SECTPR_ORDER = _order(
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)

THEME_ATTRS = [w(a) for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
THEME_COLOR_ATTRS = [w(a) for a in ("themeColor", "themeShade", "themeTint")]


def half_points(pt: float) -> str:
    value = pt * 2
    if value != int(value):
        raise ValueError(f"{pt}pt is not a whole number of half points")
    return str(int(value))


def twips(pt: float) -> str:
    return str(int(round(pt * 20)))


def _docx_style(root: ET.Element, style_id: str) -> ET.Element:
    for style in root.findall(w("style")):
        if style.get(w("styleId")) == style_id:
            return style
    raise KeyError(f"style {style_id!r} not in pandoc's reference.docx")


def _rpr(style: ET.Element) -> ET.Element:
    return set_child(style, w("rPr"), order=STYLE_ORDER, replace=False)


def _ppr(style: ET.Element) -> ET.Element:
    return set_child(style, w("pPr"), order=STYLE_ORDER, replace=False)


def _set_run(
    rpr: ET.Element,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: str | None = None,
) -> None:
    if bold is not None:
        for tag in ("b", "bCs"):
            attrs = {} if bold else {w("val"): "0"}
            set_child(rpr, w(tag), attrs, RPR_ORDER)
    if italic is not None:
        for tag in ("i", "iCs"):
            attrs = {} if italic else {w("val"): "0"}
            set_child(rpr, w(tag), attrs, RPR_ORDER)
    if color is not None:
        set_child(rpr, w("color"), {w("val"): color}, RPR_ORDER)
    if size is not None:
        set_child(rpr, w("sz"), {w("val"): half_points(size)}, RPR_ORDER)
        set_child(rpr, w("szCs"), {w("val"): half_points(size)}, RPR_ORDER)


def _set_spacing(ppr: ET.Element, before_pt: float, after_pt: float, line: str | None = None) -> None:
    attrs = {w("before"): twips(before_pt), w("after"): twips(after_pt)}
    if line is not None:
        attrs[w("line")] = line
        attrs[w("lineRule")] = "auto"
    set_child(ppr, w("spacing"), attrs, PPR_ORDER)


def _border(parent: ET.Element, side: str, size_eighths: int, color: str) -> None:
    set_child(
        parent,
        w(side),
        {w("val"): "single", w("sz"): str(size_eighths), w("space"): "0", w("color"): color},
        BORDER_ORDER,
    )


def docx_styles(xml: bytes) -> bytes:
    root = parse(xml)

    # -- defaults: font, size, language, spacing -------------------------
    defaults = root.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    set_child(
        rpr,
        w("rFonts"),
        {
            w("ascii"): HOUSE_FONT,
            w("hAnsi"): HOUSE_FONT,
            # East Asian and complex scripts (Arabic, ...) are outside
            # Noto Sans; leave them to the theme's fonts for those scripts.
            w("eastAsiaTheme"): "minorEastAsia",
            w("cstheme"): "minorBidi",
        },
        RPR_ORDER,
    )
    _set_run(rpr, size=BODY_PT)
    set_child(
        rpr,
        w("lang"),
        {w("val"): LANG_DOCX, w("eastAsia"): "zh-CN", w("bidi"): "ar-SA"},
        RPR_ORDER,
    )
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    _set_spacing(ppr, 0, 6, line="276")

    # -- every style: drop theme fonts and theme colours so that the house
    #    font and explicit colours win; drop any numbering --------------------
    for style in root.findall(w("style")):
        for fonts in style.iter(w("rFonts")):
            for attr in THEME_ATTRS[:2]:  # ascii/hAnsi theme -> house font
                fonts.attrib.pop(attr, None)
        for color in style.iter(w("color")):
            for attr in THEME_COLOR_ATTRS:
                color.attrib.pop(attr, None)
        for ppr_el in style.findall(w("pPr")):
            remove_children(ppr_el, w("numPr"))

    # -- body text -----------------------------------------------------------
    _set_spacing(_ppr(_docx_style(root, "BodyText")), 0, 6)
    _set_spacing(_ppr(_docx_style(root, "Compact")), 1.8, 1.8)

    # -- title block ---------------------------------------------------------
    title = _docx_style(root, "Title")
    set_child(_ppr(title), w("jc"), {w("val"): "left"}, PPR_ORDER)
    _set_spacing(_ppr(title), 0, 6, line="240")
    for sid in ("Title", "TitleChar"):
        _set_run(_rpr(_docx_style(root, sid)), size=TITLE_PT, bold=True, color=HEADING_COLOR)
    for sid in ("Subtitle", "SubtitleChar"):
        sub = _rpr(_docx_style(root, sid))
        remove_children(sub, w("spacing"))  # no letter-spacing
        _set_run(sub, size=SUBTITLE_PT, bold=False, color=HEADING_COLOR)
    for sid in ("Author", "Date"):
        _set_run(_rpr(_docx_style(root, sid)), size=BODY_PT, bold=False, color="000000")
    for sid in ("AbstractTitle", "Abstract"):
        _set_run(_rpr(_docx_style(root, sid)), size=BODY_PT)

    # -- headings --------------------------------------------------------------
    for level in range(1, 10):
        size, bold, italic = HEADINGS.get(level, HEADINGS[6])
        before, after = HEADING_SPACING.get(level, HEADING_SPACING[6])
        para = _docx_style(root, f"Heading{level}")
        ppr_el = _ppr(para)
        set_child(ppr_el, w("keepNext"), {}, PPR_ORDER)
        set_child(ppr_el, w("keepLines"), {}, PPR_ORDER)
        _set_spacing(ppr_el, before, after)
        for sid in (f"Heading{level}", f"Heading{level}Char"):
            _set_run(
                _rpr(_docx_style(root, sid)),
                size=size,
                bold=bold,
                italic=italic,
                color=HEADING_COLOR,
            )
    toc = _docx_style(root, "TOCHeading")
    _set_run(_rpr(toc), bold=True, color=HEADING_COLOR)
    # the entries abuild writes into the TOC field (render/formats/docx_package.py),
    # Word's built-in "toc 1".."toc 3": each level indented 0.5 cm more
    for level in (1, 2, 3):
        if not any(s.get(w("styleId")) == f"TOC{level}" for s in root.findall(w("style"))):
            entry = ET.SubElement(root, w("style"), {w("type"): "paragraph", w("styleId"): f"TOC{level}"})
            set_child(entry, w("name"), {w("val"): f"toc {level}"}, STYLE_ORDER)
            set_child(entry, w("basedOn"), {w("val"): "Normal"}, STYLE_ORDER)
            set_child(entry, w("next"), {w("val"): "Normal"}, STYLE_ORDER)
            set_child(entry, w("uiPriority"), {w("val"): "39"}, STYLE_ORDER)
            set_child(entry, w("unhideWhenUsed"), {}, STYLE_ORDER)
            eppr = _ppr(entry)
            _set_spacing(eppr, 0, 2 if level > 1 else 4)
            set_child(eppr, w("ind"), {w("left"): str(283 * (level - 1))}, PPR_ORDER)
            if level == 1:
                # a chapter's line stays with its first section's, as in the PDF
                set_child(eppr, w("keepNext"), {}, PPR_ORDER)
                _set_run(_rpr(entry), bold=True)

    # -- source entries: a hanging indent of 0.75 cm, so each entry's first word stands out
    bib = _ppr(_docx_style(root, "Bibliography"))
    _set_spacing(bib, 0, 4)
    set_child(bib, w("ind"), {w("left"): "425", w("hanging"): "425"}, PPR_ORDER)

    # -- footnotes ---------------------------------------------------------------
    for sid in ("FootnoteText", "FootnoteBlockText"):
        style = _docx_style(root, sid)
        _set_spacing(_ppr(style), 0, 2, line="240")
        _set_run(_rpr(style), size=FOOTNOTE_PT)

    # -- captions, links -----------------------------------------------------------
    _set_run(_rpr(_docx_style(root, "Caption")), size=CAPTION_PT)
    link = _rpr(_docx_style(root, "Hyperlink"))
    _set_run(link, color=HEADING_COLOR)
    set_child(link, w("u"), {w("val"): "single"}, RPR_ORDER)

    # -- table: thin rules on every cell, bold header with a blue rule -----------
    table = _docx_style(root, "Table")
    tblpr = set_child(table, w("tblPr"), order=STYLE_ORDER, replace=False)
    borders = set_child(tblpr, w("tblBorders"), {}, TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _border(borders, side, 4, TABLE_BORDER_COLOR)  # 4/8 pt = 0.5 pt
    for first in table.findall(w("tblStylePr")):
        if first.get(w("type")) == "firstRow":
            set_child(first, w("rPr"), order=TBLSTYLEPR_ORDER, replace=False)
            _set_run(first.find(w("rPr")), bold=True)
            tcpr = set_child(first, w("tcPr"), order=TBLSTYLEPR_ORDER, replace=False)
            tcborders = set_child(tcpr, w("tcBorders"), {}, TCPR_ORDER)
            _border(tcborders, "bottom", 8, HEADING_COLOR)  # 1 pt

    # -- page footer (page number, see docx_footer) ---------------------------
    if not any(s.get(w("styleId")) == "Footer" for s in root.findall(w("style"))):
        footer = ET.SubElement(root, w("style"), {w("type"): "paragraph", w("styleId"): "Footer"})
        set_child(footer, w("name"), {w("val"): "footer"}, STYLE_ORDER)
        set_child(footer, w("basedOn"), {w("val"): "Normal"}, STYLE_ORDER)
        set_child(footer, w("uiPriority"), {w("val"): "99"}, STYLE_ORDER)
        set_child(footer, w("unhideWhenUsed"), {}, STYLE_ORDER)
        fppr = _ppr(footer)
        _set_spacing(fppr, 0, 0, line="240")
        set_child(fppr, w("jc"), {w("val"): "center"}, PPR_ORDER)
        _set_run(_rpr(footer), size=FOOTNOTE_PT)

    return serialize(root, standalone=True)


#: Relationship id of the footer part; far above pandoc's own rIdN.
FOOTER_RID = "rIdAbuildFooter1"
FOOTER_PART = "word/footer1.xml"


def docx_footer() -> bytes:
    """A footer with the page number (PAGE field), centred."""
    run = "<w:r>{}</w:r>".format
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{W_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:p><w:pPr><w:pStyle w:val="Footer" /></w:pPr>'
        + run('<w:fldChar w:fldCharType="begin" />')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate" />')
        + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end" />')
        + "</w:p></w:ftr>\n"
    ).encode("utf-8")


def docx_document_rels(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    if FOOTER_RID not in text:
        rel = (
            '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/footer" Id="{FOOTER_RID}" Target="footer1.xml" />'
        )
        text = _sub_once(r"</Relationships>", lambda _mo: rel + "</Relationships>", text)
    return text.encode("utf-8")


def docx_content_types(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    if f'PartName="/{FOOTER_PART}"' not in text:
        override = (
            f'<Override PartName="/{FOOTER_PART}" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
        )
        text = _sub_once(r"</Types>", lambda _mo: override + "</Types>", text)
    return text.encode("utf-8")


def docx_document(xml: bytes) -> bytes:
    """Page size and margins: pandoc takes the last w:sectPr from here."""
    root = parse(xml)
    body = root.find(w("body"))
    sect = body.find(w("sectPr"))
    R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    set_child(
        sect,
        w("footerReference"),
        {w("type"): "default", f"{{{R_NS}}}id": FOOTER_RID},
        SECTPR_ORDER,
    )
    set_child(sect, w("pgSz"), {w("w"): str(A4_TWIPS[0]), w("h"): str(A4_TWIPS[1])}, SECTPR_ORDER)
    m = str(MARGIN_TWIPS)
    hf = str(HEADER_FOOTER_TWIPS)
    set_child(
        sect,
        w("pgMar"),
        {
            w("top"): m,
            w("right"): m,
            w("bottom"): m,
            w("left"): m,
            w("header"): hf,
            w("footer"): hf,
            w("gutter"): "0",
        },
        SECTPR_ORDER,
    )
    set_child(sect, w("cols"), {w("space"): "708"}, SECTPR_ORDER)
    return serialize(root, standalone=True)


def docx_settings(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    text = _sub_once(r'<w:themeFontLang w:val="[^"]*"', f'<w:themeFontLang w:val="{LANG_DOCX}"', text)
    text = _sub_once(r'<w:decimalSymbol w:val="[^"]*"', '<w:decimalSymbol w:val=","', text)
    text = _sub_once(r'<w:listSeparator w:val="[^"]*"', '<w:listSeparator w:val=";"', text)
    return text.encode("utf-8")


def docx_theme(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    for which in ("major", "minor"):
        text = _sub_once(
            rf'(<a:{which}Font>\s*<a:latin typeface=")[^"]*(" panose=")[^"]*(")',
            rf"\g<1>{HOUSE_FONT}\g<2>{HOUSE_FONT_PANOSE}\g<3>",
            text,
        )
    text = _sub_once(r'(<a:accent1>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rf"\g<1>{HEADING_COLOR}", text)
    text = _sub_once(r'(<a:dk2>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rf"\g<1>{HEADING_COLOR}", text)
    return text.encode("utf-8")


def docx_font_table(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    entry = (
        f'<w:font w:name="{HOUSE_FONT}">\n'
        f'    <w:panose1 w:val="{HOUSE_FONT_PANOSE}"/>\n'
        '    <w:charset w:val="00"/>\n'
        '    <w:family w:val="swiss"/>\n'
        '    <w:pitch w:val="variable"/>\n'
        # OS/2 ulUnicodeRange1..4 and ulCodePageRange1..2 of Noto Sans 2.004
        '    <w:sig w:usb0="E00002FF" w:usb1="4000201F" w:usb2="08000029" '
        'w:usb3="00000000" w:csb0="0000019F" w:csb1="00000000"/>\n'
        "  </w:font>\n  "
    )
    if f'w:name="{HOUSE_FONT}"' not in text:
        text = _sub_once(r"(<w:fonts [^>]*>\s*)", lambda mo: mo.group(1) + entry, text)
    return text.encode("utf-8")


def _sub_once(pattern, repl, text: str) -> str:
    new, count = re.subn(pattern, repl, text, count=1)
    if count != 1:
        raise ValueError(f"pattern not found in pandoc's default file: {pattern}")
    return new


#: Name of the document property that records the pandoc version the
#: reference documents were built from (pandoc does not copy it to output).
VERSION_PROPERTY = "abuild-reference-pandoc"


def docx_custom(xml: bytes, version: str) -> bytes:
    text = xml.decode("utf-8")
    prop = (
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{VERSION_PROPERTY}"><vt:lpwstr>{version}</vt:lpwstr></property>'
    )
    # <Properties .../> (empty, self-closing) or <Properties ...>...</Properties>
    text = re.sub(r"(<Properties\b[^>]*?)\s*/>", r"\1></Properties>", text, count=1)
    text = _sub_once(r"</Properties>", lambda _mo: prop + "</Properties>", text)
    return text.encode("utf-8")


def build_docx(default: bytes, version: str) -> bytes:
    parts = read_zip(default)
    parts["docProps/custom.xml"] = docx_custom(parts["docProps/custom.xml"], version)
    editors = {
        "word/styles.xml": docx_styles,
        "word/document.xml": docx_document,
        "word/settings.xml": docx_settings,
        "word/theme/theme1.xml": docx_theme,
        "word/fontTable.xml": docx_font_table,
        "word/_rels/document.xml.rels": docx_document_rels,
        "[Content_Types].xml": docx_content_types,
    }
    for name, edit in editors.items():
        parts[name] = edit(parts[name])
    parts[FOOTER_PART] = docx_footer()
    first = "[Content_Types].xml"
    names = [first] + sorted(n for n in parts if n != first)
    return write_zip([(n, parts[n]) for n in names])


# --------------------------------------------------------------------------
# ODT
# --------------------------------------------------------------------------

ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{ODF[prefix]}}}{local}"


STYLE_CHILD_ORDER = [q("style:paragraph-properties"), q("style:text-properties")]


def _odt_style(
    styles: ET.Element, name: str, family: str = "paragraph", create_parent: str | None = None
) -> ET.Element:
    for style in styles.findall(q("style:style")):
        if style.get(q("style:name")) == name and style.get(q("style:family")) == family:
            return style
    if create_parent is None:
        raise KeyError(f"style {name!r} not in pandoc's reference.odt")
    style = ET.SubElement(styles, q("style:style"))
    style.set(q("style:name"), name)
    style.set(q("style:family"), family)
    style.set(q("style:parent-style-name"), create_parent)
    style.set(q("style:next-style-name"), "Text_20_body")
    style.set(q("style:class"), "chapter")
    return style


def _props(style: ET.Element, kind: str) -> ET.Element:
    return set_child(style, q(f"style:{kind}-properties"), order=STYLE_CHILD_ORDER, replace=False)


def _odt_text(
    style: ET.Element,
    *,
    font: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: str | None = None,
) -> None:
    props = _props(style, "text")
    if font is not None:
        props.set(q("style:font-name"), font)
    if size is not None:
        value = f"{size:g}pt"
        for attr in ("fo:font-size", "style:font-size-asian", "style:font-size-complex"):
            props.set(q(attr), value)
    if bold is not None:
        value = "bold" if bold else "normal"
        for attr in ("fo:font-weight", "style:font-weight-asian", "style:font-weight-complex"):
            props.set(q(attr), value)
    if italic is not None:
        value = "italic" if italic else "normal"
        for attr in ("fo:font-style", "style:font-style-asian", "style:font-style-complex"):
            props.set(q(attr), value)
    if color is not None:
        props.set(q("fo:color"), f"#{color.lower()}")


def _odt_para(style: ET.Element, **attrs: str) -> None:
    props = _props(style, "paragraph")
    for key, value in attrs.items():
        props.set(q(key.replace("__", ":").replace("_", "-")), value)


def odt_styles(xml: bytes) -> bytes:
    root = parse(xml)

    # -- font declaration ----------------------------------------------------
    decls = root.find(q("office:font-face-decls"))
    if not any(f.get(q("style:name")) == HOUSE_FONT for f in decls):
        face = ET.Element(q("style:font-face"))
        face.set(q("style:name"), HOUSE_FONT)
        face.set(q("svg:font-family"), f"'{HOUSE_FONT}'")
        face.set(q("style:font-family-generic"), "swiss")
        face.set(q("style:font-pitch"), "variable")
        decls.insert(0, face)

    styles = root.find(q("office:styles"))

    # -- defaults: language, font, size -------------------------------------------
    for default in styles.findall(q("style:default-style")):
        props = default.find(q("style:text-properties"))
        if props is None:
            continue
        if props.get(q("fo:language")) is not None:
            props.set(q("fo:language"), LANG_ODT[0])
            props.set(q("fo:country"), LANG_ODT[1])
        if default.get(q("style:family")) == "paragraph":
            props.set(q("style:font-name"), HOUSE_FONT)
            size = f"{BODY_PT:g}pt"
            for attr in ("fo:font-size", "style:font-size-asian", "style:font-size-complex"):
                props.set(q(attr), size)

    # -- body text -------------------------------------------------------------------
    body = _odt_style(styles, "Text_20_body")
    _odt_para(body, fo__margin_top="0cm", fo__margin_bottom="0.212cm", fo__line_height="115%")

    # -- title block --------------------------------------------------------------------
    title = _odt_style(styles, "Title", create_parent="Heading")
    _odt_para(title, fo__text_align="start", fo__margin_top="0cm", fo__margin_bottom="0.212cm")
    _odt_text(title, size=TITLE_PT, bold=True, color=HEADING_COLOR)
    subtitle = _odt_style(styles, "Subtitle", create_parent="Title")
    _odt_text(subtitle, size=SUBTITLE_PT, bold=False, color=HEADING_COLOR)
    for name in ("Author", "Date"):
        _odt_para(_odt_style(styles, name), fo__text_align="start")

    # -- headings: no numbering (the text carries the numbers) ---------------------------
    heading = _odt_style(styles, "Heading")
    _odt_text(heading, font=HOUSE_FONT, bold=True, color=HEADING_COLOR)
    for level in range(1, 7):
        size, bold, italic = HEADINGS[level]
        before, after = HEADING_SPACING[level]
        style = _odt_style(styles, f"Heading_20_{level}")
        _odt_text(style, size=size, bold=bold, italic=italic, color=HEADING_COLOR)
        _odt_para(
            style,
            fo__margin_top=f"{before}pt",
            fo__margin_bottom=f"{after}pt",
            fo__keep_with_next="always",
        )
    outline = styles.find(q("text:outline-style"))
    if outline is not None:
        for level_style in outline:
            level_style.set(q("style:num-format"), "")
            for attr in (q("style:num-prefix"), q("style:num-suffix"), q("text:display-levels")):
                level_style.attrib.pop(attr, None)

    # -- footnotes ----------------------------------------------------------------------------
    footnote = _odt_style(styles, "Footnote")
    _odt_text(footnote, size=FOOTNOTE_PT)
    # LibreOffice sets the note's number ("100.") in the hanging indent: 0.5 cm
    # (pandoc's) let "100.Het ..." run into the text (second page read); 0.8 cm
    # holds "999." at 8.5 pt in the house font and its usual fallbacks
    _odt_para(
        footnote,
        fo__margin_top="0cm",
        fo__margin_bottom="0.07cm",
        fo__line_height="100%",
        fo__margin_left="0.8cm",
        fo__text_indent="-0.8cm",
    )

    # -- captions, tables, links -------------------------------------------------------------------
    _odt_text(_odt_style(styles, "Caption"), size=CAPTION_PT)
    # pandoc names a table's caption (above it) TableCaption and a figure's
    # (below it) FigureCaption, styles its reference.odt lacks: a table's
    # caption stays with its table (it ended a page alone: second page read)
    _odt_para(_odt_style(styles, "TableCaption", create_parent="Caption"), fo__keep_with_next="always")
    _odt_style(styles, "FigureCaption", create_parent="Caption")
    table_heading = _odt_style(styles, "Table_20_Heading")
    _odt_text(table_heading, bold=True)
    # The cell rules are set after pandoc (render/formats/odt_package.py:
    # pandoc writes its cell styles with fo:border="none", which a reference
    # document cannot override), so the header paragraphs need no rule.
    for style in styles.findall(q("style:style")):
        if style.get(q("style:name")) == "Internet_20_link":
            _odt_text(style, color=HEADING_COLOR)

    # -- page: A4, 2.5 cm margins, footnote separator -------------------------------------------
    auto = root.find(q("office:automatic-styles"))
    for layout in auto.findall(q("style:page-layout")):
        props = layout.find(q("style:page-layout-properties"))
        props.set(q("fo:page-width"), "21cm")
        props.set(q("fo:page-height"), "29.7cm")
        for side in ("top", "bottom", "left", "right"):
            props.set(q(f"fo:margin-{side}"), "2.5cm")
        sep = props.find(q("style:footnote-sep"))
        if sep is not None:
            sep.set(q("style:line-style"), "solid")
            sep.set(q("style:width"), "0.018cm")
    # Footer tab stops to the A4 text width (21 - 2 * 2.5 = 16 cm).
    footer = _odt_style(styles, "Footer")
    for stop in footer.iter(q("style:tab-stop")):
        kind = stop.get(q("style:type"))
        if kind == "center":
            stop.set(q("style:position"), "8cm")
        elif kind == "right":
            stop.set(q("style:position"), "16cm")

    return serialize(root)


def odt_meta(xml: bytes, version: str) -> bytes:
    text = xml.decode("utf-8")
    text = _sub_once(
        r"(\s*)(</office:meta>)",
        lambda mo: (
            f'{mo.group(1)}  <meta:user-defined meta:name="{VERSION_PROPERTY}">'
            f"{version}</meta:user-defined>{mo.group(1)}{mo.group(2)}"
        ),
        text,
    )
    if "<dc:language>" not in text:
        text = _sub_once(
            r"(\s*)(<meta:generator>)",
            lambda mo: f"{mo.group(1)}<dc:language>{LANG_ODT[0]}-{LANG_ODT[1]}</dc:language>{mo.group(1)}{mo.group(2)}",
            text,
        )
    return text.encode("utf-8")


def build_odt(default: bytes, version: str) -> bytes:
    parts = read_zip(default)
    parts["styles.xml"] = odt_styles(parts["styles.xml"])
    parts["meta.xml"] = odt_meta(parts["meta.xml"], version)
    head = ["mimetype", "META-INF/manifest.xml"]
    names = head + sorted(n for n in parts if n not in head)
    return write_zip([(n, parts[n]) for n in names])


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def build(out_dir: Path, pandoc: str | None = None) -> dict[str, Path]:
    exe = find_pandoc(pandoc)
    version = pandoc_version(exe)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, builder in (("reference.docx", build_docx), ("reference.odt", build_odt)):
        data = builder(pandoc_default_data(exe, name), version)
        target = out_dir / name
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        results[name] = target
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="default: ambtsbericht_build/templates/")
    parser.add_argument("--pandoc", help="pandoc executable to use")
    args = parser.parse_args(argv)
    exe = find_pandoc(args.pandoc)
    version = pandoc_version(exe)
    for path in build(args.out_dir, exe).values():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{digest}  {path}  (pandoc {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
