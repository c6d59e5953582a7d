"""The cache on disk: ``build/.cache/<kind>/<key[:2]>/<key>``, one file an entry.

An entry is one header line of JSON (what it is, the key it was stored
under, the length and sha256 of what follows) and then the payload. Reading
checks all of it: a file that is truncated, corrupt, written by another
version of abuild, stored under another key (copied or renamed) or of
another kind is ignored -- the caller computes the result again and the
entry is replaced. Nothing read from the cache is ever executed or
unpickled: payloads are bytes (pandoc's JSON, an output file) or JSON.

Writes are atomic (a private temporary file beside the entry, then
``os.replace``), so two renders at once each see a whole entry or none.

The cache is bounded: at the end of each render and of each check that
stored a chapter (:meth:`Store.evict`), when its files hold more than
:data:`MAX_BYTES` (500 MiB, ``ABUILD_CACHE_MAX`` in bytes overrides it), the
entries read or written longest ago are removed until it holds 80 % of that.
A hit touches the entry's mtime, so the order is "least recently used".
Each eviction pass also removes the private temporary files (``.tmp-*``) a
killed render left beside the entries, once they are older than
:data:`STALE_TMP_SECONDS`: a live write finishes in well under a second (the
largest entry, a 2 MB PDF), so an hour-old one is nobody's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

MAGIC = "abuild-cache"
# 1: header line + payload. Raise it when an entry's meaning changes: every
# older entry is then "wrong version" and ignored.
FORMAT = 1
MAX_BYTES = 500 * 1024 * 1024
MAX_ENV = "ABUILD_CACHE_MAX"
_HEADER_MAX = 4096  # a header longer than this is not ours
_KINDS = frozenset(
    {"render", "chapter", "output", "audit", "pdfpart", "checks", "blocks", "htmlblocks", "htmlfonts", "docxparts"}
    | {"odtparts"}
)
_KEY = re.compile(r"[0-9a-f]{64}")
_TMP = re.compile(r"\.tmp-[A-Za-z0-9_]{1,32}")  # tempfile.mkstemp(prefix=".tmp-") names
STALE_TMP_SECONDS = 3600.0
_KINDS |= {"printhtml"}  # the print HTML's blocks (cache/html_parts.py)


def max_bytes() -> int:
    raw = os.environ.get(MAX_ENV, "").strip()
    return int(raw) if raw.isdigit() else MAX_BYTES


def digest(*parts: bytes | str) -> str:
    """sha256 of ``parts``, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p
        h.update(b"%d:" % len(b))
        h.update(b)
    return h.hexdigest()


def refusal(root: Path, repo: Path | None = None) -> str | None:
    """Why ``root`` is no place for a cache (None: it is): a symlink on the
    way down from ``repo`` (``build``, ``build/.cache``, or one inside it)
    would make the cache write, and its eviction delete, wherever it
    points; so would a root that is not inside the repository."""
    here = Path(os.path.abspath(root))
    top = Path(os.path.abspath(repo)) if repo is not None else here
    if not here.is_relative_to(top):
        return f"{here} is outside the repository"
    step = here
    while True:  # the root, then each directory above it up to (not including) the repository
        if step.is_symlink():
            return f"{step} is a symbolic link"
        if step == top or step.parent == step or step.parent == top:
            break
        step = step.parent
    return None


class Store:
    """The entries under ``root`` (``build/.cache`` of ``repo``). A root that
    :func:`refusal` refuses holds nothing and is never written or evicted
    (:attr:`refused` says why, for a one-line note)."""

    def __init__(self, root: Path, limit: int | None = None, repo: Path | None = None):
        self.root = root
        self.limit = max_bytes() if limit is None else limit
        self.hits = 0
        self.misses = 0
        self.repo = repo
        self.refused = refusal(root, repo)

    def _path(self, kind: str, key: str) -> Path:
        if kind not in _KINDS or len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a cache key: {kind}/{key}")
        return self.root / kind / key[:2] / key

    def _usable(self, path: Path) -> bool:
        """The store is not refused, and no directory between its root and
        ``path`` is a symlink (one made since it was opened, or inside it)."""
        if self.refused is not None or refusal(self.root, self.repo) is not None:
            return False
        return not any(d.is_symlink() for d in (path.parent.parent, path.parent))

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``key``, or None (absent, or not to be trusted)."""
        path = self._path(kind, key)
        if not self._usable(path):
            self.misses += 1
            return None
        try:
            with _open_entry(path) as fh:
                head = fh.readline(_HEADER_MAX)
                header = json.loads(head)
                size = header["bytes"]
                if (
                    header.get("magic") != MAGIC
                    or header.get("format") != FORMAT
                    or header.get("kind") != kind
                    or header.get("key") != key
                    or not isinstance(size, int)
                    or size < 0
                ):
                    raise ValueError("foreign entry")
                payload = fh.read(size + 1)
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            self.misses += 1
            return None
        if len(payload) != size or hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            self.misses += 1
            return None  # truncated, grown or changed since it was written
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        self.hits += 1
        return payload

    def get_json(self, kind: str, key: str) -> object | None:
        raw = self.get(kind, key)
        if raw is None:
            return None
        try:
            value: object = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        return value

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store ``payload`` under ``key``, atomically; a failure (a full disk,
        a read-only build directory) only means no entry: the cache is an
        optimisation, never a reason for a render to fail."""
        path = self._path(kind, key)
        header = {
            "magic": MAGIC,
            "format": FORMAT,
            "kind": kind,
            "key": key,
            "bytes": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        tmp = None
        try:
            if not self._usable(path):
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            if not self._usable(path):  # made a symlink meanwhile
                return
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(header, sort_keys=True).encode() + b"\n")
                fh.write(payload)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def put_json(self, kind: str, key: str, value: object) -> None:
        self.put(kind, key, json.dumps(value, sort_keys=True, separators=(",", ":")).encode())

    def evict(self) -> None:
        """Remove the least recently used entries while the cache is over its
        limit. Only entries are counted (regular files at
        ``<kind>/<key[:2]>/<key>``) and removed (those that also begin with
        an entry's header); no symlink is followed, no other file touched."""
        if self.refused is not None or refusal(self.root, self.repo) is not None:
            return
        entries: list[tuple[float, int, Path]] = []
        total = 0
        for kind in sorted(_KINDS):
            _remove_stale_temporaries(self.root / kind)
            for p, st in _entries(self.root / kind):
                entries.append((st.st_mtime, st.st_size, p))
                total += st.st_size
        if total <= self.limit:
            return
        goal = self.limit * 0.8  # not at every write once full
        for _mtime, size, p in sorted(entries, key=lambda e: e[0]):
            if total <= goal:
                break
            if not _is_entry(p):
                continue  # named like one, but not ours: left alone
            with contextlib.suppress(OSError):
                p.unlink()
                total -= size


def _open_entry(path: Path) -> BinaryIO:
    """An entry opened for reading: not through a symlink, never blocking
    (a FIFO put in its place), a regular file or OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fh = os.fdopen(os.open(path, flags), "rb")
    if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
        fh.close()
        raise OSError(f"not a regular file: {path}")
    return fh


def _entries(kind_dir: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """The entries of one kind, by name and kind of file."""
    if kind_dir.is_symlink() or not kind_dir.is_dir():
        return
    with contextlib.suppress(OSError):
        for sub in sorted(os.scandir(kind_dir), key=lambda e: e.name):
            if not sub.is_dir(follow_symlinks=False) or len(sub.name) != 2:
                continue
            for e in os.scandir(sub.path):
                if not _KEY.fullmatch(e.name) or not e.name.startswith(sub.name):
                    continue
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    yield Path(e.path), st


def _remove_stale_temporaries(kind_dir: Path) -> None:
    """Remove the ``.tmp-*`` regular files older than an hour in each
    ``<kind>/<xx>/`` (a render killed between writing and renaming an entry
    leaves one; nothing else ever removes it). Symlinks, directories and
    files of other names are left alone, like :meth:`Store.evict` leaves them."""
    if kind_dir.is_symlink() or not kind_dir.is_dir():
        return
    import time

    cutoff = time.time() - STALE_TMP_SECONDS
    with contextlib.suppress(OSError):
        for sub in os.scandir(kind_dir):
            if not sub.is_dir(follow_symlinks=False) or len(sub.name) != 2:
                continue
            for e in os.scandir(sub.path):
                if not _TMP.fullmatch(e.name):
                    continue
                with contextlib.suppress(OSError):
                    st = e.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                        os.unlink(e.path)


def _is_entry(path: Path) -> bool:
    """The file begins with an entry's header (read before it is removed:
    only the evicted few are opened, not every entry at every render)."""
    try:
        with _open_entry(path) as fh:
            head = fh.readline(_HEADER_MAX)
        return bool(json.loads(head).get("magic") == MAGIC)
    except (OSError, ValueError, AttributeError, RecursionError):
        return False
