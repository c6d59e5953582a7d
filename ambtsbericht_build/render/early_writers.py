"""The writers' zygote (:mod:`.zygote`), started by ``abuild render`` as
its first act, before the render's own imports.

``abuild render`` imported the pipeline, the checker, pydantic's models and
the writers' classes (~0.25 s of one core) before :func:`.processes.start_writers`
started the zygote, which then imported the writers' needs (0.35 s) on the
other core only from ~0.3 s on. Started here, before those imports, the two
imports run side by side and the writers are forked that much sooner.

Only the built-in writers, by name (their refs, :func:`.formats.writer_ref`):
the writers' classes are not imported for it (81 ms). The render takes the
processes over if it asks for the same writers (:func:`take`); otherwise,
and on leaving :func:`started_early` in any way (a refusal, a failure, an
interrupt), they are stopped with everything they started.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .formats import Writer
    from .processes import WriterProcesses

# formats() without importing the writers' modules: the registry's order
# (formats/__init__.py); tests/render/test_early_writers.py keeps them equal
BUILT_IN = ("html", "pdf", "docx", "odt")

_waiting: list[tuple[tuple[str, ...], WriterProcesses]] = []


def wanted(to: str | None) -> tuple[str, ...]:
    """The built-in writers ``--to`` asks for (none given: all); () when it
    names another (the command says which is unknown; nothing starts early)."""
    if to is None:
        return BUILT_IN
    names = tuple(f.strip().lower() for f in to.split(",") if f.strip())
    return names if names and all(n in BUILT_IN for n in names) else ()


@contextlib.contextmanager
def started_early(names: tuple[str, ...]) -> Iterator[None]:
    """The zygote of the writers ``names``, started now; stopped on leaving
    unless the render took it (:func:`take`) and stopped it itself."""
    from . import zygote
    from .processes import WriterProcesses, stop_all

    procs = WriterProcesses() if names and zygote.available() else None
    try:
        if procs is not None and procs.fork({name: name for name in names}):
            _waiting.append((names, procs))
        yield
    finally:
        _waiting.clear()
        if procs is not None:
            stop_all(procs)  # taken by the render: stopped already, nothing happens


def take(writers: list[Writer]) -> WriterProcesses | None:
    """The early-started processes if they are those of ``writers`` (built-in,
    in this order), else None; either way no longer waiting."""
    from .formats import writer_ref

    if not _waiting:
        return None
    names, procs = _waiting.pop()
    if tuple(writer_ref(type(w)) for w in writers) != names:
        from .processes import stop_all

        stop_all(procs)  # not the writers this render needs
        return None
    procs.adopt(writers)
    return procs
