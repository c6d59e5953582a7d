"""AST transforms the writers share (each works on the resolved document's blocks)."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from typing import Any

from .. import ast as A
from ..ast import Node


def unwrap_citations(blocks: list[Node]) -> list[Node]:
    """After citeproc a Cite keeps its keys (pandoc writes them as data-cites);
    only its formatted text may reach an output."""

    def fn(node: Node) -> Any:
        if node["t"] == "Cite":
            return node["c"][1]
        return None

    out: list[Node] = A.walk(blocks, fn)
    return out


def add_abbr(blocks: list[Node], glossary: dict[str, str]) -> list[Node]:
    """Wrap glossary abbreviations in ``<abbr title="...">`` (HTML only)."""
    if not glossary:
        return blocks
    keys = sorted(glossary, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")

    def fn(node: Node) -> Any:
        if node["t"] != "Str" or not pattern.search(node["c"]):
            return None
        out = []
        pos = 0
        s = node["c"]
        for m in pattern.finditer(s):
            if m.start() > pos:
                out.append(A.Str(s[pos : m.start()]))
            key = m.group(1)
            out.append(
                A.RawInline("html", f'<abbr title="{html.escape(glossary[key], quote=True)}">{html.escape(key)}</abbr>')
            )
            pos = m.end()
        if pos < len(s):
            out.append(A.Str(s[pos:]))
        return out

    # headings stay plain: their text is reused for the TOC and PDF bookmarks
    out: list[Node] = []
    for b in blocks:
        out.extend([b] if b["t"] == "Header" else A.walk([b], fn))
    return out


def notes_to_spans(blocks: list[Node], number: Callable[[int], str] = str) -> list[Node]:
    """For WeasyPrint: a note becomes ``<span class="footnote">`` at its call
    site (CSS ``float: footnote`` moves it to the bottom of the page), its
    ``data-note`` ``number(n)`` for the n-th note of ``blocks``."""

    def flatten(note_blocks: list[Node]) -> list[Node]:
        out: list[Node] = []
        for b in note_blocks:
            if b["t"] in ("Para", "Plain"):
                if out:
                    out.append(A.Space())
                out.extend(b["c"])
            else:
                out.append(A.Str(A.stringify([b])))
        return out

    count = 0

    def fn(node: Node) -> Any:
        nonlocal count
        if node["t"] == "Note":
            count += 1
            return A.Span(flatten(node["c"]), ["footnote"], kv=[["note", number(count)]])
        return None

    out: list[Node] = A.walk(blocks, fn)
    return out


def captions_above_tables(blocks: list[Node]) -> list[Node]:
    """For WeasyPrint: a table's caption becomes a block of its own above the
    table, both in a wrapper that carries the table's id and classes.

    WeasyPrint cannot move a ``<caption>`` line to the next page when a note it
    calls does not fit (``footnote-policy``), and then prints the note a page
    late; an ordinary block it can move. The screen HTML keeps ``<caption>``."""

    def fn(node: Node) -> Any:
        if node["t"] != "Table":
            return None
        caption_blocks = node["c"][1][1]
        if not caption_blocks:
            return None
        ident, classes, kv = node["c"][0]
        table = copy.deepcopy(node)
        table["c"][0] = ["", [], []]
        table["c"][1] = [None, []]
        caption = A.Div(caption_blocks, "", ["table-caption"])
        return A.Div([caption, table], ident, ["table-figure", *classes], kv)

    out: list[Node] = A.walk(blocks, fn)
    return out
