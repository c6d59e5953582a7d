"""No image metadata reaches an output: a report whose images carry EXIF
(GPS, Windows XP author), XMP, IPTC, PNG text and eXIf chunks, GIF and JPEG
comments and SVG editor metadata is rendered to all four formats, and every
image in every output is read back independently (the bytes of every
``data:`` URI, zip entry and PDF image stream); and the audit finds metadata
wherever an image still has it."""

from __future__ import annotations

import base64
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from ambtsbericht_build.publish.extract import extract
from ambtsbericht_build.publish.image_metadata import IMAGE_METADATA, metadata_markers, strip_metadata
from ambtsbericht_build.render.pipeline import RenderOptions, render_report

from .conftest import make_leaky_repo

MARK = "GPSMARKER7731"  # in every kind of metadata below
# signatures of metadata, whatever the marker
SIGNATURES = [
    MARK.encode(),
    MARK.encode("utf-16-le"),
    b"Exif\x00\x00",
    b"<x:xmpmeta",
    b"http://ns.adobe.com/xap/1.0/",
    b"Photoshop 3.0",
    b"sodipodi",
    b"inkscape",
]


def _pixels() -> Image.Image:
    im = Image.new("RGB", (40, 30), (20, 120, 200))
    for x in range(40):
        im.putpixel((x, x % 30), (250, 10, 10))
    return im


def _exif(orientation: int = 1) -> bytes:
    ex = Image.Exif()
    ex[0x010F] = "Camera " + MARK  # Make
    ex[0x9C9D] = (MARK + "\0").encode("utf-16-le")  # XPAuthor (Windows)
    ex[0x0112] = orientation
    ex[0x8825] = {1: "N", 2: (52.0, 5.0, 17.0), 3: "E", 4: (4.0, 18.0, 2.0), 27: MARK}  # GPS
    return ex.tobytes()


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def dirty_jpeg(orientation: int = 1, trailer: bool = False) -> bytes:
    buf = io.BytesIO()
    _pixels().save(buf, "JPEG", exif=_exif(orientation), comment=MARK.encode(), quality=90)
    data = buf.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>" + MARK.encode() + b"</dc:creator></x:xmpmeta>"
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x12\x1c\x02\x50\x00\x0d" + MARK.encode()
    # bytes after the end marker: AB405 refuses them (no end marker at the end),
    # stripping drops them
    tail = b"trailer " + MARK.encode() if trailer else b""
    return data[:2] + _segment(0xE1, xmp) + _segment(0xED, iptc) + data[2:] + tail


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def dirty_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARK)
    info.add_text("Comment", MARK, zip=True)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{MARK}</x:xmpmeta>")
    buf = io.BytesIO()
    _pixels().save(buf, "PNG", pnginfo=info, exif=_exif())
    data = buf.getvalue()
    return data[:-12] + _chunk(b"prIv", MARK.encode()) + data[-12:]


def dirty_gif() -> bytes:
    buf = io.BytesIO()
    _pixels().convert("P").save(buf, "GIF", comment=MARK.encode())
    data = buf.getvalue()
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([len(MARK)]) + MARK.encode() + b"\x00"
    return data[:-1] + xmp + data[-1:]


DIRTY_SVG = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- {MARK} -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     sodipodi:docname="/home/{MARK}/kaart.svg" width="40" height="30">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{MARK}</rdf:RDF></metadata>
  <sodipodi:namedview inkscape:export-filename="{MARK}.png"/>
  <title>Kaart</title>
  <rect width="40" height="30" fill="#14c" inkscape:label="{MARK}"/>
  <image width="10" height="10" xlink:href="data:image/png;base64,{base64.b64encode(dirty_png()).decode()}"/>
</svg>
""".encode()


def _output_images(path: Path) -> list[tuple[str, bytes]]:
    """Every image in an output, read without abuild's extractor."""
    if path.suffix == ".html":
        html = path.read_text(encoding="utf-8")
        return [
            (f"data: URI #{i}", base64.b64decode(m.group(1)))
            for i, m in enumerate(re.finditer(r"data:image/[a-z+]+;base64,([A-Za-z0-9+/=]+)", html), 1)
        ]
    if path.suffix in (".docx", ".odt"):
        with zipfile.ZipFile(path) as z:
            return [(n, z.read(n)) for n in z.namelist() if re.search(r"\.(png|jpe?g|gif|svg)$", n, re.I)]
    import pikepdf

    out = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Subtype") == "/Image":
                out.append((f"image {obj.objgen}", obj.read_raw_bytes()))
                try:  # Flate-decoded; a JPEG (DCTDecode) is its raw bytes
                    out.append((f"image {obj.objgen} decoded", obj.read_bytes()))
                except pikepdf.PdfError:
                    pass
                if obj.stream_dict.get("/Metadata") is not None:
                    out.append((f"image {obj.objgen} /Metadata", b"<x:xmpmeta"))
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("meta-repo")
    report = make_leaky_repo(root, real_git=False)
    media = report / "media"
    (media / "foto.jpg").write_bytes(dirty_jpeg())
    (media / "gedraaid.jpg").write_bytes(dirty_jpeg(orientation=6))
    (media / "kaart.png").write_bytes(dirty_png())
    (media / "schema.gif").write_bytes(dirty_gif())
    (media / "plan.svg").write_bytes(DIRTY_SVG)
    (media / "kapot.png").write_bytes(b"Dit is tekst, geen afbeelding.\n")  # AB405
    (report / "chapters" / "02-beelden.md").write_text(
        '# Beelden {#beelden}\n\n## Foto\'s {#sec-fotos tor="1.1"}\n\nBeelden uit het gebied.[@ngo-rapport]\n\n'
        + "".join(
            f"![{alt}](media/{name})\n\n"
            for alt, name in (
                ("Foto van de markt", "foto.jpg"),
                ("Gedraaide foto", "gedraaid.jpg"),
                ("Kaart", "kaart.png"),
                ("Schema", "schema.gif"),
                ("Plattegrond", "plan.svg"),
                ("Kapotte kaart", "kapot.png"),
            )
        ),
        encoding="utf-8",
    )
    # the leaky report carries confidentiality findings on purpose
    result = render_report(report, RenderOptions(out_dir=root / "build", refuse_confidentiality=False))
    return result


def test_the_test_images_carry_metadata():
    for data in (dirty_jpeg(), dirty_png(), dirty_gif(), DIRTY_SVG):
        assert MARK.encode() in data
        assert metadata_markers(data)


def test_no_output_has_image_metadata(rendered):
    assert set(rendered.outputs) == {"html", "pdf", "docx", "odt"}
    for fmt, path in rendered.outputs.items():
        if fmt == "manifest":
            continue
        images = _output_images(path)
        assert len(images) >= (4 if fmt != "pdf" else 3), (fmt, [n for n, _ in images])
        found = [f"{fmt}: {name}: {sig!r}" for name, data in images for sig in SIGNATURES if sig in data]
        assert found == []
        # and the raw file itself: no marker anywhere (EXIF inside a PDF stream, say)
        assert MARK.encode() not in path.read_bytes()


def test_a_refused_image_is_a_visible_placeholder_in_every_format(rendered):
    """Never a silently missing figure: the concept renders, the finding is
    printed, and every format says, where the figure would be, that it is missing."""
    from .conftest import occurrences

    found = [d for d in rendered.diagnostics if d.code == "AB405"]
    assert len(found) == 1 and "is text, not an image" in found[0].message
    formats = [rendered.outputs[f] for f in ("html", "pdf", "docx", "odt")]
    hits = occurrences(formats, ["afbeelding ontbreekt: Kapotte kaart"])
    assert {h.split(":", 1)[0].rsplit(".", 1)[1] for h in hits} == {"html", "pdf", "docx", "odt"}, hits
    html = rendered.outputs["html"].read_text(encoding="utf-8")
    assert '<span class="missing-image">[afbeelding ontbreekt: Kapotte kaart]</span>' in html


def test_a_rotated_photo_is_published_upright(rendered):
    html = rendered.outputs["html"].read_text(encoding="utf-8")
    sizes = [
        Image.open(io.BytesIO(base64.b64decode(m.group(1)))).size
        for m in re.finditer(r"data:image/jpeg;base64,([A-Za-z0-9+/=]+)", html)
    ]
    assert sorted(sizes) == [(30, 40), (40, 30)]  # EXIF orientation 6: turned a quarter


@pytest.mark.parametrize("kind", ["jpeg", "png", "gif"])
def test_stripping_keeps_the_pixels(kind):
    data = {"jpeg": lambda: dirty_jpeg(trailer=True), "png": dirty_png, "gif": dirty_gif}[kind]()
    clean = strip_metadata(data)
    assert metadata_markers(clean) == []
    assert MARK.encode() not in clean
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(clean)) as b:
        assert a.convert("RGB").tobytes() == b.convert("RGB").tobytes()


def _rewrap_svg(data: bytes, how: str) -> bytes:
    if how == "svgz":
        import gzip

        return gzip.compress(data)
    if how == "utf-16":
        return data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return data


@pytest.mark.parametrize("fmt", ["html", "docx", "odt", "pdf"])
def test_the_audit_finds_image_metadata_in_every_format(tmp_path, fmt):
    """Outputs with an image that still has its metadata, in each place an
    image can be: a data: URI, a DOCX/ODT media part, a PDF image XObject."""
    jpeg = dirty_jpeg()
    if fmt == "html":
        path = tmp_path / "x.html"
        imgs = "".join(
            f'<img alt="x" src="data:{mime};base64,{base64.b64encode(data).decode()}">'
            for mime, data in (
                ("image/jpeg", jpeg),
                ("image/png", dirty_png()),
                ("image/gif", dirty_gif()),
                ("image/svg+xml", _rewrap_svg(DIRTY_SVG, "svgz")),
                ("image/svg+xml", _rewrap_svg(DIRTY_SVG, "utf-16")),
            )
        )
        path.write_text(f"<html><body>{imgs}</body></html>", encoding="utf-8")
        expected = 5
    elif fmt in ("docx", "odt"):
        path = tmp_path / f"x.{fmt}"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("content.xml", "<doc/>")
            z.writestr("media/a.jpg", jpeg)
            z.writestr("media/b.png", dirty_png())
            z.writestr("media/c.svgz", _rewrap_svg(DIRTY_SVG, "svgz"))
        expected = 3
    else:
        from ambtsbericht_build.render.pdf import html_to_pdf

        path = tmp_path / "x.pdf"
        html_to_pdf(f'<p>x</p><img alt="a" src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}">', path)
        expected = 1
    problems = [p for p in extract(path, full=False).problems if p[1] == IMAGE_METADATA]
    # each image once (the PNG inside the SVG is reported as well, apart)
    nested = 1 if fmt == "html" else 0
    assert len({p[0] for p in problems if p[0].count("embedded") == nested}) == expected, problems


# --- any metadata, anywhere in the file's structure -------------------------------------------

_PNG_META = st.sampled_from([b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"iCCP", b"prVt", b"xMPp"])
_JPEG_META = st.sampled_from([0xE1, 0xE2, 0xE3, 0xEC, 0xED, 0xEF, 0xFE])


def _first_idat(data: bytes) -> int:
    """Where the first IDAT chunk starts, found by walking the chunks (a
    chunk's body may contain the letters IDAT: hypothesis found one)."""
    pos = 8
    while data[pos + 4 : pos + 8] != b"IDAT":
        pos += 12 + struct.unpack(">I", data[pos : pos + 4])[0]
    return pos


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_PNG_META, st.binary(max_size=40), st.integers(0, 2)), min_size=1, max_size=5))
def test_any_png_metadata_chunk_is_stripped(chunks):
    buf = io.BytesIO()
    _pixels().save(buf, "PNG")
    data = buf.getvalue()
    # after IHDR (0), before IDAT (1) or just before IEND (2)
    ihdr_end = 8 + 25
    for kind, body, where in chunks:
        at = {0: ihdr_end, 1: _first_idat(data), 2: len(data) - 12}[where]
        data = data[:at] + _chunk(kind, body + MARK.encode()) + data[at:]
    assert metadata_markers(data)
    clean = strip_metadata(data)
    assert metadata_markers(clean) == [] and MARK.encode() not in clean
    assert Image.open(io.BytesIO(clean)).tobytes() == _pixels().tobytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_JPEG_META, st.binary(max_size=40)), min_size=1, max_size=5))
def test_any_jpeg_app_or_comment_segment_is_stripped(segments):
    buf = io.BytesIO()
    _pixels().save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    extra = b"".join(_segment(marker, body + MARK.encode()) for marker, body in segments)
    dirty = data[:2] + extra + data[2:]
    assert metadata_markers(dirty)
    clean = strip_metadata(dirty)
    assert metadata_markers(clean) == [] and MARK.encode() not in clean
    assert Image.open(io.BytesIO(clean)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
