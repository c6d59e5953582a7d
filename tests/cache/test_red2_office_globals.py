"""Red team (session 8): what pandoc writes outside a piece's own text
(styles.xml, the package's other entries) for what one chapter holds: a
code block with a language (highlighting styles), a custom style, text in
another language, a formula. The chapter is added after the other pieces
are in the cache: the package must still be the one written without it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from ambtsbericht_build.render.formats import odt_pieces
from tests.cache import test_docx_parts as D
from tests.cache import test_odt_parts as O

BLOCKS: dict[str, list[dict[str, Any]]] = {
    "code": [{"t": "CodeBlock", "c": [["", ["python"], []], "def f(x):\n    return 'a' + str(1)\n"]}],
    "styled": [{"t": "Div", "c": [["", [], [["custom-style", "Eigen stijl"]]], [D.para(["eigen"], [])]]}],
    "lang": [{"t": "Para", "c": [{"t": "Span", "c": [["", [], [["lang", "fr"]]], [{"t": "Str", "c": "bonjour"}]]}]}],
    "math": [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, "x^2"]}]}],
}


def _added(doc0: dict[str, Any], what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = copy.deepcopy(doc0)
    later = copy.deepcopy(doc)
    h = {"t": "Header", "c": [1, ["h-red", [], []], [{"t": "Str", "c": "Rood"}]]}
    later["blocks"] += [h, D.para(["tekst"], []), *BLOCKS[what]]
    doc["blocks"] += [h, D.para(["tekst"], [])]
    return doc, later


@pytest.mark.parametrize("what", sorted(BLOCKS))
def test_docx_a_chapter_with_it_added_to_kept_pieces(what: str, base: Any, tmp_path: Path) -> None:  # noqa: ARG001
    doc0, facts, _ = base
    root = tmp_path / what
    doc, later = _added(doc0, what)
    D.write_both(doc, facts, root)
    with_cache, without = D.write_both(later, facts, root)
    assert with_cache == without


@pytest.mark.parametrize("what", sorted(BLOCKS))
def test_odt_a_chapter_with_it_added_to_kept_pieces(
    what: str, odt_base: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(odt_pieces, "MIN_PIECE", 0)
    doc0, facts, _ = odt_base
    root = tmp_path / what
    doc, later = _added(doc0, what)
    O.write_both(doc, facts, root)
    with_cache, without = O.write_both(later, facts, root)
    assert with_cache == without


base = D.base


@pytest.fixture(scope="module")
def odt_base(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return O.base.__wrapped__(tmp_path_factory)  # type: ignore[attr-defined]
