"""Faster footnote areas for WeasyPrint 70.

WeasyPrint lays out the whole footnote area of a page again each time a note
is added to it, so a page with n notes lays out n(n+1)/2 notes. An
ambtsbericht has ~1,000 notes, 5–10 a page, and this alone doubled the PDF's
layout time. Each note's height depends only on the note and the area's
width, so we lay out each note once per width and add the heights.

The patch replaces ``LayoutContext._update_footnote_area`` and is applied
only to the WeasyPrint versions it was written and tested against
(``SUPPORTED``); a test renders the same document with and without it and
compares every page's text and the page count.
"""

from __future__ import annotations

from math import inf

import weasyprint
from weasyprint.formatting_structure import build
from weasyprint.layout import LayoutContext
from weasyprint.layout.block import block_level_layout

SUPPORTED = ("70.",)
_original = LayoutContext._update_footnote_area


def _update_footnote_area(self) -> bool:
    """Same contract as WeasyPrint's: set the area's height, move the page
    bottom, return True when the notes overflow the area."""
    area = self.current_footnote_area
    if area.height != "auto" and not self.in_column:
        self.page_bottom += area.margin_height()
    area.children = self.current_page_footnotes
    if not area.children:
        area.height = 0
        if not self.in_column:
            self.page_bottom -= area.margin_height()
        return False
    heights = self.__dict__.setdefault("_abuild_note_heights", {})
    total = 0
    for note in area.children:
        key = (id(note), area.width)
        height = heights.get(key)
        if height is None:
            alone = build.create_anonymous_boxes(area.copy_with_children([note.deepcopy()]))
            height = block_level_layout(self, alone, -inf, None, area.page)[0].height
            heights[key] = height
        total += height
    max_height = getattr(area, "max_height", inf)
    overflow = isinstance(max_height, (int, float)) and total > max_height
    area.height = min(total, max_height) if overflow else total
    if not self.in_column:
        self.page_bottom -= area.margin_height()
    return overflow


def enabled() -> bool:
    return LayoutContext._update_footnote_area is _update_footnote_area


def apply() -> bool:
    """Install the faster footnote area; False (and nothing changed) on an
    unsupported WeasyPrint."""
    if not weasyprint.__version__.startswith(SUPPORTED):
        return False
    LayoutContext._update_footnote_area = _update_footnote_area
    return True


def remove() -> None:
    LayoutContext._update_footnote_area = _original
