"""What abuild adds to the DOCX package pandoc writes.

pandoc's DOCX writer leaves a report unfinished in ways its options cannot
change; :func:`finish_docx` rewrites the package once, right after pandoc:

- every chapter and annex (a level-1 heading) starts on a new page
  (``w:pageBreakBefore``, so no empty paragraph is left at a page's top);
- a running header (title, month and year) and a footer "Pagina X van Y"
  (PAGE and NUMPAGES fields) on every page but the cover, and the CONCEPT
  watermark on every page while the report is a concept;
- the table of contents (:mod:`.docx_toc`): pandoc writes an empty TOC
  field, which shows nothing until the reader updates fields; its result
  is filled with the HTML's entries (Word fills in the page numbers when it
  updates the fields);
- the cover in the PDF's order (status, then the colofon's title), without
  pandoc's issuer line (:mod:`.docx_cover`);
- a note's own number as a label, a tab, the text hanging after it
  (:mod:`.docx_notes`);
- images at most the text width, with no distance to the text, and the
  watermark again over each (behind the body, a header's is hidden by an
  opaque image);
- the house font embedded, obfuscated (:mod:`.office_fonts`);
- what stays together on a page (keep with next, widow control, tables
  at the text width whose rows do not split) and fields updated when Word
  opens the file (:mod:`.docx_layout`);
- ``docProps/app.xml`` and ``docProps/custom.xml`` are abuild's, not
  leftovers of pandoc's reference document ("Microsoft Word 12.0.0", 83
  words) or pandoc's metadata (the colofon run together into one
  "abstract" property).

Everything here edits pandoc's own, regular output with regular
expressions on markup, never on text: every piece of report text in
``document.xml`` is XML-escaped, so a heading that reads ``<w:p>`` cannot
match. The package is written beside the file and moved over it.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ... import __version__
from ..labels import labels
from .base import WriterError

if TYPE_CHECKING:
    from ..facts import RenderFacts

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# A4 (11906 twips) less two margins of 2.5 cm (1417 twips): the text width,
# where the right tab stops of the header and the TOC go
TEXT_WIDTH = 11906 - 2 * 1417
# the header and footer: 8 pt (16 half-points) grey, as the PDF's margin boxes
_SMALL = '<w:rPr><w:color w:val="535353"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'


# characters XML 1.0 cannot hold, even escaped (C0 controls but tab and
# newlines, surrogates, U+FFFE/U+FFFF): a word processor refuses the whole
# file over one of them
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(s: str) -> str:
    """``s`` as XML character data (or an attribute value): escaped, and
    without the characters XML cannot hold."""
    return html.escape(_NOT_XML.sub("", s), quote=True)


def one_line(s: str) -> str:
    """``s`` as XML text on one line: a header or a property has no line
    breaks, and an XML parser would turn a carriage return into a newline."""
    return xml_text(" ".join(_NOT_XML.sub("", s).split()))


def field(instruction: str, result: str = "", dirty: bool = False, rpr: str = "") -> str:
    """Runs of a complex field: ``instruction`` (e.g. ``PAGE``) and the result
    shown until the field is updated."""
    flag = ' w:dirty="true"' if dirty else ""
    shown = f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(result)}</w:t></w:r>' if result else ""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"{flag}/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>{shown}'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# the colofon's number of pages: Word computes it when it updates the field
# (marked dirty, so it does on opening), LibreOffice always
NUMPAGES_FIELD = field("NUMPAGES", dirty=True)

# --- headers, footers, watermark ---------------------------------------------------------

_PART_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:{{tag}} xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word">'
)

# Word's own watermark: a VML WordArt shape (text path) in the header,
# centred on the page and turned 45 degrees; LibreOffice reads it as its
# fontwork watermark. In front of the text (a positive z-index), not behind
# it: behind, the example's map (an opaque image) hid it on its page (issue
# #11); in the PDF's light red at 12 % opacity, so the text under it stays
# readable
_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
    ' o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)
_SHAPE = (
    '<v:shape id="AbuildWatermark{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
    "z-index:251659264;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"'
    ' fillcolor="#b00020" stroked="f"><v:fill opacity=".12"/>'
    '<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt" string="{text}"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
)


def watermark_run(text: str, n: int = 0, shapetype: bool = True) -> str:
    """The watermark as a run: the ``n``-th shape of its part (each shape of
    a part has its own id), with the shape type when it is the part's first."""
    shape = _SHAPE.format(n=n or "", spid=2049 + n, text=xml_text(text))
    return f"<w:r><w:pict>{_SHAPETYPE if shapetype else ''}{shape}</w:pict></w:r>"


# an image in the body, as pandoc writes it
_IMAGE_RUN = "<w:r><w:drawing>"


def watermark_over_images(document: str, text: str) -> str:
    """The watermark again in each paragraph that holds an image: Word (and
    LibreOffice after it) draws a header's shapes behind the body, so on the
    page of an opaque image (the example's map) the header's watermark was
    hidden; a shape anchored in the body is drawn in front of it. It sits
    where the header's does, on the same page."""
    parts = document.split(_IMAGE_RUN)
    return parts[0] + "".join(
        watermark_run(text, n, shapetype=n == 1) + _IMAGE_RUN + rest for n, rest in enumerate(parts[1:], start=1)
    )


def _part(tag: str, paragraphs: str) -> bytes:
    return (_PART_HEAD.format(tag=tag) + paragraphs + f"</w:{tag}>").encode("utf-8")


def header_parts(facts: RenderFacts) -> dict[str, bytes]:
    """The header and footer parts by file name: the running ones, and the
    cover's (first page), which carry only the watermark."""
    L = labels(facts.lang)
    mark = watermark_run(L["concept"]) if facts.meta.draft else ""
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    running = (
        f"<w:p><w:pPr>{tab}</w:pPr>{mark}"
        f'<w:r>{_SMALL}<w:t xml:space="preserve">{one_line(facts.meta.title)}</w:t></w:r>'
        f"<w:r>{_SMALL}<w:tab/></w:r>"
        f'<w:r>{_SMALL}<w:t xml:space="preserve">{xml_text(facts.month_year)}</w:t></w:r></w:p>'
    )
    pre, infix = L["page_of"]
    footer = (
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        f'<w:r>{_SMALL}<w:t xml:space="preserve">{xml_text(pre)}</w:t></w:r>'
        + field("PAGE", "1", rpr=_SMALL)
        + f'<w:r>{_SMALL}<w:t xml:space="preserve">{xml_text(infix)}</w:t></w:r>'
        + field("NUMPAGES", "1", rpr=_SMALL)
        + "</w:p>"
    )
    return {
        "header-abuild.xml": _part("hdr", running),
        "header-abuild-first.xml": _part("hdr", f"<w:p>{mark}</w:p>"),
        "footer-abuild.xml": _part("ftr", footer),
        "footer-abuild-first.xml": _part("ftr", "<w:p/>"),
    }


# relationship id -> (type, part name)
_REFERENCES = {
    "rIdAbuildHeader": ("header", "header-abuild.xml", "default"),
    "rIdAbuildHeaderFirst": ("header", "header-abuild-first.xml", "first"),
    "rIdAbuildFooter": ("footer", "footer-abuild.xml", "default"),
    "rIdAbuildFooterFirst": ("footer", "footer-abuild-first.xml", "first"),
}

_SECT = re.compile(r"<w:sectPr\b[^>]*>(?:(?!</w:sectPr>).)*</w:sectPr>\s*</w:body>", re.S)
_HF_REF = re.compile(r"<w:(?:header|footer)Reference\b[^>]*/>")
_REF_ID = re.compile(r'\br:id="([^"]*)"')


def _section(document: str) -> tuple[str, set[str]]:
    """The body's last section with abuild's headers and footers (and a
    different first page, the cover); the relationship ids it dropped."""
    m = _SECT.search(document)
    if m is None:
        raise WriterError("DOCX: pandoc wrote no section properties, so abuild cannot add the header and footer")
    sect = m.group(0)
    dropped = {i for ref in _HF_REF.findall(sect) for i in _REF_ID.findall(ref)}
    sect = _HF_REF.sub("", sect)
    refs = "".join(
        f'<w:{kind}Reference w:type="{which}" r:id="{rid}"/>' for rid, (kind, _, which) in _REFERENCES.items()
    )
    sect = re.sub(r"(<w:sectPr\b[^>]*>)", lambda mm: mm.group(1) + refs, sect, count=1)
    # pandoc asks for note numbers that restart each section; LibreOffice
    # then starts again at 1 in every chapter, while the PDF and ODT count
    # 1-277 straight through: "noot 140" must be the same note in every format
    sect = re.sub(r'<w:numRestart w:val="eachSect"\s*/>', '<w:numRestart w:val="continuous"/>', sect)
    if "<w:titlePg" not in sect:
        # titlePg follows pgNumType/cols/formProt/vAlign/noEndnote in CT_SectPr
        sect = re.sub(
            r"(\s*)(<w:textDirection\b|<w:bidi\b|<w:rtlGutter\b|<w:docGrid\b|</w:sectPr>)",
            r"<w:titlePg/>\1\2",
            sect,
            count=1,
        )
    return document[: m.start()] + sect + document[m.end() :], dropped


def _relationships(rels: str, dropped: set[str]) -> tuple[str, set[str]]:
    """document.xml.rels without the dropped header/footer relationships and
    with abuild's; the part names no longer referenced."""
    gone: set[str] = set()

    def drop(m: re.Match[str]) -> str:
        rid = re.search(r'\bId="([^"]*)"', m.group(0))
        if rid and rid.group(1) in dropped:
            target = re.search(r'\bTarget="([^"]*)"', m.group(0))
            if target:
                gone.add("word/" + target.group(1))
            return ""
        return m.group(0)

    rels = re.sub(r"<Relationship\b[^>]*/>", drop, rels)
    new = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{name}"/>'
        for rid, (kind, name, _) in _REFERENCES.items()
    )
    still = set(re.findall(r'\bTarget="([^"]*)"', rels))
    return rels.replace("</Relationships>", new + "</Relationships>"), {g for g in gone if g[5:] not in still}


def _content_types(types: str, gone: set[str]) -> str:
    for name in gone:
        types = re.sub(rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "", types)
    new = "".join(
        f'<Override PartName="/word/{name}" ContentType="{CT}.{kind}+xml"/>' for kind, name, _ in _REFERENCES.values()
    )
    return types.replace("</Types>", new + "</Types>")


# --- images ------------------------------------------------------------------------------------

# a twip (1/20 pt) in EMU, DrawingML's unit
EMU_PER_TWIP = 635
_PG_SZ = re.compile(r"<w:pgSz\b[^>]*>")
_PG_MAR = re.compile(r"<w:pgMar\b[^>]*>")
_INLINE = re.compile(r"<wp:inline\b[^>]*>(?:(?!</wp:inline>).)*</wp:inline>", re.S)
_EXTENT = re.compile(r'<(wp:extent|a:ext) cx="(\d+)" cy="(\d+)"\s*/>')


def text_width_emu(document: str) -> int:
    """The text width of the body's last section (page width less both
    margins) in EMU; :data:`TEXT_WIDTH` when pandoc wrote no page geometry."""

    def twips(tag: re.Pattern[str], attr: str, default: int) -> int:
        m = tag.search(document[document.rfind("<w:sectPr") :] if "<w:sectPr" in document else "")
        v = re.search(rf'\bw:{attr}="(\d+)"', m.group(0)) if m else None
        return int(v.group(1)) if v else default

    width = twips(_PG_SZ, "w", 11906) - twips(_PG_MAR, "left", 1417) - twips(_PG_MAR, "right", 1417)
    return (width if width > 0 else TEXT_WIDTH) * EMU_PER_TWIP


def fit_images(document: str) -> str:
    """Every inline image at most the text width wide (proportions kept), and
    with no distance to the text around it: without ``dist*`` LibreOffice sets
    an inline image 0.32 cm from the margin, so the example's map (15.98 cm on
    a 16 cm column) overhung the right margin by 3 mm."""
    width = text_width_emu(document)

    def fit(m: re.Match[str]) -> str:
        inline = m.group(0)
        ext = _EXTENT.search(inline)
        if ext is not None and int(ext.group(2)) > width:
            scale = width / int(ext.group(2))
            inline = _EXTENT.sub(
                lambda e: f'<{e.group(1)} cx="{width}" cy="{round(int(e.group(3)) * scale)}" />', inline
            )
        return re.sub(r"<wp:inline\b[^>]*>", '<wp:inline distT="0" distB="0" distL="0" distR="0">', inline, count=1)

    return _INLINE.sub(fit, document)


# --- document properties --------------------------------------------------------------------

_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006"


def app_xml(facts: RenderFacts) -> bytes:
    """Extended properties: abuild as the application, no statistics (a word
    or page count here would be a guess; Word counts when it saves)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_PROPS}/extended-properties" xmlns:vt="{_PROPS}/docPropsVTypes">'
        f"<Application>abuild {xml_text(__version__)}</Application>"
        f"<Company>{one_line(facts.meta.issuer)}</Company>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


def custom_xml(facts: RenderFacts) -> bytes:
    """Custom properties: the report's fields a document management system
    files by, each as printed in the colofon (no page count: unknown here)."""
    meta = facts.meta
    props = [("kind", meta.kind), ("country", meta.country), ("report-date", meta.date)]
    props += [("reference-period", meta.period), ("version", meta.version), ("status", meta.status)]
    from .docx_anchors import anchor_properties  # which report and chapter files the review anchors refer to

    props += anchor_properties(facts)
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{one_line(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_PROPS}/custom-properties" xmlns:vt="{_PROPS}/docPropsVTypes">{body}</Properties>'
    ).encode()


# --- the package -----------------------------------------------------------------------------


def finish_docx(path: Path, facts: RenderFacts, entries: dict[str, bytes] | None = None) -> None:
    """Rewrite pandoc's DOCX at ``path`` (or its ``entries``, already read) as the module docstring says."""
    if entries is None:
        with zipfile.ZipFile(path) as z:
            entries = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
    from .docx_cover import colofon_styles, cover
    from .docx_notes import note_number_style, note_numbers, separator_space, superscript_calls
    from .docx_toc import annex_styles, bookmark_name, headings_and_toc, toc_indents

    document = entries["word/document.xml"].decode("utf-8")
    document, restyled = headings_and_toc(
        document,
        {bookmark_name(h.ident) for h in facts.headings if h.ident},
        numbers={bookmark_name(h.ident): h.number for h in facts.headings if h.ident and h.number},
        indents=toc_indents(entries["word/styles.xml"].decode("utf-8")),
    )
    document = cover(document, labels(facts.lang)["concept"] if facts.meta.draft else "")
    document, dropped = _section(document)
    document = fit_images(document)
    from .docx_layout import keep_styles, lead_ins, tables, update_fields

    document = lead_ins(tables(document, text_width_emu(document) // EMU_PER_TWIP))
    if facts.meta.draft:
        document = watermark_over_images(document, labels(facts.lang)["concept"])
    if "word/footnotes.xml" in entries:
        document = superscript_calls(document)
    entries["word/document.xml"] = document.encode("utf-8")
    if "word/footnotes.xml" in entries:
        footnotes = separator_space(note_numbers(entries["word/footnotes.xml"].decode("utf-8")))
        entries["word/footnotes.xml"] = footnotes.encode("utf-8")
        entries["word/styles.xml"] = note_number_style(entries["word/styles.xml"].decode("utf-8")).encode("utf-8")
    entries["word/styles.xml"] = colofon_styles(entries["word/styles.xml"].decode("utf-8")).encode("utf-8")
    entries["word/styles.xml"] = keep_styles(entries["word/styles.xml"].decode("utf-8")).encode("utf-8")
    if "word/settings.xml" in entries:
        entries["word/settings.xml"] = update_fields(entries["word/settings.xml"].decode("utf-8")).encode("utf-8")
    if restyled:
        entries["word/styles.xml"] = annex_styles(entries["word/styles.xml"].decode("utf-8"), restyled).encode("utf-8")
    rels, gone = _relationships(entries["word/_rels/document.xml.rels"].decode("utf-8"), dropped)
    entries["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    for name in gone:
        entries.pop(name, None)
    for name, data in header_parts(facts).items():
        entries["word/" + name] = data
    types = _content_types(entries["[Content_Types].xml"].decode("utf-8"), gone)
    if "/docProps/custom.xml" not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/docProps/custom.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
        )
    entries["[Content_Types].xml"] = types.encode("utf-8")
    root_rels = entries["_rels/.rels"].decode("utf-8")
    if "docProps/custom.xml" not in root_rels:
        root_rels = root_rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdAbuildCustom" Type="{REL}/custom-properties" Target="docProps/custom.xml"/>'
            "</Relationships>",
        )
        entries["_rels/.rels"] = root_rels.encode("utf-8")
    entries["docProps/app.xml"] = app_xml(facts)
    entries["docProps/custom.xml"] = custom_xml(facts)
    from .office_fonts import embed_docx, house_fonts

    embed_docx(entries, house_fonts(facts.house_style))
    _write(path, entries, facts.epoch)


def _write(path: Path, entries: dict[str, bytes], epoch: int) -> None:
    # deterministic at once, as the render's repack (publish/office.py) would
    # rewrite it, which then leaves it as it is (the ODT's write: odt_package.py)
    from ...publish.office import write_package

    write_package(path, entries, epoch, "docx")
