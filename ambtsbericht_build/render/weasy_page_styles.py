"""A page's margin-box styles found without scanning every page's, in WeasyPrint 70.

For each page, WeasyPrint adds the ``@page`` declarations for the page's
type and then computes the styles of the page's margin boxes by scanning all
cascaded page styles for the entries of an equal page type
(``layout/page.py`` ``set_page_type_computed_styles``). Every page has its
own page type (it carries the page's index), so the scan grows with every
page laid out: quadratic in the page count, ~4,000 entries per page by the
end of the benchmark report laid out whole.

:func:`set_page_type_computed_styles` keeps, per page type, the cascaded
entries of that type in the order they were added (they are only ever added,
by ``add_page_declarations``, at the end of the dictionary, which keeps its
insertion order) and computes the same styles in the same order from that
list. Should the dictionary have changed any other way, it scans as
WeasyPrint does.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from weasyprint.layout import page as _page

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _page.set_page_type_computed_styles


class _Index:
    """The cascaded page entries by page type, and how many entries it has seen."""

    def __init__(self) -> None:
        self.by_type: dict[Any, list[tuple[Any, Any]]] = {}
        self.seen = 0

    def update(self, cascaded: dict[Any, Any]) -> bool:
        """Take in the entries added since; False if the dictionary changed otherwise."""
        added = len(cascaded) - self.seen
        if added < 0:
            return False
        for key in reversed(list(islice(reversed(cascaded), added))):
            self.by_type.setdefault(key[0], []).append(key)
        self.seen = len(cascaded)
        return True


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's ``set_page_type_computed_styles``, from the index of page entries."""
    cascaded = style_for.get_cascaded_styles()
    index: _Index | None = style_for.__dict__.get("_abuild_page_index")
    if index is None:
        index = style_for.__dict__["_abuild_page_index"] = _Index()
    if not index.update(cascaded):  # never in WeasyPrint 70: scan, and index anew
        style_for.__dict__.pop("_abuild_page_index")
        _original(page_type, html, style_for)
        return
    style_for.add_page_declarations(page_type)
    if not index.update(cascaded):
        style_for.__dict__.pop("_abuild_page_index")
        _scan(page_type, html, style_for)
        return
    style_for.set_computed_styles(page_type, root=html.etree_element, parent=html.etree_element, base_url=html.base_url)
    for element, pseudo_type in index.by_type.get(page_type, ()):
        if pseudo_type:
            style_for.set_computed_styles(
                element, pseudo_type=pseudo_type, root=html.etree_element, parent=element, base_url=html.base_url
            )


def _scan(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's steps after ``add_page_declarations``: the page's style, then its margin boxes' by a scan."""
    style_for.set_computed_styles(page_type, root=html.etree_element, parent=html.etree_element, base_url=html.base_url)
    for element, pseudo_type in style_for.get_cascaded_styles():
        if pseudo_type and element == page_type:
            style_for.set_computed_styles(
                element, pseudo_type=pseudo_type, root=html.etree_element, parent=element, base_url=html.base_url
            )


_SWAPS = Swaps(
    "abuild's page styles (render/weasy_page_styles.py)",
    [(_page, "set_page_type_computed_styles", set_page_type_computed_styles)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
