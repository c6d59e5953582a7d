"""The screen HTML's notes, written the way pandoc writes them, but by abuild.

pandoc's HTML writer is quadratic in the number of notes (measured on two
cores: 10,000 notes 1.26 s, 20,000 4.45 s, 40,000 16.3 s and 805 MiB; the
same text with every note a span 0.99 s), so a 100,000-note report could not
be written within the budget of docs/render.md. Before the writer, every
``Note`` therefore becomes the call pandoc would write (a raw ``<a>``), and
the notes themselves go after the text as ordinary blocks between markers;
pandoc writes them as it writes any block, and :func:`notes_section` puts
each in its ``<li>`` and the lot in the section pandoc would have written:
the same ids (``fn1``, ``fnref1``), classes, roles, back-links, order and
numbers, byte for byte (``tests/render/test_html_notes.py``).

pandoc's rules, followed here (Text.Pandoc.Writers.HTML, ``blockListToNote``):
notes are numbered in the order the writer meets them; the back-link goes
at the end of a note's last block when that is a paragraph (and not a lone
figure image), else after it on a line of its own; a note in an image's
alternative text is dropped (the text is written as plain text).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from .. import ast as A
from ..ast import Node

BACK_ARROW = "\u21a9\ufe0e"  # ↩ as text, not as an emoji (pandoc's own)


def call_html(n: int) -> str:
    return f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'


def _backlink(n: int) -> Node:
    return A.RawInline("html", f'<a href="#fnref{n}" class="footnote-back" role="doc-backlink">{BACK_ARROW}</a>')


def _with_backlink(blocks: list[Node], n: int) -> list[Node]:
    if not blocks:
        return []
    last = blocks[-1]
    t: str = last["t"]
    c: Any = last.get("c")  # a rule has no "c"
    lone_figure = t == "Para" and len(c) == 1 and c[0]["t"] == "Image" and str(c[0]["c"][2][1]).startswith("fig:")
    if t in ("Para", "Plain") and not lone_figure:
        return [*blocks[:-1], {"t": t, "c": [*c, _backlink(n)]}]
    return [*blocks, A.Plain([_backlink(n)])]


def _drop_notes(inlines: list[Any]) -> list[Any]:
    """An image's alternative text without its notes (pandoc writes the alt
    text as plain text and never numbers a note in it)."""
    out: list[Any] = A.walk(inlines, lambda node: [] if node["t"] == "Note" else None)
    return out


class _Taker:
    """Replaces the notes of a document, in writing order, by their calls."""

    def __init__(self) -> None:
        self.notes: list[list[Node]] = []

    def take(self, obj: Any) -> None:
        # iterative, in document order: a 100,000-note chapter is deep
        # enough in places (lists in quotes in notes) and long everywhere
        stack: list[Any] = [obj]
        while stack:
            o = stack.pop()
            if type(o) is list:
                for i in range(len(o) - 1, -1, -1):
                    x = o[i]
                    if type(x) is dict and x.get("t") == "Note":
                        o[i] = self._call(x)
                        stack.append(o[i])  # nothing left to do in it
                    elif type(x) is list or type(x) is dict:
                        stack.append(x)
                continue
            if type(o) is not dict:
                continue
            t = o.get("t")
            if t == "RawInline":  # a call made here, or a raw inline: no notes in it
                note = o.get("_note")
                if note is not None:
                    del o["_note"]
                    self._number(note, o)
                continue
            c: Any = o.get("c")
            if t == "Image":
                c[1] = _drop_notes(c[1])
                continue
            if type(c) is list or type(c) is dict:
                stack.append(c)

    def _call(self, note: Node) -> Node:
        # numbered when popped, so that the numbers follow the writing order
        # even though the list is pushed back to front
        call = A.RawInline("html", "")
        call["_note"] = note
        return call

    def _number(self, note: Node, call: Node) -> None:
        self.notes.append([])
        n = len(self.notes)
        call["c"][1] = call_html(n)
        # a note inside a note (not made by the Markdown reader) is numbered
        # after the one that holds it
        self.take(note["c"])
        self.notes[n - 1] = _with_backlink(note["c"], n)


def take_notes(blocks: list[Node]) -> tuple[list[Node], str]:
    """``blocks`` with every note replaced by its call and the notes after
    them, each behind a marker (a comment with a random token: no author's
    text can hold it), and the token. In place."""
    taker = _Taker()
    taker.take(blocks)
    token = secrets.token_hex(16)
    for n, note in enumerate(taker.notes, 1):
        blocks.append(A.RawBlock("html", f"<!--{token}:{n}-->"))
        blocks.extend(note)
    return blocks, token


class NoteBlocks:
    """:func:`take_notes` a run of top-level blocks at a time, in document
    order: the calls are put in place, and the notes taken so far come back
    as pandoc JSON text (a marker, then the note's blocks), so that 100,000
    notes wait for the end of the text as text, not as objects."""

    def __init__(self) -> None:
        self.taker = _Taker()
        self.token = secrets.token_hex(16)

    def take(self, blocks: list[Node]) -> list[str]:
        import json

        first = len(self.taker.notes)
        self.taker.take(blocks)
        out: list[str] = []
        for n in range(first, len(self.taker.notes)):
            out.append(json.dumps(A.RawBlock("html", f"<!--{self.token}:{n + 1}-->")))
            out += [json.dumps(b) for b in self.taker.notes[n]]
            self.taker.notes[n] = []
        return out


def notes_section(html: str, token: str, title: str) -> str:
    """pandoc's output of :func:`take_notes`'s blocks as pandoc would have
    written the document with its notes: the text, then the notes section
    (under an ``<h1>`` ``title``: the notes are a part of the report of their
    own, not a subsection of the last annex)."""
    parts = re.split(f"\n?<!--{token}:\\d+-->\n?", html)
    if len(parts) == 1:
        return html
    body, notes = parts[0], parts[1:]
    tail = notes[-1][len(notes[-1].rstrip("\n")) :]  # pandoc's final newline
    notes[-1] = notes[-1].rstrip("\n")
    items = "\n".join(f'<li id="fn{n}">{note}</li>' for n, note in enumerate(notes, 1))
    section = (
        '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\n'
        f'<h1 class="notes-title">{title}</h1>\n<ol>\n{items}\n</ol>\n</section>'
    )
    return (body + "\n" if body else "") + section + tail
