"""citeproc's finished blocks kept between renders (kind ``blocks``).

``build_document`` resolves the citations of each top-level block on its
own and then finishes it (notes punctuated, typography): a pure function of
the block and of what :meth:`..block_memo.BlockMemo.citeproc` puts in its
key (the block's JSON with its note numbers counted from its first, the
CSL style, the locale, the language, the bibliography entries the block
cites as citeproc is given them -- a confidential source's neutral key and
"confidential" flag included -- and, for the source annex, the whole
bibliography and every cited key). A render with its cache activates a
:class:`StoredMemo` for ``build_document``: a block whose key is in memory
or on disk is not sent to pandoc again. The entry's key adds the tools and
abuild's code (:func:`.outputs.writer_environment`): another pandoc or
another abuild never reads an older entry.

One entry a block (931 on the benchmark report, 4.6 MB): a one-paragraph
edit changes one block and the next render reads 930 entries in ~0.1 s of
CPU; an entry for a whole chapter would be missed by every edit of it.
An entry that is corrupt, foreign or not UTF-8 is ignored (:class:`.store.Store`)
and the block is resolved again.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from ..block_memo import BlockMemo, current
from .store import Store, digest

KIND = "blocks"
STAGES = frozenset({"citeproc"})  # the stages of build_document kept on disk

_STORE: contextvars.ContextVar[Store | None] = contextvars.ContextVar("abuild_block_store", default=None)


class StoredMemo(BlockMemo):
    """A memo for one ``build_document`` that also reads and writes ``store``."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        from .outputs import writer_environment

        self.store = store
        self._base = digest("blocks/1", writer_environment())
        self.read = self.stored = 0

    def _key(self, key: bytes) -> str:
        return digest(self._base, key)

    def _lookup(self, stage: str, key: bytes) -> str | None:
        hit = super()._lookup(stage, key)
        if hit is not None or stage not in STAGES:
            return hit
        return self._get(key)

    def _made(self, stage: str, key: bytes, output: str) -> None:
        if stage in STAGES:
            self._put(key, output)

    def kept_text(self, key: bytes) -> str | None:
        hit = super().kept_text(key)
        if hit is None:
            hit = self._get(key)
            if hit is not None:
                super().keep_text(key, hit)
        return hit

    def keep_text(self, key: bytes, text: str) -> None:
        super().keep_text(key, text)
        self._put(key, text)

    def _get(self, key: bytes) -> str | None:
        raw = self.store.get(KIND, self._key(key))
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        self.read += 1
        return text

    def _put(self, key: bytes, text: str) -> None:
        self.store.put(KIND, self._key(key), text.encode("utf-8"))
        self.stored += 1


@contextlib.contextmanager
def using(store: Store | None) -> Iterator[None]:
    """``build_document`` inside keeps its blocks in ``store`` (None: no cache)."""
    token = _STORE.set(store if store is not None and store.refused is None else None)
    try:
        yield
    finally:
        _STORE.reset(token)


@contextlib.contextmanager
def memo() -> Iterator[StoredMemo | None]:
    """A :class:`StoredMemo` active for the block inside, when a store is in
    use and no other memo is (the preview's, ``abuild diff``'s)."""
    store = _STORE.get()
    if store is None or current() is not None:
        yield None
        return
    m = StoredMemo(store)
    with m.build():
        yield m
