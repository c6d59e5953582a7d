"""Inline constructs of one block: citations, notes, links, images, raw HTML.

Works on a block's text with the lexer's code spans and bracket pairs, and
maps every offset back to its source position through :meth:`Block.pos`."""

from __future__ import annotations

import bisect
import html
import re

from .lexer import (
    AUTOLINK,
    BARE_CITE,
    CITE_IN_BRACKET,
    HTML_TAG,
    NOTE_REF,
    code_spans,
    pairs,
    parse_attrs,
)
from .model import Attrs, Block, Cite, InlineNote, Link, NoteRef, RawHtml

# a character reference, as pandoc reads one (with its semicolon)
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def auto_identifier(text: str) -> str:
    """pandoc's ``auto_identifiers`` algorithm (markdown extension): keep
    letters, digits, ``_-.`` and white space; words joined by one hyphen;
    nothing before the first letter."""
    s = "-".join("".join(ch for ch in text.lower() if ch.isalnum() or ch in "_-." or ch.isspace()).split())
    i = 0
    while i < len(s) and not s[i].isalpha():
        i += 1
    return s[i:] or "section"


def strip_inline(text: str) -> str:
    """Plain text of a heading: no notes, citations, emphasis marks or attributes."""
    text = re.sub(r"\^\[[^\]]*\]|\[\^[^\]]*\]", "", text)
    text = re.sub(r"\[[^\]]*@[^\]]*\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`~]", "", text)
    return " ".join(text.split())


def id_text(text: str, notes: set[str]) -> str:
    """A heading's text as pandoc stringifies it for an identifier: notes and
    markup go, link/image/span text and a citation's own text stay (and so
    does a reference to a note that is not defined: pandoc prints it as is)."""
    text = re.sub(r"\^\[(?:[^\[\]]|\[[^\[\]]*\])*\]", "", text)
    text = NOTE_REF.sub(lambda m: "" if m.group(1) in notes else m.group(0), text)
    text = re.sub(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?:\([^)]*\)(?:\{[^}]*\})?|\{[^}]*\})", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)
    text = re.sub(r"(?<![\w\\])_+|(?<!\\)_+(?!\w)", "", text)  # emphasis, not snake_case
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split())


class InlineScanner:
    """Finds citations, notes, links, images and raw HTML in one block's text."""

    MAX_DEPTH = 20  # nested link texts and notes

    def __init__(self, block: Block):
        self.b = block
        self.t = block.text
        self.code = code_spans(self.t)
        self.brackets = pairs(self.t, self.code, "[", "]") if "[" in self.t else {}
        self.parens = pairs(self.t, self.code, "(", ")") if "(" in self.t else {}
        self.opens = sorted(self.brackets)  # to tell an innermost bracket pair

    def run(self) -> None:
        self._scan(0, len(self.t), False, None, 0)

    def _inner_has_bracket(self, i: int, k: int) -> bool:
        x = bisect.bisect_right(self.opens, i)
        return x < len(self.opens) and self.opens[x] < k

    def _attrs_after(self, j: int, end: int) -> tuple[Attrs | None, int]:
        if j < end and self.t[j] == "{":
            k = self.t.find("}", j, min(end, j + 1000))
            if k > 0:
                line, col = self.b.pos(j)
                return parse_attrs(self.t[j : k + 1], line, col), k + 1
        return None, j

    def _add_cite(self, key: str, offset: int, in_note: bool, note: InlineNote | None) -> None:
        line, col = self.b.pos(offset)
        c = Cite(key, line, col, in_note)
        self.b.cites.append(c)
        if note is not None:
            note.cites.append(c)

    def _link(self, i: int, k: int, end: int, image: bool, in_note: bool, note: InlineNote | None, depth: int) -> int:
        """A link or image whose text is t[i+1:k] (after ``[``); returns the
        index after it, or -1 when ``]`` is not followed by a destination."""
        t = self.t
        p = self.parens.get(k + 1, -1) if k + 1 < end and t[k + 1] == "(" else -1
        if p < 0 or p >= end:
            return -1
        raw = t[k + 2 : p].strip()
        target = raw.split()[0].strip("<>") if raw else ""
        attrs, after = self._attrs_after(p + 1, end)
        start = i - 1 if image else i
        line, col = self.b.pos(start)
        self.b.links.append(Link(t[i + 1 : k], target, line, col, image=image, attrs=attrs, offset=start, end=after))
        self._scan(i + 1, k, in_note, note, depth + 1)
        return after

    def _scan(self, start: int, end: int, in_note: bool, note: InlineNote | None, depth: int) -> None:
        if depth > self.MAX_DEPTH:
            return
        t = self.t
        i = start
        b = self.b
        special = _SPECIAL.search
        while i < end:
            # every other character is passed over one at a time (``i += 1``)
            m = special(t, i, end)
            if m is None:
                return
            i = m.start()
            c = t[i]
            if c == "\\":
                i += 2
                continue
            if c == "`":
                k = self.code.get(i)
                i = k if k is not None else i + 1
                continue
            if c == "^" and i + 1 < end and t[i + 1] == "[":
                k = self.brackets.get(i + 1, -1)
                if 0 < k < end:
                    line, col = b.pos(i)
                    inote = InlineNote(line, col, [], i, k + 1)
                    b.inline_notes.append(inote)
                    self._scan(i + 2, k, True, inote, depth + 1)
                    i = k + 1
                    continue
            if c == "!" and i + 1 < end and t[i + 1] == "[":
                k = self.brackets.get(i + 1, -1)
                if 0 < k < end:
                    after = self._link(i + 1, k, end, True, in_note, note, depth)
                    if after > 0:
                        i = after
                        continue
            if c == "[":
                m = NOTE_REF.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    b.note_refs.append(NoteRef(m.group(1), line, col, i))
                    i = m.end()
                    continue
                k = self.brackets.get(i, -1)
                if 0 < k < end:
                    after = self._link(i, k, end, False, in_note, note, depth)
                    if after > 0:
                        i = after
                        continue
                    if k + 1 < end and t[k + 1] == "{":
                        attrs, _ = self._attrs_after(k + 1, end)
                        if attrs is not None and attrs.id:
                            b.span_ids.append(attrs.id)
                    # a citation bracket: [@a], [zie @a, p. 3; @b]; not [..]{.span}, [..][ref]
                    if (
                        (k + 1 >= end or t[k + 1] not in "[{(")
                        and "@" in t[i + 1 : k]
                        and not self._inner_has_bracket(i, k)
                    ):
                        found = False
                        for m in CITE_IN_BRACKET.finditer(t, i + 1, k):
                            key = m.group(1) or m.group(2)
                            at = m.start() + m.group(0).index("@")
                            self._add_cite(key, at, in_note, note)
                            found = True
                        if found:
                            if not in_note:
                                b.cite_spans.append((i, k + 1))
                            i = k + 1
                            continue
            if c == "@" and (i == 0 or not (t[i - 1].isalnum() or t[i - 1] in "_")):
                m = BARE_CITE.match(t, i, end)
                if m:
                    key = m.group(1) or m.group(2)
                    self._add_cite(key, i, in_note, note)
                    if not in_note:
                        b.cite_spans.append((i, m.end()))
                    i = m.end()
                    continue
            if c == "<":
                m = AUTOLINK.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    target = m.group(1)
                    if ":" not in target:
                        target = "mailto:" + target  # <naam@example.org>, as pandoc links it
                    # pandoc prints an entity in it as its character (<http://g&ouml;gle.com>)
                    text = ENTITY.sub(lambda e: html.unescape(e.group(0)), m.group(1))
                    b.links.append(Link(text, target, line, col, offset=i, end=m.end()))
                    i = m.end()
                    continue
                m = HTML_TAG.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    b.raw_html.append(RawHtml(m.group(0), line, col, i, m.end()))
                    i = m.end()
                    continue
            i += 1


# the characters _scan acts on
_SPECIAL = re.compile(r"[\\`^!\[@<]")


def is_figure(b: Block) -> bool:
    """pandoc's implicit figure: an image alone in its paragraph."""
    if len(b.links) != 1 or not b.links[0].image or b.inline_notes or b.note_refs or b.raw_html:
        return False
    link = b.links[0]
    text = b.text
    return link.offset == len(text) - len(text.lstrip()) and link.end == len(text.rstrip())
