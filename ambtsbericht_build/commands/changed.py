"""``abuild changed``: the report directories a branch changed since a Git
revision (what CI renders for a pull request)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .check import SHARED_DIRS, reports_concerned


class GitFailed(Exception):
    """Git could not compare the revisions (unknown revision, not a repository)."""


def changed_files(base: str) -> list[Path]:
    """Files changed on this branch since it left ``base`` (three dots: not
    what ``base`` changed since); ``-z``: names as Git stores them."""
    proc = subprocess.run(
        ["git", "diff", "-z", "--name-only", f"{base}...HEAD", "--"], capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitFailed(proc.stderr.decode("utf-8", "replace").strip() or f"git diff {base}...HEAD failed")
    return [Path(n.decode("utf-8", "surrogateescape")) for n in proc.stdout.split(b"\0") if n]


def changed_reports(base: str | None, all_reports: list[Path]) -> list[Path]:
    """Every report without ``base``; else the reports a changed file is in,
    every report when a shared bibliography or template file changed. A
    report deleted on the branch is left out: nothing is left to render."""
    reports = all_reports
    if base:
        files = [f for f in changed_files(base) if f.parts and f.parts[0] in ("reports", *SHARED_DIRS)]
        reports = reports_concerned(files, all_reports)
    return [r for r in reports if (r / "report.yaml").is_file()]
