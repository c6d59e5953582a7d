"""A position-keeping scanner for the pandoc Markdown that chapters are written in.

Pandoc's Markdown reader does not report source positions, and the checks must
point at the line and column a drafter edits. So the *check* stage reads
chapters with this scanner; the *render* stage uses pandoc itself. The scanner
knows the block structure pandoc knows for the constructs the report format
uses (SPEC §3–§5): ATX/setext headings with attributes, fenced divs, fenced
code, lists, block quotes, footnote definitions, pipe/grid/simple tables with
captions, figures, paragraphs; and inline: citations, inline and reference
notes, links, images, raw HTML, code spans, escapes. A test compares its
counts with pandoc's own AST on the example and benchmark reports.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

# --- data -----------------------------------------------------------------


@dataclass
class Cite:
    key: str
    line: int
    column: int
    in_note: bool = False


@dataclass
class NoteRef:
    label: str
    line: int
    column: int
    offset: int = 0  # in the block's text


@dataclass
class InlineNote:
    line: int
    column: int
    cites: list[Cite]
    offset: int = 0
    end: int = 0


@dataclass
class Link:
    text: str
    target: str
    line: int
    column: int
    image: bool = False
    attrs: Attrs | None = None
    offset: int = 0  # [start, end) in the block's text, attributes included
    end: int = 0


@dataclass
class RawHtml:
    text: str
    line: int
    column: int
    offset: int = 0  # [start, end) in the block's text
    end: int = 0


@dataclass
class Attrs:
    id: str | None = None
    classes: list[str] = field(default_factory=list)
    kv: dict[str, str] = field(default_factory=dict)
    # (line, column) of each key=value, for diagnostics that name one attribute
    kv_pos: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Div:
    attrs: Attrs
    line: int
    column: int
    end_line: int = 0
    parent: Div | None = None

    def has_class(self, name: str) -> bool:
        d: Div | None = self
        while d is not None:
            if name in d.attrs.classes:
                return True
            d = d.parent
        return False


@dataclass
class Heading:
    level: int
    text: str
    attrs: Attrs
    line: int
    column: int
    id: str = ""
    div: Div | None = None
    cites: list[Cite] = field(default_factory=list)
    id_text: str = ""  # the text pandoc derives an automatic id from
    block: Block | None = None  # its inline content (kind "heading"), also in Chapter.blocks


@dataclass
class Block:
    """A paragraph, list item, table, caption, figure or code block."""

    kind: str  # para | item | table | caption | figure | code | hr
    text: str
    line: int
    column: int
    end_line: int
    div: Div | None = None
    section: Heading | None = None
    note: str | None = None  # label of the footnote definition it belongs to
    list_id: int = 0  # an item's list: the items of one list share it
    list_depth: int = 0  # 0 for an item of a top-level list, 1 for a nested one, ...
    lead_list: int = 0  # the list that directly follows this paragraph or item's text
    cites: list[Cite] = field(default_factory=list)
    note_refs: list[NoteRef] = field(default_factory=list)
    inline_notes: list[InlineNote] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    raw_html: list[RawHtml] = field(default_factory=list)
    attrs: Attrs | None = None  # figure/table/caption id
    span_ids: list[str] = field(default_factory=list)  # ids of ``[text]{#id}`` spans
    # text offset -> source position
    _starts: list[int] = field(default_factory=list, repr=False)
    _lines: list[int] = field(default_factory=list, repr=False)
    _cols: list[int] = field(default_factory=list, repr=False)
    # (start, end) offsets in text of direct citations outside notes (for AB102)
    cite_spans: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return self.line, self.column
        return self._lines[i], self._cols[i] + (offset - self._starts[i])


@dataclass
class NoteDef:
    label: str
    line: int
    column: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Comment:
    text: str
    line: int
    column: int


@dataclass
class Chapter:
    path: Path
    text: str
    front_matter: str | None = None
    front_matter_line: int = 0
    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    notes: list[NoteDef] = field(default_factory=list)
    divs: list[Div] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    unclosed: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        out = {h.id for h in self.headings if h.id}
        out.update(d.attrs.id for d in self.divs if d.attrs.id)
        for b in self.blocks:
            if b.attrs and b.attrs.id:
                out.add(b.attrs.id)
            for link in b.links:
                if link.image and link.attrs and link.attrs.id:
                    out.add(link.attrs.id)
            out.update(b.span_ids)
        return out

    def all_blocks(self):
        yield from self.blocks
        for n in self.notes:
            yield from n.blocks


# --- regular expressions ----------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_DIV_OPEN = re.compile(r"^ {0,3}:{3,}[ \t]*(\{[^}]*\}|[^\s{}:]+)[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^ {0,3}:{3,}[ \t]*$")
# pandoc: no indentation before '#', and a space after it
_ATX = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^ {0,3}[-+*](?=[ \t]|$)")
_ORDERED = re.compile(
    r"^ {0,3}(?:(\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)([.)])"
    r"|\((\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+|@[\w-]*)\))"
    r"(?=[ \t]|$)"
)
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_NOTE_MARK = re.compile(r"^ {0,3}\[\^[^\]\s]+\]")
_NOTE_REF = re.compile(r"\[\^([^\]\s\[]+)\]")
_QUOTE = re.compile(r"^ {0,3}> ?")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_GRID = re.compile(r"^\s*\+[-=:+]+\+\s*$")
_SIMPLE_SEP = re.compile(r"^\s*-{2,}(\s+-{2,})+\s*$")
_CAPTION = re.compile(r"^ {0,3}(Table:|table:|:)\s")
_TRAILING_ATTR = re.compile(r"\s*(\{[^{}]*\})\s*$")
_ATTR_TOKEN = re.compile(
    r"""#([^\s}]+)|\.([^\s}.#=]+)|([A-Za-z_][\w.:-]*)=("[^"]*"|'[^']*'|[^\s}]*)|(?<![^\s{])(-)(?=[\s}]|$)"""
)
_KEY = r"(?:\{([^{}]+)\}|([\w](?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
_CITE_IN_BRACKET = re.compile(r"(?<![^\s;\[(])-?@" + _KEY)
_BARE_CITE = re.compile(r"-?@" + _KEY)
# bounded repetitions: an unclosed '<' must not make the scan quadratic
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]{0,2000}>")
_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]{0,2000}|[^<>\s@]{1,200}@[^<>\s@]{1,200}\.[^<>\s]{1,200})>"
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BACKTICKS = re.compile(r"`+")

# Containers (lists, quotes) nested deeper than this are read as plain text:
# real reports nest a few levels, and a hostile file must not exhaust the stack.
MAX_NESTING = 40


def parse_attrs(text: str, line: int = 0, column: int = 0) -> Attrs:
    """Parse a pandoc attribute block ``{#id .class key="v"}``; ``line``/``column``
    give the position of its ``{`` so attribute positions can be reported."""
    attrs = Attrs()
    inner = text.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner_start = text.index("{") + 1
        inner = text[inner_start : text.rindex("}")]
    else:
        # bare class word: ``::: intern``
        attrs.classes.append(inner)
        return attrs
    for m in _ATTR_TOKEN.finditer(inner):
        if m.group(1):
            attrs.id = m.group(1)
        elif m.group(2):
            attrs.classes.append(m.group(2))
        elif m.group(3):
            value = m.group(4)
            if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
                value = value[1:-1]
            attrs.kv[m.group(3)] = value
            attrs.kv_pos[m.group(3)] = (line, column + inner_start + m.start())
        elif m.group(5):
            attrs.classes.append("unnumbered")  # pandoc's shorthand {-}
    return attrs


def auto_identifier(text: str) -> str:
    """pandoc's ``auto_identifiers`` algorithm (markdown extension): keep
    letters, digits, ``_-.`` and white space; words joined by one hyphen;
    nothing before the first letter."""
    s = "-".join("".join(ch for ch in text.lower() if ch.isalnum() or ch in "_-." or ch.isspace()).split())
    i = 0
    while i < len(s) and not s[i].isalpha():
        i += 1
    return s[i:] or "section"


def _strip_inline(text: str) -> str:
    """Plain text of a heading: no notes, citations, emphasis marks or attributes."""
    text = re.sub(r"\^\[[^\]]*\]|\[\^[^\]]*\]", "", text)
    text = re.sub(r"\[[^\]]*@[^\]]*\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`~]", "", text)
    return " ".join(text.split())


def _id_text(text: str, notes: set[str]) -> str:
    """A heading's text as pandoc stringifies it for an identifier: notes and
    markup go, link/image/span text and a citation's own text stay (and so
    does a reference to a note that is not defined: pandoc prints it as is)."""
    text = re.sub(r"\^\[(?:[^\[\]]|\[[^\[\]]*\])*\]", "", text)
    text = _NOTE_REF.sub(lambda m: "" if m.group(1) in notes else m.group(0), text)
    text = re.sub(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?:\([^)]*\)(?:\{[^}]*\})?|\{[^}]*\})", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)
    text = re.sub(r"(?<![\w\\])_+|(?<!\\)_+(?!\w)", "", text)  # emphasis, not snake_case
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split())


# --- block scanner ----------------------------------------------------------

Line = tuple[int, int, str]  # (line number, column of text[0], text)


def _indent(s: str) -> int:
    n = 0
    for ch in s:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4 - n % 4
        else:
            break
    return n


def _dedent(ln: Line, n: int) -> Line:
    """Remove up to ``n`` columns of leading white space."""
    lineno, col, s = ln
    removed = 0
    i = 0
    while i < len(s) and removed < n and s[i] in " \t":
        step = 4 - removed % 4 if s[i] == "\t" else 1
        if removed + step > n:
            break
        removed += step
        i += 1
    return (lineno, col + i, s[i:])


def _blank(s: str) -> bool:
    return not s.strip()


def _list_marker(s: str) -> tuple[tuple, int] | None:
    """(list type, end of the marker) when ``s`` starts a list item.

    Items of one list share the type: any bullet, or an ordered marker with the
    same numbering family and delimiter (``#.`` joins any family)."""
    if _HR.match(s):
        return None
    m = _BULLET.match(s)
    if m:
        return ("bullet",), m.end()
    m = _ORDERED.match(s)
    if not m:
        return None
    if m.group(1) is not None:
        value, delim = m.group(1), m.group(2)
    else:
        value, delim = m.group(3), "()"
    if value.isdigit():
        family = "decimal"
    elif value == "#":
        family = "default"
    elif value.startswith("@"):
        family = "example"
    else:
        family = "lower" if value.islower() else "upper"
        # "B. Russell": a capital and a full stop start a list only with two spaces
        if family == "upper" and delim == "." and (len(value) == 1) and not s[m.end() :].startswith(("  ", "\t")):
            return None
    return ("ordered", family, delim), m.end()


def _same_list(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "bullet":
        return True
    return a[2] == b[2] and (a[1] == b[1] or "default" in (a[1], b[1]))


class _Scanner:
    """Block structure, the way pandoc's Markdown reader sees it.

    Containers (list items, block quotes, footnote bodies) are cut out of the
    line list and scanned recursively, as pandoc does; every line keeps its
    source line and column, so blocks can report exact positions.
    """

    def __init__(self, chapter: Chapter, comment_lines: set[int]):
        self.ch = chapter
        # lines that held only an HTML comment: a paragraph runs on across them
        self.comment_lines = comment_lines
        self.div: Div | None = None
        self.section: Heading | None = None
        self.list_counter = 0
        self.list_depth = 0

    def _is_blank(self, ln: Line) -> bool:
        return _blank(ln[2]) and ln[0] not in self.comment_lines

    def _closes_div(self, s: str) -> bool:
        return self.div is not None and bool(_DIV_CLOSE.match(s))

    def scan(
        self, lines: list[Line], note: NoteDef | None = None, in_list: bool = False, depth: int = 0
    ) -> list[Block]:
        blocks: list[Block] = []
        outer_div = self.div  # divs opened in these lines are closed by them
        lead: Block | None = None  # the paragraph just before, which may introduce a list
        table_before = False  # a table just before, at this level: a caption may follow
        fences = _FenceIndex(lines)
        i = 0
        n = len(lines)
        while i < n:
            lineno, col, s = lines[i]
            if _blank(s):
                i += 1
                continue
            ind = _indent(s)
            prev_lead, lead = lead, None
            prev_table, table_before = table_before, False

            # The order of the tests is pandoc's: a fenced div, then a bullet
            # list, then a setext heading (its underline wins over almost any
            # reading of the line above it), then the rest.
            m = _DIV_OPEN.match(s)
            if m:
                brace = s.find("{")
                attrs = parse_attrs(m.group(1), lineno, col + (brace if brace >= 0 else s.index(m.group(1))))
                d = Div(attrs, lineno, col + ind, parent=self.div)
                self.ch.divs.append(d)
                self.div = d
                i += 1
                continue
            if _DIV_CLOSE.match(s) and self.div is not outer_div:
                self.div.end_line = lineno
                self.div = self.div.parent
                i += 1
                continue

            lm = _list_marker(s) if depth < MAX_NESTING else None
            if lm and lm[0][0] == "bullet":
                i = self._new_list(lines, i, lm[0], prev_lead, blocks, note, depth, fences)
                continue

            if i + 1 < n and _SETEXT.match(lines[i + 1][2]):
                level = 1 if lines[i + 1][2].strip().startswith("=") else 2
                self._heading(level, s.strip(), lineno, col, s, ind, blocks, note, atx=False)
                i += 2
                continue

            m = _FENCE.match(s)
            if m:
                close = fences.close(i)
                if close >= 0:
                    blocks.append(
                        self._block(
                            "code",
                            lines[i + 1 : close],
                            lineno,
                            col + ind,
                            note,
                            end_line=lines[close][0],
                            scan_inline=False,
                        )
                    )
                    i = close + 1
                    continue
                # unclosed: pandoc reads the fence as text

            m = _ATX.match(s)
            if m:
                self._heading(
                    len(m.group(1)),
                    m.group(2) or "",
                    lineno,
                    col,
                    s,
                    m.start(2) if m.group(2) else len(s),
                    blocks,
                    note,
                )
                i += 1
                continue

            if ind >= 4:
                j = i
                while j < n and (_blank(lines[j][2]) or _indent(lines[j][2]) >= 4):
                    j += 1
                while j > i and _blank(lines[j - 1][2]):
                    j -= 1
                blocks.append(self._block("code", lines[i:j], lineno, col + ind, note, scan_inline=False))
                i = j
                continue

            m = _NOTE_DEF.match(s)
            if m and note is None:
                i = self._note_def(lines, i, m)
                continue

            if _HR.match(s):
                i += 1
                continue

            if depth < MAX_NESTING and _QUOTE.match(s):
                j = i
                quoted: list[Line] = []
                while j < n and not self._is_blank(lines[j]) and not self._closes_div(lines[j][2]):
                    qm = _QUOTE.match(lines[j][2])
                    if qm:
                        quoted.append((lines[j][0], lines[j][1] + qm.end(), lines[j][2][qm.end() :]))
                    elif _blank(quoted[-1][2]) or _ATX.match(quoted[-1][2]):
                        break  # a line without '>' only continues a paragraph
                    else:
                        quoted.append(lines[j])
                    j += 1
                blocks.extend(self.scan(quoted, note, False, depth + 1))
                i = j
                continue

            if lm:
                i = self._new_list(lines, i, lm[0], prev_lead, blocks, note, depth, fences)
                continue

            pipe = i + 1 < n and "|" in s and _PIPE_SEP.match(lines[i + 1][2]) and "-" in lines[i + 1][2]
            if (
                pipe
                or _GRID.match(s)
                or (i + 1 < n and _SIMPLE_SEP.match(lines[i + 1][2]))
                or (_SIMPLE_SEP.match(s) and i + 1 < n and not _blank(lines[i + 1][2]))
            ):
                j = i + 1
                # a pipe table ends at the first line without a pipe (a caption may follow directly)
                while j < n and not _blank(lines[j][2]) and (not pipe or "|" in lines[j][2]):
                    j += 1
                blocks.append(self._block("table", lines[i:j], lineno, col + ind, note))
                table_before = True
                i = j
                continue

            # a paragraph, a table caption or a figure
            caption = bool(_CAPTION.match(s)) and (prev_table or self._table_follows(lines, i + 1))
            j = i + 1
            while j < n:
                if caption and _TRAILING_ATTR.search(lines[j - 1][2]):
                    break  # pandoc: the caption's attributes end it
                t = lines[j][2]
                if self._is_blank(lines[j]) or self._closes_div(t):
                    break
                if t.startswith("`") and _FENCE.match(t) and fences.close(j) >= 0:
                    break  # pandoc: a backtick fence interrupts a paragraph, a tilde fence does not
                if in_list and _list_marker(t):
                    break  # in a list item a nested list needs no blank line before it
                j += 1
            para_lines = [_dedent(ln, _indent(ln[2])) for ln in lines[i:j]]
            kind = "caption" if caption else "para"
            b = self._block(kind, para_lines, lineno, col + ind, note)
            if kind == "para" and _is_figure(b):
                b.kind = "figure"
            if kind == "caption":
                am = _TRAILING_ATTR.search(b.text)
                if am:
                    b.attrs = parse_attrs(am.group(1))
            if b.kind == "para":
                lead = b
            blocks.append(b)
            i = j
        while self.div is not outer_div:
            self.ch.unclosed.append((self.div.line, self.div.column, "fenced div"))
            self.div = self.div.parent
        return blocks

    def _table_follows(self, lines: list[Line], j: int) -> bool:
        while j < len(lines) and _blank(lines[j][2]):
            j += 1
        if j >= len(lines):
            return False
        s = lines[j][2]
        return bool(
            _GRID.match(s)
            or (j + 1 < len(lines) and "|" in s and _PIPE_SEP.match(lines[j + 1][2]))
            or (j + 1 < len(lines) and _SIMPLE_SEP.match(lines[j + 1][2]))
        )

    def _heading(
        self,
        level: int,
        content: str,
        lineno: int,
        col: int,
        s: str,
        start: int,
        blocks: list[Block],
        note: NoteDef | None,
        atx: bool = True,
    ) -> None:
        attrs = Attrs()
        text = content
        am = _TRAILING_ATTR.search(content)
        if am and am.start(1) > 0 and content[am.start(1) - 1] in ")]`":
            am = None  # the attributes of an image, link, span or code span
        if am:
            attr_col = col + start + am.start(1)
            attrs = parse_attrs(am.group(1), lineno, attr_col)
            text = content[: am.start()]
        if atx:
            text = re.sub(r"[ \t]*#+[ \t]*$", "", text)
        text = text.strip()
        h = Heading(level, _strip_inline(text), attrs, lineno, col + _indent(s), div=self.div)
        h.id = attrs.id or ""
        h.id_text = text
        self.ch.headings.append(h)
        self.section = h
        # the heading's inline content is a block of its own: citations count
        # for its section, and its notes, links and HTML are checked like any
        hb = Block(
            "heading", text, lineno, col + start, lineno, div=self.div, section=h, note=note.label if note else None
        )
        hb._starts, hb._lines, hb._cols = [0], [lineno], [col + start]
        _Inline(hb).run()
        h.cites = hb.cites
        h.block = hb
        blocks.append(hb)

    def _note_def(self, lines: list[Line], i: int, m: re.Match) -> int:
        lineno, col, s = lines[i]
        nd = NoteDef(m.group(1), lineno, col + _indent(s))
        body: list[Line] = [(lineno, col + m.end(), s[m.end() :])]
        j = i + 1
        n = len(lines)
        while j < n:
            ln = lines[j]
            t = ln[2]
            if self._is_blank(ln):
                # after blank lines the note goes on only with an indented line
                k = j
                while k < n and self._is_blank(lines[k]):
                    k += 1
                if k < n and _indent(lines[k][2]) >= 4:
                    body.extend(lines[j:k])
                    j = k
                    continue
                break
            if _NOTE_MARK.match(t) or self._closes_div(t):
                break
            body.append(_dedent(ln, 4))
            j += 1
        saved_div, saved_section = self.div, self.section
        self.div = None  # a div around the definition does not reach into the note
        nd.blocks = self.scan(body, nd)
        self.div, self.section = saved_div, saved_section
        for b in nd.blocks:
            b.note = nd.label
            b.div = b.div or saved_div
        self.ch.notes.append(nd)
        return j

    def _new_list(
        self,
        lines: list[Line],
        i: int,
        kind: tuple,
        lead: Block | None,
        blocks: list[Block],
        note: NoteDef | None,
        depth: int,
        fences: _FenceIndex,
    ) -> int:
        self.list_counter += 1
        if lead is not None:
            lead.lead_list = self.list_counter
        return self._list(lines, i, kind, self.list_counter, blocks, note, depth, fences)

    def _list(
        self,
        lines: list[Line],
        i: int,
        kind: tuple,
        list_id: int,
        blocks: list[Block],
        note: NoteDef | None,
        depth: int,
        fences: _FenceIndex,
    ) -> int:
        """Scan the list that starts at ``lines[i]``; return the index after it.

        Follows pandoc: an item's first lines run on lazily until a blank line
        or a new list marker; after blank lines, only lines indented to the
        item's content column continue it."""
        n = len(lines)
        while True:
            lineno, col, s = lines[i]
            _, mend = _list_marker(s)
            # content column: 1-4 spaces after the marker; 5 or more start an
            # indented code block one column after it
            k = mend
            width = mend
            while k < len(s) and s[k] in " \t":
                width = width + 1 if s[k] == " " else (width // 4 + 1) * 4
                k += 1
            if k >= len(s):
                cont, first = mend + 1, (lineno, col + len(s), "")
            elif width - mend > 4:
                cont, first = mend + 1, (lineno, col + mend + 1, s[mend + 1 :])
            else:
                cont, first = width, (lineno, col + k, s[k:])
            item: list[Line] = [first]
            j = i + 1
            while j < n:
                t = lines[j][2]
                if self._is_blank(lines[j]) or self._closes_div(t) or (_FENCE.match(t) and fences.close(j) >= 0):
                    break
                ti = _indent(t)
                if (ti < 4 or ti >= cont) and _list_marker(t.lstrip(" \t")):
                    break
                item.append(_dedent(lines[j], cont))
                j += 1
            while True:
                k = j
                while k < n and self._is_blank(lines[k]):
                    k += 1
                if k >= n or _indent(lines[k][2]) < cont or self._closes_div(lines[k][2]):
                    break
                item.extend((ln, c, "") for ln, c, _ in lines[j:k])
                item.append(_dedent(lines[k], cont))
                j = k + 1
                while j < n:
                    t = lines[j][2]
                    if self._is_blank(lines[j]) or self._closes_div(t):
                        break
                    if _indent(t) >= cont:
                        item.append(_dedent(lines[j], cont))
                    elif _list_marker(t):
                        break
                    else:
                        item.append(lines[j])  # lazy continuation
                    j += 1
            self.list_depth += 1
            inner = self.scan(item, note, True, depth + 1)
            self.list_depth -= 1
            # the item's text is a paragraph that starts where the item does
            # (not one inside a block quote or other container in the item)
            start = next(((ln, c + _indent(s)) for ln, c, s in item if not self._is_blank((ln, c, s))), None)
            if inner and inner[0].kind == "para" and (inner[0].line, inner[0].column) == start:
                inner[0].kind = "item"
                inner[0].list_id = list_id
                inner[0].list_depth = self.list_depth
            blocks.extend(inner)
            k = j
            while k < n and self._is_blank(lines[k]):
                k += 1
            if k < n and not self._closes_div(lines[k][2]):
                nxt = _list_marker(lines[k][2])
                if nxt and _same_list(kind, nxt[0]):
                    i = k
                    continue
            return j

    def _block(
        self,
        kind: str,
        lines: list[Line],
        lineno: int,
        col: int,
        note: NoteDef | None,
        end_line: int | None = None,
        scan_inline: bool = True,
    ) -> Block:
        parts: list[str] = []
        starts: list[int] = []
        lns: list[int] = []
        cols: list[int] = []
        off = 0
        for ln, c, s in lines:
            starts.append(off)
            lns.append(ln)
            cols.append(c)
            parts.append(s)
            off += len(s) + 1
        text = "\n".join(parts)
        b = Block(
            kind,
            text,
            lines[0][0] if lines else lineno,
            (lines[0][1] if lines else col) if kind in ("para", "item", "caption", "figure") else col,
            end_line or (lines[-1][0] if lines else lineno),
            div=self.div,
            section=self.section,
            note=note.label if note else None,
        )
        b._starts, b._lines, b._cols = starts, lns, cols
        if scan_inline:
            _Inline(b).run()
        return b


def _is_figure(b: Block) -> bool:
    """pandoc's implicit figure: an image alone in its paragraph."""
    if len(b.links) != 1 or not b.links[0].image or b.inline_notes or b.note_refs or b.raw_html:
        return False
    link = b.links[0]
    text = b.text
    return link.offset == len(text) - len(text.lstrip()) and link.end == len(text.rstrip())


class _FenceIndex:
    """Closing fence of each opening fence in a list of lines, found lazily.

    Remembers, per fence character, the shortest fence that has no closing
    fence below a given line, so a file full of unclosed fences stays linear."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.cache: dict[int, int] = {}
        self.unclosed: dict[str, tuple[int, int]] = {}  # char -> (from line index, min length)

    def close(self, i: int) -> int:
        if i in self.cache:
            return self.cache[i]
        m = _FENCE.match(self.lines[i][2])
        fence = m.group(1)
        ch, size = fence[0], len(fence)
        if ch == "`" and "`" in m.group(2):
            self.cache[i] = -1  # pandoc: no backticks in a backtick fence's info string
            return -1
        known = self.unclosed.get(ch)
        if known and i >= known[0] and size >= known[1]:
            self.cache[i] = -1
            return -1
        result = -1
        for j in range(i + 1, len(self.lines)):
            t = self.lines[j][2].strip()
            if t[:1] == ch and len(t) >= size and t == ch * len(t) and _indent(self.lines[j][2]) < 4:
                result = j
                break
        if result < 0:
            self.unclosed[ch] = (i, size)
        self.cache[i] = result
        return result


# --- inline scanner -----------------------------------------------------------


def _pairs(t: str, skip: dict[int, int], open_ch: str, close_ch: str) -> dict[int, int]:
    """Matching ``close_ch`` of every ``open_ch`` in ``t``, outside code spans and escapes."""
    out: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    n = len(t)
    while i < n:
        c = t[i]
        if c == "\\":
            i += 2
            continue
        if c == "`" and i in skip:
            i = skip[i]
            continue
        if c == open_ch:
            stack.append(i)
        elif c == close_ch and stack:
            out[stack.pop()] = i
        i += 1
    return out


def _code_spans(t: str) -> dict[int, int]:
    """start -> end of every code span: a backtick run closed by the next run of
    the same length (pandoc, like CommonMark)."""
    if "`" not in t:
        return {}
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(t) if not _escaped(t, m.start())]
    by_len: dict[int, list[int]] = {}
    for k, (s, e) in enumerate(runs):
        by_len.setdefault(e - s, []).append(k)
    spans: dict[int, int] = {}
    k = 0
    while k < len(runs):
        s, e = runs[k]
        # pandoc: when no run of the same length closes it, one backtick is
        # literal and the shorter run after it is tried
        for size in range(e - s, 0, -1):
            same = by_len.get(size, ())
            nxt = bisect.bisect_right(same, k)
            if nxt < len(same):
                close = same[nxt]
                spans[e - size] = runs[close][1]
                k = close + 1
                break
        else:
            k += 1
    return spans


def _escaped(t: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and t[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


class _Inline:
    """Finds citations, notes, links, images and raw HTML in one block's text."""

    MAX_DEPTH = 20  # nested link texts and notes

    def __init__(self, block: Block):
        self.b = block
        self.t = block.text
        self.code = _code_spans(self.t)
        self.brackets = _pairs(self.t, self.code, "[", "]") if "[" in self.t else {}
        self.parens = _pairs(self.t, self.code, "(", ")") if "(" in self.t else {}
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
        while i < end:
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
                m = _NOTE_REF.match(t, i, end)
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
                        for m in _CITE_IN_BRACKET.finditer(t, i + 1, k):
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
                m = _BARE_CITE.match(t, i, end)
                if m:
                    key = m.group(1) or m.group(2)
                    self._add_cite(key, i, in_note, note)
                    if not in_note:
                        b.cite_spans.append((i, m.end()))
                    i = m.end()
                    continue
            if c == "<":
                m = _AUTOLINK.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    target = m.group(1)
                    if ":" not in target:
                        target = "mailto:" + target  # <naam@example.org>, as pandoc links it
                    b.links.append(Link(m.group(1), target, line, col, offset=i, end=m.end()))
                    i = m.end()
                    continue
                m = _HTML_TAG.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    b.raw_html.append(RawHtml(m.group(0), line, col, i, m.end()))
                    i = m.end()
                    continue
            i += 1


# --- entry point ------------------------------------------------------------


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_CODE_SPAN_RUN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks and code spans, in order."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _FENCE_LINE.search(text, pos)
        if not m:
            break
        fence = m.group(1)
        close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        c = close.search(text, text.find("\n", m.end()) + 1 if "\n" in text[m.end() :] else len(text))
        if not c:
            break  # unclosed: pandoc reads the fence as text
        ranges.append((m.start(), c.end()))
        pos = c.end()
    spans = []
    for m in _CODE_SPAN_RUN.finditer(text):
        if not _inside(ranges, m.start()):
            spans.append((m.start(), m.end()))
    return sorted(ranges + spans)


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _mask_comments(text: str, chapter: Chapter) -> tuple[str, set[int]]:
    """Blank out HTML comments, keeping every other character's line and column.

    Returns the masked text and the numbers of the lines that held nothing but
    a comment (pandoc reads such a line inside a paragraph as part of it)."""
    if "<!--" not in text:
        return text, set()
    code = _code_ranges(text)
    out = []
    last = 0
    line = 1
    line_start = 0
    for m in _COMMENT.finditer(text):
        if _inside(code, m.start()):
            continue  # "<!--" in code is code: pandoc prints it
        nl = text.count("\n", last, m.start())
        if nl:
            line += nl
            line_start = text.rfind("\n", last, m.start()) + 1
        chapter.comments.append(Comment(m.group(0), line, m.start() - line_start + 1))
        out.append(text[last : m.start()])
        out.append("".join("\n" if ch == "\n" else " " for ch in m.group(0)))
        last = m.end()
        nl = m.group(0).count("\n")
        if nl:
            line += nl
            line_start = text.rfind("\n", m.start(), m.end()) + 1
    out.append(text[last:])
    masked = "".join(out)
    comment_lines = set()
    for c in chapter.comments:
        for k in range(c.line, c.line + c.text.count("\n") + 1):
            comment_lines.add(k)
    orig = text.split("\n")
    new = masked.split("\n")
    only = {k for k in comment_lines if not new[k - 1].strip() and orig[k - 1].strip()}
    for k in only:
        new[k - 1] = ""  # not "    ": a masked comment must not look like an indented line
    return "\n".join(new), only


def parse_chapter(path: Path, text: str) -> Chapter:
    """Scan a chapter's text (already BOM- and CRLF-normalised)."""
    ch = Chapter(path=path, text=text)
    body = text
    lines = text.split("\n", 2)
    # pandoc: "---" followed by a blank line is a horizontal rule, not metadata
    if lines[0].rstrip() == "---" and len(lines) > 1 and lines[1].strip():
        lines = text.split("\n")
        for k in range(1, len(lines)):
            if lines[k].rstrip() in ("---", "..."):
                ch.front_matter = "\n".join(lines[1:k])
                ch.front_matter_line = 2
                # keep line numbers: the front matter becomes blank lines
                body = "\n" * (k + 1) + "\n".join(lines[k + 1 :])
                break
    body, comment_lines = _mask_comments(body, ch)
    lines = [(i + 1, 1, s) for i, s in enumerate(body.split("\n"))]
    sc = _Scanner(ch, comment_lines)
    ch.blocks = sc.scan(lines)
    # unique heading ids the way pandoc makes them: an auto id skips every id
    # already used above it, explicit or automatic
    used: set[str] = set()
    defined = {nd.label for nd in ch.notes}
    for h in ch.headings:
        if not h.id:
            base = auto_identifier(_id_text(h.id_text, defined))
            ident, k = base, 0
            while ident in used:
                k += 1
                ident = f"{base}-{k}"
            h.id = ident
        used.add(h.id)
    return ch
