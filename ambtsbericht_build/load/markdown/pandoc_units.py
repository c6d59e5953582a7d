"""pandoc's blocks as *units* (see pandoc_ast.py): kind, signature (letters
and digits), citations, notes, div ancestry and list of each block pandoc
reads, in document order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .lexer import HTML_TAG
from .model import Attrs

Json = Any  # pandoc's JSON AST: nested lists and dicts

ALNUM = re.compile(r"[^\W_]+")
# A comment's start that pandoc prints: "<!" and a dash, as its smart
# punctuation makes of them ("<!--" becomes "<!–", "<!---" "<!—"). A comment
# pandoc drops is a RawInline or RawBlock, never a Str; "<!" and a dash in
# prose is no Dutch or English.
COMMENT_AS_TEXT = re.compile("<![-\u2010-\u2015]")


def signature(text: str) -> str:
    """The letters and digits of a text, in order: what pandoc and the
    scanner agree on whatever the markup (emphasis, smart quotes, escapes)."""
    return "".join(ALNUM.findall(text))


# --- pandoc's blocks as units ---------------------------------------------------------


@dataclass
class NoteUnit:
    keys: list[str]  # every key cited in the note, nested notes' included
    units: list[Unit]


@dataclass
class Unit:
    kind: str  # para | item | heading | figure | table | caption | code | raw | refused
    sig: str
    cites: list[str] = field(default_factory=list)  # outside notes, in order, nested included
    notes: list[NoteUnit] = field(default_factory=list)
    divs: tuple[int, ...] = ()  # pandoc div numbers, outermost first
    header: tuple[int, str, list[str], dict[str, str]] | None = None
    list_id: int = 0
    list_depth: int = 0
    lead_list: int = 0
    what: str = ""  # a refused construct's name
    printed_comment: bool = False  # a "<!--" pandoc reads as text (see COMMENT_AS_TEXT)
    within: bool = False  # refused inside the unit before it (a table cell, a definition)
    text: str = ""  # a short plain text, for messages


@dataclass
class Within:
    """What a construct that is one unit holds (see :meth:`Walker.within`)."""

    top: int  # the depth of its own blocks
    words: list[Json] = field(default_factory=list)  # in its signature
    deeper: list[Json] = field(default_factory=list)  # counted, not in its signature
    refused: list[Unit] = field(default_factory=list)

    def add(self, inl: list[Json], depth: int) -> None:
        (self.words if depth == self.top else self.deeper).extend([*inl, _SPACE])


@dataclass
class PandocDiv:
    attrs: Attrs
    parent: int  # -1: none


class Walker:
    """Turns pandoc's blocks into units, in document order."""

    MAX_DEPTH = 100  # frames: three a level, under Python's 1,000

    def __init__(self) -> None:
        self.divs: list[PandocDiv] = []
        self.lists = 0

    def blocks(
        self, bs: list[Json], divs: tuple[int, ...], depth: int, list_depth: int = 0, item: int = 0
    ) -> list[Unit]:
        out: list[Unit] = []
        if depth > self.MAX_DEPTH:
            return out
        for k, b in enumerate(bs):
            t, c = b.get("t"), b.get("c")
            if t in ("Para", "Plain"):
                u = self.inline_unit("item" if item and k == 0 else "para", c, divs, depth)
                if item and k == 0:
                    u.list_id, u.list_depth = item, list_depth - 1
                nxt = bs[k + 1].get("t") if k + 1 < len(bs) else None
                if nxt in ("BulletList", "OrderedList"):
                    u.lead_list = self.lists + 1
                out.append(u)
            elif t == "Header":
                level, (ident, classes, kv), inl = c
                u = self.inline_unit("heading", inl, divs, depth)
                u.header = (level, ident, list(classes), dict(kv))
                out.append(u)
            elif t in ("BulletList", "OrderedList"):
                self.lists += 1
                lid = self.lists
                for it in c if t == "BulletList" else c[1]:
                    out += self.blocks(it, divs, depth + 1, list_depth + 1, lid)
            elif t == "BlockQuote":
                out += self.blocks(c, divs, depth + 1, list_depth)
            elif t == "Div":
                (ident, classes, kv), inner = c
                attrs = Attrs(ident or None, list(classes), dict(kv))
                self.divs.append(PandocDiv(attrs, divs[-1] if divs else -1))
                out += self.blocks(inner, (*divs, len(self.divs) - 1), depth + 1, list_depth)
            elif t == "CodeBlock":
                code = Unit("code", signature(c[1]), divs=divs, text=c[1][:60], printed_comment="<!--" in c[1])
                out.append(code)
            elif t == "RawBlock":
                if not c[1].lstrip().startswith("<!--"):  # a comment: pandoc drops it
                    # the scanner's signature leaves the tags out (AB402 reads them)
                    out.append(Unit("raw", signature(HTML_TAG.sub(" ", c[1])), divs=divs, text=c[1][:60]))
            elif t == "Figure":
                _attr, (_short, cap), content = c
                u = self.inline_unit("figure", _inlines_of(cap) or _inlines_of(content), divs, depth)
                out.append(u)
            elif t == "Table":
                out += self.table(c, divs, depth)
            elif t == "LineBlock":
                u = self.inline_unit("refused", [x for line in c for x in [*line, {"t": "Space"}]], divs, depth)
                u.what = "line block"
                out.append(u)
            elif t == "DefinitionList":
                parts = Within(depth + 1)
                for term, defs in c:
                    parts.words += [*term, _SPACE]
                    for d in defs:
                        self.within(d, divs, depth + 1, "a definition", parts)
                out += self.one_unit("refused", parts, divs, depth, "definition list")
            # HorizontalRule, Null: no text
        return out

    def table(self, c: Json, divs: tuple[int, ...], depth: int) -> list[Unit]:
        parts = Within(depth + 1)
        for cell in _cells(c):
            self.within(cell, divs, depth + 1, "a table cell", parts)
        out = self.one_unit("table", parts, divs, depth)
        caption = _inlines_of(c[1][1])
        if caption:
            out.append(self.inline_unit("caption", caption, divs, depth))
        return out

    def one_unit(self, kind: str, parts: Within, divs: tuple[int, ...], depth: int, what: str = "") -> list[Unit]:
        """A construct that is one unit (a table, a definition list), then
        what is refused inside it."""
        u = self.inline_unit(kind, parts.words, divs, depth)
        self.inlines(parts.deeper, u, [], divs, depth)  # citations and notes, not text
        u.what = what
        for r in parts.refused:
            r.within = True
        return [u, *parts.refused]

    def within(self, bs: list[Json], divs: tuple[int, ...], depth: int, where: str, parts: Within) -> None:
        """The blocks of a table cell or a definition, into ``parts``: the
        words of its paragraphs and headings (the unit's signature, as
        before: the scanner's block holds them), the inlines deeper down
        (lists, quotes, divs, tables in it: their citations and notes count,
        their text is left out of the signature, where an ordered list's
        numbers would not match), and a refused unit for each construct the
        report format does not have there: a heading (pandoc prints a
        heading in a grid table's cell, and numbers it), a definition list or
        a line block, at any depth."""
        if depth > self.MAX_DEPTH:
            return
        for b in bs:
            t, c = b.get("t"), b.get("c")
            if t in ("Plain", "Para"):
                parts.add(c, depth)
            elif t == "Header":
                parts.add(c[2], depth)
                # its text only: a walker of its own, so its notes' divs are
                # not numbered twice; its citations and notes are the cell's
                u = Walker().inline_unit("refused", c[2], divs, depth)
                u.cites, u.notes, u.what = [], [], f"heading in {where}"
                parts.refused.append(u)
            elif t in ("DefinitionList", "LineBlock"):
                parts.refused += self.blocks([b], divs, depth + 1)
            elif t in ("BulletList", "OrderedList"):
                for item in c if t == "BulletList" else c[1]:
                    self.within(item, divs, depth + 1, where, parts)
            elif t == "BlockQuote":
                self.within(c, divs, depth + 1, where, parts)
            elif t == "Div":
                self.within(c[1], divs, depth + 1, where, parts)
            elif t == "Figure":
                parts.add(_inlines_of(c[1][1]) or _inlines_of(c[2]), depth)
            elif t == "Table":
                for cell in _cells(c):
                    self.within(cell, divs, depth + 1, where, parts)
                parts.add(_inlines_of(c[1][1]), depth)

    def inline_unit(self, kind: str, inl: list[Json], divs: tuple[int, ...], depth: int) -> Unit:
        u = Unit(kind, "", divs=divs)
        parts: list[str] = []
        self.inlines(inl, u, parts, divs, depth)
        text = "".join(parts)
        u.sig = signature(text)
        u.text = " ".join(text.split())[:60]
        return u

    def inlines(self, inl: Iterable[Json], u: Unit, parts: list[str], divs: tuple[int, ...], depth: int) -> None:
        if depth > self.MAX_DEPTH:
            return
        for x in inl:
            t, c = x.get("t"), x.get("c")
            if t == "Str":
                parts.append(c)
                if "<!" in c and COMMENT_AS_TEXT.search(c):
                    u.printed_comment = True
            elif t in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif t in ("Code", "Math"):
                parts.append(c[1])
            elif t in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                self.inlines(c, u, parts, divs, depth + 1)
            elif t in ("Quoted", "Span"):
                self.inlines(c[1], u, parts, divs, depth + 1)
            elif t in ("Link", "Image"):
                self.inlines(c[1], u, parts, divs, depth + 1)
            elif t == "Cite":
                u.cites += cite_keys(c[0])
                lit: list[str] = []
                self.inlines(c[1], Unit("", ""), lit, divs, depth + 1)
                parts += lit
            elif t == "Note":
                units = self.blocks(c, divs, depth + 1)
                keys = [k for n in units for k in _all_keys(n)]
                u.notes.append(NoteUnit(keys, units))
            # RawInline: not text (AB402 finds raw HTML)


def cite_keys(citations: list[Json]) -> list[str]:
    """The keys of a Cite's citations, with those nested in a prefix or suffix
    (``[@a, @b]``: pandoc puts ``b`` in ``a``'s suffix)."""
    out: list[str] = []
    for cit in citations:
        out.append(cit["citationId"])
        for part in ("citationPrefix", "citationSuffix"):
            out += _nested_keys(cit.get(part, []))
    return out


def _nested_keys(inl: Json) -> list[str]:
    out: list[str] = []
    stack = [inl]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if node.get("t") == "Cite":
                out += cite_keys(node["c"][0])
            elif node.get("t") != "Note" and "c" in node:
                stack.append(node["c"])
    return out


def _all_keys(u: Unit) -> list[str]:
    return u.cites + [k for n in u.notes for k in n.keys]


_SPACE: Json = {"t": "Space"}


def _cells(table: Json) -> list[list[Json]]:
    """The blocks of every cell of a pandoc Table: head, bodies (their head
    rows too), foot."""
    _attr, _cap, _cols, head, bodies, foot = table
    rows = list(head[1])
    for body in bodies:
        rows += list(body[2]) + list(body[3])
    rows += list(foot[1])
    return [cell[4] for row in rows for cell in row[1]]


def _inlines_of(blocks: list[Json]) -> list[Json]:
    """The inlines of a list of Plain/Para blocks (a caption, a cell)."""
    out: list[Json] = []
    for b in blocks:
        if b.get("t") in ("Plain", "Para"):
            out += [*b["c"], {"t": "Space"}]
        elif b.get("t") == "Figure":
            out += _inlines_of(b["c"][1][1]) or _inlines_of(b["c"][2])
    return out
