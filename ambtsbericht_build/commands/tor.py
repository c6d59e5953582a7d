"""``abuild tor REPORT``: the ToR coverage matrix.

The matrix is computed by :mod:`ambtsbericht_build.analyse.coverage` and
written by :mod:`ambtsbericht_build.output.coverage`; this module puts the two
together.
"""

from __future__ import annotations

from pathlib import Path

from ..analyse.coverage import (
    ANSWERED,
    GEEN_INFORMATIE,
    NO_SOURCE,
    STATUSES,
    UNANSWERED,
    QuestionCoverage,
    ThemeCoverage,
    TorCoverage,
    TorUnavailable,
    tor_coverage,
)
from ..load import LoadOptions
from ..output.coverage import FORMATS, render_coverage

__all__ = [
    "ANSWERED",
    "FORMATS",
    "GEEN_INFORMATIE",
    "NO_SOURCE",
    "STATUSES",
    "UNANSWERED",
    "QuestionCoverage",
    "ThemeCoverage",
    "TorCoverage",
    "TorUnavailable",
    "coverage_report",
    "render_coverage",
    "tor_coverage",
]


def coverage_report(
    report: Path, fmt: str = "text", *, max_bytes: int = LoadOptions.max_bytes
) -> tuple[str, TorCoverage]:
    """The coverage matrix of ``report`` in ``fmt``, and the matrix (for the exit status and
    the warning about unreadable chapters); raises :class:`TorUnavailable`."""
    cov = tor_coverage(Path(report), max_bytes=max_bytes)
    return render_coverage(cov, fmt), cov
