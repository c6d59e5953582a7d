"""``abuild status``: where a report stands on the path to vaststelling, and
``--advance``: record its next step (the work is in :mod:`..review`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import display_path

Echo = Callable[[str, bool], None]  # (text, to standard error)


def show(report: Path, max_bytes: int, echo: Echo) -> int:
    from ..output import render
    from ..review.status import describe, standing

    s = standing(report, max_bytes, dt.date.today())
    if s.report is None:
        echo(render("text", s.findings), True)
        echo(f"abuild status: {display_path(report)}/report.yaml cannot be read; fix it first\n", True)
        return 1
    echo(describe(s), False)
    if s.lr is not None:  # translated editions (docs/translation.md)
        from ..translate.state import status_lines

        echo("".join(f"{line}\n" for line in status_lines(s.lr)), False)
    return 0


def record(report: Path, step: str, by: str, role: str | None, date: dt.date | None, max_bytes: int, echo: Echo) -> int:
    from ..output import render
    from ..review.advance import Refused, advance

    today = dt.date.today()
    try:
        done = advance(report, step, by, role, date or today, today, max_bytes)
    except Refused as exc:
        if len(exc.findings):
            echo(render("text", exc.findings), True)
        echo(f"abuild status: refused: {exc}\n", True)
        return 1
    shown = display_path(done.report_yaml)
    echo(f"recorded {done.step} for commit {done.commit[:12]} in {shown}; status is now {done.status}\n", False)
    echo(f'next: git commit -m "{Path(os.path.abspath(report)).name}: {done.step}" {shown}\n', False)
    if done.tag:
        echo(f"then tag the edition: git tag {done.tag}\n", False)
    return 0
