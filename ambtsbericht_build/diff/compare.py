"""Compare two resolved documents as documents, not as Markdown lines.

Blocks are aligned by a key that leaves out what a renumbering changes
(section numbers, identifiers, a Cite's note number, a table's length
class) and treats a line break of the source (``SoftBreak``) as a space:
a re-wrapped paragraph or a footnote whose number moved is not a change.
Inside a pair of changed blocks the words are aligned the same way; a
note is one word keyed by its whole content, so a note is compared by what
it says, never by its number; a changed note is compared block by block
and word by word in its turn. Lists are aligned item by item, tables row by
row.

The result is NEW's document with OLD's deleted text put back where it
was, every inserted or deleted run wrapped in a ``Span`` with the class
:data:`INS` or :data:`DEL` and an id ``wijziging-N``
(:mod:`.marks` turns them into ``<ins>``/``<del>`` or Word's tracked
changes). Equal text is NEW's, unmarked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..render import ast as A
from ..render.ast import Node

INS, DEL = "abuild-ins", "abuild-del"
CHANGE_ID = "wijziging-{}"

# a region of changed blocks is paired block by block by similarity; past
# this many blocks on a side the pairing goes by position, as a search of
# every pair would take (n x m) word alignments
PAIRING_WINDOW = 40
# two blocks this similar (difflib's ratio of their words) are one changed
# block; less alike, one is deleted and the other inserted
SIMILAR = 0.5

_CONTAINERS = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
_ATTR_FIRST = {"Div", "Span", "Table", "Figure", "CodeBlock", "Code", "Link", "Image"}
_LENGTH_CLASSES = {"short-table", "long-table"}  # a row more can move a table from one to the other


def _canon(x: Any) -> Any:
    """What of a node is compared (see the module docstring)."""
    if isinstance(x, list):
        return [_canon(i) for i in x]
    if not isinstance(x, dict):
        return x
    t = x.get("t")
    c: Any = x.get("c")
    if t in ("Space", "SoftBreak"):
        return " "
    if t == "Cite":  # citationNoteNum and citationHash change with the numbering
        return ["Cite", [ci["citationId"] for ci in c[0]], _canon(c[1])]
    if t == "Header":
        return ["Header", c[0], _canon(c[2])]
    if t == "Span" and "header-section-number" in c[0][1]:
        return "§"
    if t in _ATTR_FIRST:
        classes = [k for k in c[0][1] if k not in _LENGTH_CLASSES]
        return [t, ["", classes, c[0][2]], _canon(c[1:])]
    return [t, _canon(c)]


def key(node: Any) -> str:
    return json.dumps(_canon(node), ensure_ascii=False, separators=(",", ":"))


@dataclass
class Change:
    ident: str
    kind: str  # INS or DEL
    chapter: str  # the chapter (level-1 heading) it is in
    in_note: bool


@dataclass
class Changes:
    changes: list[Change] = field(default_factory=list)
    notes_added: int = 0
    notes_deleted: int = 0
    notes_changed: int = 0
    chapter_notes: dict[str, int] = field(default_factory=dict)  # notes added, deleted or changed, by chapter

    def count(self, kind: str) -> int:
        return sum(c.kind == kind for c in self.changes)

    @property
    def notes(self) -> int:
        return self.notes_added + self.notes_deleted + self.notes_changed


class Differ:
    def __init__(self) -> None:
        self.result = Changes()
        self.chapter = ""
        self._note_depth = 0

    # --- marking ---------------------------------------------------------------------

    def _span(self, inlines: list[Node], kind: str) -> list[Node]:
        if not inlines:
            return []
        if kind == DEL:
            inlines = A.walk(inlines, _drop_id)
        self._mark_notes(inlines, kind)
        ident = CHANGE_ID.format(len(self.result.changes) + 1)
        self.result.changes.append(Change(ident, kind, self.chapter, self._note_depth > 0))
        return [A.Span(inlines, [kind], ident)]

    def _mark_notes(self, inlines: list[Node], kind: str) -> None:
        """A note inside an inserted or deleted run is inserted or deleted
        with it: its own text is marked too (Word asks for it)."""
        for node in inlines:
            if isinstance(node, dict) and node.get("t") == "Note":
                if kind == INS:
                    self.result.notes_added += 1
                else:
                    self.result.notes_deleted += 1
                self._count_note()
                self._note_depth += 1
                node["c"] = [self.mark_block(b, kind) for b in node["c"]]
                self._note_depth -= 1
            elif isinstance(node, dict) and node.get("t") in _CONTAINERS | {"Span", "Link", "Quoted", "Cite"}:
                c = node["c"]
                inner = c if node["t"] in _CONTAINERS else c[1]
                self._mark_notes(inner, kind)

    def _count_note(self) -> None:
        self.result.chapter_notes[self.chapter] = self.result.chapter_notes.get(self.chapter, 0) + 1

    def mark_block(self, block: Node, kind: str) -> Node:
        """``block`` wholly inserted or deleted: every run of text in it marked."""
        t = block["t"]
        c: Any = block.get("c")
        self._heading(block)
        if kind == DEL:
            _drop_id(block)
        if t in ("Para", "Plain"):
            block["c"] = self._span(c, kind)
        elif t == "Header":
            c[2] = self._span(c[2], kind)
        elif t == "CodeBlock":  # no run of text to mark inside: a paragraph of code instead
            return A.Para(self._span([{"t": "Code", "c": c}], kind))
        elif t == "LineBlock":
            block["c"] = [self._span(line, kind) for line in c]
        elif t in ("BulletList", "OrderedList"):
            items = c if t == "BulletList" else c[1]
            for item in items:
                item[:] = [self.mark_block(b, kind) for b in item]
        elif t == "BlockQuote":
            block["c"] = [self.mark_block(b, kind) for b in c]
        elif t == "Div":
            c[1] = [self.mark_block(b, kind) for b in c[1]]
        elif t == "DefinitionList":
            for term, defs in c:
                term[:] = self._span(list(term), kind)
                for d in defs:
                    d[:] = [self.mark_block(b, kind) for b in d]
        elif t == "Figure":
            c[1][1] = [self.mark_block(b, kind) for b in c[1][1]]
            c[2] = [self.mark_block(b, kind) for b in c[2]]
        elif t == "Table":
            c[1][1] = [self.mark_block(b, kind) for b in c[1][1]]
            for row in self._rows(block):
                self._mark_row(row, kind)
        return block

    def _mark_row(self, row: Any, kind: str) -> None:
        for cell in row[1]:
            cell[4] = [self.mark_block(b, kind) for b in cell[4]]

    @staticmethod
    def _rows(table: Node) -> list[Any]:
        c = table["c"]
        rows = list(c[3][1])
        for body in c[4]:
            rows += body[2] + body[3]
        return rows + list(c[5][1])

    def _heading(self, block: Node) -> None:
        if block["t"] == "Header" and block["c"][0] == 1 and not self._note_depth:
            self.chapter = A.stringify([i for i in block["c"][2] if not _is_number(i)], cites=False).strip()

    # --- sequences ---------------------------------------------------------------------

    def blocks(self, old: list[Node], new: list[Node]) -> list[Node]:
        """NEW's blocks with OLD's deleted ones in place, every change marked."""
        ok, nk = [key(b) for b in old], [key(b) for b in new]
        out: list[Node] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ok, nk, autojunk=False).get_opcodes():
            if tag == "equal":
                for b in new[j1:j2]:
                    self._heading(b)
                out += new[j1:j2]
            elif tag == "delete":
                out += [self.mark_block(b, DEL) for b in old[i1:i2]]
            elif tag == "insert":
                out += [self.mark_block(b, INS) for b in new[j1:j2]]
            else:
                out += self._replace(old[i1:i2], new[j1:j2])
        return out

    def _replace(self, old: list[Node], new: list[Node]) -> list[Node]:
        """A changed region: blocks of one type that are alike are one changed
        block; the others are deleted or inserted, in document order."""
        pairs = _pair(old, new)
        out: list[Node] = []
        i = 0
        for j, b in enumerate(new):
            if j in pairs:
                while i < pairs[j]:
                    out.append(self.mark_block(old[i], DEL))
                    i += 1
                i += 1
                out.append(self.block(old[pairs[j]], b))
            else:
                out.append(self.mark_block(b, INS))
        out += [self.mark_block(b, DEL) for b in old[i:]]
        return out

    def block(self, old: Node, new: Node) -> Node:
        """Two blocks of the same type, compared inside."""
        t = new["t"]
        o, n = old["c"], new["c"]
        self._heading(new)
        if t in ("Para", "Plain"):
            new["c"] = self.inlines(o, n)
        elif t == "Header" and o[0] == n[0]:
            n[2] = self.inlines(o[2], n[2])
        elif t == "Div":
            n[1] = self.blocks(o[1], n[1])
        elif t == "BlockQuote":
            new["c"] = self.blocks(o, n)
        elif t == "BulletList":
            new["c"] = self._items(o, n)
        elif t == "OrderedList":
            n[1] = self._items(o[1], n[1])
        elif t == "Table" and len(o[4]) == len(n[4]) and len(o[2]) == len(n[2]):
            n[1][1] = self.blocks(o[1][1], n[1][1])
            n[3][1] = self._table_rows(o[3][1], n[3][1])
            for ob, nb in zip(o[4], n[4], strict=True):
                nb[2] = self._table_rows(ob[2], nb[2])
                nb[3] = self._table_rows(ob[3], nb[3])
            n[5][1] = self._table_rows(o[5][1], n[5][1])
        elif t == "Figure":
            n[1][1] = self.blocks(o[1][1], n[1][1])
            n[2] = self.blocks(o[2], n[2])
        else:
            return A.Div([self.mark_block(old, DEL), self.mark_block(new, INS)])
        return new

    def _items(self, old: list[Any], new: list[Any]) -> list[Any]:
        """List items aligned by their whole content, then compared inside."""
        ok, nk = [key(i) for i in old], [key(i) for i in new]
        out: list[Any] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ok, nk, autojunk=False).get_opcodes():
            if tag == "equal":
                out += new[j1:j2]
                continue
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(paired):
                out.append(self.blocks(old[i1 + k], new[j1 + k]))
            out += [[self.mark_block(b, DEL) for b in item] for item in old[i1 + paired : i2]]
            out += [[self.mark_block(b, INS) for b in item] for item in new[j1 + paired : j2]]
        return out

    def _table_rows(self, old: list[Any], new: list[Any]) -> list[Any]:
        """Rows aligned by content; a changed row of as many cells is compared cell by cell.
        A deleted row is kept (struck through): a table has no place for it otherwise."""
        ok, nk = [key(r[1]) for r in old], [key(r[1]) for r in new]
        out: list[Any] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ok, nk, autojunk=False).get_opcodes():
            if tag == "equal":
                out += new[j1:j2]
                continue
            olds, news = old[i1:i2], new[j1:j2]
            paired = min(len(olds), len(news)) if tag == "replace" else 0
            for orow, nrow in zip(olds[:paired], news[:paired], strict=True):
                if len(orow[1]) == len(nrow[1]):
                    for oc, nc in zip(orow[1], nrow[1], strict=True):
                        nc[4] = self.blocks(oc[4], nc[4])
                    out.append(nrow)
                else:
                    self._mark_row(orow, DEL)
                    self._mark_row(nrow, INS)
                    out += [orow, nrow]
            for row in olds[paired:]:
                self._mark_row(row, DEL)
                out.append(row)
            for row in news[paired:]:
                self._mark_row(row, INS)
                out.append(row)
        return out

    # --- words ---------------------------------------------------------------------------

    def inlines(self, old: list[Node], new: list[Node]) -> list[Node]:
        ok, nk = [key(i) for i in old], [key(i) for i in new]
        out: list[Node] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ok, nk, autojunk=False).get_opcodes():
            if tag == "equal":
                out += new[j1:j2]
            elif tag == "delete":
                out += self._span(old[i1:i2], DEL)
            elif tag == "insert":
                out += self._span(new[j1:j2], INS)
            else:
                out += self._replace_inlines(old[i1:i2], new[j1:j2])
        return out

    def _replace_inlines(self, old: list[Node], new: list[Node]) -> list[Node]:
        """Words replaced by words: a deleted run, then an inserted run; but
        the inlines are first aligned by their shape (a word, a note, a
        citation, an emphasis), so that a note, a citation or an emphasis
        on both sides is compared inside (a changed note is one changed
        note, not a deleted and an added one)."""
        shapes_old = [_shape(o) or key(o) for o in old]
        shapes_new = [_shape(n) or key(n) for n in new]
        out: list[Node] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, shapes_old, shapes_new, autojunk=False).get_opcodes():
            if tag == "equal":
                out += self._pairwise(old[i1:i2], new[j1:j2])
            else:
                out += self._span(old[i1:i2], DEL) + self._span(new[j1:j2], INS)
        return out

    def _pairwise(self, old: list[Node], new: list[Node]) -> list[Node]:
        """Inlines of the same shapes, one by one."""
        out: list[Node] = []
        dels: list[Node] = []
        ins: list[Node] = []

        def flush() -> None:
            out.extend(self._span(list(dels), DEL) + self._span(list(ins), INS))
            dels.clear()
            ins.clear()

        for o, n in zip(old, new, strict=True):
            if key(o) == key(n):
                flush()
                out.append(n)
            elif _shape(n) is not None and _shape(n) != "Str":
                flush()
                out.append(self._inline(o, n))
            else:
                dels.append(o)
                ins.append(n)
        flush()
        return out

    def _inline(self, old: Node, new: Node) -> Node:
        t = new["t"]
        o, n = old["c"], new["c"]
        if t == "Note":
            self.result.notes_changed += 1
            self._count_note()
            self._note_depth += 1
            new["c"] = self.blocks(o, n)
            self._note_depth -= 1
        elif t in _CONTAINERS:
            new["c"] = self.inlines(o, n)
        else:  # Span, Link, Quoted, Cite: the inlines are c[1]
            n[1] = self.inlines(o[1], n[1])
        return new


def _drop_id(node: Node) -> None:
    """Deleted text keeps no identifier: NEW may have the same one (a
    heading whose level changed is deleted and inserted), and an id is
    unique in a page; links go to NEW's."""
    attr = A.attr_of(node)
    if attr is not None:
        attr[0] = ""


def _is_number(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") == "Span" and "header-section-number" in node["c"][0][1]


def _shape(node: Node) -> str | None:
    """What must be the same of two inlines for them to be compared inside."""
    t = node.get("t")
    c: Any = node.get("c")
    if t in ("Note", "Str") or t in _CONTAINERS:
        return str(t)
    if t == "Span":
        return key(["Span", c[0]])
    if t == "Link":
        return key(["Link", c[0], c[2]])
    if t == "Quoted":
        return key(["Quoted", c[0]])
    if t == "Cite":
        return key(["Cite", [ci["citationId"] for ci in c[0]]])
    return None


def _words(block: Node) -> list[str]:
    return A.stringify(block, cites=False).split()


def _pair(old: list[Node], new: list[Node]) -> dict[int, int]:
    """{new index: old index} of blocks of one type that are alike, in order."""
    pairs: dict[int, int] = {}
    if len(old) > PAIRING_WINDOW or len(new) > PAIRING_WINDOW:
        i = 0
        for j, b in enumerate(new):
            if i < len(old) and old[i]["t"] == b["t"]:
                pairs[j] = i
                i += 1
        return pairs
    owords = [_words(b) for b in old]
    start = 0
    for j, b in enumerate(new):
        nwords = _words(b)
        best, best_i = SIMILAR, -1
        for i in range(start, len(old)):
            if old[i]["t"] != b["t"]:
                continue
            sm = SequenceMatcher(None, owords[i], nwords, autojunk=False)
            if sm.real_quick_ratio() < best or sm.quick_ratio() < best:
                continue
            ratio = sm.ratio()
            if ratio >= best and (ratio > best or best_i < 0):
                best, best_i = ratio, i
        if best_i >= 0:
            pairs[j] = best_i
            start = best_i + 1
    return pairs


def compare(old: list[Node], new: list[Node]) -> tuple[list[Node], Changes]:
    """NEW's blocks, OLD's deleted ones in place, every change marked; and the changes."""
    d = Differ()
    return d.blocks(old, new), d.result
