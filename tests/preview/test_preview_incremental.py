"""The preview's rebuild after an edit sends pandoc only the blocks the edit
changed (render/block_memo.py), and serves exactly what a build from
scratch of the same files serves, and finds what a check from scratch
finds (the chapters a rule walked before are kept: check/memo.py): after
any sequence of edits, of the text of either chapter, of the notes, of the
bibliography (citeproc's settings), a citation of an unknown key, a
confidential value typed in and taken out again (in either chapter), a
half-written sources.yaml, and a return to the files of the start."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build import tools
from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.preview.build import build_page
from tests.fixtures.report_kit import CHAPTER_MD, INTRO, INTRO_MD, SOURCES_YAML, make_report

MAX = 5 << 20
SECRET = "medewerker VN-organisatie, Genève"  # sources.yaml: internal.who of vb-2025-11-04
UNCHANGED = "vonden in Testland verkiezingen"
RENAMED = INTRO.replace("inleiding", "inleiding-b")  # sorted before CHAPTER still


@pytest.fixture
def pandoc_inputs(monkeypatch):
    """The input of every citeproc and HTML-writer run of pandoc."""
    seen: list[str] = []
    real = tools.run

    def run(args, **kw):
        if "--citeproc" in args or "html5" in args:
            seen.append(str(kw.get("input") or ""))
        return real(args, **kw)

    monkeypatch.setattr(tools, "run", run)
    return seen


def test_an_edit_sends_pandoc_only_the_changed_paragraph(report, pandoc_inputs):
    memo = BlockMemo()
    first = build_page(report.dir, MAX, memo)
    assert first.html is not None and UNCHANGED in first.html
    assert any("verkiezingen" in text for text in pandoc_inputs)  # the first build converts everything
    pandoc_inputs.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is not None and "gevechten in het zuiden" in b.html and UNCHANGED in b.html
    assert any("zuiden" in text for text in pandoc_inputs)
    assert not [text for text in pandoc_inputs if "Testland" in text]  # the unchanged paragraph
    assert memo.hits > 0


def test_a_note_added_before_sends_pandoc_no_block_after_it(report, pandoc_inputs):
    """The notes after an added one are renumbered, not written again by
    pandoc (render/formats/html_notes.py's Numbered): the paragraph after
    the new note, and every note's text, are not sent to pandoc again."""
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    pandoc_inputs.clear()
    report.chapter(CHAPTER_MD.replace("verkiezingen plaats", "verkiezingen^[Een Nieuwenoot.] plaats"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is not None and "Een Nieuwenoot." in b.html
    html_inputs = [text for text in pandoc_inputs if "gevechten" in text or "Nieuwenoot" in text]
    assert html_inputs and not [text for text in html_inputs if "gevechten" in text]
    assert b.html == build_page(report.dir, MAX).html  # the numbers as a build from scratch gives them


def test_an_edit_has_pandoc_read_only_the_changed_chapter(report, monkeypatch):
    """With the render's cache off (ABUILD_CACHE=off), pandoc read every
    chapter again on every edit: the preview keeps the last readings."""
    from ambtsbericht_build.load.markdown import pandoc_batch

    read: list[str] = []
    real = pandoc_batch.Batch._give

    def give(batch, index):
        read.append(batch.texts[index])
        return real(batch, index)

    monkeypatch.setattr(pandoc_batch.Batch, "_give", give)
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    assert any("Testland. Het bevat" in text for text in read)  # the first build reads both chapters
    read.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is not None and "het zuiden" in b.html
    assert len(read) == 1 and "het zuiden" in read[0]


def test_an_edit_has_only_the_changed_chapter_scanned_and_reconciled(report, monkeypatch):
    """The chapters an edit left alone are kept as the check left them
    (load/chapter_memo.py): neither scanned nor placed on pandoc's reading
    again. Their copies hand the render pandoc's reading as JSON, so the
    render's changes never reach the kept chapter (the property test below
    rebuilds on kept chapters)."""
    from ambtsbericht_build import analyse, load

    scanned: list[str] = []
    reconciled: list[str] = []
    real_scan, real_reconcile = load.parse_chapter, analyse.reconcile

    def scan(path, text):
        scanned.append(text)
        return real_scan(path, text)

    def reconcile(ch, parsed):
        reconciled.append(ch.text)
        return real_reconcile(ch, parsed)

    monkeypatch.setattr(load, "parse_chapter", scan)
    monkeypatch.setattr(analyse, "reconcile", reconcile)
    memo = BlockMemo()
    first = build_page(report.dir, MAX, memo)
    assert first.html is not None and len(scanned) == len(reconciled) == 2
    scanned.clear()
    reconciled.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is not None and "het zuiden" in b.html
    assert len(scanned) == len(reconciled) == 1 and "het zuiden" in scanned[0] and "het zuiden" in reconciled[0]
    report.chapter(CHAPTER_MD)  # back: the page of the first build, from a kept chapter and a new one
    assert build_page(report.dir, MAX, memo).html == first.html == build_page(report.dir, MAX).html


def test_an_edit_of_a_chapter_parses_no_yaml_again(report, monkeypatch):
    """Without the cache (the test suite's ABUILD_CACHE=off, the preview
    benchmark's) a YAML file's parse is kept in the preview's memo
    (load/yaml_kept.py): a chapter's edit parses none again, a changed
    sources.yaml is parsed again, and each build gets objects of its own."""
    from ambtsbericht_build.load import yaml_kept

    parsed: list[str] = []
    real = yaml_kept.load_yaml

    def load_yaml(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(yaml_kept, "load_yaml", load_yaml)
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    assert any("issued: 2025-11-04" in t for t in parsed)
    parsed.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    assert build_page(report.dir, MAX, memo).html is not None
    assert parsed == []
    report.write("sources.yaml", SOURCES_YAML.replace("World Report 2025", "World Report 2025 bis"))
    b = build_page(report.dir, MAX, memo)
    assert len(parsed) == 1 and "2025 bis" in parsed[0]
    assert b.html is not None and "2025 bis" in b.html and b.html == build_page(report.dir, MAX).html
    with memo.build():
        first = yaml_kept.kept_yaml("a: [1, 2]\n")
    with memo.build():
        again = yaml_kept.kept_yaml("a: [1, 2]\n")
    assert again == first and again[0] is not first[0]


def test_an_edit_finishes_only_the_changed_block(report, monkeypatch):
    """The notes' punctuation and the typography after citeproc are done
    on the blocks citeproc resolved now, not on every block again."""
    from ambtsbericht_build.render import citations

    seen: list[int] = []
    real = citations.punctuate_note_references

    def punctuate(blocks, lang):
        seen.append(len(blocks))
        return real(blocks, lang)

    monkeypatch.setattr(citations, "punctuate_note_references", punctuate)
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    everything = sum(seen)  # each citeproc piece is finished as it is resolved
    seen.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    assert build_page(report.dir, MAX, memo).html is not None
    assert seen == [1] and everything > 5


def test_an_edit_has_the_screen_writer_redo_only_the_changed_block(report, monkeypatch):
    """The HTML of an unchanged block and of its notes is kept
    (render/formats/html_memo.py): the writer's steps before pandoc see
    only the block the edit changed (the notes taken out of every block;
    the tables' and figures' forms made for those blocks only)."""
    from ambtsbericht_build.render.formats import html_memo

    seen: list[int] = []
    real = html_memo.screen_form  # a block's steps before pandoc, each where its text says it changes something

    def call(block, *args):
        seen.append(1)
        return real(block, *args)

    monkeypatch.setattr(html_memo, "screen_form", call)
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    everything = len(seen)
    seen.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    assert build_page(report.dir, MAX, memo).html is not None
    assert seen == [1] and everything > 5


def test_an_edit_has_ab506_and_ab401_walk_only_the_changed_chapter(report, tmp_path, monkeypatch):
    """AB506 (abbreviations) and AB401's reference links are kept per
    chapter (check/memo.py's chapter_part): the unchanged chapter is not
    walked again, its findings are those a check from scratch gives, and
    they follow the glossary."""
    from ambtsbericht_build.check import abbreviations, content

    walked: list[str] = []
    real_block, real_links = abbreviations._in_block, content._reference_links

    def in_block(b, terms):
        walked.append(b.text)
        return real_block(b, terms)

    def reference_links(lc):
        walked.append(lc.chapter.text)
        return real_links(lc)

    monkeypatch.setattr(abbreviations, "_in_block", in_block)
    monkeypatch.setattr(content, "_reference_links", reference_links)
    report.write("glossary.yaml", "HRW: Human Rights Watch\n")
    report.write(INTRO, INTRO_MD + "\nDe NKC schreef op [de site][r].\n\n[r]: https://example.org/nkc\n")
    memo, work = BlockMemo(), tmp_path / "work"
    work.mkdir()
    first = build_page(report.dir, MAX, memo, work)
    assert {d.code for d in first.findings} >= {"AB506", "AB401"}
    assert any("NKC" in text for text in walked)
    walked.clear()
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    rebuilt = build_page(report.dir, MAX, memo, work)
    assert walked and not [text for text in walked if "NKC" in text]
    assert rebuilt.findings == build_page(report.dir, MAX).findings == first.findings
    report.write("glossary.yaml", "HRW: Human Rights Watch\nNKC: Nationale Kiescommissie\n")
    rebuilt = build_page(report.dir, MAX, memo, work)
    assert rebuilt.findings == build_page(report.dir, MAX).findings
    assert "AB506" not in {d.code for d in rebuilt.findings} and "AB401" in {d.code for d in rebuilt.findings}


def test_the_memo_holds_two_builds_at_most(report):
    memo = BlockMemo()
    for k in range(5):
        report.chapter(CHAPTER_MD + f"\nAlinea {k} over de wegen.[@hrw-2025]\n")
        assert build_page(report.dir, MAX, memo).html is not None
        assert len(memo) <= 2 * (memo.hits + memo.misses)
    assert len(memo) <= memo.hits + memo.misses  # after the build: only what it used


def test_a_confidential_value_typed_in_is_never_served_by_a_rebuild(report):
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    report.chapter(CHAPTER_MD.replace("gevechten", f"volgens een {SECRET} gevechten"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is None and "confidentiality finding" in b.problem
    report.chapter(CHAPTER_MD)
    again = build_page(report.dir, MAX, memo)
    assert again.html is not None and "medewerker" not in again.html and "Genève" not in again.html


WORD = st.text(alphabet="abcdeéłż’", min_size=1, max_size=10)
EDIT = st.one_of(
    st.tuples(st.just("word"), WORD),  # a word of an unchanged paragraph
    st.tuples(st.just("paragraph"), WORD),  # a paragraph more, with a citation
    st.tuples(st.just("note"), WORD),  # a note more: the notes after it are renumbered
    st.tuples(st.just("heading"), WORD),  # a heading more, before the notes of the chapter
    st.tuples(st.just("table"), WORD),  # a table more (the screen HTML makes its ids up in document order)
    # the last note, paragraph, heading or table taken out
    st.tuples(st.just("drop"), st.sampled_from(["notes", "paragraphs", "headings", "tables"])),
    st.tuples(st.just("title"), WORD),  # a source's title: citeproc's settings change
    st.tuples(st.just("day"), st.integers(1, 28)),  # the confidential source's date
    st.tuples(st.just("secret"), st.booleans()),  # an internal value typed in, or taken out
    st.tuples(st.just("intro"), WORD),  # a word of the other chapter
    st.tuples(st.just("intro_secret"), st.booleans()),  # an internal value in the other chapter
    st.tuples(st.just("moved"), st.booleans()),  # the internal value changed: the text above is no secret then
    st.tuples(st.just("unknown"), st.text(alphabet="abxyz", min_size=1, max_size=6)),  # a key no source has
    st.tuples(st.just("broken"), st.booleans()),  # sources.yaml half-written (no page), or whole again
    st.tuples(st.just("revert"), st.just(True)),  # every file as at the start
    # an HTML comment typed in: forbidden values of the chapter change (publish/forbidden_memo.py, a new matcher)
    st.tuples(st.just("comment"), WORD),
    # the other chapter under another name, same text (a kept chapter is kept by its file: load/chapter_memo.py)
    st.tuples(st.just("renamed"), st.booleans()),
)
START = {
    "word": "",
    "secret": False,
    "notes": [],
    "paragraphs": [],
    "headings": [],
    "tables": [],
    "title": "",
    "day": 4,
    "intro": "",
    "intro_secret": False,
    "unknown": "",
    "broken": False,
    "moved": False,
    "comment": "",
    "renamed": False,
}


def _files(state: dict) -> tuple[str, str, str]:
    text = CHAPTER_MD.replace("verkiezingen plaats", f"verkiezingen {state['word']} plaats")
    if state["secret"]:
        text = text.replace("gevechten", f"volgens een {SECRET} gevechten")
    text = text.replace("(zie", "".join(f"^[Noot {n}.]" for n in state["notes"]) + " (zie")
    table = "| Jaar | {0} |\n|---|---|\n| 2025 | 12^[Tabelnoot {0}.] |\n\nTable: Cijfers {0}.\n\n"
    tables = "".join(table.format(t) for t in state["tables"])
    headings = "".join(f"## Kop {h}\n\n" for h in state["headings"])
    text = text.replace("## Veiligheid", tables + headings + "## Veiligheid")
    text += "".join(f"\nAlinea {p}.[@hrw-2025]\n" for p in state["paragraphs"])
    if state["unknown"]:
        text += f"\nVolgens een onbekende bron.[@onbekend-{state['unknown']}]\n"
    if state["comment"]:
        text += f"\n<!-- het gesprek met de bron over {state['comment']} bleef onder ons -->\n"
    intro = INTRO_MD.replace("situatie in", f"situatie {state['intro']} in")
    if state["intro_secret"]:
        intro = intro.replace("Het bevat", f"Een {SECRET} bevat")
    sources = SOURCES_YAML.replace("World Report 2025", f"World Report 2025 {state['title']}")
    sources = sources.replace("issued: 2025-11-04", f"issued: 2025-11-{state['day']:02d}")
    if state["moved"]:
        sources = sources.replace(SECRET, "medewerker NGO, Oslo")
    if state["broken"]:
        sources = sources[: len(sources) // 2] + '\n  title: "half'
    return text, intro, sources


_reports = itertools.count()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=3, max_size=5))
# a chapter's kept findings must follow the YAML's secrets (check/memo.py's key)
@example(edits=[("intro_secret", True), ("moved", True), ("broken", True), ("revert", True)])
# a note and a table added before kept blocks, then the table's note taken out with the table
# (and an HTML comment typed in first: the forbidden values change, and the
# page's memos follow the new matcher)
@example(edits=[("comment", "a"), ("table", "a"), ("note", "b"), ("table", "c"), ("drop", "tables"), ("heading", "d")])
def test_rebuilds_serve_what_a_build_from_scratch_serves(tmp_path, edits):
    n = next(_reports)
    report = make_report(tmp_path / f"r{n}")
    memo, work = BlockMemo(), tmp_path / f"w{n}"  # one directory for the page: the audit's matcher is kept
    work.mkdir()
    assert build_page(report.dir, MAX, memo, work).html is not None
    state: dict = {**START, "notes": [], "paragraphs": [], "headings": [], "tables": []}
    for kind, value in edits:
        if kind == "revert":
            state = {**START, "notes": [], "paragraphs": [], "headings": [], "tables": []}
        elif kind in ("note", "paragraph", "heading", "table"):
            state[kind + "s"].append(value)
        elif kind == "drop":
            state[value] = state[value][:-1]
        else:
            state[kind] = value
        chapter, intro, sources = _files(state)
        report.chapter(chapter)
        (report.dir / (INTRO if state["renamed"] else RENAMED)).unlink(missing_ok=True)
        report.write(RENAMED if state["renamed"] else INTRO, intro)
        report.write("sources.yaml", sources)
        rebuilt, scratch = build_page(report.dir, MAX, memo, work), build_page(report.dir, MAX)
        refused = ((state["secret"] or state["intro_secret"]) and not state["moved"]) or state["broken"]
        assert (rebuilt.html is None) == refused, rebuilt.problem
        assert rebuilt.html == scratch.html, (kind, value)
        assert rebuilt.problem == scratch.problem and rebuilt.findings == scratch.findings, (kind, value)
        if state["unknown"] and not state["broken"]:
            assert any(f"onbekend-{state['unknown']}" in d.message for d in rebuilt.findings), rebuilt.findings


def test_a_letter_typed_that_the_page_lacked_makes_no_new_font_subsets(report, monkeypatch):
    """Four new subsets took a rebuild 1-1.8 s longer; the preview's fonts
    hold the Latin of every EU language and its punctuation from the start
    (the published page keeps only its own characters)."""
    from ambtsbericht_build.render import fonts

    monkeypatch.setattr(fonts, "_CACHE", type(fonts._CACHE)())
    memo = BlockMemo()
    assert build_page(report.dir, MAX, memo).html is not None
    made = len(fonts._CACHE)
    assert made == 4  # the four styles
    report.chapter(CHAPTER_MD.replace("gevechten", "gevechten bij Tromsø (schade: 5 mln €, „ernstig”)"))
    b = build_page(report.dir, MAX, memo)
    assert b.html is not None and "Tromsø" in b.html
    assert len(fonts._CACHE) == made


def test_kept_findings_follow_a_bibliography_outside_the_report(report, tmp_path):
    """report.yaml's ``bibliography:`` may name a file anywhere in the
    repository: its secrets are an input of every chapter's AB302 findings."""
    elsewhere = report.write_root("gedeeld/bronnen.yaml", SOURCES_YAML)
    report.write("report.yaml", report.path("report.yaml").read_text() + "bibliography: [../../gedeeld/bronnen.yaml]\n")
    report.remove("sources.yaml")
    report.write(INTRO, INTRO_MD.replace("Het bevat", f"Een {SECRET} bevat"))
    memo, work = BlockMemo(), tmp_path / "work"
    work.mkdir()
    first = build_page(report.dir, MAX, memo, work)
    assert first.html is None and any(d.code == "AB302" for d in first.findings)
    elsewhere.write_text(SOURCES_YAML.replace(SECRET, "medewerker NGO, Oslo"), encoding="utf-8")
    rebuilt, scratch = build_page(report.dir, MAX, memo, work), build_page(report.dir, MAX)
    assert rebuilt.findings == scratch.findings and not any(d.code == "AB302" for d in rebuilt.findings)
    assert rebuilt.html is not None and rebuilt.html == scratch.html


def _with_code_name(report) -> str:
    sources = report.path("sources.yaml").read_text(encoding="utf-8")
    coded = sources.replace("archief: AMB-TL/2025/1104", "archief: AMB-TL/2025/1104\n    codenaam: Wielewaal")
    assert coded != sources
    return coded


def test_kept_findings_follow_every_media_name_ab302_reads(report, tmp_path):
    """Red team pass 6: a code name in a file name under media/__pycache__/
    (which the cache's walk skips) was found by a fresh check and never by
    the preview, which kept the build before's 0 findings."""
    report.write("sources.yaml", _with_code_name(report))
    memo, work = BlockMemo(), tmp_path / "work"
    work.mkdir()
    first = build_page(report.dir, MAX, memo, work)
    assert first.html is not None and not first.findings
    report.write("media/__pycache__/wielewaal-foto.png", "x")
    rebuilt, scratch = build_page(report.dir, MAX, memo, work), build_page(report.dir, MAX)
    assert any(d.code == "AB302" for d in scratch.findings)
    assert rebuilt.findings == scratch.findings and rebuilt.html is None


def test_a_save_during_a_build_keeps_nothing_of_that_build(report, tmp_path, monkeypatch):
    """Red team pass 6: the inputs' hash is taken after the loader read the
    files; a save in between stored the old files' findings (none) under
    the new files' hash (a code name added), and every later build reused
    them. A build during which a file changed keeps nothing."""
    from ambtsbericht_build.check import memo as check_memo

    memo, work = BlockMemo(), tmp_path / "work"
    work.mkdir()
    sources = report.path("sources.yaml").read_text(encoding="utf-8")
    accessed = "  accessed: 2025-02-03\n"
    abstract = sources.replace(accessed, accessed + "  abstract: Over de Wielewaal-groep.\n", 1)
    report.write("sources.yaml", abstract)
    assert build_page(report.dir, MAX, memo, work).html is not None
    coded = _with_code_name(report)
    real = check_memo.report_inputs
    saved = []

    def save_while_building(lr):  # the drafter saves just after the load
        if not saved:
            saved.append(report.write("sources.yaml", coded))
        return real(lr)

    monkeypatch.setattr(check_memo, "report_inputs", save_while_building)
    build_page(report.dir, MAX, memo, work)
    monkeypatch.setattr(check_memo, "report_inputs", real)
    assert saved
    rebuilt, scratch = build_page(report.dir, MAX, memo, work), build_page(report.dir, MAX)
    assert scratch.html is None and any(d.code == "AB302" for d in scratch.findings)
    assert rebuilt.findings == scratch.findings and rebuilt.html is None
