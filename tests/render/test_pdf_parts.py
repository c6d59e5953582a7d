"""The print HTML cut into parts (render/pdf_parts.py), and a render killed
while its parts are laid out (render/pdf_layout_parts.py).

The parts' real output is tested by every PDF test: the example and the
small report (tests/render/conftest.py) are laid out in parts, and their
TOC, footers, notes, links, bookmarks and tags are read from the joined
file. tests/cache/test_pdf_parts_cache.py renders the small report with and
without the cache, after edits, and against a layout of the whole.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.pdf_parts import PART_LINK, split
from tests.fixtures.report_kit import ABUILD
from tests.render.conftest import make_mini_report
from tests.render.test_render_faults import _cmdline, _descendants, _marked, _running

HEAD = '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><style>p { color: black; }</style></head>\n'
WATERMARK = '<div class="watermark" aria-hidden="true"><div></div></div>\n'
CONTINUE = "@page :first { @top-left { content: 'T'; } }\n"


def page(front: str, chapters: list[str], after: str = '<div id="einde"></div>\n') -> str:
    return (
        HEAD
        + '<body class="draft print">\n'
        + WATERMARK
        + front
        + '<main id="inhoud">\n'
        + "".join(chapters)
        + "</main>\n"
        + after
        + "</body>\n</html>\n"
    )


def chapter(n: int, notes: int, links: list[str]) -> str:
    calls = "".join(
        f'<span class="note-call">x<span class="footnote" data-note="{n}.{i}">noot</span></span>' for i in range(notes)
    )
    refs = "".join(f'<a href="#{t}">naar {t}</a>' for t in links)
    return f'<h1 id="h{n}">Hoofdstuk {n}</h1>\n<section id="s{n}"><p>Tekst {n}{calls}{refs}</p></section>\n'


def test_a_part_per_chapter_after_the_front_matter():
    front = (
        '<header class="cover"><p>Titel</p></header>\n<nav class="toc"><a href="#h1">1</a><a href="#s2">2</a></nav>\n'
    )
    html = page(front, [chapter(1, 2, ["s1", "h2"]), chapter(2, 3, ["h1"]), chapter(3, 0, ["nergens"])])
    parts = split(html, CONTINUE)
    # each starts on a new page, where WeasyPrint 70 starts a new /Part for <main>'s piece
    assert [p.continues for p in parts] == [0, 0, 0, 0]
    front_part, one, two, three = (p.html for p in parts)
    # the front matter: no <main>; its TOC links point into other parts
    assert "<main" not in front_part and "Titel" in front_part
    assert f'href="{PART_LINK}h1"' in front_part and f'href="{PART_LINK}s2"' in front_part
    # the chapters: the same head, the watermark, <main> (its id once), a note counter that runs on
    assert all(p.startswith(HEAD[: HEAD.index("</head>")]) and WATERMARK in p for p in (one, two, three))
    assert '<main id="inhoud">' in one and "<main>" in two and "<main>" in three
    assert (
        "counter-set: footnote 0;" in one and "counter-set: footnote 2;" in two and "counter-set: footnote 5;" in three
    )
    assert CONTINUE in one and CONTINUE in two
    # a link inside the part stays, one to another part is marked, one to nowhere stays as it was
    assert 'href="#s1"' in one and f'href="{PART_LINK}h2"' in one
    assert f'href="{PART_LINK}h1"' in two
    assert 'href="#nergens"' in three
    assert '<div id="einde">' in three and '<div id="einde">' not in one
    assert all(p.rstrip().endswith("</html>") for p in (front_part, one, two, three))


def test_a_document_it_cannot_cut_safely_is_one_part():
    one_chapter = chapter(1, 1, [])
    shapes = {
        "no main": page("", [one_chapter]).replace("<main", "<div").replace("</main>", "</div>"),
        "two mains": page("", [one_chapter]).replace("</main>\n", '</main>\n<main id="b"></main>\n'),
        "an h1 nested in a section": page("", [f"<section>{one_chapter}</section>", chapter(2, 0, [])]),
        "tags that do not balance": page("", [one_chapter, "<div>", chapter(2, 0, [])]),
        "no h1": page("", ["<p>alleen tekst</p>\n"]),
        "an h1 before main": page("<h1>Voor</h1>\n", [one_chapter, chapter(2, 0, [])]),
    }
    for name, html in shapes.items():
        parts = split(html, CONTINUE)
        assert [p.html for p in parts] == [html], name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.lists(st.integers(0, 9), max_size=4)),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.integers(0, 9), max_size=5),
)
def test_every_link_notes_and_text_survive_the_cut(spec, toc):
    """For any chapters (notes, links to any chapter or section, or to an id
    no part has): one part per chapter plus the front matter; a part links
    with '#' only to its own ids and with PART_LINK only to another part's;
    the notes' counters add up; every chapter's text is in exactly one part."""
    chapters = [chapter(n, notes, [f"{'hs'[t % 2]}{t}" for t in links]) for n, (notes, links) in enumerate(spec)]
    front = "<nav>" + "".join(f'<a href="#h{t}">{t}</a>' for t in toc) + "</nav>\n"
    parts = split(page(front, chapters), CONTINUE)
    assert len(parts) == len(spec) + 1
    ids = [set(re.findall(r'\bid="([^"]*)"', p.html)) for p in parts]
    every = set().union(*ids)
    seen_notes = 0
    for i, part in enumerate(parts):
        for target in re.findall(r'href="#([^"]*)"', part.html):
            assert target in ids[i] or target not in every, (i, target)
        for target in re.findall(r'href="' + re.escape(PART_LINK) + r'([^"]*)"', part.html):
            assert target not in ids[i] and target in every, (i, target)
        if i:
            assert f"counter-set: footnote {seen_notes};" in part.html
            assert f"Tekst {i - 1}<" in part.html
            assert sum(f"Tekst {n}<" in part.html for n in range(len(spec))) == 1
        seen_notes += part.html.count('<span class="footnote"')
    assert seen_notes == sum(notes for notes, _ in spec)


def test_part_link_is_the_merges():
    from ambtsbericht_build.render import pdf_merge

    assert PART_LINK == pdf_merge.PART_LINK


def test_sigkill_while_the_parts_are_laid_out_leaves_no_part_and_no_process(tmp_path):
    """abuild is SIGKILLed while the PDF writer's forked workers lay out the
    small report's parts: the workers, the writer and the guard are gone
    within seconds, and no part file or staging directory stays."""
    report = make_mini_report(tmp_path / "repo")
    # ~20 pages more, so that the parts take long enough to be seen being
    # laid out: the 5-page report's took ~0.1 s after the WeasyPrint patches
    # (render/weasy_speed.py), which a 20 ms poll could miss
    chapter = report / "chapters" / "01-politiek.md"
    cited = "HRW meldde meer arrestaties in de hoofdstad en daarbuiten.[@hrw-rapport, p. 5]\n\n"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + cited * 400, encoding="utf-8")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "ABUILD_RENDER_PID"}
    env["ABUILD_PDF_PARTS"] = "on"  # the small report is laid out whole by default
    with open(tmp_path / "log.txt", "w") as log:
        p = subprocess.Popen(
            [str(ABUILD), "render", str(report), "--to", "pdf", "--out", str(out)], stdout=log, stderr=log, env=env
        )

    def layout_workers() -> set[int]:
        """Forked PDF workers: a render.worker process whose parent is one too."""
        mine = _descendants(p.pid)
        writers = {pid for pid in mine if "render.worker" in _cmdline(pid) or "worker.py" in _cmdline(pid)}
        return {pid for pid in writers if any(pid in _descendants(w) for w in writers if w != pid)}

    started: set[int] = set()
    try:
        end = time.monotonic() + 240
        while not layout_workers():
            assert p.poll() is None, (tmp_path / "log.txt").read_text()
            assert time.monotonic() < end, "the PDF was never laid out in parts"
            time.sleep(0.02)
        started = _descendants(p.pid) | _marked(p.pid)
        p.kill()
        p.wait()
        end = time.monotonic() + 20  # the guard waits up to 10 s for the writers' groups
        while _running(started | _marked(p.pid)) and time.monotonic() < end:
            time.sleep(0.1)
        assert {pid: _cmdline(pid) for pid in _running(started | _marked(p.pid))} == {}
        end = time.monotonic() + 10
        while any(tmp_path.rglob("*.pdf")) and time.monotonic() < end:
            time.sleep(0.1)
        assert [str(f) for f in tmp_path.rglob("*") if "part" in f.name and f.name.endswith(".pdf")] == []
        assert not any(tmp_path.rglob(".pdf-parts-*"))
    finally:
        for pid in _running(started):
            if "ambtsbericht_build" in _cmdline(pid):
                os.kill(pid, signal.SIGKILL)  # what this test started, should an assertion fail


def test_parts_report_what_their_layout_refused_and_dropped(tmp_path):
    """Laid out in parts (in forked workers), the PDF still says which URLs
    its layout refused to fetch and how many links to local files it dropped
    (the tools sidecar, which the manifest and the render's note read), and
    its footers count the pages of the whole."""
    import json

    import pypdfium2

    from ambtsbericht_build.render import pdf
    from ambtsbericht_build.render.pdf_layout_parts import write_in_parts

    css = "@page { size: A6; @bottom-center { content: 'Pagina ' '000' ' van ' '000'; } } h1 { break-before: page; }"
    html = page(
        "<p>Voorblad</p>\n",
        [
            chapter(1, 0, ["h2"]),
            '<h1 id="h2">Twee</h1>\n<p><img src="https://example.org/kaart.png" alt="kaart"></p>\n',
            '<h1 id="h3">Drie</h1>\n<p><a href="media/bijlage.pdf">bijlage</a></p>\n',
        ],
    ).replace("</style>", css + "</style>")
    out = tmp_path / "r.pdf"
    pdf.html_to_pdf(
        html,
        out,
        sidecars=True,
        in_parts=lambda h, fetcher: write_in_parts(
            h, out, fetcher, revise=None, max_passes=0, continuation_css=CONTINUE
        ),
    )
    tools = json.loads((tmp_path / "r.pdf.tools.json").read_text())
    assert tools["parts"] == {"parts": 4, "laid": 4, "written": 4, "reused": 0}
    assert tools["refused"] == ["https://example.org/kaart.png"] and tools["dropped_file_links"] == 1
    doc = pypdfium2.PdfDocument(out)
    footers = [doc[i].get_textpage().get_text_range().splitlines()[-1] for i in range(1, len(doc))]
    assert footers == [f"Pagina {n} van {len(doc)}" for n in range(2, len(doc) + 1)]
    assert not list(tmp_path.glob(".pdf-parts-*"))


def test_layout_workers_collect_no_garbage_while_laying_out(tmp_path):
    """A layout worker lays out and writes with Python's collector off and
    what it inherited frozen (pdf_layout_parts.Collector: full collections
    were a quarter of the layout's CPU); the ``revise`` pass runs in the
    worker, between layout and write, and says so. The writer's own
    collector is left as it was."""
    import gc

    from ambtsbericht_build.render import pdf
    from ambtsbericht_build.render.pdf_layout_parts import write_in_parts

    seen = tmp_path / "gc.txt"

    def revise(document, html):
        with seen.open("a") as fh:
            fh.write(f"{gc.isenabled()} {gc.get_freeze_count() > 0}\n")
        return html

    html = page("<p>Voorblad</p>\n", [chapter(1, 0, []), chapter(2, 0, [])])
    out = tmp_path / "r.pdf"
    pdf.html_to_pdf(
        html,
        out,
        in_parts=lambda h, fetcher: write_in_parts(
            h, out, fetcher, revise=revise, max_passes=1, continuation_css=CONTINUE
        ),
    )
    assert seen.read_text().splitlines() == ["False True"] * 3
    assert gc.isenabled()


def test_a_layout_worker_collects_once_it_grew():
    import gc
    import weakref

    from ambtsbericht_build.render.pdf_layout_parts import Collector

    class Node:
        pass

    try:
        collector = Collector(growth=1 << 40)
        assert not gc.isenabled()
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        assert not collector.between_parts() and gone() is not None  # small: kept
        collector.growth = 0
        assert collector.between_parts() and gone() is None  # grown: collected
    finally:
        gc.unfreeze()
        gc.enable()
