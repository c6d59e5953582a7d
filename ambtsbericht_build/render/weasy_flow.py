"""Whether a box is in normal flow, asked with one call, in WeasyPrint 70.

``Box.is_in_normal_flow`` (``formatting_structure/boxes.py``) calls five
methods, each reading the box's ``float`` or ``position`` again; WeasyPrint
asks it 219,000 times on the benchmark report (3 % of the PDF writer's CPU).
:func:`is_in_normal_flow` reads the two values once and answers the same
five questions in the same order (no box class overrides any of them in
WeasyPrint 70: :func:`apply` checks).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_ASKED = ("is_floated", "is_absolutely_positioned", "is_running", "is_footnote", "is_note", "is_in_normal_flow")
_FLOATS = ("left", "right", "inline-start", "inline-end")  # Box.is_floated
_ABSOLUTE = ("absolute", "fixed")  # Box.is_absolutely_positioned


def is_in_normal_flow(self: Any) -> bool:
    """``not (is_floated or is_absolutely_positioned or is_running or is_footnote or is_note)``."""
    style = self.style
    float_ = style["float"]
    if float_ in _FLOATS:
        return False
    position = style["position"]
    return not (position in _ABSOLUTE or position[0] == "running()" or float_ == "footnote" or position[0] == "note()")


def _overridden() -> list[str]:
    """The box classes that define one of the five questions themselves."""
    found: list[str] = []
    todo = list(boxes.Box.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.extend(f"{cls.__name__}.{name}" for name in _ASKED if name in cls.__dict__)
    return found


_SWAPS = Swaps(
    "abuild's normal flow (render/weasy_flow.py)",
    [(boxes.Box, "is_in_normal_flow", is_in_normal_flow)],
    SUPPORTED,
    ready=lambda: not _overridden(),
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
