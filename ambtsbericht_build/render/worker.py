"""One format, one process: ``python -m ambtsbericht_build.render.worker FMT DOC FACTS OUT``,
or ``... FMT --wait``.

``FMT`` names a registered writer (:mod:`.formats`), or is ``module:Class``
for a writer registered outside abuild's own formats.

Running each writer in its own process lets formats render in parallel and
keeps a crash in one (WeasyPrint, pandoc) from touching the others.

With ``--wait`` the worker imports what its format needs (WeasyPrint takes
0.7 s; :meth:`.formats.Writer.prepare`) and then waits for one line on its
standard input, the JSON array ``[DOC, FACTS, OUT]``: ``abuild render`` starts
the workers before it checks the report and builds the document, so the
imports cost no time on the way to the PDF. Anything else on standard input,
or its end (the render was given up, or ``abuild`` itself died), ends the
worker without reading or writing anything. FACTS is a
:class:`.facts.RenderFacts` as JSON, checked field by field on load.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ABANDONED = 3


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
    wait = argv[1:] == ["--wait"]
    from ..tools import PatchVersionError
    from .formats import WriterError, writer_class

    writer = writer_class(argv[0])()
    if writer.priority:
        _lower_priority(int(writer.priority))
    try:
        writer.prepare()
    except PatchVersionError as exc:  # never lay out unpatched: one line, and no output
        print(f"{writer.name}: {exc}", file=sys.stderr)
        return 1
    from .facts import RenderFacts

    if wait:
        try:
            doc_path, facts_path, out = json.loads(sys.stdin.readline())
        except (ValueError, TypeError):  # nothing, or not three paths: the render was given up
            return ABANDONED
    else:
        doc_path, facts_path, out = argv[1:]
    doc = json.loads(Path(doc_path).read_text(encoding="utf-8"))
    try:
        facts = RenderFacts.from_json(Path(facts_path).read_text(encoding="utf-8"))
        writer.write(doc, facts, Path(out))
    except WriterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # any writer failure becomes one line for the drafter
        print(f"{writer.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
