"""Which characters the house font can print.

The PDF is set in the house font only (``render/pdf.py`` gives WeasyPrint no
system font), so a character outside it prints as an empty box. The
character map of abuild's Noto Sans (the same 2,840 code points in all four
styles) is kept here as ranges, so a check costs no font parsing: reading
it with fontTools costs 0.13 s, against a check of the example report of
about 0.8 s. ``tests/check/test_glyphs.py`` compares the ranges with the
font files. A repository that overrides the font is read with fontTools.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from pathlib import Path

FONT = "fonts/NotoSans-Regular.ttf"  # the body font, in the house style

# (first, last) code points of Noto Sans 2.004's character map, in order
NOTO_SANS_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0000),
    (0x000D, 0x000D),
    (0x0020, 0x007E),
    (0x00A0, 0x0377),
    (0x037A, 0x037F),
    (0x0384, 0x038A),
    (0x038C, 0x038C),
    (0x038E, 0x03A1),
    (0x03A3, 0x03E1),
    (0x03F0, 0x052F),
    (0x1AB0, 0x1AC0),
    (0x1C80, 0x1C88),
    (0x1D00, 0x1DF9),
    (0x1DFB, 0x1F15),
    (0x1F18, 0x1F1D),
    (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D),
    (0x1F50, 0x1F57),
    (0x1F59, 0x1F59),
    (0x1F5B, 0x1F5B),
    (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4),
    (0x1FB6, 0x1FC4),
    (0x1FC6, 0x1FD3),
    (0x1FD6, 0x1FDB),
    (0x1FDD, 0x1FEF),
    (0x1FF2, 0x1FF4),
    (0x1FF6, 0x1FFE),
    (0x2000, 0x2064),
    (0x2066, 0x2071),
    (0x2074, 0x208E),
    (0x2090, 0x209C),
    (0x20A0, 0x20BF),
    (0x20F0, 0x20F0),
    (0x2100, 0x215F),
    (0x2184, 0x2184),
    (0x2189, 0x2189),
    (0x25CC, 0x25CC),
    (0x2C60, 0x2C7F),
    (0x2DE0, 0x2E52),
    (0xA640, 0xA69F),
    (0xA700, 0xA7BF),
    (0xA7C2, 0xA7CA),
    (0xA7F5, 0xA7FF),
    (0xA92E, 0xA92E),
    (0xAB30, 0xAB6B),
    (0xFB00, 0xFB06),
    (0xFE00, 0xFE00),
    (0xFE20, 0xFE2F),
    (0xFEFF, 0xFEFF),
    (0xFFFC, 0xFFFD),
)

# not drawn as glyphs: control and format characters (soft hyphen, zero-width
# space, joiners, BOM), line and paragraph separators
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


_BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")


class CharacterMap:
    def __init__(self, ranges: tuple[tuple[int, int], ...]):
        self.ranges = ranges
        self._starts = [a for a, _ in ranges]

    def __contains__(self, ch: str) -> bool:
        cp = ord(ch)
        i = bisect.bisect_right(self._starts, cp) - 1
        return i >= 0 and self.ranges[i][0] <= cp <= self.ranges[i][1]

    def lacks(self, text: str) -> list[tuple[int, str]]:
        """(index, character) of the first occurrence of every character of
        ``text`` the font cannot print."""
        # Latin up to Latin Extended-B (below U+0250) is all in the font
        seen: set[str] = set()
        out = []
        for m in _BEYOND_LATIN.finditer(text):
            i, ch = m.start(), m.group()
            if ch in seen or ch in self:
                continue
            seen.add(ch)
            if ch.isspace() or unicodedata.category(ch) in _INVISIBLE or _variation_selector(ch):
                continue
            out.append((i, ch))
        return out


def _variation_selector(ch: str) -> bool:
    """Ignored by text shaping (default-ignorable), never drawn."""
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


HOUSE = CharacterMap(NOTO_SANS_RANGES)


@functools.lru_cache(maxsize=4)
def character_map(font: Path | None) -> CharacterMap:
    """The map of ``font`` (a repository's own), or abuild's Noto Sans for None."""
    if font is None:
        return HOUSE
    return CharacterMap(ranges_of(font))


def ranges_of(font: Path) -> tuple[tuple[int, int], ...]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as f:
        cps = sorted(f.getBestCmap() or {})
    ranges: list[tuple[int, int]] = []
    for cp in cps:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return tuple(ranges)


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"{ch!r} (U+{ord(ch):04X}{' ' + name if name else ''})"
