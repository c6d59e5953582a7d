"""One random edit of a document and its facts, for the property tests of
the writers' caches (tests/cache/test_html_parts.py, test_print_html.py,
test_docx_parts.py, test_odt_parts.py).

Each of those writes a document with the cache and without it, edits it
at random, and writes it again, edit after edit. The edits are the same
kinds for all four (:func:`edits`): a block inserted (what blocks, each
test says: paragraphs with notes, which shift the number of every later
note; tables, headings, figures), deleted or moved; a paragraph or the
first heading changed; the glossary, the language and the house style
changed (what a house style is, each test says: a CSS file, a font, a
reference document). :func:`apply_edit` makes one of them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

Edit = tuple[Any, ...]
GLOSSARY = {"UNHCR": "Hoge Commissaris voor de Vluchtelingen"}
# where a block strategy wants a copy of the document's own figure (its
# image is known to the report): apply_edit puts it in
THE_FIGURE = {"t": "the document's figure"}
AT = st.integers(0, 10_000)  # a place among the blocks, modulo their number


def inlines(words: Iterable[str]) -> list[Any]:
    out: list[Any] = []
    for w in words:
        out += [{"t": "Str", "c": w}, {"t": "Space"}]
    return out[:-1]


def para(words: list[str], notes: Sequence[list[str]] = (), link: bool = False) -> dict[str, Any]:
    """A paragraph of ``words``, a link to a URL if ``link``, and a note of each of ``notes``."""
    inl = inlines(words)
    if link:
        inl.append({"t": "Link", "c": [["", [], []], inlines(words[:1]), [f"https://example.org/{len(words)}", ""]]})
    for n in notes:
        inl.append({"t": "Note", "c": [{"t": "Para", "c": inlines(n)}]})
    return {"t": "Para", "c": inl}


def heading(level: int, ident: str, words: list[str]) -> dict[str, Any]:
    return {"t": "Header", "c": [level, [ident, [], []], inlines(words)]}


def paragraphs(words: st.SearchStrategy[list[str]], link: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Paragraphs with up to two notes (and a link, some of them, if ``link``)."""
    return st.builds(para, words, st.lists(words, max_size=2), st.booleans() if link else st.just(False))


def edits(
    words: st.SearchStrategy[list[str]],
    blocks: st.SearchStrategy[dict[str, Any]],
    styles: st.SearchStrategy[Any],
    kinds: Iterable[str] = ("insert", "delete", "move", "glossary", "lang", "style"),
) -> st.SearchStrategy[list[Edit]]:
    """One to four edits of ``kinds``: ``blocks`` are what "insert" puts in,
    ``styles`` what "style" gives the test's ``house_style``."""
    each = {
        "insert": st.tuples(st.just("insert"), AT, blocks),
        "delete": st.tuples(st.just("delete"), AT),
        "move": st.tuples(st.just("move"), AT, AT),
        "change": st.tuples(st.just("change"), AT, words),  # a paragraph's text
        "heading": st.tuples(st.just("heading"), words),  # the first heading's text (the TOC)
        "glossary": st.tuples(st.just("glossary"), st.booleans()),
        "lang": st.tuples(st.just("lang"), st.sampled_from(["nl", "en"])),
        "style": st.tuples(st.just("style"), styles),
    }
    return st.lists(st.one_of(*(each[k] for k in kinds)), min_size=1, max_size=4)


def figure_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's first figure (what :data:`THE_FIGURE` stands for)."""
    return next(b for b in doc["blocks"] if b["t"] == "Figure")


def apply_edit(
    edit: Edit, doc: dict[str, Any], facts: Any, house_style: Callable[[Any], Any], figure: Any = None
) -> Any:
    """Make ``edit`` to ``doc``'s blocks (in place); the facts it leaves
    (``house_style(value)``: the test's house style for a "style" edit).
    ``figure``: what :data:`THE_FIGURE` stands for (:func:`figure_of` the
    document before the edits)."""
    kind, *args = edit
    blocks = doc["blocks"]
    if kind == "insert":
        new = figure if args[1] == THE_FIGURE else args[1]
        blocks.insert(args[0] % (len(blocks) + 1), copy.deepcopy(new))
    elif kind == "delete" and blocks:
        del blocks[args[0] % len(blocks)]
    elif kind == "move" and blocks:
        blocks.insert(args[1] % len(blocks), blocks.pop(args[0] % len(blocks)))
    elif kind == "change":
        paras = [i for i, b in enumerate(blocks) if b["t"] == "Para"]
        if paras:
            blocks[paras[args[0] % len(paras)]] = para(args[1])
    elif kind == "heading":
        at = next((i for i, b in enumerate(blocks) if b["t"] == "Header"), None)
        if at is not None:
            blocks[at] = heading(blocks[at]["c"][0], blocks[at]["c"][1][0], args[0])
    elif kind == "glossary":
        return replace(facts, glossary=GLOSSARY if args[0] else {})
    elif kind == "lang":  # the document's language, as the render sets it: the facts' and the metadata's
        return replace(facts, lang=args[0], meta=replace(facts.meta, lang=args[0]))
    elif kind == "style":
        return replace(facts, house_style=house_style(args[0]))
    return facts


def same_after_each(
    edits: list[Edit],
    doc: dict[str, Any],
    facts: Any,
    write: Callable[[dict[str, Any], Any], tuple[Any, Any]],
    house_style: Callable[[Any], Any],
    figure: Any = None,
) -> None:
    """``write(doc, facts)`` (the output with the cache, and without it) gives
    the same before the edits and after each of them (:func:`apply_edit`)."""
    with_cache, without = write(doc, facts)
    assert with_cache == without
    for edit in edits:
        facts = apply_edit(edit, doc, facts, house_style, figure)
        with_cache, without = write(doc, facts)
        assert with_cache == without, edits
