"""A line's glyphs written to the PDF without a cffi call per glyph field, in WeasyPrint 70.

WeasyPrint writes each line of text (``draw/text.py`` ``draw_first_line``)
by walking Pango's glyphs one by one through cffi: four to six struct
accesses per glyph, each making a new cdata object, then the glyph's
operators. The benchmark report has ~16,000 lines and ~450,000 glyphs, and
this loop was 8 % of the PDF writer's CPU.

Nearly every glyph is the plain case: a known glyph of an ordinary outline
font (its Unicode text and width already recorded by an earlier line), not
raised or lowered. :func:`draw_first_line` reads a line's glyph arrays in
one piece each (``PangoGlyphInfo`` is 20 bytes: glyph, width, x offset, y
offset, attributes; :data:`GLYPH` is checked against cffi's own layout of
the struct at import) and, when every glyph of the line is plain, writes
exactly the operators WeasyPrint writes, with the same arithmetic in the same
order; a glyph's operators are kept per font and size, keyed by its glyph
info, so a glyph seen again (most of the ~450,000) is one dictionary look-up,
not tested again (kept operators say it is plain).
Any other line (a glyph seen for the first time, an empty or unknown
glyph, a raised glyph, a bitmap or colour font, an ellipsis) is drawn by
WeasyPrint's own function, unchanged, which also records the new glyphs.
The PDF is byte for byte the same (the tests compare).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

import struct
from typing import Any

from weasyprint.draw import text as _text
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _text.draw_first_line

# PangoGlyphInfo: guint32 glyph; gint32 width, x_offset, y_offset; guint32 attr (bit fields)
GLYPH = struct.Struct("=Iiiii")
_LAYOUT_KNOWN = (
    ffi.sizeof("PangoGlyphInfo") == GLYPH.size
    and ffi.offsetof("PangoGlyphInfo", "geometry") == 4
    and ffi.offsetof("PangoGlyphGeometry", "width") == 0
    and ffi.offsetof("PangoGlyphGeometry", "x_offset") == 4
    and ffi.offsetof("PangoGlyphGeometry", "y_offset") == 8
)
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG
_OLD_PANGO = pango.pango_version() < 14802  # WeasyPrint then takes the size from the style


def _plain_runs(stream: Any, first_line: Any, style_size: float) -> list[tuple[Any, float, bool, str]] | None:
    """The line's runs as (font, size, font changed, the glyphs' operators), or
    None if a glyph is not plain.

    A glyph info with operators already kept for the font and size is plain
    (they are kept only for a glyph that passed the test below, and what the
    test asks of the font, its Unicode text and width recorded, stays true:
    WeasyPrint only adds to both while it draws), so only a glyph seen for
    the first time is tested: one dictionary look-up per glyph instead of a
    test and then the look-up."""
    runs: list[tuple[Any, float, bool, str]] = []
    previous = None
    font: Any = None
    font_size = 0.0
    fragments: dict[tuple[int, ...], str] = {}
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        pango_font = glyph_item.item.analysis.font
        changed = pango_font != previous
        if changed:
            previous = pango_font
            font, font_size = stream.add_font(pango_font)  # WeasyPrint's own call; it adds a font once
            if font.bitmap or font.svg or font.png or font.colr:
                return None
            if _OLD_PANGO:
                font_size = style_size
            fragments = _fragments(font, font_size)
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        to_unicode = font.to_unicode
        widths = font.widths
        parts = ["<"]
        for info in GLYPH.iter_unpack(ffi.buffer(glyph_string.glyphs, count * GLYPH.size)):
            fragment = fragments.get(info)
            if fragment is None:
                glyph, y_offset = info[0], info[3]
                if y_offset or glyph == _EMPTY or glyph & _UNKNOWN or glyph not in to_unicode or glyph not in widths:
                    return None
                fragment = fragments[info] = _fragment(widths, font_size, info)
            parts.append(fragment)
        runs.append((font, font_size, changed, "".join(parts)))
    return runs


def _fragments(font: Any, font_size: float) -> dict[tuple[int, ...], str]:
    """The operators already written for a glyph of ``font`` at ``font_size``, by its glyph info."""
    kept: dict[float, dict[tuple[int, ...], str]] = font.__dict__.setdefault("_abuild_fragments", {})
    return kept.setdefault(font_size, {})


def _fragment(widths: dict[int, int], font_size: float, info: tuple[int, ...]) -> str:
    """One plain glyph's operators, with WeasyPrint's arithmetic term for term
    (the same floats, the same text). A function of the glyph info, the size
    and the glyph's recorded width, which WeasyPrint records once."""
    glyph, width, x_offset = info[0], info[1], info[2]
    offset = x_offset / font_size
    text = f">{-offset}<" if offset else ""
    text += f"{glyph:04x}"
    kerning = widths[glyph] + offset - width * 1000 * FROM_UNITS / font_size
    if kerning:
        text += f">{int(kerning)}<"
    return text


def draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any) -> list[Any]:
    """WeasyPrint's ``draw_first_line``; a line of plain glyphs written without a cffi call per glyph."""
    style = textbox.style
    if text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip() or style["font_size"] < 1e-6:
        drawn: list[Any] = _original(stream, textbox, text_overflow, block_ellipsis, matrix)
        return drawn
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()
    runs = _plain_runs(stream, first_line, style["font_size"])
    if runs is None:  # WeasyPrint's own, which records the new glyphs
        drawn = _original(stream, textbox, text_overflow, block_ellipsis, matrix)
        return drawn

    stream.set_text_matrix(*matrix.values)
    string = ""
    for font, font_size, changed, operators in runs:
        if changed:
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, font_size)
        string += operators
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"
    stream.show_text(string)
    return []


_SWAPS = Swaps(
    "abuild's glyph writing (render/weasy_glyphs.py)",
    [(_text, "draw_first_line", draw_first_line)],
    SUPPORTED,
    ready=lambda: _LAYOUT_KNOWN,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
