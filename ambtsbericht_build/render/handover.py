"""What the render keeps of the check: :func:`hand_over`.

The check leaves the loaded report in ``abuild``'s process: the scanner's
model of every chapter, and pandoc's reading of each chapter (its AST), kept
so that the document build need not have pandoc read the chapters again.
As Python objects that AST is the largest thing in the process: for one
chapter of 100,000 notes ~0.5 GiB, and the check's own work (the analysis,
the rules' indexes) was done in between, so that once it was freed the
process still held its pages, fragmented (docs/render.md, "Many notes:
budget"). The render then built the document beside all of it.

So at the hand-over every chapter's AST becomes its JSON text (~0.05 GiB
for the same chapter, ``Chapter.pandoc_json``; the document build reads it back, byte for byte the
same document), the check's garbage is collected, and what the allocator
freed is given back to the system (:func:`release_freed`): the document
build starts from a small process instead of from the check's peak.
"""

from __future__ import annotations

import ctypes
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..load import LoadedReport


def hand_over(lr: LoadedReport) -> None:
    """Keep of the check only what the render reads, compactly; free the rest."""
    for lc in lr.chapters:
        lc.chapter.pack_pandoc_ast()
    gc.collect()  # the check's cycles (its context, the rules' closures) hold their indexes
    release_freed()


def release_freed() -> bool:
    """Give the memory ``free()`` holds back to the system: glibc keeps the
    freed parts of its heap (Python's larger objects: lists, dicts, strings
    over 512 bytes) for later allocations, and the process's memory stays at
    its peak. ``malloc_trim(0)`` returns them. False where there is no
    glibc (musl, macOS): nothing to do there."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


def drop_readings(lr: LoadedReport) -> None:
    """The render whose document was built by a forked child
    (render/early_document.py): the parent needs none of pandoc's readings
    any more; they and the check's garbage are freed while it waits."""
    for lc in lr.chapters:
        lc.chapter.pandoc_ast = None
    gc.collect()
    release_freed()
