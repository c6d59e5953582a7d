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

A batch of ~30 consecutive blocks cut where the blocks' own keys say
(:func:`_batches`: an edit changes the batch it is in, not the cuts of the
others) is one entry under the keys of all its blocks; its first block's
key and its last's each name those keys (two entries of a few hundred
bytes): after an edit the missed batch's other blocks are found through
the one the edit did not change (an edited first or last block, a cut
added or removed), every output under its own block's key. Reading the benchmark report's 931 blocks
one entry each took 0.06 s of CPU and 0.11 s wall; as ~30 batches under
0.01 s. Writing one entry a block as well (955 entries on a cold render)
took 0.14-1.1 s of CPU (mostly the kernel's, creating files: the more, the
busier the disk).
The chapters' steps (render/chapter_parts.py) are one entry a chapter and
step. An entry that is corrupt, foreign or not UTF-8 is ignored
(:class:`.store.Store`) and what it held is made again.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable, Iterator, Sequence

from ..block_memo import BlockMemo, context, current
from .store import Store, digest

KIND = "blocks"
KEY_BYTES = 20  # block_memo.context's digest
STAGES = frozenset({"citeproc"})  # the stages of build_document kept on disk

_STORE: contextvars.ContextVar[Store | None] = contextvars.ContextVar("abuild_block_store", default=None)


class StoredMemo(BlockMemo):
    """A memo for one ``build_document`` that also reads and writes ``store``."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        from .outputs import writer_environment

        self.store = store
        self._base = digest("blocks/2", writer_environment())
        self.read = self.stored = 0
        self._disk: dict[bytes, str] = {}  # the outputs of the batches read

    def _key(self, key: bytes) -> str:
        return digest(self._base, key)

    def convert(
        self,
        stage: str,
        settings: bytes,
        blocks: Sequence[str],
        run: Callable[[list[str]], list[str]],
        same: Sequence[str] | None = None,
    ) -> list[str]:
        """:meth:`BlockMemo.convert`, reading the blocks' outputs a batch at a time."""
        if stage not in STAGES:
            return super().convert(stage, settings, blocks, run, same)
        keys = [context(stage, settings, b) for b in (blocks if same is None else same)]
        batches = _batches(keys)
        missed = [b for b in batches if not self._read_batch(b)]
        out = super().convert(stage, settings, blocks, run, same)
        for batch in missed:
            self._write_batch(batch)
        return out

    def _batch_key(self, keys: list[bytes]) -> str:
        return digest(self._base, "batch", *keys)

    def _anchors(self, keys: list[bytes]) -> tuple[str, str]:
        return digest(self._base, "first", keys[0]), digest(self._base, "last", keys[-1])

    def _read_batch(self, keys: list[bytes]) -> bool:
        """The outputs of a batch of blocks into this build's memory (False:
        not in the store; the batches its anchors name are read then)."""
        if self._read_exact(keys):
            return True
        for anchor in self._anchors(keys):
            named = self.store.get_json(KIND, anchor)
            if isinstance(named, list) and all(isinstance(k, str) for k in named):
                with contextlib.suppress(ValueError):
                    self._read_exact([bytes.fromhex(k) for k in named])
        return False

    def _read_exact(self, keys: list[bytes]) -> bool:
        pairs = _unpack(self.store.get(KIND, self._batch_key(keys))) if keys else None
        if pairs is None or [k for k, _ in pairs] != keys:
            return False
        self._disk.update(pairs)
        self.read += 1
        return True

    def _write_batch(self, keys: list[bytes]) -> None:
        texts = [self._now.get(k) for k in keys]
        if all(t is not None for t in texts):
            pairs = [(k, t) for k, t in zip(keys, texts, strict=True) if t is not None]
            self.store.put(KIND, self._batch_key(keys), _pack(pairs))
            named = json.dumps([k.hex() for k in keys]).encode()
            for anchor in self._anchors(keys):  # a few hundred bytes: the batch's keys
                self.store.put(KIND, anchor, named)
            self.stored += 1

    def _lookup(self, stage: str, key: bytes) -> str | None:
        return super()._lookup(stage, key) or self._disk.get(key)

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


# a block whose key's first byte is below this ends a batch: ~30 blocks a
# batch, cut where the blocks' own keys say, so an edit changes one batch
# and the batches around it stay the ones on disk
BATCH_END = 8


def _batches(keys: list[bytes]) -> list[list[bytes]]:
    out: list[list[bytes]] = [[]]
    for k in keys:
        out[-1].append(k)
        if k[0] < BATCH_END:
            out.append([])
    return [b for b in out if b]


def _pack(pairs: list[tuple[bytes, str]]) -> bytes:
    data = [t.encode("utf-8") for _, t in pairs]
    head = [[k.hex(), len(d)] for (k, _), d in zip(pairs, data, strict=True)]
    return json.dumps(head).encode() + b"\n" + b"".join(data)


def _unpack(payload: bytes | None) -> list[tuple[bytes, str]] | None:
    """The (block key, output) pairs of :func:`_pack`; None for anything else."""
    if payload is None:
        return None
    head, _, rest = payload.partition(b"\n")
    try:
        sizes = json.loads(head)
        if not isinstance(sizes, list):
            return None
        pairs, at = [], 0
        for entry in sizes:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
                return None
            key, size = bytes.fromhex(entry[0]), entry[1]
            if type(size) is not int or size < 0 or len(key) != KEY_BYTES:
                return None
            pairs.append((key, rest[at : at + size].decode("utf-8")))
            at += size
    except (ValueError, RecursionError):
        return None
    return pairs if at == len(rest) else None


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
