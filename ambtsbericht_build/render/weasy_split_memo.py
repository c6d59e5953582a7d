"""A run of text broken at the same width once per layout, in WeasyPrint 70.

WeasyPrint breaks every run of text into lines with Pango (``layout/inline.py``
``split_text_box`` → ``split_first_line``), and breaks the same run at the
same width again whenever it lays the same boxes out again: every footnote
is laid out alone to measure it (:mod:`.weasy_footnotes`) and then in the
page's footnote area, and a block pushed to the next page is laid out anew
there. On the benchmark report 21,300 of these calls were only 15,900
different questions; each costs one to three Pango layouts of up to four
lines' worth of text (``Layout.get_first_line``: 14 % of the PDF writer's
CPU).

The answer is a function of the question: the text, the computed style (the
same object: a style is not changed once it is computed, and a copy is a new
object), the width, the justification spacing and the two flags. So
:func:`split_first_line` keeps each answer for the rest of the layout (on the
``LayoutContext``: one document's layout) and answers a repeated question
with a copy of it. The answer's Pango layout has been let go by then
(``first_line_metrics`` calls ``deactivate``): what remains is plain data
(the line's text and a few metrics) that the text box keeps and later uses
to make a new Pango layout for drawing; each answer gets its own copy of it,
so a text box that changes its own never changes another's. An answer whose
Pango layout is still held is not kept.

The patch wraps whatever ``layout.inline.split_first_line`` is when it is
applied (abuild's :mod:`.weasy_lines` in the PDF writer), and applies only
to the WeasyPrint versions it was written and tested against
(:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

import weasyprint
from weasyprint.layout import inline as _inline
from weasyprint.text.line_break import Layout

SUPPORTED = ("70.0",)
_wrapped: list[Any] = []  # the function the patch wraps, while it is applied


def split_first_line(
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> Any:
    """The wrapped ``split_first_line``'s answer; asked once per question and layout."""
    inner = _wrapped[0]
    memo: dict[Any, Any] | None = getattr(context, "__dict__", {}).get("_abuild_splits")
    if memo is None:
        if not hasattr(context, "__dict__"):
            return inner(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        memo = context.__dict__["_abuild_splits"] = {}
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    kept = memo.get(key)
    if kept is not None and kept[0] is style:
        layout = Layout.__new__(Layout)
        layout.__dict__.update(kept[1])
        return (layout, *kept[2])
    result = inner(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    layout = result[0]
    if type(layout) is Layout and "layout" not in layout.__dict__:
        # the entry keeps the style alive, so its id cannot be reused by another style
        # abuild's own attributes (a kept Pango layout, weasy_keep_layout.py) stay the first answer's
        kept = {name: value for name, value in layout.__dict__.items() if not name.startswith("_abuild")}
        memo[key] = (style, kept, tuple(result[1:]))
    return result


def require() -> None:
    """PatchVersionError on any WeasyPrint but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version("WeasyPrint", weasyprint.__version__, SUPPORTED, "abuild's line memo (render/weasy_split_memo.py)")


def enabled() -> bool:
    return _inline.split_first_line is split_first_line


def apply() -> bool:
    """Install the patch (True); PatchVersionError, and nothing changed, on
    any WeasyPrint but :data:`SUPPORTED`."""
    require()
    if not enabled():
        _wrapped[:] = [_inline.split_first_line]
        _inline.split_first_line = split_first_line
    return True


def remove() -> None:
    if enabled():
        _inline.split_first_line = _wrapped[0]
