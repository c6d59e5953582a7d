"""The check's parts of a report, kept between processes in
``build/.cache/checks/`` (check/memo.py says which and under what key).

:func:`persisted` is opened by ``abuild check``, the render and the preview
(commands/check.py) inside the cache of the chapters' readings, before the
load; it imports nothing of the check, so that pandoc is given the first
chapter as early as without it. A part is stored as JSON under the sha256
of check/memo.py's key and of abuild's code and tools
(:func:`.outputs.writer_environment`: the Python, pandoc, the installed
distributions, every file of the package, the ``ABUILD_*`` settings).

An entry is written at the end of the check, and only when nothing the
check may read changed since before the load (by ``stat``, the ctime
included: :func:`look`), so that a save during the check cannot tie the
findings of the old files to the hash of the new ones, even one that put
the file's mtime back (tests/cache/test_saved_during_check.py); nor when a file other than a chapter changed
less than :data:`RACY_NS` before the check began (its stat may then stay
the same through a second save); and never for a report whose bibliography lies
outside the report, ``bibliography/`` and ``templates/`` (the look before
the load does not cover it).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import time
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from .. import block_memo
from .store import Store, digest

if TYPE_CHECKING:
    from ..load import LoadedReport

T = TypeVar("T")

KIND = "checks"


@dataclass(frozen=True)
class Codec(Generic[T]):
    """A part as JSON and back: ``load`` gives None for anything ``dump``
    did not make (an entry is checked and sealed, but never trusted to be
    well-formed), ``dump`` None for a part that cannot be kept."""

    dump: Callable[[T], object]
    load: Callable[[object], T | None]


@dataclass
class Persisted:
    """The parts of one check: read when asked, written at the end
    (:func:`persisted`) if the files held still."""

    store: Store
    environment: str
    pending: dict[str, object] = field(default_factory=dict)
    # entries that are a function of one file's text (a YAML file's values):
    # written whatever else changed meanwhile
    pure: dict[str, object] = field(default_factory=dict)
    inputs: dict[int, tuple[weakref.ref[LoadedReport], bytes]] = field(default_factory=dict)
    # a file read lies outside the report, bibliography/ and templates/
    elsewhere: bool = False
    hits: int = 0
    misses: int = 0

    def report_hash(self, lr: LoadedReport, make: Callable[[LoadedReport], bytes]) -> bytes:
        """``make(lr)`` (check/memo.py's hash of the inputs), once a check."""
        got = self.inputs.get(id(lr))
        if got is None or got[0]() is not lr:
            got = self.inputs[id(lr)] = (weakref.ref(lr), make(lr))
        return got[1]

    def chapter_files(self) -> set[str]:
        """The chapters of the reports checked (their parts are keyed by their text)."""
        return {os.path.abspath(lc.file) for ref, _ in self.inputs.values() if (lr := ref()) for lc in lr.chapters}

    def part(self, key: bytes, codec: Codec[T], make: Callable[[], T], pure: bool = False) -> T:
        """The part kept under ``key``, or ``make()``'s (kept at the end);
        ``pure``: a function of ``key`` alone (a file's text), kept even
        when the files changed during the check."""
        k = digest("checks/1", self.environment, key)
        raw = self.store.get_json(KIND, k)
        if raw is not None:
            value = codec.load(raw)
            if value is not None:
                self.hits += 1
                return value
        self.misses += 1
        made = make()
        dumped = codec.dump(made)
        if dumped is not None:
            (self.pure if pure else self.pending)[k] = dumped
        return made


_CURRENT: contextvars.ContextVar[Persisted | None] = contextvars.ContextVar("abuild_check_parts", default=None)


def current() -> Persisted | None:
    return _CURRENT.get()


@contextlib.contextmanager
def persisted(report_dir: Path, max_bytes: int) -> Iterator[Persisted | None]:
    """The check's parts in the store of the chapters' cache while the block
    runs (None: no cache is open, cache/chapters.py). ``max_bytes``: the
    loader's limit on a file (``--max-file-size``) is part of every key: a
    file over it is not read, and its findings are not the same."""
    from .chapters import current as chapter_cache

    cache = chapter_cache()
    if cache is None:
        yield None
        return
    from .outputs import writer_environment

    start = time.time_ns()
    before = looks(report_dir, ())
    p = Persisted(cache.store, f"{writer_environment()}\0max_bytes={max_bytes}")
    token = _CURRENT.set(p)
    try:
        yield p
    finally:
        _CURRENT.reset(token)
    kept = dict(p.pure)
    if p.pending and not p.elsewhere:
        after = look(report_dir, ())
        if after.digest == before and not after.racy(start, p.chapter_files()):
            kept.update(p.pending)
    for k, v in kept.items():
        p.store.put_json(KIND, k, v)
    if kept:
        p.store.evict()  # `abuild check` alone, edit after edit, stays within the bound


# a file changed less than this before a check began may change again
# without its stat changing: file systems keep times to 1-2 s (FAT 2 s,
# ext3 and HFS+ 1 s), and a coarse clock lags by a tick ("racy git")
RACY_NS = 2_000_000_000
# a ctime in nanoseconds is the kernel's coarse clock, which moves a tick
# (1-10 ms: HZ 1000 to 100) at a time; a ctime of whole seconds is a file
# system that keeps seconds (RACY_NS then)
CTIME_TICK_NS = 50_000_000


@dataclass(frozen=True)
class Look:
    """What ``stat`` says of the files a check may read (:func:`look`)."""

    digest: bytes
    mtimes: dict[str, int]  # every file (not directory) looked at -> its mtime_ns
    ctimes: dict[str, int] = field(default_factory=dict)  # -> its ctime_ns

    def racy(self, since_ns: int, skip: Collection[str] = ()) -> bool:
        """A file other than ``skip`` (the chapters: their parts are keyed by
        the text that was read) changed so shortly before ``since_ns`` that
        a change during the check may have left its stat as it was: by its
        mtime, or by its ctime (a save that put the mtime back), within
        :data:`RACY_NS` on a file system that keeps whole seconds, else
        within :data:`CTIME_TICK_NS`."""
        if any(m >= since_ns - RACY_NS for p, m in self.mtimes.items() if p not in skip):
            return True
        return any(
            c >= since_ns - (RACY_NS if c % 1_000_000_000 == 0 else CTIME_TICK_NS)
            for p, c in self.ctimes.items()
            if p not in skip
        )


def looks(report_dir: Path, elsewhere: Iterable[str]) -> bytes:
    """:func:`look`'s digest."""
    return look(report_dir, elsewhere).digest


def look(report_dir: Path, elsewhere: Iterable[str]) -> Look:
    """What ``stat`` says of every file and name under the report, the
    repository's bibliography/ and templates/, and the files ``elsewhere``:
    a save changes a file's ctime_ns (:func:`_stat`), and its mtime_ns, size
    or inode (an editor's rename).
    The cache's own directory is left out (the check writes it); a link
    that leaves the repository is looked at, never walked (``media/x -> /``
    would otherwise have every check walk the whole file system)."""
    from .inputs import inside, repo_root

    report = Path(os.path.abspath(report_dir))
    root = repo_root(report)
    cache = str(root / "build" / ".cache")
    parts: list[str] = []
    mtimes: dict[str, int] = {}
    ctimes: dict[str, int] = {}

    def seen_as(path: str) -> str:
        st = _stat(path)
        if st is not None and not stat.S_ISDIR(st[4]):
            mtimes[path] = st[2]
            ctimes[path] = st[5]
        return f"{path}\0{st}"

    for top in (report, root / "bibliography", root / "templates"):
        if not inside(top, root):
            parts.append(f"{top}\0outside")
            continue
        seen: set[tuple[int, int]] = set()
        for dirpath, dirs, files in os.walk(top, followlinks=True):
            st = _stat(dirpath)
            if st is None or st[:2] in seen or dirpath == cache or dirpath.startswith(cache + os.sep):
                dirs[:] = []
                continue
            seen.add(st[:2])
            parts += [seen_as(os.path.join(dirpath, n)) for n in sorted(dirs + files)]
            dirs[:] = sorted(d for d in dirs if not _leaves(os.path.join(dirpath, d), root))
    parts += [seen_as(p) for p in elsewhere]
    return Look(block_memo.context(*parts), mtimes, ctimes)


def _leaves(path: str, root: Path) -> bool:
    """``path`` is a symbolic link out of the repository."""
    from .inputs import inside

    return os.path.islink(path) and not inside(path, root)


def _stat(path: str) -> tuple[int, int, int, int, int, int] | None:
    """What a save changes: the mtime and size, the inode (an editor's
    rename), and the ctime -- which every write and every ``utime`` sets to
    the clock, so that a save in place that puts the mtime back (``touch
    -r``, tools that keep dates) and keeps the size still shows."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size, st.st_mode, st.st_ctime_ns)
