"""Python's cyclic garbage collector kept out of the way of a build.

A build of the benchmark report makes millions of objects (the pandoc
document as dicts and lists), and the collector walks all of them, and
everything imported before, at each full collection: no memory is freed by
those walks that reference counting does not free anyway, except cycles.

- :func:`frozen_imports`: what the process holds when the work starts
  (abuild's modules, pydantic, click: ~0.3 s of imports) moved out of the
  collector's walks until it ends. In a render, a full collection walked
  all of it again, seven times on the benchmark report (render/pipeline.py).
- :func:`without_cyclic_gc`: no automatic collection while the block runs;
  memory is still freed as soon as nothing refers to it, a cycle waits for
  the next collection. A preview rebuild spent 0.40 s of 1.80 s of CPU in the
  collector (preview/build.py, which collects once the page is served);
  ``abuild diff`` 1.2-1.4 s of 9.0 s (two sides built, one in each process).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def frozen_imports() -> Iterator[None]:
    """Unfrozen afterwards (a test session renders many times); left alone
    when the caller froze its own."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """The collector off for the block, and back as it was after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
