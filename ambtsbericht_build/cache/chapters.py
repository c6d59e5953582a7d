"""pandoc's reading of a chapter, kept between renders.

pandoc reads the benchmark report's 12 chapters in ~0.5 s of CPU (one
``pandoc lua`` process, load/markdown/pandoc_batch.py); with one chapter
edited, eleven of those readings are the ones of the last render. An entry
is keyed by the text pandoc is given, the reader (its extensions), the Lua
script that reads, and the pandoc binary (path, size, mtime); it holds
pandoc's JSON line as pandoc wrote it and its warnings. Only a reading that
succeeded is kept: a timeout or a failure is tried again next time.

The cache is used while :func:`using` is open (a render, ``abuild check``);
:class:`~..load.markdown.pandoc_batch.Batch` takes it when it is made.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from .store import Store, digest

_CURRENT: contextvars.ContextVar[ChapterCache | None] = contextvars.ContextVar("abuild_chapter_cache", default=None)


class ChapterCache:
    def __init__(self, store: Store):
        self.store = store
        self.hits = 0
        self.stored = 0
        self._ids: dict[str, str] = {}

    def _pandoc_id(self, pandoc: str) -> str:
        hit = self._ids.get(pandoc)
        if hit is None:
            st = os.stat(pandoc)
            script = resources.files("ambtsbericht_build.load.markdown").joinpath("parse_chapters.lua").read_bytes()
            hit = self._ids[pandoc] = digest(os.path.abspath(pandoc), str(st.st_size), str(st.st_mtime_ns), script)
        return hit

    def key(self, pandoc: str, reader: str, text: bytes) -> str:
        return digest("chapter/1", self._pandoc_id(pandoc), reader, text)

    def get(self, pandoc: str, reader: str, text: bytes) -> tuple[bytes, str] | None:
        """(pandoc's JSON line, its warnings) of the last reading of ``text``."""
        try:
            raw = self.store.get("chapter", self.key(pandoc, reader, text))
        except OSError:
            return None
        if raw is None:
            return None
        head, sep, ast = raw.partition(b"\n")
        try:
            warnings = json.loads(head)["warnings"]
        except (ValueError, KeyError, TypeError):
            return None
        if not sep or not isinstance(warnings, str):
            return None
        self.hits += 1
        return ast, warnings

    def put(self, pandoc: str, reader: str, text: bytes, ast: bytes, warnings: str) -> None:
        try:
            k = self.key(pandoc, reader, text)
        except OSError:
            return
        self.store.put("chapter", k, json.dumps({"warnings": warnings}).encode() + b"\n" + ast)
        self.stored += 1


def current() -> ChapterCache | None:
    return _CURRENT.get()


def enabled() -> bool:
    """``ABUILD_CACHE=off``: no cache anywhere, as ``--no-cache`` (the test suite sets it)."""
    return os.environ.get("ABUILD_CACHE", "").strip().lower() not in ("off", "0", "no")


@contextlib.contextmanager
def opened(report_dir: Path, wanted: bool) -> Iterator[ChapterCache | None]:
    """The chapter cache of the report's repository while the block runs (when ``wanted``)."""
    from .fast import cache_dir
    from .inputs import repo_root

    store = Store(cache_dir(report_dir), repo=repo_root(report_dir)) if wanted and enabled() else None
    if store is not None and store.refused:
        sys.stderr.write(f"abuild: cache not used: {store.refused}\n")
        store = None
    with using(ChapterCache(store) if store is not None else None) as cache:
        yield cache
    if cache is not None and cache.stored:
        cache.store.evict()  # `abuild check` alone, edit after edit, stays within the bound too


@contextlib.contextmanager
def using(cache: ChapterCache | None) -> Iterator[ChapterCache | None]:
    token = _CURRENT.set(cache)
    try:
        yield cache
    finally:
        _CURRENT.reset(token)
