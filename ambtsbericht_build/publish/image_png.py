"""A PNG rebuilt from what its decoder uses, and the audit that finds any
byte a PNG carries beyond its declared structure.

Copying the chunks an image needs byte for byte is not enough: a chunk's
length can be enlarged past its fields (the CRC recomputed), and the IDAT
stream can carry bytes after the end of its zlib stream. Both survive into
every output that embeds the file (red-team L8, i02/i03). So every chunk
that is kept is written anew from its parsed, validated fields:

- IHDR (13 bytes), PLTE (only for a palette image: entries no pixel uses
  are blacked out and the table ends at the highest index in use), tRNS
  (exact length for the colour type; palette alphas beyond the table
  dropped), pHYs (only in pixels per metre, rounded to a whole number of
  dots per inch between 10 and 2400: pandoc sizes DOCX/ODT images by it);
- the IDAT data is inflated (bounded: exactly the size IHDR declares, so
  a decompression bomb stops there), its filter bytes checked, and
  deflated again into fresh IDAT chunks; anything after the zlib stream,
  or a second stream, is gone. In a palette or grey image of 1, 2 or 4 bits
  the unused bits at the end of each row are zeroed (they are not pixels;
  those rows are unfiltered in Python, rows that short are cheap).
- everything else is dropped: text, time, EXIF and private chunks as
  before, and now also gAMA, cHRM, sRGB, sBIT, iCCP and bKGD (no colour
  management: pixels are shown as sRGB, as browsers, WeasyPrint, Word and
  LibreOffice show an untagged image; a gAMA of 1/2.2, what almost every
  editor writes, looks the same), and the APNG animation chunks (acTL,
  fcTL, fdAT: a printed report shows the still image, IDAT).

Lossless: the pixels are the same (the scanlines are those of the file,
recompressed). Deterministic: zlib at a fixed level gives the same bytes
for the same input.
"""

from __future__ import annotations

import io
import struct
import zlib

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# bit depths allowed per colour type, and samples per pixel
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# the only chunks a rebuilt PNG has
KEPT = (b"IHDR", b"PLTE", b"tRNS", b"pHYs", b"IDAT", b"IEND")
# level 6: zlib's default; the example report's map (1200×900 RGB, 70,621
# bytes) is rebuilt in 31–35 ms to 70,778 bytes
_LEVEL = 6
_IDAT_SIZE = 1 << 18
# as load.images.MAX_PIXELS (checked before an image is embedded): at most
# 40 M pixels × 8 bytes (16-bit RGBA) = 320 MB of scanlines in memory, also
# for a hostile PNG the audit reads from an output
MAX_PIXELS = 40_000_000
# Adam7: (x start, y start, x step, y step) of the seven passes
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


class PngError(ValueError):
    """The PNG's structure cannot be read; ``str()`` says what is wrong."""


class Header:
    def __init__(self, body: bytes) -> None:
        if len(body) != 13:
            raise PngError("the PNG header (IHDR) is not 13 bytes")
        w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", body)
        if not (0 < w < 2**31 and 0 < h < 2**31):
            raise PngError("the PNG has no width or height")
        if depth not in _DEPTHS.get(ctype, ()) or comp or filt or inter > 1:
            raise PngError("the PNG header has an unknown colour type, depth or method")
        self.width, self.height, self.depth, self.ctype, self.interlace = w, h, depth, ctype, inter
        self.bits = depth * _CHANNELS[ctype]  # per pixel

    def body(self) -> bytes:
        return struct.pack(">IIBBBBB", self.width, self.height, self.depth, self.ctype, 0, 0, self.interlace)

    def passes(self) -> list[tuple[int, int]]:
        """(pixels per row, rows) of each pass that has pixels."""
        if not self.interlace:
            return [(self.width, self.height)]
        out = []
        for x0, y0, dx, dy in _ADAM7:
            pw, ph = (self.width - x0 + dx - 1) // dx, (self.height - y0 + dy - 1) // dy
            if pw > 0 and ph > 0:
                out.append((pw, ph))
        return out

    def raw_size(self) -> int:
        if self.width * self.height > MAX_PIXELS:
            raise PngError(f"the PNG has more than {MAX_PIXELS:,} pixels")
        return sum(rows * (1 + (pw * self.bits + 7) // 8) for pw, rows in self.passes())


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk up to IEND; raises on a bad CRC, a chunk
    past the end, or no IEND. Bytes after IEND are not returned."""
    if not data.startswith(PNG_MAGIC):
        raise PngError("not a PNG")
    out = []
    pos = 8
    while True:
        if pos + 12 > len(data):
            raise PngError("the PNG has no IEND chunk")
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise PngError("a PNG chunk runs past the end of the file")
        body = data[pos + 8 : end - 4]
        if struct.unpack(">I", data[end - 4 : end])[0] != zlib.crc32(ctype + body):
            raise PngError(f"the PNG chunk {ctype.decode('latin-1')!r} has a wrong checksum")
        out.append((ctype, body))
        pos = end
        if ctype == b"IEND":
            return out


def end_of_png(data: bytes) -> int:
    """Where the IEND chunk ends (bytes after it are not the image)."""
    pos = 8
    while True:
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IEND":
            return pos + 12 + int(length)
        pos += 12 + length


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def _inflate(idat: bytes, size: int) -> tuple[bytes, bool]:
    """The first ``size`` bytes the zlib stream holds, and whether anything
    at all follows them (more data, bytes after the stream, or no end)."""
    d = zlib.decompressobj()
    try:
        raw = d.decompress(idat, size)
        # the stream's last block and checksum may still be in the tail
        more = d.decompress(d.unconsumed_tail, 1) if d.unconsumed_tail else b""
    except zlib.error as exc:
        raise PngError(f"the PNG image data cannot be decompressed ({exc})") from None
    extra = bool(more) or bool(d.unconsumed_tail) or bool(d.unused_data) or not d.eof
    if len(raw) != size:
        raise PngError("the PNG image data is shorter than its size says")
    return raw, extra


def _check_filters(raw: bytes, head: Header) -> None:
    pos = 0
    for pw, rows in head.passes():
        stride = 1 + (pw * head.bits + 7) // 8
        for _ in range(rows):
            if raw[pos] > 4:
                raise PngError("a PNG row has an unknown filter")
            pos += stride


def _zero_padding(raw: bytes, head: Header) -> bytes:
    """Rows of 1, 2 or 4 bits per pixel unfiltered, with the unused bits of
    each row's last byte zeroed, written with filter 0 (none)."""
    out = bytearray()
    pos = 0
    for pw, rows in head.passes():
        n = (pw * head.bits + 7) // 8
        spare = n * 8 - pw * head.bits
        mask = (0xFF << spare) & 0xFF
        prev = bytearray(n)
        for _ in range(rows):
            ftype, row = raw[pos], bytearray(raw[pos + 1 : pos + 1 + n])
            pos += 1 + n
            for i in range(n):  # one byte per pixel for filtering (bpp rounds up to 1)
                a = row[i - 1] if i else 0
                b = prev[i]
                if ftype == 1:
                    row[i] = (row[i] + a) & 0xFF
                elif ftype == 2:
                    row[i] = (row[i] + b) & 0xFF
                elif ftype == 3:
                    row[i] = (row[i] + (a + b) // 2) & 0xFF
                elif ftype == 4:
                    c = prev[i - 1] if i else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            prev = row
            out.append(0)
            out += row[:-1]
            out.append(row[-1] & mask)
    return bytes(out)


def _used_indices(head: Header, idat: bytes) -> set[int]:
    """The palette indices the pixels use, read by Pillow from a PNG made of
    only the rebuilt header and image data (a full grey palette: any index
    is valid), so nothing else of the drafter's file reaches the decoder."""
    from PIL import Image

    grey = bytes(i * 255 // ((1 << head.depth) - 1) for i in range(1 << head.depth) for _ in range(3))
    png = PNG_MAGIC + _chunk(b"IHDR", head.body()) + _chunk(b"PLTE", grey) + idat + _chunk(b"IEND", b"")
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as im:
            colours = im.getcolors(256) or []
    except Exception as exc:  # Pillow raises many kinds on damaged pixel data
        raise PngError(f"the PNG image data cannot be decoded ({exc})") from None
    return {index for _count, index in colours if isinstance(index, int)}


def _tRNS(body: bytes, head: Header, entries: int) -> bytes | None:
    if head.ctype == 3:
        return body[:entries] if body[:entries] else None
    want = {0: 2, 2: 6}.get(head.ctype)
    if want is None or len(body) != want:
        return None  # not allowed for this colour type: decoders ignore it
    limit = 1 << head.depth
    values = struct.unpack(f">{want // 2}H", body)
    return body if all(v < limit for v in values) else None


def _pHYs(body: bytes) -> bytes | None:
    if len(body) != 9 or body[8] != 1:
        return None  # wrong size, or an aspect ratio only: no size for pandoc
    x, y = struct.unpack(">II", body[:8])
    dpi = [round(v * 0.0254) for v in (x, y)]
    if not all(10 <= d <= 2400 for d in dpi):
        return None
    return struct.pack(">IIB", *(round(d / 0.0254) for d in dpi), 1)


def rebuild(data: bytes) -> bytes:
    """The PNG written anew from its parsed fields (see the module)."""
    parts = chunks(data)
    if parts[0][0] != b"IHDR":
        raise PngError("the PNG does not start with its header (IHDR)")
    head = Header(parts[0][1])
    bodies: dict[bytes, bytes] = {}
    idat = bytearray()
    for ctype, body in parts[1:]:
        if ctype == b"IDAT":
            idat += body
        elif ctype in (b"PLTE", b"tRNS", b"pHYs") and ctype not in bodies:
            bodies[ctype] = body
    raw, _extra = _inflate(bytes(idat), head.raw_size())
    _check_filters(raw, head)
    if head.depth < 8:
        raw = _zero_padding(raw, head)
    packed = zlib.compress(raw, _LEVEL)
    idat_chunks = b"".join(_chunk(b"IDAT", packed[i : i + _IDAT_SIZE]) for i in range(0, len(packed), _IDAT_SIZE))
    out = [PNG_MAGIC, _chunk(b"IHDR", head.body())]
    entries = 0
    if head.ctype == 3:
        plte = bodies.get(b"PLTE", b"")
        if not plte or len(plte) % 3 or len(plte) // 3 > 1 << head.depth:
            raise PngError("the PNG palette (PLTE) is missing or has a wrong size")
        used = _used_indices(head, idat_chunks)
        entries = max(used) + 1 if used else 1
        if entries > len(plte) // 3:
            raise PngError("a PNG pixel uses a colour the palette does not have")
        table = b"".join(plte[3 * i : 3 * i + 3] if i in used else b"\0\0\0" for i in range(entries))
        out.append(_chunk(b"PLTE", table))
        if b"tRNS" in bodies:
            alpha = bytes(a if i in used else 255 for i, a in enumerate(bodies[b"tRNS"][:entries]))
            bodies[b"tRNS"] = alpha.rstrip(b"\xff")
    trns = _tRNS(bodies[b"tRNS"], head, entries) if b"tRNS" in bodies else None
    if trns:
        out.append(_chunk(b"tRNS", trns))
    phys = _pHYs(bodies[b"pHYs"]) if b"pHYs" in bodies else None
    if phys:
        out.append(_chunk(b"pHYs", phys))
    out.append(idat_chunks)
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


def excess(data: bytes) -> list[str]:
    """Bytes the PNG carries beyond what its structure declares (empty:
    none): anything after IEND, a chunk abuild does not write or of the
    wrong size, bytes after the image data's zlib stream."""
    try:
        parts = chunks(data)
        if parts[0][0] != b"IHDR":
            return ["PNG without a header (IHDR) first"]
        head = Header(parts[0][1])
    except PngError as exc:
        return [f"unreadable PNG structure ({exc})"]
    found = []
    if end_of_png(data) != len(data):
        found.append(f"{len(data) - end_of_png(data)} bytes after the end of the PNG (IEND)")
    sizes = {b"IHDR": {13}, b"pHYs": {9}, b"IEND": {0}, b"tRNS": {2} if head.ctype == 0 else {6}}
    seen: set[bytes] = set()
    for ctype, body in parts:
        name = ctype.decode("latin-1")
        if ctype not in KEPT:
            found.append(f"PNG chunk {name!r} that abuild does not keep")
        elif ctype in (b"IHDR", b"PLTE", b"tRNS", b"pHYs", b"IEND") and ctype in seen:
            found.append(f"PNG chunk {name!r} twice")
        elif ctype == b"PLTE" and (len(body) % 3 or len(body) > 768):
            found.append("PNG palette (PLTE) of a size that is no whole number of colours")
        elif ctype == b"tRNS" and head.ctype != 3 and len(body) not in sizes[ctype]:
            found.append(f"PNG chunk 'tRNS' of {len(body)} bytes (its fields take {min(sizes[ctype])})")
        elif ctype in sizes and ctype != b"tRNS" and len(body) not in sizes[ctype]:
            found.append(f"PNG chunk {name!r} of {len(body)} bytes (its fields take {min(sizes[ctype])})")
        seen.add(ctype)
    idat = b"".join(body for ctype, body in parts if ctype == b"IDAT")
    try:
        _raw, extra = _inflate(idat, head.raw_size())
        if extra:
            found.append("bytes after the PNG image data (inside IDAT, after the zlib stream)")
    except PngError as exc:
        found.append(str(exc))
    return found
