"""A chapter's translation units: one per paragraph, list item, heading,
caption, figure caption, table cell and footnote paragraph, each with
the span of the chapter text its translation replaces (a grid or simple
table's cell: its first line; the table is written again as a whole,
:mod:`.tables`).

The units are the scanner's blocks (``load/markdown``, whose reading the
analysis reconciles with pandoc's): no second reading of the Markdown. What
is never extracted: code, ``::: intern`` blocks and comments (under both
reading policies: a translator is outside the team), a grid or simple table
that :mod:`.tables` does not read (spanning cells, blocks in a cell,
multiline tables: they stay in Dutch), a unit with
nothing but placeholders and figures (a number in Dutch notation, "1.184", is
translated: English writes "1,184").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..load.markdown import Policy, hidden
from ..load.markdown.lexer import CAPTION, GRID, PIPE_SEP, TRAILING_ATTR, code_spans
from ..load.markdown.model import Block, Chapter, Heading
from .placeholders import Protected, protect
from .tables import Layout, read_table

# a unit shown in Dutch: pandoc reads both as the text with this class and language
UNTRANSLATED_CLASS = "untranslated"
DIV_OPEN = "::: {.untranslated lang=nl}"
SPAN_ATTRS = "{.untranslated lang=nl}"


@dataclass
class Unit:
    kind: str  # paragraph | item | heading | cell | caption | figure | footnote
    text: Protected
    line: int
    column: int
    start: int  # [start, end) in the chapter text: what a translation replaces
    end: int
    mark: str  # how it is marked when shown in Dutch: "div" (a block of its own) or "span"
    # a heading without an id of its own: where the id pandoc gave the Dutch
    # heading is written (in any case, see _heading_id), its form ("{id}"
    # filled in), and which heading of the chapter it is
    insert: tuple[int, str] | None = None
    heading: int = -1
    # a grid or simple table's cell: its table, written again as a whole
    # around the translated cells (:mod:`.tables`), and its row and column
    table: TableAt | None = None
    cell: tuple[int, int] = (0, 0)


@dataclass
class TableAt:
    layout: Layout
    start: int  # [start, end) of the table's lines in the chapter text
    end: int
    prefix: str  # the container prefix of its lines after the first


def chapter_units(ch: Chapter) -> list[Unit]:
    """The units of a parsed chapter, in document order (notes last)."""
    lines = ch.text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    interns, _comments = hidden(ch.text, Policy.DRAFTER)
    secret = sorted((h.line, h.end_line) for h in interns)
    headings = {id(h.block): (k, h) for k, h in enumerate(ch.headings) if h.block is not None}
    out: list[Unit] = []
    for b in ch.all_blocks():
        if (b.div is not None and b.div.intern) or _within(secret, b.line, b.end_line):
            continue
        k, h = headings.get(id(b), (-1, None))
        for u in _block_units(b, h, lines, starts):
            u.heading = k
            out.append(u)
    return [u for u in out if u.text.translatable]


def _within(ranges: list[tuple[int, int]], first: int, last: int) -> bool:
    i = bisect.bisect_right(ranges, (last, 1 << 30)) - 1
    while i >= 0:
        s, e = ranges[i]
        if s <= last and e >= first:
            return True
        i -= 1
    return False


def _block_units(b: Block, h: Heading | None, lines: list[str], starts: list[int]) -> Iterator[Unit]:
    def at(o: int) -> int:
        line, col = b.pos(o)
        return starts[line - 1] + col - 1

    def prefix_at(o: int) -> str:
        line, col = b.pos(o)
        return lines[line - 1][: col - 1]

    def unit(kind: str, s: int, e: int, mark: str = "span") -> Unit | None:
        seg = b.text[s:e]
        s += len(seg) - len(seg.lstrip())
        e -= len(seg) - len(seg.rstrip())
        if e <= s:
            return None
        line, col = b.pos(s)
        return Unit(kind, protect(b.text[s:e], prefix_at, s), line, col, at(s), at(e - 1) + 1, mark)

    t = b.text
    found: list[Unit | None] = []
    if b.kind == "heading" and h is not None:
        u = unit("heading", 0, len(t))
        if u is not None and h.attrs.id is None:
            u.insert = _heading_id(lines, starts, u)
        found.append(u)
    elif b.kind in ("para", "item"):
        kind = "footnote" if b.note is not None else ("item" if b.kind == "item" else "paragraph")
        top = b.kind == "para" and b.note is None and all(b.pos(i + 1)[1] == 1 for i in _newlines(t))
        found.append(unit(kind, 0, len(t), "div" if top and b.column == 1 else "span"))
    elif b.kind == "caption":
        m = CAPTION.match(t)
        tail = TRAILING_ATTR.search(t)
        found.append(unit("caption", m.end() if m else 0, tail.start() if tail else len(t)))
    elif b.kind == "figure" and b.links:
        link = b.links[0]
        found.append(unit("figure", link.offset + 2, link.offset + 2 + len(link.text)))
    elif b.kind == "table":
        found.extend(unit("cell", s, e) for s, e in _pipe_cells(t))
        layout = read_table(t) if not found else None
        if layout is not None:
            nl = t.find("\n")
            where = TableAt(layout, at(0), at(layout.length - 1) + 1, prefix_at(nl + 1) if nl >= 0 else "")
            for r, row in enumerate(layout.where):
                for c, (o, n) in enumerate(row):
                    if o < 0:
                        continue
                    line, col = b.pos(o)
                    u = Unit(
                        "cell", protect(layout.rows[r][c], prefix_at, o), line, col, at(o), at(o + n - 1) + 1, "span"
                    )
                    u.table, u.cell = where, (r, c)
                    found.append(u)
    yield from (u for u in found if u is not None)


def _newlines(t: str) -> Iterator[int]:
    i = t.find("\n")
    while i >= 0:
        yield i
        i = t.find("\n", i + 1)


def _heading_id(lines: list[str], starts: list[int], u: Unit) -> tuple[int, str]:
    """Where the id pandoc gave a heading from its Dutch words is written, so
    that a translated heading keeps it (cross-references and the table of
    contents point at it): into its attributes, or after its text."""
    line = u.line
    rest = lines[line - 1][u.end - starts[line - 1] :]
    m = TRAILING_ATTR.search(rest)
    if m and m.start() < m.start(1):  # pandoc reads attributes after a space only ("a{b}" is text)
        return u.end + m.start(1) + 1, "#{id} "
    # after the line's text: "## Kop ##" and "## a{b}" keep what follows the words
    return starts[line - 1] + len(lines[line - 1].rstrip()), " {{#{id}}}"


_PIPE = re.compile(r"(?<!\\)\|")


def _pipe_cells(t: str) -> Iterator[tuple[int, int]]:
    """The cells of a pipe table (offsets in its text); nothing for a grid or simple table."""
    rows = t.split("\n")
    if any(GRID.match(r) for r in rows) or not any(PIPE_SEP.match(r) for r in rows):
        return
    base = 0
    for r in rows:
        if not PIPE_SEP.match(r):
            code = code_spans(r)
            cuts = [m.start() for m in _PIPE.finditer(r) if not any(s <= m.start() < e for s, e in code.items())]
            edges = [-1, *cuts, len(r)]
            for a, z in zip(edges, edges[1:], strict=False):
                if r[a + 1 : z].strip():
                    yield base + a + 1, base + z
        base += len(r) + 1
