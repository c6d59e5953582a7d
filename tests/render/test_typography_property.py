"""Property: the typesetting changes no visible text but space → U+00A0 and
hyphen → en dash in a range, and never touches code, link targets, ids or
attributes (render/typography.py)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render import ast as A
from ambtsbericht_build.render.source_order import collation
from ambtsbericht_build.render.typography import (
    EN_DASH,
    NBSP,
    WORD_JOINER,
    is_note_call,
    keep_calls_with_words,
    straight_marks,
    ties_and_ranges,
    typeset,
)

WORDS = [
    "17",
    "3",
    "januari",
    "mei",
    "January",
    "p.",
    "pp.",
    "(p.",
    "nr.",
    "Nr.",
    "No.",
    "art.",
    "par.",
    "para.",
    "§",
    "Wet",
    "7/2025",
    "7/2025.",
    "14-16",
    "14-16.",
    "(14-16)",
    "2019-2021",
    "2021-2019",
    "2019-2021.",
    "1999-2000-2001",
    "12",
    "45",
    "%",
    "km",
    "€",
    "300",
    "IV",
    "de",
    "regering",
    "-",
    "--",
    "\u2013",
    "\u2014",
    "versie",
    "version",
    "2.0",
    "a-b",
    "https://x.example/p.-14-16/2019-2021",
    "www.example.org/2019-2021",
    "iemand@example.org",
    "/pad/2019-2021",
    "A/HRC/55/23",
    "S/2025/123.",
    "A/79/878–S/2025/247",
    "and/or",
    "prof.",
    "A.B.",
    "Janssen",
    "12-",
    "-12",
    "\u00a0",
    "",
]

word = st.sampled_from(WORDS) | st.text(alphabet="0123456789-. %pnr/", max_size=8)


def _inlines(depth: int) -> st.SearchStrategy[list[Any]]:
    leaf = st.one_of(
        word.map(A.Str),
        st.just(A.Space()),
        st.just({"t": "SoftBreak"}),
        st.lists(word, min_size=1, max_size=4).map(lambda ws: {"t": "Code", "c": [["", [], []], " ".join(ws)]}),
    )
    if depth == 0:
        return st.lists(leaf, max_size=12)
    inner = _inlines(depth - 1)
    node = st.one_of(
        leaf,
        inner.map(A.Emph),
        inner.map(lambda xs: A.Span(xs, ["x"], "id-2019-2021", [["data-p", "p. 14-16"]])),
        st.tuples(inner, word).map(lambda a: A.Link(a[0], "https://x.example/" + a[1])),
        inner.map(lambda xs: {"t": "Note", "c": [A.Para(xs)]}),
    )
    return st.lists(node, max_size=12)


def _visible(obj: Any, out: list[str]) -> list[str]:
    """The text a reader sees, notes in brackets where they are called."""
    if isinstance(obj, list):
        for x in obj:
            _visible(x, out)
    elif isinstance(obj, dict):
        t, c = obj.get("t"), obj.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak"):
            out.append(" ")
        elif t == "Code":
            out.append(c[1])
        elif t == "Note":
            out.append("[")
            _visible(c, out)
            out.append("]")
        elif t in ("Span", "Link"):
            _visible(c[1], out)
        elif isinstance(c, list):
            _visible(c, out)
    return out


def _untouchable(obj: Any, out: list[Any]) -> list[Any]:
    """Code, link targets, ids and attributes, in document order."""
    if isinstance(obj, list):
        for x in obj:
            _untouchable(x, out)
    elif isinstance(obj, dict):
        t, c = obj.get("t"), obj.get("c")
        if t == "Code":
            out.append(c)
        elif t in ("Span", "Link"):
            out.append(c[0] if t == "Span" or c[0][1] else c[2])
            if t == "Link":
                out.append(c[2])
            _untouchable(c[1], out)
        elif isinstance(c, list):
            _untouchable(c, out)
    return out


@settings(max_examples=400, deadline=None)
@given(_inlines(2), st.sampled_from(["nl", "en"]))
def test_only_spaces_become_nbsp_and_range_hyphens_en_dashes(inlines, lang):
    before = [A.Para(inlines)]
    after = copy.deepcopy(before)
    ties_and_ranges(after, lang)
    old, joined = "".join(_visible(before, [])), "".join(_visible(after, []))
    # a word joiner only right after the slash of a document number
    for i, ch in enumerate(joined):
        if ch == WORD_JOINER:
            assert joined[i - 1] == "/" and (joined[i + 1].isdigit() or joined[i + 1].isupper()), joined
    new = joined.replace(WORD_JOINER, "")
    assert len(old) == len(new)
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        if a == b:
            continue
        if a == " " and b == NBSP:
            continue
        assert (a, b) == ("-", EN_DASH), (old, new)
        assert new[i - 1].isdigit() and new[i + 1].isdigit(), f"an en dash only between two numbers: {new!r}"
    assert _untouchable(after, []) == _untouchable(before, [])
    # URLs, e-mail addresses and paths are printed as written
    for token in (w for w in WORDS if "://" in w or "@" in w or w.startswith(("/", "www."))):
        at = joined.find(token)
        assert (at >= 0) == (token in old), joined
        while at >= 0:
            assert joined[at : at + len(token)] == token, joined
            at = joined.find(token, at + 1)


@settings(max_examples=300, deadline=None)
@given(_inlines(2))
def test_keeping_calls_with_words_only_drops_spaces_before_calls(inlines):
    before = [A.Para(inlines)]
    after = copy.deepcopy(before)
    keep_calls_with_words(after)
    old, new = "".join(_visible(before, [])), "".join(_visible(after, []))
    assert new.replace(" ", "") == old.replace(" ", "")
    assert not _space_before_call(after), "no space before a note call"
    ours = ["", ["note-call"], []]
    assert [u for u in _untouchable(after, []) if u != ours] == _untouchable(before, [])


def _space_before_call(obj: Any) -> bool:
    if isinstance(obj, list):
        for prev, x in zip([None, *obj], obj, strict=False):
            if is_note_call(x) and isinstance(prev, dict) and prev.get("t") in ("Space", "SoftBreak"):
                return True
        return any(_space_before_call(x) for x in obj)
    if isinstance(obj, dict):
        return _space_before_call(obj.get("c"))
    return False


def test_the_house_style_quotation_marks():
    doc = [
        A.Para(
            [
                {
                    "t": "Quoted",
                    "c": [
                        {"t": "DoubleQuote"},
                        [A.Str("a"), {"t": "Quoted", "c": [{"t": "SingleQuote"}, [A.Str("b")]]}],
                    ],
                }
            ]
        )
    ]
    nl, en = copy.deepcopy(doc), copy.deepcopy(doc)
    assert A.stringify(typeset(nl, "nl")) == "‘a“b”’"
    assert A.stringify(typeset(en, "en")) == "‘a“b”’", "British (en-GB) like citeproc's locale"


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(["Wet nr. {}/2025", "{} km", "Rapport {}"]))
def test_numbers_in_the_source_annex_sort_by_value(a, b, pattern):
    ka, kb = collation(pattern.format(a)), collation(pattern.format(b))
    assert (ka < kb) == (a < b)


@given(
    st.sampled_from(["De ", "de ", "Het ", "een ", "'t ", "’t ", "The ", "‘", "“De ", '"', "(", ""]),
    st.from_regex(r"[bcxyzé]{1,8}( [bcxyzé0-9]{1,8})?", fullmatch=True),
)
def test_articles_quotes_case_and_accents_do_not_count(prefix, name):
    assert collation(prefix + name.upper()) == collation(name)
    assert collation("Ärzte ohne Grenzen") == collation("arzte ohne grenzen")


@given(st.text(alphabet="ab's\"- .()1", max_size=30), st.sampled_from(["nl", "en"]))
def test_straight_marks_only_set_apostrophes_quotes_and_dashes(s, lang):
    out = straight_marks(s, lang)
    assert len(out) == len(s)
    for a, b in zip(s, out, strict=True):
        assert a == b or (a, b) in {("'", "’"), ('"', "‘"), ('"', "’"), ("-", EN_DASH)}, (s, out)
    assert straight_marks("https://x.example/it's-a - b", lang) == "https://x.example/it's-a - b"


def _gap_before_dash(inl: list[Any]) -> bool:
    """Whether a spaced dash in ``inl`` (or below) has a breakable gap before it
    that follows something printed (not another gap: the start of a line)."""
    for prev, gap, x in zip(inl, inl[1:], inl[2:], strict=False):
        if (
            isinstance(x, dict)
            and x.get("t") == "Str"
            and x["c"] in (EN_DASH, "\u2014")
            and isinstance(gap, dict)
            and gap.get("t") in ("Space", "SoftBreak")
            and isinstance(prev, dict)
            and prev.get("t") not in ("Space", "SoftBreak", "LineBreak")
        ):
            return True
    for x in inl:
        if isinstance(x, dict) and isinstance(x.get("c"), list):
            c = x["c"]
            inner = c[1] if x.get("t") in ("Span", "Link") else c
            if x.get("t") == "Note":
                if any(_gap_before_dash(b["c"]) for b in inner if isinstance(b, dict) and b.get("t") == "Para"):
                    return True
            elif x.get("t") != "Code" and _gap_before_dash(inner):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(_inlines(2), st.sampled_from(["nl", "en"]))
def test_a_spaced_dash_never_starts_a_line(inlines, lang):
    """A spaced en or em dash stays with what is before it (a hyphen between
    spaces becomes an en dash first): the gap before it is U+00A0, in every
    container, and nothing else of the text changes but what typeset does."""
    after = [A.Para(copy.deepcopy(inlines))]
    typeset(after, lang)
    assert not _gap_before_dash(after[0]["c"]), after


def _typeset_md(text: str) -> list[Any]:
    import json

    import pypandoc

    blocks = json.loads(pypandoc.convert_text(text, "json", format="markdown"))["blocks"]
    return typeset(blocks, "nl")


def test_labels_before_numbers_and_spaced_dashes_are_tied():
    text = (
        "zie versie 2.0 en the Home Office, version 3.1, in deel 2 en bijlage 3.\n\n"
        "Global News - Targeting journalists; *Nieuws* – Targeting; een bron — en nog een"
    )
    out = "".join(_visible(_typeset_md(text), []))
    for tied in ("versie\u00a02.0", "version\u00a03.1", "deel\u00a02", "bijlage\u00a03"):
        assert tied in out, out
    for tied in ("News\u00a0\u2013 Targeting", "Nieuws\u00a0\u2013 Targeting", "bron\u00a0\u2014 en"):
        assert tied in out, out


def test_a_heading_label_is_left_as_typed():
    # "Bijlage 3" opens a heading, whose bookmark and TOC text are compared as typed
    assert "\u00a0" not in "".join(_visible(_typeset_md("# Bijlage 3\n\nBijlage 3 telt"), []))
