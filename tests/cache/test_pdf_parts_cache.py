"""The PDF's parts in the render cache (cache/pdf_parts.py): after an edit of
one chapter only that chapter's part is laid out, and the file is byte for
byte the one a render without the cache writes (so it is after a change of
the house style's CSS); after an edit that adds a page every part is
written again, the file is the one without the cache (its print HTML's
kept blocks renumbered: render/formats/print_memo.py), and the pages are
those of the document laid out as a whole.

Real renders of the small report (``abuild render --to pdf``, in process,
its PDF writer a real WeasyPrint process with its forked workers): eight,
~2.5 s of CPU each.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import ImageChops

from ambtsbericht_build.cli import main

PDF = ("--to", "pdf")
PACKAGE = Path(__file__).resolve().parents[2] / "ambtsbericht_build"
PARTS = re.compile(r"^pdf\s+.*?(\d+) parts: (\d+) laid out, (\d+) from the cache", re.M)


def render(report: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["render", str(report), "--out", str(out), *PDF, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def pages(path: Path) -> list[tuple[str, object]]:
    """Each page's text and image (at 72 dpi, grey)."""
    doc = pypdfium2.PdfDocument(path)
    try:
        return [
            (doc[i].get_textpage().get_text_range(), doc[i].render(scale=1).to_pil().convert("L"))
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def test_an_edit_lays_out_its_part_only_and_the_file_is_the_same(
    mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABUILD_PDF_PARTS", "on")  # the small report is laid out whole by default
    a, b, whole = tmp_path / "with-cache", tmp_path / "without", tmp_path / "whole"
    chapter = mini_repo / "chapters" / "01-politiek.md"
    text = chapter.read_text()
    first = render(mini_repo, a)
    assert not PARTS.search(first), first  # an empty cache: every part laid out

    # a word more in one paragraph: its chapter keeps its pages
    sentence = "De regering won de verkiezingen."
    assert sentence in text
    chapter.write_text(text.replace(sentence, "De regering won de verkiezingen ruim."))
    said = render(mini_repo, a)
    found = PARTS.search(said)
    assert found, said
    parts, laid, reused = map(int, found.groups())
    assert parts >= 4 and laid == 1 and reused == parts - 1, said
    render(mini_repo, b, "--no-cache")
    assert (a / "testland.pdf").read_bytes() == (b / "testland.pdf").read_bytes()

    # a house-style change (the repository's print.css): every part's HTML
    # holds the CSS, so nothing is reused, and the file is the one without the cache
    css = mini_repo.parents[1] / "templates" / "css" / "print.css"
    css.parent.mkdir(parents=True)
    shutil.copy(PACKAGE / "templates" / "css" / "print.css", css)
    with css.open("a") as fh:
        fh.write("\nh2 { letter-spacing: 0.05em; }\n")
    said = render(mini_repo, a)
    assert not PARTS.search(said), said
    render(mini_repo, b, "--no-cache")
    assert (a / "testland.pdf").read_bytes() == (b / "testland.pdf").read_bytes()

    # a page more: every footer's total changes, every part is written again,
    # and the pages are those of the document laid out at once
    before = len(pypdfium2.PdfDocument(a / "testland.pdf"))
    extra = "".join(f"Alinea {i} over de politieke situatie in het land.[@krant-bericht]\n\n" for i in range(40))
    chapter.write_text(text.replace(sentence, extra + sentence))
    said = render(mini_repo, a)
    assert not PARTS.search(said), said  # nothing from the cache: every number changed
    # 40 notes more (the citations) renumber every note after them: the
    # print HTML's kept blocks (print_memo.py) are numbered anew
    render(mini_repo, b, "--no-cache")
    assert (a / "testland.pdf").read_bytes() == (b / "testland.pdf").read_bytes()
    monkeypatch.setenv("ABUILD_PDF_PARTS", "off")
    render(mini_repo, whole, "--no-cache")
    got, want = pages(a / "testland.pdf"), pages(whole / "testland.pdf")
    assert len(got) == len(want) > before
    for n, ((text_got, img_got), (text_want, img_want)) in enumerate(zip(got, want, strict=True), start=1):
        assert text_got == text_want, f"page {n}"
        assert ImageChops.difference(img_got, img_want).getbbox() is None, f"page {n} looks different"
