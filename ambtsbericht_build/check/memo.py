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
check``, the render) only the parts with a :class:`Codec` are kept, on
disk (below).

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
edit one chapter is walked and the YAML not at all.

The same parts are kept between processes (``abuild check`` and the render
with their cache, the preview's first build) in ``build/.cache/checks/``
(cache/checks.py): a part whose rule gives a :class:`Codec` is stored
as JSON under the sha256 of the same key and of abuild's code and tools
(:func:`~..cache.outputs.writer_environment`). An entry is written only
when no file the check may read changed between the start of the load and
the end of the check (by ``stat``, as :func:`kept_if_steady`), and never
for a report that reads a bibliography outside its directory, the shared
``bibliography/`` and ``templates/`` (no look before the load covers it).
Kept so: AB302, AB506, AB401's reference links, AB110 and AB306 by
chapter; AB302's findings in the YAML, AB410 and AB109 (its copies inside
the report) for the report; each YAML file's values (load/yaml_kept.py).
On the benchmark report the rules took 0.67 s of CPU of ``abuild check``,
and 0.06 s with every part kept; after a one-paragraph edit the edited
chapter is walked, and AB302's secrets are read for it."""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from .. import block_memo
from ..cache.checks import Codec, Persisted, looks
from ..cache.checks import current as persisted_parts
from ..load import LoadedChapter, LoadedReport
from . import Finding

T = TypeVar("T")

__all__ = [
    "FINDINGS",
    "Codec",
    "chapter_part",
    "files_look",
    "kept_if_steady",
    "media_names",
    "report_inputs",
    "report_part",
]

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


def po_files(lr: LoadedReport) -> list[Path]:
    """Every PO file of the report's translations, as AB302 finds them
    (translate/state.py ``public_texts``)."""
    from ..translate import LANGUAGES
    from ..translate.catalog import translations_dir

    out: list[Path] = []
    for lang in LANGUAGES:
        root = translations_dir(lr, lang)
        if root.is_dir() and lr.repo.contains(root):
            out += sorted(root.rglob("*.po"))
    return out


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
    read = sorted(
        {os.path.abspath(p) for p, _ in bibliography_files(lr)} | {os.path.abspath(s.file) for s in lr.sources}
    )
    parts += [f"{p}\0{entry_hash(Path(p), root)}" for p in read]
    walked = tuple(str(w) + os.sep for w in (report, root / "bibliography", root / "templates"))
    elsewhere = tuple(p for p in read if not p.startswith(walked))
    memo = block_memo.current()
    if memo is not None:
        _ELSEWHERE[memo] = elsewhere
    kept = persisted_parts()
    if kept is not None and elsewhere:
        kept.elsewhere = True  # no look before the load covered them: nothing is written
    parts.append("media names")
    parts += media_names(report)
    # the PO files AB302 reads as translate/state.py's public_texts finds
    # them (rglob: a __pycache__ too, which the walk below leaves out)
    parts.append("po files")
    parts += [f"{p}\0{entry_hash(p, root)}" for p in po_files(lr)]
    for name, entries in (
        ("report", mine),
        ("bibliography", sorted(tree(root / "bibliography", root, skip).items())),
        ("templates", sorted(tree(root / "templates", root, skip).items())),
    ):
        parts.append(name)
        parts += [f"{rel}\0{h}" for rel, h in entries]
    return block_memo.context(*parts)


def _dump_findings(found: Iterable[Finding]) -> object:
    return [[isinstance(f.file, Path), str(f.file), f.line, f.column, f.message, _severity(f)] for f in found]


def _severity(f: Finding) -> str | None:
    return f.severity.value if f.severity is not None else None


def _load_findings(raw: object) -> tuple[Finding, ...] | None:
    from ..diagnostics import Severity

    if not isinstance(raw, list):
        return None
    out = []
    values = {s.value for s in Severity}
    for item in raw:
        if not (isinstance(item, list) and len(item) == 6):
            return None
        is_path, file, line, column, message, severity = item
        if not (
            isinstance(is_path, bool)
            and isinstance(file, str)
            and type(line) is int
            and type(column) is int
            and isinstance(message, str)
            and (severity is None or severity in values)
        ):
            return None
        sev = Severity(severity) if severity is not None else None
        out.append(Finding(Path(file) if is_path else file, line, column, message, sev))
    return tuple(out)


FINDINGS: Codec[Sequence[Finding]] = Codec(_dump_findings, _load_findings)


def _inputs(lr: LoadedReport, memo: block_memo.BlockMemo | None, kept: Persisted | None) -> bytes:
    """:func:`report_inputs`, made once a build (the preview's) or a check."""
    if memo is None:
        assert kept is not None
        return kept.report_hash(lr, report_inputs)
    return memo.per_build(
        ("report inputs", id(lr)), lambda: kept.report_hash(lr, report_inputs) if kept else report_inputs(lr)
    )


def chapter_part(
    code: str, lr: LoadedReport, lc: LoadedChapter, walk: Callable[[], T], codec: Codec[T] | None = None
) -> T:
    """``walk()``: rule ``code``'s part of chapter ``lc`` (its findings, as
    a list or tuple: shared between builds, never changed), or the part of
    an earlier build with the same chapter and the same other inputs (of
    this process, or with ``codec`` of an earlier check: cache/checks.py)."""
    memo = block_memo.current()
    kept = persisted_parts() if codec is not None else None
    if (memo is None and kept is None) or lc.chapter.pandoc_ast is None:
        # no reading of pandoc's (a timeout, pandoc missing, a refused
        # shape): the walk reads the scanner's blocks, which the next check,
        # with pandoc's reading, does not; it is neither kept nor reused
        return walk()
    inputs = _inputs(lr, memo, kept)
    key = block_memo.context("check chapter", code, inputs, _named(lr), os.path.abspath(lc.file), lc.chapter.text)
    return _reused(memo, kept, key, codec, walk)


def report_part(code: str, lr: LoadedReport, make: Callable[[], T], codec: Codec[T] | None = None) -> T:
    """``make()``: rule ``code``'s part that reads no chapter (shared
    between builds, never changed), or that of an earlier build whose inputs
    other than the chapters were the same."""
    memo = block_memo.current()
    kept = persisted_parts() if codec is not None else None
    if memo is None and kept is None:
        return make()
    inputs = _inputs(lr, memo, kept)
    return _reused(memo, kept, block_memo.context("check report", code, inputs, _named(lr)), codec, make)


def _named(lr: LoadedReport) -> str:
    """How the findings name the files: by the report's path as it was given
    (``reports/x/chapters/01.md`` from the repository, ``x/chapters/01.md``
    from ``reports/``), relative to the working directory."""
    return f"{os.getcwd()}\0{lr.dir}"


def _reused(
    memo: block_memo.BlockMemo | None, kept: Persisted | None, key: bytes, codec: Codec[T] | None, make: Callable[[], T]
) -> T:
    if kept is not None and codec is not None:
        inner = make
        make = lambda: kept.part(key, codec, inner)  # noqa: E731
    return make() if memo is None else memo.value(key, make)


@contextlib.contextmanager
def kept_if_steady(memo: block_memo.BlockMemo, report_dir: Path) -> Iterator[None]:
    """One build of ``memo`` (inside :meth:`~..block_memo.BlockMemo.build`):
    when any file it may read changed between the start (before the load)
    and the end, the build keeps none of its values for the next build.
    (Unlike the entries on disk, cache/checks.py, a file saved just before
    the build does not count: forgetting drops the HTML blocks' values too,
    and the preview builds right after each save.)"""
    before = looks(report_dir, _ELSEWHERE.get(memo, ()))
    try:
        yield
    finally:
        if looks(report_dir, _ELSEWHERE.get(memo, ())) != before:
            memo.forget_values()


def files_look(report_dir: Path) -> bytes:
    """What ``stat`` says of the files a build of the report may read (the
    preview's watcher compares it once it watches: preview/session.py)."""
    return looks(report_dir, ())
