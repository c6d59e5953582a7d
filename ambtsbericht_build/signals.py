"""Signals held back while a thread starts.

abuild's handlers for SIGINT, SIGTERM and SIGHUP raise in the main thread, to
unwind a render and clean up. Raised inside ``Thread.start()`` (which waits
for the new thread to announce itself), the exception leaves ``threading``'s
bookkeeping broken: ``del _limbo[self]`` fails with a KeyError, and the
interpreter then hangs at exit waiting for a thread it lost track of. Seen
once in a full test run (SIGTERM 0.3 s into a render, while the audit's
first thread started). Every thread abuild starts is started here, with the
signals blocked for those microseconds; a signal that arrives meanwhile is
delivered right after. A thread inherits the mask it was started with, so
these threads never take a signal themselves (Python runs handlers in the
main thread anyway).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # not imported: preview/stopping.py imports this module before it blocks the signals
    from concurrent.futures import Executor, Future

T = TypeVar("T")
R = TypeVar("R")

HELD = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP")) if isinstance(s, signal.Signals)
)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP back (main thread only; elsewhere nothing
    to hold: Python delivers signals to the main thread). The mask before is
    restored, not cleared: inside another hold (a clean-up starting a
    thread), the signals stay held until the outer one ends."""
    if not (hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def start(thread: threading.Thread) -> threading.Thread:
    with held():
        thread.start()
    return thread


def submit(pool: Executor, fn: Callable[..., R], *args: Any) -> Future[R]:
    """``pool.submit``, which may start a thread."""
    with held():
        return pool.submit(fn, *args)


def map_all(pool: Executor, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``list(pool.map(fn, items))``, the threads started with signals held."""
    with held():
        futures = [pool.submit(fn, x) for x in items]
    return [f.result() for f in futures]
