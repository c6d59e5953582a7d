"""The language of parts in the tagged PDF (WCAG 3.1.2, PDF/UA 7.2): a
structure element made for an HTML element with its own ``lang`` gets
``/Lang`` (the Dutch text shown in an English edition, :mod:`.untranslated`).

WeasyPrint 70 writes ``/Lang`` only in the catalog, from ``<html lang>``, so a
screen reader reads the Dutch paragraphs of an English edition with English
pronunciation. This wraps its structure-tree builder (``_build_box_tree``, a
recursive generator that calls itself through the module, so every level
goes through the wrapper): each element it yields for a box whose element
carries ``lang`` gets that language, unless a deeper level already gave one.
Applied in the PDF worker only, for the WeasyPrint version it was written for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SUPPORTED = ("70.0",)

_original: Any = None


def _lang_of(box: Any) -> str:
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", None)
    if element is None or tag in ("html", "body"):  # the document's language is the catalog's /Lang
        return ""
    lang = element.get("lang") if hasattr(element, "get") else None
    return str(lang or "")


def _build_box_tree(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
    import pydyf

    lang = _lang_of(box)
    for element in _original(box, parent, pdf, *args):
        if lang and "Lang" not in element:
            element["Lang"] = pydyf.String(lang)
        yield element


def apply() -> None:
    """Install the wrapper (once); PatchVersionError, and nothing changed, on
    any WeasyPrint but :data:`SUPPORTED`."""
    global _original
    import weasyprint
    from weasyprint.pdf import tags

    from ..tools import require_version

    require_version(
        "weasyprint", weasyprint.__version__, SUPPORTED, "abuild's PDF language of parts (render/pdf_lang.py)"
    )
    if _original is None:
        _original = tags._build_box_tree
        tags._build_box_tree = _build_box_tree
