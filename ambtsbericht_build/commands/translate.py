"""``abuild translate extract``: the PO files of a language (work in :mod:`..translate`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostics, display_path
from ..load import LoadOptions, load_report

Echo = Callable[[str, bool], None]  # (line, to standard error)


def extract(report: Path, lang: str, max_bytes: int, echo: Echo) -> int:
    """Write or update ``translations/<lang>/*.po``; 1 when a file was left
    alone (it cannot be read) or the report cannot be read."""
    from ..output import render
    from ..translate.extract import extract as run

    diags = Diagnostics()
    lr = load_report(report, diags, LoadOptions(max_bytes=max_bytes))
    if lr is None or lr.report is None or diags.errors:
        echo(render("text", diags), True)
        echo(f"abuild translate: {display_path(report)} cannot be read completely; fix it first", True)
        return 1
    done = run(lr, lang, diags, max_bytes)
    for w in done:
        if w.refused:
            continue
        state = "written" if w.written else "unchanged"
        counts = f"{w.translated} translated, {w.fuzzy} fuzzy, {w.untranslated} untranslated"
        echo(f"{display_path(w.path)}: {counts}, {w.obsolete} obsolete ({state})", False)
    if diags.errors:
        echo(render("text", diags).rstrip("\n"), True)
        echo("abuild translate: the files above were left as they are (fix them, then extract again)", True)
        return 1
    return 0
