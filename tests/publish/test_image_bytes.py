"""No byte an image's decoder does not use reaches an output (red-team L8).

Text can hide in an image without being metadata: in a kept PNG chunk past
its fields (``pHYs`` with its length enlarged, CRC correct), in ``bKGD``,
after the zlib stream inside ``IDAT``, in unused palette entries; in a JPEG
table segment past its tables, between progressive scans, after EOI; in GIF
sub-blocks after the LZW data or after the trailer. Hypothesis makes a
small valid image, hides a marker in one of those places and runs the real
stripper: the marker is gone and the pixels are the same. A real render of
a report with such images (the red team's two PNGs rebuilt here, and a JPEG
and GIF like them) has the marker in none of its four outputs, and the
audit finds each hiding place in an image that bypassed the stripper, in
each format.
"""

from __future__ import annotations

import base64
import io
import random
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from ambtsbericht_build.publish.extract import extract
from ambtsbericht_build.publish.image_metadata import IMAGE_METADATA, ImageDataError, metadata_markers, strip_metadata
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import make_report

MARK = b"Zwartvoet Moerbeiboom"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 8
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        out.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]))
        pos += 12 + n
    return out


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(_chunk(k, b) for k, b in chunks)


def _segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of the JPEG's segments before the first scan."""
    out, pos = [], 2
    while data[pos + 1] != 0xDA:
        (n,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        out.append((data[pos + 1], pos, pos + 2 + n))
        pos += 2 + n
    return out


def _enlarge(data: bytes, marker: int) -> bytes:
    """The JPEG with ``MARK`` appended inside its first ``marker`` segment."""
    _m, s, e = next(seg for seg in _segments(data) if seg[0] == marker)
    body = data[s + 4 : e] + MARK
    return data[:s] + bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body + data[e:]


def _jseg(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


# hiding places: name -> (inject, the audit must find it in the dirty file)
def _png_place(data: bytes, place: str) -> bytes:
    chunks = _png_chunks(data)
    if place == "pHYs padding":
        return _png([(k, b + MARK if k == b"pHYs" else b) for k, b in chunks])
    if place.startswith("chunk "):
        return _png(chunks[:1] + [(place[6:].encode(), MARK)] + chunks[1:])
    if place == "after IEND":
        return data + MARK
    idat = b"".join(b for k, b in chunks if k == b"IDAT")
    # a second zlib stream stored (level 0), so the marker stays readable
    tail = {"IDAT after the zlib stream": MARK, "IDAT second zlib stream": zlib.compress(MARK, 0)}[place]
    rest = [(k, b) for k, b in chunks if k != b"IDAT"]
    return _png(rest[:-1] + [(b"IDAT", idat + tail)] + rest[-1:])


def _jpeg_place(data: bytes, place: str) -> bytes:
    if place == "after EOI":
        return data + MARK
    if place == "COM":
        return data[:2] + _jseg(0xFE, MARK) + data[2:]
    if place == "APP11":
        return data[:2] + _jseg(0xEB, MARK) + data[2:]
    if place == "JFIF thumbnail":
        jfif = b"JFIF\0\x01\x01\0\0\x01\0\x01" + bytes((7, 1)) + MARK  # a 7×1 thumbnail: 21 bytes
        _m, s, e = _segments(data)[0]
        return data[:s] + _jseg(0xE0, jfif) + data[e:]
    if place == "unused DQT table":
        return data[:2] + _jseg(0xDB, b"\x03" + (MARK * 4)[:64]) + data[2:]
    if place == "between scans":
        second = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
        return data[:second] + _jseg(0xFE, MARK) + data[second:]
    if place == "unused Huffman symbols":
        return _overwrite_last_ac_symbols(data)
    if place == "after the last block":  # inside the last scan's data, before EOI
        assert data.endswith(b"\xff\xd9")
        return data[:-2] + MARK + data[-2:]
    marker = {"DQT padding": 0xDB, "DHT padding": 0xC4, "SOF padding": 0xC0}[place]
    if marker == 0xC0 and not any(m == 0xC0 for m, _s, _e in _segments(data)):
        marker = 0xC2  # progressive
    return _enlarge(data, marker)


def _overwrite_last_ac_symbols(data: bytes) -> bytes:
    """Red-team I01b: ``MARK`` over the last symbols of the first AC Huffman
    table (of the standard table Pillow writes for a baseline JPEG: codes
    of 16 bits for runs of 15 zeros and values over 255, which no small
    image uses; the caller checks the pixels are unchanged)."""
    out = bytearray(data)
    for m, s, e in _segments(data):
        pos = s + 4
        while m == 0xC4 and pos < e:
            count = sum(out[pos + 1 : pos + 17])
            if out[pos] >> 4 == 1 and count > 2 * len(MARK):
                end = pos + 17 + count
                out[end - len(MARK) : end] = MARK
                return bytes(out)
            pos += 17 + count
    raise AssertionError("no AC Huffman table with enough symbols")


def _gif_place(data: bytes, place: str) -> bytes:
    if place == "after trailer":
        return data + MARK
    block = {
        "comment": b"\x21\xfe" + bytes((len(MARK),)) + MARK + b"\0",
        "plain text": b"\x21\x01\x0c" + bytes(12) + bytes((len(MARK),)) + MARK + b"\0",
        "application": b"\x21\xff\x0bXMP DataXMP" + bytes((len(MARK),)) + MARK + b"\0",
        "loop sub-block": b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0" + bytes((len(MARK),)) + MARK + b"\0",
    }.get(place)
    if block is not None:
        return data[:-1] + block + data[-1:]
    assert place == "image sub-block after the LZW data"
    assert data[-2:] == b"\0;"  # the last image's data ends just before the trailer
    return data[:-2] + bytes((len(MARK),)) + MARK + data[-2:]


PLACES = {
    "png": [
        "pHYs padding",
        "chunk bKGD",
        "chunk hiDe",
        "chunk gAMA",
        "chunk sPLT",
        "after IEND",
        "IDAT after the zlib stream",
        "IDAT second zlib stream",
    ],
    "jpeg": [
        "after EOI",
        "COM",
        "APP11",
        "JFIF thumbnail",
        "DQT padding",
        "DHT padding",
        "SOF padding",
        "between scans",
        "unused DQT table",
        "unused Huffman symbols",
        "after the last block",
    ],
    "gif": [
        "after trailer",
        "comment",
        "plain text",
        "application",
        "loop sub-block",
        "image sub-block after the LZW data",
    ],
}
# valid structure, only unused values: the stripper clears them, the audit
# (which judges structure) need not see them
_NOT_STRUCTURE = {"unused DQT table"}


def _image(kind: str, mode: str, w: int, h: int, seed: int, progressive: bool) -> bytes:
    rnd = random.Random(seed)
    if mode == "P":
        im = Image.frombytes("P", (w, h), bytes(rnd.randrange(4) for _ in range(w * h)))
        im.putpalette(bytes(rnd.randrange(256) for _ in range(48)))  # 16 colours, 4 used
    else:
        im = Image.frombytes("RGB", (w, h), rnd.randbytes(3 * w * h)).convert(mode)
    buf = io.BytesIO()
    if kind == "png":
        im.save(buf, "PNG", dpi=(150, 150))
    elif kind == "jpeg":
        im.convert("L" if mode == "L" else "RGB").save(buf, "JPEG", quality=85, progressive=progressive)
    else:
        im.convert("P").save(buf, "GIF")
    return buf.getvalue()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA").tobytes()


@st.composite
def dirty_images(draw: st.DrawFn) -> tuple[str, str, bytes, bytes]:
    kind = draw(st.sampled_from(["png", "jpeg", "gif"]))
    mode = draw(st.sampled_from(["RGB", "RGBA", "P", "L", "1"] if kind == "png" else ["RGB", "L"]))
    w, h = draw(st.integers(1, 20)), draw(st.integers(1, 20))
    progressive = kind == "jpeg" and draw(st.booleans())
    # a progressive JPEG has optimised Huffman tables: every symbol is used
    places = [p for p in PLACES[kind] if p != ("unused Huffman symbols" if progressive else "between scans")]
    place = draw(st.sampled_from(places))
    clean = _image(kind, mode, w, h, draw(st.integers(0, 2**32)), progressive)
    dirty = {"png": _png_place, "jpeg": _jpeg_place, "gif": _gif_place}[kind](clean, place)
    return kind, place, clean, dirty


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dirty_images())
def test_a_marker_hidden_anywhere_in_an_image_is_gone_after_stripping(case):
    kind, place, original, dirty = case
    assert MARK in dirty
    if place == "unused Huffman symbols":
        assume(_pixels(dirty) == _pixels(original))  # the symbols were unused
    if place not in _NOT_STRUCTURE:
        assert metadata_markers(dirty), f"the audit misses a {kind} with text in: {place}"
    stripped = strip_metadata(dirty)
    assert MARK not in stripped, f"{kind}: {place}"
    assert metadata_markers(stripped) == []
    assert _pixels(stripped) == _pixels(original)
    assert strip_metadata(stripped) == stripped  # deterministic, and a fixed point


def test_unused_palette_entries_and_row_padding_bits_are_cleared():
    # a 1-bit grey PNG 1 pixel wide: 7 padding bits per row; 3 rows spell "Zwa"
    ihdr = struct.pack(">IIBBBBB", 1, 3, 1, 0, 0, 0, 0)
    rows = b"".join(b"\0" + bytes((c & 0x7F,)) for c in b"Zwa")
    dirty = _png([(b"IHDR", ihdr), (b"IDAT", zlib.compress(rows)), (b"IEND", b"")])
    idat = zlib.decompress(b"".join(b for k, b in _png_chunks(strip_metadata(dirty)) if k == b"IDAT"))
    assert idat == b"\0\0" * 3
    assert _pixels(strip_metadata(dirty)) == _pixels(dirty)
    # a palette image using 2 of its 9 colours; the other 7 spell the marker
    ihdr = struct.pack(">IIBBBBB", 2, 1, 8, 3, 0, 0, 0)
    plte = bytes((1, 2, 3, 4, 5, 6)) + MARK
    dirty = _png([(b"IHDR", ihdr), (b"PLTE", plte), (b"IDAT", zlib.compress(b"\0\0\1")), (b"IEND", b"")])
    clean = strip_metadata(dirty)
    assert MARK[:3] not in clean and _pixels(clean) == _pixels(dirty)


def phys_png() -> bytes:
    """/tmp/rt/phys.png of the red team: 21 bytes after the pHYs fields
    (length enlarged, CRC correct) and text in bKGD."""
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    phys = struct.pack(">IIB", 2835, 2835, 1) + MARK
    idat = zlib.compress(b"\0" + bytes(6) + b"\0" + bytes((255,) * 6))
    return _png([(b"IHDR", ihdr), (b"pHYs", phys), (b"bKGD", bytes(6) + MARK[:9]), (b"IDAT", idat), (b"IEND", b"")])


def idat_png() -> bytes:
    """/tmp/rt/idat.png of the red team: the marker after the zlib stream in IDAT."""
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" + bytes((200,) * 6) + b"\0" + bytes((30,) * 6)) + MARK
    return _png([(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", b"")])


def flat_jpeg_with_marked_dqt() -> bytes:
    """A flat grey JPEG: every AC coefficient is 0, so the quantisation
    entries 1-63 multiply nothing; ``MARK`` is written over them."""
    buf = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buf, "JPEG", quality=85)
    data = bytearray(buf.getvalue())
    _m, s, _e = next(seg for seg in _segments(bytes(data)) if seg[0] == 0xDB)
    data[s + 5 + 1 : s + 5 + 1 + len(MARK)] = MARK  # after the Pq/Tq byte and the DC entry
    return bytes(data)


def test_a_jpeg_keeps_its_pixels_and_loses_unused_huffman_symbols_and_quantisation_entries():
    for dirty in (
        _jpeg_place(_image("jpeg", "RGB", 16, 12, 11, False), "unused Huffman symbols"),
        flat_jpeg_with_marked_dqt(),
    ):
        assert MARK in dirty
        assert metadata_markers(dirty)
        clean = strip_metadata(dirty)
        assert MARK[:4] not in clean and metadata_markers(clean) == []
        assert _pixels(clean) == _pixels(dirty)
        assert len(clean) < len(dirty)


def _render_images() -> dict[str, bytes]:
    jpeg = _image("jpeg", "RGB", 16, 12, 7, True)
    gif = _image("gif", "RGB", 16, 12, 8, False)
    return {
        "phys.png": phys_png(),
        "idat.png": idat_png(),
        # places a decoder accepts (padding inside DQT/DHT/SOF, or bytes
        # after EOI or the trailer, make AB405 refuse the file already)
        "tabel.jpg": _jpeg_place(_jpeg_place(_jpeg_place(jpeg, "unused DQT table"), "JFIF thumbnail"), "between scans"),
        "schema.gif": _gif_place(_gif_place(gif, "image sub-block after the LZW data"), "loop sub-block"),
        # red-team I01b: text over unused symbols of a used Huffman table
        "huffman.jpg": _jpeg_place(_image("jpeg", "RGB", 16, 12, 11, False), "unused Huffman symbols"),
        "vlak.jpg": flat_jpeg_with_marked_dqt(),
        "plan.svg": _SVG.format(g=MARK.decode(), tail="", foreign="", attr=f' x:note="{MARK.decode()}"').encode(),
    }


def _output_bytes(path: Path) -> list[tuple[str, bytes]]:
    """The output file, every part of a package, every decoded data: URI and
    every decoded PDF stream: wherever the marker could be."""
    data = path.read_bytes()
    out = [(path.name, data)]
    if path.suffix == ".html":
        text = data.decode("utf-8")
        out += [
            (f"data: URI {i}", base64.b64decode(m.group(1)))
            for i, m in enumerate(re.finditer(r"base64,([A-Za-z0-9+/=]+)", text))
        ]
    elif path.suffix in (".docx", ".odt"):
        with zipfile.ZipFile(path) as z:
            out += [(n, z.read(n)) for n in z.namelist()]
    else:
        import pikepdf

        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    out.append((f"stream {obj.objgen}", obj.read_raw_bytes()))
                    try:
                        out.append((f"stream {obj.objgen} decoded", obj.read_bytes()))
                    except pikepdf.PdfError:
                        pass
    return out


def test_a_report_with_text_hidden_in_its_images_publishes_none_of_it(tmp_path):
    rd = make_report(tmp_path)
    images = _render_images()
    for name, data in images.items():
        assert MARK in data or MARK[:9] in data
        rd.write(f"media/{name}", data)
    rd.write(
        "chapters/02-politiek.md",
        '# Politiek en veiligheid {#h-politiek}\n\n## Verkiezingen {#sec-verkiezingen tor="1.1"}\n\n'
        "Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]\n\n"
        + "".join(f"![Kaart {i}](media/{name})\n\n" for i, name in enumerate(images, 1))
        + '## Veiligheid {#sec-veiligheid tor="1.2"}\n\nHet was rustig.[@hrw-2025]\n',
        dedent_text=False,
    )
    result = render_report(rd.dir, RenderOptions(out_dir=tmp_path / "build"))
    assert set(result.outputs) >= {"html", "pdf", "docx", "odt"}
    for fmt in ("html", "pdf", "docx", "odt"):
        parts = _output_bytes(result.outputs[fmt])
        leaked = [where for where, data in parts if MARK[:9] in data or b"Moerbeiboom" in data]
        assert leaked == [], f"{fmt}: the marker is in {leaked}"
        found = [p for p in extract(result.outputs[fmt], full=False).problems if p[1] == IMAGE_METADATA]
        assert found == []
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert len(re.findall(r"data:image/(?:png|jpeg|gif|svg\+xml);base64,", html)) == 7  # all shown, none refused


@pytest.mark.parametrize("fmt", ["html", "docx", "odt", "pdf"])
def test_the_audit_finds_bytes_beyond_an_images_structure_in_every_format(tmp_path, fmt):
    """An image that bypassed the stripper, in each place an output holds one."""
    images = _render_images()
    jpeg = _jpeg_place(_image("jpeg", "RGB", 16, 12, 7, False), "after EOI")
    if fmt == "html":
        path = tmp_path / "x.html"
        imgs = "".join(
            f'<img alt="x" src="data:image/{n.rsplit(".", 1)[1]};base64,{base64.b64encode(d).decode()}">'
            for n, d in images.items()
        )
        path.write_text(f"<html><body>{imgs}</body></html>", encoding="utf-8")
        expected = len(images)
    elif fmt in ("docx", "odt"):
        path = tmp_path / f"x.{fmt}"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("content.xml", "<doc/>")
            for n, d in images.items():
                z.writestr(f"media/{n}", d)
        expected = len(images)
    else:
        import pikepdf

        from ambtsbericht_build.render.pdf import html_to_pdf

        png = base64.b64encode(_image("png", "RGB", 16, 12, 9, False)).decode()
        html = f'<p>x</p><img alt="a" src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}">'
        html_to_pdf(html + f'<img alt="b" src="data:image/png;base64,{png}">', tmp_path / "clean.pdf")
        path = tmp_path / "x.pdf"
        with pikepdf.open(tmp_path / "clean.pdf") as pdf:
            flate = [
                o
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream)
                and o.get("/Subtype") == "/Image"
                and o.get("/Filter") == "/FlateDecode"
            ]
            # WeasyPrint re-encodes a PNG; text after its zlib stream is a bypass
            flate[0].write(
                flate[0].read_raw_bytes() + MARK,
                filter=pikepdf.Name.FlateDecode,
                decode_parms=flate[0].get("/DecodeParms"),
            )
            pdf.save(path)
        expected = 2  # the JPEG (copied as it is) and the Flate stream
    problems = [p for p in extract(path, full=False).problems if p[1] == IMAGE_METADATA]
    assert len({p[0] for p in problems}) == expected, problems


@st.composite
def damaged_images(draw: st.DrawFn) -> bytes:
    """A valid small image with a few bytes changed, cut or inserted; in a
    PNG inside a chunk whose CRC is then made right again (otherwise the
    checksum alone would refuse it)."""
    kind = draw(st.sampled_from(["png", "png", "jpeg", "gif"]))
    mode = draw(st.sampled_from(["RGB", "P", "L", "1"])) if kind == "png" else "RGB"
    data = _image(kind, mode, draw(st.integers(1, 12)), draw(st.integers(1, 12)), draw(st.integers(0, 2**32)), True)
    chunks = [(k, bytearray(b)) for k, b in _png_chunks(data)] if kind == "png" else [(b"", bytearray(data))]
    # positions drawn uniformly (hypothesis's integers favour 0: the
    # signature, which is refused first, and nothing behind it is reached)
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(rnd.randint(1, 4)):
        n = rnd.randrange(len(chunks))
        body = chunks[n][1]
        at = rnd.randrange(len(body) + 1)
        how = rnd.choice(["set", "cut", "insert", "retype"])
        if how == "retype" and kind == "png":  # a chunk's body under another chunk's type
            chunks[n] = (rnd.choice([b"IHDR", b"PLTE", b"tRNS", b"pHYs", b"IDAT", b"bKGD"]), body)
        elif how == "set" and at < len(body):
            body[at] = rnd.randrange(256)
        elif how == "cut":
            del body[at : at + rnd.randint(1, 20)]
        else:
            body[at:at] = rnd.randbytes(rnd.randint(1, 12))
    return _png([(k, bytes(b)) for k, b in chunks]) if kind == "png" else bytes(chunks[0][1])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_images())
def test_a_damaged_image_is_refused_with_a_reason_never_a_crash(data):
    # the render turns ImageDataError into a visible placeholder; anything
    # else would be a traceback
    try:
        clean = strip_metadata(data)
    except ImageDataError as exc:
        assert str(exc)
    else:
        assert metadata_markers(clean) == []
    assert isinstance(metadata_markers(data), list)


def test_the_png_pixel_limit_is_the_loaders():
    from ambtsbericht_build.load.images import MAX_PIXELS
    from ambtsbericht_build.publish.image_png import MAX_PIXELS as PNG_MAX_PIXELS

    assert PNG_MAX_PIXELS == MAX_PIXELS
    # a header claiming 2^31 × 2^31 pixels is refused before anything is inflated
    ihdr = struct.pack(">IIBBBBB", 2**31 - 1, 2**31 - 1, 16, 6, 0, 0, 0)
    huge = _png([(b"IHDR", ihdr), (b"IDAT", zlib.compress(b"\0" * 1000)), (b"IEND", b"")])
    with pytest.raises(ImageDataError, match="pixels"):
        strip_metadata(huge)
    assert metadata_markers(huge)


_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="urn:example:x" width="40" height="30">'
    '<g>{g}<rect width="40" height="30" fill="#14c"{attr}/>{tail}</g>{foreign}'
    '<text x="2" y="20">Kaart <tspan>van</tspan> Testrijk</text><title>Kaart</title></svg>'
)
_SVG_PLACES = {
    "text inside <g>": {"g": MARK.decode()},
    "text after <rect>": {"tail": MARK.decode()},
    "element of another vocabulary": {"foreign": f"<x:note>{MARK.decode()}</x:note>"},
    "attribute of another vocabulary": {"attr": f' x:note="{MARK.decode()}"'},
}


@pytest.mark.parametrize("place", list(_SVG_PLACES))
def test_svg_text_that_is_not_drawn_is_gone_and_the_audit_sees_it(place):
    fill = {"g": "", "tail": "", "foreign": "", "attr": ""} | _SVG_PLACES[place]
    dirty = _SVG.format(**fill).encode()
    assert metadata_markers(dirty), place
    clean = strip_metadata(dirty)
    assert MARK not in clean and metadata_markers(clean) == []
    # what is drawn or read aloud stays
    assert b">Kaart <tspan>van</tspan> Testrijk</text>" in clean and b"<title>Kaart</title>" in clean


_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


@pytest.mark.parametrize(("depth", "ctype"), [(8, 2), (1, 0), (4, 3), (16, 0)])
def test_an_interlaced_png_keeps_its_pixels_and_loses_its_padding_bits(depth, ctype):
    """Pillow writes no interlaced PNG: this one is made by hand, every pass
    row with its unused low bits set (they are not pixels)."""
    w, h, rnd = 13, 11, random.Random(depth)
    channels = 3 if ctype == 2 else 1
    pixels = [[[rnd.randrange(1 << depth) for _ in range(channels)] for _ in range(w)] for _ in range(h)]
    raw = bytearray()
    for x0, y0, dx, dy in _ADAM7:
        for y in range(y0, h, dy):
            bits, nbits = 0, 0
            row = bytearray()
            for x in range(x0, w, dx):
                for v in pixels[y][x]:
                    bits, nbits = (bits << depth) | v, nbits + depth
                    while nbits >= 8:
                        nbits -= 8
                        row.append((bits >> nbits) & 0xFF)
            if nbits:
                row.append(((bits << (8 - nbits)) | ((1 << (8 - nbits)) - 1)) & 0xFF)  # padding: ones
            if row:
                raw += b"\0" + row
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 1))]
    if ctype == 3:
        chunks.append((b"PLTE", bytes(rnd.randrange(256) for _ in range(3 << depth))))
    dirty = _png(chunks + [(b"IDAT", zlib.compress(bytes(raw))), (b"IEND", b"")])
    clean = strip_metadata(dirty)
    with Image.open(io.BytesIO(dirty)) as a, Image.open(io.BytesIO(clean)) as b:
        assert a.mode == b.mode and a.tobytes() == b.tobytes()
    if depth < 8:
        packed = zlib.decompress(b"".join(b for k, b in _png_chunks(clean) if k == b"IDAT"))
        assert packed != bytes(raw)  # the ones in the padding were cleared
    assert strip_metadata(clean) == clean


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 80),
    st.integers(1, 80),
    st.sampled_from(["RGB", "L"]),
    st.booleans(),
    st.sampled_from([20, 75, 95]),
    st.sampled_from([0, 1, 2]),
    st.sampled_from([0, 1, 3]),
    st.integers(0, 2**32),
)
def test_a_rebuilt_jpeg_decodes_to_the_same_pixels(w, h, mode, progressive, quality, subsampling, restart, seed):
    """The Huffman re-coding (image_jpeg_scan) over baseline and progressive
    scans, 4:4:4/4:2:2/4:2:0, restart intervals; noise, so many symbols."""
    rnd = random.Random(seed)
    im = Image.frombytes("RGB", (w, h), rnd.randbytes(3 * w * h)).convert(mode)
    buf = io.BytesIO()
    extra = {"restart_marker_blocks": restart} if restart else {}
    im.save(buf, "JPEG", quality=quality, progressive=progressive, subsampling=subsampling, **extra)
    data = buf.getvalue()
    clean = strip_metadata(data)
    assert _pixels(clean) == _pixels(data)
    assert metadata_markers(clean) == []
    assert strip_metadata(clean) == clean


def test_a_jpeg_with_too_many_scans_is_refused_not_decoded_for_minutes():
    """Each scan is a pass over every block in Python, and each Huffman
    table a scan may use a 65,536-entry lookup: both are bounded."""
    data = _image("jpeg", "RGB", 16, 12, 3, False)
    sos = data.index(b"\xff\xda")
    many = data[:sos] + data[sos:-2] * 101 + b"\xff\xd9"
    with pytest.raises(ImageDataError, match="more than 100 scans"):
        strip_metadata(many)
    assert any("100 scans" in m for m in metadata_markers(many))
