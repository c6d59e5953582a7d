"""A dot leader as one run of text, in WeasyPrint 70.

WeasyPrint 70 fills a ``leader()`` with one copy of its text box per repeat
of the pattern: the benchmark report's three-level TOC (235 lines, pattern
``..``) became about 8,600 text boxes, each drawn as a text object of its own
and tagged. After WeasyPrint has laid out a line with a leader, we put the
same dots at the same places (on WeasyPrint's grid from the line's right
edge, so the dots of all lines stand in one column) as one text box holding
the pattern as many times over: one box to draw and tag instead of ~37 a
line (the tests compare the dots' positions with WeasyPrint's own).

:func:`fill` lays the dots out again for a leader whose box was widened
after the layout (:mod:`.page_numbers` writes a page number narrower than
its placeholder), by the same rule WeasyPrint uses.

The patch applies only to the WeasyPrint version it was written for
(``SUPPORTED``, pinned exactly in pyproject.toml); on any other :func:`apply`
raises, as :mod:`.weasy_footnotes` does.
"""

from __future__ import annotations

import math
from typing import Any

import weasyprint
from weasyprint.layout import inline as _inline
from weasyprint.layout.leader import leader_index
from weasyprint.text.line_break import split_first_line

SUPPORTED = ("70.0",)
_original = _inline.handle_leader
# kept on the leader box (WeasyPrint's copies of a box copy its attributes)
PATTERN = "abuild_leader_pattern"  # the pattern's text box, as WeasyPrint built it
GRID = "abuild_leader_grid"  # the grid's right end, from the leader box's left edge
DY = "abuild_leader_dy"  # the dots' top, from the leader box's top


def fill(leader_box: Any) -> None:
    """Set the dots of ``leader_box`` as WeasyPrint 70 does (one copy of the
    pattern at each grid place that lies wholly inside the box), as one run."""
    pattern = getattr(leader_box, PATTERN, None)
    if pattern is None or pattern.width <= 0:
        return
    w, left = pattern.width, leader_box.position_x
    right = left + leader_box.width
    grid = left + getattr(leader_box, GRID)
    # the places grid - k*w (k >= 1) with left <= place and place + w <= right,
    # as WeasyPrint tests them (a small tolerance for the float arithmetic)
    first_k = max(1, math.ceil(1 + (grid - right) / w - 1e-9))
    last_k = math.floor((grid - left) / w + 1e-9)
    n = last_k - first_k + 1
    if n <= 0:
        leader_box.children = ()
        return
    text = pattern.text * n
    layout, _, _, width, _, _ = split_first_line(text, pattern.style, None, None, 0)
    run = pattern.copy_with_text(text)
    run.pango_layout = layout
    run.width = width
    run.position_x = grid - last_k * w
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


def remove() -> None:
    """WeasyPrint's own leaders again (for the tests that compare with them)."""
    _inline.handle_leader = _original


def enabled() -> bool:
    return _inline.handle_leader is _handle_leader


def apply() -> None:
    """Install the patch; PatchVersionError, and nothing changed, on any
    WeasyPrint but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version("WeasyPrint", weasyprint.__version__, SUPPORTED, "abuild's dot leaders (render/weasy_leaders.py)")
    _inline.handle_leader = _handle_leader
