"""Which sources ``abuild archive`` captures, and capturing them.

A source is captured when it is public, has a ``URL`` and has no valid copy
yet (none recorded, or the one recorded is missing or no longer has its
SHA-256). The copy is recorded in the source's CSL YAML file, or for a
``.bib`` or ``.json`` source (abuild never rewrites those files) in the
``archive.yaml`` beside it (:func:`record_file`). A shared source's copy goes to
``bibliography/archive/``: one copy for every report that cites it,
recorded like every copy relative to the report directory
(``../../bibliography/archive/...``, the same from every report). A
confidential source is never fetched: it is archived outside the repository
by policy (AB111 asks for its reference).

The fetches run at most :attr:`~.fetch.Limits.parallel` at once, the
sources of one host one after another (a server is never asked twice at the
same moment). A capture is written only when the final answer is a 2xx;
any other outcome is a failure, reported for its source, and leaves no file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..load import LoadedReport, SourceEntry
from ..load.bibliography import SHARED, SIDECAR
from ..load.files import sha256_file
from . import warc
from .fetch import FetchFailed, Limits, fetch

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Outcome:
    entry: SourceEntry
    url: str
    record: dict[str, object] | None  # the `archive` mapping to record; None: failed
    message: str  # what happened, for the drafter

    @property
    def ok(self) -> bool:
        return self.record is not None

    @property
    def record_in(self) -> Path:
        """The file the copy is recorded in (:func:`record_file`)."""
        return record_file(self.entry)


def record_file(s: SourceEntry) -> Path:
    """Where a source's copy is recorded: its own CSL YAML file, or for a
    .bib or .json source (abuild never rewrites those) the ``archive.yaml``
    beside it (``bibliography/archive.yaml`` for the shared ones)."""
    if s.file.suffix.lower() not in YAML_SUFFIXES:
        return s.file.parent / SIDECAR
    return s.file


def shared_archive(lr: LoadedReport) -> Path:
    """``bibliography/archive/``: the copies of the shared sources."""
    return lr.repo.root / SHARED / "archive"


def valid_copy(lr: LoadedReport, s: SourceEntry) -> bool:
    """The source records a copy that exists in the repository with its SHA-256 (AB109's test)."""
    a = s.source.archive
    if a is None:
        return False
    path = lr.dir / a.file
    try:
        return lr.repo.contains(path) and path.is_file() and sha256_file(path) == a.sha256
    except OSError:
        return False


def targets(lr: LoadedReport) -> list[SourceEntry]:
    """The sources to capture: public, with a URL, without a valid copy."""
    return [s for s in lr.sources if not (s.broken or s.source.confidential or not s.source.URL or valid_copy(lr, s))]


def warc_name(source_id: str, when: dt.datetime) -> str:
    """``<id>-<UTC time>.warc.gz``: an id may hold ``/:?#`` (CSL allows them),
    so those become ``_`` with a hash of the id to keep two ids apart; the
    time keeps an earlier copy (perhaps the evidence of a change) in place."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", source_id).lstrip(".")[:80] or "bron"
    if safe != source_id:
        safe += "-" + hashlib.sha256(source_id.encode()).hexdigest()[:8]
    return f"{safe}-{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.warc.gz"


def capture_all(
    lr: LoadedReport,
    sources: list[SourceEntry],
    archive_dir: Path,
    limits: Limits,
    route: Callable[[str], str] | None = None,
) -> list[Outcome]:
    """Capture ``sources`` into WARC files in ``archive_dir`` (a shared
    source's into :func:`shared_archive`); one outcome each, in order."""
    by_host: dict[str, list[SourceEntry]] = {}
    for s in sources:
        by_host.setdefault((urlsplit(str(s.source.URL)).hostname or "").lower(), []).append(s)
    done: dict[int, Outcome] = {}

    def host(group: list[SourceEntry]) -> None:
        for s in group:
            done[id(s)] = _capture(lr, s, archive_dir, limits, route)

    with ThreadPoolExecutor(max_workers=max(1, limits.parallel)) as pool:
        for future in [pool.submit(host, g) for g in by_host.values()]:
            future.result()
    return [done[id(s)] for s in sources]


def _capture(
    lr: LoadedReport, s: SourceEntry, archive_dir: Path, limits: Limits, route: Callable[[str], str] | None
) -> Outcome:
    url = str(s.source.URL).strip()
    try:
        hops = fetch(url, limits, route)
    except FetchFailed as exc:
        return Outcome(s, url, None, str(exc))
    final = hops[-1]
    if not 200 <= final.status < 300:
        return Outcome(s, url, None, f"{final.url} answered {final.status} {final.reason}".rstrip())
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if s.shared:
        archive_dir = shared_archive(lr)
    path = archive_dir / warc_name(s.source.id, when)
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
        warc.write(path, hops, when)
        sha = sha256_file(path)
    except OSError as exc:
        return Outcome(s, url, None, f"{path} could not be written ({exc.strerror or exc})")
    # relative to the report directory, a shared copy too (``../../bibliography/archive/...``): format.md §4
    rel = Path(relative(path, lr.dir)).as_posix()
    record: dict[str, object] = {"file": rel, "sha256": sha, "captured": warc.warc_date(when), "status": final.status}
    via = f" (via {len(hops) - 1} redirect(s))" if len(hops) > 1 else ""
    return Outcome(s, url, record, f"{final.status}{via}, {len(final.body):,} bytes -> {rel}")


def relative(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())
