"""A chapter's text in another language: each unit's span replaced by its
translation, or kept in Dutch and marked.

A unit shown in Dutch (no translation, a fuzzy one, or one whose
placeholders or markup are broken) is marked so that every writer can give
it its language: a paragraph of its own becomes a fenced Div
``::: {.untranslated lang=nl}``, every other unit (a list item, heading,
table cell, caption, footnote) a Span ``[...]{.untranslated lang=nl}``.
A Span needs balanced brackets; a unit whose Dutch text has an unpaired
``[`` or ``]`` (escaped brackets are fine) is left unmarked, and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..load.markdown.lexer import code_spans, escaped, pairs
from ..load.markdown.model import Chapter
from .placeholders import Problem, Protected, markup_problems, restore
from .tables import write_table
from .units import DIV_OPEN, SPAN_ATTRS, TableAt, Unit, chapter_units

# msgid -> msgstr of the translated entries (not fuzzy, not empty)
Lookup = Callable[[str], "str | None"]


@dataclass
class Tally:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0  # shown in Dutch: no translation, or a fuzzy one
    broken: int = 0  # shown in Dutch too: placeholders or markup broken
    problems: list[tuple[str, list[Problem]]] = field(default_factory=list)  # (msgid, what is wrong)


def render_text(p: Protected, lookup: Lookup, tally: Tally, fuzzy: Callable[[str], bool]) -> tuple[str, bool]:
    """The unit's text in the target language, and whether it is translated.
    Its inline notes are units of their own (rendered first)."""
    notes = []
    for piece in p.pieces:
        if piece.kind == "note" and piece.note is not None:
            text, done = render_text(piece.note, lookup, tally, fuzzy)
            notes.append(text if done else span(text))
    dutch, _ = restore(p.msgid, p, notes)
    msgstr = lookup(p.msgid)
    if not msgstr:
        tally.untranslated += 1
        if fuzzy(p.msgid):
            tally.fuzzy += 1
        return dutch, False
    text, problems = restore(msgstr, p, notes)
    if not problems:
        problems = markup_problems(text, dutch, msgstr, p.msgid)
    if problems:
        tally.broken += 1
        tally.problems.append((p.msgid, problems))
        return dutch, False
    tally.translated += 1
    return text.strip(), True


def span(text: str) -> str:
    return f"[{text}]{SPAN_ATTRS}" if balanced(text) else text


def balanced(t: str) -> bool:
    """Whether every unescaped bracket outside code is paired (a Span around it reads as one)."""
    code = code_spans(t)
    n = 0
    i = 0
    while i < len(t):
        if t[i] == "`" and i in code:
            i = code[i]
            continue
        if t[i] in "[]" and not escaped(t, i):
            n += 1
        i += 1
    return n == 2 * len(pairs(t, code, "[", "]"))


def translate_chapter(
    ch: Chapter,
    lookup: Lookup,
    fuzzy: Callable[[str], bool],
    tally: Tally,
    ids: list[str] | None = None,
    units: list[Unit] | None = None,
    origins: list[tuple[int, int, str]] | None = None,
) -> str:
    """The chapter's Markdown with every unit translated or marked.

    ``ids``: the id pandoc gave each heading of the Dutch chapter, in order
    (:func:`header_ids`); a heading without an id of its own gets it written
    out, so that a translated heading keeps it. Without them the scanner's
    ids are used (they differ from pandoc's for a heading with a link).
    ``origins`` gets (start, end, msgid) of each translated unit's text in
    the result, so that the check can say which PO entry a finding is in."""
    if ids is None or len(ids) != len(ch.headings):
        ids = [h.id for h in ch.headings]
    edits: list[tuple[int, int, str, list[tuple[int, int, str]]]] = []
    tables: dict[int, tuple[TableAt, dict[tuple[int, int], tuple[str, str]]]] = {}
    for u in chapter_units(ch) if units is None else units:
        if u.table is not None:
            text, done = render_text(u.text, lookup, tally, fuzzy)
            cells = tables.setdefault(id(u.table), (u.table, {}))[1]
            cells[u.cell] = (text, u.text.msgid) if done else (span(text), "")
            continue
        edits.extend(_edits(u, lookup, fuzzy, tally, ids))
    edits.extend(_table_edit(table, cells) for table, cells in tables.values())
    edits.sort(key=lambda e: (e[0], e[1]))
    out = []
    pos = 0
    length = 0
    for s, e, new, within in edits:
        if s < pos:  # never: units do not overlap (a test walks every construct)
            continue
        out.append(ch.text[pos:s])
        length += s - pos
        if origins is not None:
            origins.extend((length + a, length + z, msgid) for a, z, msgid in within)
        out.append(new)
        length += len(new)
        pos = e
    out.append(ch.text[pos:])
    return "".join(out)


def _edits(
    u: Unit, lookup: Lookup, fuzzy: Callable[[str], bool], tally: Tally, ids: list[str]
) -> list[tuple[int, int, str, list[tuple[int, int, str]]]]:
    """(start, end, new text, (start, end, msgid) in it of each translation)."""
    text, done = render_text(u.text, lookup, tally, fuzzy)
    if not done:
        text = f"\n{DIV_OPEN}\n{text}\n:::\n" if u.mark == "div" else span(text)
    out = [(u.start, u.end, text, [(0, len(text), u.text.msgid)] if done else [])]
    if u.insert is not None and 0 <= u.heading < len(ids) and ids[u.heading]:
        out.append((u.insert[0], u.insert[0], u.insert[1].format(id=ids[u.heading]), []))
    return out


def _table_edit(
    table: TableAt, cells: dict[tuple[int, int], tuple[str, str]]
) -> tuple[int, int, str, list[tuple[int, int, str]]]:
    """A grid or simple table written again with its cells' texts (a cell
    that is no unit, "412", as it is)."""
    layout = table.layout
    texts = [[cells.get((r, c), (text, ""))[0] for c, text in enumerate(row)] for r, row in enumerate(layout.rows)]
    new, offsets = write_table(layout, texts, table.prefix)
    within = [
        (offsets[r][c], offsets[r][c] + len(text), msgid)
        for (r, c), (text, msgid) in cells.items()
        if msgid
        for text in [texts[r][c]]
    ]
    return table.start, table.end, new, within


def header_ids(ast: Any) -> list[str]:
    """The id of every Header of a pandoc JSON AST, in document order."""
    out: list[str] = []
    stack = [ast.get("blocks", []) if isinstance(ast, dict) else ast]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("t") == "Header":
                out.append(x["c"][1][0])
                continue
            if x.get("t") in _BLOCKS_IN:
                stack.append(x.get("c"))
        elif isinstance(x, list):
            stack.extend(reversed(x))
    return out


# the blocks that hold blocks a heading can be in (not Note: its blocks are inline content)
_BLOCKS_IN = {"Div", "BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Figure"}
