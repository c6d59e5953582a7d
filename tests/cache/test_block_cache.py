"""The document's blocks kept between builds (cache/blocks.py, render/chapter_parts.py):
a build that reuses them gives the document a build from nothing gives,
byte for byte, after any edit; a confidential source never prints.

Lean on purpose: the small report of tests/render/conftest.py, loaded (not
checked) and built (``build_document``), no writer runs."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.cache import blocks
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import LoadOptions, load_report
from ambtsbericht_build.render import document
from ambtsbericht_build.render.facts import house_style_of
from tests.render.conftest import make_mini_report

POLITIEK = "chapters/01-politiek.md"


def _built(report: Path, store: Store | None = None, memo: BlockMemo | None = None) -> str:
    lr = load_report(report, Diagnostics(), LoadOptions())
    assert lr is not None
    with blocks.using(store):
        if memo is None:
            doc = document.build_document(lr, house_style_of(lr))
        else:
            with memo.build():
                doc = document.build_document(lr, house_style_of(lr))
    return json.dumps(
        [doc.pandoc, [dataclasses.asdict(h) for h in doc.headings], [dataclasses.asdict(t) for t in doc.tor], doc.notes]
    )


def _whole_document_walks(report: Path) -> str:
    """The document as built before chapter_parts.py: the citations' keys
    renamed and the ids neutralised by walks over the whole document."""
    import tempfile

    from ambtsbericht_build.render.citations import resolve_citations
    from ambtsbericht_build.render.typography import typeset

    lr = load_report(report, Diagnostics(), LoadOptions())
    assert lr is not None
    doc = document.assemble(lr, document.parse_chapters(lr))
    with tempfile.TemporaryDirectory() as tmp:
        csl = house_style_of(lr).path(document.CSL)
        resolve_citations(doc, lr, Path(tmp), csl, lambda b: typeset(b, lang=doc.lang))
    return json.dumps(
        [doc.pandoc, [dataclasses.asdict(h) for h in doc.headings], [dataclasses.asdict(t) for t in doc.tor], doc.notes]
    )


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return make_mini_report(tmp_path / "repo")


@pytest.fixture
def store(report: Path) -> Store:
    root = report.parents[1]
    return Store(root / "build" / ".cache", repo=root)


def _same_as_from_nothing(report: Path, store: Store) -> str:
    """The cached build's document, checked against a build without the cache."""
    cached = _built(report, store)
    assert cached == _built(report)
    return cached


def test_a_second_build_reads_every_block_and_gives_the_same_document(report, store):
    first = _same_as_from_nothing(report, store)
    hits, misses = store.hits, store.misses
    assert _built(report, store) == first
    assert store.misses == misses and store.hits > hits  # every chapter's steps and every block from the cache


def test_a_note_added_before_other_blocks_renumbers_them_exactly(report, store):
    _same_as_from_nothing(report, store)
    path = report / POLITIEK
    text = path.read_text()
    # a note before every citation of the chapter: their note numbers all shift by one
    path.write_text(text.replace("# Politiek {#politiek}\n", "# Politiek {#politiek}\n\nVooraf.^[Een noot.]\n", 1))
    hits = store.hits
    doc = _same_as_from_nothing(report, store)
    assert store.hits > hits  # the blocks after it were reused, with their new numbers
    assert '"citationNoteNum": 2' in doc


def _sources(report: Path, old: str, new: str) -> None:
    path = report / "sources.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_source_whose_title_and_date_change_changes_every_block_citing_it(report, store):
    _same_as_from_nothing(report, store)
    _sources(report, "title: Verkiezingen in Testland\n", "title: Uitslag in Testland\n")
    _sources(report, "issued: 2025-10-02", "issued: 2024-07-09")
    doc = _same_as_from_nothing(report, store)
    assert "Uitslag" in doc and "Verkiezingen" not in doc


def test_a_source_made_confidential_never_prints_its_key_or_title(report, store):
    before = _same_as_from_nothing(report, store)
    assert "Dagblad" in before and "krant-bericht" in before
    _sources(report, "  type: article-newspaper\n", "  type: article-newspaper\n  confidential: true\n")
    doc = _same_as_from_nothing(report, store)
    for secret in ("krant-bericht", "Verkiezingen in Testland", "Testland Dagblad", "Jansen"):
        assert secret not in doc
    assert doc.count('"Vertrouwelijke"') > before.count('"Vertrouwelijke"')  # "Vertrouwelijke bron, <datum>"


def test_a_changed_citation_style_resolves_every_block_again(report, store):
    before = _same_as_from_nothing(report, store)
    csl = (Path(document.__file__).parent.parent / "templates" / document.CSL).read_text()
    assert '<layout suffix="." delimiter="; ">' in csl
    override = report.parents[1] / "templates" / document.CSL
    override.parent.mkdir(parents=True)
    override.write_text(csl.replace('<layout suffix="." delimiter="; ">', '<layout suffix=" (CSL)." delimiter="; ">'))
    doc = _same_as_from_nothing(report, store)
    assert "(CSL)" in doc and "(CSL)" not in before


def test_corrupt_and_foreign_entries_are_ignored(report, store):
    clean = _same_as_from_nothing(report, store)
    entries = sorted(p for p in (store.root / "blocks").rglob("*") if p.is_file())
    assert len(entries) >= 7  # the chapters' steps, each batch of blocks and its two anchors
    for i, p in enumerate(entries):
        data = bytearray(p.read_bytes())
        if i % 2:
            data[-2] ^= 0x01  # the payload no longer matches its sha256
            p.write_bytes(bytes(data))
        else:  # another entry's bytes under this entry's name
            p.write_bytes(entries[(i + 1) % len(entries)].read_bytes())
    assert _built(report, store) == clean
    assert _built(report) == clean


def _resolved_blocks(monkeypatch) -> list[int]:
    """The number of blocks each citeproc run is given (render/citations.py's ``_citeproc``)."""
    from ambtsbericht_build.render import citations

    sent: list[int] = []
    real = citations._citeproc

    def counted(pandoc, *args, **kwargs):
        sent.append(len(pandoc["blocks"]))
        return real(pandoc, *args, **kwargs)

    monkeypatch.setattr(citations, "_citeproc", counted)
    return sent


def test_blocks_are_stored_a_batch_at_a_time_not_one_entry_each(report, store, monkeypatch):
    # one file a block cost a cold render of the benchmark report 0.14-1.1 s
    # of CPU (955 files created); a batch is one entry and two small anchors
    sent = _resolved_blocks(monkeypatch)
    _same_as_from_nothing(report, store)
    chapters = len(list((report / "chapters").glob("*.md")))
    entries = [p for p in (store.root / "blocks").rglob("*") if p.is_file()]
    blocks_count = sent[0]
    batches = len(blocks._batches([bytes([255])] * (blocks_count - 1) + [bytes([0])]))  # at least one
    assert blocks_count > 10 and len(entries) < blocks_count
    assert len(entries) <= 2 * chapters + 3 * max(batches, blocks_count // 8)


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_an_edited_block_alone_goes_to_citeproc_the_others_come_from_the_anchors(report, store, monkeypatch, where):
    _same_as_from_nothing(report, store)
    sent = _resolved_blocks(monkeypatch)
    lr = load_report(report, Diagnostics(), LoadOptions())
    assert lr is not None
    first, last = lr.chapters[0].file, lr.chapters[-1].file
    path = {"first": first, "middle": report / POLITIEK, "last": last}[where]
    text = path.read_text()
    if where == "first":  # the document's first block: its batch is found through its last block
        text = text.replace("# Inleiding {#inleiding}", "# Inleiding en opzet {#inleiding}", 1)
    elif where == "middle":
        text = text.replace("De regering won", "De regering (zo bleek) won", 1)
    else:  # a block added after the last chapter's last (the mini report's blocks are one batch)
        text += "\n\nEen nieuwe laatste alinea.\n"
    path.write_text(text)
    assert _built(report, store) == _built(report)
    assert sent[0] == 1  # the store's: every other block was found (the build without it sends them all)


def test_the_document_file_is_written_from_the_memos_texts_as_from_the_blocks(report, store, tmp_path):
    from ambtsbericht_build.render.pipeline import write_document

    lr = load_report(report, Diagnostics(), LoadOptions())
    assert lr is not None
    with blocks.using(store):
        doc = document.build_document(lr, house_style_of(lr))
    assert doc.texts is not None and None not in doc.texts  # every block's, as citeproc's memo made it
    write_document(tmp_path / "given.json", doc.pandoc, doc.texts)
    write_document(tmp_path / "made.json", doc.pandoc)
    assert (tmp_path / "given.json").read_bytes() == (tmp_path / "made.json").read_bytes()


def test_a_sealed_record_of_the_wrong_shape_is_ignored(report, store):
    clean = _same_as_from_nothing(report, store)
    changed = 0
    for p in (store.root / "blocks").rglob("*"):
        payload = store.get("blocks", p.name) if p.is_file() else None
        if payload is not None and payload.startswith(b"[["):  # a chapter's assembly: [headings, targets, ...]
            head, _, rest = payload.partition(b"\n")
            store.put("blocks", p.name, json.dumps([[["1", 2, 3, 4]], *json.loads(head)[1:]]).encode() + b"\n" + rest)
            changed += 1
    assert changed >= 2
    assert _built(report, store) == clean


def test_an_empty_cross_reference_holding_a_cited_note_renames_keys_as_the_whole_document_walk(report, store):
    # filling the empty link drops the note and its citations: the unknown
    # keys after it are numbered without them (chapter_parts.py: "risky")
    path = report / POLITIEK
    text = path.read_text()
    path.write_text(
        text.replace(
            "De regering won",
            "Zie [^[Noot [@onbekend-a].]](#sec-details) en [@onbekend-b]. De regering won",
            1,
        )
    )
    doc = _same_as_from_nothing(report, store)
    assert doc == _whole_document_walks(report)
    assert "onbekend-a" not in doc and "onbekend-b" not in doc


# --- random edit sequences ------------------------------------------------------

EDITS = {
    "note at the start": (POLITIEK, "{#politiek}\n", "{#politiek}\n\nEerst.^[Noot [@vn-pagina].]\n"),
    "paragraph with a citation": (POLITIEK, "\n## Dienstplicht", "\nNieuw feit.[@hrw-rapport]\n\n## Dienstplicht"),
    "new heading": (POLITIEK, "### Details {#sec-details}", "## Tussenkop {#tussen}\n\n### Details {#sec-details}"),
    "unknown key": (POLITIEK, "De regering won", "Een gerucht.[@onbekend-x] De regering won"),
    "cross-reference": ("chapters/00-inleiding.md", "geeft cijfers.", "geeft cijfers ([](#sec-details))."),
    "confidential source": ("sources.yaml", "  type: webpage\n", "  type: webpage\n  confidential: true\n"),
    "source title": ("sources.yaml", "title: Testland rapport 2025", "title: Testland jaarrapport"),
    "source date": ("sources.yaml", "issued: 2019-01-01", "issued: 2020-06-30"),
    "tor answer": (POLITIEK, "{#sec-details}", '{#sec-details tor="1.2"}'),
}


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=2, max_size=3))
def test_random_edits_cached_build_is_the_build_from_nothing(tmp_path_factory, edits):
    _edited(tmp_path_factory, edits)


def test_a_new_heading_and_key_prepare_the_kept_chapters_again(tmp_path_factory, monkeypatch):
    # the targets and the keys' names change for every chapter: step 2 runs
    # on chapters whose step 1 was kept (their blocks made again)
    from ambtsbericht_build.render import chapter_parts

    made = []
    remake = chapter_parts._remake

    def counted(*args):
        inner = remake(*args)
        return lambda: made.append(1) or inner()

    monkeypatch.setattr(chapter_parts, "_remake", counted)
    _edited(tmp_path_factory, ["new heading", "unknown key"])
    assert made


def _edited(tmp_path_factory, edits: list[str]) -> None:
    report = make_mini_report(tmp_path_factory.mktemp("edits") / "repo")
    root = report.parents[1]
    store = Store(root / "build" / ".cache", repo=root)
    memo = BlockMemo()  # the preview's, in memory
    _built(report, store, None)
    _built(report, None, memo)
    for name in edits:
        rel, old, new = EDITS[name]
        path = report / rel
        text = path.read_text()
        if old in text:  # an edit made twice is made once
            path.write_text(text.replace(old, new, 1))
        fresh = _built(report)
        assert _built(report, store) == fresh, edits
        assert _built(report, None, memo) == fresh, edits
        for secret in _confidential(report):
            assert secret not in fresh
    assert fresh == _whole_document_walks(report)


def _confidential(report: Path) -> list[str]:
    """The keys and titles of the sources marked confidential now."""
    out = []
    for entry in (report / "sources.yaml").read_text().split("- id: ")[1:]:
        if "confidential: true" in entry:
            out.append(entry.split("\n", 1)[0].strip())
            title = re.search(r"title: (.+)", entry)
            if title:
                out.append(title.group(1).strip())
    return out
