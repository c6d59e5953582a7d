"""The AST helpers every transform is built on."""

from __future__ import annotations

import json

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
