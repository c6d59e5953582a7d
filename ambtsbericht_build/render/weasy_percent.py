"""A box's percentages resolved without a call per property, in WeasyPrint 70.

WeasyPrint resolves the used margins, paddings, widths and heights of every
box it lays out (``layout/percent.py`` ``resolve_percentages``) by two
function calls per property, thirteen properties a box: on the benchmark
report 53,400 boxes, 712,000 ``resolve_one_percentage`` calls and as many of
``percentage``, 2.1 s of the 39 s profiled whole-document layout. Nearly every
value is a length in px or ``auto``, which need no percentage at all.

:func:`resolve_percentages` does the same steps in the same order (so the
style's lazily computed values are asked for in the same order too) and
answers a length or ``auto`` in place; anything else (a percentage, a
``calc()``, None) goes to WeasyPrint's own ``percentage``, so every used
value is the one WeasyPrint computes (the tests compare them box by box).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from math import inf
from types import ModuleType
from typing import Any

from weasyprint.css.functions import check_math
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes
from weasyprint.layout import absolute, block, column, grid, inline, page, percent, table
from weasyprint.layout import float as float_

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_percentage = percent.percentage
_adjust_box_sizing = percent.adjust_box_sizing
# the modules that imported the function by name, and the module that defines it
_USERS: tuple[ModuleType, ...] = (percent, absolute, block, column, float_, grid, inline, page, table)


def _used(box: Any, style: Any, name: str, refer_to: Any) -> None:
    """``resolve_one_percentage(box, name, refer_to)``: a length or ``auto`` in place."""
    value = style[name]
    if value.__class__ is Dimension and value.unit is not None:
        used = refer_to * value.value / 100 if value.unit == "%" else value.value
    elif value == "auto":
        used = value
    else:
        used = _percentage(value, style, refer_to)
    if used == "auto" and (name == "min_width" or name == "min_height"):
        used = 0
    setattr(box, name, used)


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """WeasyPrint's ``resolve_percentages``, step for step."""
    if isinstance(containing_block, boxes.Box):
        cb_width = containing_block.width
        cb_height = containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    _used(box, style, "margin_left", cb_width)
    _used(box, style, "margin_right", cb_width)
    _used(box, style, "margin_top", maybe_height)
    _used(box, style, "margin_bottom", maybe_height)
    _used(box, style, "padding_left", cb_width)
    _used(box, style, "padding_right", cb_width)
    _used(box, style, "padding_top", maybe_height)
    _used(box, style, "padding_bottom", maybe_height)
    _used(box, style, "width", cb_width)
    _used(box, style, "min_width", cb_width)
    _used(box, style, "max_width", cb_width)
    if cb_height == "auto":
        height = style["height"]
        if height == "auto":
            box.height = "auto"
        elif height.__class__ is not Dimension or height.unit == "%":
            # WeasyPrint: a calc() (check_math) or a percentage
            _original_height(box, height)
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        _used(box, style, "min_height", 0)
        _used(box, style, "max_height", inf)
    else:
        _used(box, style, "height", cb_height)
        _used(box, style, "min_height", cb_height)
        _used(box, style, "max_height", cb_height)

    collapse = style["border_collapse"] == "collapse"
    for prop in ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width"):
        if not (collapse and hasattr(box, prop)):
            setattr(box, prop, style[prop])
    _adjust_box_sizing(box, "width")
    _adjust_box_sizing(box, "height")


def _original_height(box: Any, height: Any) -> None:
    """WeasyPrint's branch for a height that is not a length, under a containing block of auto height."""
    if height == "auto" or check_math(height) or height.unit == "%":
        box.height = "auto"
    else:
        assert height.unit.lower() == "px"
        box.height = height.value


_SWAPS = Swaps(
    "abuild's percentages (render/weasy_percent.py)",
    [(module, "resolve_percentages", resolve_percentages) for module in _USERS],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
