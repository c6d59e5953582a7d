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
hash of the other inputs alone: :func:`report_part`.

On the benchmark report (12 chapters) AB302's chapter walks took 0.22 s of
CPU of each rebuild, its secrets and YAML 0.08 s; after a one-paragraph
edit one chapter is walked and the YAML not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import block_memo
from ..load import LoadedChapter, LoadedReport

T = TypeVar("T")

__all__ = ["chapter_part", "report_inputs", "report_part"]


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
