"""Each object of a PDF serialised once per write, in pydyf 0.13.

pydyf's ``PDF.write`` turns every object into bytes (``Object.data``) to
write it, and, when it is asked for an identifier (WeasyPrint asks, for the
file's /ID), turns every object into bytes a second time to hash them:
every content stream is deflated twice and every dictionary joined twice.
On the benchmark report that second pass was ~11 % of the PDF parts'
drawing and serialising (py-spy: 128 of 1,210 samples of ``write_pdf`` in
the forked layout workers, half of them zlib).

Nothing changes an object while ``PDF.write`` runs (it sets offsets and
numbers, which are not part of an object's bytes), so :func:`_write` keeps
each Stream's and Dictionary's bytes for the length of one write, and the
hash pass finds them made. An entry holds its object, so no other object can
take its ``id`` while the write runs; the kept bytes go when it ends. A write
inside another thread's write (WeasyPrint writes PDFs one at a time, but a
caller might not) computes as pydyf does. The bytes are pydyf's (the tests
compare whole PDFs).

Only for the pydyf version it was written for (``pydyf_speed.SUPPORTED``);
applied and removed with the other pydyf speed-ups (``pydyf_speed.apply``).
"""

from __future__ import annotations

import threading
from typing import Any

import pydyf

# id(object) -> (object, bytes), while one PDF.write runs in the owning thread
_kept: dict[int, tuple[Any, bytes]] | None = None
_owner: int | None = None
_lock = threading.Lock()
_originals: dict[str, Any] = {}


def _write(self: Any, output: Any, version: bytes = b"1.7", identifier: Any = False, compress: bool = False) -> None:
    """pydyf's ``PDF.write``, each object's bytes made once."""
    global _kept, _owner
    with _lock:
        owns = _kept is None
        if owns:
            _kept, _owner = {}, threading.get_ident()
    try:
        _originals["write"](self, output, version, identifier, compress)
    finally:
        if owns:
            with _lock:
                _kept, _owner = None, None


def _kept_data(inner: Any) -> property:
    """A ``data`` property answering from the write's kept bytes, else by ``inner``."""

    def data(self: Any) -> bytes:
        kept = _kept
        if kept is None or _owner != threading.get_ident():
            return inner(self)  # type: ignore[no-any-return]
        entry = kept.get(id(self))
        if entry is not None and entry[0] is self:
            return entry[1]
        value: bytes = inner(self)
        kept[id(self)] = (self, value)
        return value

    return property(data)


def apply() -> None:
    """Wrap ``PDF.write`` and the ``data`` of Stream and Dictionary as they are now
    (pydyf_speed's own), once."""
    if _originals:
        return
    _originals.update(
        write=pydyf.PDF.write,
        stream=pydyf.Stream.__dict__["data"],
        dictionary=pydyf.Dictionary.__dict__["data"],
    )
    pydyf.PDF.write = _write
    pydyf.Stream.data = _kept_data(_originals["stream"].fget)
    pydyf.Dictionary.data = _kept_data(_originals["dictionary"].fget)


def enabled() -> bool:
    return bool(_originals) and pydyf.PDF.write is _write


def remove() -> None:
    if not _originals:
        return
    pydyf.PDF.write = _originals.pop("write")
    pydyf.Stream.data = _originals.pop("stream")
    pydyf.Dictionary.data = _originals.pop("dictionary")
