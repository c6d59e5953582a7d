"""Grid and simple tables in the English edition (translate/tables.py).

A property test holds the reading and the writing against pandoc's own: a
generated grid or simple table is read cell by cell as pandoc reads it
(texts, alignment, header row), and written again with other texts pandoc
reads exactly those texts back, in the same cells. Then the whole way on a
small report, once: ``abuild translate extract``, every msgstr filled with a
marker, the English HTML rendered: every marker is in it, and no Dutch cell
text. About 4 s of CPU (one pandoc run per example, one HTML render).
"""

from __future__ import annotations

import json
import re
import subprocess

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.load.markdown.pandoc_batch import READER
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from ambtsbericht_build.tools import pandoc_path
from ambtsbericht_build.translate.extract import extract
from ambtsbericht_build.translate.tables import read_table, write_table
from tests.fixtures.report_kit import make_report

ALIGN = {"AlignLeft": "l", "AlignRight": "r", "AlignCenter": "c", "AlignDefault": ""}


def _pandoc_tables(text: str) -> list[tuple[list[str], list[list[str]], int]]:
    """(alignments, rows of cell texts, header rows) of each table pandoc reads in ``text``."""
    out = subprocess.run([pandoc_path(), "-f", READER, "-t", "json"], input=text, capture_output=True, text=True)
    found = []
    for b in json.loads(out.stdout)["blocks"]:
        if b["t"] != "Table":
            continue
        _attr, _caption, specs, head, bodies, _foot = b["c"]

        def cells(row: list) -> list[str]:
            return [_plain(cell[4]) for cell in row[1]]

        rows = [cells(r) for r in head[1]] + [cells(r) for body in bodies for r in body[2] + body[3]]
        found.append(([ALIGN[s[0]["t"]] for s in specs], rows, len(head[1])))
    return found


def _plain(blocks: list) -> str:
    words: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, dict):
            if x.get("t") == "Str":
                words.append(x["c"])
            elif x.get("t") in ("Space", "SoftBreak"):
                words.append(" ")
            else:
                walk(x.get("c"))
        elif isinstance(x, list):
            for y in x:
                walk(y)

    walk(blocks)
    return " ".join("".join(words).split())


WORD = st.text(alphabet="abcdeklmnorstuvwz", min_size=1, max_size=9)
CELL = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


@st.composite
def grid_tables(draw: st.DrawFn) -> str:
    ncol = draw(st.integers(1, 4))
    nrow = draw(st.integers(1, 4))
    header = draw(st.booleans())
    aligns = draw(st.lists(st.sampled_from(["l", "r", "c", ""]), min_size=ncol, max_size=ncol))
    # each cell's lines: one, or its words split over two (a multi-line cell)
    cells = []
    for _ in range(nrow):
        row = []
        for _ in range(ncol):
            words = draw(st.lists(WORD, min_size=1, max_size=4))
            k = draw(st.integers(1, len(words)))
            row.append([" ".join(words[:k]), " ".join(words[k:])] if k < len(words) else [" ".join(words)])
        cells.append(row)
    widths = [max(len(p) for row in cells for p in row[c]) + 2 + draw(st.integers(0, 6)) for c in range(ncol)]

    def rule(ch: str, aligned: bool) -> str:
        segs = []
        for a, w in zip(aligns, widths, strict=True):
            seg = [ch] * w
            if aligned and a in ("l", "c"):
                seg[0] = ":"
            if aligned and a in ("r", "c"):
                seg[-1] = ":"
            segs.append("".join(seg))
        return "+" + "+".join(segs) + "+"

    out = [rule("-", not header)]
    for r, row in enumerate(cells):
        for k in range(max(len(parts) for parts in row)):
            texts = [(parts[k] if k < len(parts) else "").ljust(w - 2) for parts, w in zip(row, widths, strict=True)]
            out.append("| " + " | ".join(texts) + " |")
        out.append(rule("=", True) if r == 0 and header else rule("-", False))
    return "\n".join(out)


@st.composite
def simple_tables(draw: st.DrawFn) -> str:
    ncol = draw(st.integers(2, 4))
    nrow = draw(st.integers(1, 4))
    rows = [[draw(WORD) for _ in range(ncol)] for _ in range(nrow + 1)]
    widths = [max(3, *(len(r[c]) for r in rows)) + draw(st.integers(0, 3)) for c in range(ncol)]
    how = draw(st.lists(st.sampled_from(["ljust", "rjust"]), min_size=ncol, max_size=ncol))
    lines = ["  ".join(getattr(r[c], how[c])(widths[c]) for c in range(ncol)).rstrip() for r in rows]
    sep = "  ".join("-" * w for w in widths)
    return "\n".join([lines[0], sep, *lines[1:]])


@settings(max_examples=30, deadline=None)
@given(st.one_of(grid_tables(), simple_tables()))
def test_tables_are_read_and_written_as_pandoc_reads_them(table):
    layout = read_table(table)
    assert layout is not None, table
    marked = [[f"ZQ{r}x{c}" for c in range(len(row))] for r, row in enumerate(layout.rows)]
    written, offsets = write_table(layout, marked)
    for r, row in enumerate(marked):
        for c, text in enumerate(row):
            assert written[offsets[r][c] : offsets[r][c] + len(text)] == text
    (aligns, rows, head), (aligns2, rows2, head2) = _pandoc_tables(f"{table}\n\npara\n\n{written}\n")
    assert layout.aligns == aligns and layout.header == bool(head), table
    assert [[" ".join(t.split()) for t in row] for row in layout.rows] == rows, table
    assert (aligns2, rows2, head2) == (aligns, marked, head), written


# the Dutch words of the cells below (a multi-line cell is one entry: "Havenstad (hoofdstad)")
DUTCH = ["Provincie", "Arrestaties", "Havenstad (hoofdstad)", "Noordkust", "1.184", "Wijk", "Risico"]
DUTCH += ["Kustweg zuid", "gemiddeld hoog", "Totaal", "Kop", "Andere kop", "een"]
CHAPTER = """
# Cijfers

+--------------+-------------+
| Provincie    | Arrestaties |
+==============+============:+
| Havenstad    | 412         |
| (hoofdstad)  |             |
+--------------+-------------+
| Noordkust    | 1.184       |
+--------------+-------------+

: Arrestaties per provincie

   Wijk       Risico
-------       ---------------
Kustweg zuid  gemiddeld hoog
Totaal        12

: Risico per wijk

| Kop | Andere kop |
|-----|-----------:|
| een | 7          |
"""


def test_grid_and_simple_tables_are_translated_in_the_edition(tmp_path):
    rd = make_report(tmp_path)
    chapter = rd.chapter(CHAPTER)
    diags = Diagnostics()
    extract(load_report(rd.dir, diags), "en", diags)
    assert not diags.errors, diags.sorted()
    po_path = rd.dir / "translations" / "en" / chapter.relative_to(rd.dir).with_suffix(".po")
    ids = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert set(DUTCH) <= set(ids), sorted(ids)
    assert "412" not in ids and "12" not in ids and "7" not in ids  # figures only: nothing to translate
    lines = chapter.read_text(encoding="utf-8").split("\n")
    line = next(k for k, ln in enumerate(lines, 1) if "Noordkust" in ln)
    assert ids["Noordkust"].occurrences == [(chapter.relative_to(rd.dir).as_posix(), str(line))]

    markers = []
    for path in sorted((rd.dir / "translations" / "en").rglob("*.po")):
        po = polib.pofile(str(path))
        for e in po:
            marker = f"Mark{len(markers)}q"
            markers.append(marker)
            e.msgstr = " ".join([marker, *re.findall(r"\{\d+\}", e.msgid)])
        po.save(str(path))

    result = render_report(rd.dir, RenderOptions(formats=("html",), out_dir=rd.root / "build", lang="en"))
    assert not result.refused, result.reason
    html = result.outputs["html"].read_text(encoding="utf-8")
    main = html.split("<main", 1)[1]
    text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    assert [m for m in markers if m not in html] == []
    assert [w for w in DUTCH if w in text] == []
    assert "untranslated" not in main  # nothing shown in Dutch, nothing marked
    assert "412" in text and ">12<" in main  # a figure stays as it is
