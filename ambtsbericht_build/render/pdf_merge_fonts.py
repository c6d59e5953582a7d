"""One embedded font per house font in a joined PDF (see :mod:`.pdf_merge`).

Each part embeds its own subset of the same font: WeasyPrint 70 subsets with
fontTools ``retain_gids=True`` (a glyph keeps its id in the original font, the
glyphs not used are empty), names the subset after the font's description
(the same /BaseFont in every part) and writes the text with those glyph ids
(/Identity CIDToGIDMap). So the subsets of one font can be united: the
glyphs and metrics of every subset in one font program
(:mod:`.pdf_merge_sfnt`), the /W widths and the ToUnicode CMap united, and
every page given that one font object. Without it the benchmark report (15
parts) carried 15 copies of each font: 7.8 % more bytes than a single layout.

Fonts are united only when they agree: same /BaseFont, Type0 with a
CIDFontType2 descendant and an /Identity CIDToGIDMap, the same units per em,
and every glyph two subsets both have the same; otherwise they stay as they are.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from .pdf_merge_sfnt import unite_programs
from .pdf_merge_struct import first_visit

_MAX_DEPTH = 64  # forms inside forms: deeper is a loop, not a document


def unite_fonts(pdf: pikepdf.Pdf) -> int:
    """Replace the fonts of one name by one united font; returns how many
    font objects were replaced."""
    groups: dict[str, list[Dictionary]] = {}
    seen: set[tuple[int, int]] = set()
    for resources in _font_dicts(pdf):
        for name in resources.keys():
            font = resources[name]
            if not isinstance(font, Dictionary) or not font.is_indirect or font.objgen in seen:
                continue
            seen.add(font.objgen)
            if _unitable(font):
                groups.setdefault(str(font.BaseFont), []).append(font)
    replace: dict[tuple[int, int], Dictionary] = {}
    for group in groups.values():
        if len(group) > 1 and _unite(pdf, group):
            for f in group[1:]:
                replace[f.objgen] = group[0]
    if replace:
        for res in _font_dicts(pdf):
            for name in res.keys():
                font = res[name]
                if isinstance(font, Dictionary) and font.objgen in replace:
                    res[name] = replace[font.objgen]
    return len(replace)


def _font_dicts(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every /Font resource dictionary: of the pages, and of the forms,
    patterns and annotation appearances they draw."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, int]] = []
    for page in pdf.pages:
        stack.append((page.obj.get("/Resources"), 0))
        for annot in page.obj.get("/Annots", []):
            ap = annot.get("/AP") if isinstance(annot, Dictionary) else None
            if isinstance(ap, Dictionary):
                stack += [(ap[k], 1) for k in ap.keys() if isinstance(ap[k], pikepdf.Stream)]
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.get("/Resources")
        if not isinstance(obj, Dictionary) or depth > _MAX_DEPTH or not first_visit(obj, seen):
            continue
        fonts = obj.get("/Font")
        if isinstance(fonts, Dictionary):
            yield fonts
        for kind in ("/XObject", "/Pattern"):
            sub = obj.get(kind)
            if isinstance(sub, Dictionary):
                stack += [(sub[k], depth + 1) for k in sub.keys()]


def _unitable(font: Dictionary) -> bool:
    if font.get("/Subtype") != Name.Type0 or "/BaseFont" not in font:
        return False
    kids = font.get("/DescendantFonts")
    if not isinstance(kids, Array) or len(kids) != 1:
        return False
    cid = kids[0]
    desc = cid.get("/FontDescriptor")
    return (
        cid.get("/Subtype") == Name.CIDFontType2
        and cid.get("/CIDToGIDMap") == Name.Identity
        and isinstance(desc, Dictionary)
        and isinstance(desc.get("/FontFile2"), pikepdf.Stream)
    )


def _unite(pdf: pikepdf.Pdf, fonts: list[Dictionary]) -> bool:
    """Make ``fonts[0]`` the union of ``fonts``; False (nothing changed) if
    they disagree or one cannot be read: everything is computed before
    ``fonts[0]`` is changed."""
    try:
        raw = unite_programs([f.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes() for f in fonts])
        if raw is None:
            return False
        widths = _widths_array(_union(_widths(f.DescendantFonts[0].get("/W")) for f in fonts))
        maps = [m.read_bytes() for m in (f.get("/ToUnicode") for f in fonts) if isinstance(m, pikepdf.Stream)]
        to_unicode = _to_unicode(maps[0], maps) if maps else None
    except (pikepdf.PdfError, ValueError, TypeError):  # a stream or /W that cannot be read: the fonts stay
        return False
    target = fonts[0]
    cid = target.DescendantFonts[0]
    program = pikepdf.Stream(pdf, zlib.compress(raw, 9))
    program.Filter = Name.FlateDecode
    program.Length1 = len(raw)
    cid.FontDescriptor.FontFile2 = program
    cid.W = widths
    if to_unicode is not None:
        target.ToUnicode = pikepdf.Stream(pdf, to_unicode)
    return True


# --- /W widths and the ToUnicode CMap -------------------------------------------------------


def _widths(w: Any) -> dict[int, Any]:
    """A CIDFont's /W array (``c [w1 w2 ...]`` and ``c_first c_last w``) as {cid: width}."""
    out: dict[int, Any] = {}
    items = list(w) if isinstance(w, Array) else []
    i = 0
    while i < len(items):
        first = items[i]
        if i + 1 < len(items) and isinstance(items[i + 1], Array):
            for n, width in enumerate(items[i + 1]):
                out[int(first) + n] = width
            i += 2
        elif i + 2 < len(items):
            for c in range(int(first), int(items[i + 1]) + 1):
                out[c] = items[i + 2]
            i += 3
        else:
            break
    return out


def _union(maps: Iterator[dict[int, Any]]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for m in maps:
        for k, v in m.items():
            out.setdefault(k, v)
    return out


def _widths_array(widths: dict[int, Any]) -> Array:
    """``c [w ...]`` for each run of consecutive ids, as WeasyPrint writes it."""
    out: list[Any] = []
    run: list[Any] = []
    start = prev = -2
    for c in sorted(widths):
        if c != prev + 1:
            if run:
                out += [start, Array(run)]
            start, run = c, []
        run.append(widths[c])
        prev = c
    if run:
        out += [start, Array(run)]
    return Array(out)


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _to_unicode(template: bytes, cmaps: list[bytes]) -> bytes:
    """One ToUnicode CMap with the mappings of all ``cmaps`` (the first
    mapping of a code wins), framed as ``template`` (WeasyPrint's)."""
    mapping: dict[int, bytes] = {}
    for cmap in cmaps:
        for block in _BFCHAR.findall(cmap):
            hexes = _HEX.findall(block)
            for i in range(0, len(hexes) - 1, 2):
                mapping.setdefault(int(hexes[i], 16), hexes[i + 1])
        for block in _BFRANGE.findall(cmap):
            for line in block.splitlines():
                hexes = _HEX.findall(line)
                if len(hexes) == 3 and b"[" not in line:
                    lo, hi, dst = int(hexes[0], 16), int(hexes[1], 16), int(hexes[2], 16)
                    width = len(hexes[2])
                    for n, code in enumerate(range(lo, min(hi, lo + 0xFFFF) + 1)):
                        mapping.setdefault(code, b"%0*x" % (width, dst + n))
    first = re.search(rb"\d+\s+beginbf", template)
    end = template.find(b"endcmap")
    if first is None or end < 0:
        return template
    start = first.start()
    body = b""
    codes = sorted(mapping)
    for i in range(0, len(codes), 100):  # at most 100 entries a block (PDF 32000-1, 9.10.3)
        chunk = codes[i : i + 100]
        body += b"%d beginbfchar\n" % len(chunk)
        body += b"".join(b"<%04x> <%s>\n" % (c, mapping[c]) for c in chunk)
        body += b"endbfchar\n"
    return template[:start] + body + template[end:]
