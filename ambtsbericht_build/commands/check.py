"""``abuild check``: load, analyse and check reports; collect every finding."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..gc_pause import without_cyclic_gc
from ..load import LoadedReport, LoadOptions, load_report
from ..load.markdown.pandoc_batch import reading_ahead
from ..tools import pandoc_path


@dataclass
class CheckOptions:
    max_bytes: int = LoadOptions.max_bytes
    select: set[str] | None = None
    # pandoc's reading of unchanged chapters from build/.cache (cache/chapters.py)
    cache: bool = False


def check_report(
    report_dir: Path,
    diags: Diagnostics,
    opts: CheckOptions | None = None,
    analysed: Callable[[LoadedReport], None] | None = None,
) -> LoadedReport | None:
    """Load the report and run the rules; ``analysed(lr)`` is called between
    the two, once pandoc has read every chapter (the render forks its
    document build there: render/early_document.py)."""
    opts = opts or CheckOptions()
    from ..cache.chapters import opened
    from ..cache.checks import persisted

    # pandoc reads each chapter as soon as it is loaded, while Python
    # validates and scans the rest (load/markdown/pandoc_batch.py); the
    # rules' parts of unchanged chapters are kept with the readings (check/memo.py)
    # no cyclic collection during the check: its objects (pandoc's reading
    # of every chapter as dicts and lists, the scanner's blocks) stay until
    # the end, yet the collector walked them ~400 times, 0.18-0.20 s of the
    # benchmark report's 1.5 s of CPU (3 runs; reference counting frees the
    # rest as before; a cycle waits for the next collection after the check)
    with (
        without_cyclic_gc(),
        opened(report_dir, opts.cache),
        persisted(report_dir, opts.max_bytes),
        reading_ahead(pandoc_path),
    ):
        lr = load_report(Path(report_dir), diags, LoadOptions(max_bytes=opts.max_bytes))
        if lr is not None:
            # imported here: the checks (and the analysis) are imported while
            # pandoc reads the chapters, not before it is given the first one
            from ..check import run_checks

            run_checks(lr, diags, opts.select, analysed)
    return lr


def check_reports(report_dirs: list[Path], opts: CheckOptions | None = None) -> Diagnostics:
    diags = Diagnostics()
    for d in report_dirs:
        check_report(d, diags, opts)
    return diags


# files that every report reads: a change to one concerns them all
SHARED_DIRS = ("bibliography", "templates")


def reports_concerned(paths: list[Path], all_reports: list[Path]) -> list[Path]:
    """The report directories that the paths given to ``abuild check`` concern,
    in order and once each: a report directory itself; any file or directory
    inside one (a chapter, ``sources.yaml``, an image: what a pre-commit hook
    passes); every report for a file of the shared ``bibliography/`` or
    ``templates/``. A path in no report is kept as it is, so that the loader
    says what is wrong with it (AB003). Parents are looked up as written
    (``os.path.abspath``, no symlink followed): a link does not make a file
    part of a report it is not in."""
    out: dict[str, Path] = {}
    for p in paths:
        absolute = Path(os.path.abspath(p))
        shared = _top(absolute) in SHARED_DIRS
        found = next(
            (d for d in (absolute, *absolute.parents) if not d.is_symlink() and (d / "report.yaml").is_file()), None
        )
        if found is not None:
            rel = Path(os.path.relpath(found)) if found != absolute else p
            out.setdefault(os.path.normcase(str(found)), rel)
        elif shared:
            for r in all_reports:
                out.setdefault(os.path.normcase(os.path.abspath(r)), r)
        else:
            out.setdefault(os.path.normcase(str(absolute)), p)
    return list(out.values())


def _top(absolute: Path) -> str:
    """The first part of the path below the current directory (the
    repository root, as abuild is run); "" for a path outside it."""
    try:
        parts = absolute.relative_to(os.path.abspath(".")).parts
    except ValueError:
        return ""
    return parts[0] if parts else ""
