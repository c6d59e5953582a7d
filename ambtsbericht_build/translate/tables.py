"""Grid and simple tables: their cells as translation units, and the table
written again around the translated cells.

A pipe table's cell is one stretch of one line, replaced in place. A grid
table's cell can run over several lines, and the columns of both are laid
out by position: a translation of another length would move a column
boundary, and pandoc would read other cells (or none). So the table is
read into rows of cells (a multi-line cell's lines joined by a space) and,
in the edition, written again as a grid table whose columns are as wide as
their longest text; a simple table with a header row becomes a pipe table
(no column widths, as pandoc gives a simple table; wider than 72
characters, the separator line's dashes give them, as in a Dutch pipe
table). Alignment and the header row are kept.

Not read, and so kept in Dutch as before: a table with a cell that spans
rows or columns, a cell holding more than one paragraph or a block (a list,
a quote), and pandoc's multiline tables (their rows are apart by blank
lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..load.markdown.lexer import CAPTION, GRID, SIMPLE_SEP

_GRID_SEP = re.compile(r"\+(?:[-=:]+\+)+")
# a cell line that pandoc would read as a block of its own
_BLOCK_START = re.compile(r"(?:[-*+]|\d{1,9}[.)]|#{1,6}|>|```|~~~|:::|\|)(?:\s|$)")


@dataclass
class Layout:
    kind: str  # "grid" | "simple"
    header: bool  # the first row is a header row
    aligns: list[str]  # per column: "l", "r", "c" or "" (pandoc's default)
    rows: list[list[str]]  # each cell's Dutch text, a multi-line cell's lines joined
    # each cell's (offset in the table text, length) of its first line's text: its position
    where: list[list[tuple[int, int]]]
    widths: list[int]  # grid: each column's width in characters
    length: int  # of the table's own lines in the block text (a caption line may follow)
    tail: str = ""  # what follows them in the block (a caption written directly below)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # filled in by the edition


def read_table(t: str) -> Layout | None:
    """The cells of the grid or simple table ``t`` (a table block's text),
    or None when it is neither or holds what :mod:`.tables` does not read."""
    lines = t.split("\n")
    n = len(lines)
    for k, ln in enumerate(lines):
        if k and CAPTION.match(ln) and not GRID.match(ln):
            n = k
            break
    tail = "\n".join(lines[n:])
    lines = lines[:n]
    length = len("\n".join(lines))
    if lines and GRID.match(lines[0]):
        out = _grid(lines)
    elif any(SIMPLE_SEP.match(ln) for ln in lines[:2]):
        out = _simple(lines)
    else:
        return None
    if out is not None:
        out.length, out.tail = length, ("\n" + tail if tail else "")
    return out


def _starts(lines: list[str]) -> list[int]:
    out = [0]
    for ln in lines[:-1]:
        out.append(out[-1] + len(ln) + 1)
    return out


def _grid(lines: list[str]) -> Layout | None:
    first = lines[0].rstrip()
    bounds = [i for i, c in enumerate(first) if c == "+"]
    if not _GRID_SEP.fullmatch(first) or len(bounds) < 2:
        return None
    starts = _starts(lines)
    rows: list[list[str]] = []
    where: list[list[tuple[int, int]]] = []
    header = False
    aligns = _grid_aligns(first, bounds)
    current: list[list[str]] | None = None
    current_at: list[tuple[int, int]] = []
    for k, raw in enumerate(lines):
        ln = raw.rstrip()
        if _GRID_SEP.fullmatch(ln):
            if [i for i, c in enumerate(ln) if c == "+"] != bounds:
                return None  # a cell spanning columns
            if current is not None:
                cells = _join(current)
                if cells is None:
                    return None
                rows.append(cells)
                where.append(current_at)
            if "=" in ln:
                if header or len(rows) != 1:
                    return None  # pandoc reads one header row here; more is not read
                header = True
                aligns = _grid_aligns(ln, bounds)
            current, current_at = None, []
            continue
        if len(ln) != bounds[-1] + 1 or any(ln[b] != "|" for b in bounds):
            return None  # a cell spanning columns or rows, or a ragged line
        if current is None:
            current = [[] for _ in bounds[1:]]
            current_at = [(-1, 0)] * (len(bounds) - 1)
        for c, (a, z) in enumerate(zip(bounds, bounds[1:], strict=False)):
            seg = ln[a + 1 : z]
            current[c].append(seg.strip())
            if current_at[c][0] < 0 and seg.strip():
                lead = len(seg) - len(seg.lstrip())
                current_at[c] = (starts[k] + a + 1 + lead, len(seg.strip()))
    if current is not None or not rows:
        return None  # a grid table ends with a separator line
    widths = [z - a - 1 for a, z in zip(bounds, bounds[1:], strict=False)]
    return Layout("grid", header, aligns, rows, where, widths, 0)


def _grid_aligns(sep: str, bounds: list[int]) -> list[str]:
    out = []
    for a, z in zip(bounds, bounds[1:], strict=False):
        seg = sep[a + 1 : z]
        left, right = seg.startswith(":"), seg.endswith(":")
        out.append("c" if left and right else "l" if left else "r" if right else "")
    return out


def _join(cells: list[list[str]]) -> list[str] | None:
    """Each cell's lines as one text; None when a cell is more than one paragraph or a block."""
    out = []
    for parts in cells:
        while parts and not parts[-1]:
            parts.pop()
        while parts and not parts[0]:
            parts.pop(0)
        if any(not p for p in parts) or (parts and _BLOCK_START.match(parts[0])):
            return None
        out.append(" ".join(parts))
    return out


def _simple(lines: list[str]) -> Layout | None:
    if SIMPLE_SEP.match(lines[0]):
        # headerless: dashes, rows, and dashes again below the last row
        sep, body, header = lines[0], lines[1:], False
        if not body or not SIMPLE_SEP.match(body[-1]):
            return None
        body = body[:-1]
        first_row = 1
    else:
        sep, body, header = lines[1], [lines[0], *lines[2:]], True
        if len(body) < 2:
            return None  # a header without rows: not a table the way pandoc reads it
        first_row = 0
    dashes = [(m.start(), m.end()) for m in re.finditer(r"-+", sep)]
    cuts = [0] + [s for s, _ in dashes[1:]]
    starts = _starts(lines)
    line_of = [first_row] + list(range(2, len(lines))) if header else list(range(1, len(lines) - 1))
    rows, where = [], []
    for k, ln in zip(line_of, body, strict=False):
        if SIMPLE_SEP.match(ln) or not ln.strip():
            return None  # a multiline table
        cells, at = [], []
        for c, a in enumerate(cuts):
            z = cuts[c + 1] if c + 1 < len(cuts) else len(ln)
            if 0 < a < len(ln) and not ln[a - 1].isspace() and not ln[a].isspace():
                return None  # a word across a column boundary: not read the way pandoc reads it
            seg = ln[a:z]
            text = seg.strip()
            if text and _BLOCK_START.match(text):
                return None
            cells.append(text)
            at.append((starts[k] + a + len(seg) - len(seg.lstrip()), len(text)) if text else (-1, 0))
        rows.append(cells)
        where.append(at)
    aligns = []
    for c, (_s, e) in enumerate(dashes):
        raw = body[0][cuts[c] : cuts[c + 1] if c + 1 < len(cuts) else len(body[0])].rstrip()
        left, right = raw[:1] in (" ", "\t"), len(raw) < e - cuts[c]
        aligns.append("c" if left and right else "r" if left else "l" if right else "")
    return Layout("simple", header, aligns, rows, where, [e - s for s, e in dashes], 0)


def write_table(layout: Layout, texts: list[list[str]], prefix: str = "") -> tuple[str, list[list[int]]]:
    """The table with ``texts`` in its cells (Markdown, one line each), and
    each cell's offset in it; ``prefix``: the container prefix of each
    line after the first (a list item's indentation)."""
    if layout.kind == "simple" and layout.header:
        return _pipe(layout, texts, prefix)
    return _grid_out(layout, texts, prefix)


def _pipe(layout: Layout, texts: list[list[str]], prefix: str) -> tuple[str, list[list[int]]]:
    cells = [[t.replace("|", "\\|") for t in row] for row in texts]
    widths = [max(3, *(len(r[c]) for r in cells)) for c in range(len(layout.aligns))]
    mark = {"l": (":", "-"), "r": ("-", ":"), "c": (":", ":"), "": ("-", "-")}
    sep = "|" + "|".join(mark[a][0] + "-" * w + mark[a][1] for a, w in zip(layout.aligns, widths, strict=False)) + "|"
    out, offsets, pos = [], [], 0
    for r, row in enumerate(cells):
        line, at = "|", []
        for c, text in enumerate(row):
            at.append(pos + len(line) + 1)
            line += " " + text.ljust(widths[c]) + " |"
        out.append(line)
        offsets.append(at)
        pos += len(line) + 1 + len(prefix)
        if r == 0:
            out.append(sep)
            pos += len(sep) + 1 + len(prefix)
    return ("\n" + prefix).join(out), offsets


def _grid_out(layout: Layout, texts: list[list[str]], prefix: str) -> tuple[str, list[list[int]]]:
    ncol = len(layout.aligns)
    widths = [max(3, *(len(r[c]) + 2 for r in texts)) for c in range(ncol)]
    if layout.kind == "grid":
        # the Dutch table's proportions where the text fits: pandoc's widths come from the dashes
        widths = [max(w, layout.widths[c]) for c, w in enumerate(widths)]

    def rule(ch: str, aligned: bool) -> str:
        parts = []
        for a, w in zip(layout.aligns, widths, strict=False):
            seg = [ch] * w
            if aligned and a in ("l", "c"):
                seg[0] = ":"
            if aligned and a in ("r", "c"):
                seg[-1] = ":"
            parts.append("".join(seg))
        return "+" + "+".join(parts) + "+"

    out = [rule("-", not layout.header)]
    offsets, pos = [], len(out[0]) + 1 + len(prefix)
    for r, row in enumerate(texts):
        line, at = "|", []
        for c, text in enumerate(row):
            at.append(pos + len(line) + 1)
            line += " " + text.ljust(widths[c] - 2) + " |"
        out.append(line)
        offsets.append(at)
        pos += len(line) + 1 + len(prefix)
        sep = rule("=", True) if r == 0 and layout.header else rule("-", False)
        out.append(sep)
        pos += len(sep) + 1 + len(prefix)
    return ("\n" + prefix).join(out), offsets
