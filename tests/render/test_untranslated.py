"""render/untranslated.py on any document (hypothesis): every unit the
translation left in Dutch gets its language and a marker in the edition's
language, and no text is lost. Pure AST work, well under a second."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render import ast as A
from ambtsbericht_build.render.untranslated import mark_untranslated

words = st.lists(st.sampled_from(["vrede", "oorlog", "peace", "war", "noord"]), min_size=1, max_size=3)
classes = st.lists(st.sampled_from(["untranslated", "intern", "note", "x"]), max_size=2, unique=True)
langs = st.lists(st.sampled_from([["lang", "nl"], ["lang", "fr"], ["title", "t"]]), max_size=1)


def inline():
    return st.recursive(
        words.map(lambda ws: A.Str(" ".join(ws))),
        lambda inner: st.builds(
            lambda kids, cls, kv: A.Span(kids, cls, kv=kv), st.lists(inner, min_size=1, max_size=3), classes, langs
        ),
        max_leaves=8,
    )


def block():
    para = st.lists(inline(), min_size=1, max_size=3).map(A.Para)
    return st.recursive(
        para,
        lambda inner: st.builds(
            lambda kids, cls, kv: A.Div(kids, classes=cls, kv=kv),
            st.lists(inner, min_size=1, max_size=3),
            classes,
            langs,
        ),
        max_leaves=6,
    )


def _units(node, out, inside=False):
    """(unit, nested in another unit) of every untranslated Div and Span."""
    if isinstance(node, dict):
        unit = node.get("t") in ("Div", "Span") and "untranslated" in node["c"][0][1]
        if unit:
            out.append((node, inside))
        _units(node.get("c"), out, inside or unit)
    elif isinstance(node, list):
        for item in node:
            _units(item, out, inside)
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(block(), min_size=1, max_size=3))
def test_every_untranslated_unit_is_dutch_and_marked_once(blocks):
    doc = {"blocks": copy.deepcopy(blocks)}
    before = _units(blocks, [])
    count = mark_untranslated(doc, "en", "nl").count
    after = _units(doc["blocks"], [])
    assert count == len(before) == len(after)
    for unit, _nested in after:
        kv = unit["c"][0][2]
        assert [v for k, v in kv if k == "lang"] == ["nl-NL"]  # one lang, the source's, whatever it said
    text = A.stringify(doc["blocks"])
    assert text.replace("Not yet translated (Dutch)", "").replace("[NL] ", "") == A.stringify(blocks)
    outer = [u for u, nested in before if not nested]
    assert text.count("[NL]") == sum(u["t"] == "Span" for u in outer)
    assert text.count("Not yet translated (Dutch)") == sum(u["t"] == "Div" for u in outer)


def test_a_dutch_date_in_an_english_edition_gets_the_dutch_tie():
    doc = {"blocks": [A.Para([*A.text("Since"), A.Space(), A.Span(A.text("op 1 maart 2025"), ["untranslated"])])]}
    mark_untranslated(doc, "en", "nl")
    assert "1\u00a0maart\u00a02025" in json.dumps(doc, ensure_ascii=False)  # stringify reads U+00A0 as a space


def test_a_heading_is_dutch_when_its_whole_title_is():
    number = A.Span([A.Str("1.2")], ["header-section-number"])
    dutch = A.Span(A.text("Dienstplicht"), ["untranslated"], kv=[["lang", "nl"]])
    blocks = [
        A.Header(2, [number, A.Space(), dutch], "whole"),
        A.Header(2, [*A.text("Service in"), A.Space(), copy.deepcopy(dutch)], "part"),
        A.Div([A.Header(3, A.text("Achtergrond"), "in-div")], classes=["untranslated"]),
        A.Header(2, A.text("Elections"), "english"),
    ]
    assert mark_untranslated({"blocks": blocks}, "en", "nl").headings == {"whole", "in-div"}
