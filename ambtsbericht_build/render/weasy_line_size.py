"""A line's size measured into one kept rectangle, in WeasyPrint 70.

WeasyPrint measures a line (``text/line_break.py`` ``line_size``: 60,000
times on the benchmark report) by allocating a Pango rectangle through cffi,
asking Pango for the line's extents, reading two fields and releasing the
rectangle. The rectangle is only written and read within the call, so
:func:`line_size` uses one allocated once (the layout runs in one thread),
with the same Pango call and the same arithmetic.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.text import line_break as _line_break
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_RECT = ffi.new("PangoRectangle *")


def line_size(line: Any, style: Any) -> tuple[float, float]:
    """WeasyPrint's ``line_size``: the line's logical width (with letter spacing) and height."""
    pango.pango_layout_line_get_extents(line, ffi.NULL, _RECT)
    width: float = _RECT.width * FROM_UNITS
    height: float = _RECT.height * FROM_UNITS
    if style["letter_spacing"] != "normal":
        width += style["letter_spacing"]
    return width, height


_SWAPS = Swaps(
    "abuild's line size (render/weasy_line_size.py)",
    [(_line_break, "line_size", line_size)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
