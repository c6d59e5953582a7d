"""A font subset without reading the layout tables it drops, in WeasyPrint 70.

Where HarfBuzz's subsetter is not installed (``libharfbuzz-subset``: Debian's
``libharfbuzz-subset0``, which ``make browser``'s chromium brings along, so CI
has it and a drafter's machine may not), WeasyPrint subsets every font of every
PDF with fontTools (``pdf/fonts.py`` ``Font._fonttools_subset``): each layout
worker, for each part it writes, three times (Noto Sans regular, bold and
italic). It asks fontTools to drop the GSUB and GPOS tables, but fontTools
4.68's ``Subsetter.subset`` first reads them whole (``_compact_layout_tables``
decompiles both, ~6,000 lookups of Noto Sans, to see whether they use its
compact formats), and only then drops them (``_prune_pre_subset``): 2.2 s of
the 13.9 s of CPU that laying out and writing the benchmark report's 16
parts took in one process (py-spy, 200 Hz).

:func:`fonttools_subset` is WeasyPrint's function with one step more: before
the subset, the font's GSUB and GPOS tables are deleted unread when the
options drop them, and its ``kern`` table when fontTools would drop it for
the GPOS table it had (``_prune_pre_subset``: no legacy ``kern`` beside a
GPOS). Nothing else reads those tables before fontTools drops them, so the
subset font is the same bytes (the tests compare, fonts and PDFs).
Laying out and writing the 16 parts: 13.9 -> 11.7 s of CPU (median of 3).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`), with fontTools 4.x (the subsetter's steps); on
any other :func:`apply` raises.
"""

from __future__ import annotations

import io
from typing import Any

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError
from weasyprint.pdf import fonts as _fonts

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _fonts.Font._fonttools_subset

# the tables fontTools' Subsetter.subset decompiles before it drops them
_READ_THEN_DROPPED = ("GSUB", "GPOS")


def drop_unread(font: Any, options: Any) -> None:
    """Delete, unread, the tables ``options`` drop that the subsetter would
    decompile first; and ``kern`` where the subsetter drops it for the GPOS
    table the font had (fontTools' ``_prune_pre_subset``)."""
    if "GPOS" in font and "kern" in font and not options.legacy_kern:
        del font["kern"]
    for tag in _READ_THEN_DROPPED:
        if tag in options.drop_tables and tag in font:
            del font[tag]


def fonttools_subset(self: Any, to_unicode: Any, hinting: Any) -> None:
    """WeasyPrint's ``Font._fonttools_subset``, the dropped layout tables not read."""
    full_font = io.BytesIO(self.file_content)

    # Set subset options.
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        hinting=hinting,
        desubroutinize=True,
        notdef_outline=bool(self.missing),
    )
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=to_unicode)

    # Subset font.
    try:
        ttfont = TTFont(full_font, fontNumber=self.index)
        drop_unread(ttfont, options)
        subsetter.subset(ttfont)
    except TTLibError as exception:
        _fonts.LOGGER.warning('Unable to subset "%s" with fontTools', self.family)
        _fonts.LOGGER.debug("Original exception:", exc_info=exception)
    else:
        optimized_font = io.BytesIO()
        ttfont.save(optimized_font)
        self.file_content = optimized_font.getvalue()


def _fonttools_4() -> bool:
    return str(fontTools.version).split(".")[0] == "4"


_SWAPS = Swaps(
    "abuild's font subset (render/weasy_font_subset.py)",
    [(_fonts.Font, "_fonttools_subset", fonttools_subset)],
    SUPPORTED,
    ready=_fonttools_4,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
