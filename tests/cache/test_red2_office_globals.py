"""Red team (session 8): what pandoc writes outside a piece's own text
(styles.xml, numbering.xml, the manifest) for what one chapter holds: a
code block with a language (highlighting styles), custom styles, empty
lists, a formula. One chapter gains or loses such blocks while the other
comes from the cache: the package must still be the one written without
it (DOCX: render/formats/docx_pieces.py; ODT: odt_pieces.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats import odt_pieces
from tests.cache import test_docx_parts as D
from tests.cache import test_odt_parts as O

BLOCKS: dict[str, list[dict[str, Any]]] = {
    "code": [{"t": "CodeBlock", "c": [["", ["python"], []], "def f(x):\n    return 'a' + str(1)\n"]}],
    "styled": [{"t": "Div", "c": [["", [], [["custom-style", "Eigen stijl"]]], [D.para(["eigen"], [])]]}],
    "lang": [{"t": "Para", "c": [{"t": "Span", "c": [["", [], [["lang", "fr"]]], [{"t": "Str", "c": "bonjour"}]]}]}],
    "math": [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, "x^2"]}]}],
}


base = D.base  # the DOCX tests' module fixture


@pytest.fixture(scope="module")
def odt_base(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return O.base.__wrapped__(tmp_path_factory)  # type: ignore[attr-defined]


# --- the class: whatever pandoc adds for one piece, that piece in the cache or not -------------

_S = {"t": "Str", "c": "x"}
ODD = {
    "empty ordered list": {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], [[]]]},
    "empty bullet list": {"t": "BulletList", "c": [[]]},
    "list": {"t": "OrderedList", "c": [[3, {"t": "LowerRoman"}, {"t": "OneParen"}], [[D.para(["i"], [["n"]])]]]},
    "empty styled div": {"t": "Div", "c": [["", [], [["custom-style", "Eigen stijl"]]], []]},
    "styled div": BLOCKS["styled"][0],
    "empty styled span": {
        "t": "Para",
        "c": [_S, {"t": "Span", "c": [["", [], [["custom-style", "Eigen teken"]]], []]}],
    },
    "styled span": {"t": "Para", "c": [_S, {"t": "Span", "c": [["", [], [["custom-style", "Eigen teken"]]], [_S]]}]},
    "empty link": {"t": "Para", "c": [_S, {"t": "Link", "c": [["", [], []], [], ["https://example.org/leeg", ""]]}]},
    "code": BLOCKS["code"][0],
    "math": BLOCKS["math"][0],
    "other language": BLOCKS["lang"][0],
    "note": D.para(["noot"], [["n"], ["m"]]),
}
PIECE = st.lists(st.sampled_from(sorted(ODD)), max_size=3)


def _pieces(p: list[str], q: list[str], changed: int, odd: bool) -> list[dict[str, Any]]:
    """Two chapters, P of the blocks ``p`` and Q of ``q``; the one ``changed``
    says (0: P, 1: Q) holds its odd blocks only if ``odd``."""

    def h(i: int) -> dict[str, Any]:
        return {"t": "Header", "c": [1, [f"h-odd-{i}", [], []], [{"t": "Str", "c": f"Stuk {i}"}]]}

    def piece(i: int, kinds: list[str]) -> list[dict[str, Any]]:
        return [D.para([str(i)], []), *(copy.deepcopy(ODD[k]) for k in kinds if odd or i != changed)]

    return [h(1), *piece(0, p), h(2), *piece(1, q)]


def _twice(
    write: Any, doc0: dict[str, Any], facts: Any, root: Path, p: list[str], q: list[str], changed: int, grow: bool
) -> None:
    """The document written with the changed chapter's odd blocks (``grow``:
    without them) and then the other way round: the second time, the other
    chapter comes from the cache."""
    for odd in (not grow, grow):
        doc = copy.deepcopy(doc0)
        doc["blocks"] += _pieces(p, q, changed, odd)
        with_cache, without = write(doc, facts, root)
    assert with_cache == without


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(p=PIECE, q=PIECE, changed=st.integers(0, 1), grow=st.booleans())
@example(p=["empty ordered list"], q=[], changed=1, grow=False)
@example(p=["empty styled div"], q=["styled div"], changed=1, grow=False)
@example(p=["empty styled span"], q=["styled span"], changed=1, grow=False)
def test_docx_pieces_with_odd_blocks_one_changed(
    p: list[str], q: list[str], changed: int, grow: bool, base: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two chapters of odd blocks, one of them changed: the DOCX with the
    other from the cache is the DOCX without it."""
    doc0, facts, _ = base
    _twice(D.write_both, doc0, facts, tmp_path_factory.mktemp("odd"), p, q, changed, grow)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(p=PIECE, q=PIECE, changed=st.integers(0, 1), grow=st.booleans())
@example(p=[], q=["math"], changed=1, grow=True)
def test_odt_pieces_with_odd_blocks_one_changed(
    p: list[str], q: list[str], changed: int, grow: bool, odt_base: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """As for the DOCX, every chapter a piece of its own."""
    doc0, facts, _ = odt_base
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(odt_pieces, "MIN_PIECE", 0)
        _twice(O.write_both, doc0, facts, tmp_path_factory.mktemp("odd"), p, q, changed, grow)
