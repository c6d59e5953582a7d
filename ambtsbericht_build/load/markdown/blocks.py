"""Block structure of a chapter, the way pandoc's Markdown reader sees it."""

from __future__ import annotations

import re

from .inline import InlineScanner, is_figure, strip_inline
from .lexer import (
    ATX,
    CAPTION,
    DIV_CLOSE,
    DIV_OPEN,
    FENCE,
    GRID,
    HR,
    MAX_NESTING,
    NOTE_DEF,
    NOTE_MARK,
    PIPE_SEP,
    QUOTE,
    SETEXT,
    SIMPLE_SEP,
    TRAILING_ATTR,
    FenceIndex,
    Line,
    ListKind,
    blank,
    dedent,
    indent,
    list_marker,
    parse_attrs,
    same_list,
)
from .model import Attrs, Block, Chapter, Div, Heading, NoteDef


class BlockScanner:
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
        return blank(ln[2]) and ln[0] not in self.comment_lines

    def _closes_div(self, s: str) -> bool:
        return self.div is not None and bool(DIV_CLOSE.match(s))

    def scan(
        self, lines: list[Line], note: NoteDef | None = None, in_list: bool = False, depth: int = 0
    ) -> list[Block]:
        blocks: list[Block] = []
        outer_div = self.div  # divs opened in these lines are closed by them
        lead: Block | None = None  # the paragraph just before, which may introduce a list
        table_before = False  # a table just before, at this level: a caption may follow
        fences = FenceIndex(lines)
        i = 0
        n = len(lines)
        while i < n:
            lineno, col, s = lines[i]
            if blank(s):
                i += 1
                continue
            ind = indent(s)
            prev_lead, lead = lead, None
            prev_table, table_before = table_before, False

            # The order of the tests is pandoc's: a fenced div, then a bullet
            # list, then a setext heading (its underline wins over almost any
            # reading of the line above it), then the rest.
            m = DIV_OPEN.match(s)
            if m:
                brace = s.find("{")
                attrs = parse_attrs(m.group(1), lineno, col + (brace if brace >= 0 else s.index(m.group(1))))
                d = Div(attrs, lineno, col + ind, parent=self.div)
                self.ch.divs.append(d)
                self.div = d
                i += 1
                continue
            if DIV_CLOSE.match(s) and self.div is not outer_div and self.div is not None:
                self.div.end_line = lineno
                self.div = self.div.parent
                i += 1
                continue

            lm = list_marker(s) if depth < MAX_NESTING else None
            if lm and lm[0][0] == "bullet":
                i = self._new_list(lines, i, lm[0], prev_lead, blocks, note, depth, fences)
                continue

            # ... except a closed code fence: pandoc tries fenced code first
            # ("```" over "---" opens code, it is no heading)
            if i + 1 < n and SETEXT.match(lines[i + 1][2]) and not (FENCE.match(s) and fences.close(i) >= 0):
                level = 1 if lines[i + 1][2].strip().startswith("=") else 2
                self._heading(level, s.strip(), lineno, col, s, ind, blocks, note, atx=False)
                i += 2
                continue

            m = FENCE.match(s)
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

            m = ATX.match(s)
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
                while j < n and (blank(lines[j][2]) or indent(lines[j][2]) >= 4):
                    j += 1
                while j > i and blank(lines[j - 1][2]):
                    j -= 1
                blocks.append(self._block("code", lines[i:j], lineno, col + ind, note, scan_inline=False))
                i = j
                continue

            m = NOTE_DEF.match(s)
            if m and note is None:
                i = self._note_def(lines, i, m)
                continue

            if HR.match(s):
                i += 1
                continue

            if depth < MAX_NESTING and QUOTE.match(s):
                j = i
                quoted: list[Line] = []
                while j < n and not self._is_blank(lines[j]) and not self._closes_div(lines[j][2]):
                    qm = QUOTE.match(lines[j][2])
                    if qm:
                        quoted.append((lines[j][0], lines[j][1] + qm.end(), lines[j][2][qm.end() :]))
                    elif blank(quoted[-1][2]) or ATX.match(quoted[-1][2]):
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

            pipe = i + 1 < n and "|" in s and PIPE_SEP.match(lines[i + 1][2]) and "-" in lines[i + 1][2]
            if (
                pipe
                or GRID.match(s)
                or (i + 1 < n and SIMPLE_SEP.match(lines[i + 1][2]))
                or (SIMPLE_SEP.match(s) and i + 1 < n and not blank(lines[i + 1][2]))
            ):
                j = i + 1
                # a pipe table ends at the first line without a pipe (a caption may follow directly)
                while j < n and not blank(lines[j][2]) and (not pipe or "|" in lines[j][2]):
                    j += 1
                blocks.append(self._block("table", lines[i:j], lineno, col + ind, note))
                table_before = True
                i = j
                continue

            # a paragraph, a table caption or a figure
            caption = bool(CAPTION.match(s)) and (prev_table or self._table_follows(lines, i + 1))
            j = i + 1
            while j < n:
                if caption and TRAILING_ATTR.search(lines[j - 1][2]):
                    break  # pandoc: the caption's attributes end it
                t = lines[j][2]
                if self._is_blank(lines[j]) or self._closes_div(t):
                    break
                if t.startswith("`") and FENCE.match(t) and fences.close(j) >= 0:
                    break  # pandoc: a backtick fence interrupts a paragraph, a tilde fence does not
                if in_list and list_marker(t):
                    break  # in a list item a nested list needs no blank line before it
                j += 1
            para_lines = [dedent(ln, indent(ln[2])) for ln in lines[i:j]]
            kind = "caption" if caption else "para"
            b = self._block(kind, para_lines, lineno, col + ind, note)
            if kind == "para" and is_figure(b):
                b.kind = "figure"
            if kind == "caption":
                am = TRAILING_ATTR.search(b.text)
                if am:
                    b.attrs = parse_attrs(am.group(1))
            if b.kind == "para":
                lead = b
            blocks.append(b)
            i = j
        while self.div is not outer_div and self.div is not None:
            self.ch.unclosed.append((self.div.line, self.div.column, "fenced div"))
            self.div = self.div.parent
        return blocks

    def _table_follows(self, lines: list[Line], j: int) -> bool:
        while j < len(lines) and blank(lines[j][2]):
            j += 1
        if j >= len(lines):
            return False
        s = lines[j][2]
        return bool(
            GRID.match(s)
            or (j + 1 < len(lines) and "|" in s and PIPE_SEP.match(lines[j + 1][2]))
            or (j + 1 < len(lines) and SIMPLE_SEP.match(lines[j + 1][2]))
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
        am = TRAILING_ATTR.search(content)
        if am and am.start(1) > 0 and content[am.start(1) - 1] in ")]`":
            am = None  # the attributes of an image, link, span or code span
        if am:
            attr_col = col + start + am.start(1)
            attrs = parse_attrs(am.group(1), lineno, attr_col)
            text = content[: am.start()]
        if atx:
            text = re.sub(r"[ \t]*#+[ \t]*$", "", text)
        text = text.strip()
        h = Heading(level, strip_inline(text), attrs, lineno, col + indent(s), div=self.div)
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
        InlineScanner(hb).run()
        h.cites = hb.cites
        h.block = hb
        blocks.append(hb)

    def _note_def(self, lines: list[Line], i: int, m: re.Match[str]) -> int:
        lineno, col, s = lines[i]
        nd = NoteDef(m.group(1), lineno, col + indent(s))
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
                if k < n and indent(lines[k][2]) >= 4:
                    body.extend(lines[j:k])
                    j = k
                    continue
                break
            if NOTE_MARK.match(t) or self._closes_div(t):
                break
            body.append(dedent(ln, 4))
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
        kind: ListKind,
        lead: Block | None,
        blocks: list[Block],
        note: NoteDef | None,
        depth: int,
        fences: FenceIndex,
    ) -> int:
        self.list_counter += 1
        if lead is not None:
            lead.lead_list = self.list_counter
        return self._list(lines, i, kind, self.list_counter, blocks, note, depth, fences)

    def _list(
        self,
        lines: list[Line],
        i: int,
        kind: ListKind,
        list_id: int,
        blocks: list[Block],
        note: NoteDef | None,
        depth: int,
        fences: FenceIndex,
    ) -> int:
        """Scan the list that starts at ``lines[i]``; return the index after it.

        Follows pandoc: an item's first lines run on lazily until a blank line
        or a new list marker; after blank lines, only lines indented to the
        item's content column continue it."""
        n = len(lines)
        while True:
            lineno, col, s = lines[i]
            marker = list_marker(s)
            assert marker is not None, "every item starts with a list marker"
            mend = marker[1]
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
                if self._is_blank(lines[j]) or self._closes_div(t) or (FENCE.match(t) and fences.close(j) >= 0):
                    break
                ti = indent(t)
                if (ti < 4 or ti >= cont) and list_marker(t.lstrip(" \t")):
                    break
                item.append(dedent(lines[j], cont))
                j += 1
            while True:
                k = j
                while k < n and self._is_blank(lines[k]):
                    k += 1
                if k >= n or indent(lines[k][2]) < cont or self._closes_div(lines[k][2]):
                    break
                item.extend((ln, c, "") for ln, c, _ in lines[j:k])
                item.append(dedent(lines[k], cont))
                j = k + 1
                while j < n:
                    t = lines[j][2]
                    if self._is_blank(lines[j]) or self._closes_div(t):
                        break
                    if indent(t) >= cont:
                        item.append(dedent(lines[j], cont))
                    elif list_marker(t):
                        break
                    else:
                        item.append(lines[j])  # lazy continuation
                    j += 1
            self.list_depth += 1
            inner = self.scan(item, note, True, depth + 1)
            self.list_depth -= 1
            # the item's text is a paragraph that starts where the item does
            # (not one inside a block quote or other container in the item)
            start = next(((ln, c + indent(s)) for ln, c, s in item if not self._is_blank((ln, c, s))), None)
            if inner and inner[0].kind == "para" and (inner[0].line, inner[0].column) == start:
                inner[0].kind = "item"
                inner[0].list_id = list_id
                inner[0].list_depth = self.list_depth
            blocks.extend(inner)
            k = j
            while k < n and self._is_blank(lines[k]):
                k += 1
            if k < n and not self._closes_div(lines[k][2]):
                nxt = list_marker(lines[k][2])
                if nxt and same_list(kind, nxt[0]):
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
            InlineScanner(b).run()
        return b
