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

The preferred widths (``layout/preferred.py``: a margin box's, a table
cell's, an inline block's min- and max-content width) break text with
WeasyPrint's own ``split_first_line``, a word a line for the min-content
width, and had no memo: :func:`preferred_split_first_line` keeps their
answers in a memo of their own (4,331 calls on the benchmark report, 1,867
different questions once the pages share their margin boxes' styles,
:mod:`.weasy_margin_styles`).

The patch wraps whatever ``layout.inline.split_first_line`` and
``layout.preferred.split_first_line`` are when it is applied (abuild's
:mod:`.weasy_lines` for the line layout in the PDF writer), and applies only
to the WeasyPrint versions it was written and tested against
(:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import weasyprint
from weasyprint.layout import inline as _inline
from weasyprint.layout import preferred as _preferred
from weasyprint.text.line_break import Layout

SUPPORTED = ("70.0",)
# the functions the patch wraps, while it is applied: (owner, the memo's name on the context)
_SITES = ((_inline, "_abuild_splits"), (_preferred, "_abuild_preferred_splits"))
_wrapped: dict[str, Callable[..., Any]] = {}  # by memo name


def _remembered(memo_name: str) -> Callable[..., Any]:
    """A ``split_first_line`` that asks the wrapped one once per question and layout."""

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
        inner = _wrapped[memo_name]
        memo: dict[Any, Any] | None = getattr(context, "__dict__", {}).get(memo_name)
        if memo is None:
            if not hasattr(context, "__dict__"):
                return inner(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            memo = context.__dict__[memo_name] = {}
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

    return split_first_line


# the line layout's (inline.py) and the preferred widths' (preferred.py): two
# memos, since the line layout's wraps abuild's weasy_lines and preferred.py
# calls WeasyPrint's own
split_first_line = _remembered("_abuild_splits")
preferred_split_first_line = _remembered("_abuild_preferred_splits")
_OURS = {"_abuild_splits": split_first_line, "_abuild_preferred_splits": preferred_split_first_line}


def require() -> None:
    """PatchVersionError on any WeasyPrint but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version("WeasyPrint", weasyprint.__version__, SUPPORTED, "abuild's line memo (render/weasy_split_memo.py)")


def enabled() -> bool:
    return all(owner.split_first_line is _OURS[name] for owner, name in _SITES)


def apply() -> bool:
    """Install the patch (True); PatchVersionError, and nothing changed, on
    any WeasyPrint but :data:`SUPPORTED`."""
    require()
    for owner, name in _SITES:
        if owner.split_first_line is not _OURS[name]:
            _wrapped[name] = owner.split_first_line
            owner.split_first_line = _OURS[name]
    return True


def remove() -> None:
    for owner, name in _SITES:
        if owner.split_first_line is _OURS[name]:
            owner.split_first_line = _wrapped[name]
