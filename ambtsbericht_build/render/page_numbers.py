"""The PDF's page references (the TOC's page numbers, the colofon's number of
pages) written into the laid-out pages, instead of by ``target-counter()``.

With ``target-counter()`` WeasyPrint 70 lays the document out, then lays out
again, twice, every page that looked up a target it had not reached yet (the
colofon and the TOC's pages: on the benchmark report 22 pages laid out
again, 234 + 22 pages in all; 0.9-1.3 s of the 9 s layout's CPU, measured
page by page).

Here the print CSS sets a placeholder of :data:`DIGITS` tabular digits
where a page number goes (``000``: as wide as any number up to 999, every
digit being as wide as any other), the document is laid out once, and each
placeholder's text box gets the real number from the page that holds its
target (the anchors WeasyPrint gathered), set right-aligned in the TOC (the
dot leader is then laid out again up to it, by WeasyPrint's rule,
:func:`.weasy_leaders.fill`) and left-aligned in the colofon, where nothing
follows it on its line. A report of more than 999 pages is laid out again
with wider placeholders (:func:`placeholder`), so a number never overlaps
its leader.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from .weasy_leaders import fill

DIGITS = 3


def placeholder(digits: int = DIGITS) -> str:
    return "0" * digits


def print_css(digits: int = DIGITS) -> str:
    """The rules that set the placeholders (in the print HTML's CSS)."""
    zeros = placeholder(digits)
    return (
        f"nav.toc a::after {{ content: leader('..') '{zeros}'; font-variant-numeric: tabular-nums; }}\n"
        f".colofon .page-count::after {{ content: '{zeros}'; font-variant-numeric: tabular-nums; }}\n"
    )


def target_pages(document: Any) -> dict[str, int]:
    """Each anchor's page number (the first page that holds it)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def _front_matter(box: Any) -> Iterator[Any]:
    """Every box under ``box`` but the report's body (``<main>``): the TOC and
    the colofon come before it, and the body is most of the boxes."""
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        element = getattr(box, "element", None)
        if element is not None and element.tag == "main":
            continue
        stack.extend(getattr(box, "children", None) or ())


def _placeholders(document: Any, zeros: str) -> Iterator[tuple[Any, Any]]:
    """(the ``::after`` box, its placeholder text box) for each page reference."""
    for page in document.pages:
        for box in _front_matter(page._page_box):
            if isinstance(box, boxes.InlineBox) and box.element_tag.endswith("::after"):
                kids = box.children
                if kids and isinstance(kids[-1], boxes.TextBox) and kids[-1].text == zeros:
                    yield box, kids[-1]


def write_page_numbers(document: Any, digits: int = DIGITS) -> bool:
    """Write the page numbers over the placeholders of a laid-out ``document``;
    False, and nothing changed, when a number is wider than its placeholder
    (lay out again with ``placeholder(len(str(len(document.pages))))``)."""
    if len(str(len(document.pages))) > digits:
        return False
    targets = target_pages(document)
    zeros = placeholder(digits)
    for after, text_box in list(_placeholders(document, zeros)):
        element = after.element
        if "page-count" in (element.get("class") or "").split():
            number = str(len(document.pages))
            right_aligned = False
        else:
            number = str(targets.get((element.get("href") or "").removeprefix("#"), ""))
            right_aligned = True
        _set_text(after, text_box, number, right_aligned)
    return True


def _set_text(after: Any, text_box: Any, text: str, right_aligned: bool) -> None:
    """Put ``text`` in ``text_box`` (no wider than its placeholder); in the TOC,
    at the placeholder's right edge, and the leader before it widened."""
    kids = list(after.children)
    if not text:  # a target the document does not have: no number, as target-counter()
        kids.remove(text_box)
        after.children = tuple(kids)
        return
    layout, _, _, width, _, _ = split_first_line(text, text_box.style, None, None, 0)
    new = text_box.copy_with_text(text)
    new.pango_layout = layout
    narrower = text_box.width - width
    new.width = width
    if right_aligned:
        new.position_x = text_box.position_x + narrower
        for kid in kids:
            if getattr(kid, "is_leader", False):
                kid.width += narrower
                fill(kid)
    kids[kids.index(text_box)] = new
    after.children = tuple(kids)
