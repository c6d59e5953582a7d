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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

MAGIC = "abuild-cache"
# 1: header line + payload. Raise it when an entry's meaning changes: every
# older entry is then "wrong version" and ignored.
FORMAT = 1
MAX_BYTES = 500 * 1024 * 1024
MAX_ENV = "ABUILD_CACHE_MAX"
_HEADER_MAX = 4096  # a header longer than this is not ours
_KINDS = frozenset({"render", "chapter", "output"})


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


class Store:
    """The entries under ``root`` (``build/.cache``)."""

    def __init__(self, root: Path, limit: int | None = None):
        self.root = root
        self.limit = max_bytes() if limit is None else limit
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        if kind not in _KINDS or len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a cache key: {kind}/{key}")
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``key``, or None (absent, or not to be trusted)."""
        path = self._path(kind, key)
        try:
            with path.open("rb") as fh:
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
            path.parent.mkdir(parents=True, exist_ok=True)
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
        """Remove the least recently used entries while the cache is over its limit."""
        entries: list[tuple[float, int, Path]] = []
        total = 0
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:
                    continue
                entries.append((st.st_mtime, st.st_size, p))
                total += st.st_size
        if total <= self.limit:
            return
        goal = self.limit * 0.8  # not at every write once full
        for _mtime, size, p in sorted(entries, key=lambda e: e[0]):
            if total <= goal:
                break
            with contextlib.suppress(OSError):
                p.unlink()
                total -= size
