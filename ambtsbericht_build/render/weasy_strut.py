"""A style's strut (line height and baseline) computed once per style, in WeasyPrint 70.

WeasyPrint asks for the strut of a line's style for every line box and
every text box it lays out (``layout/inline.py``: 41,000 times on the
benchmark report). Its own cache is keyed by a string it builds each time
from sixteen style values (``_font_style_cache_key``), which cost more than
the answer: 2 % of the PDF writer's CPU. The answer depends only on the
style's values, and a computed style's values do not change once computed
(WeasyPrint copies a style before changing it); so :func:`strut` keeps the
answer on the style object itself, and a copy, a new object, asks again.

Only the layout's calls are patched (``layout/inline.py``); the calls made
while styles are still being computed (``css/units.py``,
``css/computed_values.py``) keep WeasyPrint's own function. The patch
applies only to the WeasyPrint versions it was written and tested against
(:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline as _inline
from weasyprint.text import line_break as _line_break

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _line_break.strut


def strut(style: Any) -> Any:
    """WeasyPrint's ``strut(style)``, kept on the style."""
    kept = style.__dict__.get("_abuild_strut")
    if kept is None:
        kept = style.__dict__["_abuild_strut"] = _original(style)
    return kept


_SWAPS = Swaps(
    "abuild's strut memo (render/weasy_strut.py)",
    [(_inline, "strut", strut)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
