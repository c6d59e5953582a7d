"""The screen HTML's blocks and fonts kept between renders (cache/html_parts.py,
render/formats/html_memo.py's StoredBlocks): the page written with the
cache is byte for byte the page written without it, whatever was kept
before, and an edit sends pandoc only what it changed.

The writer itself (``HtmlWriter.write_path``, as the worker runs it) on
the document of a small report with notes, tables and figures, edited at
random (hypothesis): blocks inserted (with notes, shifting the numbers of
every note after them), deleted and moved, the glossary, the language and
the house style (CSS and a font) changed. Each step writes the page twice,
with and without the cache; the cache is shared by every example, so each
finds entries of other documents (CPU: ~0.15 s a step, mostly pandoc).
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache.html_parts import BLOCKS, FONTS
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.house_style import TEMPLATES, HouseStyle
from ambtsbericht_build.render.formats import html as H
from ambtsbericht_build.render.formats.html import HtmlWriter
from ambtsbericht_build.render.pipeline import write_document
from tests.cache.random_edits import edits, para, paragraphs, same_after_each
from tests.fixtures.report_kit import make_report
from tests.render.test_html_notes import CHAPTER, resolved

FIGURE = "\n\n![Een kaart van het noorden](kaart.png)\n\nDe UNHCR meldt dit.[^u]\n\n[^u]: Volgens de UNHCR.\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any, Path]:
    """The small report's document and facts, and a repository for the cache."""
    tmp = tmp_path_factory.mktemp("htmlparts")
    report = make_report(tmp / "repo")
    report.chapter(CHAPTER + FIGURE)
    doc, facts = resolved(report.dir, tmp)
    root = tmp / "cache-repo"
    (root / "templates" / "css").mkdir(parents=True)
    (root / "templates" / "fonts").mkdir(parents=True)
    return doc, facts, root


def write_both(doc: dict[str, Any], facts: Any, root: Path, spy: list[int] | None = None) -> tuple[bytes, bytes]:
    """The page of ``doc`` with the cache under ``root`` and without one."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "document.json"
    write_document(path, doc)
    cached = replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)])
    HtmlWriter().write_path(path, cached, root / "with.html")
    plain = replace(facts, pdf_cache=[])
    HtmlWriter().write_path(path, plain, root / "without.html")
    return (root / "with.html").read_bytes(), (root / "without.html").read_bytes()


WORDS = st.lists(st.sampled_from(["UNHCR", "tekst", "é", "<b>", "&amp;", "Noord", "ø", "€"]), min_size=1, max_size=4)
EDITS = edits(WORDS, paragraphs(WORDS), st.sampled_from(["css", "font", "none"]))


def house_style(root: Path, change: str) -> HouseStyle:
    """abuild's house style, or one whose screen CSS or regular font the repository overrides."""
    css = root / "templates" / "css" / "screen.css"
    font = root / "templates" / "fonts" / "NotoSans-Regular.ttf"
    css.unlink(missing_ok=True)
    font.unlink(missing_ok=True)
    if change == "css":
        css.write_text((TEMPLATES / "css" / "screen.css").read_text() + "\nh1 { letter-spacing: 0.2em; }\n")
    elif change == "font":
        shutil.copy(TEMPLATES / "fonts" / "NotoSans-Bold.ttf", font)
    return HouseStyle.for_repo(root)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_any_edits_write_the_same_page_with_the_cache(
    base: tuple[dict[str, Any], Any, Path], edits: list[tuple[Any, ...]]
) -> None:
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    same_after_each(edits, doc, facts, lambda d, f: write_both(d, f, root), lambda change: house_style(root, change))
    house_style(root, "none")


def test_an_edit_sends_pandoc_only_the_changed_block(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A paragraph with a note added at the top: every note after it is
    numbered one higher, but pandoc is given the new block and its note,
    and the tables and figures (whose ids are made up in document order),
    not the paragraphs the edit left alone."""
    doc0, facts, _ = base
    root = tmp_path / "repo"
    doc = copy.deepcopy(doc0)
    write_both(doc, facts, root)
    sent: list[str] = []
    real = H.pandoc

    def spied(args: list[str], text: Any, what: str, env: Any = None) -> str:
        sent.append(text if isinstance(text, str) else json.dumps(text))
        return real(args, text, what, env)

    monkeypatch.setattr(H, "pandoc", spied)
    doc["blocks"].insert(1, para(["Een", "nieuwe", "alinea"], [["Een", "nieuwe", "noot"]]))
    path = root / "document.json"
    write_document(path, doc)
    cached = replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)])
    HtmlWriter().write_path(path, cached, root / "with.html")
    assert len(sent) == 1 and '"nieuwe"' in sent[0] and '"noot"' in sent[0]
    assert '"Gevechten"' in sent[0]  # the table's caption: a table is written every time
    assert '"verkiezingen"' not in sent[0] and '"Eerste"' not in sent[0]  # an unchanged paragraph, note
    monkeypatch.setattr(H, "pandoc", real)
    without = replace(facts, pdf_cache=[])
    HtmlWriter().write_path(path, without, root / "without.html")
    page = (root / "with.html").read_text(encoding="utf-8")
    assert page == (root / "without.html").read_text(encoding="utf-8")
    assert 'id="fn2"' in page and "Eerste alinea." in page


def _entry(root: Path, kind: str) -> Path:
    [entry] = [p for p in (root / "build" / ".cache" / kind).rglob("*") if p.is_file()]
    return entry


def test_damaged_or_foreign_entries_are_ignored(base: tuple[dict[str, Any], Any, Path], tmp_path: Path) -> None:
    """Every kept block replaced by something that is still a sealed entry
    but not what the writer keeps (a number that is text, HTML cut off
    after a number, another shape, nothing, a negative number), the fonts
    by bytes that are not text, then the entry by another output's:
    each written again, the same page."""
    doc, facts, _ = base
    root = tmp_path / "repo"
    with_cache, without = write_both(copy.deepcopy(doc), facts, root)
    assert with_cache == without
    store = Store(root / "build" / ".cache", repo=root)
    entry = _entry(root, BLOCKS)
    kept = store.get_json(BLOCKS, entry.name)
    assert isinstance(kept, dict) and len(kept) > 5
    bad = [
        [[[["<p>niet dit</p>", ["call", "1"], ""], 0]], []],
        [[[["<p>niet dit</p>", ["call", 1]], 0]], []],
        ["<p>niet dit</p>"],
        None,
        [[[["<p>niet dit</p>"], -1]], []],
    ]
    store.put_json(BLOCKS, entry.name, {name: bad[i % len(bad)] for i, name in enumerate(kept)})
    store.put(FONTS, _entry(root, FONTS).name, b"\xff not the fonts")
    with_cache, _ = write_both(copy.deepcopy(doc), facts, root)
    assert b"niet dit" not in with_cache and with_cache == without
    # another output's entry (written under its own name) where this one's was
    path = root / "document.json"
    cached = replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)])
    HtmlWriter().write_path(path, cached, root / "other.html")
    other = next(p for p in (root / "build" / ".cache" / BLOCKS).rglob("*") if p.is_file() and p.name != entry.name)
    shutil.copy(other, entry)
    assert write_both(copy.deepcopy(doc), facts, root)[0] == without
