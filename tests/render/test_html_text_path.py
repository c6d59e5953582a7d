"""The screen HTML writer reads the document file a block's JSON text at a
time (html.py's ``write_path``) and parses, walks and serialises again only
the blocks a step changes (a note, a citation, an abbreviation, a table or
a figure); the page is byte for byte the one the writer gives from the
document's objects, every step on every block (``write``), on the document
of a small report with blocks inserted at random (hypothesis; ~0.2 s of
CPU an example, mostly pandoc)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats import html as H
from ambtsbericht_build.render.formats.html import HtmlWriter
from ambtsbericht_build.render.formats.html_blocks import STEMS
from ambtsbericht_build.render.formats.html_memo import abbreviations, as_it_is
from ambtsbericht_build.render.pipeline import write_document
from tests.cache.test_html_parts import WORDS, base, para
from tests.cache.test_print_html import table

__all__ = ["base"]

BLOCK = st.one_of(
    st.tuples(st.just("para"), WORDS, st.lists(WORDS, max_size=2)),
    st.tuples(st.just("table"), WORDS, WORDS),
    st.tuples(st.just("cite"), WORDS),
    st.tuples(st.just("escaped"), WORDS),
)


def _block(kind: str, *args: Any) -> dict[str, Any]:
    if kind == "para":
        return para(args[0], args[1])
    if kind == "table":
        return table(args[0], args[1])
    words = [{"t": "Str", "c": w} for w in args[0]]
    if kind == "cite":
        cite = {"citationId": "x", "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "NormalCitation"}}
        return {"t": "Para", "c": [{"t": "Cite", "c": [[{**cite, "citationNoteNum": 1, "citationHash": 0}], words]}]}
    return {"t": "Div", "c": [["", ["x"], []], [{"t": "Plain", "c": words}]]}


class _CountingJson:
    """html.py's ``json``, counting the blocks it parses."""

    def __init__(self) -> None:
        self.parsed = 0

    def loads(self, text: str) -> Any:
        self.parsed += 1
        return json.loads(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inserted=st.lists(st.tuples(st.integers(0, 10_000), BLOCK), min_size=1, max_size=4), glossary=st.booleans())
def test_the_page_from_the_blocks_text_is_the_page_from_the_objects(
    base: tuple[dict[str, Any], Any, Path],
    inserted: list[tuple[int, tuple[Any, ...]]],
    glossary: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    for at, (kind, *args) in inserted:
        doc["blocks"].insert(at % (len(doc["blocks"]) + 1), _block(kind, *args))
    facts = replace(
        facts, pdf_cache=[], glossary={"UNHCR": "Hoge Commissaris voor de Vluchtelingen"} if glossary else {}
    )
    root.mkdir(parents=True, exist_ok=True)
    path = root / "text-path.json"
    write_document(path, doc)
    counting = _CountingJson()
    monkeypatch.setattr(H, "json", counting)
    HtmlWriter().write_path(path, facts, root / "from-text.html")
    monkeypatch.undo()
    HtmlWriter().write(copy.deepcopy(doc), facts, root / "from-objects.html")
    assert (root / "from-text.html").read_bytes() == (root / "from-objects.html").read_bytes()
    # a block that no step changes is not parsed (its text goes to pandoc as
    # it is); one that may hold a made-up id is parsed once more, for its ids
    texts = [json.dumps(b) for b in doc["blocks"]]
    plain = sum(as_it_is(t, abbreviations(facts.glossary)) for t in texts)
    stems = sum(any(f'"{stem}-' in t for stem in STEMS) for t in texts)
    assert plain and counting.parsed == len(texts) - plain + stems
