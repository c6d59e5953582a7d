"""The comparison itself, on pandoc ASTs: whatever two documents are
compared, accepting every change gives NEW and rejecting every change gives
OLD (so nothing is marked that did not change, and nothing that changed is
left unmarked), and a re-wrapped paragraph or a renumbered note is no change."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diff.compare import DEL, INS, compare, key
from ambtsbericht_build.render import ast as A

WORDS = st.sampled_from(["de", "het", "Testland", "arrestaties", "2025.", "bron", "werden", "(zie", "VN)"])


def _note(words: list[str]) -> dict[str, Any]:
    return {"t": "Note", "c": [A.Para(_inlines(words))]}


def _inlines(words: list[str], note: list[str] | None = None, soft: bool = False) -> list[Any]:
    out: list[Any] = []
    for i, w in enumerate(words):
        if i:
            out.append({"t": "SoftBreak"} if soft and i % 3 == 0 else A.Space())
        out.append(A.Str(w))
    if note is not None:
        out.append(_note(note))
    return out


PARAS = st.builds(
    lambda words, note, emph: A.Para(_inlines(words, note) + ([A.Emph([A.Str(emph)])] if emph else [])),
    st.lists(WORDS, min_size=1, max_size=8),
    st.none() | st.lists(WORDS, min_size=1, max_size=4),
    st.none() | WORDS,
)
BLOCKS = st.lists(
    st.one_of(
        PARAS,
        st.builds(lambda w: A.Header(2, _inlines(w), ""), st.lists(WORDS, min_size=1, max_size=3)),
        st.builds(lambda items: A.BulletList([[p] for p in items]), st.lists(PARAS, min_size=1, max_size=3)),
    ),
    max_size=6,
)


def _resolve(blocks: Any, keep: str) -> Any:
    """The document with the changes of kind ``keep`` accepted and the others rejected."""
    drop = DEL if keep == INS else INS

    def fn(node: dict[str, Any]) -> Any:
        if node["t"] == "Span" and node["c"][0][1] == [drop]:
            return []
        if node["t"] == "Span" and node["c"][0][1] == [keep]:
            return node["c"][1]
        if node["t"] == "Note":
            node["c"] = _prune(node["c"])
        return None

    return _prune(A.walk(copy.deepcopy(blocks), fn))


def _prune(blocks: list[Any]) -> list[Any]:
    """A wholly deleted block stays as an empty shell (a paragraph, heading
    or list item without text) when the deletion is accepted: left out."""
    out = []
    for b in blocks:
        if b["t"] in ("Para", "Plain") and not b["c"] or b["t"] == "Header" and not b["c"][2]:
            continue
        if b["t"] == "BulletList":
            b["c"] = [pruned for item in b["c"] if (pruned := _prune(item))]
            if not b["c"]:
                continue
        out.append(b)
    return out


def _key(blocks: list[Any]) -> str:
    return key(_resolve(blocks, INS))  # (nothing to resolve: pruned the same way)


@settings(max_examples=300, deadline=None)
@given(BLOCKS, BLOCKS)
def test_accepting_every_change_gives_new_and_rejecting_gives_old(old, new):
    marked, _changes = compare(copy.deepcopy(old), copy.deepcopy(new))
    assert _key(_resolve(marked, INS)) == _key(new)
    assert _key(_resolve(marked, DEL)) == _key(old)


@settings(max_examples=100, deadline=None)
@given(BLOCKS)
def test_a_document_compared_with_itself_has_no_change(blocks):
    marked, changes = compare(copy.deepcopy(blocks), copy.deepcopy(blocks))
    assert changes.changes == [] and changes.notes == 0
    assert key(marked) == key(blocks)


def test_rewrapping_and_note_numbers_are_no_change():
    words = ["Volgens", "HRW", "werden", "in", "2025", "journalisten", "gearresteerd."]
    old = [A.Para(_inlines(words, ["HRW,", "World", "Report"]))]
    new = [A.Para(_inlines(words, ["HRW,", "World", "Report"], soft=True))]
    # a Cite's note number and hash change when a note is added before it
    for doc, num in ((old, 1), (new, 7)):
        cite = {
            "citationId": "hrw",
            "citationNoteNum": num,
            "citationHash": num,
            "citationMode": {"t": "NormalCitation"},
        }
        doc[0]["c"].append({"t": "Cite", "c": [[cite], [A.Str("x")]]})
    _marked, changes = compare(old, new)
    assert changes.changes == []


def test_a_changed_word_in_a_note_is_one_changed_note():
    old = [A.Para(_inlines(["Tekst."], ["HRW,", "World", "Report", "2025"]))]
    new = [A.Para(_inlines(["Tekst."], ["HRW,", "World", "Report", "2026"]))]
    marked, changes = compare(old, new)
    assert (changes.notes_changed, changes.notes_added, changes.notes_deleted) == (1, 0, 0)
    assert [(c.kind, c.in_note) for c in changes.changes] == [(DEL, True), (INS, True)]
    note = marked[0]["c"][-1]["c"][0]["c"]
    assert note[-2:] == [A.Span([A.Str("2025")], [DEL], "wijziging-1"), A.Span([A.Str("2026")], [INS], "wijziging-2")]


@settings(max_examples=150, deadline=None)
@given(BLOCKS, BLOCKS)
def test_large_changed_regions_paired_by_position_still_resolve_to_old_and_new(old, new):
    """Past PAIRING_WINDOW blocks a changed region is paired by position, not
    by similarity: a coarser diff, but still exactly OLD and NEW."""
    from unittest import mock

    from ambtsbericht_build.diff import compare as C

    with mock.patch.object(C, "PAIRING_WINDOW", 0):
        marked, _changes = compare(copy.deepcopy(old), copy.deepcopy(new))
    assert _key(_resolve(marked, INS)) == _key(new)
    assert _key(_resolve(marked, DEL)) == _key(old)


def test_deleted_text_keeps_no_identifier_new_has():
    """A heading whose level changed is deleted and inserted: only NEW's keeps its id."""
    old = [A.Header(2, [A.Str("Veiligheid")], "sec-veiligheid"), A.Para([A.Span([A.Str("x")], [], "anker")])]
    new = [A.Header(3, [A.Str("Veiligheid")], "sec-veiligheid"), A.Para([A.Span([A.Str("y")], [], "anker")])]
    marked, _changes = compare(old, new)
    ids: list[str] = []

    def fn(node):
        attr = A.attr_of(node)
        if attr is not None and attr[0] and not attr[0].startswith("wijziging-"):
            ids.append(attr[0])

    A.walk(marked, fn)
    assert sorted(ids) == ["anker", "sec-veiligheid"]
