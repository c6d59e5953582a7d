"""A GIF rebuilt from the blocks its decoder uses, and the audit that finds
any byte a GIF carries beyond its declared structure.

A GIF's image data is a chain of sub-blocks a decoder reads only until the
LZW stream's end code or until every pixel is drawn; sub-blocks after that,
and anything after the trailer, are never shown and can carry any text. So
every block is written anew from its fields:

- the header and screen descriptor (the aspect-ratio byte set to 0), the
  colour tables (entries no pixel, background or transparency uses are
  blacked out);
- per frame: the graphic control extension (4 bytes: disposal, delay,
  transparent colour), the image descriptor and its LZW data: the codes
  are read, those needed to draw every pixel are written again with the
  same code widths, followed by the end code, in fresh 255-byte
  sub-blocks (lossless: the same codes, so the same pixels);
- the animation loop (NETSCAPE2.0/ANIMEXTS1.0: the loop count);
- the trailer, and nothing after it.

Comments, plain-text and every other application extension (XMP) are
dropped. The LZW walk is Python, one step per code: 1.1 s for a 1000 × 1000
noise GIF (1.3 MB, the worst case: no run compresses), milliseconds for a
chart.
"""

from __future__ import annotations

import struct

_LOOP = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


class GifError(ValueError):
    """The GIF's structure cannot be read; ``str()`` says what is wrong."""


def _sub_blocks(data: bytes, pos: int) -> tuple[bytes, int]:
    """The joined content of a chain of sub-blocks, and the position after it."""
    parts = []
    while True:
        if pos >= len(data):
            raise GifError("the GIF ends inside a block")
        size = data[pos]
        if pos + 1 + size > len(data):
            raise GifError("the GIF ends inside a block")
        parts.append(data[pos + 1 : pos + 1 + size])
        pos += 1 + size
        if size == 0:
            return b"".join(parts), pos


def _as_sub_blocks(data: bytes) -> bytes:
    return b"".join(bytes((len(c),)) + c for c in (data[i : i + 255] for i in range(0, len(data), 255))) + b"\0"


def _lzw(data: bytes, min_size: int, pixels: int) -> tuple[bytes, set[int]]:
    """The LZW codes needed for ``pixels`` pixels, packed again with the
    end code, and the colour indices they draw."""
    if not 2 <= min_size <= 8:
        raise GifError("the GIF image data has a wrong code size")
    clear, eoi = 1 << min_size, (1 << min_size) + 1
    first = list(range(clear)) + [0] * (4096 - clear)
    length = [1] * clear + [0] * (4096 - clear)
    width, nxt, prev = min_size + 1, eoi + 1, -1
    acc = nbits = pos = drawn = 0
    out = bytearray()
    oacc = obits = 0
    used: set[int] = set()

    def put(code: int, w: int) -> None:
        nonlocal oacc, obits
        oacc |= code << obits
        obits += w
        while obits >= 8:
            out.append(oacc & 0xFF)
            oacc >>= 8
            obits -= 8

    while drawn < pixels:
        while nbits < width:
            if pos >= len(data):
                raise GifError("the GIF image data ends before its last pixel")
            acc |= data[pos] << nbits
            nbits += 8
            pos += 1
        code = acc & ((1 << width) - 1)
        acc >>= width
        nbits -= width
        if code == eoi:
            raise GifError("the GIF image data ends before its last pixel")
        put(code, width)
        if code == clear:
            width, nxt, prev = min_size + 1, eoi + 1, -1
            continue
        if prev < 0:
            if code > clear:
                raise GifError("the GIF image data is damaged")
            f, n = code, 1
        elif code < nxt and code != clear and code != eoi:
            f, n = first[code], length[code]
        elif code == nxt:
            f, n = first[prev], length[prev] + 1
        else:
            raise GifError("the GIF image data is damaged")
        if prev >= 0 and nxt < 4096:
            first[nxt], length[nxt] = first[prev], length[prev] + 1
            nxt += 1
            if nxt == 1 << width and width < 12:
                width += 1
        used.add(f)
        drawn += n
        prev = code
    put(eoi, width)
    if obits:
        out.append(oacc & 0xFF)
    return bytes(out), used


def _table(flags: int) -> int:
    return 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0


def _blank(table: bytes, used: set[int]) -> bytes:
    return b"".join(table[3 * i : 3 * i + 3] if i in used else b"\0\0\0" for i in range(len(table) // 3))


def rebuild(data: bytes) -> bytes:
    """The GIF written anew from its parsed blocks (see the module)."""
    if len(data) < 13 or not data.startswith((b"GIF87a", b"GIF89a")):
        raise GifError("the GIF is too short")
    flags, bg = data[10], data[11]
    pos = 13 + _table(flags)
    gct = data[13:pos]
    if len(gct) != _table(flags):
        raise GifError("the GIF ends inside its colour table")
    body: list[bytes] = []
    gct_used = {bg} if gct else set()
    gce: tuple[int, int] | None = None
    while True:
        if pos >= len(data):
            raise GifError("the GIF has no trailer")
        b = data[pos]
        if b == 0x3B:
            break
        if b == 0x2C:
            start = pos
            if start + 10 > len(data):
                raise GifError("the GIF ends inside an image")
            w, h = struct.unpack("<HH", data[start + 5 : start + 9])
            lflags = data[start + 9]
            lct = data[start + 10 : start + 10 + _table(lflags)]
            p = start + 10 + len(lct)  # the LZW minimum code size
            if len(lct) != _table(lflags) or p >= len(data):
                raise GifError("the GIF ends inside an image")
            packed, pos = _sub_blocks(data, p + 1)
            codes, used = _lzw(packed, data[p], w * h)
            if gce is not None and gce[0] & 1:
                used.add(gce[1])  # the transparent colour
            if not lct:
                gct_used.update(used)
            descriptor = data[start : start + 9] + bytes((lflags & 0xC7,))
            body.append(descriptor + _blank(lct, used) + bytes((data[p],)) + _as_sub_blocks(codes))
            gce = None
        elif b == 0x21 and pos + 1 < len(data):
            label = data[pos + 1]
            content, end = _sub_blocks(data, pos + 2)
            if label == 0xF9 and data[pos + 2] == 4 and len(content) >= 4:
                f, delay, tr = content[0] & 0x1D, struct.unpack("<H", content[1:3])[0], content[3]
                gce = (f, tr)
                fields = bytes((f,)) + struct.pack("<H", delay) + bytes((tr if f & 1 else 0,))
                body.append(b"\x21\xf9\x04" + fields + b"\0")
            elif label == 0xFF and data[pos + 2] == 11 and data[pos + 3 : pos + 14] in _LOOP and len(content) >= 14:
                loops = struct.unpack("<H", content[12:14])[0] if content[11] == 1 else 0
                body.append(b"\x21\xff\x0b" + data[pos + 3 : pos + 14] + b"\x03\x01" + struct.pack("<H", loops) + b"\0")
            pos = end
        else:
            raise GifError("the GIF has an unknown block")
    # colour resolution set to 8 bits (decoders ignore it), aspect ratio 0
    screen = data[6:10] + bytes(((flags & 0x87) | 0x70, bg if gct else 0, 0))
    return data[:6] + screen + _blank(gct, gct_used) + b"".join(body) + b"\x3b"


def excess(data: bytes) -> list[str]:
    """Bytes the GIF carries beyond what its structure declares (empty:
    none): anything after the trailer, image data after the LZW end code,
    an extension longer than its fields, a comment."""
    try:
        clean = rebuild(data)
    except GifError as exc:
        return [f"unreadable GIF structure ({exc})"]
    if clean == data:
        return []
    # abuild's GIF is its own rebuild (rebuilding twice changes nothing)
    return [f"GIF with bytes beyond what its blocks declare ({len(data)} bytes, rebuilt {len(clean)})"]
