"""The ODT as a publication: what pandoc's ODT writer leaves undone.

pandoc writes a valid-looking but unfinished OpenDocument text:

- its table of contents has entry templates but no entries (and no
  ``text:index-body``, which ODF 1.3 requires): a reader sees an empty TOC
  until LibreOffice is told to update it;
- an image keeps its pixel size at its resolution (the example's map,
  1,600 px at 96 dpi, became 42 cm wide on a 16 cm text column);
- every table cell has ``fo:border="none"``;
- the page has a page number and nothing else: no running header, no
  "Pagina X van Y", no CONCEPT watermark while the report is a concept.

:func:`finish_odt` rewrites ``content.xml``, ``styles.xml`` and the manifest
of the written package once, after pandoc and before the deterministic
repack (:mod:`...publish.office`), and adds a ``settings.xml``. The page
geometry it fits images to is read from the package's own page layout, so
a repository's own ``reference.odt`` with other margins is followed.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ..labels import labels

if TYPE_CHECKING:
    from ..facts import RenderFacts

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}

# the cover (title page) has no running header or footer, as in the PDF
COVER_MASTER = "Abuild_20_Cover"
# thin rules between table cells, the grey of the DOCX's table borders
TABLE_RULE = "0.5pt solid #808080"
# room an image leaves on its page for its caption and a line of text:
# 4 cm of the 24.7 cm an A4 page with 2.5 cm margins has
CAPTION_ROOM_CM = 4.0
# the PDF's watermark: the word diagonally across the page, light red
WATERMARK_COLOR = "#b00020"
WATERMARK_OPACITY = "12%"

# LibreOffice lays the text out the same on every machine, not after the
# metrics of whatever printer is installed (its default for new documents)
SETTINGS_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-settings xmlns:office="{NS["office"]}" xmlns:config="{NS["config"]}" office:version="1.3">'
    '<office:settings><config:config-item-set config:name="ooo:configuration-settings">'
    '<config:config-item config:name="PrinterIndependentLayout" config:type="string">high-resolution'
    "</config:config-item></config:config-item-set></office:settings></office:document-settings>\n"
).encode()


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


class OdtPackageError(Exception):
    """pandoc's ODT is not what this module expects (a new pandoc?)."""


# --- XML in and out, with the package's own prefixes ----------------------------------


def _parse(data: bytes) -> ET.Element:
    # ElementTree writes ns0:, ns1: unless each prefix is registered; ODF
    # readers do not care, people reading the XML do
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
        if prefix and not re.fullmatch(r"ns\d+", prefix):
            ET.register_namespace(prefix, uri)
    return ET.fromstring(data)


def _serialise(root: ET.Element) -> bytes:
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


# --- lengths -------------------------------------------------------------------------

_CM_PER = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96}
_LENGTH = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(cm|mm|in|pt|pc|px)\s*")


def length_cm(value: str | None) -> float | None:
    """An ODF length in centimetres; None for a missing or relative one."""
    m = _LENGTH.fullmatch(value or "")
    return float(m.group(1)) * _CM_PER[m.group(2)] if m else None


def _cm(value: float) -> str:
    # to the micrometre: a thin rule's height keeps its proportion
    return f"{value:.4f}cm"


def text_area(styles: ET.Element) -> tuple[float, float]:
    """(width, height) in cm of the text area of the Standard page style."""
    masters = styles.find(q("office:master-styles"))
    master = None if masters is None else masters.find(q("style:master-page"))
    name = master.get(q("style:page-layout-name")) if master is not None else None
    for layout in styles.iter(q("style:page-layout")):
        if layout.get(q("style:name")) != name:
            continue
        props = layout.find(q("style:page-layout-properties"))
        if props is None:
            break

        def get(attr: str, default: float) -> float:
            value = length_cm(props.get(q(attr)) if props is not None else None)
            return default if value is None else value

        width = get("fo:page-width", 21.0) - get("fo:margin-left", 2.0) - get("fo:margin-right", 2.0)
        height = get("fo:page-height", 29.7) - get("fo:margin-top", 2.0) - get("fo:margin-bottom", 2.0)
        if width > 1 and height > 1:
            return width, height
    raise OdtPackageError("styles.xml: no page layout for the Standard page style")


# --- content.xml ---------------------------------------------------------------------


def _heading_text(h: ET.Element) -> str:
    """A heading's text as the TOC shows it: without its footnotes."""
    parts: list[str] = []

    def walk(el: ET.Element) -> None:
        if el.tag == q("text:note"):
            return
        if el.tag in (q("text:tab"), q("text:s"), q("text:line-break")):
            parts.append(" ")
        elif el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(h)
    return " ".join("".join(parts).split())


def _bookmark(h: ET.Element) -> str | None:
    for tag in ("text:bookmark-start", "text:bookmark"):
        mark = h.find(q(tag))
        if mark is not None:
            return mark.get(q("text:name"))
    return None


def fill_toc(office_text: ET.Element, title: str) -> int:
    """Write the entries of every table of contents (levels up to its
    ``text:outline-level``) from the headings after it; the number written.
    Page numbers are left to LibreOffice (Extra > Update): the entries are
    links to the headings."""
    blocks = list(office_text)
    written = 0
    for i, toc in enumerate(blocks):
        if toc.tag != q("text:table-of-content"):
            continue
        source = toc.find(q("text:table-of-content-source"))
        depth = int(source.get(q("text:outline-level"), "2")) if source is not None else 2
        old = toc.find(q("text:index-body"))
        if old is not None:
            toc.remove(old)
        body = ET.SubElement(toc, q("text:index-body"))
        head = ET.SubElement(body, q("text:index-title"), {q("text:name"): f"{toc.get(q('text:name'), 'toc')}_Head"})
        ET.SubElement(head, q("text:p"), {q("text:style-name"): "Contents_20_Heading"}).text = title
        for block in blocks[i + 1 :]:
            for h in block.iter(q("text:h")):
                level = int(h.get(q("text:outline-level"), "1"))
                if level > depth:
                    continue
                p = ET.SubElement(body, q("text:p"), {q("text:style-name"): f"Contents_20_{level}"})
                mark = _bookmark(h)
                if mark is None:
                    p.text = _heading_text(h)
                else:
                    link = ET.SubElement(p, q("text:a"), {q("xlink:type"): "simple", q("xlink:href"): f"#{mark}"})
                    link.text = _heading_text(h)
                written += 1
    return written


def fit_images(office_text: ET.Element, width_cm: float, height_cm: float) -> None:
    """Scale down every image wider than the text or taller than its page
    (less room for the caption), keeping its proportions."""
    max_height = max(height_cm - CAPTION_ROOM_CM, height_cm / 2)
    for frame in office_text.iter(q("draw:frame")):
        w = length_cm(frame.get(q("svg:width")))
        h = length_cm(frame.get(q("svg:height")))
        if not w or not h or w <= 0 or h <= 0:
            continue
        scale = min(1.0, width_cm / w, max_height / h)
        if scale < 1.0:
            frame.set(q("svg:width"), _cm(w * scale))
            frame.set(q("svg:height"), _cm(h * scale))


def rule_tables(automatic: ET.Element) -> None:
    """Thin rules around every table cell (pandoc writes its two cell
    styles, header and body, with ``fo:border="none"``)."""
    for style in automatic.findall(q("style:style")):
        if style.get(q("style:family")) != "table-cell":
            continue
        props = style.find(q("style:table-cell-properties"))
        if props is None:
            props = ET.SubElement(style, q("style:table-cell-properties"))
        props.set(q("fo:border"), TABLE_RULE)
        props.set(q("fo:padding"), "0.1cm")


def cover_page(office_text: ET.Element, automatic: ET.Element) -> None:
    """The first paragraph (the title) opens the cover page style."""
    first = next(iter(office_text), None)
    if first is None or first.tag != q("text:p"):
        return
    parent = first.get(q("text:style-name"), "Standard")
    ET.SubElement(
        automatic,
        q("style:style"),
        {
            q("style:name"): "Abuild_Cover",
            q("style:family"): "paragraph",
            q("style:parent-style-name"): parent,
            q("style:master-page-name"): COVER_MASTER,
        },
    )
    first.set(q("text:style-name"), "Abuild_Cover")


def page_break_style(automatic: ET.Element) -> None:
    """The empty paragraph that ends the cover and the colofon page
    (``office.py`` puts it there): no height, a page break after it."""
    style = ET.SubElement(
        automatic,
        q("style:style"),
        {
            q("style:name"): "Abuild_Page_Break",
            q("style:family"): "paragraph",
            q("style:parent-style-name"): "Standard",
        },
    )
    ET.SubElement(
        style,
        q("style:paragraph-properties"),
        {q("fo:break-after"): "page", q("fo:margin-top"): "0cm", q("fo:margin-bottom"): "0cm"},
    )
    ET.SubElement(style, q("style:text-properties"), {q("fo:font-size"): "2pt"})


def _common_style(office_styles: ET.Element, name: str, parent: str) -> ET.Element:
    for style in office_styles.findall(q("style:style")):
        if style.get(q("style:name")) == name and style.get(q("style:family")) == "paragraph":
            return style
    display = name.replace("_20_", " ")
    attrs = {q("style:name"): name, q("style:display-name"): display, q("style:family"): "paragraph"}
    return ET.SubElement(office_styles, q("style:style"), {**attrs, q("style:parent-style-name"): parent})


def _paragraph_props(style: ET.Element, **attrs: str) -> None:
    props = style.find(q("style:paragraph-properties"))
    if props is None:
        props = ET.Element(q("style:paragraph-properties"))
        style.insert(0, props)  # before style:text-properties, as ODF orders them
    for key, value in attrs.items():
        props.set(q(key.replace("__", ":").replace("_", "-")), value)


def chapter_styles(styles: ET.Element) -> None:
    """Every chapter and annex (a level-1 heading) starts a page, as in the
    PDF; the TOC's own styles, where the reference document has none."""
    office_styles = styles.find(q("office:styles"))
    if office_styles is None:
        raise OdtPackageError("styles.xml: no office:styles")
    _paragraph_props(_common_style(office_styles, "Heading_20_1", "Heading"), fo__break_before="page")
    # beside the headings, not below Heading 1: its outline level would put
    # the TOC's own title in the TOC and the navigator
    toc_title = _common_style(office_styles, "Contents_20_Heading", "Heading")
    _paragraph_props(toc_title, fo__margin_top="0cm", fo__margin_bottom="0.4cm")
    if toc_title.find(q("style:text-properties")) is None:
        ET.SubElement(toc_title, q("style:text-properties"), {q("fo:font-size"): "16pt"})
    for level in range(1, 3):
        entry = _common_style(office_styles, f"Contents_20_{level}", "Standard")
        indent = f"{(level - 1) * 0.5:.1f}cm"
        before = "0.2cm" if level == 1 else "0cm"
        _paragraph_props(entry, fo__margin_left=indent, fo__margin_top=before, fo__margin_bottom="0.05cm")


# --- styles.xml: header, footer, watermark ---------------------------------------------


def _watermark(text: str, width_cm: float, height_cm: float) -> ET.Element:
    """LibreOffice's own watermark (Format > Watermark): a fontwork shape in
    the header, behind the text, centred on the page and turned 45 degrees."""
    w = width_cm
    # fontwork stretches the word along the box: a box 1.05 letters high
    # keeps a bold sans word its own proportions (looked at in LibreOffice 7.4)
    h = w / max(len(text), 1) * 1.05
    shape = ET.Element(
        q("draw:custom-shape"),
        {
            q("text:anchor-type"): "char",
            q("draw:z-index"): "0",
            q("draw:name"): "PowerPlusWaterMarkObject1",
            q("draw:style-name"): "Abuild_Watermark",
            q("draw:text-style-name"): "Abuild_Watermark_Text",
            q("svg:width"): _cm(w),
            q("svg:height"): _cm(h),
            q("draw:transform"): "rotate (0.785398163397448) translate (0cm 0cm)",
        },
    )
    ET.SubElement(shape, q("text:p"), {q("text:style-name"): "Abuild_Watermark_Text"}).text = text
    ET.SubElement(
        shape,
        q("draw:enhanced-geometry"),
        {
            q("svg:viewBox"): "0 0 21600 21600",
            q("draw:text-areas"): "0 0 21600 21600",
            q("draw:text-path"): "true",
            q("draw:text-path-mode"): "shape",
            q("draw:text-path-scale"): "path",
            q("draw:type"): "fontwork-plain-text",
            q("draw:enhanced-path"): "M 0 0 L 21600 0 N M 0 21600 L 21600 21600 N",
        },
    )
    return shape


def page_furniture(styles: ET.Element, facts: RenderFacts, width_cm: float, height_cm: float) -> None:
    """Running header (title left, month and year right), footer
    "Pagina X van Y", the watermark while the report is a concept, and a
    cover page style without them."""
    L = labels(facts.lang)
    automatic = styles.find(q("office:automatic-styles"))
    masters = styles.find(q("office:master-styles"))
    master = None if masters is None else masters.find(q("style:master-page"))
    if automatic is None or masters is None or master is None:
        raise OdtPackageError("styles.xml: no automatic styles or master page")
    layout_name = master.get(q("style:page-layout-name"), "")
    for layout in automatic.findall(q("style:page-layout")):
        if layout.get(q("style:name")) != layout_name:
            continue
        header_style = layout.find(q("style:header-style"))
        if header_style is None:
            header_style = ET.SubElement(layout, q("style:header-style"))
        for child in list(header_style):
            header_style.remove(child)
        ET.SubElement(
            header_style,
            q("style:header-footer-properties"),
            {q("fo:min-height"): "0.6cm", q("fo:margin-bottom"): "0.4cm", q("style:dynamic-spacing"): "false"},
        )
    run = {q("style:family"): "paragraph"}
    header_p = ET.SubElement(
        automatic, q("style:style"), {**run, q("style:name"): "Abuild_Header", q("style:parent-style-name"): "Footer"}
    )
    props = ET.SubElement(header_p, q("style:paragraph-properties"), {q("fo:border-bottom"): TABLE_RULE})
    stops = ET.SubElement(props, q("style:tab-stops"))
    ET.SubElement(stops, q("style:tab-stop"), {q("style:position"): _cm(width_cm), q("style:type"): "right"})
    ET.SubElement(header_p, q("style:text-properties"), {q("fo:font-size"): "8pt"})
    footer_p = ET.SubElement(
        automatic, q("style:style"), {**run, q("style:name"): "Abuild_Footer", q("style:parent-style-name"): "Footer"}
    )
    ET.SubElement(footer_p, q("style:paragraph-properties"), {q("fo:text-align"): "center"})
    ET.SubElement(footer_p, q("style:text-properties"), {q("fo:font-size"): "8pt"})

    for child in list(master):
        if child.tag in (q("style:header"), q("style:footer")):
            master.remove(child)
    header = ET.Element(q("style:header"))
    p = ET.SubElement(header, q("text:p"), {q("text:style-name"): "Abuild_Header"})
    p.text = facts.meta.title
    ET.SubElement(p, q("text:tab")).tail = facts.month_year
    if facts.meta.draft:
        mark = ET.SubElement(
            automatic, q("style:style"), {q("style:name"): "Abuild_Watermark", q("style:family"): "graphic"}
        )
        ET.SubElement(
            mark,
            q("style:graphic-properties"),
            {
                q("draw:stroke"): "none",
                q("draw:fill"): "solid",
                q("draw:fill-color"): WATERMARK_COLOR,
                q("draw:opacity"): WATERMARK_OPACITY,
                q("style:run-through"): "background",
                q("style:wrap"): "run-through",
                q("style:vertical-pos"): "middle",
                q("style:vertical-rel"): "page",
                q("style:horizontal-pos"): "center",
                q("style:horizontal-rel"): "page",
            },
        )
        shape = _watermark(L["concept"], width_cm, height_cm)
        # the letters' height is the font's: 0.88 of the box (60 pt in 2.4 cm)
        letters = length_cm(shape.get(q("svg:height"))) or 3.0
        text = ET.SubElement(
            automatic,
            q("style:style"),
            {q("style:name"): "Abuild_Watermark_Text", q("style:family"): "paragraph"},
        )
        size = f"{letters * 0.88 / _CM_PER['pt']:.0f}pt"
        ET.SubElement(text, q("style:text-properties"), {q("fo:font-size"): size, q("fo:font-weight"): "bold"})
        p.insert(0, shape)
        # the title goes after the shape, in the paragraph's text
        p[0].tail, p.text = p.text, None
    footer = ET.Element(q("style:footer"))
    pre, infix = L["page_of"]
    fp = ET.SubElement(footer, q("text:p"), {q("text:style-name"): "Abuild_Footer"})
    fp.text = pre
    ET.SubElement(fp, q("text:page-number"), {q("text:select-page"): "current"}).tail = infix
    ET.SubElement(fp, q("text:page-count"))
    master.insert(0, footer)
    master.insert(0, header)

    cover = ET.SubElement(
        masters,
        q("style:master-page"),
        {
            q("style:name"): COVER_MASTER,
            q("style:display-name"): "Abuild Cover",
            q("style:page-layout-name"): layout_name,
            q("style:next-style-name"): master.get(q("style:name"), "Standard"),
        },
    )
    del cover  # a page style without header or footer


# --- the package ---------------------------------------------------------------------


def _manifest_with_settings(data: bytes) -> bytes:
    root = _parse(data)
    paths = {e.get(q("manifest:full-path")) for e in root}
    if "settings.xml" not in paths:
        ET.SubElement(
            root,
            q("manifest:file-entry"),
            {q("manifest:full-path"): "settings.xml", q("manifest:media-type"): "text/xml"},
        )
    return _serialise(root)


def finish_odt(path: Path, facts: RenderFacts) -> None:
    """Finish the ODT pandoc wrote at ``path``, in place (atomically)."""
    with zipfile.ZipFile(path) as z:
        entries = {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}
    for name in ("content.xml", "styles.xml", "META-INF/manifest.xml"):
        if name not in entries:
            raise OdtPackageError(f"pandoc's ODT has no {name}")
    styles = _parse(entries["styles.xml"])
    content = _parse(entries["content.xml"])
    office_text = content.find(f"{q('office:body')}/{q('office:text')}")
    automatic = content.find(q("office:automatic-styles"))
    if office_text is None or automatic is None:
        raise OdtPackageError("content.xml: no office:text or automatic styles")
    width, height = text_area(styles)
    fill_toc(office_text, labels(facts.lang)["toc"])
    fit_images(office_text, width, height)
    rule_tables(automatic)
    cover_page(office_text, automatic)
    page_break_style(automatic)
    chapter_styles(styles)
    page_furniture(styles, facts, width, height)
    entries["content.xml"] = _serialise(content)
    entries["styles.xml"] = _serialise(styles)
    entries["settings.xml"] = SETTINGS_XML
    entries["META-INF/manifest.xml"] = _manifest_with_settings(entries["META-INF/manifest.xml"])
    part = path.with_name(path.name + ".odt-part")
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as out:
            # mimetype first and stored: the ODF package rule (the repack keeps it)
            out.writestr(
                "mimetype", entries.pop("mimetype", b"application/vnd.oasis.opendocument.text"), zipfile.ZIP_STORED
            )
            for name, data in entries.items():
                out.writestr(name, data)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
