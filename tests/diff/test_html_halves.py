"""The diff's HTML is written by two pandoc runs side by side
(diff/outputs.py's _in_halves), cut at the middle of the blocks' JSON text:
what they write, joined, is what one run writes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


def _blocks(sizes: list[int]) -> list[dict]:
    from ambtsbericht_build.render import ast as A

    out = []
    for i, n in enumerate(sizes):
        words = [w for k in range(n) for w in (A.Str(f"woord{i}-{k}"), A.Space())][:-1]
        out.append(A.Header(2, words, f"kop-{i}") if i % 7 == 3 else A.Para(words))
    return out


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=1, max_value=300), min_size=0, max_size=12))
def test_the_html_in_halves_is_the_html_in_one(sizes):
    """diff/outputs.py's _in_halves: two pandoc runs, cut at the middle of the
    blocks' JSON text, write what one run writes."""
    from ambtsbericht_build.diff.outputs import _in_halves
    from ambtsbericht_build.render.formats.html import pandoc_in_pieces

    def doc() -> dict:
        return {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": _blocks(sizes)}

    assert _in_halves(pandoc_in_pieces, doc()) == pandoc_in_pieces(doc())
