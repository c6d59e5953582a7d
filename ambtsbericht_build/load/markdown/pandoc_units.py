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
    text: str = ""  # a short plain text, for messages


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
                out.append(Unit("code", signature(c[1]), divs=divs, text=c[1][:60]))
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
                words: list[Json] = []
                for term, defs in c:
                    words += [*term, {"t": "Space"}]
                    for d in defs:
                        words += [*_inlines_of(d), {"t": "Space"}]
                u = self.inline_unit("refused", words, divs, depth)
                u.what = "definition list"
                out.append(u)
            # HorizontalRule, Null: no text
        return out

    def table(self, c: Json, divs: tuple[int, ...], depth: int) -> list[Unit]:
        _attr, (_short, cap), _cols, head, bodies, foot = c
        cells: list[Json] = []
        rows = list(head[1]) + list(foot[1])
        for body in bodies:
            rows += list(body[2]) + list(body[3])
        for row in rows:
            for cell in row[1]:
                cells += [*_inlines_of(cell[4]), {"t": "Space"}]
        out = [self.inline_unit("table", cells, divs, depth)]
        caption = _inlines_of(cap)
        if caption:
            out.append(self.inline_unit("caption", caption, divs, depth))
        return out

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


def _inlines_of(blocks: list[Json]) -> list[Json]:
    """The inlines of a list of Plain/Para blocks (a caption, a cell)."""
    out: list[Json] = []
    for b in blocks:
        if b.get("t") in ("Plain", "Para"):
            out += [*b["c"], {"t": "Space"}]
        elif b.get("t") == "Figure":
            out += _inlines_of(b["c"][1][1]) or _inlines_of(b["c"][2])
    return out
