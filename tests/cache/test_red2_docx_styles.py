"""Red team (session 8): the DOCX's pieces (render/formats/docx_pieces.py)
when a custom style pandoc adds for one piece is used only by another.

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
