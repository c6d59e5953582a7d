"""Metadata in images: removed before an image reaches any output, and looked
for in every image an output embeds.

A photo from a phone carries the place it was taken (EXIF GPS), the camera's
serial number, the owner's name (Windows XP tags), the editing history (XMP)
and captions (IPTC); a PNG from an editor carries the author and the file's
path in text chunks. Any of it can identify an informant.

:func:`strip_metadata` rebuilds every raster image from its decoded
structure, so nothing its decoder does not use survives: not only the
metadata chunks and segments, but also bytes hidden in a kept chunk past its
fields (a ``pHYs`` whose length was enlarged), after the end of the zlib
stream inside ``IDAT``, in a JPEG table segment past its tables, between
progressive scans, after the end marker, or in GIF sub-blocks after the LZW
end code (red-team L8):

- PNG (``image_png``): IHDR, PLTE, tRNS and pHYs written anew from their
  fields, IDAT inflated to exactly the size IHDR declares and deflated
  again; no colour-management chunks (pixels shown as sRGB), no animation.
  Lossless.
- JPEG (``image_jpeg``): the whole marker stream walked, DQT/DHT/SOF/SOS/DRI
  written anew from their tables, unused tables dropped, JFIF/Adobe headers
  rewritten with only their numbers, every other APPn and COM dropped, the
  file cut at its end marker; the scans Huffman-decoded, each table cut to
  the symbols they use and each code replaced by one of the same length
  (``image_jpeg_scan``), so no quality is lost. Only when EXIF says the photo is rotated (orientation
  ≠ 1) is the image re-encoded, upright, at quality 95 (otherwise it would
  be shown on its side once the EXIF is gone; re-encoding upright means no
  format depends on its viewer honouring an orientation tag, and Pillow
  cannot rotate a JPEG losslessly): on a 4000×3000 test photo 1,220,758 →
  1,528,709 bytes (+25 %), PSNR 44.3 dB, largest difference 27 of 255 in
  one channel of one pixel, 0.6 s.
- GIF (``image_gif``): every block written anew, the LZW codes needed for
  the pixels packed again with an end code; comment, plain-text and
  application extensions other than the animation loop dropped.
- SVG (``image_svg``): parsed and written again with only what a renderer
  draws: no comments, processing instructions, ``<metadata>``, editor
  namespaces (``sodipodi:docname``, ``inkscape:export-filename`` hold
  paths) or other vocabularies, no style sheet (its rules are written onto
  the elements), only allowed attributes, no unused definitions, no text
  that is hidden or far outside the picture; images embedded as ``data:``
  URIs are stripped too.

:func:`metadata_markers` is the audit's side: it names every kind of
metadata it finds in an image (PNG, JPEG, GIF, SVG, JPEG 2000, WebP, TIFF
or a bare XMP packet), and every byte a PNG, JPEG or GIF carries beyond
what its structure declares (the ``excess`` of each module), so an image
that bypassed the stripper is caught.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from xml.etree import ElementTree as ET

from . import image_gif, image_jpeg, image_png, image_svg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# the kind of an audit finding (as publish.forbidden names the others)
IMAGE_METADATA = "image metadata"

# chunks that are not metadata (the audit names any other as private; the
# stripper keeps only image_png.KEPT)
_PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"bKGD",
    b"pHYs",
    b"acTL",
    b"fcTL",
    b"fdAT",
}
_PNG_METADATA = {
    b"tEXt": "PNG tEXt chunk",
    b"zTXt": "PNG zTXt chunk",
    b"iTXt": "PNG iTXt chunk (XMP or text)",
    b"eXIf": "PNG eXIf chunk (EXIF)",
    b"tIME": "PNG tIME chunk (modification time)",
    b"iCCP": "PNG iCCP chunk (ICC profile with text)",
}


class ImageDataError(ValueError):
    """The bytes are not the structure their type says (truncated, damaged)."""


def kind_of(data: bytes) -> str | None:
    """ "png", "jpeg", "gif", "svg" (also UTF-16 or gzipped), or None."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    text = svg_text(data)
    if text is not None and re.search(r"<(?:[\w.-]+:)?svg[\s>/]", text[:4096]):
        return "svg"
    return None


# a .svgz or a UTF-16 SVG decoded by the audit is read at most this large
MAX_SVG_TEXT = 50 * 1024 * 1024


def svg_text(data: bytes) -> str | None:
    """The text of a possible SVG: gzip (``.svgz``) inflated (bounded),
    UTF-16 (with a BOM) or UTF-8 decoded; None when it is neither."""
    if data.startswith(b"\x1f\x8b"):
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = d.decompress(data, MAX_SVG_TEXT)
        except zlib.error:
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data.lstrip()[:1] != b"<" and not data.startswith(b"\xef\xbb\xbf"):
        return None
    return data.decode("utf-8", "replace").lstrip("\ufeff")


# --- PNG ----------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, start of the chunk, end of the chunk) for every chunk."""
    out = []
    pos = 8
    while pos + 12 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise ImageDataError("a PNG chunk runs past the end of the file")
        out.append((ctype, pos, end))
        pos = end
        if ctype == b"IEND":
            break
    return out


# --- JPEG ---------------------------------------------------------------------------------

_JFIF = b"JFIF\x00"
_ADOBE = b"Adobe"


def _jpeg_orientation(data: bytes) -> int:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as im:
            return int(im.getexif().get(0x0112, 1))
    except Exception:
        return 1


def _strip_jpeg(data: bytes) -> bytes:
    if _jpeg_orientation(data) not in (0, 1):
        return _reencode_jpeg_upright(data)
    return image_jpeg.rebuild(data)


def _reencode_jpeg_upright(data: bytes) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data), formats=["JPEG"]) as im:
        upright = ImageOps.exif_transpose(im)
        buf = io.BytesIO()
        # no exif=, icc_profile=, comment=: Pillow writes only JFIF
        upright.save(buf, "JPEG", quality=95)
    return image_jpeg.rebuild(buf.getvalue())


# --- GIF ----------------------------------------------------------------------------------

_GIF_LOOP = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    """The position after a chain of data sub-blocks starting at ``pos``."""
    while True:
        if pos >= len(data):
            raise ImageDataError("the GIF ends inside a block")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _gif_blocks(data: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """(end of the header and global colour table, [(kind, start, end)]):
    kind is "image", "gce", "comment", "text", "app:<identifier>" or "trailer"."""
    if len(data) < 13:
        raise ImageDataError("the GIF is too short")
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    head = pos
    blocks = []
    while pos < len(data):
        b = data[pos]
        if b == 0x3B:
            blocks.append(("trailer", pos, pos + 1))
            return head, blocks
        if b == 0x2C:
            lflags = data[pos + 9] if pos + 9 < len(data) else 0
            p = pos + 10 + (3 * 2 ** ((lflags & 7) + 1) if lflags & 0x80 else 0) + 1  # + LZW minimum code size
            end = _gif_sub_blocks(data, p)
            blocks.append(("image", pos, end))
        elif b == 0x21 and pos + 1 < len(data):
            label = data[pos + 1]
            end = _gif_sub_blocks(data, pos + 2)
            if label == 0xF9:
                kind = "gce"
            elif label == 0xFE:
                kind = "comment"
            elif label == 0x01:
                kind = "text"
            elif label == 0xFF:
                kind = "app:" + data[pos + 3 : pos + 3 + min(11, data[pos + 2])].decode("latin-1")
            else:
                kind = f"ext:{label:02x}"
            blocks.append((kind, pos, end))
        else:
            raise ImageDataError("the GIF has an unknown block")
        pos = end
    raise ImageDataError("the GIF has no trailer")


# --- SVG ----------------------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# editor namespaces: their attributes hold file names, paths and window geometry
_EDITOR_NS = re.compile(
    r"inkscape|sodipodi|adobe\.com|illustrator|sketch|figma|corel|purl\.org/dc|w3\.org/1999/02/22-rdf|creativecommons",
    re.I,
)
_DATA_IMAGE = re.compile(r"^\s*data:image/(png|jpeg|gif);base64,(.*)\Z", re.I | re.S)


def _strip_svg(data: bytes) -> bytes:
    """The SVG without comments, processing instructions, and anything no
    renderer draws (:func:`.image_svg.clean`); embedded raster images stripped too. The input has
    been checked (``load.images.check_svg``: no DTD, no entities)."""
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    try:
        root = ET.fromstring(data)  # comments and PIs are not kept by the default builder
    except ET.ParseError as exc:
        raise ImageDataError(f"the SVG cannot be parsed ({exc})") from None

    try:
        image_svg.clean(root)
    except image_svg.SvgError as exc:
        raise ImageDataError(str(exc)) from None
    except RecursionError:  # load.images.check_svg refuses over 256 levels
        raise ImageDataError("the SVG nests its elements too deeply") from None
    stack = [root]
    while stack:
        el = stack.pop()
        stack += list(el)
        for key in list(el.attrib):
            if key.rsplit("}", 1)[-1] == "href":
                m = _DATA_IMAGE.match(el.attrib[key])
                if m:
                    inner = strip_metadata(base64.b64decode(m.group(2)))
                    el.attrib[key] = f"data:image/{m.group(1).lower()};base64," + base64.b64encode(inner).decode()
    try:
        out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    except RecursionError:
        raise ImageDataError("the SVG nests its elements too deeply") from None
    return out


# --- both ---------------------------------------------------------------------------------


def strip_metadata(data: bytes) -> bytes:
    """The image without metadata (see the module's docstring); raises
    :class:`ImageDataError` when its structure cannot be read."""
    kind = kind_of(data)
    try:
        if kind == "png":
            return image_png.rebuild(data)
        if kind == "jpeg":
            return _strip_jpeg(data)
        if kind == "gif":
            return image_gif.rebuild(data)
    except (image_png.PngError, image_jpeg.JpegError, image_gif.GifError) as exc:
        raise ImageDataError(str(exc)) from None
    if kind == "svg":
        return _strip_svg(data)
    raise ImageDataError("not a PNG, JPEG, GIF or SVG image")


_XMP = re.compile(rb"<x:xmpmeta|<\?xpacket|http://ns\.adobe\.com/xap/1\.0/")


def metadata_markers(data: bytes) -> list[str]:
    """The kinds of metadata in an image (empty: none found). Unknown
    formats are searched for EXIF and XMP signatures anywhere."""
    kind = kind_of(data)
    found: list[str] = []
    try:
        if kind == "png":
            for ctype, _s, _e in _png_chunks(data):
                if ctype in _PNG_METADATA:
                    found.append(_PNG_METADATA[ctype])
                elif ctype not in _PNG_KEEP:
                    found.append(f"PNG private chunk {ctype.decode('latin-1')!r}")
        elif kind == "jpeg":
            segs, _end = image_jpeg.parse(data)  # all of it: also between progressive scans
            for marker, body in segs:
                if marker == 0xFE:
                    found.append("JPEG comment (COM)")
                elif marker == 0xE1:
                    found.append("JPEG EXIF (APP1)" if body.startswith(b"Exif") else "JPEG XMP (APP1)")
                elif marker == 0xED:
                    found.append("JPEG IPTC/Photoshop (APP13)")
                elif marker == 0xE0 and not (body.startswith(_JFIF) and len(body) == 14 and body[12:14] == b"\0\0"):
                    found.append("JPEG APP0 other than a JFIF header without thumbnail")
                elif marker == 0xEE and not (body.startswith(_ADOBE) and len(body) == 12):
                    found.append("JPEG APP14 other than the Adobe colour header")
                elif 0xE2 <= marker <= 0xEF and marker != 0xEE:
                    found.append(f"JPEG APP{marker - 0xE0} segment")
        elif kind == "gif":
            _head, blocks = _gif_blocks(data)
            for k, _s, _e in blocks:
                if k == "comment":
                    found.append("GIF comment extension")
                elif k == "text":
                    found.append("GIF plain-text extension")
                elif k.startswith("app:") and k[4:].encode() not in _GIF_LOOP:
                    found.append(f"GIF application extension {k[4:]!r} (XMP?)")
        elif kind == "svg":
            found += _svg_markers(svg_text(data) or "")
        # bytes beyond what the structure declares: only the stripper's
        # rebuild has none (a copy that bypassed it, or a stripper bug)
        found += {"png": image_png.excess, "jpeg": image_jpeg.excess, "gif": image_gif.excess}.get(
            kind or "", lambda _d: []
        )(data)
    except (ImageDataError, image_jpeg.JpegError) as exc:
        found.append(f"unreadable {kind} structure ({exc})")
    if kind in (None, "png", "jpeg", "gif") and not found:
        if _XMP.search(data):
            found.append("XMP packet")
        elif kind is None and b"Exif\x00\x00" in data[:65536]:
            found.append("EXIF block")
    return found


def _svg_markers(text: str) -> list[str]:
    found = []
    try:  # the declaration may name an encoding the text no longer has
        found += image_svg.clean(ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text)))
    except (ET.ParseError, ValueError) as exc:
        found.append(f"SVG that cannot be parsed ({exc})")
    except RecursionError:
        found.append("SVG nested too deeply to read")
    if "<!--" in text:
        found.append("SVG comment")
    if re.search(r"<(?:[\w.-]+:)?metadata[\s>/]", text):
        found.append("SVG <metadata>")
    if re.search(r"<\?(?!xml\s)", text):
        found.append("SVG processing instruction")
    for m in re.finditer(r"xmlns:([\w.-]+)\s*=\s*['\"]([^'\"]*)['\"]", text):
        if _EDITOR_NS.search(m.group(2)):
            found.append(f"SVG editor namespace {m.group(1)}")
    for m in re.finditer(r"data:image/(?:png|jpeg|gif);base64,([A-Za-z0-9+/=\s]+)", text):
        try:
            inner = base64.b64decode(m.group(1))
        except ValueError:
            continue
        found += [f"embedded image: {x}" for x in metadata_markers(inner)]
    return found
