"""The width of a table of contents' number column, from the deepest number.

The PDF's column was a fixed 3.4 em (room for "10.1.1") and the DOCX and ODT
had none: a title followed its number after a space, so the titles of "9.2"
and "10.1.2" did not line up (issue #11). Every format now sets its TOC's
numbers in a column as wide as the widest number it lists, measured in the
house font's bold (a chapter's entry is bold), plus a gap: 2.9 em for the
example's "5.3.2", 3.5 em for "10.1.2".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..house_style import template_path

# the gap between a number and its title, and the narrowest column (a
# report with one-digit numbers only: "1", "2")
GAP_EM = 0.6
MIN_EM = 2.0
# a heading's number as the TOC prints it in the column: "1", "10.1.2"
NUMBER = re.compile(r"\d+(?:\.\d+)*")
# the body text's size in the office formats (reference.docx, reference.odt), as the PDF's
OFFICE_PT = 10.5
# the house font's bold: abuild's own file (a repository's font override
# changes the letters little; the column keeps the gap)
BOLD = "fonts/NotoSans-Bold.ttf"


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[str, float], float]:
    """Advance width (em) of each digit and the period, and the widest digit."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(template_path(BOLD)), lazy=True)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    em = font["head"].unitsPerEm
    widths = {ch: metrics[cmap[ord(ch)]][0] / em for ch in "0123456789." if ord(ch) in cmap}
    return widths, max((w for c, w in widths.items() if c != "."), default=0.6)


def number_width_em(numbers: Iterable[str]) -> float:
    """The column's width in em: the widest of ``numbers`` (those a TOC sets
    in its column, :data:`NUMBER`) plus :data:`GAP_EM`, rounded up to 0.1 em."""
    widths, digit = _advances()
    widest = max(
        (sum(widths.get(ch, digit) for ch in n) for n in numbers if NUMBER.fullmatch(n)),
        default=0.0,
    )
    return max(MIN_EM, -(-round((widest + GAP_EM) * 100) // 10) / 10)


def twips(em: float, pt: float = OFFICE_PT) -> int:
    """``em`` at ``pt`` in twips (1/20 pt), the DOCX's unit."""
    return round(em * pt * 20)


def cm(em: float, pt: float = OFFICE_PT) -> float:
    """``em`` at ``pt`` in centimetres, the ODT's unit."""
    return em * pt * 2.54 / 72
