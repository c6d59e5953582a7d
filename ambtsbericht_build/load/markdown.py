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
    attrs: "Attrs | None" = None


@dataclass
class RawHtml:
    text: str
    line: int
    column: int


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
    parent: "Div | None" = None

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
    list_id: int = 0  # items of one list share it; the paragraph before a list knows it
    list_depth: int = 0
    cites: list[Cite] = field(default_factory=list)
    note_refs: list[NoteRef] = field(default_factory=list)
    inline_notes: list[InlineNote] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    raw_html: list[RawHtml] = field(default_factory=list)
    attrs: Attrs | None = None  # figure/table/caption id
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
        return out

    def all_blocks(self):
        yield from self.blocks
        for n in self.notes:
            yield from n.blocks


# --- regular expressions ----------------------------------------------------

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_DIV_OPEN = re.compile(r"^ {0,3}(:{3,})\s*(\{[^}]*\}|[^\s{}:]+)\s*:*\s*$")
_DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^( {0,3})([-+*])( +|$)")
_ORDERED = re.compile(r"^( {0,3})(\d{1,9}[.)]|#[.)]|\(\d{1,9}\)|[a-zA-Z][.)](?= {1,}))( +|$)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_QUOTE = re.compile(r"^ {0,3}> ?")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_GRID = re.compile(r"^\s*\+[-=:+]+\+\s*$")
_SIMPLE_SEP = re.compile(r"^\s*-{2,}(\s+-{2,})+\s*$")
_CAPTION = re.compile(r"^ {0,3}(Table:|table:|:)\s")
_TRAILING_ATTR = re.compile(r"\s*(\{[^{}]*\})\s*$")
_ATTR_TOKEN = re.compile(r"""#([^\s}]+)|\.([^\s}.#=]+)|([A-Za-z_][\w.:-]*)=("[^"]*"|'[^']*'|[^\s}]*)""")
_KEY = r"(?:\{([^{}]+)\}|([\w](?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
_CITE_IN_BRACKET = re.compile(r"(?:^|[\s;\[(-])-?@" + _KEY)
_BARE_CITE = re.compile(r"-?@" + _KEY)
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+\.[^<>\s]+)>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE_ONLY = re.compile(r"^!\[.*\]\([^)]*\)(\{[^}]*\})?$", re.S)


def parse_attrs(text: str, line: int = 0, column: int = 0) -> Attrs:
    """Parse a pandoc attribute block ``{#id .class key="v"}``; ``line``/``column``
    give the position of its ``{`` so attribute positions can be reported."""
    attrs = Attrs()
    inner = text.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner_start = text.index("{") + 1
        inner = text[inner_start:text.rindex("}")]
    else:
        inner_start = 0
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
    return attrs


def auto_identifier(text: str) -> str:
    """pandoc's ``auto_identifiers`` algorithm (markdown extension)."""
    out = []
    for ch in text.lower():
        if ch.isalnum() or ch in "_-.":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    s = "".join(out)
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
        removed += 4 - removed % 4 if s[i] == "\t" else 1
        i += 1
    return (lineno, col + i, s[i:])


def _blank(s: str) -> bool:
    return not s.strip()


class _Scanner:
    def __init__(self, chapter: Chapter):
        self.ch = chapter
        self.div: Div | None = None
        self.section: Heading | None = None
        self.list_counter = 0

    # The scanner is recursive over containers (list items, quotes, notes);
    # ``note`` is the label when scanning a footnote definition's body.
    def scan(self, lines: list[Line], note: NoteDef | None = None, depth: int = 0) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        n = len(lines)
        prev_blank = True
        while i < n:
            lineno, col, s = lines[i]
            if _blank(s):
                i += 1
                prev_blank = True
                continue
            ind = _indent(s)

            m = _FENCE.match(s)
            if m:
                fence = m.group(2)
                j = i + 1
                while j < n and not (
                    lines[j][2].strip().startswith(fence[0] * len(fence))
                    and set(lines[j][2].strip()) == {fence[0]}
                ):
                    j += 1
                end = lines[min(j, n - 1)][0]
                blocks.append(self._block("code", lines[i + 1 : j], lineno, col + ind, note, end_line=end, scan_inline=False))
                i = j + 1
                prev_blank = False
                continue

            m = _DIV_OPEN.match(s)
            if m and not _DIV_CLOSE.match(s):
                brace = s.find("{")
                attrs = parse_attrs(m.group(2), lineno, col + (brace if brace >= 0 else s.index(m.group(2))))
                d = Div(attrs, lineno, col + ind, parent=self.div)
                self.ch.divs.append(d)
                self.div = d
                i += 1
                prev_blank = True
                continue
            if _DIV_CLOSE.match(s) and self.div is not None and depth == 0:
                self.div.end_line = lineno
                self.div = self.div.parent
                i += 1
                prev_blank = True
                continue

            m = _ATX.match(s)
            if m and (prev_blank or i == 0):
                self._heading(len(m.group(1)), m.group(2) or "", lineno, col, s, m.start(2) if m.group(2) else len(s))
                i += 1
                prev_blank = True
                continue

            if ind >= 4 and prev_blank and depth >= 0 and note is None and not self._in_list_context(blocks):
                j = i
                while j < n and (_blank(lines[j][2]) or _indent(lines[j][2]) >= 4):
                    j += 1
                blocks.append(self._block("code", lines[i:j], lineno, col + ind, note, scan_inline=False))
                i = j
                continue

            m = _NOTE_DEF.match(s)
            if m and note is None:
                i = self._note_def(lines, i, m)
                prev_blank = True
                continue

            if _QUOTE.match(s):
                j = i
                quoted: list[Line] = []
                while j < n and not _blank(lines[j][2]):
                    qm = _QUOTE.match(lines[j][2])
                    if qm:
                        quoted.append((lines[j][0], lines[j][1] + qm.end(), lines[j][2][qm.end():]))
                    else:
                        quoted.append(lines[j])
                    j += 1
                blocks.extend(self.scan(quoted, note, depth + 1))
                i = j
                prev_blank = False
                continue

            lm = _BULLET.match(s) or _ORDERED.match(s)
            if lm and (prev_blank or depth > 0 and i == 0 or (blocks and blocks[-1].kind == "item" and blocks[-1].end_line == lines[i - 1][0])):
                i = self._list(lines, i, blocks, note, depth)
                prev_blank = False
                continue

            if _HR.match(s) and prev_blank:
                i += 1
                prev_blank = True
                continue

            if _GRID.match(s) or (i + 1 < n and "|" in s and _PIPE_SEP.match(lines[i + 1][2]) and "-" in lines[i + 1][2]) or (
                i + 1 < n and _SIMPLE_SEP.match(lines[i + 1][2])
            ) or (_SIMPLE_SEP.match(s) and i + 1 < n and not _blank(lines[i + 1][2])):
                j = i
                while j < n and not _blank(lines[j][2]):
                    j += 1
                blocks.append(self._block("table", lines[i:j], lineno, col + ind, note))
                i = j
                prev_blank = True
                continue

            # paragraph (or setext heading, caption, figure)
            j = i + 1
            while j < n:
                t = lines[j][2]
                if _blank(t):
                    break
                if _FENCE.match(t) or _DIV_OPEN.match(t) or _DIV_CLOSE.match(t):
                    break
                if _NOTE_DEF.match(t) and note is None:
                    break
                if _SETEXT.match(t) and j == i + 1:
                    break
                j += 1
            if j < n and j == i + 1 and _SETEXT.match(lines[j][2]) and not _blank(s):
                level = 1 if lines[j][2].strip().startswith("=") else 2
                self._heading(level, s.strip(), lineno, col, s, ind)
                i = j + 1
                prev_blank = True
                continue
            para_lines = [_dedent(ln, _indent(ln[2])) for ln in lines[i:j]]
            kind = "para"
            text0 = para_lines[0][2]
            if _CAPTION.match(s) and (
                (blocks and blocks[-1].kind == "table") or (j < n and self._table_follows(lines, j))
            ):
                kind = "caption"
            b = self._block(kind, para_lines, lineno, col + ind, note)
            if kind == "para" and _IMAGE_ONLY.match(b.text.strip()):
                b.kind = "figure"
            if kind == "caption":
                am = _TRAILING_ATTR.search(b.text)
                if am:
                    b.attrs = parse_attrs(am.group(1))
            del text0
            blocks.append(b)
            i = j
            prev_blank = False
        if depth == 0:
            self.ch.blocks.extend(blocks) if note is None else None
        return blocks

    def _in_list_context(self, blocks: list[Block]) -> bool:
        return False

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

    def _heading(self, level: int, content: str, lineno: int, col: int, s: str, start: int) -> None:
        attrs = Attrs()
        text = content
        am = _TRAILING_ATTR.search(content)
        if am:
            attr_col = col + start + am.start(1)
            attrs = parse_attrs(am.group(1), lineno, attr_col)
            text = content[: am.start()]
        text = re.sub(r"\s+#+\s*$", "", text).strip()
        h = Heading(level, _strip_inline(text), attrs, lineno, col + _indent(s), div=self.div)
        h.id = attrs.id or ""
        # citations in headings are unusual but count for the section
        tmp = Block("heading", text, lineno, col + start, lineno)
        tmp._starts, tmp._lines, tmp._cols = [0], [lineno], [col + start]
        _Inline(tmp).run()
        h.cites = tmp.cites
        self.ch.headings.append(h)
        self.section = h

    def _note_def(self, lines: list[Line], i: int, m: re.Match) -> int:
        lineno, col, s = lines[i]
        nd = NoteDef(m.group(1), lineno, col + _indent(s))
        body: list[Line] = [(lineno, col + m.end(), s[m.end():])]
        j = i + 1
        n = len(lines)
        while j < n:
            t = lines[j][2]
            if _blank(t):
                # continues only if the next non-blank line is indented
                k = j
                while k < n and _blank(lines[k][2]):
                    k += 1
                if k < n and _indent(lines[k][2]) >= 4:
                    body.extend(lines[j:k])
                    j = k
                    continue
                break
            if _indent(t) >= 4:
                body.append(_dedent(lines[j], 4))
            elif _NOTE_DEF.match(t) or _DIV_CLOSE.match(t) or _DIV_OPEN.match(t) or _ATX.match(t):
                break
            else:
                body.append(lines[j])  # lazy continuation
            j += 1
        saved_div = self.div
        nd.blocks = self.scan(body, nd, depth=1)
        self.div = saved_div
        for b in nd.blocks:
            b.note = nd.label
        self.ch.notes.append(nd)
        return j

    def _list(self, lines: list[Line], i: int, blocks: list[Block], note: NoteDef | None, depth: int) -> int:
        self.list_counter += 1
        list_id = self.list_counter
        if blocks and blocks[-1].kind == "para" and not blocks[-1].list_id:
            blocks[-1].list_id = list_id  # the lead-in paragraph (ends with ':'?)
        n = len(lines)
        base_indent = _indent(lines[i][2])
        while i < n:
            lineno, col, s = lines[i]
            lm = _BULLET.match(s) or _ORDERED.match(s)
            if not lm or _indent(s) < base_indent - 0 and i > 0 and _indent(s) != base_indent:
                break
            if _HR.match(s) and _BULLET.match(s) and s.strip().count(s.strip()[0]) >= 3 and len(set(s.strip().replace(" ", ""))) == 1:
                break
            content_col = lm.end() if lm.group(3) else len(s)
            if lm.group(3) and len(lm.group(3)) > 4:
                content_col = lm.end(2) + 1
            item_lines: list[Line] = [(lineno, col + content_col, s[content_col:])]
            j = i + 1
            while j < n:
                t = lines[j][2]
                if _blank(t):
                    k = j
                    while k < n and _blank(lines[k][2]):
                        k += 1
                    if k < n and _indent(lines[k][2]) >= max(content_col, base_indent + 2):
                        item_lines.extend(lines[j:k])
                        j = k
                        continue
                    break
                ti = _indent(t)
                if ti >= content_col or (ti > base_indent and (_BULLET.match(t) or _ORDERED.match(t))):
                    item_lines.append(_dedent(lines[j], min(ti, content_col)))
                elif (_BULLET.match(t) or _ORDERED.match(t)) and ti <= base_indent:
                    break
                elif _DIV_CLOSE.match(t) or _DIV_OPEN.match(t) or _FENCE.match(t) or _NOTE_DEF.match(t):
                    break
                elif ti < content_col and item_lines and _blank(item_lines[-1][2]):
                    break
                else:
                    item_lines.append(_dedent(lines[j], ti))  # lazy continuation
                j += 1
            inner = self.scan(item_lines, note, depth + 1)
            first = True
            for b in inner:
                if first and b.kind == "para":
                    b.kind = "item"
                    b.list_id = b.list_id if b.list_id and b.list_id != list_id else list_id
                    b.list_depth = depth
                    b.list_id = list_id
                    first = False
                elif first:
                    first = False
                blocks.append(b)
            # next item must be at the same indentation, after optional blank lines
            k = j
            while k < n and _blank(lines[k][2]):
                k += 1
            if k < n and (_BULLET.match(lines[k][2]) or _ORDERED.match(lines[k][2])) and abs(_indent(lines[k][2]) - base_indent) <= 1:
                i = k
                continue
            return j
        return i

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


# --- inline scanner -----------------------------------------------------------


class _Inline:
    """Finds citations, notes, links, images and raw HTML in one block's text."""

    def __init__(self, block: Block):
        self.b = block
        self.t = block.text

    def run(self) -> None:
        self._scan(0, len(self.t), in_note=False, note=None)

    def _match_bracket(self, i: int, end: int) -> int:
        """Index of the ``]`` matching ``[`` at ``i``, or -1."""
        depth = 0
        t = self.t
        j = i
        while j < end:
            c = t[j]
            if c == "\\":
                j += 2
                continue
            if c == "`":
                k = self._code_end(j, end)
                if k > 0:
                    j = k
                    continue
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        return -1

    def _code_end(self, i: int, end: int) -> int:
        t = self.t
        j = i
        while j < end and t[j] == "`":
            j += 1
        run = t[i:j]
        k = t.find(run, j, end)
        while k >= 0:
            e = k + len(run)
            if (e >= end or t[e] != "`") and (k == 0 or t[k - 1] != "`" or k == j):
                return e
            k = t.find(run, e, end)
        return -1

    def _paren_end(self, i: int, end: int) -> int:
        depth = 0
        t = self.t
        for j in range(i, end):
            c = t[j]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return j
            elif c == "\n" and depth > 0 and t[j - 1 : j] == "\n":
                return -1
        return -1

    def _attrs_after(self, j: int, end: int) -> tuple[Attrs | None, int]:
        if j < end and self.t[j] == "{":
            k = self.t.find("}", j, end)
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

    def _scan(self, start: int, end: int, in_note: bool, note: InlineNote | None) -> None:
        t = self.t
        i = start
        b = self.b
        while i < end:
            c = t[i]
            if c == "\\":
                i += 2
                continue
            if c == "`":
                k = self._code_end(i, end)
                if k > 0:
                    i = k
                    continue
                while i < end and t[i] == "`":
                    i += 1
                continue
            if c == "^" and i + 1 < end and t[i + 1] == "[":
                k = self._match_bracket(i + 1, end)
                if k > 0:
                    line, col = b.pos(i)
                    inote = InlineNote(line, col, [], i, k + 1)
                    b.inline_notes.append(inote)
                    self._scan(i + 2, k, True, inote)
                    i = k + 1
                    continue
            if c == "!" and i + 1 < end and t[i + 1] == "[":
                k = self._match_bracket(i + 1, end)
                if k > 0 and k + 1 < end and t[k + 1] == "(":
                    p = self._paren_end(k + 1, end)
                    if p > 0:
                        target = t[k + 2 : p].strip().split()[0] if t[k + 2 : p].strip() else ""
                        target = target.strip("<>")
                        attrs, after = self._attrs_after(p + 1, end)
                        line, col = b.pos(i)
                        b.links.append(Link(t[i + 2 : k], target, line, col, image=True, attrs=attrs))
                        self._scan(i + 2, k, in_note, note)
                        i = after
                        continue
            if c == "[":
                if i + 1 < end and t[i + 1] == "^":
                    k = t.find("]", i, end)
                    label = t[i + 2 : k] if k > 0 else ""
                    if k > 0 and label and not any(ch.isspace() for ch in label):
                        line, col = b.pos(i)
                        b.note_refs.append(NoteRef(label, line, col, i))
                        i = k + 1
                        continue
                k = self._match_bracket(i, end)
                if k > 0:
                    if k + 1 < end and t[k + 1] == "(":
                        p = self._paren_end(k + 1, end)
                        if p > 0:
                            raw = t[k + 2 : p].strip()
                            target = raw.split()[0].strip("<>") if raw else ""
                            line, col = b.pos(i)
                            attrs, after = self._attrs_after(p + 1, end)
                            b.links.append(Link(t[i + 1 : k], target, line, col, attrs=attrs))
                            self._scan(i + 1, k, in_note, note)
                            i = after
                            continue
                    inner = t[i + 1 : k]
                    if "@" in inner and k + 1 < end and t[k + 1] in "{":
                        pass  # a span with attributes: scan its content normally below
                    elif "@" in inner and (k + 1 >= end or t[k + 1] not in "[("):
                        found = False
                        for m in _CITE_IN_BRACKET.finditer(inner):
                            key = m.group(1) or m.group(2)
                            at = i + 1 + m.start() + m.group(0).index("@")
                            self._add_cite(key, at, in_note, note)
                            found = True
                        if found:
                            if not in_note:
                                b.cite_spans.append((i, k + 1))
                            # nested notes/links inside a citation bracket are not pandoc syntax
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
                    b.links.append(Link(m.group(1), m.group(1), line, col))
                    i = m.end()
                    continue
                m = _HTML_TAG.match(t, i, end)
                if m:
                    line, col = b.pos(i)
                    b.raw_html.append(RawHtml(m.group(0), line, col))
                    i = m.end()
                    continue
            i += 1


# --- entry point ------------------------------------------------------------


def _mask_comments(text: str, chapter: Chapter) -> str:
    """Blank out HTML comments, keeping every other character's line and column."""
    if "<!--" not in text:
        return text
    out = []
    last = 0
    for m in _COMMENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        chapter.comments.append(Comment(m.group(0), line, col))
        out.append(text[last : m.start()])
        out.append("".join("\n" if ch == "\n" else " " for ch in m.group(0)))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def parse_chapter(path: Path, text: str) -> Chapter:
    """Scan a chapter's text (already BOM- and CRLF-normalised)."""
    ch = Chapter(path=path, text=text)
    body = text
    first = 1
    if text.startswith("---\n") or text == "---":
        lines = text.split("\n")
        for k in range(1, len(lines)):
            if lines[k].rstrip() in ("---", "..."):
                ch.front_matter = "\n".join(lines[1:k])
                ch.front_matter_line = 2
                # keep line numbers: replace front matter by blank lines
                body = "\n" * (k + 1) + "\n".join(lines[k + 1 :])
                first = k + 2
                break
    del first
    body = _mask_comments(body, ch)
    lines = [(i + 1, 1, s) for i, s in enumerate(body.split("\n"))]
    sc = _Scanner(ch)
    sc.scan(lines)
    if sc.div is not None:
        d = sc.div
        while d is not None:
            ch.unclosed.append((d.line, d.column, "fenced div"))
            d = d.parent
    # unique heading ids the way pandoc makes them
    seen: dict[str, int] = {}
    for h in ch.headings:
        if not h.id:
            base = auto_identifier(h.text)
            k = seen.get(base, 0)
            h.id = base if k == 0 else f"{base}-{k}"
            seen[base] = k + 1
    return ch
