"""Page references computed once per page count, for tagged PDFs.

pydyf rebuilds the tuple of every page's reference each time one is asked
for, and WeasyPrint asks once per structure element of a tagged PDF: for a
230-page report that is 23,000 tuples of 230 strings (~2 s). The references
only change when a page is added, so they are kept until the count changes.
"""

from __future__ import annotations

import pydyf

_original = pydyf.PDF.page_references


def _page_references(self) -> tuple:
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_abuild_page_refs")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_abuild_page_refs"] = cached
    return cached[1]


_patched = property(_page_references)


def apply() -> None:
    pydyf.PDF.page_references = _patched


def remove() -> None:
    pydyf.PDF.page_references = _original
