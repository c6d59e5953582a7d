"""A line's place beside floats, found at once where there are none, in WeasyPrint 70.

WeasyPrint asks ``avoid_collisions`` (``layout/float.py``) where each line
box may go, two or three times a line (``layout/inline.py``
``get_next_linebox``), and for each block that starts a formatting context.
Before it looks at the floats on the page (``context.excluded_shapes``) it
measures the box (``margin_width``, ``margin_height``), reads the direction
twice and builds four keyword lists; with no float on the page (an
ambtsbericht has none: its notes are ``float: footnote``, which is not an
excluded shape) all of that goes unused, and the answer is the containing
block's content box: 5.7 % of the layout's CPU (py-spy, 200 Hz).

:func:`avoid_collisions` answers that case itself, with WeasyPrint's
arithmetic in the same order (the same floats, bit for bit), and hands every
other case (a float on the page, a right-to-left containing block) to
WeasyPrint's own function. The benchmark report's 16 parts laid out in one
process: 8.68 -> 7.92 s of CPU and 169,000 -> 125,000 minor page faults
(median of 3, runs interleaved on a busy machine), every part's PDF the same
bytes.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block as _block
from weasyprint.layout import float as _float
from weasyprint.layout import inline as _inline

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _float.avoid_collisions


def avoid_collisions(context: Any, box: Any, containing_block: Any, outer: bool = True) -> Any:
    """WeasyPrint's ``avoid_collisions``: ``(position_x, position_y, available_width)``."""
    if context.excluded_shapes:
        return _original(context, box, containing_block, outer)
    position_y = box.position_y if outer else box.border_box_y()
    if box.border_height() == 0 and box.is_floated():
        return 0, position_y, containing_block.width
    if containing_block.style["direction"] != "ltr":
        return _original(context, box, containing_block, outer)
    max_left_bound = containing_block.content_box_x()
    max_right_bound = max_left_bound + containing_block.width
    if not outer:
        max_left_bound += box.margin_left
        max_right_bound -= box.margin_right
    # WeasyPrint's check of the boxes that cannot collide with floats
    assert (
        isinstance(box, boxes.LineBox)
        or box.is_floated()
        or box.is_table_wrapper
        or isinstance(box, boxes.BlockReplacedBox)
        or box.establishes_formatting_context()
    )
    position_x = max_left_bound  # left to right: at the left bound, whatever the box's float
    available_width = max_right_bound - max_left_bound
    if not outer:
        position_x -= box.margin_left
        position_y -= box.margin_top
    return position_x, position_y, available_width


_SWAPS = Swaps(
    "abuild's line placement without floats (render/weasy_collisions.py)",
    # the layout modules' own names for it (imported by name; replaced.py imports float's at each call)
    [(_float, "avoid_collisions", avoid_collisions), (_inline, "avoid_collisions", avoid_collisions)]
    + [(_block, "avoid_collisions", avoid_collisions)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
