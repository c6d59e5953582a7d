"""``abuild archive --verify``: every archived copy re-hashed, every WARC
record read back.

``abuild check`` already re-hashes the copies (AB109); this goes further
and reads each WARC file record by record with warcio, its block and
payload digests checked, and asks that a captured copy holds a response
for the source's own address. Nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load import LoadedReport
from ..load.files import sha256_file
from . import warc


@dataclass(frozen=True)
class Checked:
    source_id: str
    file: str
    problem: str | None  # None: the copy is as recorded
    records: int = 0  # WARC records read back

    def __str__(self) -> str:
        what = f"{self.records} WARC record(s) read back" if self.records else "hash matches"
        return f"{'OK' if self.problem is None else 'BAD'} {self.source_id}: {self.file}: {self.problem or what}"


def verify(lr: LoadedReport) -> list[Checked]:
    out: list[Checked] = []
    for s in lr.sources:
        a = s.source.archive
        if a is None:
            continue
        sid = "(a confidential source)" if s.source.confidential else s.source.id
        out.append(_one(lr, sid, a.file, a.sha256, s.source.URL))
    return out


def _one(lr: LoadedReport, sid: str, name: str, sha: str, url: str | None) -> Checked:
    path = lr.dir / name
    if Path(name).is_absolute() or not lr.repo.contains(path):
        return Checked(sid, name, "is not a path inside the repository")
    if not path.is_file():
        return Checked(sid, name, "does not exist")
    try:
        actual = sha256_file(path)
    except OSError as exc:
        return Checked(sid, name, f"cannot be read ({exc.strerror or exc})")
    if actual != sha:
        return Checked(sid, name, f"has SHA-256 {actual}, not the {sha[:12]}... recorded: the copy changed")
    if not name.endswith((".warc", ".warc.gz")):
        return Checked(sid, name, None)
    try:
        records = warc.read(path)
    except warc.Unreadable as exc:
        return Checked(sid, name, str(exc))
    responses = [r for r in records if r.type == "response"]
    if not responses:
        return Checked(sid, name, "holds no response record", len(records))
    if url and not any(r.uri == url.strip() for r in responses):
        return Checked(sid, name, f"holds no response for the source's URL {url.strip()}", len(records))
    return Checked(sid, name, None, len(records))
