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


# the indent of a level under a level without numbers (common.css's .toc-level-2)
UNNUMBERED_STEP_EM = 1.5
# the house font's regular, whose space follows the number in the PDF's TOC line
REGULAR = "fonts/NotoSans-Regular.ttf"


@lru_cache(maxsize=1)
def _space_em() -> float:
    from fontTools.ttLib import TTFont

    font = TTFont(str(template_path(REGULAR)), lazy=True)
    return float(font["hmtx"].metrics[font.getBestCmap()[ord(" ")]][0] / font["head"].unitsPerEm)


def _fit_em(numbers: Iterable[str]) -> float:
    """The widest of ``numbers`` plus :data:`GAP_EM`, rounded up to 0.1 em (0: none)."""
    widths, digit = _advances()
    found = [sum(widths.get(ch, digit) for ch in n) for n in numbers if NUMBER.fullmatch(n)]
    return -(-round((max(found) + GAP_EM) * 100) // 10) / 10 if found else 0.0


def level_columns_css(entries: Iterable[tuple[int, str]]) -> str:
    """The PDF's TOC rules: each level's number column as wide as that
    level's widest number (``entries``: (level, number) of each TOC line),
    and each level indented to where the titles of the level above start.

    One column for every level (the widest number, "5.3.2", 2.9 em) left
    2.3 em between a chapter's "1" and its title: the titles of chapters
    stood far from their numbers. Now the example's columns are 1.2 em
    ("5"), 2.0 em ("5.3") and 2.9 em ("5.3.2"): a section's number starts
    under its chapter's title, a subsection's under its section's."""
    by_level: dict[int, list[str]] = {}
    for level, number in entries:
        by_level.setdefault(level, []).append(number)
    css, indent = [], 0.0
    for level in range(1, max(by_level, default=0) + 1):
        column = _fit_em(by_level.get(level, []))
        css.append(
            f"nav.toc li.toc-level-{level} {{ padding-left: {indent:.2f}em; }}\n"
            f"nav.toc li.toc-level-{level} .toc-number {{ min-width: {column:.1f}em; }}\n"
        )
        # the next level's numbers start where this level's titles do; under
        # a level without numbers, common.css's step (a report of unnumbered
        # chapters is still indented by level)
        indent += column + _space_em() if column else UNNUMBERED_STEP_EM
    return "".join(css)


def twips(em: float, pt: float = OFFICE_PT) -> int:
    """``em`` at ``pt`` in twips (1/20 pt), the DOCX's unit."""
    return round(em * pt * 20)


def cm(em: float, pt: float = OFFICE_PT) -> float:
    """``em`` at ``pt`` in centimetres, the ODT's unit."""
    return em * pt * 2.54 / 72
