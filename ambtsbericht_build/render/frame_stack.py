"""A call whose Python frames all fit in one chunk of CPython's frame stack.

CPython 3.11+ keeps its frames on a stack of chunks (16 KiB each) that it
maps with ``mmap`` when a call does not fit in the current one and unmaps as
soon as that call returns. A recursion that goes back and forth across the
end of a chunk therefore maps, faults in and unmaps a chunk at every call:
in the benchmark report's render, the PDF's two layout workers (forked by
the PDF writer) did it 35,000 times: 39,200 of their 132,300 page faults
(``perf record -e minor-faults`` with ``munmap``: 16 KiB), and 70,000
system calls. Under :func:`call_deep` they take 93,500 faults and unmap no
chunk.

:func:`call_deep` runs a function under one frame that reserves half a MiB
of value stack it never uses: CPython sizes the chunk for it at 1 MiB
(``push_chunk``: the smallest power of two above the frame and 8,000 bytes
more), so the calls below it (WeasyPrint's layout is ~100 frames deep) take
the rest of that chunk and never cross an end. The reservation is address
space only: the unused slots are never written, so never faulted in
(measured: a 300-deep recursion, 20,000 times, took 29,182 faults, 11,147
``munmap`` and 248 ms of CPU plain, 1,326 faults, 3 ``munmap`` and 131 ms
under :func:`call_deep`). Processes forked below it (the layout workers)
inherit the chunk. On other interpreters, and before 3.11, it is a plain
call.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# value-stack slots (8 bytes each) the frame reserves: 8 * (65,536 + the
# frame's own + 1,000) bytes is just above 512 KiB, so the chunk is 1 MiB
# and the frame leaves ~500 KiB of it to its callees
RESERVED_SLOTS = 1 << 16


def _call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return fn(*args, **kwargs)


def _deep_caller() -> Callable[..., Any]:
    """``_call`` with :data:`RESERVED_SLOTS` more value stack (CPython 3.11+)."""
    if sys.implementation.name != "cpython" or sys.version_info < (3, 11):
        return _call  # no chunked frame stack (before 3.11 a frame is an object of its own)
    code = _call.__code__
    deep = code.replace(co_stacksize=code.co_stacksize + RESERVED_SLOTS, co_name="call_deep")
    return types.FunctionType(deep, _call.__globals__, "call_deep")


_deep = _deep_caller()


def call_deep(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)`` with its frames in one 1 MiB chunk (see the module)."""
    result: R = _deep(fn, args, kwargs)
    return result
