"""A rule's findings in one chapter, kept between the builds of ``abuild
preview`` (a :class:`~..block_memo.BlockMemo` is active), so that an edit
walks again only the chapter it changed.

A chapter's part is reused only under the same key: the rule's code, the
chapter's file and text, and a hash of every other input of the report (its
directory without the chapters, the repository's shared ``bibliography/``
and ``templates/``, every bibliography file it reads wherever it lies:
:func:`report_inputs`). A rule whose walk of one chapter
reads nothing else (AB302: the chapter and the secrets of the YAML) gives
exactly the findings a fresh check gives. Outside the preview (``abuild
check``, the render) nothing is kept: the walk runs.

A rule's part that reads no chapter (AB302's secrets, and its findings in
the YAML, the PO files and the media names) is kept likewise, under the
hash of the other inputs alone: :func:`report_part`. The hash covers every
name AB302 walks under ``media/`` as AB302 walks it (:func:`media_names`:
``__pycache__`` and dot files too, which the cache's walk leaves out; red
team pass 6 had a code name in ``media/__pycache__/`` kept out of view).

The files may change while a build runs: the hash is taken after the
loader read them (12-31 ms later on the red team's machine), so a save in
between would keep the old files' findings under the new files' hash.
:func:`kept_if_steady` looks at the files (by ``stat``) before the load
and after the build, and a build during which anything changed keeps
nothing for the next.

On the benchmark report (12 chapters) AB302's chapter walks took 0.22 s of
CPU of each rebuild, its secrets and YAML 0.08 s; after a one-paragraph
edit one chapter is walked and the YAML not at all."""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from .. import block_memo
from ..load import LoadedChapter, LoadedReport

T = TypeVar("T")

__all__ = ["chapter_part", "files_look", "kept_if_steady", "media_names", "report_inputs", "report_part"]

# the files outside the report, bibliography/ and templates/ that the last
# build of each memo read (report.yaml's bibliography may name one anywhere)
_ELSEWHERE: weakref.WeakKeyDictionary[block_memo.BlockMemo, tuple[str, ...]] = weakref.WeakKeyDictionary()


def media_names(report_dir: Path) -> list[str]:
    """Every name under ``media/``, sorted: the names AB302 reads
    (check/confidential.py calls this) and the preview's memo keys on."""
    media = report_dir / "media"
    if not media.is_dir():
        return []
    return [p.relative_to(media).as_posix() for p in sorted(media.rglob("*"))]


def report_inputs(lr: LoadedReport) -> bytes:
    """A hash of every file the report's check may read besides its
    chapters (by content; cache/inputs.py's walk, which never opens a file
    outside the repository). Made once a build."""
    from ..cache.inputs import entry_hash, repo_root, tree
    from ..load.bibliography import bibliography_files

    report = Path(os.path.abspath(lr.dir))
    root = repo_root(report)
    skip = (root / "build" / ".cache",)
    chapters = {os.path.abspath(lc.file) for lc in lr.chapters}
    files = tree(report, root, skip)
    mine = sorted((rel, h) for rel, h in files.items() if os.path.abspath(report / rel) not in chapters)
    parts: list[str] = [str(report)]
    # report.yaml's bibliography: may name a file anywhere in the repository
    read = {os.path.abspath(p) for p, _ in bibliography_files(lr)} | {os.path.abspath(s.file) for s in lr.sources}
    parts += [f"{p}\0{entry_hash(Path(p), root)}" for p in sorted(read)]
    memo = block_memo.current()
    if memo is not None:
        walked = (str(report), str(root / "bibliography"), str(root / "templates"))
        _ELSEWHERE[memo] = tuple(p for p in sorted(read) if not p.startswith(tuple(w + os.sep for w in walked)))
    parts.append("media names")
    parts += media_names(report)
    for name, entries in (
        ("report", mine),
        ("bibliography", sorted(tree(root / "bibliography", root, skip).items())),
        ("templates", sorted(tree(root / "templates", root, skip).items())),
    ):
        parts.append(name)
        parts += [f"{rel}\0{h}" for rel, h in entries]
    return block_memo.context(*parts)


def chapter_part(code: str, lr: LoadedReport, lc: LoadedChapter, walk: Callable[[], T]) -> T:
    """``walk()``: rule ``code``'s part of chapter ``lc`` (its findings, as
    a list or tuple: shared between builds, never changed), or the part of
    an earlier build with the same chapter and the same other inputs."""
    memo = block_memo.current()
    if memo is None:
        return walk()
    inputs = memo.per_build(("report inputs", id(lr)), lambda: report_inputs(lr))
    key = block_memo.context("check chapter", code, inputs, os.path.abspath(lc.file), lc.chapter.text)
    return memo.value(key, walk)


def report_part(code: str, lr: LoadedReport, make: Callable[[], T]) -> T:
    """``make()``: rule ``code``'s part that reads no chapter (shared
    between builds, never changed), or that of an earlier build whose inputs
    other than the chapters were the same."""
    memo = block_memo.current()
    if memo is None:
        return make()
    inputs = memo.per_build(("report inputs", id(lr)), lambda: report_inputs(lr))
    return memo.value(block_memo.context("check report", code, inputs), make)


@contextlib.contextmanager
def kept_if_steady(memo: block_memo.BlockMemo, report_dir: Path) -> Iterator[None]:
    """One build of ``memo`` (inside :meth:`~..block_memo.BlockMemo.build`):
    when any file it may read changed between the start (before the load)
    and the end, the build keeps none of its values for the next build."""
    before = _looks(report_dir, _ELSEWHERE.get(memo, ()))
    try:
        yield
    finally:
        if _looks(report_dir, _ELSEWHERE.get(memo, ())) != before:
            memo.forget_values()


def files_look(report_dir: Path) -> bytes:
    """What ``stat`` says of the files a build of the report may read (the
    preview's watcher compares it once it watches: preview/session.py)."""
    return _looks(report_dir, ())


def _looks(report_dir: Path, elsewhere: Iterable[str]) -> bytes:
    """What ``stat`` says of every file and name under the report, the
    repository's bibliography/ and templates/, and the files ``elsewhere``:
    a save changes a file's mtime_ns, size or inode (an editor's rename).
    The cache's own directory is left out (the check writes it)."""
    from ..cache.inputs import repo_root

    report = Path(os.path.abspath(report_dir))
    root = repo_root(report)
    cache = str(root / "build" / ".cache")
    parts: list[str] = []
    for top in (report, root / "bibliography", root / "templates"):
        seen: set[tuple[int, int]] = set()
        for dirpath, dirs, files in os.walk(top, followlinks=True):
            st = _stat(dirpath)
            if st is None or st[:2] in seen or dirpath == cache or dirpath.startswith(cache + os.sep):
                dirs[:] = []
                continue
            seen.add(st[:2])
            dirs.sort()
            parts += [f"{dirpath}/{n}\0{_stat(os.path.join(dirpath, n))}" for n in sorted(dirs + files)]
    parts += [f"{p}\0{_stat(p)}" for p in elsewhere]
    return block_memo.context(*parts)


def _stat(path: str) -> tuple[int, int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size, st.st_mode)
