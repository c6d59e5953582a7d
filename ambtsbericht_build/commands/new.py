"""``abuild new REPORT_DIR --tor FILE``: scaffold a report from a Terms of Reference.

The work is done by :mod:`ambtsbericht_build.scaffold`; this module turns the
command's options into its call.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..scaffold import InvalidTor, NewOptions, NewRefused, NewResult, scaffold_report, slugify

__all__ = ["InvalidTor", "NewOptions", "NewRefused", "NewResult", "new_report", "scaffold_report", "slugify"]


def new_report(
    report_dir: Path,
    tor: Path,
    *,
    title: str | None = None,
    country: str | None = None,
    kind: str = "algemeen",
    date: dt.date | None = None,
    language: str = "nl",
) -> NewResult:
    """Scaffold ``report_dir`` from the ToR file ``tor``; raises :class:`NewRefused`
    (usage, exit 2) or :class:`InvalidTor` (the ToR's findings, exit 1)."""
    opts = NewOptions(tor=Path(tor), title=title, country=country, kind=kind, date=date, language=language)
    return scaffold_report(Path(report_dir), opts)
