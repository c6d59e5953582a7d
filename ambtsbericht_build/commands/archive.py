"""``abuild archive``: capture the report's public sources into WARC files,
``--add`` a copy saved by hand, ``--verify`` every copy (work in :mod:`..archive`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..archive.fetch import Limits
from ..diagnostics import Diagnostics, display_path
from ..load import LoadedReport, LoadOptions, load_report

Echo = Callable[[str, bool], None]  # (line, to standard error)


class Refused(Exception):
    """Nothing was fetched or recorded; the message says why, ``findings`` what the load found."""

    def __init__(self, message: str, findings: str = "") -> None:
        super().__init__(message)
        self.findings = findings


def loaded(report: Path, archive_dir: Path | None, max_bytes: int) -> tuple[LoadedReport, Path]:
    from ..output import render

    diags = Diagnostics()
    lr = load_report(report, diags, LoadOptions(max_bytes=max_bytes))
    if lr is None or lr.report is None:
        raise Refused(f"{display_path(report)} cannot be read; fix it first", render("text", diags))
    where = archive_dir if archive_dir is not None else report / "archive"
    if not lr.repo.contains(where):
        raise Refused(f"{where} is outside the repository; the archive is kept in it (AB109)")
    return lr, where


def capture(lr: LoadedReport, where: Path, limits: Limits, echo: Echo) -> int:
    from ..archive.capture import capture_all, targets
    from ..archive.record import NotRecorded, record

    todo = targets(lr)
    if not todo:
        echo("abuild archive: every public source with a URL has a valid copy; nothing to fetch", True)
        return 0
    where.mkdir(parents=True, exist_ok=True)
    echo(f"abuild archive: capturing {len(todo)} source(s), {limits.parallel} at a time", True)
    try:
        outcomes = capture_all(lr, todo, where, limits)
    except KeyboardInterrupt:
        echo("abuild archive: interrupted; nothing recorded in sources.yaml (files already captured stay)", True)
        return 1
    records: dict[Path, dict[str, dict[str, object]]] = {}
    for o in outcomes:
        echo(f"{'captured' if o.ok else 'FAILED'} {o.entry.source.id}: {o.message}", not o.ok)
        if o.record is not None:
            records.setdefault(o.record_in, {})[o.entry.source.id] = o.record
    try:
        record(records)
    except NotRecorded as exc:
        echo(f"abuild archive: not recorded: {exc}", True)
        return 1
    failed = sum(not o.ok for o in outcomes)
    echo(f"abuild archive: {len(outcomes) - failed} captured and recorded, {failed} failed (nothing recorded)", True)
    return 1 if failed else 0


def add(lr: LoadedReport, where: Path, source_id: str, file: Path, echo: Echo) -> int:
    from ..archive.record import NotRecorded, add

    where.mkdir(parents=True, exist_ok=True)
    try:
        target, a = add(lr, source_id, file, where)
    except (NotRecorded, OSError) as exc:
        echo(f"abuild archive: not recorded: {exc}", True)
        return 1
    echo(f"recorded {display_path(target)} (sha256 {a['sha256'][:12]}...) for source {source_id}", False)
    return 0


def verify(lr: LoadedReport, echo: Echo) -> int:
    from ..archive.verify import verify

    checked = verify(lr)
    for c in checked:
        echo(str(c), False)
    bad = sum(c.problem is not None for c in checked)
    echo(f"abuild archive: {len(checked)} copy(ies) verified, {bad} problem(s)", True)
    return 1 if bad else 0
