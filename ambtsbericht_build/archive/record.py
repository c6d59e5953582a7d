"""Recording archived copies in sources.yaml, in place.

The edit is review/yamledit.py's (ruamel round trip: comments, key order
and quoting stay; refused when any other line would change; the file is
replaced atomically). Before the file is replaced, the new text is read
with abuild's own loader and must give the same sources with only the
``archive`` of the captured ones changed: a copy is recorded as it was
captured, or not at all.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from ..load import LoadedReport, SourceEntry
from ..load.bibliography import SIDECAR
from ..load.files import sha256_file
from ..load.yamlpos import YamlError, load_yaml
from ..models import Archive, SourceList
from ..review import yamledit
from .capture import record_file, relative, shared_archive, warc_name


class NotRecorded(Exception):
    """The file could not be edited; the message says why and what to write by hand."""


def record(records: dict[Path, dict[str, dict[str, Any]]]) -> None:
    """Write ``records`` ({sources file: {source id: archive mapping}}), one
    edit per file; a file named ``archive.yaml`` is the shared bibliography's
    record of its .bib and .json sources (:func:`sidecar`)."""
    problems = []
    for path, by_id in records.items():
        try:
            if path.name == SIDECAR and not path.exists():
                path.write_text(SIDECAR_HEAD, encoding="utf-8")
            text = path.read_bytes().decode("utf-8")  # as written: read_text would turn \r\n into \n
            if path.name == SIDECAR:
                new = sidecar(text, by_id)
                _reads_back_sidecar(text, new, by_id)
            else:
                new = yamledit.archived(text, by_id)
                _reads_back(text, new, by_id)
            yamledit.replace(path, text, new, "the archived copy")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path} cannot be read or written ({getattr(exc, 'strerror', None) or exc})")
        except yamledit.EditRefused as exc:
            shown = list(by_id.items())[:3]
            by_hand = "; ".join(f"{sid}: archive: {_flow(a)}" for sid, a in shown)
            by_hand += f" (and {len(by_id) - 3} more)" if len(by_id) > 3 else ""
            problems.append(f"{path}: {exc}; record by hand: {by_hand}")
    if problems:
        raise NotRecorded("\n".join(problems))


SIDECAR_HEAD = """\
# Archived copies of the sources of the .bib and .json files in this
# directory, which abuild never rewrites: source id -> file (relative to a
# report directory, as every archive.file: ../../bibliography/archive/...),
# sha256, capture time (UTC), HTTP status. Written by abuild archive; abuild
# check verifies every copy (AB109). A YAML source records its copy in place.
"""


def sidecar(text: str, by_id: dict[str, dict[str, Any]]) -> str:
    """``bibliography/archive.yaml`` with ``by_id`` set (an earlier record of
    the same id replaced where it stands, a new one at the end), comments and
    every other record kept; refused when any other line would change."""
    y = yamledit._yaml((2, 2, 0))  # noqa: SLF001 - the round-trip settings of every edit of abuild's
    try:
        data = y.load(text)
    except Exception as exc:  # ruamel raises many kinds on a broken file
        raise yamledit.EditRefused(f"the file does not read as YAML ({type(exc).__name__})") from None
    if data is None:  # comments only: they stay above the records
        fresh = CommentedMap((sid, CommentedMap(a)) for sid, a in by_id.items())
        return text + ("" if text.endswith("\n") or not text else "\n") + yamledit._dump(y, fresh)  # noqa: SLF001
    if not isinstance(data, CommentedMap):
        raise yamledit.EditRefused("the file is not a mapping of source id to archived copy")
    for sid, a in by_id.items():
        data[sid] = CommentedMap(a)
    new = yamledit._dump(y, data)  # noqa: SLF001
    kept = iter(new.splitlines())
    for line in text.splitlines():
        if line.strip() and not any(line == other for other in kept) and not _RECORD_LINE.match(line):
            raise yamledit.EditRefused(f"the edit would change this line: {line.strip()[:80]!r}")
    return new


_RECORD_LINE = re.compile(r"^\s*(file|sha256|captured|status)\s*:|^\S[^:]*:\s*$")


def _reads_back_sidecar(old: str, new: str, by_id: dict[str, dict[str, Any]]) -> None:
    try:
        before, _ = load_yaml(old)
        after, _ = load_yaml(new)
        if not isinstance(before, dict | None) or not isinstance(after, dict):
            raise yamledit.EditRefused("the edited file is not a mapping of source id to archived copy")
        for raw in after.values():
            Archive.model_validate(raw)
    except (YamlError, ValidationError) as exc:
        raise yamledit.EditRefused(f"the edited file would not read ({exc.__class__.__name__})") from None
    want = {**(before or {}), **{k: {f: str(v) for f, v in a.items()} for k, a in by_id.items()}}
    if after != want:
        raise yamledit.EditRefused("the edited file would read as other records")


def _flow(a: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in a.items()) + "}"


def _sources(text: str) -> list[dict[str, Any]]:
    data, _ = load_yaml(text)
    SourceList.model_validate(data)
    assert isinstance(data, list)
    return [dict(d) if isinstance(d, dict) else d for d in data]


def _reads_back(old: str, new: str, by_id: dict[str, dict[str, Any]]) -> None:
    try:
        before, after = _sources(old), _sources(new)
    except (YamlError, ValidationError, AssertionError) as exc:
        raise yamledit.EditRefused(f"the edited file would not read ({exc.__class__.__name__})") from None
    want = []
    for item in before:
        sid = str(item.get("id")) if isinstance(item, dict) else None
        if sid in by_id:
            item = {**item, "archive": {k: str(v) for k, v in by_id[sid].items()}}
        want.append(item)
    if after != want:
        raise yamledit.EditRefused("the edited file would read as other sources")


def add(lr: LoadedReport, source_id: str, file: Path, archive_dir: Path) -> tuple[Path, dict[str, Any]]:
    """Copy a file a drafter archived by hand into the archive (unless it is
    there already) and record it for ``source_id`` (a shared source's into
    ``bibliography/archive/``). Raises :class:`NotRecorded`."""
    entry = _own_source(lr, source_id)
    if entry.shared:
        archive_dir = shared_archive(lr)
        archive_dir.mkdir(parents=True, exist_ok=True)
    if not file.is_file():
        raise NotRecorded(f"{file} is not a file")
    when = dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC).replace(microsecond=0)
    if file.resolve().parent == archive_dir.resolve():
        target = file
    else:
        target = archive_dir / (warc_name(source_id, when).removesuffix(".warc.gz") + file.suffix.lower())
        if target.exists():
            raise NotRecorded(f"{target} exists already; it is never overwritten")
        shutil.copy2(file, target)
    if not lr.repo.contains(target):
        raise NotRecorded(f"{target} is outside the repository; an archived copy is kept in it (AB109)")
    rel = Path(relative(target, lr.dir)).as_posix()
    # the copy's own time: a page saved by hand is recorded when it was saved
    a: dict[str, Any] = {"file": rel, "sha256": sha256_file(target), "captured": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    record({record_file(entry): {source_id: a}})
    return target, a


def _own_source(lr: LoadedReport, source_id: str) -> SourceEntry:
    found = [s for s in lr.sources if s.source.id == source_id]
    if not found:
        raise NotRecorded(f"no source with id {source_id} in the report")
    s = found[0]
    if s.source.confidential:
        raise NotRecorded(
            "a confidential source is archived outside the repository by policy;"
            " write its archive reference under internal: archief:"
        )
    return s
