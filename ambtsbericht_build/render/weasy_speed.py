"""WeasyPrint's CPU in the PDF layout workers: the patches that only save work.

Each module listed in :data:`PATCHES` replaces one WeasyPrint 70 function with
one that does the same for less CPU (work done once for equal inputs, or the
common case done without the general one's overhead) and leaves every PDF
byte the same; each has its own test comparing its result with WeasyPrint's.
The PDF writer applies them all (``formats/pdf.py``), in every process that
lays pages out (the forked layout workers inherit them).
"""

from __future__ import annotations

from types import ModuleType

# the patch modules, each applied and removed on its own (render/weasy_*.py)
PATCHES = (
    "weasy_backgrounds",
    "weasy_collisions",
    "weasy_css_memo",
    "weasy_flow",
    "weasy_font_subset",
    "weasy_glyphs",
    "weasy_html_parse",
    "weasy_inherit",
    "weasy_keep_layout",
    "weasy_layout_memo",
    "weasy_line_size",
    "weasy_margin_styles",
    "weasy_page_styles",
    "weasy_percent",
    "weasy_split_memo",
    "weasy_strut",
)


def _patches() -> tuple[ModuleType, ...]:
    from importlib import import_module

    return tuple(import_module(f".{name}", __package__) for name in PATCHES)


def apply() -> None:
    """Install every patch; PatchVersionError, and nothing changed, on any
    WeasyPrint but the pinned one."""
    patches = _patches()
    for patch in patches:
        patch.require()
    for patch in patches:
        patch.apply()


def enabled() -> bool:
    return all(patch.enabled() for patch in _patches())


def remove() -> None:
    for patch in _patches():
        patch.remove()
