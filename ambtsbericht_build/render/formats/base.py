"""The writer base class and the registry of output formats.

Each output format is one :class:`Writer` subclass, registered with
:func:`register` (in the style of Sphinx builders). Everything that differs
between formats is on the class: its name and file suffix, whether it keeps
full CPU priority, what it imports while it waits, how it writes, how its
output is made deterministic and what of it the audit reads. The worker
process, the CLI's ``--to`` choices, the pipeline and the manifest's outputs
all come from :data:`WRITERS`, so a new format is one new class.

A writer is instantiated in two processes: in the render itself (which calls
:meth:`Writer.normalise`, :meth:`Writer.audit_parts`, :meth:`Writer.tools`
and :meth:`Writer.note` on the finished file) and in its own worker process
(:meth:`Writer.prepare`, then :meth:`Writer.write`). It keeps no state.
"""

from __future__ import annotations

import enum
import importlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ... import signals
from ...tools import PandocError, run_pandoc
from .. import ast as A

if TYPE_CHECKING:
    from ...publish.extract import Extracted
    from ..facts import RenderFacts


# Every format's table of contents lists chapters, sections and subsections
# (heading levels 1 to 3), as a published ambtsbericht's does.
TOC_DEPTH = 3


class WriterError(Exception):
    """A writer failure with a message for the drafter."""


class Priority(enum.IntEnum):
    """A writer's CPU priority, as the ``nice`` increment its process takes.

    The PDF takes four times as long as the other formats together, so it
    keeps full priority and the others use what CPU it leaves (measured on
    two cores: the PDF's pandoc step took 3.4 s beside the other writers at
    equal priority, 1.2 s with theirs lowered)."""

    FIRST = 0
    YIELD = 10


@dataclass(frozen=True)
class AuditPart:
    """One thing the render-time audit reads from a writer's output."""

    path: Path  # the file it is read from
    extract: Callable[[], Extracted]
    # written before the writer ends (e.g. the PDF's print HTML, before the
    # layout is written out): audited as soon as it exists
    early: bool = False


class Writer:
    """One output format. Subclasses set the class attributes and
    :meth:`write`; the other methods have defaults that fit a plain file."""

    name: ClassVar[str]  # the --to name and the manifest's key: "pdf"
    suffix: ClassVar[str]  # of the output file, with the dot: ".pdf"
    priority: ClassVar[Priority] = Priority.YIELD
    # modules the worker imports while it waits for the document (WeasyPrint:
    # 0.7 s), so that the import overlaps the check and the document build
    needs: ClassVar[tuple[str, ...]] = ()

    def prepare(self) -> None:
        """In the waiting worker: import what :meth:`write` will need."""
        for module in self.needs:
            importlib.import_module(module)

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        """Write ``out`` from the resolved pandoc document. The writer owns
        ``doc`` and may change it (copying the benchmark report's document
        costs 0.6 s)."""
        raise NotImplementedError

    def normalise(self, path: Path, facts: RenderFacts) -> None:
        """Make the written file deterministic, in place (before the audit)."""

    def audit_parts(self, path: Path) -> list[AuditPart]:
        """What the render-time audit reads: by default every string of the file."""
        from ...publish.extract import extract

        return [AuditPart(path, lambda: extract(path, full=True))]

    def tools(self, path: Path) -> dict[str, str] | None:
        """Versions of the libraries that shaped the file's bytes, for the manifest."""
        return None

    def note(self, path: Path) -> str:
        """Anything the drafter should know about the written file (one line)."""
        return ""


W = TypeVar("W", bound=type[Writer])

# name -> writer class, in registration order (the default order of --to)
WRITERS: dict[str, type[Writer]] = {}


def register(cls: W) -> W:
    """Class decorator: make ``cls`` an output format."""
    if not cls.name or not cls.suffix.startswith("."):
        raise ValueError(f"{cls.__name__}: a writer needs a name and a suffix such as '.pdf'")
    for other in WRITERS.values():
        if other.suffix == cls.suffix and other.name != cls.name:
            raise ValueError(f"{cls.__name__}: the suffix {cls.suffix} is already the {other.name} format's")
    WRITERS[cls.name] = cls
    return cls


# --- pandoc, for the writers that use it ------------------------------------------------


def pandoc(args: list[str], doc: dict[str, Any] | str, what: str, env: dict[str, str] | None = None) -> str:
    """pandoc from a JSON document (a dict, or already serialised)."""
    try:
        return run_pandoc(["-f", "json", *args], doc if isinstance(doc, str) else json.dumps(doc), what, env=env)
    except PandocError as exc:
        raise WriterError(str(exc)) from None


def pieces_for_cores() -> int:
    """How many pandoc processes write one document's HTML side by side (:func:`pandoc_fragments`)."""
    return min(4, os.cpu_count() or 1)


def pandoc_fragments(args: list[str], doc: dict[str, Any], what: str, parts: int | None = None) -> str:
    """An HTML fragment written by ``parts`` pandoc processes side by side,
    each given a run of whole top-level blocks (objects, or their JSON text): pandoc's HTML writer writes
    a block the same whatever surrounds it (notes are already spans, ids
    already set), so the joined pieces are what one run writes (tested).
    One piece a core: the benchmark report's print HTML (4.8 MB of JSON)
    took pandoc 0.57 s of CPU in one run, 0.70 s in two and 0.84 s in three
    (with tools.py's PANDOC_RTS; 0.8, 1.0 and 1.0 s without), so on two cores
    two pieces end first (three took 1.3 s of wall time in one run, 0.95 s
    in two and 0.8 s in three before pandoc's collector was tuned)."""
    parts = parts or pieces_for_cores()
    pieces = A.piece_documents(doc["pandoc-api-version"], doc["meta"], doc["blocks"], parts)
    if len(pieces) < 2:  # ``doc``'s blocks may be JSON text already (:func:`.ast.pieces`)
        return pandoc(args, pieces[0] if pieces else doc, what)
    with ThreadPoolExecutor(max_workers=len(pieces)) as pool:
        outs = signals.map_all(pool, lambda piece: pandoc(args, piece, what), pieces)
        return "\n".join(out.rstrip("\n") for out in outs) + "\n"
