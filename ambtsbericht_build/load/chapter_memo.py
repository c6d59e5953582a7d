"""A chapter as the check leaves it (the scanner's blocks, pandoc's reading
placed on them, what reconciling found), kept between the builds of
``abuild preview`` while its text is the same: only the chapter an edit
changed is scanned, read and reconciled again.

On the benchmark report (12 chapters; a paragraph added to one, median
of 8 rebuilds at a load of 10) the check took 0.49-0.50 s of CPU a
rebuild, 0.29-0.30 s with the chapters kept (scanning, decoding pandoc's
kept reading and reconciling the 11 others); of what is left, pandoc's
reading of the edited chapter is 0.135 s.

A chapter is kept in the :class:`~..block_memo.BlockMemo` of the build
(none outside the preview: ``abuild check`` and the render scan every
chapter), under a hash of its file as named (the findings name it so), its
text, pandoc's reader and pandoc's path: :func:`parse_chapter` and
:func:`~.markdown.pandoc_ast.reconcile` read nothing else. Only a chapter
pandoc read is kept (a timeout, pandoc missing: read again next time, as a
fresh check would). Kept like every value of the memo: the last build's
and the running one's, dropped when a file changed while a build ran
(check/memo.py ``kept_if_steady``).

The kept chapter is never changed: each build gets a shallow copy
(:func:`reused`), and the render's :meth:`~.markdown.Chapter.take_pandoc_ast`
gets pandoc's reading as JSON text (:func:`hand_over`), which it decodes
into objects of its own only for a chapter whose steps are not kept
(render/chapter_parts.py): the render changes the AST it takes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .. import block_memo
from .markdown import Chapter
from .markdown.pandoc_ast import READER

__all__ = ["hand_over", "keep", "reused"]


def _key(path: Path, text: str) -> bytes | None:
    from ..tools import ToolMissing, pandoc_path

    try:
        pandoc = pandoc_path()
    except ToolMissing:
        return None
    return block_memo.context("loaded chapter", READER, pandoc, str(path), text)


class _Kept:
    """A chapter as pandoc's reading left it, and that reading as JSON text."""

    def __init__(self, chapter: Chapter) -> None:
        self.chapter = chapter
        self.json = json.dumps(chapter.pandoc_ast)


def reused(path: Path, text: str) -> Chapter | None:
    """A copy of the chapter kept for this file and text (None: none kept)."""
    memo = block_memo.current()
    key = _key(path, text) if memo is not None else None
    if memo is None or key is None:
        return None
    kept = memo.kept(key)
    if not isinstance(kept, _Kept):
        return None
    return copy.copy(kept.chapter)


def keep(chapter: Chapter) -> None:
    """Keep a chapter the check read for the next build (a no-op outside a
    memo's build, or for a chapter pandoc did not read), then hand its AST
    over as JSON (:func:`hand_over`)."""
    memo = block_memo.current()
    key = _key(chapter.path, chapter.text) if memo is not None else None
    if memo is None or key is None or not _read(chapter):
        return
    kept = memo.kept(key)
    if not isinstance(kept, _Kept):
        kept = _Kept(copy.copy(chapter))
        memo.keep(key, kept)
    hand_over(chapter, kept.json)


def hand_over(chapter: Chapter, text: str) -> None:
    """The render takes pandoc's reading of ``chapter`` from ``text``: the
    objects stay the kept chapter's, unchanged."""
    chapter.pandoc_ast, chapter.pandoc_json = None, text


def _read(chapter: Chapter) -> bool:
    return (
        chapter.pandoc_read
        and chapter.pandoc_ast is not None
        and chapter.pandoc_reader == READER
        and chapter.pandoc_text == chapter.text
    )
