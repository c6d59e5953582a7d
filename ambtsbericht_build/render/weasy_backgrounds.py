"""A box without background or rounded corners passed over at once, in WeasyPrint 70.

After a page is laid out WeasyPrint walks every box on it
(``layout/background.py`` ``layout_box_backgrounds``) to resolve its corner
radii and lay out its background. Nearly every box of an ambtsbericht has
neither (square corners, a transparent background, no image, no shadow), and
for each WeasyPrint still reads some fifteen style values, parses the colour
and builds the image list, only to set the four radii to ``(0, 0)`` and the
background to None: 0.36 s of the ~8 s of CPU the benchmark report's layout took.

Whether a box is such a box depends only on its style (the radii, the
border and mask images, the shadow, the visibility, the background's images
and colour), and a computed style does not change once computed (WeasyPrint
copies a style before changing it): :func:`layout_box_backgrounds` keeps the
answer on the style (as weasy_strut.py does) and, for such a box, does what
WeasyPrint does for it (the radii, the children, no background); any other
box (and the page, and a box laid out with another box's style: the canvas)
goes to WeasyPrint's own function. The benchmark report's 16 parts laid out
in one process: ``layout_backgrounds`` (234 pages) 0.36 -> 0.24 s of CPU
(2 runs each), every part's PDF the same bytes.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.draw.color import get_color
from weasyprint.layout import background as _background

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _background.layout_box_backgrounds
_RADII = tuple(f"border_{corner}_radius" for corner in ("top_left", "top_right", "bottom_right", "bottom_left"))
_SQUARE = (0, "px")  # resolve_radii_percentages' short track: either radius zero
_KEPT = "_abuild_no_background"


def _none(style: Any) -> bool:
    """Square corners, no border or mask image, no shadow, and no background
    (hidden, or no image and a transparent colour): WeasyPrint sets the radii
    to (0, 0) and the background to None, fetching nothing."""
    if any(_SQUARE not in style[name] for name in _RADII):
        return False
    if style["border_image_source"][0] != "none" or style["mask_border_source"][0] != "none":
        return False
    if style["box_shadow"]:
        return False
    if style["visibility"] == "hidden":
        return True
    if any(type_ == "url" or value for type_, value in style["background_image"]):
        return False  # an image (to fetch, or a gradient): WeasyPrint's own
    return bool(get_color(style, "background_color").alpha == 0)


def layout_box_backgrounds(
    page: Any, box: Any, get_image_from_uri: Any, layout_children: bool = True, style: Any = None
) -> None:
    """WeasyPrint's ``layout_box_backgrounds``, a box without any of it passed over."""
    box_style = box.style
    if box is page or (style is not None and style is not box_style):
        _original(page, box, get_image_from_uri, layout_children, style)
        return
    none = box_style.__dict__.get(_KEPT)
    if none is None:
        none = box_style.__dict__[_KEPT] = _none(box_style)
    if not none:
        _original(page, box, get_image_from_uri, layout_children, style)
        return
    for name in _RADII:
        setattr(box, name, (0, 0))
    if layout_children:
        for child in box.all_children():
            layout_box_backgrounds(page, child, get_image_from_uri)
    box.background = None


_SWAPS = Swaps(
    "abuild's backgrounds (render/weasy_backgrounds.py)",
    [(_background, "layout_box_backgrounds", layout_box_backgrounds)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
