"""Three speed-ups for pydyf (the PDF writer under WeasyPrint), applied in the
PDF worker only, with a fourth (:mod:`.pydyf_write_once`).

Page references, computed once per page count. pydyf rebuilds the tuple of
every page's reference each time one is asked for, and WeasyPrint asks once
per structure element of a tagged PDF: for a 230-page report that is 23,000
tuples of 230 strings (~2 s). The references only change when a page is
added, so they are kept until the count changes.

Deflate at level 6 instead of 9. pydyf compresses every stream at zlib's
slowest level; on the benchmark report (229 pages) that is 1.8 s of the PDF
write for a file 5 % smaller (1.45 MB against 1.52 MB at level 6). Level 6 is
zlib's own default; the output is as deterministic as at level 9.

A value's bytes by its exact class first. pydyf turns every operator of every
page's content stream and every dictionary entry into bytes with
``_to_bytes``, which tries ``isinstance`` three times before the common
cases (bytes, str, int): 1.5 million calls on the benchmark report, and a
content stream joins its items through a generator. :func:`_to_bytes`
answers bytes, str, int and float (200,000 floats on the benchmark report:
coordinates, the text matrices) by their exact class with the very
expression pydyf ends up using for them, and hands anything else (PDF
objects, subclasses such as bool) to pydyf's own; :func:`_stream_data` is pydyf's
``Stream.data`` with a list instead of the generator, and
:func:`_dictionary_data` pydyf's ``Dictionary.data`` taking a bytes key or
value as it is. The bytes are the same
(the tests compare both on random values).

All three replace internals of the pydyf version they were written for
(``SUPPORTED``, pinned exactly in pyproject.toml); on any other
:func:`apply` raises rather than write a PDF that differs from the pinned
one's.
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

from . import pydyf_write_once

DEFLATE_LEVEL = 6
SUPPORTED = ("0.13.0",)

_original_refs = pydyf.PDF.page_references
_original_zlib = pydyf.zlib
_original_to_bytes = pydyf._to_bytes
_original_stream_data = pydyf.Stream.data
_original_dictionary_data = pydyf.Dictionary.data


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


def _to_bytes(item: Any) -> bytes:
    """pydyf's ``_to_bytes``: bytes, str, int and float by their exact class, anything else by pydyf's own."""
    cls = item.__class__
    if cls is bytes:
        return item  # type: ignore[no-any-return]
    if cls is str or cls is int:
        return str(item).encode("ascii")
    if cls is float:
        if item.is_integer():
            return str(int(item)).encode("ascii")
        return f"{item:f}".rstrip("0").encode("ascii")
    return _original_to_bytes(item)  # type: ignore[no-any-return]


def _stream_data(self: Any) -> bytes:
    """pydyf's ``Stream.data``, its items joined from a list (``pydyf.zlib``: the level above)."""
    to_bytes = pydyf._to_bytes
    stream = b"\n".join([item if item.__class__ is bytes else to_bytes(item) for item in self.stream])
    extra = pydyf.Dictionary(self.extra.copy())
    if self.compress:
        extra["Filter"] = "/FlateDecode"
        compressobj = pydyf.zlib.compressobj(level=9)
        stream = compressobj.compress(stream)
        stream += compressobj.flush()
    extra["Length"] = len(stream)
    return b"\n".join((extra.data, b"stream", stream, b"endstream"))


_patched_stream_data = property(_stream_data)


def _dictionary_data(self: Any) -> bytes:
    """pydyf's ``Dictionary.data``, a bytes key or value used as it is."""
    to_bytes = pydyf._to_bytes
    entries = [
        b"/"
        + (key if key.__class__ is bytes else to_bytes(key))
        + b" "
        + (value if value.__class__ is bytes else to_bytes(value))
        for key, value in self.items()
    ]
    return b"<<" + b"".join(entries) + b">>"


_patched_dictionary_data = property(_dictionary_data)


def apply() -> None:
    """Install the three speed-ups; PatchVersionError, and nothing changed, on any
    pydyf but :data:`SUPPORTED`."""
    from ..tools import require_version

    require_version("pydyf", pydyf.__version__, SUPPORTED, "abuild's PDF speed-ups (render/pydyf_speed.py)")
    pydyf.PDF.page_references = _patched_refs
    pydyf.zlib = _Deflate()
    pydyf._to_bytes = _to_bytes
    pydyf.Stream.data = _patched_stream_data
    pydyf.Dictionary.data = _patched_dictionary_data
    pydyf_write_once.apply()  # wraps the data properties just installed


def remove() -> None:
    pydyf_write_once.remove()
    pydyf.PDF.page_references = _original_refs
    pydyf.zlib = _original_zlib
    pydyf._to_bytes = _original_to_bytes
    pydyf.Stream.data = _original_stream_data
    pydyf.Dictionary.data = _original_dictionary_data
