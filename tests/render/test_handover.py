"""The hand-over from the check to the document build (render/handover.py):
the render keeps pandoc's reading of each chapter as JSON text, not as
Python objects beside the document it builds (for 100,000 notes ~0.5 GiB:
docs/render.md, "Many notes: budget"), and still uses it instead of having
pandoc read the chapter again.

A regression guard, not a timing: at the moment the document build starts,
no pandoc ``Note`` node of the check's reading may be alive in the process.
Before the hand-over there were 2,000 of them (one per note)."""

from __future__ import annotations

import gc

import pytest

from ambtsbericht_build.render import document, pipeline
from ambtsbericht_build.render.handover import release_freed
from tests.fixtures.report_kit import make_report

NOTES = 2_000


class _Stop(Exception):
    """Ends the render at the start of the document build (nothing else to look at)."""


def _notes_chapter(n: int) -> str:
    """One chapter of ``n`` notes, ten a paragraph, each citing the public source."""
    out = ["# Veiligheid {#h-veiligheid}\n"]
    for start in range(0, n, 10):
        ids = range(start, min(n, start + 10))
        out.append(" ".join(f"Feit {i}.[^{i}]" for i in ids) + "\n")
        out.append("".join(f"[^{i}]: Zie [@hrw-2025, p. {i % 500 + 1}].\n" for i in ids))
    return "\n".join(out)


def _note_nodes() -> list[dict]:
    gc.collect()
    return [o for o in gc.get_objects() if type(o) is dict and o.get("t") == "Note"]


def _live_note_nodes(earlier: list[dict]) -> int:
    """Note nodes alive now that were not alive before the render: the
    process is shared with other tests (pytest-xdist), whose fixtures may
    hold documents of their own. ``earlier`` is held, so no id is reused."""
    known = {id(o) for o in earlier}
    return sum(1 for o in _note_nodes() if id(o) not in known)


def test_the_checks_reading_is_held_as_text_until_the_document_build_takes_it(tmp_path, monkeypatch):
    r = make_report(tmp_path)
    r.write("chapters/03-veiligheid.md", _notes_chapter(NOTES), dedent_text=False)
    seen: dict[str, object] = {}
    earlier = _note_nodes()

    def at_the_hand_over(lr, *args, **kwargs):
        seen["live"] = _live_note_nodes(earlier)
        seen["held"] = [(lc.chapter.pandoc_ast, bool(lc.chapter.pandoc_json)) for lc in lr.chapters]
        pandoc_reads: list[str] = []
        run = document._run_pandoc

        def counted(args, stdin, what):
            pandoc_reads.append(what)
            return run(args, stdin, what)

        monkeypatch.setattr(document, "_run_pandoc", counted)
        asts = document.parse_chapters(lr)
        seen["notes"] = sum(1 for ast in asts for _ in _notes(ast["blocks"]))
        seen["pandoc_reads"] = pandoc_reads
        del asts
        raise _Stop

    monkeypatch.setattr(pipeline, "build_document", at_the_hand_over)
    # the document built in this process, as for a translated edition: the
    # report's own edition is built by a forked child (test_early_document.py)
    monkeypatch.setattr(pipeline, "_fork_early", lambda *args: None)
    with pytest.raises(_Stop):
        pipeline.render_report(r.dir, pipeline.RenderOptions(formats=("html",), out_dir=tmp_path / "out"))
    assert seen["live"] == 0, "pandoc's AST of the check is still held as objects at the document build"
    assert seen["held"] == [(None, True)] * 3  # every chapter's reading, as JSON text only
    assert seen["pandoc_reads"] == []  # the document build reads the check's text, not the chapters again
    assert seen["notes"] == NOTES  # and all of it is there


def _notes(node: object):
    if isinstance(node, list):
        for x in node:
            yield from _notes(x)
    elif isinstance(node, dict):
        if node.get("t") == "Note":
            yield node
        yield from _notes(node.get("c"))


def test_freed_memory_is_given_back_where_there_is_glibc():
    import platform

    assert release_freed() is (platform.libc_ver()[0] == "glibc")
