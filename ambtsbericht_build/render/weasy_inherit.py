"""A property an element does not set, computed without the general path, in WeasyPrint 70.

WeasyPrint computes each property of each element's style when it is first
read (``css/__init__.py`` ``ComputedStyle.__missing__``): 667,000 times on the
benchmark report, 6 % of the PDF writer's CPU. Most of these are properties
no rule sets on that element, whose computed value is the parent's (an
inherited property) or the initial value (any other), yet each goes through
the general path: the name rewritten for logical properties, the cascade,
``var()``, the special cases.

:func:`missing` answers those two cases directly, with exactly the general
path's steps for them: the parent's computed value for an inherited
property, the initial value for a property whose initial value needs no
computing (``INITIAL_NOT_COMPUTED``), each stored in the style as WeasyPrint
stores it. Everything else (a property the element's rules set, a logical
or physical property, ``float``/``display``/``position``/``page``, text
decorations, custom properties, a value holding a math function, the root
element's inherited properties) goes to WeasyPrint's own ``__missing__``
(the tests compare every property of every element's style).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.css import ComputedStyle
from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS
from weasyprint.css.functions import check_math
from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = ComputedStyle.__missing__
# the general path's special cases, none of them inherited (apply checks)
_SPECIAL = frozenset(
    {
        "float",
        "display",
        "position",
        "page",
        *PHYSICAL_FUNCTIONS,
        *(k for k in INITIAL_VALUES if k[:16] == "text_decoration_"),
    }
)
_INHERITED = frozenset(INHERITED) - _SPECIAL
_PLAIN_INITIAL = frozenset(INITIAL_VALUES) - _SPECIAL - frozenset(INHERITED) - frozenset(INITIAL_NOT_COMPUTED)


def missing(self: Any, key: str) -> Any:
    """``ComputedStyle.__missing__``: an unset inherited or plain initial property directly."""
    if key not in self.cascaded:
        if key in _INHERITED:
            parent = self.parent_style
            if parent is not None:
                value = parent[key]  # the parent's computed value
                if not check_math(value):
                    self[key] = value
                    return value
        elif key in _PLAIN_INITIAL:
            value = INITIAL_VALUES[key]
            if not check_math(value):
                self[key] = value
                return value
    return _original(self, key)


_SWAPS = Swaps(
    "abuild's computed styles (render/weasy_inherit.py)",
    [(ComputedStyle, "__missing__", missing)],
    SUPPORTED,
    ready=lambda: not _SPECIAL & frozenset(INHERITED),
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
