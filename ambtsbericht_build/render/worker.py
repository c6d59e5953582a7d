"""One format, one process: ``python -m ambtsbericht_build.render.worker FMT DOC FACTS OUT``.

Running each writer in its own process lets formats render in parallel and
keeps a crash in one (WeasyPrint, pandoc) from touching the others.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    fmt, doc_path, facts_path, out = argv
    from .writers import WRITERS, WriterError

    if fmt == "pdf":
        from . import pydyf_refs, weasy_footnotes

        weasy_footnotes.apply()
        pydyf_refs.apply()

    doc = json.loads(Path(doc_path).read_text(encoding="utf-8"))
    facts = json.loads(Path(facts_path).read_text(encoding="utf-8"))
    try:
        WRITERS[fmt](doc, facts, Path(out))
    except WriterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # any writer failure becomes one line for the drafter
        print(f"{fmt}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
