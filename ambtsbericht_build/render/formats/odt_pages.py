"""The ODT's pages: cover, chapter breaks, running header and footer, and
the CONCEPT watermark (:func:`.odt_package.write_finished` calls these)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ..labels import labels
from .odt_package import ANNEX_HEADING, CM_PER, TOC_LINK, OdtPackageError, cm, length_cm, one_line, paragraph_props, q
from .office import OFFICE_TOC_DEPTH

if TYPE_CHECKING:
    from ..facts import RenderFacts

# the cover (title page) has no running header or footer, as in the PDF
COVER_MASTER = "Abuild_20_Cover"
# the PDF's watermark: the word diagonally across the page, light red
WATERMARK_COLOR = "#b00020"
WATERMARK_OPACITY = "12%"
# the running header's and footer's grey (print.css, docx_package._SMALL)
FURNITURE_COLOR = "#535353"


# pandoc's title block, in the order its ODT template writes it
TITLE_BLOCK = ("Title", "Subtitle", "Author", "Date")
# the title block's paragraph the PDF's cover has not
COVER_DROPPED = "Author"


# the cover's colours, as the PDF's (common.css: .cover-status, --blue)
STATUS_COLOR = "#8b0000"
TITLE_COLOR = "#154273"
# the colofon's text size in the PDF (print.css .colofon: 9pt): on an A4
# page the cover, the 13 rows of the example's colofon and its three-paragraph
# disclaimer fit with room to spare, as in the PDF (at 11 pt with ruled
# cells they ran two lines onto page 2)
COLOFON_SIZE = "9pt"


def _restyle(
    p: ET.Element, automatic: ET.Element, name: str, margin_top: str, text: dict[str, str] | None = None
) -> ET.Element:
    """Give ``p`` an automatic style of its own, based on its style, with
    ``margin_top`` and the text properties ``text`` (ODF attribute: value)."""
    style = next((s for s in automatic.findall(q("style:style")) if s.get(q("style:name")) == name), None)
    if style is None:
        style = ET.SubElement(
            automatic,
            q("style:style"),
            {
                q("style:name"): name,
                q("style:family"): "paragraph",
                q("style:parent-style-name"): p.get(q("text:style-name"), "Standard"),
            },
        )
        ET.SubElement(style, q("style:paragraph-properties"), {q("fo:margin-top"): margin_top})
        if text:
            ET.SubElement(style, q("style:text-properties"), {q(k): v for k, v in text.items()})
    p.set(q("text:style-name"), name)
    return style


def cover_page(office_text: ET.Element, automatic: ET.Element, concept: str = "", colofon: str = "") -> None:
    """The first paragraph (the title) opens the cover page style, about a
    fifth down the page as on the PDF's cover; the status (``concept``, in
    the PDF's dark red) and the colofon's title (``colofon``, blue, as the
    PDF's) each with space above; the colofon's rows and disclaimer at the
    PDF's 9 pt, its table without rules: the cover fits on its page."""
    blocks = list(office_text)
    if not blocks or blocks[0].tag != q("text:p"):
        return
    _restyle(blocks[0], automatic, "Abuild_Cover", "4cm").set(q("style:master-page-name"), COVER_MASTER)
    # pandoc's author line under the title is the issuer, which the PDF's
    # cover does not print (the colofon's "Opgesteld door" row says it)
    for b in blocks[1:5]:
        if b.get(q("text:style-name")) == COVER_DROPPED:
            office_text.remove(b)
    rest = [b for b in blocks[1:] if b.get(q("text:style-name")) not in TITLE_BLOCK]
    end = next((i for i, b in enumerate(rest) if b.get(q("text:style-name")) == "Abuild_Page_Break"), 0)
    first, after_table = True, False
    for b in rest[:end]:
        said = " ".join("".join(b.itertext()).split())
        if b.tag == q("table:table"):
            _colofon_table(b, automatic)
        elif b.tag != q("text:p"):
            continue
        elif concept and said == concept:
            bold = {"fo:font-weight": "bold", "fo:color": STATUS_COLOR}
            _restyle(b, automatic, "Abuild_Cover_Status", "0.6cm", bold)
        elif colofon and said == colofon:
            title = {"fo:font-weight": "bold", "fo:color": TITLE_COLOR, "fo:font-size": "13pt"}
            _restyle(b, automatic, "Abuild_Colofon_Title", "1.2cm" if not first else "1.5cm", title)
        elif first:
            _restyle(b, automatic, "Abuild_Colofon", "1.5cm", {"fo:font-size": COLOFON_SIZE})
        elif after_table:  # the disclaimer's title: 6 mm below the rows, as in the PDF
            _restyle(b, automatic, "Abuild_Colofon_Disclaimer", "0.6cm", {"fo:font-size": COLOFON_SIZE})
        else:
            _restyle(b, automatic, "Abuild_Colofon_Text", "0.2cm", {"fo:font-size": COLOFON_SIZE})
        first, after_table = False, b.tag == q("table:table")


def _colofon_table(table: ET.Element, automatic: ET.Element) -> None:
    """The colofon's rows as the PDF sets them: no rules, little padding,
    9 pt."""
    cell = ET.SubElement(
        automatic, q("style:style"), {q("style:name"): "Abuild_Colofon_Cell", q("style:family"): "table-cell"}
    )
    ET.SubElement(cell, q("style:table-cell-properties"), {q("fo:border"): "none", q("fo:padding"): "0.03cm"})
    for c in table.iter(q("table:table-cell")):
        c.set(q("table:style-name"), "Abuild_Colofon_Cell")
        for p in c.iter(q("text:p")):
            _restyle(p, automatic, "Abuild_Colofon_Row", "0cm", {"fo:font-size": COLOFON_SIZE})


def page_break_style(automatic: ET.Element) -> None:
    """The empty paragraph that ends the cover (``office.py`` puts it after
    the colofon): no height, a page break after it."""
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


def chapter_styles(
    styles: ET.Element, width_cm: float, annex: frozenset[int] | set[int] = frozenset(), column_cm: float = 0.0
) -> None:
    """Every chapter and annex (a level-1 heading) starts a page, as in the
    PDF; the TOC's own styles, where the reference document has none, with
    a number column ``column_cm`` wide (a title hangs after it, as in the
    PDF) and a dot leader to the page number at the right margin; the annex
    heading style of each level in ``annex``."""
    office_styles = styles.find(q("office:styles"))
    if office_styles is None:
        raise OdtPackageError("styles.xml: no office:styles")
    paragraph_props(_common_style(office_styles, "Heading_20_1", "Heading"), fo__break_before="page")
    # beside the headings, not below Heading 1: its outline level would put
    # the TOC's own title in the TOC and the navigator
    toc_title = _common_style(office_styles, "Contents_20_Heading", "Heading")
    paragraph_props(toc_title, fo__margin_top="0cm", fo__margin_bottom="0.4cm")
    if toc_title.find(q("style:text-properties")) is None:
        ET.SubElement(toc_title, q("style:text-properties"), {q("fo:font-size"): "16pt"})
    for level in range(1, OFFICE_TOC_DEPTH + 1):
        entry = _common_style(office_styles, f"Contents_20_{level}", "Standard")
        indent = (level - 1) * 0.5 + column_cm
        before = "0.2cm" if level == 1 else "0cm"
        paragraph_props(
            entry,
            fo__margin_left=cm(indent),
            fo__text_indent=cm(-column_cm),
            fo__margin_top=before,
            fo__margin_bottom="0.05cm",
        )
        _leader_tab(entry, width_cm - indent, number_column=column_cm > 0)
        if level == 1 and entry.find(q("style:text-properties")) is None:
            ET.SubElement(entry, q("style:text-properties"), {q("fo:font-weight"): "bold"})
    # a source entry (office.py gives it the style "Bibliography") with a
    # hanging indent, as the DOCX's (425 twips = 0.75 cm) and the PDF's;
    # a reference.odt that defines the style keeps its own
    if not any(st.get(q("style:name")) == "Bibliography" for st in office_styles.findall(q("style:style"))):
        entry = _common_style(office_styles, "Bibliography", "Standard")
        paragraph_props(
            entry, fo__margin_left="0.75cm", fo__text_indent="-0.75cm", fo__margin_top="0cm", fo__margin_bottom="0.14cm"
        )
    # a note's own number as the PDF and HTML print it: "1." on the line
    # (LibreOffice puts the suffix in the note area only, not at the call)
    for config in office_styles.iter(q("text:notes-configuration")):
        if config.get(q("text:note-class")) == "footnote":
            config.set(q("style:num-suffix"), ".")
    for level in sorted(annex):
        _common_style(office_styles, ANNEX_HEADING.format(level), f"Heading_20_{level}")
    # the entries are links, printed as text: LibreOffice's own TOC link style
    if not any(s.get(q("style:name")) == TOC_LINK for s in office_styles.findall(q("style:style"))):
        link = ET.SubElement(
            office_styles,
            q("style:style"),
            {q("style:name"): TOC_LINK, q("style:display-name"): "Index Link", q("style:family"): "text"},
        )
        ET.SubElement(link, q("style:text-properties"), {q("style:text-underline-style"): "none"})


def _leader_tab(style: ET.Element, position_cm: float, number_column: bool = False) -> None:
    """One right tab at ``position_cm`` from the paragraph's indent (ODF's
    default), dots before it: the page number at the margin, as in the PDF;
    with ``number_column`` first a left tab at the indent, where a title
    follows its number."""
    props = style.find(q("style:paragraph-properties"))
    assert props is not None  # _paragraph_props made it
    for old in props.findall(q("style:tab-stops")):
        props.remove(old)
    stops = ET.SubElement(props, q("style:tab-stops"))
    if number_column:
        ET.SubElement(stops, q("style:tab-stop"), {q("style:position"): cm(0), q("style:type"): "left"})
    attrs = {q("style:position"): cm(position_cm), q("style:type"): "right"}
    ET.SubElement(stops, q("style:tab-stop"), {**attrs, q("style:leader-style"): "dotted", q("style:leader-text"): "."})


# --- styles.xml: header, footer, watermark ---------------------------------------------


def _watermark(text: str, width_cm: float, number: int) -> ET.Element:
    """LibreOffice's own watermark (Format > Watermark, which finds it by
    its name): a fontwork shape in the header, in front of the text, centred on
    the page and turned 45 degrees."""
    # fontwork stretches the word along the box: a box 1.05 letters high
    # keeps a bold sans word its own proportions (looked at in LibreOffice 7.4)
    height = width_cm / max(len(text), 1) * 1.05
    shape = ET.Element(
        q("draw:custom-shape"),
        {
            q("text:anchor-type"): "char",
            q("draw:z-index"): "0",
            q("draw:name"): f"PowerPlusWaterMarkObject{number}",
            q("draw:style-name"): "Abuild_Watermark",
            q("draw:text-style-name"): "Abuild_Watermark_Text",
            q("svg:width"): cm(width_cm),
            q("svg:height"): cm(height),
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


def _style(automatic: ET.Element, name: str, family: str, parent: str | None = None) -> ET.Element:
    attrs = {q("style:name"): name, q("style:family"): family}
    if parent:
        attrs[q("style:parent-style-name")] = parent
    return ET.SubElement(automatic, q("style:style"), attrs)


def _furniture_styles(automatic: ET.Element, width_cm: float, watermark_cm: float | None) -> None:
    # as the PDF's margin boxes (print.css) and the DOCX's header and
    # footer: 8 pt grey, no rule (the ODT alone had a rule under its header)
    small = {q("fo:font-size"): "8pt", q("fo:color"): FURNITURE_COLOR}
    header = _style(automatic, "Abuild_Header", "paragraph", "Footer")
    props = ET.SubElement(header, q("style:paragraph-properties"))
    stops = ET.SubElement(props, q("style:tab-stops"))
    ET.SubElement(stops, q("style:tab-stop"), {q("style:position"): cm(width_cm), q("style:type"): "right"})
    ET.SubElement(header, q("style:text-properties"), small)
    footer = _style(automatic, "Abuild_Footer", "paragraph", "Footer")
    ET.SubElement(footer, q("style:paragraph-properties"), {q("fo:text-align"): "center"})
    ET.SubElement(footer, q("style:text-properties"), small)
    if watermark_cm is None:
        return
    ET.SubElement(
        _style(automatic, "Abuild_Watermark", "graphic"),
        q("style:graphic-properties"),
        {
            q("draw:stroke"): "none",
            q("draw:fill"): "solid",
            q("draw:fill-color"): WATERMARK_COLOR,
            q("draw:opacity"): WATERMARK_OPACITY,
            # in front of the text and images (behind, the example's map hid
            # it on its page: issue #11), 12 % opaque as the PDF's
            q("style:run-through"): "foreground",
            q("style:wrap"): "run-through",
            q("style:vertical-pos"): "middle",
            q("style:vertical-rel"): "page",
            q("style:horizontal-pos"): "center",
            q("style:horizontal-rel"): "page",
        },
    )
    # the letters are as high as the font is large: 0.88 of the box (60 pt in 2.4 cm)
    size = f"{watermark_cm * 0.88 / CM_PER['pt']:.0f}pt"
    text = _style(automatic, "Abuild_Watermark_Text", "paragraph")
    ET.SubElement(text, q("style:text-properties"), {q("fo:font-size"): size, q("fo:font-weight"): "bold"})


def _footnote_rule(automatic: ET.Element) -> None:
    """The rule above the notes with the PDF's space around it on every page
    layout (:data:`.docx_notes.SEPARATOR_BEFORE_PT`: the reference ODT's
    0.0398 in, 1 mm, set it on the last line's descenders)."""
    from .docx_notes import SEPARATOR_AFTER_PT, SEPARATOR_BEFORE_PT

    for props in automatic.iter(q("style:page-layout-properties")):
        sep = props.find(q("style:footnote-sep"))
        if sep is None:
            sep = ET.SubElement(
                props,
                q("style:footnote-sep"),
                {q("style:width"): "0.018cm", q("style:line-style"): "solid", q("style:rel-width"): "25%"},
            )
        sep.set(q("style:distance-before-sep"), cm(SEPARATOR_BEFORE_PT * CM_PER["pt"]))
        sep.set(q("style:distance-after-sep"), cm(SEPARATOR_AFTER_PT * CM_PER["pt"]))


def _header_space(automatic: ET.Element, layout_name: str) -> None:
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


def page_furniture(styles: ET.Element, facts: RenderFacts, width_cm: float) -> None:
    """Running header (title left, month and year right), footer
    "Pagina X van Y", and a cover page style without them; the watermark
    on every page, the cover's too, while the report is a concept."""
    L = labels(facts.lang)
    automatic = styles.find(q("office:automatic-styles"))
    masters = styles.find(q("office:master-styles"))
    master = None if masters is None else masters.find(q("style:master-page"))
    if automatic is None or masters is None or master is None:
        raise OdtPackageError("styles.xml: no automatic styles or master page")
    layout_name = master.get(q("style:page-layout-name"), "")
    _header_space(automatic, layout_name)
    _footnote_rule(automatic)
    concept = L["concept"] if facts.meta.draft else None
    watermark = _watermark(concept, width_cm, 1) if concept else None
    _furniture_styles(automatic, width_cm, length_cm(watermark.get(q("svg:height"))) if watermark else None)

    for child in list(master):
        if child.tag in (q("style:header"), q("style:footer")):
            master.remove(child)
    header = ET.Element(q("style:header"))
    p = ET.SubElement(header, q("text:p"), {q("text:style-name"): "Abuild_Header"})
    if watermark is not None:
        p.append(watermark)
        watermark.tail = one_line(facts.meta.title)
    else:
        p.text = one_line(facts.meta.title)
    ET.SubElement(p, q("text:tab")).tail = one_line(facts.month_year)
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
    if concept:
        # no running header on the cover: a header of the watermark only
        ET.SubElement(ET.SubElement(cover, q("style:header")), q("text:p")).append(_watermark(concept, width_cm, 2))
