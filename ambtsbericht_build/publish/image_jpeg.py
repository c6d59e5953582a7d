"""A JPEG rebuilt from the segments its decoder uses, and the audit that
finds any byte a JPEG carries beyond its declared structure.

The whole marker stream is walked, not only the header before the first
scan: a progressive JPEG has segments between its scans, where a comment
or an APP segment can sit as well as before the first. Every kept segment
is written anew from its parsed fields, so a segment whose length was
enlarged past its tables loses the extra bytes:

- DQT: each table (1 + 64 or 128 bytes); a table no frame component uses
  is dropped (up to 4 × 128 bytes of free values otherwise);
- DHT: each table (1 + 16 counts + as many symbols as the counts say); a
  table no following scan uses is dropped;
- SOF0/1/2 (baseline, extended, progressive: what Pillow decodes; AB405
  refuses the others), DRI, SOS: exactly their fields;
- the compressed data of each scan: each code replaced by the code of the
  same length its symbol has in the smaller table (below), fill bytes
  before a marker dropped (lossless, no recompression);
- APP0 JFIF: rewritten as version 1.01 without thumbnail, the density in
  whole dots per inch (10–2400; pandoc sizes DOCX/ODT images by it) or
  none; APP14 Adobe: version 100, flags 0, the colour transform kept (it
  says how CMYK/YCCK is stored); every other APPn and COM segment dropped;
- the file ends at the first EOI; everything after it is dropped.

The scans are Huffman-decoded (:mod:`.image_jpeg_scan`, red-team NL6):
each DHT table keeps only the symbols a code in the scans stands for (same
code lengths, so each code is replaced by one of the same length and the
pixels do not change), a DQT entry of a coefficient that is zero in every
block becomes 1, and bits and bytes after the last block of each restart
interval go. :func:`excess` names each of these in a JPEG that bypassed
the rebuild.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from . import image_jpeg_scan as scan_

_SOF = {0xC0, 0xC1, 0xC2}
# every start-of-frame marker (lossless, hierarchical, arithmetic included)
_ANY_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_APP0, _APP14, _COM, _DQT, _DHT, _DRI, _SOS, _EOI = 0xE0, 0xEE, 0xFE, 0xDB, 0xC4, 0xDD, 0xDA, 0xD9


class JpegError(ValueError):
    """The JPEG's structure cannot be read; ``str()`` says what is wrong."""


def _seg(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def _dqt(body: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """[(table id, table with its precision byte)], bytes the tables take."""
    out, pos = [], 0
    while pos < len(body):
        pq, tq = body[pos] >> 4, body[pos] & 15
        size = 1 + 64 * (pq + 1)
        if pq > 1 or tq > 3 or pos + size > len(body):
            break
        out.append((tq, body[pos : pos + size]))
        pos += size
    return out, pos


def _dht(body: bytes) -> tuple[list[tuple[tuple[int, int], bytes]], int]:
    """[((class, id), table)], bytes the tables take."""
    out, pos = [], 0
    while pos + 17 <= len(body):
        tc, th = body[pos] >> 4, body[pos] & 15
        size = 17 + sum(body[pos + 1 : pos + 17])
        if tc > 1 or th > 3 or size > 17 + 256 or pos + size > len(body):
            break
        out.append(((tc, th), body[pos : pos + size]))
        pos += size
    return out, pos


def _sof_size(body: bytes) -> int:
    return 6 + 3 * body[5] if len(body) >= 6 else 6


def _sos_size(body: bytes) -> int:
    return 4 + 2 * body[0] if body else 4


def _jfif(body: bytes) -> bytes:
    units, x, y = body[7], *struct.unpack(">HH", body[8:12])
    dpi = [x, y] if units == 1 else [round(v * 2.54) for v in (x, y)] if units == 2 else []
    if dpi and all(10 <= d <= 2400 for d in dpi):
        return b"JFIF\0\x01\x01\x01" + struct.pack(">HH", *dpi) + b"\0\0"
    return b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\0\0"


def parse(data: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """[(marker, body or the scan's compressed data as marker 0)] up to the
    first EOI, and where that EOI ends."""
    if not data.startswith(b"\xff\xd8"):
        raise JpegError("not a JPEG")
    out: list[tuple[int, bytes]] = []
    pos = 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise JpegError("a JPEG segment does not start with a marker")
        while data[pos + 1 : pos + 2] == b"\xff":  # fill bytes
            pos += 1
        marker = data[pos + 1] if pos + 1 < len(data) else -1
        if marker == _EOI:
            return out, pos + 2
        if marker < 0 or marker in (0x00, 0x01) or 0xD0 <= marker <= 0xD8:
            raise JpegError("the JPEG has a marker out of place")
        if pos + 4 > len(data):
            raise JpegError("the JPEG ends inside a segment")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise JpegError("a JPEG segment runs past the end of the file")
        out.append((marker, data[pos + 4 : end]))
        pos = end
        if marker == _SOS:
            scan = pos
            while True:  # compressed data: up to a marker other than FF00 and RSTn
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= len(data):
                    raise JpegError("the JPEG has no end marker")
                nxt = data[pos + 1]
                if nxt == 0 or 0xD0 <= nxt <= 0xD7:
                    pos += 2
                elif nxt == 0xFF:
                    # fill bytes before a marker (or FF FF 00 in broken files)
                    run = pos
                    while run < len(data) and data[run] == 0xFF:
                        run += 1
                    if run < len(data) and (data[run] == 0 or 0xD0 <= data[run] <= 0xD7):
                        pos = run + 1
                    else:
                        break
                else:
                    break
            out.append((0, data[scan:pos]))


MAX_SCANS = 100
"""A JPEG with more scans (or Huffman tables in use) than this is refused:
each scan is a pass over every block in Python. Progressive JPEGs have
about 10 scans."""


@dataclass
class _Decoded:
    tables: dict[tuple[int, int], scan_.Table]  # (DHT segment, index in it) -> table
    numbers: dict[tuple[int, int], int]  # the same -> table number in the scans
    scans: dict[int, scan_.Scan]  # segment index of the compressed data -> its codes
    nonzero: list[int]  # per quantisation table: mask of zig-zag positions in use


def _decode(segs: list[tuple[int, bytes]], sof_marker: int, sof: bytes) -> _Decoded:
    """Every scan Huffman-decoded (:mod:`.image_jpeg_scan`)."""
    try:
        dec = scan_.Decoder(scan_.frame(sof_marker, sof))
        tables: dict[tuple[int, int], scan_.Table] = {}
        numbers: dict[tuple[int, int], int] = {}
        current: dict[tuple[int, int], tuple[int, scan_.Table | None]] = {}
        scans: dict[int, scan_.Scan] = {}
        ri = 0
        defined: dict[tuple[int, int], tuple[tuple[int, int], bytes]] = {}  # (class, id) -> latest definition
        for n, (m, body) in enumerate(segs):
            if m == _DHT:
                for k, (key, t) in enumerate(_dht(body)[0]):
                    defined[key] = ((n, k), t)
            elif m == _DRI and len(body) >= 2:
                ri = struct.unpack(">H", body[:2])[0]
            elif m == _SOS and n + 1 < len(segs) and segs[n + 1][0] == 0:
                if len(scans) >= MAX_SCANS:
                    raise JpegError(f"the JPEG has more than {MAX_SCANS} scans")
                for key, (where, t) in defined.items():
                    # built when a scan may use it: a lookup table is 65,536 entries
                    if where not in tables:
                        if len(tables) >= MAX_SCANS:
                            raise JpegError(f"the JPEG has more than {MAX_SCANS} Huffman tables in use")
                        tables[where] = scan_.table(where, t)
                        numbers[where] = len(numbers)
                    current[key] = (numbers[where], tables[where])
                scans[n + 1] = dec.scan(body, segs[n + 1][1], current, ri)
        dec.finish()
    except scan_.ScanError as exc:
        raise JpegError(str(exc)) from None
    except IndexError:
        raise JpegError("a JPEG header is too short for its fields") from None
    return _Decoded(tables, numbers, scans, dec.nonzero)


def _frame(segs: list[tuple[int, bytes]]) -> tuple[int, bytes]:
    frame = [(m, b) for m, b in segs if m in _ANY_SOF]
    if len(frame) != 1 or frame[0][0] not in _SOF:
        raise JpegError("the JPEG is not one baseline or progressive frame")
    sof = frame[0][1]
    if len(sof) < _sof_size(sof) or sof[5] == 0:
        raise JpegError("the JPEG frame header is too short")
    return frame[0][0], sof


def _dqt_used(t: bytes, nonzero: int) -> bytes:
    """A quantisation table with 1 for each coefficient no block uses."""
    step = 1 + (t[0] >> 4)
    out = bytearray(t)
    for k in range(64):
        if not nonzero >> k & 1:
            out[1 + step * k : 1 + step * (k + 1)] = (1).to_bytes(step, "big")
    return bytes(out)


def rebuild(data: bytes) -> bytes:
    """The JPEG written anew from its parsed segments (see the module)."""
    segs, _end = parse(data)
    sof_marker, sof = _frame(segs)
    decoded = _decode(segs, sof_marker, sof)
    new_tables = {key: scan_.subset(t) for key, t in decoded.tables.items()}
    codes = [new_tables[key][1] for key in decoded.numbers]
    lengths = [decoded.tables[key].lengths for key in decoded.numbers]
    old = [decoded.tables[key].codes for key in decoded.numbers]
    quant_used = {sof[6 + 3 * i + 2] for i in range(sof[5])}
    # which Huffman table definitions a later scan uses (latest before it)
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    used: set[tuple[int, int]] = set()
    for n, (m, body) in enumerate(segs):
        if m == _DHT:
            for k, (key, _t) in enumerate(_dht(body)[0]):
                latest[key] = (n, k)
        elif m == _SOS:
            if len(body) < _sos_size(body) or body[0] == 0:
                raise JpegError("the JPEG scan header is too short")
            ns = body[0]
            ss, se, ah = body[1 + 2 * ns], body[2 + 2 * ns], body[3 + 2 * ns] >> 4
            for i in range(ns):
                td, ta = body[2 + 2 * i] >> 4, body[2 + 2 * i] & 15
                if ss == 0 and ah == 0 and (0, td) in latest:
                    used.add(latest[(0, td)])
                if se > 0 and (1, ta) in latest:
                    used.add(latest[(1, ta)])
    out = [b"\xff\xd8"]
    for n, (m, body) in enumerate(segs):
        if m == 0:
            out.append(scan_.rewrite(decoded.scans[n], codes, lengths, old) if n in decoded.scans else body)
        elif m == _APP0 and body.startswith(b"JFIF\0") and len(body) >= 14:
            out.append(_seg(m, _jfif(body)))
        elif m == _APP14 and body.startswith(b"Adobe") and len(body) >= 12:
            out.append(_seg(m, b"Adobe\x00\x64\0\0\0\0" + bytes((min(body[11], 2),))))
        elif m == _DQT:
            tables = b"".join(_dqt_used(t, decoded.nonzero[tq]) for tq, t in _dqt(body)[0] if tq in quant_used)
            if tables:
                out.append(_seg(m, tables))
        elif m == _DHT:
            tables = b"".join(
                t[:1] + new_tables[(n, k)][0] for k, (_key, t) in enumerate(_dht(body)[0]) if (n, k) in used
            )
            if tables:
                out.append(_seg(m, tables))
        elif m in _SOF:
            out.append(_seg(m, body[: _sof_size(body)]))
        elif m == _SOS:
            out.append(_seg(m, body[: _sos_size(body)]))
        elif m == _DRI and len(body) >= 2:
            out.append(_seg(m, body[:2]))
        elif 0xE0 <= m <= 0xEF or m == _COM:
            continue  # APPn (EXIF, XMP, IPTC, ICC, ...) and comments
        else:
            raise JpegError(f"the JPEG has a segment abuild does not publish (marker FF{m:02X})")
    out.append(b"\xff\xd9")
    return b"".join(out)


def _declared(marker: int, body: bytes) -> int | None:
    """How many bytes the fields of a segment abuild keeps take."""
    if marker == _DQT:
        return _dqt(body)[1]
    if marker == _DHT:
        return _dht(body)[1]
    if marker in _ANY_SOF:
        return _sof_size(body)
    if marker == _SOS:
        return _sos_size(body)
    if marker == _DRI:
        return 2
    return None


def excess(data: bytes) -> list[str]:
    """Bytes the JPEG carries beyond what its structure declares (empty:
    none): anything after EOI, a segment longer than its fields, fill bytes
    between segments."""
    try:
        segs, end = parse(data)
    except JpegError as exc:
        return [f"unreadable JPEG structure ({exc})"]
    found = []
    if end != len(data):
        found.append(f"{len(data) - end} bytes after the end of the JPEG (EOI)")
    for m, body in segs:
        size = _declared(m, body)
        if size is not None and size != len(body):
            found.append(f"JPEG segment FF{m:02X} of {len(body)} bytes (its fields take {size})")
    rebuilt_len = sum(len(b) + (4 if m else 0) for m, b in segs) + 4
    if rebuilt_len != len(data[:end]):
        found.append(f"{end - rebuilt_len} bytes between the JPEG's segments")
    digest = hashlib.sha256(data).digest()
    if digest not in _UNUSED:
        if len(_UNUSED) >= 256:
            _UNUSED.clear()
        _UNUSED[digest] = _unused(segs)
    return found + _UNUSED[digest]


# the same JPEG is in all four outputs: Huffman-decoding it once is enough
# (2.2 s for a 4000×3000 photo on a loaded machine)
_UNUSED: dict[bytes, list[str]] = {}


def _unused(segs: list[tuple[int, bytes]]) -> list[str]:
    """Values the decoder reads but the picture never uses: Huffman symbols
    no code in the scans stands for, quantisation entries of coefficients
    that are zero in every block, bits after the last block of a scan."""
    try:
        sof_marker, sof = _frame(segs)
        decoded = _decode(segs, sof_marker, sof)
    except JpegError as exc:
        return [f"JPEG compressed data that does not decode ({exc})"]
    found = []
    in_scans = {n for sc in decoded.scans.values() for n in {w >> 16 for w in sc.which}}
    for key, t in decoded.tables.items():
        spare = len(t.symbols) - sum(t.used[: len(t.symbols)])
        if decoded.numbers[key] in in_scans and spare:
            found.append(f"JPEG Huffman table with {spare} symbols the picture never uses")
    quant_used = {sof[8 + 3 * i] for i in range(sof[5])}
    for m, body in segs:
        if m == _DQT:
            for tq, qt in _dqt(body)[0]:
                if tq in quant_used and _dqt_used(qt, decoded.nonzero[tq]) != qt:
                    found.append("JPEG quantisation entries for coefficients no block uses")
    for sc in decoded.scans.values():
        for seg, end in zip(sc.segments, sc.ends, strict=False):
            pad = (1 << (-end % 8)) - 1
            if len(seg) != (end + 7) // 8 or (pad and seg[-1] & pad != pad):
                found.append("JPEG compressed data after the last block of a scan")
                break
        if len(sc.segments) > len(sc.ends) and any(sc.segments[len(sc.ends) :]):
            found.append("JPEG restart intervals after the last block of a scan")
    return found
