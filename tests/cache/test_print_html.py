"""The PDF's print HTML kept a block at a time between renders
(render/formats/print_memo.py, cache/html_parts.py's ``printhtml``): the
page laid out with the cache is byte for byte the one the whole document
gives without it (pdf.py's ``print_html``), whatever was kept before, and
an edit sends pandoc only the block it changed.

The page WeasyPrint is given is all the PDF is made of (its layout,
tests/cache/test_pdf_parts_cache.py, is tested there with real renders);
here the page itself, on the document of a small report with notes in
lists, quotes, tables and headings, citations, a table and a figure,
edited at random (hypothesis): blocks inserted (with notes, URLs and
tables, shifting the number of every note after them), deleted and
moved, the language and the house style changed. The cache is shared by
every example, so each finds entries of other documents (CPU: ~0.1 s a
step, mostly pandoc).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache.html_parts import PRINT, open_cache
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.render.formats import pdf as P
from ambtsbericht_build.render.formats import print_memo
from ambtsbericht_build.render.pipeline import write_document
from ambtsbericht_build.render.worker import load_document, read_document
from tests.cache.random_edits import edits, para, paragraphs, same_after_each
from tests.cache.test_html_parts import WORDS, base, house_style

__all__ = ["base"]  # the small report's document (a fixture of test_html_parts.py)


def pages(doc: dict[str, Any], facts: Any, root: Path) -> tuple[str, str]:
    """The print HTML of ``doc`` with the cache under ``root`` and without
    one (the writer's, a block's JSON text at a time)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "document.json"
    write_document(path, doc)
    cache = open_cache([str(root / "build" / ".cache"), str(root)], "testland.pdf", PRINT)
    assert cache is not None
    # the writer's blocks for pandoc are those of print_html's walks over the whole
    _, lines = read_document(path)
    whole = load_document(path)["blocks"]
    walked = P.captions_above_tables(P.notes_to_spans(P._print_inlines(whole)))
    assert [json.loads(t) for t in print_memo.print_blocks(lines)] == walked
    return P.print_html_stored(path, facts, cache), P.print_html_lines(path, facts)


def table(words: list[str], note: list[str]) -> dict[str, Any]:
    """A one-cell table with a caption and a note in its cell (the caption moves above it)."""
    cell = [{"t": "Plain", "c": [{"t": "Str", "c": w} for w in words] + [{"t": "Note", "c": [para(note, [])]}]}]
    row = [["", [], []], [[["", [], []], {"t": "AlignDefault"}, 1, 1, cell]]]
    caption = [None, [{"t": "Plain", "c": [{"t": "Str", "c": "Bijschrift"}]}]]
    return {
        "t": "Table",
        "c": [
            ["tbl-x", [], []],
            caption,
            [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]],
            [["", [], []], []],
            [[["", [], []], 0, [], [row]]],
            [["", [], []], []],
        ],
    }


def with_url(words: list[str]) -> dict[str, Any]:
    return para([*words, "https://example.org/a"], [words])


BLOCKS = st.one_of(paragraphs(WORDS), st.builds(with_url, WORDS), st.builds(table, WORDS, WORDS))
EDITS = edits(WORDS, BLOCKS, st.sampled_from(["css", "none"]), kinds=("insert", "delete", "move", "lang", "style"))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_any_edits_give_the_same_print_html_with_the_cache(
    base: tuple[dict[str, Any], Any, Path], edits: list[tuple[Any, ...]]
) -> None:
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    same_after_each(edits, doc, facts, lambda d, f: pages(d, f, root), lambda change: house_style(root, change))
    house_style(root, "none")


def test_an_edit_sends_pandoc_only_the_changed_block(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A paragraph with a note added at the top: every note after it is
    numbered one higher (``data-note``), but pandoc is given the new block
    only, and the page is the one the whole document gives."""
    doc0, facts, _ = base
    root = tmp_path / "repo"
    doc = copy.deepcopy(doc0)
    pages(doc, facts, root)
    sent: list[str] = []
    real = print_memo.pandoc

    def spied(args: list[str], text: Any, what: str, env: Any = None) -> str:
        sent.append(text if isinstance(text, str) else json.dumps(text))
        return real(args, text, what, env)

    monkeypatch.setattr(print_memo, "pandoc", spied)
    doc["blocks"].insert(1, para(["Een", "nieuwe", "alinea"], [["Een", "nieuwe", "noot"]]))
    with_cache, without = pages(doc, facts, root)
    assert len(sent) == 1 and '"nieuwe"' in sent[0] and '"noot"' in sent[0]
    assert '"Gevechten"' not in sent[0] and '"verkiezingen"' not in sent[0]  # the table, a paragraph
    assert with_cache == without
    numbers = [int(n) for n in re.findall(r'data-note="(\d+)"', with_cache)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 5
    assert 'data-note="1">Een nieuwe noot' in with_cache and 'data-note="4">Eerste alinea' in with_cache
    sent.clear()
    assert pages(doc, facts, root)[0] == without and not sent  # nothing changed: pandoc not run


def test_damaged_or_foreign_entries_are_ignored(base: tuple[dict[str, Any], Any, Path], tmp_path: Path) -> None:
    """Every kept block replaced by something that is still a sealed entry
    but not what the writer keeps (a number that is text, a note number
    beyond the block's notes, text where a number goes, another shape,
    nothing, a negative count), then the entry by another output's: each
    block written again, the same page."""
    doc, facts, _ = base
    root = tmp_path / "repo"
    with_cache, without = pages(copy.deepcopy(doc), facts, root)
    assert with_cache == without
    store = Store(root / "build" / ".cache", repo=root)
    [entry] = [p for p in (root / "build" / ".cache" / PRINT).rglob("*") if p.is_file()]
    kept = store.get_json(PRINT, entry.name)
    assert isinstance(kept, dict) and len(kept) > 5
    bad = [
        [['<p data-note="', "1", '">niet dit</p>'], 1],
        [['<p data-note="', 2, '">niet dit</p>'], 1],
        [["<p>niet dit</p>", "<p>", "</p>"], 0],
        ["<p>niet dit</p>"],
        None,
        [["<p>niet dit</p>"], -1],
    ]
    store.put_json(PRINT, entry.name, {name: bad[i % len(bad)] for i, name in enumerate(kept)})
    with_cache, _ = pages(copy.deepcopy(doc), facts, root)
    assert "niet dit" not in with_cache and with_cache == without
    # another output's entry (written under its own name) where this one's was
    other = open_cache([str(root / "build" / ".cache"), str(root)], "other.pdf", PRINT)
    assert other is not None
    P.print_html_stored(root / "document.json", facts, other)
    [foreign] = [p for p in (root / "build" / ".cache" / PRINT).rglob("*") if p.is_file() and p.name != entry.name]
    shutil.copy(foreign, entry)
    assert pages(copy.deepcopy(doc), facts, root)[0] == without
