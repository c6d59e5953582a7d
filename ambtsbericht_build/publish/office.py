"""Deterministic DOCX/ODT packages.

pandoc runs in its sandbox, where it cannot read the clock or the
environment: it dates every document 1970-01-01 and every zip entry
1980-01-01, whatever ``SOURCE_DATE_EPOCH`` says. After the writers ran, the
render rewrites each package once:

- the document's own dates (DOCX ``docProps/core.xml`` created/modified, ODT
  ``meta.xml`` creation-date and dc:date) become the source epoch (the commit
  time, or ``SOURCE_DATE_EPOCH``);
- entries are written in a fixed order (``mimetype`` first and stored for
  ODT, ``[Content_Types].xml`` first for DOCX, the rest by name), each with
  the source epoch as its timestamp, fixed permissions and no extra fields.

Everything else is copied byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Collection
from pathlib import Path

ZIP_MIN_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest date a zip entry can hold
# zlib's default level: on the benchmark report's DOCX (4 fonts of 0.5 MB,
# 2 MB of XML) 0.076 s of CPU and 1,247,574 bytes; level 9 took 0.135 s (of
# the render's main process, after each office writer) for 1,240,547 bytes
LEVEL = 6

_DOCX_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_ODT_DATES = re.compile(rb"(<(meta:creation-date|dc:date)\b[^>]*>)[^<]*(</\2>)")


def iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _redate(name: str, data: bytes, kind: str, stamp: bytes) -> bytes:
    if kind == "docx" and name == "docProps/core.xml":
        return _DOCX_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
    if kind == "odt" and name == "meta.xml":
        return _ODT_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
    return data


def normalise_package(path: Path, epoch: int, kind: str | None = None) -> None:
    """Rewrite a DOCX/ODT in place (atomically), deterministically; one that
    :func:`write_package` wrote for this ``epoch`` is left as it is (its bytes
    are what the rewrite would write). On the benchmark report's ODT and DOCX
    (3.7 MB each, 2 MB of it fonts) a writer's fast write and this rewrite
    took 0.12 s of CPU, the package written so once and looked at 0.08 s."""
    kind = kind or path.suffix.lower().lstrip(".")
    with zipfile.ZipFile(path) as z:
        if _written_so(z, epoch, kind):
            return
        entries: dict[str, bytes] = {}
        for info in z.infolist():
            if info.is_dir() or info.filename in entries:
                continue
            entries[info.filename] = z.read(info)
    write_package(path, entries, epoch, kind)


def write_package(path: Path, entries: dict[str, bytes], epoch: int, kind: str) -> None:
    """Write ``entries`` at ``path`` (atomically) as the deterministic package
    (the module's docstring): a writer that writes it so once saves the
    render's rewrite."""
    stamp = iso(epoch).encode("ascii")
    part = path.with_name(path.name + ".zip-part")
    try:
        with zipfile.ZipFile(part, "w") as out:
            for name in _order(entries, kind):
                info = _info(name, epoch, kind)
                out.writestr(
                    info,
                    _redate(name, entries[name], kind, stamp),
                    compress_type=info.compress_type,
                    compresslevel=None if info.compress_type == zipfile.ZIP_STORED else LEVEL,
                )
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _order(names: Collection[str], kind: str) -> list[str]:
    """``mimetype`` (ODT) or ``[Content_Types].xml`` (DOCX) first, the rest by name."""
    first = "mimetype" if kind == "odt" else "[Content_Types].xml"
    return ([first] if first in names else []) + sorted(n for n in names if n != first)


def _info(name: str, epoch: int, kind: str) -> zipfile.ZipInfo:
    when = dt.datetime.fromtimestamp(max(epoch, ZIP_MIN_EPOCH), dt.UTC).timetuple()[:6]
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    stored = kind == "odt" and name == "mimetype"
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _written_so(z: zipfile.ZipFile, epoch: int, kind: str) -> bool:
    """Whether :func:`write_package` wrote ``z`` for ``epoch``: its entries in
    its order, each with its date, system, permissions and compression and
    nothing else, and the document's own dates the epoch's. (Only it writes
    the source epoch into every entry: pandoc dates them 1980, zipfile the
    time of writing.)"""
    infos = z.infolist()
    names = [i.filename for i in infos]
    if z.comment or len(set(names)) != len(names) or names != _order(names, kind):
        return False
    for i in infos:
        want = _info(i.filename, epoch, kind)
        got = (i.date_time, i.create_system, i.external_attr, i.compress_type, i.extra, i.comment, i.flag_bits)
        if got != (want.date_time, 3, want.external_attr, want.compress_type, b"", b"", 0):
            return False
    dated = "meta.xml" if kind == "odt" else "docProps/core.xml"
    if dated not in names:
        return True
    data = z.read(dated)
    return _redate(dated, data, kind, iso(epoch).encode("ascii")) == data
