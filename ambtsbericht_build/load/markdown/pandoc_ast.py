"""The checker reads what pandoc publishes: pandoc's parse of a chapter, placed
on the scanner's lines and columns.

pandoc's Markdown reader keeps no source positions, and the scanner
(:func:`..parse_chapter`) keeps positions but is a second reading of the same
text, which disagreed with pandoc on real Markdown (a grid table before
``:::`` swallowing the fence, link reference definitions read as paragraphs,
tab-indented lists lost, heading ids, ...). So the structure comes from
pandoc, with exactly the render's reader (:data:`READER`), and the scanner is
used only to say where each of pandoc's blocks stands:

1. pandoc's blocks are walked into *units* (:class:`Unit`): kind (paragraph,
   list item, heading, figure, table, caption, code, raw HTML, refused), the
   letters and digits of its text (its *signature*), its citations outside
   notes (nested ones in a citation's suffix included: ``[@a, @b]`` cites
   both, and a key cited twice counts twice), its notes, its div ancestry and
   list.
2. The units are aligned with the scanner's blocks in order, by signature
   (:class:`difflib.SequenceMatcher`, ``pandoc_align.py``; a table only with
   a table, a unit refused inside a table or definition looked for after
   it); a scanner block and a unit that align
   take the unit's facts (kind, div, heading id, citations) and keep the
   block's positions.
3. A unit no scanner block aligns with is looked for in the chapter's text
   (its signature, from the last placed block on) and becomes a block there;
   a unit that cannot be found is an AB006 ("abuild cannot tell where pandoc
   reads this block"), never a guess. A scanner block pandoc does not read
   as text (a link reference definition, prose that is really code) becomes
   ``unread``: it counts for nothing.

Constructs pandoc reads that the report format does not have (definition
lists, line blocks; in a definition or a table cell at any depth, a heading
or a definition list) are refused with an AB005 at their place. An unclosed
div is taken from pandoc's own warning (AB004).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .inline import InlineScanner
from .lexer import comment_spans
from .model import Attrs, Block, Chapter, Cite, Div, Heading
from .pandoc_align import align, block_signature

# pandoc itself: one process reads every chapter (pandoc_batch.py); its blocks as units (pandoc_units.py)
from .pandoc_batch import READER, Parsed, hostile, parse, parse_batch
from .pandoc_units import ALNUM, NoteUnit, PandocDiv, Unit, Walker, cite_keys, signature

__all__ = [
    "READER",
    "NoteUnit",
    "PandocDiv",
    "Parsed",
    "Problem",
    "Unit",
    "Walker",
    "cite_keys",
    "hostile",
    "parse",
    "parse_batch",
    "reconcile",
    "signature",
]


_UNCLOSED = re.compile(r"Div at line (\d+) column (\d+) unclosed")


# --- reconciling ------------------------------------------------------------------------


@dataclass
class Problem:
    """A diagnostic found while reconciling: AB005 (refused construct) or
    AB006 (a block abuild cannot place)."""

    code: str
    line: int
    column: int
    message: str


class Source:
    """The chapter's letters and digits with their offsets, to find a block
    the scanner did not see."""

    def __init__(self, text: str, mask: bool = True):
        self.original, self.mask = text, mask
        # comments are blanked (pandoc drops them); offsets stay. (Not in
        # ``raw``: pandoc reads a "<!--" inside a list item as text.)
        if mask:
            for a, b in reversed(comment_spans(text)):
                text = text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]
        self.text = text
        self.line_starts = [0]
        for m in re.finditer("\n", text):
            self.line_starts.append(m.end())

    # built when a block is looked for, which most chapters never need
    # (measured: a third of reconciling the benchmark report)

    @functools.cached_property
    def raw(self) -> Source | None:
        return None if not self.mask or "<!--" not in self.original else Source(self.original, mask=False)

    @functools.cached_property
    def _letters(self) -> tuple[str, list[int]]:
        chars: list[str] = []
        offsets: list[int] = []
        for m in ALNUM.finditer(self.text):
            chars.append(m.group(0))
            offsets.extend(range(m.start(), m.end()))
        return "".join(chars), offsets

    @property
    def stream(self) -> str:
        return self._letters[0]

    @property
    def offsets(self) -> list[int]:
        return self._letters[1]

    def offset(self, line: int, column: int) -> int:
        if line < 1 or line > len(self.line_starts):
            return 0
        return self.line_starts[line - 1] + max(column - 1, 0)

    def position(self, offset: int) -> tuple[int, int]:
        import bisect

        k = bisect.bisect_right(self.line_starts, offset) - 1
        return k + 1, offset - self.line_starts[k] + 1

    def stream_index(self, offset: int) -> int:
        import bisect

        return bisect.bisect_left(self.offsets, offset)

    def find(self, sig: str, after: int) -> tuple[int, int, str] | None:
        """[start, end) in the text of the first place at or after offset
        ``after`` whose letters and digits start with ``sig`` (its first 40):
        from there to the end of the line of its last letter; and the text
        it was found in (comments blanked, or not)."""
        if not sig:
            return None
        prefix = sig[:40]
        k = self.stream.find(prefix, self.stream_index(after))
        if k < 0:
            return self.raw.find(sig, after) if self.raw is not None else None
        start = self.offsets[k]
        whole = self.stream.startswith(sig, k)
        last = self.offsets[k + len(sig) - 1] if whole else self.offsets[k + len(prefix) - 1]
        end = self.text.find("\n", last)
        return start, len(self.text) if end < 0 else end, self.text


def new_block(src: Source, start: int, end: int, kind: str, note: str | None, whole: str) -> Block:
    """A block over ``whole[start:end]``, scanned for its inline constructs."""
    text = whole[start:end]
    line, col = src.position(start)
    b = Block(kind, text, line, col, line + text.count("\n"), note=note)
    off = 0
    for k, s in enumerate(text.split("\n")):
        b._starts.append(off)
        b._lines.append(line + k)
        b._cols.append(col if k == 0 else 1)
        off += len(s) + 1
    InlineScanner(b).run()
    return b


class Reconciler:
    def __init__(self, ch: Chapter, parsed: Parsed):
        self.ch = ch
        self.parsed = parsed
        self.src = Source(ch.text)
        self.walker = Walker()
        self.problems: list[Problem] = []
        self.divmap: dict[int, Div] = {}
        self.cursor = 0  # offset of the last placed block
        self.before = 0  # offset of the one before it (a caption may precede its table)

    def run(self) -> list[Problem]:
        ast = self.parsed.ast
        units = self.walker.blocks(ast.get("blocks", []), (), 0)
        self._divs()
        defs = {nd.label: nd for nd in self.ch.notes}
        note_units: dict[str, list[Unit]] = {}
        self.ch.blocks = self._apply(units, self.ch.blocks, None, note_units, defs)
        for label, us in note_units.items():
            nd = defs[label]
            self.cursor = self.src.offset(nd.line, nd.column)
            nd.blocks = self._apply(us, nd.blocks, label, {}, defs)
        self._headings_and_sections()
        self._finish_divs()
        self._unclosed()
        return self.problems

    # divs -------------------------------------------------------------------------

    def _divs(self) -> None:
        """pandoc's divs, each matched in order with a scanner div of the same
        attributes (for its position), else new."""
        scanner = self.ch.divs
        j = 0
        out: list[Div] = []
        for k, pd in enumerate(self.walker.divs):
            hit = next((x for x in range(j, min(j + 8, len(scanner))) if _same_attrs(scanner[x].attrs, pd.attrs)), -1)
            if hit >= 0:
                d = scanner[hit]
                d.attrs.classes, d.attrs.kv = pd.attrs.classes, {**pd.attrs.kv}
                d.attrs.id = pd.attrs.id
                j = hit + 1
            else:
                d = Div(pd.attrs, 0, 0)
            d.parent = self.divmap.get(pd.parent)
            self.divmap[k] = d
            out.append(d)
        self.ch.divs = out

    def _finish_divs(self) -> None:
        """A div the scanner did not see stands where its first block does."""
        firsts: dict[int, Block] = {}
        for b in self.ch.all_blocks():
            d = b.div
            while d is not None:
                firsts.setdefault(id(d), b)
                d.end_line = max(d.end_line, b.end_line) if d.line == 0 else d.end_line
                d = d.parent
        for d in self.ch.divs:
            if d.line == 0:
                first = firsts.get(id(d))
                d.line, d.column = (first.line, 1) if first else (1, 1)

    def _unclosed(self) -> None:
        """AB004 as pandoc reads it: its warning names the div's line and column."""
        found = [(int(m.group(1)), int(m.group(2)), "fenced div") for m in _UNCLOSED.finditer(self.parsed.warnings)]
        self.ch.unclosed = found

    # blocks -------------------------------------------------------------------------

    def _apply(
        self,
        units: list[Unit],
        blocks: list[Block],
        note: str | None,
        note_units: dict[str, list[Unit]],
        defs: dict[str, Any],
    ) -> list[Block]:
        out: list[Block] = []
        last: tuple[Unit, Block] | None = None  # the last placed unit and block
        tail: str | None = None  # the letters of that unit its block does not hold (found when needed)
        for u, b in align(units, blocks):
            if b is not None:
                if u is None:
                    # pandoc may read it as the rest of the block before ("Tekst" / "    ::: intern")
                    if last is not None and tail is None:
                        own = block_signature(last[1])
                        tail = last[0].sig[len(own) :] if last[0].sig.startswith(own) else ""
                    sig = block_signature(b) if last is not None and tail else ""
                    if last is not None and tail and sig and sig in tail:
                        last[1].end_line, tail = max(last[1].end_line, b.end_line), tail[tail.index(sig) + len(sig) :]
                    else:
                        last = None
                    _unread(b)
                    out.append(b)
                    continue
                at = self.src.offset(b.line, b.column)
                if at > self.cursor:
                    self.before, self.cursor = self.cursor, at
            else:
                assert u is not None
                b = self._place(u, note)
                if b is None:
                    continue
            last, tail = (u, b), None
            self._take(u, b, note_units, defs)
            out.append(b)
        return out

    def _place(self, u: Unit, note: str | None) -> Block | None:
        found = self.src.find(u.sig, self.cursor) or self.src.find(u.sig, self.before)
        if found is None and u.kind == "refused":
            # in a grid table's cell its lines interleave with the next
            # cell's: its first word says where it starts, else it is refused
            # where the table (or definition) it is in starts
            found = self.src.find(signature(u.text.split()[0]), self.cursor) if u.text.strip() else None
            end = self.src.text.find("\n", self.cursor)
            found = found or (self.cursor, len(self.src.text) if end < 0 else end, self.src.text)
        if found is None:
            if u.kind in ("code", "raw", "table") or not u.sig:
                return None  # prints nothing a claim rule looks at; its citations are counted below
            line, col = self.src.position(self.cursor)
            self.problems.append(
                Problem(
                    "AB006",
                    line,
                    col,
                    f"abuild cannot tell where pandoc reads this {_WHAT.get(u.kind, u.kind)}: "
                    f"'{u.text}' (after this line); rewrite the Markdown around it",
                )
            )
            return None
        start, end, whole = found
        if start > self.cursor:
            self.before, self.cursor = self.cursor, start
        return new_block(self.src, start, end, u.kind, note, whole)

    def _take(self, u: Unit, b: Block, note_units: dict[str, list[Unit]], defs: dict[str, Any]) -> None:
        """The block takes the unit's facts; its positions stay."""
        kind = u.kind
        b.kind = kind
        b.div = self.divmap.get(u.divs[-1]) if u.divs else None
        b.list_id, b.list_depth, b.lead_list = u.list_id, u.list_depth, u.lead_list
        b.printed_comment = u.printed_comment
        if kind in ("code", "raw", "refused"):
            b.links = [] if kind == "code" else b.links
        if kind == "code":
            b.cites, b.note_refs, b.inline_notes, b.raw_html, b.cite_spans = [], [], [], [], []
            return
        if kind == "refused":
            fix = "write its text without '#'" if u.what.startswith("heading") else "write paragraphs or a list instead"
            what = f"a {u.what} is not part of the report format (docs/format.md §9)"
            self.problems.append(Problem("AB005", b.line, b.column, f"{what}: {fix}"))
        if kind == "heading":
            self._heading(u, b)
        direct = [c for c in b.cites if not c.in_note]
        if Counter(c.key for c in direct) != Counter(u.cites):
            direct, b.cite_spans = _cites_at(b, u.cites, 0, len(b.text), in_note=False)
        # notes: the scanner's inline notes and references, in text order,
        # against pandoc's notes
        marks: list[tuple[int, Any]] = [(n.offset, n) for n in b.inline_notes]
        marks += [(r.offset, r) for r in b.note_refs if r.label in defs]
        marks.sort(key=lambda m: m[0])
        in_note: list[Cite] = []
        if len(marks) == len(u.notes):
            for (_, mark), nu in zip(marks, u.notes, strict=True):
                if hasattr(mark, "cites"):  # an inline note
                    if Counter(c.key for c in mark.cites) != Counter(nu.keys):
                        mark.cites, _ = _cites_at(b, nu.keys, mark.offset, mark.end, in_note=True)
                    in_note += mark.cites
                else:
                    note_units.setdefault(mark.label, nu.units)
        else:
            # the scanner reads other notes here than pandoc: count pandoc's,
            # at the block's first line
            for nu in u.notes:
                in_note += [Cite(k, b.line, b.column, True) for k in nu.keys]
            b.inline_notes = []
        b.cites = direct + in_note

    def _heading(self, u: Unit, b: Block) -> None:
        assert u.header is not None
        level, ident, classes, kv = u.header
        h = b.section if b.section is not None and b.section.block is b else None
        if h is None:
            h = Heading(level, u.text, Attrs(), b.line, b.column)
            h.block = b
        h.level, h.id = level, ident
        h.attrs.id = ident if h.attrs.id else None
        h.attrs.classes, h.attrs.kv = classes, kv
        h.cites = b.cites
        b.section = h

    def _headings_and_sections(self) -> None:
        heads: list[Heading] = []
        current: Heading | None = None
        for b in self.ch.blocks:
            if b.kind == "heading" and b.section is not None:
                current = b.section
                current.div = b.div
                current.cites = b.cites
                heads.append(current)
            else:
                b.section = current
        self.ch.headings = heads


_WHAT = {"para": "paragraph", "item": "list item", "heading": "heading", "caption": "caption", "figure": "figure"}


def _same_attrs(a: Attrs, b: Attrs) -> bool:
    return (a.id or None) == (b.id or None) and a.classes == b.classes and a.kv == b.kv


def _unread(b: Block) -> None:
    """A scanner block pandoc does not read as text: it counts for nothing
    (its citations, notes and links are not pandoc's)."""
    b.kind = "unread"
    b.cites, b.note_refs, b.inline_notes, b.links, b.raw_html, b.cite_spans = [], [], [], [], [], []
    if b.section is not None and b.section.block is b:
        b.section = None


def _cites_at(
    b: Block, keys: list[str], start: int, end: int, in_note: bool
) -> tuple[list[Cite], list[tuple[int, int]]]:
    """pandoc's citations ``keys``, each placed at the next ``@key`` in the
    block's text between ``start`` and ``end`` (the block's start when it is
    not there), with the spans AB102 reads."""
    out: list[Cite] = []
    spans: list[tuple[int, int]] = []
    pos = start
    for key in keys:
        k = b.text.find("@" + key, pos, end)
        if k < 0:
            k = b.text.find("@{" + key + "}", pos, end)
        if k < 0:
            out.append(Cite(key, b.line, b.column, in_note))
            continue
        line, col = b.pos(k)
        out.append(Cite(key, line, col, in_note))
        close = b.text.find("]", k, end)
        opener = b.text.rfind("[", start, k)
        if 0 <= opener and close > 0 and "\n\n" not in b.text[opener:close]:
            spans.append((opener, close + 1))
        else:
            spans.append((k, k + len(key) + 1))
        pos = k + len(key) + 1
    return out, sorted(set(spans))


def reconcile(ch: Chapter, parsed: Parsed) -> list[Problem]:
    """Make ``ch`` (the scanner's reading) say what pandoc read; return the
    AB005/AB006 problems. When pandoc could not read the chapter, the
    scanner's reading stays and an AB006 says so."""
    if parsed.ast is None:
        if "YAML" in parsed.error:
            return []  # the front matter: AB001 says where
        return [Problem("AB006", 1, 1, f"abuild cannot read this chapter as pandoc does: {parsed.error}")]
    return Reconciler(ch, parsed).run()
