"""The ODT's pieces kept between renders (cache/odt_parts.py,
render/formats/odt_pieces.py): the package written with the cache holds,
entry for entry, the bytes of the package written without it, whatever was
kept before, and an edit sends pandoc only the piece it changed.

The writer itself (``OdtWriter.write_path``, as the worker runs it) on the
document of a small report with notes, lists, a table and a figure, edited
at random (hypothesis): paragraphs with notes inserted (shifting the
numbers of every note after them), blocks deleted and moved, a chapter
added, a heading changed (the TOC), the figure copied (the package's
pictures), the language, the glossary and the reference ODT changed, and
the pieces cut at other sizes. Each step writes the ODT twice, with and
without the cache; the cache is shared by every example, so each finds
entries of other documents (CPU: ~0.3 s a step, mostly pandoc).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache.odt_parts import KIND
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.house_style import TEMPLATES, HouseStyle
from ambtsbericht_build.render.formats import odt_pieces
from ambtsbericht_build.render.formats.office import OdtWriter
from ambtsbericht_build.render.pipeline import write_document
from tests.cache.random_edits import THE_FIGURE, edits, figure_of, heading, para, paragraphs, same_after_each
from tests.cache.test_html_parts import FIGURE
from tests.fixtures.report_kit import make_report
from tests.render.conftest import tiny_png
from tests.render.test_html_notes import CHAPTER, resolved

# a figure whose image is there (tests/cache/test_html_parts.py's is not)
PICTURE = "\n\n![Een kaart van Testland](media/kaart.png){#fig-kaart}\n"
LATER = "\n\n# Nog een hoofdstuk {#h-later}\n\nDe OVSE meldt dit.[^o]\n\n[^o]: Volgens de OVSE.\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any, Path]:
    """The small report's document (three chapters) and facts, and a repository for the cache."""
    tmp = tmp_path_factory.mktemp("odtparts")
    report = make_report(tmp / "repo")
    report.write("media/kaart.png", tiny_png())
    report.chapter(CHAPTER + PICTURE + FIGURE + LATER)
    doc, facts = resolved(report.dir, tmp)
    root = tmp / "cache-repo"
    (root / "templates").mkdir(parents=True)
    return doc, facts, root


def entries(path: Path) -> list[tuple[str, bytes]]:
    """The package's entries in order (the zip's dates are the repack's business)."""
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def write_both(doc: dict[str, Any], facts: Any, root: Path) -> tuple[list[Any], list[Any]]:
    """The ODT of ``doc`` with the cache under ``root`` and without one."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "document.json"
    write_document(path, doc)
    cached = replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)])
    OdtWriter().write_path(path, cached, root / "with.odt")
    OdtWriter().write_path(path, replace(facts, pdf_cache=[]), root / "without.odt")
    return entries(root / "with.odt"), entries(root / "without.odt")


def reference_odt(root: Path, changed: bool) -> HouseStyle:
    """abuild's house style, or one whose reference ODT the repository overrides (its paragraphs a size larger)."""
    own = root / "templates" / "reference.odt"
    own.unlink(missing_ok=True)
    if changed:
        buf = io.BytesIO()
        with zipfile.ZipFile(TEMPLATES / "reference.odt") as z, zipfile.ZipFile(buf, "w") as out:
            for info in z.infolist():
                data = z.read(info)
                if info.filename == "styles.xml":
                    data = data.replace(b'fo:font-size="11pt"', b'fo:font-size="12pt"')
                out.writestr(info, data)
        own.write_bytes(buf.getvalue())
    return HouseStyle.for_repo(root)


WORDS = st.lists(st.sampled_from(["UNHCR", "tekst", "é", "<b>", "&amp;", "P1", "ftn0", "Pictures/0.png"]), min_size=1)
BLOCKS = st.one_of(
    paragraphs(WORDS),
    st.builds(lambda n, words: heading(1, f"h-nieuw-{n}", words), st.integers(0, 10**6), WORDS),  # a chapter
    st.just(THE_FIGURE),  # the package's pictures
)
EDITS = edits(WORDS, BLOCKS, st.booleans(), kinds=("insert", "delete", "move", "heading", "lang", "glossary", "style"))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS, piece=st.sampled_from([0, 3000, 10**9]))
def test_any_edits_write_the_same_odt_with_the_cache(
    base: tuple[dict[str, Any], Any, Path], edits: list[tuple[Any, ...]], piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc0, facts, root = base
    monkeypatch.setattr(odt_pieces, "MIN_PIECE", piece)  # every chapter a piece, some, or one piece
    doc = copy.deepcopy(doc0)
    same_after_each(
        edits,
        doc,
        facts,
        lambda d, f: write_both(d, f, root),
        lambda changed: reference_odt(root, changed),
        figure_of(doc),
    )
    reference_odt(root, False)


def test_an_edit_sends_pandoc_only_the_changed_chapter(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A paragraph with a note added to the third chapter: pandoc is given
    that chapter, not the cover or the other chapters, and the package
    is the one written without the cache (the note numbered after all the
    others, its automatic styles after theirs)."""
    doc0, facts, _ = base
    monkeypatch.setattr(odt_pieces, "MIN_PIECE", 0)
    root = tmp_path / "repo"
    doc = copy.deepcopy(doc0)
    write_both(doc, facts, root)
    sent: list[str] = []
    real = odt_pieces.pandoc

    def spied(args: list[str], text: Any, what: str, env: Any = None) -> str:
        sent.append(text[text.index(', "blocks": [') :])  # the blocks, not the head
        return real(args, text, what, env)

    monkeypatch.setattr(odt_pieces, "pandoc", spied)
    at = next(i for i, b in enumerate(doc["blocks"]) if b["t"] == "Header" and b["c"][1][0] == "h-later")
    doc["blocks"].insert(at + 2, para(["Een", "nieuwe", "alinea"], [["Een", "nieuwe", "noot"]]))
    path = root / "document.json"
    write_document(path, doc)
    OdtWriter().write_path(path, replace(facts, pdf_cache=[str(root / "build" / ".cache"), str(root)]), root / "w.odt")
    assert len(sent) == 1
    assert "nieuwe" in sent[0] and "OVSE" in sent[0]  # the third chapter, edited
    assert "Verkiezingen" not in sent[0] and "Colofon" not in sent[0] and "Bijlage" not in sent[0]
    monkeypatch.setattr(odt_pieces, "pandoc", real)
    OdtWriter().write_path(path, replace(facts, pdf_cache=[]), root / "without.odt")
    assert entries(root / "w.odt") == entries(root / "without.odt")
    content = dict(entries(root / "w.odt"))["content.xml"].decode()
    assert content.count("<text:note ") == content.count("<text:note-citation>") > 1
    ids = [int(i) for i in re.findall(r'text:id="ftn(\d+)"', content)]
    assert ids == list(range(len(ids)))  # one run of numbers, in order, across the pieces


def test_a_corrupt_or_foreign_entry_is_ignored(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each kept piece damaged in a way the store cannot see (a sealed entry
    that is not a piece) or can (another entry's file in its place, bytes
    flipped): the
    ODT is the one written without the cache, and the pieces are made again."""
    doc, facts, _ = base
    monkeypatch.setattr(odt_pieces, "MIN_PIECE", 0)
    root = tmp_path / "repo"
    with_cache, without = write_both(doc, facts, root)
    store = Store(root / "build" / ".cache", repo=root)
    files = sorted((root / "build" / ".cache" / KIND).glob("*/*"))
    assert len(files) >= 3  # the cover and the chapters
    keys = [f.name for f in files]
    payloads = [store.get(KIND, k) for k in keys]
    for damage in ("not a piece", "another piece", "flipped"):
        for i, key in enumerate(keys):
            if damage == "not a piece":
                store.put(KIND, key, b'{"body": 1}' if i % 2 else b"PK\x03\x04")
            elif damage == "another piece":  # its file copied over this one
                files[i].write_bytes(files[(i + 1) % len(files)].read_bytes())
            else:
                store.put(KIND, key, payloads[i] or b"")
                data = bytearray(files[i].read_bytes())
                data[-5] ^= 0xFF
                files[i].write_bytes(bytes(data))
        again, _ = write_both(doc, facts, root)
        assert again == without, damage
        assert [store.get(KIND, k) for k in keys] == payloads  # made again, and kept again


def test_the_odt_run_takes_its_runtime_settings(
    base: tuple[dict[str, Any], Any, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pandoc's ODT run gets one runtime block (odt_pieces.ODT_RTS, the
    other writers' tools.PANDOC_RTS: its former -O512m gained nothing on
    the 2-core machine), pandoc gets it once (run_pandoc adds no block of
    its own), and the ODT is written as without it."""
    from ambtsbericht_build import tools

    doc, facts, _ = base
    seen: list[list[str]] = []
    real = tools.run

    def spied(args: list[str], **kw: Any) -> Any:
        seen.append(list(args))
        return real(args, **kw)

    path = tmp_path / "document.json"
    write_document(path, doc)
    monkeypatch.setattr(tools, "run", spied)
    OdtWriter().write_path(path, replace(facts, pdf_cache=[]), tmp_path / "tuned.odt")
    runtime = list(odt_pieces.ODT_RTS)
    monkeypatch.setattr(odt_pieces, "ODT_RTS", ())
    OdtWriter().write_path(path, replace(facts, pdf_cache=[]), tmp_path / "default.odt")
    tuned, default = seen
    assert tuned.count("+RTS") == 1 and default.count("+RTS") == 1
    assert tuned[tuned.index("+RTS") : tuned.index("-RTS") + 1] == runtime
    assert entries(tmp_path / "tuned.odt") == entries(tmp_path / "default.odt")
