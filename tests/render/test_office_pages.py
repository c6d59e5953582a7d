"""The office editions' pages after the page read of issue #11: the cover
says what the PDF's says, images keep to the text column, the CONCEPT
watermark is in front of images. Every test reads the real DOCX and ODT of
the example report (the session's render, shared with the other tests)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from ambtsbericht_build.house_style import template_path
from ambtsbericht_build.render.formats import odt_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    **{k: v for k, v in odt_package.NS.items() if k != "manifest"},
}
ISSUER = "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


# --- 6. the cover ------------------------------------------------------------------------------


def test_office_covers_have_no_issuer_line_the_pdf_has_not(example):
    """The PDF's cover: title, date, status, then the colofon, whose row
    "Opgesteld door" names the issuer; pandoc's title block added the issuer
    as an author line under the title."""
    doc = etree.fromstring(_parts(example["docx"])["word/document.xml"])
    body = doc.find("w:body", NS)
    # the cover: what comes before the colofon's table
    cover = []
    for el in body:
        if el.tag == f"{{{W}}}tbl":
            break
        cover.append(_text(el))
    assert cover[0] == "Algemeen ambtsbericht Voorbeeldland" and "CONCEPT" in cover
    assert ISSUER not in cover, cover
    assert not doc.xpath("//w:pStyle[@w:val='Author']", namespaces=NS)
    # the colofon still names the issuer
    assert any(_text(row).endswith(ISSUER) for row in body.find("w:tbl", NS).iterfind("w:tr", NS))

    content = etree.fromstring(_parts(example["odt"])["content.xml"])
    office_text = content.find("office:body/office:text", NS)
    cover = []
    for el in office_text:
        if el.tag == f"{{{NS['table']}}}table":
            break
        cover.append(_text(el))
    assert cover[0] == "Algemeen ambtsbericht Voorbeeldland" and "CONCEPT" in cover
    assert ISSUER not in cover, cover
    assert ISSUER in _text(office_text.find("table:table", NS))


# --- 5. images --------------------------------------------------------------------------------


def test_docx_images_keep_to_the_text_column(example):
    doc = etree.fromstring(_parts(example["docx"])["word/document.xml"])
    (sect,) = doc.xpath("w:body/w:sectPr", namespaces=NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    width = (int(size.get(f"{{{W}}}w")) - int(margins.get(f"{{{W}}}left")) - int(margins.get(f"{{{W}}}right"))) * 635
    inlines = doc.xpath("//wp:inline", namespaces=NS)
    assert inlines, "the example has a map"
    for inline in inlines:
        # without them LibreOffice sets the image 0.32 cm in: the map overhung the margin
        assert [inline.get(d) for d in ("distT", "distB", "distL", "distR")] == ["0"] * 4
        extents = inline.xpath(".//wp:extent | .//a:ext", namespaces=NS)
        assert {(e.get("cx"), e.get("cy")) for e in extents} == {(extents[0].get("cx"), extents[0].get("cy"))}
        assert 0 < int(extents[0].get("cx")) <= width


def test_docx_fit_images_scales_a_wide_image_to_the_page_geometry():
    from ambtsbericht_build.render.formats.docx_package import fit_images

    # A5 with 2 cm margins: 8391 - 2 * 1134 twips of text width
    doc = (
        '<w:body><w:p><w:r><w:drawing><wp:inline><wp:extent cx="9000000" cy="4500000" />'
        '<a:graphic><a:xfrm><a:off x="0" y="0" /><a:ext cx="9000000" cy="4500000" /></a:xfrm></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
        '<w:sectPr><w:pgSz w:w="8391" w:h="11906" /><w:pgMar w:left="1134" w:right="1134" /></w:sectPr></w:body>'
    )
    out = fit_images(doc)
    width = (8391 - 2 * 1134) * 635
    assert out.count(f'cx="{width}" cy="{round(4500000 * width / 9000000)}"') == 2
    assert '<wp:inline distT="0" distB="0" distL="0" distR="0">' in out


# --- 7. the watermark ---------------------------------------------------------------------------


def test_watermark_is_in_front_of_images(example, mini):
    parts = _parts(example["docx"])
    headers = [etree.fromstring(v) for k, v in parts.items() if re.fullmatch(r"word/header.*\.xml", k)]
    shapes = [s for h in headers for s in h.iterfind(".//v:shape", NS) if s.find("v:textpath", NS) is not None]
    assert shapes, "a concept has the watermark"
    for shape in shapes:
        z = re.search(r"z-index:(-?\d+)", shape.get("style"))
        assert z and int(z.group(1)) > 0, "in front of the text and images, not behind"
        assert float(shape.find("v:fill", NS).get("opacity")) < 0.5, "the text under it stays readable"

    # Word draws a header's shapes behind the body: the paragraph of an image
    # carries the watermark itself, in front of the image
    doc = etree.fromstring(parts["word/document.xml"])
    images = doc.xpath("//w:p[.//w:drawing]", namespaces=NS)
    assert images
    for p in images:
        (mark,) = p.xpath(".//v:shape[v:textpath/@string='CONCEPT']", namespaces=NS)
        assert int(re.search(r"z-index:(-?\d+)", mark.get("style")).group(1)) > 0
    ids = doc.xpath("//v:shape/@id", namespaces=NS)
    assert len(ids) == len(set(ids)), "each shape of the part has its own id"

    styles = etree.fromstring(_parts(example["odt"])["styles.xml"])
    (props,) = styles.xpath("//style:style[@style:name='Abuild_Watermark']/style:graphic-properties", namespaces=NS)
    assert props.get(f"{{{NS['style']}}}run-through") == "foreground"
    assert int(props.get(f"{{{NS['draw']}}}opacity").rstrip("%")) <= 20
    # a vastgesteld report has none, also not over its image
    final = _parts(mini["docx"])["word/document.xml"]
    assert b"<w:drawing>" in final and b"v:textpath" not in final


# --- 2. the house font in the package ---------------------------------------------------------


def _font(data: bytes):
    import io

    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data))


def test_docx_embeds_the_house_font_obfuscated(example):
    parts = _parts(example["docx"])
    table = etree.fromstring(parts["word/fontTable.xml"])
    (noto,) = table.xpath("w:font[@w:name='Noto Sans']", namespaces=NS)
    rels = {
        r.get("Id"): r.get("Target")
        for r in etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
        if r.get("Type").endswith("/relationships/font")
    }
    text = "".join(etree.fromstring(parts["word/document.xml"]).itertext())
    styles = {}
    for kind in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"):
        (embed,) = noto.findall(f"w:{kind}", NS)
        key = embed.get(f"{{{W}}}fontKey")
        data = parts[
            "word/" + rels[embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
        ]
        # ECMA-376 §17.8.1, as LibreOffice reads it: key bytes from the GUID's last hex pair to its first
        digits = key.strip("{}").replace("-", "")
        k = [int(digits[i : i + 2], 16) for i in range(30, -1, -2)]
        plain = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32])) + data[32:]
        font = _font(plain)
        assert font["name"].getDebugName(1) == "Noto Sans"
        assert font["OS/2"].fsType == 0, "installable embedding (SIL OFL)"
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in set(text) if c.isprintable() and not c.isspace()), "every printed character"
        styles[font["name"].getDebugName(2)] = plain
    # whole, as the house style's files: a drafter editing without the font can type any character of it
    for style, plain in styles.items():
        assert plain == template_path(f"fonts/NotoSans-{style.replace(' ', '')}.ttf").read_bytes()
    assert set(styles) == {"Regular", "Bold", "Italic", "Bold Italic"}
    assert b'Extension="odttf"' in parts["[Content_Types].xml"]
    settings = parts["word/settings.xml"].decode()
    assert settings.index("<w:embedTrueTypeFonts") < settings.index("<w:embedSystemFonts")


def test_odt_embeds_the_house_font(example):
    parts = _parts(example["odt"])
    styles = etree.fromstring(parts["styles.xml"])
    (face,) = styles.xpath("//office:font-face-decls/style:font-face[@style:name='Noto Sans']", namespaces=NS)
    uris = face.xpath("svg:font-face-src/svg:font-face-uri/@xlink:href", namespaces=NS)
    assert len(uris) == 4
    manifest = parts["META-INF/manifest.xml"].decode()
    for uri in uris:
        assert f'manifest:full-path="{uri}"' in manifest
        assert _font(parts[uri])["name"].getDebugName(1) == "Noto Sans"
        assert parts[uri] == template_path("fonts/" + uri.rsplit("/", 1)[1]).read_bytes()
    assert b'"EmbedFonts" config:type="boolean">true' in parts["settings.xml"]


def test_obfuscation_is_its_own_inverse_and_touches_32_bytes():
    from ambtsbericht_build.render.formats.office_fonts import font_key, obfuscate

    data = bytes(range(256)) * 4
    key = font_key(data)
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key)
    hidden = obfuscate(data, key)
    assert hidden[32:] == data[32:] and hidden[:32] != data[:32]
    assert obfuscate(hidden, key) == data
    assert font_key(data) == key, "the same font, the same key: a reproducible package"


def test_a_font_whose_licence_forbids_embedding_is_left_out():
    import io

    from fontTools.ttLib import TTFont

    from ambtsbericht_build.render.formats.office_fonts import embeddable

    font = TTFont(str(template_path("fonts/NotoSans-Regular.ttf")))
    for fs_type, embedded in ((0x0002, False), (0x0200, False), (0x0008, True)):
        font["OS/2"].fsType = fs_type
        out = io.BytesIO()
        font.save(out)
        assert (embeddable(out.getvalue()) == "Noto Sans") is embedded, hex(fs_type)
