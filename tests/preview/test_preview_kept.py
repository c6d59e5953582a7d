"""What the preview keeps besides the memos of check, document and audit:
HEAD's commit time (the page's date) by git, kept while nothing git reads
changed, and facts without the DOCX's review anchors (the HTML has none);
and the stage timer a rebuild reports (ABUILD_PREVIEW_STAGES)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.preview.build import build_page
from tests.fixtures.report_kit import CHAPTER_MD, git_in

MAX = 5 << 20


def commit(root: Path, date: str) -> None:
    git_in(root, "add", "-A")
    os.environ["GIT_COMMITTER_DATE"] = date
    try:
        git_in(root, "commit", "-qm", "bewerking")
    finally:
        del os.environ["GIT_COMMITTER_DATE"]


def test_a_new_commit_dates_the_page_at_once(report):
    root = report.dir.parents[1]
    shutil.rmtree(root / ".git")
    git_in(root, "init", "-q")
    commit(root, "2026-01-05T10:00:00Z")
    memo = BlockMemo()
    first = build_page(report.dir, MAX, memo).html
    assert first is not None and "2026-01-05" in first
    report.chapter(CHAPTER_MD.replace("gevechten in het noorden", "gevechten in het zuiden"))
    commit(root, "2026-03-09T10:00:00Z")
    kept = build_page(report.dir, MAX, memo)
    assert kept.html is not None and "2026-03-09" in kept.html and "2026-01-05" not in kept.html
    assert kept.html == build_page(report.dir, MAX).html
    assert "facts" in kept.stages.seconds and "audit" in kept.stages.seconds


def test_the_html_has_no_docx_anchors(report, tmp_path):
    """The preview's facts leave the review anchors out: the screen HTML
    is the same with them (the HTML writer does not read them)."""
    from ambtsbericht_build.commands.check import CheckOptions, check_report
    from ambtsbericht_build.diagnostics import Diagnostics
    from ambtsbericht_build.render import document
    from ambtsbericht_build.render.facts import house_style_of, render_facts
    from ambtsbericht_build.render.formats.html import HtmlWriter

    lr = check_report(report.dir, Diagnostics(), CheckOptions(max_bytes=MAX))
    assert lr is not None
    style = house_style_of(lr)
    pages = []
    for anchors in (True, False):
        doc = document.build_document(lr, style)
        facts = render_facts(lr, doc, 0, style, anchors=anchors)
        assert bool(facts.anchors.blocks) == anchors
        out = tmp_path / f"{anchors}.html"
        HtmlWriter().write(doc.pandoc, facts, out)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_the_collector_is_off_during_a_build_only_and_the_stages_are_printed(report, monkeypatch):
    """A rebuild of the benchmark report spent 0.4 s of its 1.8 s of CPU in
    the cyclic garbage collector (gc_pause.without_cyclic_gc)."""
    import gc

    from ambtsbericht_build.commands.preview import terminal_lines
    from ambtsbericht_build.render import document

    seen: list[bool] = []
    real = document.build_document

    def build_document(*args, **kw):
        seen.append(gc.isenabled())
        return real(*args, **kw)

    monkeypatch.setattr(document, "build_document", build_document)
    assert gc.isenabled()
    b = build_page(report.dir, MAX, BlockMemo())
    assert b.html is not None
    assert seen == [False] and gc.isenabled()
    assert "stages" not in terminal_lines(b, True, False)
    monkeypatch.setenv("ABUILD_PREVIEW_STAGES", "1")
    line = terminal_lines(b, True, False)
    assert "stages (wall/CPU s): check " in line and "audit " in line
