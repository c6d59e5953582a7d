"""While the document child's citeproc pandocs run, the check's rules wait:
:func:`running` (the child says so) and :class:`.early_document.EarlyDocument`'s
``yield_cores`` (the rules wait between two rules).

After the fork (render/early_document.py) the parent's rules (~0.5 s of CPU
on the benchmark report) and the child's document build (~0.3 s of Python,
then three citeproc pandocs, 1.2 s of CPU side by side, then ~0.45 s of
Python alone) share the two cores. The rules took their share from the
pandocs, and when the pandocs were done only the child's finishing was
left: one core idle ~0.5 s before the hand-over to the writers. The
rules now run while the child's Python runs (before its pandocs and after
them), and give way while the pandocs run: the same CPU, with less of the
idle core.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

_listener: list[Callable[[bool], None]] = []  # the child's, once it has one
_lock = threading.Lock()
_running = [0]  # pandocs running now (one a thread)


def listen(tell: Callable[[bool], None]) -> None:
    """In the document child: ``tell(True)`` when the pandocs begin,
    ``tell(False)`` when they are done."""
    _listener[:] = [tell]


@contextlib.contextmanager
def running() -> Iterator[None]:
    """Around each citeproc pandoc (render/citations.py's ``_citeproc``): the
    listener hears True when the first begins, False when the last is done
    (the finishing of each piece's blocks is Python: the rules may run then)."""
    with _lock:
        _running[0] += 1
        if _running[0] == 1:
            for tell in _listener:
                tell(True)
    try:
        yield
    finally:
        with _lock:
            _running[0] -= 1
            if _running[0] == 0:
                for tell in _listener:
                    tell(False)
