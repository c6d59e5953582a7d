"""The page numbers the DOCX and ODT tables of contents show before the
reader's word processor updates them: the PDF's.

A word processor paginates a DOCX or ODT itself, on opening, with its own
fonts and rules; abuild has no such layout engine at run time (LibreOffice
is not a dependency). What it has is the PDF of the same document, laid out
from the same headings. Its page numbers are written into the office TOCs
as the fields' *cached results*: Word (the TOC field stays marked dirty)
and LibreOffice (Tools > Update) recompute them; a reader who does not
update (Word Online, a preview, LibreOffice without updating) sees the
PDF's numbers, which are close (the example: DOCX 43 pages in LibreOffice,
ODT 45, PDF 44). docs/render.md says so.

The PDF's outline (its bookmarks) lists every heading with its page, in
document order; an office TOC entry takes the page of the next outline
entry with the same text, so a heading the PDF's outline lacks, or two
headings with the same title ("Achtergrond" in two chapters), cannot shift
the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def pdf_heading_pages(pdf: Path) -> list[tuple[str, int]]:
    """(title, page) of every entry of the PDF's outline, in document order;
    empty when the PDF has none or cannot be read (then the TOCs keep
    their entries without numbers, as before)."""
    import pikepdf

    out: list[tuple[str, int]] = []
    try:
        with pikepdf.open(pdf) as doc:
            pages: dict[Any, int] = {page.objgen: number for number, page in enumerate(doc.pages, start=1)}

            def walk(items: Iterable[Any]) -> None:
                for item in items:
                    dest = item.destination
                    target = dest[0] if isinstance(dest, pikepdf.Array) and len(dest) else None
                    objgen: tuple[int, int] | None = getattr(target, "objgen", None)
                    page = pages.get(objgen) if objgen is not None else None
                    if page is not None:
                        out.append((str(item.title), page))
                    walk(item.children)

            with doc.open_outline() as outline:
                walk(outline.root)
    except (pikepdf.PdfError, OSError, ValueError):
        return []
    return out


def match_pages(titles: Iterable[str], outline: list[tuple[str, int]]) -> Iterator[int | None]:
    """The page of each of ``titles`` (an office TOC's entries, in order):
    that of the next outline entry with the same text, or None."""
    keys = [_key(title) for title, _ in outline]
    at = 0
    for title in titles:
        key = _key(title)
        try:
            found = keys.index(key, at)
        except ValueError:
            yield None
            continue
        at = found + 1
        yield outline[found][1]
