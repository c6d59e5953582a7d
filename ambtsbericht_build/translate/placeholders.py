"""The text of one translation unit as a translator sees it, and back.

A unit's Dutch Markdown becomes a msgid in which everything a translator must
not change is a numbered placeholder ``{1}``, ``{2}``, ...: citations
(``[@id, p. 3]``, ``@id``), note references (``[^1]``), inline notes (their
text is an entry of its own), link and span brackets with their targets and
attributes (``[``, ``](#sec-x)``, ``]{.x}``), cross-references (``[](#fig-x)``),
images, code spans, raw HTML and hard line breaks. That is the
``python-brace-format`` of gettext, which Poedit, Weblate and OmegaT's PO
filter show as tags and check; a brace in the text itself is written
``{{`` or ``}}``. Soft line breaks become spaces: a msgid is one line.

Which tokens are placeholders is read with the project's own inline scanner
(``load/markdown``): the same reading the checks use.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..load.limits import limits
from ..load.markdown.blocks import BlockScanner
from ..load.markdown.inline import InlineScanner
from ..load.markdown.lexer import NOTE_REF, code_spans, pairs
from ..load.markdown.model import Block, Chapter

# one token of a msgstr: an escaped brace, a placeholder, a lone brace
TOKEN = re.compile(r"\{\{|\}\}|\{(\d{1,6})\}|[{}]")
_SPACE = re.compile(r"[ \t\n]+")  # not \s: a no-break space is text
# a digit, a point or comma, a digit: Dutch "1.184" or "18,4" (English "1,184", "18.4")
LOCAL_NUMBER = re.compile(r"\d[.,]\d")
HARD_BREAK = re.compile(r"(?:\\|[ \t]{2,})\n")


@dataclass
class Piece:
    """A placeholder: what it stands for in the Dutch text."""

    kind: str  # cite | noteref | note | code | link-open | link-close | xref | image | html | span-open | ...
    value: str  # the Dutch source it restores ("" for a note: its own entry gives the text)
    note: Protected | None = None  # kind "note": the note's own unit


@dataclass
class Protected:
    msgid: str
    pieces: list[Piece] = field(default_factory=list)
    offset: int = 0  # of the text in its block (a note's: after ``^[``)

    @property
    def translatable(self) -> bool:
        """Whether there is text to translate besides the placeholders: a
        word, or a number in Dutch notation. A text of figures and signs
        ("412", "12%", "2025-03-09", "–", "€ 40") reads the same in every
        language: it is not extracted, and the edition prints it as it is,
        unmarked. A number with a decimal comma or a thousands point
        ("18,4", "1.184") is extracted: English writes "18.4" and "1,184"."""
        rest = TOKEN.sub("", self.msgid)
        return any(c.isalpha() for c in rest) or bool(LOCAL_NUMBER.search(rest))

    def describe(self) -> str:
        """The extracted comment that tells a translator what each placeholder is."""
        if not self.pieces:
            return ""
        said = "; ".join(f"{{{k}}} {_WHAT[p.kind](p)}" for k, p in enumerate(self.pieces, 1))
        return f"Placeholders (keep each once; {{{{ and }}}} are braces): {said}"


_WHAT: dict[str, Callable[[Piece], str]] = {
    "cite": lambda p: "citation",
    "noteref": lambda p: f"note reference {p.value}",
    "note": lambda p: "footnote (its own entry)",
    "code": lambda p: "code",
    "link-open": lambda p: "link start",
    "link-close": lambda p: f"link end {_short(p.value)}",
    "xref": lambda p: f"cross-reference {_short(p.value)}",
    "image": lambda p: "image",
    "html": lambda p: "HTML",
    "span-open": lambda p: "span start",
    "span-close": lambda p: f"span end {_short(p.value)}",
    "autolink": lambda p: f"address {_short(p.value)}",
    "break": lambda p: "line break",
}


def _short(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= 60 else s[:57] + "..."


def scan_inline(text: str) -> Block:
    """``text`` read as one block by the inline scanner, offsets as positions."""
    b = Block("para", text, 1, 1, 1)
    b._starts, b._lines, b._cols = [0], [1], [1]
    InlineScanner(b).run()
    return b


def _spans(t: str) -> list[tuple[int, int, str]]:
    """The protected spans of ``t``: (start, end, kind), in order, outermost only."""
    b = scan_inline(t)
    code = code_spans(t)
    out: list[tuple[int, int, str]] = [(s, e, "code") for s, e in code.items()]
    out += [(n.offset, n.end, "note") for n in b.inline_notes]
    for r in b.note_refs:
        m = NOTE_REF.match(t, r.offset)
        out.append((r.offset, m.end() if m else r.offset + 2, "noteref"))
    out += [(h.offset, h.end, "html") for h in b.raw_html]
    out += [(s, e, "cite") for s, e in b.cite_spans]
    links = set()
    for link in b.links:
        links.add(link.offset + (1 if link.image else 0))
        if link.image:
            out.append((link.offset, link.end, "image"))
        elif t[link.offset] == "<":
            out.append((link.offset, link.end, "autolink"))
        elif not link.text.strip():
            out.append((link.offset, link.end, "xref"))
        else:
            close = link.offset + 1 + len(link.text)
            out += [(link.offset, link.offset + 1, "link-open"), (close, link.end, "link-close")]
    if "[" in t:  # [text]{.class}: a span
        for i, k in pairs(t, code, "[", "]").items():
            if i in links or k + 1 >= len(t) or t[k + 1] != "{":
                continue
            close = t.find("}", k + 1, k + 1000)
            if close > 0:
                out += [(i, i + 1, "span-open"), (k, close + 1, "span-close")]
    out += [(m.start(), m.end(), "break") for m in HARD_BREAK.finditer(t)]
    out.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, str]] = []
    for s in out:
        if kept and s[0] < kept[-1][1]:
            continue  # inside a note, a code span, a citation ...: part of it
        kept.append(s)
    return kept


def _literal(s: str) -> str:
    return _SPACE.sub(" ", s).replace("{", "{{").replace("}", "}}")


def protect(text: str, prefix_at: Callable[[int], str], offset: int = 0) -> Protected:
    """``text`` (a unit's Markdown, at ``offset`` in its block) as a msgid.

    ``prefix_at(o)`` is the container prefix of the source line that starts
    at block offset ``o`` (a list item's indentation, ``> ``): a hard line
    break restores it."""
    parts: list[str] = []
    pieces: list[Piece] = []
    pos = 0
    for s, e, kind in _spans(text):
        parts.append(_literal(text[pos:s]))
        if kind == "note":
            inner = text[s + 2 : e - 1]
            pieces.append(Piece(kind, "", protect(inner, prefix_at, offset + s + 2)))
        elif kind == "break":
            pieces.append(Piece(kind, text[s:e] + prefix_at(offset + e)))
        else:
            pieces.append(Piece(kind, text[s:e]))
        parts.append(f"{{{len(pieces)}}}")
        pos = e
    parts.append(_literal(text[pos:]))
    return Protected("".join(parts).strip(" "), pieces, offset)


# --- back: a msgstr as Markdown ---------------------------------------------------


@dataclass
class Problem:
    offset: int  # in the msgstr
    message: str
    markup: bool = False  # AB604 (what a translation may not add); else AB602 (placeholders)


def restore(msgstr: str, p: Protected, notes: list[str]) -> tuple[str, list[Problem]]:
    """``msgstr`` with its placeholders restored (``notes``: the text of each
    note placeholder, in order), and what is wrong with it."""
    problems: list[Problem] = []
    out: list[str] = []
    seen: Counter[int] = Counter()
    note_text = iter(notes)
    filled = {k: ("^[" + next(note_text) + "]" if c.kind == "note" else c.value) for k, c in enumerate(p.pieces, 1)}
    pos = 0
    for m in TOKEN.finditer(msgstr):
        out.append(msgstr[pos : m.start()])
        pos = m.end()
        tok = m.group(0)
        if tok in ("{{", "}}"):
            out.append(tok[0])
        elif m.group(1) is None:
            problems.append(Problem(m.start(), f"a single {tok!r}: write {tok * 2} for a brace in the text"))
        else:
            k = int(m.group(1))
            if k not in filled:
                problems.append(Problem(m.start(), f"{{{k}}} is not a placeholder of the Dutch text"))
                continue
            seen[k] += 1
            if seen[k] > 1:
                problems.append(Problem(m.start(), f"{{{k}}} ({_what(p, k)}) is there twice"))
                continue
            out.append(filled[k])
    out.append(msgstr[pos:])
    for k in filled:
        if not seen[k]:
            problems.append(Problem(0, f"{{{k}}} ({_what(p, k)}) is missing"))
    return "".join(out), problems


def _what(p: Protected, k: int) -> str:
    return _WHAT[p.pieces[k - 1].kind](p.pieces[k - 1])


def markup_problems(translated: str, dutch: str, msgstr: str, msgid: str) -> list[Problem]:
    """What ``translated`` (a restored msgstr) adds to the Dutch unit's shape:
    a translation is one line of inline text, with the citations, notes,
    links and code of the Dutch and nothing else: no new citation (of a
    confidential source, say), link, note, raw HTML, comment, fence, heading,
    list or table."""
    out: list[Problem] = []
    for needle, what in (
        ("\n", "a line break: a translation is one line (the Dutch block structure stays)"),
        ("<!--", "an HTML comment"),
        (":::", "a ':::' fence: a block (an intern note, say) cannot come from a translation"),
    ):
        k = msgstr.find(needle)
        if k >= 0:
            out.append(Problem(k, f"{what} is not allowed in a translation", markup=True))
    if msgstr.rstrip().endswith("\\"):
        out.append(Problem(len(msgstr.rstrip()) - 1, "a trailing backslash would escape what follows", markup=True))
    out += added_attributes(msgstr, msgid)
    tag = _HTML_LIKE.search(msgstr)
    if tag is not None and "<!--" not in msgstr and len(_HTML_LIKE.findall(msgstr)) > len(_HTML_LIKE.findall(msgid)):
        out.append(Problem(tag.start(), "raw HTML (a '<' before a tag name) is not allowed in a translation", True))
    for _line, _col, why in limits(translated):
        # the Dutch unit is within the limits (else it is AB008 and the render is refused):
        # only the translation can exceed them (red team T3: 9 nested '[' failed the render).
        # The column is the restored text's, not the msgstr's: the msgstr's start is given
        out.append(Problem(0, f"{why} (in this translation)", markup=True))
    if not out:
        mine, theirs = shape(translated), shape(dutch)
        for name, a, b in zip(_SHAPE_NAMES, mine, theirs, strict=True):
            if a != b:
                out.append(Problem(0, f"the translation changes the {name} of the Dutch text", markup=True))
    return out


# a brace a translator wrote ({{ in the msgstr) right after one of these opens an
# attribute block in pandoc's reading: [x]{.intern}, `x`{=html}, [a](b){hidden}
_ATTR_BEFORE = frozenset("])`")
# '<' before a letter, '/', '!' or '?': a tag, a comment, a CDATA or a bogus
# comment; the Dutch text's own HTML is a placeholder, so a msgstr needs none
_HTML_LIKE = re.compile(r"<[A-Za-z/!?]")


def added_attributes(msgstr: str, msgid: str) -> list[Problem]:
    """Attribute blocks a translator adds (red team T1): a translation may add
    none, since every attribute of the Dutch text is inside a placeholder.
    ``{{`` (a brace in the text) is refused right after ``]``, ``)``, a
    backquote or a placeholder (where pandoc reads an attribute block, whatever
    its class or key: ``.intern``, ``.intеrn`` with a Cyrillic е,
    ``hidden=""``, ``style="display:none"``, ``onclick``), and anywhere
    beyond the number of braces the msgid has (a heading's ``{.intern}``)."""
    out: list[Problem] = []
    seen = 0
    prev_end = -1
    for m in TOKEN.finditer(msgstr):
        tok = m.group(0)
        if tok == "{{":
            seen += 1
            before = msgstr[m.start() - 1] if m.start() else ""
            if before in _ATTR_BEFORE or m.start() == prev_end:
                return [Problem(m.start(), _ATTR_MESSAGE, markup=True)]
        if m.group(1) is not None:
            prev_end = m.end()
    if seen > sum(1 for m in TOKEN.finditer(msgid) if m.group(0) == "{{"):
        return [Problem(max(0, msgstr.find("{{")), _ATTR_MESSAGE, markup=True)]
    return out


_ATTR_MESSAGE = (
    "an attribute block ({...}) is not allowed in a translation: classes and attributes"
    " (intern, hidden, style) come from the Dutch text only; write {{ }} for a brace in the text"
)


_SHAPE_NAMES = (
    "block structure (a heading, list, quote or table instead of text)",
    "citations (a citation not in the Dutch)",
    "note references",
    "links or images",
    "inline notes",
    "raw HTML",
    "span attributes",
    "table cells (a '|' outside code)",
    "brackets (an unpaired '[' or ']' would close the figure or span the text stands in)",
)


@functools.lru_cache(maxsize=8192)
def shape(text: str) -> tuple[object, ...]:
    """What a unit's text consists of besides its words, as the scanner reads it.

    Cached: the check and the render each hold every translation against its
    Dutch unit (3.4 s of the benchmark report's 1,605 units were 1.6 s of
    shapes, half of them the same Dutch texts again)."""
    ch = Chapter(path=Path("unit.md"), text=text)
    ch.blocks = BlockScanner(ch, set()).scan([(i + 1, 1, s) for i, s in enumerate(text.split("\n"))])
    blocks = list(ch.all_blocks())
    structure = (tuple(b.kind for b in blocks), len(ch.headings), len(ch.divs), len(ch.notes))
    cites = tuple(sorted(c.key for b in blocks for c in b.cites))
    refs = tuple(sorted(r.label for b in blocks for r in b.note_refs))
    links = tuple(sorted((link.target, link.image) for b in blocks for link in b.links))
    notes = sum(len(b.inline_notes) for b in blocks)
    html = tuple(sorted(h.text for b in blocks for h in b.raw_html))
    spans = tuple(sorted(i for b in blocks for i in b.span_ids))
    code = code_spans(text)
    pipes = sum(1 for i, c in enumerate(text) if c == "|" and not _in_code(code, i) and not _escaped(text, i))
    brackets = sum(1 for i, c in enumerate(text) if c in "[]" and not _in_code(code, i) and not _escaped(text, i))
    unpaired = brackets - 2 * len(pairs(text, code, "[", "]"))
    return structure, cites, refs, links, notes, html, spans, pipes, unpaired


def _in_code(code: dict[int, int], i: int) -> bool:
    return any(s <= i < e for s, e in code.items())


def _escaped(t: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and t[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1
