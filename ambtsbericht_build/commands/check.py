"""``abuild check``: load, analyse and check reports; collect every finding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..load import LoadedReport, LoadOptions, load_report
from ..load.markdown.pandoc_batch import reading_ahead
from ..tools import pandoc_path


@dataclass
class CheckOptions:
    max_bytes: int = LoadOptions.max_bytes
    select: set[str] | None = None


def check_report(report_dir: Path, diags: Diagnostics, opts: CheckOptions | None = None) -> LoadedReport | None:
    opts = opts or CheckOptions()
    # pandoc reads each chapter as soon as it is loaded, while Python
    # validates and scans the rest (load/markdown/pandoc_batch.py)
    with reading_ahead(pandoc_path):
        lr = load_report(Path(report_dir), diags, LoadOptions(max_bytes=opts.max_bytes))
        if lr is not None:
            # imported here: the checks (and the analysis) are imported while
            # pandoc reads the chapters, not before it is given the first one
            from ..check import run_checks

            run_checks(lr, diags, opts.select)
    return lr


def check_reports(report_dirs: list[Path], opts: CheckOptions | None = None) -> Diagnostics:
    diags = Diagnostics()
    for d in report_dirs:
        check_report(d, diags, opts)
    return diags
