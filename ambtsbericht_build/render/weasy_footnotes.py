"""Footnotes on the page of their call, laid out fast, in WeasyPrint 70.

WeasyPrint lays out the whole footnote area of a page again each time a note
is added to it, so a page with n notes lays out n(n+1)/2 notes. An
ambtsbericht has ~1,000 notes, 5–10 a page, and this alone doubled the PDF's
layout time. Each note's height depends only on the note and the area's
width, so we lay out each note once per width and add the heights.

Second, when a line does not fit at the bottom of a page and its paragraph
may not break before it (orphans), WeasyPrint moves notes already set on the
page to the next page to make room, separating them from their calls (and in
some cases losing one). Inside ``_linebox_layout`` that move is allowed only
when ``context.in_column`` is false; we make it read true there, so the line
moves to the next page instead and every note stays with its call.

Third, every laid-out line asks for each of its boxes whether it calls a
note still waiting in ``context.footnotes``, a list of up to a thousand
notes: we keep that list with a set of its members, so the question is
answered at once instead of by a scan.

The patches apply only to the WeasyPrint versions they were written and
tested against (``SUPPORTED``, pinned exactly in pyproject.toml); on any other
:func:`apply` raises, and the render stops instead of laying out the report
without them (notes moved off their call's page). The tests compare pages
with and without them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from math import inf
from typing import Any, NoReturn

import weasyprint
from weasyprint.formatting_structure import build
from weasyprint.layout import LayoutContext
from weasyprint.layout import block as _block
from weasyprint.layout.block import block_level_layout

SUPPORTED = ("70.0",)
_original = LayoutContext._update_footnote_area


def _update_footnote_area(self: Any) -> bool:
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
        # the entry keeps the note alive, so its id cannot be reused by another box
        key = (id(note), area.width)
        entry = heights.get(key)
        if entry is None or entry[0] is not note:
            alone = build.create_anonymous_boxes(area.copy_with_children([note.deepcopy()]))
            entry = (note, block_level_layout(self, alone, -inf, None, area.page)[0].height)
            heights[key] = entry
        total += entry[1]
    max_height = getattr(area, "max_height", inf)
    overflow = isinstance(max_height, (int, float)) and total > max_height
    area.height = min(total, max_height) if overflow else total
    if not self.in_column:
        self.page_bottom -= area.margin_height()
    return overflow


_LINEBOX_CODE = _block._linebox_layout.__code__


def _get_in_column(self: Any) -> bool:
    if sys._getframe(1).f_code is _LINEBOX_CODE:
        return True  # never move earlier notes off the page to make room for a line
    return bool(self.__dict__.get("_abuild_in_column", False))


def _set_in_column(self: Any, value: bool) -> None:
    self.__dict__["_abuild_in_column"] = value


_in_column = property(_get_in_column, _set_in_column)


class _NoteList(list[Any]):
    """A list that knows its members by identity (boxes compare by identity)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._ids: dict[int, int] = {}
        for item in self:
            self._ids[id(item)] = self._ids.get(id(item), 0) + 1

    def __contains__(self, item: object) -> bool:
        return self._ids.get(id(item), 0) > 0

    def append(self, item: Any) -> None:
        super().append(item)
        self._ids[id(item)] = self._ids.get(id(item), 0) + 1

    def remove(self, item: Any) -> None:
        super().remove(item)
        self._ids[id(item)] -= 1

    def _changed(*_args: Any, **_kwargs: Any) -> NoReturn:  # any other mutation: not used by WeasyPrint 70
        raise NotImplementedError("abuild's note list supports append and remove only")

    extend = insert = pop = clear = sort = reverse = __setitem__ = __delitem__ = __iadd__ = _changed

    def copy(self) -> list[Any]:
        return list(self)


def _get_footnotes(self: Any) -> _NoteList:
    notes: _NoteList = self.__dict__["_abuild_footnotes"]
    return notes


def _set_footnotes(self: Any, value: Iterable[Any]) -> None:
    self.__dict__["_abuild_footnotes"] = _NoteList(value)


_footnotes = property(_get_footnotes, _set_footnotes)


def enabled() -> bool:
    return (
        LayoutContext._update_footnote_area is _update_footnote_area
        and LayoutContext.__dict__.get("in_column") is _in_column
    )


def apply() -> bool:
    """Install the patches (True); PatchVersionError, and nothing changed, on
    any WeasyPrint but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version(
        "WeasyPrint", weasyprint.__version__, SUPPORTED, "abuild's footnote layout (render/weasy_footnotes.py)"
    )
    LayoutContext._update_footnote_area = _update_footnote_area
    LayoutContext.in_column = _in_column
    LayoutContext.footnotes = _footnotes
    return True


def remove() -> None:
    LayoutContext._update_footnote_area = _original
    for name, patch in (("in_column", _in_column), ("footnotes", _footnotes)):
        if LayoutContext.__dict__.get(name) is patch:
            delattr(LayoutContext, name)
