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
from collections.abc import Callable
from typing import Any

from .. import ast as A
from ..ast import Node

BACK_ARROW = "\u21a9\ufe0e"  # ↩ as text, not as an emoji (pandoc's own)


def call_html(n: int) -> str:
    return f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'


def backlink_html(n: int) -> str:
    return f'<a href="#fnref{n}" class="footnote-back" role="doc-backlink">{BACK_ARROW}</a>'


class Numbered:
    """A note's number in the raw HTML of the preview's writer (a call, a
    back-link, a note's marker), written into the JSON given to pandoc as
    a comment numbered from the start of its block or note (:meth:`local`),
    and into pandoc's HTML as it really is once pandoc has written it
    (:func:`renumbered`). A block's JSON is then the same whatever notes
    come before it, and the preview sends pandoc only the blocks an edit
    changed even when it added a note: on the benchmark report, a note
    added in chapter 5 made the 690 blocks after it (and every note) new."""

    __slots__ = ("kind", "n")

    def __init__(self, kind: str, n: int) -> None:
        self.kind, self.n = kind, n

    def local(self, token: str, base: int) -> str:
        return f"<!--{token}:{self.kind}:{self.n - base}-->"


def renumbered(html: str, token: str, base: int) -> str:
    """pandoc's ``html`` of a block or a note whose numbers were given
    relative to ``base`` (:meth:`Numbered.local`), with the real ones."""
    real: dict[str, Callable[[int], str]] = {
        "call": call_html,
        "back": backlink_html,
        "mark": lambda n: f"<!--{token}:{n}-->",
    }
    if f"<!--{token}:" not in html:
        return html
    return re.sub(f"<!--{token}:(call|back|mark):(\\d+)-->", lambda m: real[m.group(1)](base + int(m.group(2))), html)


def _backlink(n: int, numbered: bool = False) -> Node:
    if numbered:
        return {"t": "RawInline", "c": ["html", Numbered("back", n)]}
    return A.RawInline("html", backlink_html(n))


def _with_backlink(blocks: list[Node], n: int, numbered: bool = False) -> list[Node]:
    if not blocks:
        return []
    last = blocks[-1]
    t: str = last["t"]
    c: Any = last.get("c")  # a rule has no "c"
    lone_figure = t == "Para" and len(c) == 1 and c[0]["t"] == "Image" and str(c[0]["c"][2][1]).startswith("fig:")
    if t in ("Para", "Plain") and not lone_figure:
        return [*blocks[:-1], {"t": t, "c": [*c, _backlink(n, numbered)]}]
    return [*blocks, A.Plain([_backlink(n, numbered)])]


def _drop_notes(inlines: list[Any]) -> list[Any]:
    """An image's alternative text without its notes (pandoc writes the alt
    text as plain text and never numbers a note in it)."""
    out: list[Any] = A.walk(inlines, lambda node: [] if node["t"] == "Note" else None)
    return out


class _Taker:
    """Replaces the notes of a document, in writing order, by their calls."""

    def __init__(self, numbered: bool = False) -> None:
        self.notes: list[list[Node]] = []
        self.numbered = numbered  # the numbers as :class:`Numbered` (the preview)

    def take(self, obj: Any) -> None:
        # iterative, in document order: a 100,000-note chapter is deep
        # enough in places (lists in quotes in notes) and long everywhere
        stack: list[Any] = [obj]
        while stack:
            o = stack.pop()
            if type(o) is list:
                for i in range(len(o) - 1, -1, -1):
                    x = o[i]
                    if type(x) is dict:
                        t = x.get("t")
                        if t == "Note":
                            o[i] = self._call(x)
                            stack.append(o[i])  # nothing left to do in it
                        elif t not in A.LEAVES:  # a word or a space holds no note: most nodes
                            stack.append(x)
                    elif type(x) is list:
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
        call["c"][1] = Numbered("call", n) if self.numbered else call_html(n)
        # a note inside a note (not made by the Markdown reader) is numbered
        # after the one that holds it
        self.take(note["c"])
        self.notes[n - 1] = _with_backlink(note["c"], n, self.numbered)


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
    notes wait for the end of the text as text, not as objects.

    ``token``: the preview's (the same for every build of a session, as
    secret as the random one of a render): the numbers are then
    :class:`Numbered`, and each text comes with the number it is relative to."""

    def __init__(self, token: str | None = None) -> None:
        self.taker = _Taker(numbered=token is not None)
        self.token = token or secrets.token_hex(16)

    @property
    def count(self) -> int:
        """The notes numbered so far."""
        return len(self.taker.notes)

    def skip(self, k: int) -> None:
        """``k`` notes numbered elsewhere (the preview's kept HTML of a block)."""
        self.taker.notes.extend([] for _ in range(k))

    def dumps(self, obj: Any, base: int) -> str:
        """``obj``'s JSON, its numbers relative to ``base`` (:class:`Numbered`)."""
        import json

        if not self.taker.numbered:
            return json.dumps(obj)

        def local(o: object) -> str:
            if not isinstance(o, Numbered):
                raise TypeError(f"not JSON: {type(o).__name__}")
            return o.local(self.token, base)

        return json.dumps(obj, default=local)

    def take(self, blocks: list[Node]) -> list[tuple[str, int]]:
        first = len(self.taker.notes)
        self.taker.take(blocks)
        out: list[tuple[str, int]] = []
        for n in range(first, len(self.taker.notes)):
            mark = Numbered("mark", n + 1) if self.taker.numbered else f"<!--{self.token}:{n + 1}-->"
            out.append((self.dumps({"t": "RawBlock", "c": ["html", mark]}, n + 1), n + 1))
            out += [(self.dumps(b, n + 1), n + 1) for b in self.taker.notes[n]]
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
