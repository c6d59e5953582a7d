"""Red team (session 8): the DOCX's pieces (render/formats/docx_pieces.py)
when pandoc adds to the package, for one piece, what no paragraph of it
refers to: a custom style named by an empty div (and used by another
piece), the numbering of a list whose items are empty.

pandoc adds a custom style to styles.xml for a div that names it, even an
empty one (no paragraph refers to it then). A run in which no piece refers
to such a style cannot be cut (docx_pieces.cut): the whole document goes
through pandoc in one run. With the cache, the piece that holds the empty
div may come from the cache, so the run that decides holds only the other
pieces: the decision, and the styles.xml, must be the same either way.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.cache.test_docx_parts import OWN_STYLE, base, para, write_both  # noqa: F401  (base: a fixture)


def _styled(words: list[str], empty: bool) -> dict[str, Any]:
    return {"t": "Div", "c": [["", [], [["custom-style", OWN_STYLE]]], [] if empty else [para(words, [])]]}


def _h1(ident: str) -> dict[str, Any]:
    return {"t": "Header", "c": [1, [ident, [], []], [{"t": "Str", "c": ident}]]}


def test_a_style_used_by_one_piece_and_named_empty_by_another(base: tuple[dict[str, Any], Any, Path]) -> None:  # noqa: F811
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    blocks = doc["blocks"]
    # piece P: an empty div with the style; piece Q: a paragraph in it
    blocks += [_h1("stijl-p"), para(["een"], []), _styled([], True), _h1("stijl-q"), _styled(["twee"], False)]
    with_cache, without = write_both(doc, facts, root)
    assert with_cache == without
    # Q's paragraph goes; P is unchanged (from the cache)
    del blocks[-1]
    blocks.append(para(["drie"], []))
    with_cache, without = write_both(doc, facts, root)
    assert with_cache == without


def test_a_list_of_empty_items_in_a_piece_from_the_cache(base: tuple[dict[str, Any], Any, Path]) -> None:  # noqa: F811
    """pandoc numbers a list (a ``w:num`` in numbering.xml) whose items are
    empty ("1." alone on a line) though no paragraph refers to it: it was in
    the package only when its piece went through pandoc in that run."""
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    empty = {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], [[]]]}
    doc["blocks"] += [_h1("leeg-p"), para(["een"], []), empty, _h1("leeg-q"), para(["twee"], [])]
    with_cache, without = write_both(doc, facts, root / "lijst")
    assert with_cache == without
    doc["blocks"][-1] = para(["drie"], [])  # Q changes; P, with the empty list, comes from the cache
    with_cache, without = write_both(doc, facts, root / "lijst")
    assert with_cache == without
