"""A position-keeping scanner for the pandoc Markdown that chapters are written in.

Pandoc's Markdown reader does not report source positions, and the checks must
point at the line and column a drafter edits. So this scanner reads the
positions, and the analyse stage places pandoc's own reading (the render's
reader) on them (``pandoc_ast.py``): the checks judge what pandoc publishes. The scanner
knows the block structure pandoc knows for the constructs the report format
uses (SPEC §3–§5): ATX/setext headings with attributes, fenced divs, fenced
code, lists, block quotes, footnote definitions, pipe/grid/simple tables with
captions, figures, paragraphs; and inline: citations, inline and reference
notes, links, images, raw HTML, code spans, escapes. A test compares its
counts with pandoc's own AST on the example and benchmark reports.

The package: ``lexer`` (the tokens every reader of a chapter shares, and the
two reading policies, PANDOC and DRAFTER: see its docstring), ``model`` (the
data), ``blocks`` and ``inline`` (the scanner), and here :func:`parse_chapter`,
:func:`hidden` (intern blocks and comments by policy) and
:func:`image_targets`.
"""

from __future__ import annotations

from pathlib import Path

from .blocks import BlockScanner
from .inline import auto_identifier, id_text
from .lexer import Hidden, Policy, comment_spans, drafter_hidden, front_matter_lines, parse_attrs, plain_text
from .model import (
    Attrs,
    Block,
    Chapter,
    Cite,
    Comment,
    Div,
    Heading,
    InlineNote,
    Link,
    NoteDef,
    NoteRef,
    RawHtml,
    is_intern,
)
from .pandoc_batch import offer

__all__ = [
    "Attrs",
    "Block",
    "Chapter",
    "Cite",
    "Comment",
    "Div",
    "Heading",
    "Hidden",
    "InlineNote",
    "Link",
    "NoteDef",
    "NoteRef",
    "Policy",
    "RawHtml",
    "auto_identifier",
    "hidden",
    "image_targets",
    "is_intern",
    "parse_attrs",
    "parse_chapter",
    "plain_text",
]


def _mask_comments(text: str, chapter: Chapter) -> tuple[str, set[int]]:
    """Blank out HTML comments, keeping every other character's line and column.

    Returns the masked text and the numbers of the lines that held nothing but
    a comment (pandoc reads such a line inside a paragraph as part of it)."""
    if "<!--" not in text:
        return text, set()
    out = []
    last = 0
    line = 1
    line_start = 0
    for start, end in comment_spans(text):
        comment = text[start:end]
        nl = text.count("\n", last, start)
        if nl:
            line += nl
            line_start = text.rfind("\n", last, start) + 1
        chapter.comments.append(Comment(comment, line, start - line_start + 1))
        out.append(text[last:start])
        out.append("".join("\n" if ch == "\n" else " " for ch in comment))
        last = end
        nl = comment.count("\n")
        if nl:
            line += nl
            line_start = text.rfind("\n", start, end) + 1
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
    """Scan a chapter's text (already BOM- and CRLF-normalised).

    When a check reads ahead (``pandoc_batch.reading_ahead``), pandoc is
    given the text first, and reads it while this scans it."""
    offer(text)
    ch = Chapter(path=path, text=text)
    body = text
    k = front_matter_lines(text)
    if k:
        lines = text.split("\n")
        ch.front_matter = "\n".join(lines[1 : k - 1])
        ch.front_matter_line = 2
        # keep line numbers: the front matter becomes blank lines
        body = "\n" * k + "\n".join(lines[k:])
    body, comment_lines = _mask_comments(body, ch)
    sc = BlockScanner(ch, comment_lines)
    ch.blocks = sc.scan([(i + 1, 1, s) for i, s in enumerate(body.split("\n"))])
    # unique heading ids the way pandoc makes them: an auto id skips every id
    # already used above it, explicit or automatic
    used: set[str] = set()
    defined = {nd.label for nd in ch.notes}
    for h in ch.headings:
        if not h.id:
            base = auto_identifier(id_text(h.id_text, defined))
            ident, k = base, 0
            while ident in used:
                k += 1
                ident = f"{base}-{k}"
            h.id = ident
        used.add(h.id)
    return ch


def hidden(text: str, policy: Policy) -> tuple[list[Hidden], list[Hidden]]:
    """The ``::: intern`` blocks (outermost ones; nested divs are part of
    their text) and HTML comments of a chapter, read by ``policy``.

    PANDOC: the divs and comments of :func:`parse_chapter`, which is what the
    checks see and render drops. DRAFTER: :func:`lexer.drafter_hidden`, which
    is what the audit forbids. A property test keeps DRAFTER a superset."""
    if policy is Policy.DRAFTER:
        interns, comments = drafter_hidden(text)
        # a comment can hide the fence that closes an intern block from pandoc
        # but not from the drafter's reading ('::: intern', '<!--', ':::',
        # '-->'): what pandoc keeps internal is added, so DRAFTER covers PANDOC
        pandoc_interns, pandoc_comments = hidden(text, Policy.PANDOC)
        return _union(interns, pandoc_interns), _union(comments, pandoc_comments)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ch = parse_chapter(Path("chapter.md"), text)
    lines = text.split("\n")
    interns = []
    for d in ch.divs:
        if is_intern(d.attrs.classes) and not (d.parent is not None and d.parent.intern):
            # unclosed: it ends with its container (a quote, a list item) or
            # the file, after the last block in it
            end = d.end_line or 1 + max((b.end_line for b in ch.all_blocks() if _within(b.div, d)), default=d.line)
            interns.append(Hidden(d.line, end, "\n".join(lines[d.line : end - 1])))
    comments = [Hidden(c.line, c.line + c.text.count("\n"), c.text[4:-3]) for c in ch.comments]
    return interns, comments


def _union(mine: list[Hidden], more: list[Hidden]) -> list[Hidden]:
    """``mine`` plus every one of ``more`` whose lines ``mine`` does not cover."""
    lines = {k for h in mine for k in range(h.line, h.end_line + 1)}
    return mine + [h for h in more if not set(range(h.line, h.end_line + 1)) <= lines]


def _within(div: Div | None, outer: Div) -> bool:
    while div is not None:
        if div is outer:
            return True
        div = div.parent
    return False


def image_targets(chapter: Chapter) -> list[str]:
    """The target of every image of a parsed chapter, as pandoc reads it: not
    in code, not in a comment (pandoc embeds neither), in notes, headings,
    tables and captions as well."""
    return [link.target for b in chapter.all_blocks() for link in b.links if link.image and link.target]
