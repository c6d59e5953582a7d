"""The needles of each part of a report (its sources, each chapter), kept
between the builds of the preview (while a :class:`~..block_memo.BlockMemo`
is active; everywhere else they are made every time).

Each part's needles are kept under everything :mod:`.forbidden` makes
them from, in full: for the sources, every secret field (its source,
path, kind, file, line, column, value and label), the ``public_terms``
and each source's id, confidentiality, file and line; for a chapter, its
path and its text. A changed value is another key, never a stale needle.
On the benchmark report (350 sources, 12 chapters) the two took 40 ms of
CPU a rebuild."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import block_memo

if TYPE_CHECKING:
    from ..load import LoadedReport
    from .forbidden import Needle, SecretField


class Kept:
    def __init__(self) -> None:
        self.memo = block_memo.current()

    def _value(self, key: bytes, make: Callable[[], list[Needle]]) -> list[Needle]:
        if self.memo is None:
            return make()
        return self.memo.value(key, make)

    def sources(
        self,
        lr: LoadedReport,
        fields: list[SecretField],
        rel: Callable[[Path], str],
        make: Callable[[], list[Needle]],
    ) -> list[Needle]:
        if self.memo is None:
            return make()
        secret = [(f.kind, f.source, f.field, rel(f.file), f.line, f.column, f.value, f.label) for f in fields]
        terms = lr.report.public_terms if lr.report is not None else []
        keys = [(s.source.id, s.source.confidential, rel(s.file), s.line) for s in lr.sources]
        key = block_memo.context("forbidden: sources", repr(secret), repr(terms), repr(keys))
        return self._value(key, make)

    def chapter(self, name: str, text: str, make: Callable[[], list[Needle]]) -> list[Needle]:
        return self._value(block_memo.context("forbidden: chapter", name, text), make)


__all__ = ["Kept"]
