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

The running footer ("Pagina 7 van 234") and the terms of reference's page
references ("(p. 12)") are placeholders too, written the same way: so the
pages of a part of the document (:mod:`.pdf_parts`) can be laid out before
anyone knows on which page the part starts or how many pages the whole
has, and keep their layout when that changes; a footer's text is centred
again on its new width.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .pdf_parts import PART_LINK

# WeasyPrint (0.4-0.7 s to import) is imported by the functions that walk laid-out
# pages, which only the PDF writer calls: the placeholders' CSS above them is
# also what the other writers' processes and abuild itself import (formats/pdf.py)

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


def target_pages(document: Any, first: int = 1) -> dict[str, int]:
    """Each anchor's page number (the first page that holds it), the
    document's first page being number ``first``."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=first):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def _target(element: Any) -> str:
    href = element.get("href") or ""
    return href.removeprefix(PART_LINK) if href.startswith(PART_LINK) else href.removeprefix("#")


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


def _linked(page: Any) -> Iterator[Any]:
    """The ``::after`` boxes of the page's links in ``<main>`` that print a
    page number (``a.tor-ref``): found through the links WeasyPrint gathered,
    not by walking the body's boxes (most of the document's)."""
    from weasyprint.formatting_structure import boxes

    for link in page.links:
        box = link[3]
        element = getattr(box, "element", None)
        if element is None or "tor-ref" not in (element.get("class") or "").split():
            continue
        for kid in getattr(box, "children", None) or ():
            if isinstance(kid, boxes.InlineBox) and kid.element_tag.endswith("::after"):
                yield kid


def _placeholders_on(page: Any, zeros: str) -> Iterator[tuple[Any, Any]]:
    """(the ``::after`` box, its text box holding ``zeros``) for each page
    reference on ``page``."""
    from weasyprint.formatting_structure import boxes

    found = [
        box
        for box in _front_matter(page._page_box)
        if isinstance(box, boxes.InlineBox) and box.element_tag.endswith("::after")
    ]
    seen = {id(b) for b in found}
    found += [b for b in _linked(page) if id(b) not in seen]
    for box in found:
        for kid in box.children:
            if isinstance(kid, boxes.TextBox) and zeros in kid.text:
                yield box, kid
                break


def write_page_numbers(
    document: Any,
    digits: int = DIGITS,
    *,
    first: int = 1,
    total: int | None = None,
    targets: dict[str, int] | None = None,
) -> bool:
    """Write the page numbers over the placeholders of a laid-out ``document``
    whose first page is number ``first`` of ``total`` (default: the document
    is the whole), an anchor of another part being on page ``targets[name]``;
    False, and nothing changed, when a number is wider than its placeholder
    (lay out again with ``placeholder(len(str(total)))``)."""
    total = len(document.pages) if total is None else total
    if len(str(total)) > digits:
        return False
    pages = target_pages(document, first)
    if targets:
        pages = {**targets, **pages}
    zeros = placeholder(digits)
    for number, page in enumerate(document.pages, start=first):
        for after, text_box in list(_placeholders_on(page, zeros)):
            element = after.element
            if "page-count" in (element.get("class") or "").split():
                _set_text(after, text_box, str(total), False, zeros)
            else:
                # a TOC line: right-aligned before its leader; a reference in the text: in place
                toc = any(getattr(kid, "is_leader", False) for kid in after.children)
                narrower = _set_text(after, text_box, str(pages.get(_target(element), "")), toc, zeros)
                if narrower and not toc:
                    _close_gap(page, after, narrower)
        _write_footer(page, zeros, number, total)
    return True


def _close_gap(page: Any, box: Any, narrower: float) -> None:
    """Move what follows ``box`` on its line left by ``narrower`` (a number
    narrower than its placeholder, in the text: "(p. 7) (geen informatie
    gevonden)"), and narrow the boxes around it."""
    from weasyprint.formatting_structure import boxes

    path = _path_to(page._page_box, box)
    if path is None:
        return
    for parent, child in zip(path, path[1:], strict=False):
        if isinstance(parent, boxes.LineBox):
            inside = path[path.index(parent) + 1 :]  # the link, the ::after
            for outer in inside:
                outer.width -= narrower
            for outer, inner in zip(inside, inside[1:], strict=False):
                _shift_after(outer, inner, narrower)
            _shift_after(parent, child, narrower)
            return


def _shift_after(parent: Any, child: Any, narrower: float) -> None:
    kids = list(parent.children)
    for later in kids[kids.index(child) + 1 :]:
        later.translate(-narrower)


def _path_to(root: Any, target: Any) -> list[Any] | None:
    """The boxes from ``root`` down to ``target`` (None: not under it)."""
    stack: list[tuple[Any, list[Any]]] = [(root, [root])]
    while stack:
        box, path = stack.pop()
        if box is target:
            return path
        stack.extend((kid, [*path, kid]) for kid in getattr(box, "children", None) or ())
    return None


def _write_footer(page: Any, zeros: str, number: int, total: int) -> None:
    """The footer's "Pagina 000 van 000" as "Pagina 7 van 234", centred as before."""
    from weasyprint.formatting_structure import boxes

    for margin in page._page_box.children:
        if getattr(margin, "at_keyword", None) != "@bottom-center":
            continue
        for line in margin.children:
            kids = list(getattr(line, "children", None) or ())
            for i, box in enumerate(kids):
                if isinstance(box, boxes.TextBox) and box.text.count(zeros) == 2:
                    text = box.text.replace(zeros, str(number), 1).replace(zeros, str(total), 1)
                    new = _retext(box, text)
                    new.position_x = box.position_x + (box.width - new.width) / 2
                    kids[i] = new
            if kids:
                line.children = tuple(kids)


def _retext(text_box: Any, text: str) -> Any:
    from weasyprint.text.line_break import split_first_line

    layout, _, _, width, _, _ = split_first_line(text, text_box.style, None, None, 0)
    new = text_box.copy_with_text(text)
    new.pango_layout = layout
    new.width = width
    return new


def _set_text(after: Any, text_box: Any, number: str, right_aligned: bool, zeros: str) -> float:
    """Put ``number`` in ``text_box`` over its placeholder ``zeros`` (no wider);
    in the TOC, at the placeholder's right edge, and the leader before it
    widened. How much narrower the text became."""
    from .weasy_leaders import fill

    kids = list(after.children)
    if not number and text_box.text == zeros:  # a target the document does not have: no number
        kids.remove(text_box)
        after.children = tuple(kids)
        return 0.0
    new = _retext(text_box, text_box.text.replace(zeros, number, 1))
    narrower = text_box.width - new.width
    if right_aligned:
        new.position_x = text_box.position_x + narrower
        for kid in kids:
            if getattr(kid, "is_leader", False):
                kid.width += narrower
                fill(kid)
    kids[kids.index(text_box)] = new
    after.children = tuple(kids)
    return float(narrower)
