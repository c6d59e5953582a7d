"""Two speed-ups for pydyf (the PDF writer under WeasyPrint), applied in the
PDF worker only.

Page references, computed once per page count. pydyf rebuilds the tuple of
every page's reference each time one is asked for, and WeasyPrint asks once
per structure element of a tagged PDF: for a 230-page report that is 23,000
tuples of 230 strings (~2 s). The references only change when a page is
added, so they are kept until the count changes.

Deflate at level 6 instead of 9. pydyf compresses every stream at zlib's
slowest level; on the benchmark report (229 pages) that is 1.8 s of the PDF
write for a file 5 % smaller (1.45 MB against 1.52 MB at level 6). Level 6 is
zlib's own default; the output is as deterministic as at level 9.

Both replace internals of the pydyf version they were written for
(``SUPPORTED``, pinned exactly in pyproject.toml); on any other
:func:`apply` raises rather than write a PDF that differs from the pinned
one's.
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

DEFLATE_LEVEL = 6
SUPPORTED = ("0.13.0",)

_original_refs = pydyf.PDF.page_references
_original_zlib = pydyf.zlib


def _page_references(self: Any) -> tuple[bytes, ...]:
    kids = self.pages["Kids"]
    cached: tuple[int, tuple[bytes, ...]] | None = self.__dict__.get("_abuild_page_refs")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_abuild_page_refs"] = cached
    return cached[1]


class _Deflate:
    """What pydyf uses of :mod:`zlib`, at :data:`DEFLATE_LEVEL` whatever level it asks for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = DEFLATE_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(DEFLATE_LEVEL, *args, **kwargs)

    @staticmethod
    def compress(data: bytes, level: int = DEFLATE_LEVEL, **kwargs: Any) -> bytes:
        return zlib.compress(data, DEFLATE_LEVEL, **kwargs)


_patched_refs = property(_page_references)


def apply() -> None:
    """Install both speed-ups; PatchVersionError, and nothing changed, on any
    pydyf but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version("pydyf", pydyf.__version__, SUPPORTED, "abuild's PDF speed-ups (render/pydyf_speed.py)")
    pydyf.PDF.page_references = _patched_refs
    pydyf.zlib = _Deflate()


def remove() -> None:
    pydyf.PDF.page_references = _original_refs
    pydyf.zlib = _original_zlib
