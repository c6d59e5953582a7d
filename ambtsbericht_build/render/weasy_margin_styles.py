"""A margin box's computed style shared by the pages that would compute it alike, in WeasyPrint 70.

Every page has a page type of its own (it carries the page's index), so
WeasyPrint computes each page's margin-box styles (``@top-left``,
``@bottom-center``, ``@footnote``, ...) anew, and every later step that
remembers work by style (the line memo of :mod:`.weasy_split_memo`, the
kept Pango layouts of :mod:`.weasy_keep_layout`, ``AnonymousStyle``) starts
again on every page: the running header and footer were broken into lines
with Pango on each of the benchmark report's 234 pages (``make_margin_boxes``:
9 % of the layout workers' CPU) though all but a few pages have the same
three margin boxes.

A computed style is a function of what it is made from: the cascaded
declarations, the parent's style, the root's style, the base URL, the font
configuration and the initial page sizes (read when a page-relative length
is computed; WeasyPrint sets them once, on a document's first page). A
margin box's parent is its page, whose style is made from its own cascaded
declarations and the root element's style. :func:`set_computed_styles`
gives a margin box the style an earlier page's margin box got when all of
these are equal (the declarations compared with ``==``: the same parsed
values) and computes it otherwise. Nothing WeasyPrint computes differs: the
style's values are computed from equal inputs, whichever page asks first.
What WeasyPrint writes into a page's style (``overflow`` and the counter
properties, in ``make_page``) is not inherited, and the page's own style
stays the page's; what it writes into a margin box's style
(``_standardize_page_based_counters``) gives the same values when written
again. The PDF is byte for byte the same (the tests compare).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.css import StyleFor
from weasyprint.layout.page import PageType

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
MEMO = "_abuild_margin_styles"
# distinct margin-box styles kept per document (a report has a few page
# kinds: first, left/right, blank; each with 3-5 margin boxes): past this,
# each is computed as WeasyPrint does
LIMIT = 256
_original = StyleFor.set_computed_styles


def set_computed_styles(
    self: Any,
    element: Any,
    parent: Any,
    root: Any = None,
    pseudo_type: Any = None,
    base_url: Any = None,
    target_collector: Any = None,
) -> None:
    """WeasyPrint's ``StyleFor.set_computed_styles``; a margin box's style an
    earlier page's when it would be computed from equal inputs."""
    if pseudo_type is None or parent is not element or type(element) is not PageType:
        _original(self, element, parent, root, pseudo_type, base_url, target_collector)
        return
    computed_styles = self.get_computed_styles()
    page = computed_styles.get((element, None))
    if page is None:  # not WeasyPrint 70's order: the page's style comes first
        _original(self, element, parent, root, pseudo_type, base_url, target_collector)
        return
    cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
    sizes = self.initial_page_sizes
    inputs = (
        pseudo_type,
        cascaded,
        page.cascaded,
        page.parent_style,
        page.root_style,
        page.base_url,
        computed_styles.get((root, None)),
        base_url,
        self.font_config,
        sizes["box"],
        sizes["area"],
    )
    kept: list[tuple[tuple[Any, ...], Any]] = self.__dict__.setdefault(MEMO, [])
    for before, style in kept:
        if _same(before, inputs):
            computed_styles[element, pseudo_type] = style
            if target_collector and style["anchor"]:
                target_collector.collect_anchor(style["anchor"])
            return
    _original(self, element, parent, root, pseudo_type, base_url, target_collector)
    if len(kept) < LIMIT:
        kept.append((inputs, computed_styles[element, pseudo_type]))


def _same(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Equal inputs: the declarations and sizes by value, the styles and the
    font configuration by identity (a style is equal only to itself)."""
    return (
        before[0] == now[0]
        and before[3] is now[3]
        and before[4] is now[4]
        and before[6] is now[6]
        and before[8] is now[8]
        and before[5] == now[5]
        and before[7] == now[7]
        and before[9] == now[9]
        and before[10] == now[10]
        and before[1] == now[1]
        and before[2] == now[2]
    )


_SWAPS = Swaps(
    "abuild's shared margin-box styles (render/weasy_margin_styles.py)",
    [(StyleFor, "set_computed_styles", set_computed_styles)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
