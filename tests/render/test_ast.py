"""The AST helpers every transform is built on."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render import ast as A


def _doc():
    return [
        {"t": "Header", "c": [1, ["h", ["x"], [["k", "v"]]], [{"t": "Str", "c": "Kop"}]]},
        {
            "t": "Para",
            "c": [
                {"t": "Str", "c": "a"},
                {"t": "Space"},
                {"t": "Note", "c": [{"t": "Para", "c": [{"t": "Str", "c": "noot"}]}]},
                {"t": "Emph", "c": [{"t": "Str", "c": "weg"}]},
            ],
        },
        {"t": "Div", "c": [["d", [], []], [{"t": "Plain", "c": [{"t": "Str", "c": "b"}]}]]},
    ]


def test_walk_visits_every_node_bottom_up_in_document_order():
    seen = []
    A.walk(_doc(), lambda n: seen.append(n["t"]))
    assert seen == [
        "Str",
        "Header",
        "Str",
        "Space",
        "Str",
        "Para",
        "Note",
        "Str",
        "Emph",
        "Para",
        "Str",
        "Plain",
        "Div",
    ]


def test_walk_keeps_replaces_splices_and_deletes():
    def fn(n):
        if n["t"] == "Emph":
            return []  # delete
        if n["t"] == "Space":
            return [A.Str("-"), A.Str("-")]  # splice
        if n["t"] == "Str" and n["c"] == "Kop":
            return A.Str("KOP")  # replace
        return None  # keep

    out = A.walk(_doc(), fn)
    assert out[0]["c"][2] == [A.Str("KOP")]
    assert [x.get("c") for x in out[1]["c"]][:3] == ["a", "-", "-"]
    assert all(x["t"] != "Emph" for x in out[1]["c"])
    # attributes (strings, key-value lists) come through untouched
    assert out[0]["c"][1] == ["h", ["x"], [["k", "v"]]]
    assert json.dumps(out[2]) == json.dumps(_doc()[2])


def test_pieces_cut_whole_blocks_in_order():
    blocks = [A.Para([A.Str("x" * n)]) for n in (10, 500, 20, 480, 30)]
    for parts in (1, 2, 3, 9):
        got = A.pieces(blocks, parts)
        assert 1 <= len(got) <= parts
        assert [b for p in got for b in json.loads(p)] == blocks
    assert len(A.pieces(blocks, 2)) == 2
    assert A.pieces([], 3) == []


# --- visit: walk without rebuilding, and without the leaves ----------------------------

_leaf = st.one_of(
    st.builds(lambda s: {"t": "Str", "c": s}, st.text("ab.,", max_size=3)),
    st.just({"t": "Space"}),
    st.just({"t": "SoftBreak"}),
    st.just({"t": "LineBreak"}),
)
_nodes = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.builds(lambda c: {"t": "Emph", "c": c}, st.lists(inner, max_size=4)),
        st.builds(lambda c: {"t": "Para", "c": c}, st.lists(inner, max_size=4)),
        st.builds(lambda c: {"t": "Note", "c": [{"t": "Plain", "c": c}]}, st.lists(inner, max_size=3)),
        st.builds(
            lambda i, c: {"t": "Span", "c": [[i, [], []], c]}, st.text("xy", max_size=2), st.lists(inner, max_size=3)
        ),
        st.builds(lambda c: {"t": "Cite", "c": [[{"citationId": "k"}], c]}, st.lists(inner, max_size=2)),
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_nodes, max_size=5))
def test_visit_makes_the_calls_and_the_edits_walk_makes(blocks):
    """An fn of the kind visit is for (in-place edits, none to a leaf): the
    same non-leaf calls in the same order and the same document as walk's
    (the citations' renaming, the notes' separators, the ids' renaming)."""

    def edits(seen: list[str]):
        def fn(node):
            seen.append(json.dumps(node))
            if node["t"] == "Span":
                node["c"][0][0] += "-1"  # an id renamed
            elif node["t"] in ("Para", "Emph", "Plain") and len(node["c"]) > 1:
                node["c"].insert(1, {"t": "Superscript", "c": [{"t": "Str", "c": ","}]})  # a list grows
            elif node["t"] == "Cite":
                node["c"][1] = []  # what it held dropped
            return None

        return fn

    walked, visited = copy.deepcopy(blocks), copy.deepcopy(blocks)
    by_walk: list[str] = []
    by_visit: list[str] = []
    A.walk(walked, edits(by_walk))
    A.visit(visited, edits(by_visit))
    leaves = {json.dumps(x) for x in [{"t": "Space"}, {"t": "SoftBreak"}, {"t": "LineBreak"}]}
    assert [s for s in by_walk if s not in leaves and not s.startswith('{"t": "Str"')] == by_visit
    assert visited == walked
