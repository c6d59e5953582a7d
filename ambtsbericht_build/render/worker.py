"""One format, one process: ``python -m ambtsbericht_build.render.worker FMT DOC FACTS OUT``,
or ``... FMT --wait``.

``FMT`` names a registered writer (:mod:`.formats`), or is ``module:Class``
for a writer registered outside abuild's own formats.

Running each writer in its own process lets formats render in parallel and
keeps a crash in one (WeasyPrint, pandoc) from touching the others.

With ``--wait`` the worker imports what its format needs (WeasyPrint takes
0.4 s of CPU; :meth:`.formats.Writer.prepare`) and then waits for one line on its
standard input, the JSON array ``[DOC, FACTS, OUT]``: ``abuild render`` starts
the workers before it checks the report and builds the document, so the
imports cost no time on the way to the PDF. Anything else on standard input,
or its end (the render was given up, or ``abuild`` itself died), ends the
worker without reading or writing anything. FACTS is a
:class:`.facts.RenderFacts` as JSON, checked field by field on load.

``--zygote REF@IN,ERR ...`` is the writers' start-up instead
(:mod:`.zygote`): it imports for every writer once and forks each, which
then runs :func:`serve` as a ``--wait`` worker does.

Started by ``abuild render`` (``--wait``), a worker dies with it: Linux's
``PR_SET_PDEATHSIG`` sends it SIGKILL when ``abuild`` dies, even by SIGKILL
(a PDF writer in the middle of a layout does not read its standard input
and would otherwise finish its file). Every worker, and the pandoc it runs,
lives under a memory ceiling (``RLIMIT_DATA``, :func:`memory_limit`), so a
hostile document cannot take the machine's memory.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ABANDONED = 3
MEMORY_ENV = "ABUILD_WRITER_MEMORY"
# The benchmark report (229 pages, 960 notes) peaks at ~0.6 GiB of RSS in the
# PDF writer; 3 GiB leaves room for reports many times its size and still
# stops a runaway long before a 8-16 GiB machine starts swapping.
DEFAULT_MEMORY = 3 * 1024**3
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def memory_limit(value: str | None = None) -> int:
    """The writers' memory ceiling in bytes from ``ABUILD_WRITER_MEMORY``
    (``3G``, ``512M``, ``2.5G``, plain bytes; ``0``, ``off`` or ``none``: no
    ceiling). Default 3 GiB; an unreadable value is the default."""
    return parse_size(os.environ.get(MEMORY_ENV, "") if value is None else value, DEFAULT_MEMORY)


def parse_size(value: str, default: int) -> int:
    """``3G``, ``512M``, ``2.5GiB``, plain bytes -> bytes; ``0``, ``off``,
    ``none``: 0 (no ceiling); empty or unreadable: ``default``."""
    text = value.strip().upper().removesuffix("B")
    text = text.removesuffix("I")  # "3GiB" reads as "3G"
    if text in ("0", "OFF", "NONE", "UNLIMITED"):
        return 0
    unit = text[-1:] if text[-1:] in _UNITS else ""
    try:
        n = float(text[: len(text) - len(unit)])
    except ValueError:
        return default
    return int(n * _UNITS[unit]) if n > 0 else default


def describe_limit(n: int) -> str:
    """3221225472 -> "3 GiB"; 104857600 -> "100 MiB"."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} bytes"


def _cap_memory(limit: int) -> None:
    """Cap this process's memory (inherited by the pandoc it runs).

    ``RLIMIT_DATA`` (Linux >= 4.7: heap and private writable mappings, i.e.
    the memory a process fills), not ``RLIMIT_AS`` (address space): pandoc's
    runtime reserves 1 TiB of address space it never touches, and under a
    3 GiB ``RLIMIT_AS`` it reserved less and ran out of heap on 100,000 notes
    (and under 100 MiB crashed with SIGSEGV on a one-line document)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    if limit <= 0:
        return
    kind = getattr(resource, "RLIMIT_DATA", None)
    if kind is None:
        return
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(kind, (limit, hard))


_BLOCKS = ', "blocks": [\n'


def read_document(path: Path) -> tuple[dict[str, Any], Iterator[str]]:
    """The document :func:`.pipeline.write_document` wrote: its head (API
    version, meta) and its top-level blocks as JSON text, read a line (a
    block) at a time, never the whole file as one string (0.1 GiB for
    100,000 notes). Any other pandoc JSON is read whole."""
    fh = path.open(encoding="utf-8")
    first = fh.readline()
    if not first.endswith(_BLOCKS):
        with fh:
            doc: dict[str, Any] = json.loads(first + fh.read())
        blocks = doc.pop("blocks")
        return doc, (json.dumps(b) for b in blocks)

    def lines() -> Iterator[str]:
        with fh:
            for line in fh:
                if line.startswith("]}"):
                    return
                yield line.removesuffix("\n").removesuffix(",")
        raise ValueError(f"{path.name}: the document ends before its last block")

    head: dict[str, Any] = json.loads(first[: -len(_BLOCKS)] + "}")
    return head, lines()


def load_document(path: Path) -> dict[str, Any]:
    """The whole document as objects (:func:`read_document`)."""
    doc, lines = read_document(path)
    doc["blocks"] = [json.loads(line) for line in lines]
    return doc


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> bool:
    """Have the kernel SIGKILL this worker when ``abuild`` dies (Linux);
    False if ``abuild`` is already gone (it died before the request took)."""
    parent = os.environ.get("ABUILD_RENDER_PID", "")
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the render's guard still stops it
            pass
    return not parent.isdigit() or os.getppid() == int(parent)


def _lower_priority(increment: int) -> None:
    """Lower this writer's priority by ``increment`` (:class:`.formats.Priority`).

    Each writer runs in a session of its own (so it can be stopped with what it
    started), and on Linux with autogroup scheduling every session is its own
    scheduling group, in which ``nice`` alone changes nothing against other
    groups: the group's own nice value is set too. Measured on two cores, the
    PDF's pandoc step took 3.4 s beside the other writers instead of 1.2 s.
    """
    if hasattr(os, "nice"):
        os.nice(increment)
    try:
        with open("/proc/self/autogroup", "w") as fh:
            fh.write(str(increment))
    except OSError:  # not Linux, or no autogroup scheduling: nice is enough
        pass


def main(argv: list[str]) -> int:
    from .malloc_tuning import keep_freed_memory

    keep_freed_memory()  # first: what the writer frees it takes again without a page fault (malloc_tuning.py)
    if argv[:1] == ["--zygote"]:  # the writers' start-up: forks each writer (render/zygote.py)
        from .zygote import main as zygote

        return zygote(argv[1:])
    wait = argv[1:] == ["--wait"]
    if wait and not _die_with_parent():
        return ABANDONED
    _cap_memory(memory_limit())
    return serve(argv[0], argv[1:], wait)


def serve(ref: str, paths: list[str], wait: bool) -> int:
    """The writer ``ref``: prepared, then given its paths (``wait``: on
    standard input) and written. What a worker and a child of the zygote
    (render/zygote.py) both do."""
    from ..tools import PatchVersionError
    from .formats import WriterError, writer_class

    writer = writer_class(ref)()
    if writer.priority:
        _lower_priority(int(writer.priority))
    try:
        writer.prepare()
    except PatchVersionError as exc:  # never lay out unpatched: one line, and no output
        print(f"{writer.name}: {exc}", file=sys.stderr)
        return 1
    except MemoryError:  # importing under too low a ceiling: one line, not a traceback
        print(f"{writer.name}: MemoryError", file=sys.stderr)
        return 1
    from ..publish import reading  # (and the audit's reading code: imported while waiting)
    from .facts import RenderFacts
    from .frame_stack import call_deep

    # what was imported lives as long as the process: out of every later
    # collection's walk (each full one walked these modules again)
    gc.freeze()

    if wait:
        try:
            doc_path, facts_path, out = json.loads(sys.stdin.readline())
        except (ValueError, TypeError):  # nothing, or not three paths: the render was given up
            return ABANDONED
    else:
        doc_path, facts_path, out = paths
    try:
        facts = RenderFacts.from_json(Path(facts_path).read_text(encoding="utf-8"))
        streams = getattr(writer, "write_path", None)  # a writer that reads the document a block at a time
        # under one frame-stack chunk of its own (frame_stack.py): the PDF's
        # layout workers, forked below it, mapped and unmapped a 16 KiB chunk
        # 35,000 times (39,200 of their 132,300 page faults; 93,500 after)
        if streams is not None:
            call_deep(streams, Path(doc_path), facts, Path(out))
        else:
            call_deep(writer.write, load_document(Path(doc_path)), facts, Path(out))
        reading.read_written(writer, facts, Path(out))  # normalised and read for the audit, on this core
    except WriterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except MemoryError:  # processes.py turns this into "ran out of its 3 GiB memory limit"
        print(f"{writer.name}: MemoryError", file=sys.stderr)
        return 1
    except Exception as exc:  # any writer failure becomes one line for the drafter
        print(f"{writer.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
