"""No word left alone on a line because of a trailing space, in WeasyPrint 70.

A run of text that an inline element follows (a link, an ``abbr``, a note
call) ends in a space. WeasyPrint asks Pango to wrap the run; Pango fits the
whole run on the line, since a space at a line's end takes no room. WeasyPrint
then measures the run *with* its trailing space, finds it wider than the line
(0.22 px on the example's page 40), takes that for "cannot be split earlier"
and keeps only the first word: "Voorbeeldland: UN" | "experts alarmed ..."
in the OHCHR entry of the source annex (issue #11). Any paragraph whose line
happens to end just there shows a lone word.

:func:`split_first_line` gives WeasyPrint's answer, unless that answer is a
single word while the run without its trailing spaces fits the line: then the
line gets the run's trailing spaces as room, so the whole run stays on the
line and the break falls after it (WeasyPrint's line layout already lets a
trailing space hang over the line's end). The extra measurement is made only
for a one-word line, which is rare.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline as _inline
from weasyprint.text import line_break as _line_break

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _line_break.split_first_line


def split_first_line(
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> Any:
    """WeasyPrint's ``split_first_line``, without the lone first word."""
    result = _original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    resume = result[2]
    if (
        max_width is None
        or resume is None
        or minimum
        or not text.endswith(" ")
        or style["white_space"] != "normal"
        or " " in text.encode()[: result[1]].decode(errors="ignore").strip(" ")
    ):
        return result
    stripped = text.rstrip(" ")
    if "\n" in stripped:
        return result
    width = _width(stripped, style, context, justification_spacing)
    if width > max_width:
        return result  # the run does not fit: WeasyPrint's break stands
    room = _width(text, style, context, justification_spacing) - width
    return _original(text, style, context, max_width + room + 0.01, justification_spacing, is_line_start, minimum)


def _width(text: str, style: Any, context: Any, justification_spacing: float) -> float:
    layout = _line_break.create_layout(text, style, context, None, justification_spacing)
    try:
        line, _ = layout.get_first_line()
        width: float = _line_break.line_size(line, style)[0]
        return width
    finally:
        layout.deactivate()


_SWAPS = Swaps(
    "abuild's line breaking (render/weasy_lines.py)", [(_inline, "split_first_line", split_first_line)], SUPPORTED
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
