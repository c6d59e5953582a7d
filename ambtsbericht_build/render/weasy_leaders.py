"""A dot leader as one run of text, in WeasyPrint 70.

WeasyPrint 70 fills a ``leader()`` with one copy of its text box per repeat
of the pattern: the benchmark report's three-level TOC (235 lines, pattern
``..``) became about 8,600 text boxes, each drawn as a text object of its own
and tagged. After WeasyPrint has laid out a line with a leader, we put the
dots in as one text box holding the pattern as many times over: one box to
draw and tag instead of ~37 a line.

The dots start :data:`GAP` after the title and end :data:`GAP` before the
page number on every line (docs/house-style.md). WeasyPrint's own rule sets
them on a grid from the line's right edge, so that the first dot stood
anywhere from 0 to one pattern (5.8 pt) after its title: the uneven gaps of
the example's TOC.

:func:`fill` lays the dots out again for a leader whose box was widened
after the layout (:mod:`.page_numbers` writes a page number narrower than
its placeholder).

The patch applies only to the WeasyPrint version it was written for
(``SUPPORTED``, pinned exactly in pyproject.toml); on any other :func:`apply`
raises, as :mod:`.weasy_footnotes` does.
"""

from __future__ import annotations

import math
from typing import Any

from weasyprint.layout import inline as _inline
from weasyprint.layout.leader import leader_index
from weasyprint.text.line_break import split_first_line

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _inline.handle_leader
# kept on the leader box (WeasyPrint's copies of a box copy its attributes)
PATTERN = "abuild_leader_pattern"  # the pattern's text box, as WeasyPrint built it
GRID = "abuild_leader_grid"  # the grid's right end, from the leader box's left edge
DY = "abuild_leader_dy"  # the dots' top, from the leader box's top
# the space between the dots and the text on either side, in em of the dots'
# font (0.3 em: 3.15 pt at the TOC's 10.5 pt, about a word space)
GAP = 0.3


def fill(leader_box: Any) -> None:
    """Set the dots of ``leader_box`` as one run, :data:`GAP` after the text
    before it and :data:`GAP` before the page number after it."""
    pattern = getattr(leader_box, PATTERN, None)
    if pattern is None or pattern.width <= 0 or not pattern.text:
        return
    w, left = pattern.width, leader_box.position_x
    gap = GAP * pattern.style["font_size"]
    room = leader_box.width - 2 * gap
    n = math.floor(room / w + 1e-9)
    if n <= 0:
        leader_box.children = ()
        return
    # WeasyPrint's own rule puts the dots on a grid from the line's right
    # edge, so the first dot stood 0 to one pattern (5.8 pt) after the title:
    # 0.03 pt after "1.2 Veiligheidssituatie", 5.5 pt after
    # "Mensenrechtenverdedigers" in the example. Here the n patterns that fit
    # are spread over the room by letter spacing (less than one pattern
    # shared by all the dots: 0.1 pt a dot on a TOC line of 40 patterns)
    text = pattern.text * n
    style = pattern.style.copy()
    extra = room - n * w
    style["letter_spacing"] = extra / (len(text) - 1) if len(text) > 1 else 0
    layout, _, _, width, _, _ = split_first_line(text, style, None, None, 0)
    run = pattern.copy_with_text(text)
    run.style = style
    run.pango_layout = layout
    run.width = width
    # pango adds the spacing after each dot, the last one's falls on the gap
    run.position_x = left + gap
    run.position_y = leader_box.position_y + getattr(leader_box, DY)
    leader_box.children = (run,)


def _handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    _, leader_box = leader_index(line)
    pattern = leader_box.children[0] if leader_box is not None and len(leader_box.children) == 1 else None
    _original(context, line, containing_block)
    if leader_box is None or pattern is None:
        return
    setattr(leader_box, PATTERN, pattern)
    # relative to the leader box, which WeasyPrint moves with its line
    setattr(leader_box, GRID, line.position_x + line.width - leader_box.position_x)
    setattr(leader_box, DY, pattern.position_y - leader_box.position_y)
    fill(leader_box)


# remove(): WeasyPrint's own leaders again (for the tests that compare with them)
_SWAPS = Swaps(
    "abuild's dot leaders (render/weasy_leaders.py)", [(_inline, "handle_leader", _handle_leader)], SUPPORTED
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
