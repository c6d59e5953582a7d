"""Drafters' notes that looked hidden and were printed (red team pass 4,
D01-D05): a div whose class looks like ``intern`` but is not (a look-alike
letter, ``internal``, ``interne-notitie``), text hidden only on screen
(``display:none``, ``hidden``), and a construct a browser hides as a bogus
comment but pandoc prints as text (``<?...?>``, ``<![CDATA[...]]>``,
``<!DOCTYPE ...>``). Each printed in every format with check, render and
audit exiting 0; each is now AB306, which refuses every render. Every case
is first shown to print in the real pandoc document the formats are written
from (``render/document.py``), so none tests nothing."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check import drafter_notes as DN
from ambtsbericht_build.diagnostics import Severity
from ambtsbericht_build.load.markdown import is_intern
from ambtsbericht_build.publish.text import LOOKALIKES
from tests.check.test_drafter_notes import SECRET, _run
from tests.fixtures.report_kit import CHAPTER

# (body after the chapter's head, line, column of the finding); the head has 5 lines
PRINTED = {
    "internal": (f"\n::: internal\n{SECRET}.\n:::\n", 7, 1),
    "interne-notitie": (f"\n::: {{.interne-notitie}}\n{SECRET}.\n:::\n", 7, 1),
    "span-internal": (f"\nMeer.[@hrw-2025] [{SECRET} nagaan]{{.internal}}\n", 7, 38),
    "span-display-none": (f'\nMeer.[@hrw-2025] [{SECRET} nagaan]{{style="display: none"}}\n', 7, 38),
    "span-hidden": (f"\nMeer.[@hrw-2025] [{SECRET} nagaan]{{hidden=''}}\n", 7, 38),
    "div-hidden-class": (f"\n::: verborgen\n{SECRET}.\n:::\n", 7, 1),
    "html-span-hidden": (f"\nMeer.[@hrw-2025] <span hidden>{SECRET}</span>\n", 7, 18),
    "cdata": (f"\nMeer.[@hrw-2025] <![CDATA[ {SECRET} ]]>\n", 7, 18),
    "processing-instruction": (f"\nMeer.[@hrw-2025] <? {SECRET} ?>\n", 7, 18),
    "declaration": (f"\nMeer.[@hrw-2025] <!DOCTYPE {SECRET}>\n", 7, 18),
}


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_a_note_that_only_looks_hidden_is_ab306(name):
    body, line, column = PRINTED[name]
    found, printed = _run(body)
    assert printed, "the case no longer prints: it tests nothing"
    ab306 = [d for d in found if d.code == "AB306"]
    assert [(Path(d.file).name, d.line, d.column) for d in ab306] == [(Path(CHAPTER).name, line, column)], found
    assert ab306[0].severity is Severity.ERROR and SECRET not in ab306[0].message


# a look-alike spelling of "intern" is a drafters' note for the loader, the
# render and the check alike (red team pass 5: one reader of the fence; pass
# 4 refused it as AB306 while the loader read an ordinary class)
LOOKALIKE_FENCES = {
    "cyrillic-e": f"\n::: int\u0435rn\n{SECRET}.\n:::\n",
    "fullwidth": f"\n::: \uff49\uff4e\uff54\uff45\uff52\uff4e\n{SECRET}.\n:::\n",
    "small-capitals": f"\n::: {{.\u026a\u0274\u1d1b\u1d07\u0280\u0274}}\n{SECRET}.\n:::\n",
}


@pytest.mark.parametrize("name", sorted(LOOKALIKE_FENCES))
def test_a_lookalike_intern_fence_is_a_note_and_never_printed(name):
    found, printed = _run(LOOKALIKE_FENCES[name])
    assert not printed
    assert not [d for d in found if d.code == "AB306"], found


KEPT = {
    "international": f"\n::: international\n{SECRET}.[@hrw-2025]\n:::\n",
    "span-shown": f'\nMeer.[@hrw-2025] [{SECRET}]{{style="color: red"}}\n',
    "code-span": f"\nMeer.[@hrw-2025] `<? {SECRET} ?>`\n",
    "fenced-code": f"\n```\n<![CDATA[ {SECRET} ]]>\n```\n",
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_ordinary_classes_styles_and_code_are_no_finding(name):
    found, _printed = _run(KEPT[name])
    assert not [d for d in found if d.code == "AB306"], found


# every letter UTS #39 reads as one of "intern" (Cyrillic е, Greek ι, ...)
# and its fullwidth form; not a ligature NFKC makes two letters (ǋ: Nj)
_ALIKE = {
    c: [chr(k) for k, v in LOOKALIKES.items() if v == c and len(unicodedata.normalize("NFKC", chr(k))) == 1]
    + [chr(ord(c) + 0xFEE0)]
    for c in "intern"
}


@settings(max_examples=300, deadline=None)
@given(
    letters=st.tuples(*(st.sampled_from([c, c.upper(), *_ALIKE[c]]) for c in "intern")),
    suffix=st.sampled_from(["", "e", "al", "a", "-notitie", "_note", "Opmerking"]),
    punct=st.sampled_from(["", "{", "::"]),
)
def test_any_spelling_of_intern_is_dropped_or_refused(letters, suffix, punct):
    """A class spelt as "intern" with any look-alike letters, any case and a
    suffix of the family is either an intern note (dropped by the render) or
    AB306 (refused): never a class that prints."""
    cls = punct + "".join(letters) + suffix + punct[::-1].replace("{", "}")
    assert is_intern([cls]) != DN._near_intern(cls), cls


@pytest.mark.parametrize("word", ["interview", "internet", "internationaal", "interner", "Interpol", "i", "n"])
def test_other_words_are_no_near_intern(word):
    assert not DN._near_intern(word)


@settings(max_examples=12, deadline=None)
@given(
    letters=st.tuples(*(st.sampled_from([c, c.upper(), *_ALIKE[c][:6]]) for c in "intern")),
    fence=st.sampled_from(["::: {}", "::: {{.{}}}", "::: {{{}}}", ":::{}:::", "::: {{#n-1 .{} lang=nl}}", "> ::: {}"]),
)
def test_one_reader_of_the_fence(letters, fence):
    """Any case, attribute syntax and look-alike letters of "intern": the
    loader reads a drafters' note, so the render drops it and the check
    (which exempts what the loader reads) has nothing to refuse."""
    cls = "".join(letters)
    body = "\n" + fence.format(cls) + f"\n{SECRET}.\n" + (">" if fence.startswith(">") else "") + ":::\n"
    found, printed = _run(body)
    assert not printed, body
    assert not [d for d in found if d.code == "AB306"], (body, found)
