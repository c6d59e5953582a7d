"""A JPEG's compressed data read code by code (red-team NL6): which Huffman
symbols and which quantisation entries the picture uses, and the scans
written again with only those.

A Huffman table (DHT) lists up to 256 symbols, and a table Pillow or a
camera writes (the standard tables of the JPEG standard, Annex K) lists all
162 AC symbols whether the picture uses them or not: a small flat image
uses one. The symbols nobody decodes are free bytes (the red team wrote a
sentence over them). The same holds for a quantisation (DQT) entry of a
coefficient that is zero in every block: it multiplies nothing.

:func:`analyse` Huffman-decodes every scan, baseline and progressive
(including the refinement scans, whose correction bits depend on which
coefficients earlier scans made non-zero), without computing a single
pixel: it records which symbol of which table each code is and where it
sits, and which coefficient positions are ever non-zero. :func:`rewrite`
then gives each table only its used symbols, with the *same code lengths*
(a subset of a prefix code stays a prefix code, canonical codes stay
valid), so every code in the scans is replaced by one of the same length:
the scans keep their size to the bit and the pixels do not change. The
unused bits after the last block of each restart interval are set to 1
(the standard's padding) and bytes after them dropped.

Python reads about 1.5 million codes a second; a 1000×1000 photo has about
a million.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_PIXELS = 40_000_000
"""As ``load.images.MAX_PIXELS``: a JPEG inside an SVG's ``data:`` URI was
not inspected, and a progressive one needs a byte per coefficient (64 per
8×8 block: 60 MB at this limit in 4:2:0)."""


class ScanError(ValueError):
    """The compressed data does not decode; ``str()`` says where."""


@dataclass
class Table:
    """One Huffman table definition: (DHT segment, index in it)."""

    key: tuple[int, int]
    lengths: list[int]  # the code length of each symbol, in table order
    symbols: bytes
    lut: list[int]  # 16-bit prefix -> length << 16 | symbol index, or -1
    codes: list[int]  # the code of each symbol
    used: bytearray = field(default_factory=lambda: bytearray(256))


def table(key: tuple[int, int], body: bytes) -> Table:
    """``body``: Tc/Th byte, 16 counts, the symbols."""
    counts, symbols = body[1:17], body[17:]
    lengths = [n + 1 for n in range(16) for _ in range(counts[n])]
    lut = [-1] * 65536
    codes = []
    code = 0
    i = 0
    for n in range(16):
        for _ in range(counts[n]):
            if code >= 1 << (n + 1):
                raise ScanError("a Huffman table has more codes than fit")
            lo = code << (15 - n)
            lut[lo : lo + (1 << (15 - n))] = [((n + 1) << 16) | i] * (1 << (15 - n))
            codes.append(code)
            code += 1
            i += 1
        code <<= 1
    if len(symbols) < i:
        raise ScanError("a Huffman table has fewer symbols than codes")
    return Table(key, lengths, symbols, lut, codes)


def subset(t: Table) -> tuple[bytes, dict[int, int]]:
    """The table with only its used symbols (at least one), and the new code
    of each kept symbol index."""
    keep = [i for i in range(len(t.symbols)) if t.used[i]] or [0]
    counts = [0] * 16
    for i in keep:
        counts[t.lengths[i] - 1] += 1
    codes: dict[int, int] = {}
    code, pos = 0, 0
    for n in range(16):
        for _ in range(counts[n]):
            codes[keep[pos]] = code
            code += 1
            pos += 1
        code <<= 1
    return bytes(counts) + bytes(t.symbols[i] for i in keep), codes


@dataclass
class Scan:
    """One scan's entropy-coded data, split at its restart markers and
    unstuffed, and where each Huffman code in it is."""

    segments: list[bytearray]
    markers: list[bytes]  # the RSTn between the segments
    ends: list[int]  # bits the decoder reads of each segment
    at: array  # type: ignore[type-arg]  # bit position of each code (per segment: seg << 32 | pos)
    which: array  # type: ignore[type-arg]  # table number << 16 | symbol index


_RST = re.compile(rb"\xff+([\xd0-\xd7])")


def _split(data: bytes) -> tuple[list[bytearray], list[bytes]]:
    parts = _RST.split(data)
    segs = [bytearray(p.replace(b"\xff\x00", b"\xff")) for p in parts[0::2]]
    return segs, [b"\xff" + m for m in parts[1::2]]


@dataclass
class Frame:
    width: int
    height: int
    comps: list[tuple[int, int, int, int]]  # id, h, v, quantisation table
    progressive: bool

    @property
    def hmax(self) -> int:
        return max(c[1] for c in self.comps)

    @property
    def vmax(self) -> int:
        return max(c[2] for c in self.comps)


def frame(marker: int, sof: bytes) -> Frame:
    height, width = (sof[1] << 8) | sof[2], (sof[3] << 8) | sof[4]
    comps = [(sof[6 + 3 * i], sof[7 + 3 * i] >> 4, sof[7 + 3 * i] & 15, sof[8 + 3 * i]) for i in range(sof[5])]
    if width * height > MAX_PIXELS:
        raise ScanError(f"the JPEG has {width * height:,} pixels, over the limit of {MAX_PIXELS:,}")
    if width == 0 or height == 0 or any(h not in (1, 2, 3, 4) or v not in (1, 2, 3, 4) for _i, h, v, _q in comps):
        raise ScanError("the JPEG frame header is not one Pillow decodes")
    return Frame(width, height, comps, marker == 0xC2)


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


class Decoder:
    """Reads every scan of one frame; ``nonzero[q]`` is a 64-bit mask of the
    zig-zag positions that are non-zero in some block quantised with table q."""

    def __init__(self, fr: Frame) -> None:
        self.fr = fr
        self.mcux, self.mcuy = _ceil(fr.width, 8 * fr.hmax), _ceil(fr.height, 8 * fr.vmax)
        self.nonzero = [0, 0, 0, 0]
        # progressive: which coefficient of which block is non-zero (refinement needs it)
        self.coef: dict[int, bytearray] = {}
        if fr.progressive:
            for cid, h, v, _q in fr.comps:
                self.coef[cid] = bytearray(64 * self.mcux * h * self.mcuy * v)

    def blocks(self, comps: list[tuple[int, int, int, int]]) -> Iterator[list[tuple[int, int]]]:
        """The MCUs of a scan, one by one: [(component index in the scan, block number)]."""
        fr = self.fr
        if len(comps) == 1:
            _cid, h, v, _q = comps[0]
            gw = self.mcux * h
            bw, bh = _ceil(_ceil(fr.width * h, fr.hmax), 8), _ceil(_ceil(fr.height * v, fr.vmax), 8)
            for by in range(bh):
                for bx in range(bw):
                    yield [(0, by * gw + bx)]
            return
        for my in range(self.mcuy):
            for mx in range(self.mcux):
                mcu = []
                for n, (_cid, h, v, _q) in enumerate(comps):
                    gw = self.mcux * h
                    for y in range(v):
                        for x in range(h):
                            mcu.append((n, (my * v + y) * gw + mx * h + x))
                yield mcu

    def scan(self, sos: bytes, data: bytes, tables: dict[tuple[int, int], tuple[int, Table | None]], ri: int) -> Scan:
        ns = sos[0]
        by_id = {c[0]: c for c in self.fr.comps}
        comps = []
        dc: list[tuple[int, Table | None]] = []
        ac: list[tuple[int, Table | None]] = []
        for i in range(ns):
            cid = sos[1 + 2 * i]
            if cid not in by_id:
                raise ScanError("a JPEG scan names a component the frame does not have")
            comps.append(by_id[cid])
            dc.append(tables.get((0, sos[2 + 2 * i] >> 4), (0, None)))
            ac.append(tables.get((1, sos[2 + 2 * i] & 15), (0, None)))
        ss, se, ah = sos[1 + 2 * ns], sos[2 + 2 * ns], sos[3 + 2 * ns] >> 4
        if ss > se or se > 63 or (not self.fr.progressive and (ss, se, ah) != (0, 63, 0)):
            raise ScanError("a JPEG scan's spectral selection is out of range")
        segs, markers = _split(data)
        at, which = array("Q"), array("Q")
        ends = []
        buf, limit, bp, eobrun, s = b"", 0, 0, 0, -1

        def bits(n: int) -> int:
            nonlocal bp
            p = bp >> 3
            v = ((buf[p] << 16 | buf[p + 1] << 8 | buf[p + 2]) >> (24 - (bp & 7) - n)) & ((1 << n) - 1)
            bp += n
            return v

        def code(tn: int, t: Table | None) -> int:
            nonlocal bp
            if t is None:
                raise ScanError("a JPEG scan uses a Huffman table that is not defined")
            p = bp >> 3
            peek = ((buf[p] << 16 | buf[p + 1] << 8 | buf[p + 2]) >> (8 - (bp & 7))) & 0xFFFF
            v = t.lut[peek]
            if v < 0:
                raise ScanError("the JPEG's compressed data has a code its Huffman table lacks")
            i = v & 0xFFFF
            t.used[i] = 1
            at.append(s << 32 | bp)
            which.append(tn << 16 | i)
            bp += v >> 16
            return t.symbols[i]

        # one restart interval after another: ri MCUs each (all of them without DRI)
        for count, mcu in enumerate(self.blocks(comps)):
            if count == 0 or (ri and count % ri == 0):
                if s >= 0:
                    if bp > limit:
                        raise ScanError("the JPEG's compressed data ends inside a block")
                    ends.append(bp)
                s += 1
                if s >= len(segs):
                    raise ScanError("a JPEG scan has fewer restart intervals than blocks")
                buf = bytes(segs[s]) + b"\xff\xff\xff\xff"
                limit, bp, eobrun = 8 * len(segs[s]), 0, 0
            for n, block in mcu:
                cid, _h, _v, q = comps[n]
                if ss == 0:
                    if ah == 0:
                        dtn, dt = dc[n]
                        size = code(dtn, dt)
                        if size > 16:
                            raise ScanError("a JPEG DC difference is too large")
                        bits(size)
                    else:
                        bits(1)
                    if self.fr.progressive:
                        continue  # a progressive DC scan has no AC band
                atn, at_ = ac[n]
                if not self.fr.progressive:
                    k, mask = 1, 0
                    while k < 64:
                        rs = code(atn, at_)
                        r, size = rs >> 4, rs & 15
                        if size == 0:
                            if r != 15:
                                break
                            k += 16
                            continue
                        k += r
                        if k > 63:
                            raise ScanError("a JPEG block has more than 64 coefficients")
                        bits(size)
                        mask |= 1 << k
                        k += 1
                    self.nonzero[q & 3] |= mask
                    continue
                coef = self.coef[cid]
                base = 64 * block
                if ah == 0:
                    if eobrun:
                        eobrun -= 1
                        continue
                    k = ss
                    while k <= se:
                        rs = code(atn, at_)
                        r, size = rs >> 4, rs & 15
                        if size == 0:
                            if r < 15:
                                eobrun = (1 << r) - 1 + (bits(r) if r else 0)
                                break
                            k += 16
                            continue
                        k += r
                        if k > se:
                            raise ScanError("a JPEG block has more coefficients than its band")
                        bits(size)
                        coef[base + k] = 1
                        k += 1
                    continue
                k = ss
                if eobrun == 0:
                    while k <= se:
                        rs = code(atn, at_)
                        r, size = rs >> 4, rs & 15
                        if size:
                            bits(1)
                        elif r != 15:
                            eobrun = (1 << r) + (bits(r) if r else 0)
                            break
                        while k <= se:
                            if coef[base + k]:
                                bits(1)
                            else:
                                if r == 0:
                                    break
                                r -= 1
                            k += 1
                        if size:
                            if k > se:
                                raise ScanError("a JPEG refinement runs past its band")
                            coef[base + k] = 1
                        k += 1
                if eobrun > 0:
                    # one correction bit per non-zero coefficient left in the band
                    if k <= se:
                        bp += coef.count(1, base + k, base + se + 1)
                    eobrun -= 1
        if s >= 0:
            if bp > limit:
                raise ScanError("the JPEG's compressed data ends inside a block")
            ends.append(bp)
        return Scan(segs, markers, ends, at, which)

    def finish(self) -> None:
        """Fold the progressive coefficient map into :attr:`nonzero`."""
        for cid, _h, _v, q in self.fr.comps:
            if cid in self.coef:
                coef = self.coef[cid]
                mask = 0
                for k in range(64):
                    if 1 in coef[k::64]:
                        mask |= 1 << k
                self.nonzero[q & 3] |= mask
            self.nonzero[q & 3] |= 1  # the DC coefficient is always used


def rewrite(sc: Scan, codes: list[dict[int, int]], lengths: list[list[int]], old: list[list[int]]) -> bytes:
    """The scan's compressed data with every code replaced by the new code
    of the same length (``codes[table number][symbol index]``; ``old``: the
    codes they replace), padding
    bits set to 1, nothing after the last block, stuffed again."""
    segs = [bytearray(s[: (e + 7) // 8]) for s, e in zip(sc.segments, sc.ends, strict=False)]
    # only the codes that change (none where every symbol of a table is used)
    patch = {
        tn << 16 | i: (lengths[tn][i], new)
        for tn, table_codes in enumerate(codes)
        for i, new in table_codes.items()
        if new != old[tn][i]
    }
    for a, w in zip(sc.at, sc.which, strict=True) if patch else ():
        if w not in patch:
            continue
        n, new = patch[w]
        s, bp = a >> 32, a & 0xFFFFFFFF
        buf = segs[s]
        p = bp >> 3
        shift = 24 - (bp & 7) - n
        m = min(3, len(buf) - p)
        v = int.from_bytes(buf[p : p + m].ljust(3, b"\0"), "big")
        v = (v & ~(((1 << n) - 1) << shift)) | (new << shift)
        buf[p : p + m] = v.to_bytes(3, "big")[:m]
    out = []
    for s, seg in enumerate(segs):
        if sc.ends[s] % 8:
            seg[-1] |= (1 << (8 - sc.ends[s] % 8)) - 1
        if s:
            out.append(sc.markers[s - 1])
        out.append(bytes(seg).replace(b"\xff", b"\xff\x00"))
    return b"".join(out)
