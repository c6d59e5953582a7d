"""A line's Pango layout kept from line breaking to drawing, in WeasyPrint 70.

When WeasyPrint has broken a line (``text/line_break.py``
``first_line_metrics``) it lays the line's text out once more, at no width,
to measure it, and then lets the Pango layout go (``Layout.deactivate``);
when it draws the line it makes a new Pango layout of the same text with the
same style (``Layout.reactivate``) and lays it out again: on the benchmark
report ~16,000 lines, 4 % of the PDF writer's CPU. (A line that ends its
text is measured at the line's width, not kept, and drawn as before.)

The new layout is the same as the one let go when nothing but the text and
the style makes it: :func:`first_line_metrics` keeps the measured layout (a
broken line's, measured at no width, as drawn) on the line when the line's
style adds no spacing or break attributes (they accumulate in a layout's
attribute list from one ``set_text`` to the next, so a reused layout could
carry an earlier text's) and the text holds no paragraph separator (the
layout is measured in single-paragraph mode, as drawing sets it, so that the
draw finds its lines laid out), and :func:`reactivate` hands it back when
it is asked for with the same style object, the same text and no
justification spacing.
Anything else gets WeasyPrint's new layout. A kept layout is used once: the
draw that takes it is the only one. The PDF is byte for byte the same (the
tests compare); a laid-out part holds its lines' layouts until it is drawn
(a few MB for a part of the benchmark report).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.text import line_break as _line_break
from weasyprint.text.ffi import FROM_UNITS, pango

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
KEPT = "_abuild_kept"  # the Layout attribute holding (pango layout, style, language, text)
# what ends a paragraph for Pango (and the line separators, to be safe)
_SEPARATORS = frozenset("\n\r\x85\u2028\u2029")
_original_reactivate = _line_break.Layout.reactivate


def _plain(style: Any) -> bool:
    """Whether ``Layout.set_text`` adds no attributes for this style."""
    return (
        not style["word_spacing"]
        and style["letter_spacing"] == "normal"
        and style["overflow_wrap"] not in ("anywhere", "break-word")
    )


def first_line_metrics(
    first_line: Any,
    text: str,
    layout: Any,
    resume_at: int | None,
    space_collapse: bool,
    style: Any,
    hyphenated: bool = False,
    hyphenation_character: str | None = None,
) -> tuple[Any, int, int | None, float, float, float]:
    """WeasyPrint's ``first_line_metrics``, step for step; the measured
    Pango layout kept on ``layout`` for drawing where that is safe."""
    length = first_line.length
    keep = False
    if hyphenated:
        assert hyphenation_character is not None
        length -= len(hyphenation_character.encode())
    elif resume_at:
        pango.pango_layout_set_width(layout.layout, -1)
        first_line_text = text.encode()[:length].decode()
        if space_collapse:
            first_line_text = first_line_text.rstrip(" ")
        keep = _plain(layout.style) and _SEPARATORS.isdisjoint(first_line_text)
        if keep:
            # as drawing sets it (draw_first_line), so that the draw finds the
            # lines laid out; without a paragraph separator it changes nothing
            pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        layout.set_text(first_line_text)
        first_line, _ = layout.get_first_line()
        length = first_line.length if first_line is not None else 0
    width, height = _line_break.line_size(first_line, style)
    baseline = pango.pango_layout_get_baseline(layout.layout) * FROM_UNITS
    if keep:
        layout.__dict__[KEPT] = (layout.layout, layout.style, layout.language, layout.text)
    layout.deactivate()
    return layout, length, resume_at, width, height, baseline


def reactivate(self: Any, style: Any) -> None:
    """WeasyPrint's ``Layout.reactivate``: the kept layout when it is the one this would make."""
    kept = self.__dict__.pop(KEPT, None)
    if kept is not None and kept[1] is style and kept[3] == self.text and not self.justification_spacing:
        pango_layout = kept[0]
        # a new layout has no width (Pango changes nothing if this one has none either)
        pango.pango_layout_set_width(pango_layout, -1)
        self.style = style
        self.first_line_direction = 0
        self.layout = pango_layout
        self.language = kept[2]
        return
    _original_reactivate(self, style)


_SWAPS = Swaps(
    "abuild's kept layouts (render/weasy_keep_layout.py)",
    [(_line_break, "first_line_metrics", first_line_metrics), (_line_break.Layout, "reactivate", reactivate)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
