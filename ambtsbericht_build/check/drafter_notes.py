"""Drafters' notes that pandoc would print (AB306).

A drafter writes ``::: intern`` or ``<!-- ... -->`` for a note that must
never be published; the render drops what pandoc reads as an intern div or
a comment (``render/document.py``). What pandoc reads as *text* instead is
printed in every format, so it is refused here, as a confidentiality
finding (every render is refused until it is fixed):

- an ``::: intern`` fence as the drafter reads it (``lexer.drafter_hidden``:
  any indentation, in any container, with words after it, any case) whose
  lines pandoc reads as a paragraph, list item, heading, table or code
  block outside an intern div: the fence glued to the paragraph above it,
  indented four spaces (an indented code block), indented at all at the
  top level (pandoc 3.9 reads ``   ::: intern`` as text), followed by
  words (``::: intern notitie``);
- a comment pandoc prints: ``<!--`` never closed, closed with ``–>`` (an
  en dash an editor made of ``--``), ``- ->`` or ``--!>``, not closed
  before its list item ends, or written in an indented code block. pandoc's
  own reading decides (``Block.printed_comment``): a comment it drops is raw
  HTML, one it prints is text;
- printed text marked intern: ``<span class="intern">`` (the render drops
  raw HTML tags, not the text between them; AB402 too, here it refuses every
  render), ``[...]{.intern}``, ``# Kop {.intern}``: only a div is left out.

Both readings are the ones the render uses: the blocks are pandoc's
(``load/markdown/pandoc_ast.py``) at their lines and columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Severity
from ..load import LoadedChapter
from ..load.markdown.lexer import code_ranges, comment_spans, drafter_hidden, fence_ranges, inside, parse_attrs
from ..load.markdown.model import Block, is_intern
from ..load.markdown.pandoc_units import COMMENT_AS_TEXT
from ..publish.text import fold_token
from . import Context, Finding, RuleDoc, chapter, rule

# what pandoc prints: every block but one it does not read as text
_PRINTED_KINDS = frozenset({"para", "item", "heading", "table", "caption", "figure", "code", "refused"})


def _printed(b: Block) -> bool:
    return b.kind in _PRINTED_KINDS and not (b.div is not None and b.div.intern)


def _printed_lines(lc: LoadedChapter) -> dict[int, Block]:
    """line -> the first printed block on it: linear in the chapter (a
    hostile one may hold 20,000 notes and as many blocks)."""
    printed: dict[int, Block] = {}
    for b in lc.chapter.all_blocks():
        if _printed(b):
            for k in range(b.line, b.end_line + 1):
                printed.setdefault(k, b)
    return printed


def _intern_fences(lc: LoadedChapter) -> Iterator[Finding]:
    text = lc.chapter.text
    lines = text.split("\n")
    interns, _comments = drafter_hidden(text)
    if not interns:
        return
    printed = _printed_lines(lc)
    for h in interns:
        hit = next((printed[k] for k in range(h.line, h.end_line + 1) if k in printed), None)
        if hit is None:
            continue
        fence = lines[h.line - 1] if h.line <= len(lines) else ""
        column = fence.find(":") + 1 or 1
        if any(d.line == h.line and d.intern for d in lc.chapter.divs):
            # pandoc read the fence, and ended the note with its quote or
            # list item; the drafter's reading runs on to a closing fence
            why = (
                f"it is never closed, so pandoc ends it with its quote or list item and prints"
                f" line {hit.line} as text; close it with ':::' where the note ends"
            )
        elif hit.kind == "code":
            why = "pandoc reads it as a code block (indented four spaces or more)"
        elif hit.line < h.line:
            why = f"pandoc reads it as part of the text above it (line {hit.line}): put a blank line before the fence"
        else:
            why = (
                "pandoc does not read this line as a div fence: write the fence at the start of the line"
                " (in a quote or list item, where its text starts), nothing after 'intern'"
            )
        yield Finding(
            lc.file,
            h.line,
            column,
            f"this '::: intern' note would be printed: {why}; a drafters' note must never be published",
        )


def _comments(lc: LoadedChapter) -> Iterator[Finding]:
    text = lc.chapter.text
    lines = text.split("\n")
    starts = [0]
    for s in lines[:-1]:
        starts.append(starts[-1] + len(s) + 1)
    fenced = fence_ranges(text)
    # a code span shows markup on purpose; a comment pandoc drops is not it
    skip = sorted(code_ranges(text) + comment_spans(text))
    for b in lc.chapter.all_blocks():
        if not b.printed_comment or not _printed(b):
            continue
        # from the start of its first line: a block pandoc's reading placed
        # starts at its first letter, after the "<!--"
        start = starts[b.line - 1] if b.line <= len(lines) else 0
        end = starts[b.end_line] if b.end_line < len(lines) else len(text)
        if b.kind == "code" and inside(fenced, start + b.column - 1):
            continue  # a fenced code block shows markup on purpose
        here = [] if b.kind == "code" else skip  # in code, the lexer's comments are code too
        where = next(
            (m.start() for m in COMMENT_AS_TEXT.finditer(text, start, end) if not inside(here, m.start())), start
        )
        line = text.count("\n", 0, where) + 1
        column = where - starts[line - 1] + 1
        if b.kind == "code":
            why = "it is in a code block (indented four spaces or more), which pandoc prints as it stands"
        else:
            why = (
                "pandoc reads it as text: a comment ends with '-->' (two hyphens, no dash or space),"
                " in the same paragraph or list item"
            )
        yield Finding(
            lc.file,
            line,
            column,
            f"this HTML comment would be printed: {why}; a drafters' note must never be published",
        )


# an HTML start tag's class attribute, and a pandoc attribute block (bounded:
# no quadratic scan of a hostile chapter)
_MARK = re.compile(
    r"<[A-Za-z][\w-]{0,20}\b[^<>]{0,2000}?\bclass\s*=\s*(?P<html>\"[^\"<>]*\"|'[^'<>]*'|[^\s<>]+)"
    r"|\{(?P<attrs>[^{}\n]{1,2000})\}",
    re.I,
)
_FENCE = re.compile(r"[ \t>]*:{3,}")


def _marked_intern(lc: LoadedChapter) -> Iterator[Finding]:
    """Printed text marked intern: ``<span class="intern">`` (the render
    drops the tags, raw HTML, and prints what is between them),
    ``[...]{.intern}``, ``# Kop {.intern}``. Only a div is left out. (An HTML
    block pandoc reads whole, ``<div class="intern">`` ... ``</div>``, is
    dropped whole; a fence line is :func:`_intern_fences`'.)"""
    text = lc.chapter.text
    if "intern" not in text.casefold():
        return
    skip = sorted(code_ranges(text) + comment_spans(text))
    printed: dict[int, Block] | None = None
    for m in _MARK.finditer(text):
        html = m.group("html")
        classes = html.strip("\"'").split() if html is not None else parse_attrs("{" + m.group("attrs") + "}").classes
        if not (is_intern(classes) or any(map(_near_intern, classes))) or inside(skip, m.start()):
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        if html is None and _FENCE.match(text, start):
            continue
        line = text.count("\n", 0, m.start()) + 1
        printed = _printed_lines(lc) if printed is None else printed
        if line not in printed or printed[line].kind == "code":
            continue  # an HTML block pandoc drops whole (raw), or code
        what = "HTML element" if html is not None else "text"
        yield Finding(
            lc.file,
            line,
            m.start() - start + 1,
            f"this {what} marked intern would be printed: only a '::: intern' block is left out of the report"
            + (" (the render drops the tags, not the text between them)" if html is not None else ""),
        )


# a class a drafter meant as "intern" that pandoc and the render read as
# another (red team pass 4, D01-D03): another word of the family
# ("internal", "interne", "intern-notitie"): the note is printed. (A
# look-alike letter, Cyrillic е in "intеrn" or fullwidth "ｉｎｔｅｒｎ", is
# an intern note for the loader itself since pass 5: load/markdown/model.py)
_LIKE_INTERN = re.compile(r"(?:intern|interne|internal|interna)(?:notitie|notities|note|notes|opmerking)?")


def _near_intern(cls: str) -> bool:
    return not is_intern([cls]) and _LIKE_INTERN.fullmatch(_NOT_LETTERS.sub("", fold_token(cls))) is not None


_NOT_LETTERS = re.compile(r"[\W_]+")


# text the drafter hid from the HTML only (red team pass 4, D04): the
# style, the attribute or the class hides it on screen; DOCX and ODT
# print it, and so does a reader of the HTML's source
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|content-visibility\s*:\s*hidden", re.I)
_HIDING_CLASSES = frozenset({"hidden", "verborgen", "onzichtbaar", "invisible"})
_HIDING_TAG = re.compile(
    r"<[A-Za-z][\w-]{0,20}\b[^<>]{0,2000}?(?:\shidden\b|display\s*:\s*none|visibility\s*:\s*hidden)", re.I
)
# an HTML construct a browser hides as a "bogus comment" but pandoc prints
# as text (red team pass 4, D05): <![CDATA[ ... ]]>, <? ... ?>, <!DOCTYPE ...>
_BOGUS_COMMENT = re.compile(r"<(?:!\[CDATA\[|\?|![A-Za-z])")


def _hides(classes: list[str], kv: dict[str, str]) -> bool:
    return (
        any(c.strip(".").casefold() in _HIDING_CLASSES for c in classes)
        or "hidden" in kv
        or _HIDING_STYLE.search(kv.get("style", "")) is not None
    )


def _hidden_text(lc: LoadedChapter) -> Iterator[Finding]:
    """A div or span marked like an intern note but not one (``::: internal``,
    ``::: intеrn`` with a Cyrillic е), text hidden only on screen
    (``{style="display:none"}``, ``{hidden}``, ``<span hidden>``) and a bogus
    comment (``<?...?>``, ``<![CDATA[...]]>``): each is printed."""
    ch = lc.chapter
    for d in ch.divs:
        if d.intern:
            continue
        if any(map(_near_intern, d.attrs.classes)):
            yield Finding(
                lc.file,
                d.line,
                d.column,
                "this div is not an '::: intern' note (the class is not 'intern', though it looks like it):"
                " it would be printed; write '::: intern' for a drafters' note",
            )
        elif _hides(d.attrs.classes, d.attrs.kv):
            yield Finding(lc.file, d.line, d.column, _HIDDEN_MESSAGE)
    text = ch.text
    if "<" not in text and "{" not in text:
        return
    skip = sorted(code_ranges(text) + comment_spans(text))
    printed: dict[int, Block] | None = None
    found = [(m.start(), "attrs", m) for m in _MARK.finditer(text) if m.group("attrs") is not None]
    found += [(m.start(), "tag", m) for m in _HIDING_TAG.finditer(text)]
    found += [(m.start(), "bogus", m) for m in _BOGUS_COMMENT.finditer(text)]
    for at, kind, m in sorted(found, key=lambda f: f[0]):
        if inside(skip, at):
            continue
        start = text.rfind("\n", 0, at) + 1
        if kind == "attrs":
            attrs = parse_attrs("{" + m.group("attrs") + "}")
            if _FENCE.match(text, start) or not _hides(attrs.classes, attrs.kv):
                continue  # a div's fence: above, with the div
        line = text.count("\n", 0, at) + 1
        printed = _printed_lines(lc) if printed is None else printed
        if line not in printed or printed[line].kind == "code":
            continue  # an HTML block pandoc drops whole, or code
        message = (
            "this HTML construct would be printed as text: pandoc reads only '<!-- ... -->' as a comment"
            " (a browser hides '<?...?>', '<![CDATA[...]]>' and '<!...>', abuild's outputs do not);"
            " a drafters' note must never be published"
            if kind == "bogus"
            else _HIDDEN_MESSAGE
        )
        yield Finding(lc.file, line, at - start + 1, message)


_HIDDEN_MESSAGE = (
    "this text is hidden only on screen (display:none, hidden): the PDF, DOCX and ODT print it,"
    " and the HTML holds it; write a drafters' note as '::: intern', or remove it"
)


@rule(
    "AB306",
    Severity.ERROR,
    "drafters' note (`::: intern`, HTML comment) that pandoc reads as text and would print",
    RuleDoc(
        finds="""
        A `::: intern` note or an HTML comment that pandoc, the render's
        reader, does not read as one, so that the render would print it. An
        `::: intern` fence (any case, any attribute spelling) whose lines
        pandoc reads as text or code: the fence glued to the paragraph above
        it without a blank line, indented (four spaces make a code block; at
        the top level pandoc reads a fence indented by even one space as
        text), with words after it (`::: intern notitie`), or left open in a
        list item or quote (pandoc ends it there and prints what follows). A comment that pandoc prints:
        `<!--` never closed, closed with `–>` (an editor's en dash for
        `--`), `- ->` or `--!>`, closed only after its list item ends, or
        written in an indented code block. Printed text marked intern: a
        span (`[...]{.intern}`), a heading (`# Kop {.intern}`) or an HTML
        element (`<span class="intern">`: the render drops raw HTML tags
        but prints the text between them); only a div is left out. A div
        or span whose class only looks like `intern` (a look-alike letter:
        `intеrn` with a Cyrillic е, fullwidth `ｉｎｔｅｒｎ`; or `internal`,
        `interne`, `intern-notitie`). Text hidden only on screen
        (`{style="display:none"}`, `{hidden=""}`, `::: verborgen`,
        `<span hidden>`): PDF, DOCX and ODT print it. A construct a browser
        hides as a comment but pandoc prints as text (`<?...?>`,
        `<![CDATA[...]]>`, `<!DOCTYPE ...>`). The finding points at the
        fence, the `<!--`, the tag or the attributes.
        """,
        why="""
        A note between drafters says what the public text must not: a
        doubt about a source, a name, a contact. The render drops what
        pandoc reads as an intern div or a comment, but text is text: a
        note pandoc reads otherwise is printed in every format, and the
        drafter who wrote `::: intern` believes it is safe. Like every
        confidentiality finding, it refuses every render until it is fixed.
        """,
        example=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            Er waren gevechten in het noorden.[@hrw-2025]
            ::: intern
            Navragen bij de contactpersoon in de haven.
            :::

            In het zuiden bleef het rustig.[@hrw-2025] <!-- bron nog bevestigen –>
            """),
        ),
        fix="""
        Put a blank line before the `::: intern` fence and start it at the
        beginning of its line (in a list item or quote where the item's
        text starts), with nothing after `intern`; close every comment with
        `-->`, in the same paragraph or list item (an editor that turns
        `--` into a dash must not touch chapters).
        """,
        fixed=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            Er waren gevechten in het noorden.[@hrw-2025]

            ::: intern
            Navragen bij de contactpersoon in de haven.
            :::

            In het zuiden bleef het rustig.[@hrw-2025] <!-- bron nog bevestigen -->
            """),
        ),
    ),
    confidentiality=True,
)
def printed_drafters_note(ctx: Context) -> Iterator[Finding]:
    from .memo import FINDINGS, chapter_part

    # a chapter's findings are its text's and pandoc's reading of it alone:
    # kept while it is the same (check/memo.py)
    for lc in ctx.report.chapters:
        yield from chapter_part("AB306", ctx.report, lc, lambda lc=lc: tuple(_in_chapter(lc)), FINDINGS)  # type: ignore[misc]
    from .translated_text import in_translations  # a translation is printed too (red team T1)

    yield from in_translations(ctx, _dutch)


def _dutch(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        yield from _in_chapter(lc)


def _in_chapter(lc: LoadedChapter) -> Iterator[Finding]:
    yield from _intern_fences(lc)
    yield from _comments(lc)
    yield from _marked_intern(lc)
    yield from _hidden_text(lc)
