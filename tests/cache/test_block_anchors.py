"""cache/blocks.py's batches and their anchors, without pandoc: a block's
output is found after any edit of the blocks around it exactly when it was
stored, and it is always the output of that very block."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import blocks
from ambtsbericht_build.cache.store import Store


def _convert(store: Store, texts: list[str], sent: list[list[str]]) -> list[str]:
    """One build's ``convert`` of ``texts`` (a fresh memo: a new render), the output of a block its reverse."""

    def run(missing: list[str]) -> list[str]:
        sent.append(missing)
        return [t[::-1] for t in missing]

    memo = blocks.StoredMemo(store)
    with memo.build():
        return memo.convert("citeproc", b"settings", texts, run)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "build" / ".cache", repo=tmp_path)


def test_an_edited_first_or_last_block_finds_the_others_through_the_other_anchor(store, monkeypatch):
    monkeypatch.setattr(blocks, "BATCH_END", 0)  # no key ends a batch: one batch of every block
    sent: list[list[str]] = []
    assert _convert(store, ["a", "b", "c", "d"], sent) == ["a", "b", "c", "d"]
    assert _convert(store, ["A", "b", "c", "d"], sent) == ["A", "b", "c", "d"]  # found through "d"
    assert _convert(store, ["A", "b", "c", "D"], sent) == ["A", "b", "c", "D"]  # through "A"
    assert _convert(store, ["A", "b", "c", "D"], sent) == ["A", "b", "c", "D"]  # the batch itself
    assert sent == [["a", "b", "c", "d"], ["A"], ["D"]]
    # 3 batches; the anchors "a", "d", "A" (written again by the third build), "D"
    assert len([p for p in store.root.rglob("*") if p.is_file()]) == 7


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=40), min_size=1, max_size=6), st.integers(0, 256))
def test_every_output_is_its_own_blocks_after_any_edits(tmp_path_factory, builds, cut):
    store = Store(tmp_path_factory.mktemp("anchors") / "build" / ".cache")
    blocks.BATCH_END, saved = cut, blocks.BATCH_END  # every batch length, from one block to all
    try:
        for texts in builds:
            sent: list[list[str]] = []
            texts = [t * (i % 3 + 1) for i, t in enumerate(texts)]  # repeated blocks, and others
            assert _convert(store, texts, sent) == [t[::-1] for t in texts]
            assert _convert(store, texts, sent[:0]) == [t[::-1] for t in texts]
            again: list[list[str]] = []
            _convert(store, texts, again)
            assert again in ([], [[]]) or not texts  # an unchanged build sends nothing
    finally:
        blocks.BATCH_END = saved
