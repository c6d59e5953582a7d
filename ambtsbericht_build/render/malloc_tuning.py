"""glibc's malloc told to keep the memory a render's Python processes free.

By default glibc gives memory back to the kernel as soon as it can: a block
of 128 KiB or more (a threshold that rises only as far as the largest block
freed so far) is an ``mmap`` of its own, unmapped on ``free``; the top of
the heap is trimmed (``brk``, or ``MADV_DONTNEED`` in a thread's heap) once
128 KiB of it are free. Each page taken again is a fresh page fault, ~3 us
of CPU on this kind of machine (a VM with nested paging). The render's
writers read and write documents of megabytes (the 5 MB pandoc JSON, the
outputs read back for the audit) block after block: in the benchmark
report's render, 22,800 of the four writers' 153,800 page faults were pages
taken again after such an unmap or trim (``perf record -e minor-faults``
with ``munmap``, ``brk`` and ``madvise``; 28,900 in all Python processes).

:func:`keep_freed_memory` (``mallopt``) makes blocks below 32 MiB (glibc's
largest threshold) come from the heap and keeps up to 256 MiB of free heap
top: what a process freed it takes again without a fault. What a process
holds at its peak does not change, only that it keeps it until it ends (a
writer ends with its output). With it the writers took 134,800 faults: none
after an unmap or trim, but 8,800 more copy-on-write faults after they fork
pandoc (``preexec_fn``: a fork, not a vfork), as a kept page written after
a fork faults as a new one would have.

Called at the writers' start: the zygote and each worker
(:func:`.worker.main`); what they fork (the writers, the PDF's layout
workers) inherits it. Not the ``MALLOC_*_`` environment variables: pandoc
and the other programs the render runs would inherit them. Not in the
render's own process: it forks (the document's child, the audit, pandoc
through ``preexec_fn``), and after a fork each page it writes is a fault
whether it kept the page or takes a new one; there it measured 100,500
faults instead of 93,500.
"""

from __future__ import annotations

import ctypes
import platform
import sys

# <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's maximum on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX)
TRIM_THRESHOLD = 256 * 1024 * 1024

_done = False


def keep_freed_memory() -> bool:
    """Set the thresholds (once per process; a fork inherits them). False
    where it does not apply (not glibc) or glibc refused."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success, 0 for a value out of range
    _done = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) & bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return _done
