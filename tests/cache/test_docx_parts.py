"""The DOCX's chapters kept between renders (cache/docx_parts.py,
render/formats/docx_pieces.py): the DOCX written with the cache is byte for
byte the DOCX written without it, whatever was kept before, and an edit
sends pandoc only the chapter it changed.

The writer itself (``DocxWriter.write_path``, as the worker runs it) on the
document of a small report (a chapter with notes, a table, lists, a figure,
and the annexes: 4 pieces), edited at random (hypothesis): paragraphs with
notes (shifting every later note's number), hyperlinks, lists, images,
level-1 headings (a new piece), tracked changes (which pandoc numbers and
the pieces do not: the whole document in one run), custom styles (which
pandoc adds to styles.xml), a changed paragraph, deletions and moves, the
glossary, the language and the reference document. Each step writes the
DOCX twice, with and without the cache, normalised as the render does; the
cache is shared by every example, so each finds entries of other
documents (CPU: ~0.35 s a step, mostly pandoc; the module ~13 s).
"""

from __future__ import annotations

import copy
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache.docx_parts import KIND
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.house_style import TEMPLATES, HouseStyle
from ambtsbericht_build.render.formats import base as B
from ambtsbericht_build.render.formats.office import DocxWriter
from ambtsbericht_build.render.pipeline import write_document
from tests.cache.random_edits import THE_FIGURE, edits, figure_of, heading, inlines, para, paragraphs, same_after_each
from tests.fixtures.report_kit import make_report
from tests.render.test_html_notes import CHAPTER, resolved

FIGURE = "\n\n![Een kaart van het noorden](kaart.png)\n\nDe UNHCR meldt dit.[^u]\n\n[^u]: Volgens de UNHCR.\n"
OWN_STYLE = "Eigen stijl"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any, Path]:
    """The small report's document and facts, and a repository for the cache."""
    tmp = tmp_path_factory.mktemp("docxparts")
    report = make_report(tmp / "repo")
    report.chapter(CHAPTER + FIGURE)
    doc, facts = resolved(report.dir, tmp)
    root = tmp / "cache-repo"
    (root / "templates").mkdir(parents=True)
    return doc, facts, root


def write_both(doc: dict[str, Any], facts: Any, root: Path) -> tuple[bytes, bytes]:
    """The DOCX of ``doc`` with the cache under ``root`` and without one,
    normalised as the render normalises it."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "document.json"
    write_document(path, doc)
    out: list[bytes] = []
    for name, cache in (("with.docx", [str(root / "build" / ".cache"), str(root)]), ("without.docx", [])):
        writer, these = DocxWriter(), replace(facts, pdf_cache=cache)
        writer.write_path(path, these, root / name)
        writer.normalise(root / name, these)
        out.append((root / name).read_bytes())
    return out[0], out[1]


def block(kind: str, words: list[str]) -> dict[str, Any]:
    if kind == "heading":
        return heading(1, "h-" + str(len(words)), words)
    if kind == "bullets":
        return {"t": "BulletList", "c": [[{"t": "Plain", "c": inlines(words)}], [para(words, [["lijst"]])]]}
    if kind == "numbers":
        style = [3, {"t": "Decimal"}, {"t": "Period"}]
        return {"t": "OrderedList", "c": [style, [[{"t": "Plain", "c": inlines(words)}]]]}
    if kind == "image":
        return THE_FIGURE
    if kind == "tracked":
        attrs = [["author", "Redactie"], ["date", "2025-01-01T00:00:00Z"]]
        return {"t": "Para", "c": [{"t": "Span", "c": [["", ["insertion"], attrs], inlines(words)]}]}
    if kind in ("styled", "empty-styled"):
        content = [] if kind == "empty-styled" else [para(words, [])]
        return {"t": "Div", "c": [["", [], [["custom-style", OWN_STYLE]]], content]}
    return para(words, [])


WORDS = st.lists(st.sampled_from(["UNHCR", "tekst", "é", "<w:p>", "&amp;", "Noord", "ø", "€"]), min_size=1, max_size=4)
KINDS = st.sampled_from(["heading", "bullets", "numbers", "image", "tracked", "styled", "empty-styled", "para"])
BLOCKS = st.one_of(paragraphs(WORDS, link=True), st.builds(block, KINDS, WORDS))
CHANGE_FIRST = ("change", 0, ["c"])
EDITS = edits(WORDS, BLOCKS, st.booleans(), kinds=("insert", "change", "delete", "move", "glossary", "lang", "style"))


def house_style(root: Path, own: bool) -> HouseStyle:
    """abuild's house style, or one whose reference document has a style of its own."""
    ref = root / "templates" / "reference.docx"
    ref.unlink(missing_ok=True)
    if own:
        with zipfile.ZipFile(TEMPLATES / "reference.docx") as z, zipfile.ZipFile(ref, "w") as out:
            for info in z.infolist():
                data = z.read(info)
                if info.filename == "word/styles.xml":
                    style = (
                        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Eigenstijl">'
                        f'<w:name w:val="{OWN_STYLE}"/></w:style>'
                    )
                    data = data.replace(b"</w:styles>", style.encode() + b"</w:styles>")
                out.writestr(info, data)
    return HouseStyle.for_repo(root)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
# a custom style on an empty div in one piece and on a paragraph in another,
# then the first piece changed (pandoc adds the style for both); an image,
# a heading, tracked changes (the whole document in one run)
@example(edits=[("insert", 1, block("empty-styled", ["a"])), ("insert", 6, block("styled", ["b"])), CHANGE_FIRST])
@example(edits=[("insert", at, block(kind, [kind])) for at, kind in ((5, "image"), (8, "heading"), (3, "tracked"))])
def test_any_edits_write_the_same_docx_with_the_cache(
    base: tuple[dict[str, Any], Any, Path], edits: list[tuple[Any, ...]]
) -> None:
    doc0, facts, root = base
    doc = copy.deepcopy(doc0)
    same_after_each(
        edits, doc, facts, lambda d, f: write_both(d, f, root), lambda own: house_style(root, own), figure_of(doc)
    )
    house_style(root, False)


def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []
    real = B.pandoc

    def spied(args: list[str], text: Any, what: str, env: Any = None) -> str:
        sent.append(text if isinstance(text, str) else json.dumps(text))
        return real(args, text, what, env)

    monkeypatch.setattr(B, "pandoc", spied)
    return sent


def test_an_edit_sends_pandoc_only_the_changed_chapter(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A paragraph with a note added to a chapter: every note after it is
    numbered one higher, and the review anchors of every later block move
    one block on (as the render's facts say after such an edit), but
    pandoc is given that chapter only, not the introduction and the
    annexes the edit left alone; the DOCX is the one written without the
    cache, with the new note."""
    doc0, facts, _ = base
    root = tmp_path / "repo"
    doc = copy.deepcopy(doc0)
    write_both(doc, facts, root)
    sent = spy(monkeypatch)
    at = next(i for i, b in enumerate(doc["blocks"]) if b["t"] == "Header" and b["c"][1][0] == "h-politiek") + 2
    doc["blocks"].insert(at, para(["Een", "nieuwe", "alinea"], [["Een", "nieuwe", "noot"]]))
    anchors = [[i + (i >= at), *rest] for i, *rest in facts.anchors.blocks]
    assert anchors != facts.anchors.blocks
    facts = replace(facts, anchors=replace(facts.anchors, blocks=anchors))
    path = root / "document.json"
    write_document(path, doc)
    cached = replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)])
    DocxWriter().write_path(path, cached, root / "with.docx")
    assert len(sent) == 1 and '"nieuwe"' in sent[0] and '"h-politiek"' in sent[0]
    assert not any(f'"{h}"' in sent[0] for h in ("h-inleiding", "bijlage-bronnen", "bijlage-tor"))
    monkeypatch.undo()
    DocxWriter().normalise(root / "with.docx", cached)
    with_cache = (root / "with.docx").read_bytes()
    assert with_cache == write_both(doc, facts, root)[1]
    with zipfile.ZipFile(root / "with.docx") as z:
        assert "nieuwe noot" in z.read("word/footnotes.xml").decode()


def test_damaged_or_foreign_entries_are_ignored(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every kept piece replaced by something that is still a sealed entry
    but not a piece (another shape, a number that is text, an image that is
    not base64, nothing), then by another piece: each written again through
    pandoc, the same DOCX."""
    doc, facts, _ = base
    root = tmp_path / "repo"
    with_cache, without = write_both(copy.deepcopy(doc), facts, root)
    assert with_cache == without
    store = Store(root / "build" / ".cache", repo=root)
    entries = sorted(p.name for p in (root / "build" / ".cache" / KIND).rglob("*") if p.is_file())
    assert len(entries) >= 3
    first = store.get_json(KIND, entries[0])
    assert isinstance(first, dict)
    bad: list[Any] = [
        ["niet dit"],
        {**first, "rels": [["1", "<Relationship/>"]]},
        {**first, "media": [["word/media/x.png", "image/png", "niet base64!"]]},
        {**first, "format": 99},
        None,
    ]
    for i, name in enumerate(entries):
        store.put_json(KIND, name, bad[i % len(bad)])
    sent = spy(monkeypatch)
    assert write_both(copy.deepcopy(doc), facts, root)[0] == without
    assert len(sent) == 2 and all(f'"{h}"' in sent[0] for h in ("h-inleiding", "h-politiek", "bijlage-tor"))
    monkeypatch.undo()
    # another piece's entry (sealed under its own key) copied where this one's was
    for name in entries[1:]:
        shutil.copy(
            root / "build" / ".cache" / KIND / entries[0][:2] / entries[0],
            root / "build" / ".cache" / KIND / name[:2] / name,
        )
    assert write_both(copy.deepcopy(doc), facts, root)[0] == without


def test_one_walk_is_office_blocks(base: tuple[dict[str, Any], Any, Path]) -> None:
    """OfficeWriter.office_text (one walk, on the JSON text) gives what OfficeWriter.office_blocks
    (two) gives, block for block: citations unwrapped, the annexes' source
    entries and ToR questions in their office shape."""
    doc, _facts, _ = base
    writer = DocxWriter()
    blocks = copy.deepcopy(doc["blocks"])
    assert any('"Cite"' in json.dumps(b) for b in blocks) and any("tor-annex" in json.dumps(b) for b in blocks)
    one = [json.loads(writer.office_text(json.dumps(b))) for b in blocks]
    assert one == writer.office_blocks(blocks)
