"""What the two sides of a diff share: pandoc's citeproc output per
top-level block (:mod:`..block_memo`), in memory, within one ``abuild diff``
(with or without the cache in ``build/.cache``).

Two revisions that differ in one chapter share most blocks byte for byte,
and a block's citeproc output is a pure function of the block and the
bibliography, style and language (the key includes their contents): so a
block OLD shares with NEW is resolved once. NEW, built in abuild's own
process, hands its outputs to OLD's process as soon as its citeproc is
done (:class:`Publishing`); OLD, which starts later (its process first
imports abuild), waits for them before its own citeproc (:class:`Given`)
and sends pandoc only the blocks NEW did not have. Benchmark report, one
chapter changed: 914 of 930 blocks reused, OLD's citeproc 1.6 s of pandoc
CPU -> 0.25 s; holding the outputs costs NEW 0.1-0.35 s of Python.

The chapters' readings by pandoc are shared the same way, through
``load/markdown/pandoc_batch.Shared`` (keyed by pandoc, reader and text, as
the cache keys them): OLD's process waits for NEW's before its check, and
pandoc reads for OLD only the chapters that differ (1 of 12, 0.55 s of CPU
less).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..block_memo import BlockMemo

STAGE = "citeproc"  # the one stage of build_document that a memo keeps


class Publishing(BlockMemo):
    """NEW's memo: its citeproc outputs go to ``publish`` once made."""

    def __init__(self, publish: Callable[[dict[bytes, str]], None]):
        super().__init__()
        self._publish = publish

    def convert(
        self,
        stage: str,
        settings: bytes,
        blocks: Sequence[str],
        run: Callable[[list[str]], list[str]],
        same: Sequence[str] | None = None,
    ) -> list[str]:
        out = super().convert(stage, settings, blocks, run, same)
        if stage == STAGE:
            self._publish(self.outputs())
        return out


class Given(BlockMemo):
    """OLD's memo: before its first conversion, the outputs ``fetch`` gives (NEW's)."""

    def __init__(self, fetch: Callable[[], dict[bytes, str]]):
        super().__init__()
        self._fetch: Callable[[], dict[bytes, str]] | None = fetch

    def convert(
        self,
        stage: str,
        settings: bytes,
        blocks: Sequence[str],
        run: Callable[[list[str]], list[str]],
        same: Sequence[str] | None = None,
    ) -> list[str]:
        self.fetch()
        return super().convert(stage, settings, blocks, run, same)

    def fetch(self) -> None:
        """Take the outputs now, if not yet (once: ``fetch`` may wait for them)."""
        if self._fetch is not None:
            fetch, self._fetch = self._fetch, None
            self.add(fetch())
