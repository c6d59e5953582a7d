"""The Markdown lexer: the tokens every reader of a chapter shares.

Chapters are read in four places, and all of them go through this module:

- the position-keeping scanner of the check stage (``blocks.py``, ``inline.py``,
  :func:`..parse_chapter`): line tokens (fences, ``:::`` div fences, ATX and
  setext headings, list markers, quotes, note definitions, table rules and
  captions), attribute blocks, code spans, bracket pairs, citations, note
  references, autolinks and raw HTML, and HTML comments (masked before the
  blocks are read, as pandoc drops them);
- the audit's needles (``publish/forbidden.py`` ``scan_chapter``): the
  ``::: intern`` blocks and comments of :func:`drafter_hidden`;
- the text of an intern block, which the audit looks for in the outputs
  (:func:`plain_text`);
- the manifest's image finder (``publish/manifest.py``), through
  :func:`..image_targets` over the scanner's images.

Sentences are split by ``analyse/sentences.py``, with its one abbreviation
list.

Two policies
------------

:class:`Policy` ``PANDOC`` reads a chapter as pandoc does: what is printed,
and where a check points. ``DRAFTER`` reads it as the drafter meant it: what
must never be printed. They differ only in what counts as an ``::: intern``
block, and always in one direction, the drafter reading finding more:

============================================  ==================  ===========
chapter text                                  PANDOC              DRAFTER
============================================  ==================  ===========
``Tekst.`` / ``::: intern`` / ``Geheim.`` /   paragraph text,     intern
``:::`` (the fence glued to a paragraph)      printed
``::: intern notitie`` (words after the       paragraph text      intern
class)
``> ::: intern``, ``    ::: intern`` in a     by the container    intern, at
nested list item                              structure           any depth
``::: intern`` never closed                   to the end of its   to the end
                                              container           of the file
a comment inside the YAML front matter        YAML, not read      comment
============================================  ==================  ===========

Both take a class to be ``intern`` by one definition (``model.is_intern``:
any case, pandoc's punctuation in a bare word, ``:::intern::::``). Where
DRAFTER finds a note whose lines pandoc prints, the check says so (AB306,
``check/drafter_notes.py``) and no render goes ahead.

They agree on code: a fenced code block (``fence_ranges``) or a code span
(``code_ranges``) is code under both, so ``::: intern`` or ``<!-- -->``
written inside code is no intern block and no comment. Code is printed: a
needle made of it would turn the report's own published text into a finding.
They share one comment finder (:func:`comment_spans`), and both take the
comments out before they look for fences (``<!--`` / ``~~~`` / ``-->``
holds no fence), as pandoc does. A property test
(``tests/load/test_lexer.py``) generates chapters from these constructs and
checks that every line PANDOC reads as intern, and every comment, the
DRAFTER reading finds too.

Why this module is big
----------------------

About 570 lines (more than half of it the policies, the fence and comment
finders and this docstring), the one module of the package over the
~500-line mark on purpose: it is the token definitions of the report's Markdown, and one
pandoc rule is often used by several readers (a backtick fence's info string
has no backticks: :class:`FenceIndex` for the blocks, :data:`FENCE_LINE`
for the text-level code ranges that mask comments and intern fences).
Split by token kind, a change to how a fence or a comment is recognised
would have to be made in several modules at once, which is how five readers
came to disagree before. What is not a token (the block and inline
scanners, the data model) lives in the modules beside it.

Speed: hostile input must not make a scan quadratic: the HTML regexes
have bounded repetitions, and unclosed fences are remembered per fence
character (``FenceIndex``, ``fence_ranges``), so a file of 20,000 unclosed
fences is read in well under a second.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from dataclasses import dataclass

from .model import Attrs, is_intern

# --- regular expressions ----------------------------------------------------

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
DIV_OPEN = re.compile(r"^ {0,3}:{3,}[ \t]*(\{[^}]*\}|[^\s{}:]+)[ \t]*:*[ \t]*$")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}[ \t]*$")
# pandoc: no indentation before '#', and a space after it
ATX = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
BULLET = re.compile(r"^ {0,3}[-+*](?=[ \t]|$)")
ORDERED = re.compile(
    r"^ {0,3}(?:(\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)([.)])"
    r"|\((\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+|@[\w-]*)\))"
    r"(?=[ \t]|$)"
)
NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
NOTE_MARK = re.compile(r"^ {0,3}\[\^[^\]\s]+\]")
NOTE_REF = re.compile(r"\[\^([^\]\s\[]+)\]")
QUOTE = re.compile(r"^ {0,3}> ?")
PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
GRID = re.compile(r"^\s*\+[-=:+]+\+\s*$")
SIMPLE_SEP = re.compile(r"^\s*-{2,}(\s+-{2,})+\s*$")
CAPTION = re.compile(r"^ {0,3}(Table:|table:|:)\s")
TRAILING_ATTR = re.compile(r"\s*(\{[^{}]*\})\s*$")
ATTR_TOKEN = re.compile(
    r"""#([^\s}]+)|\.([^\s}.#=]+)|([A-Za-z_][\w.:-]*)=("[^"]*"|'[^']*'|[^\s}]*)|(?<![^\s{])(-)(?=[\s}]|$)"""
)
KEY = r"(?:\{([^{}]+)\}|([\w](?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
CITE_IN_BRACKET = re.compile(r"(?<![^\s;\[(])-?@" + KEY)
BARE_CITE = re.compile(r"-?@" + KEY)
# bounded repetitions: an unclosed '<' must not make the scan quadratic
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]{0,2000}>")
AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]{0,2000}|[^<>\s@]{1,200}@[^<>\s@]{1,200}\.[^<>\s]{1,200})>"
)
BACKTICKS = re.compile(r"`+")

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
    for m in ATTR_TOKEN.finditer(inner):
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


# --- block scanner ----------------------------------------------------------

Line = tuple[int, int, str]  # (line number, column of text[0], text)
# a list's type: ("bullet",) or ("ordered", numbering family, delimiter)
ListKind = tuple[str, ...]


def indent(s: str) -> int:
    n = 0
    for ch in s:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4 - n % 4
        else:
            break
    return n


def dedent(ln: Line, n: int) -> Line:
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


def blank(s: str) -> bool:
    return not s.strip()


def list_marker(s: str) -> tuple[ListKind, int] | None:
    """(list type, end of the marker) when ``s`` starts a list item.

    Items of one list share the type: any bullet, or an ordered marker with the
    same numbering family and delimiter (``#.`` joins any family)."""
    if HR.match(s):
        return None
    m = BULLET.match(s)
    if m:
        return ("bullet",), m.end()
    m = ORDERED.match(s)
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


def same_list(a: ListKind, b: ListKind) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "bullet":
        return True
    return a[2] == b[2] and (a[1] == b[1] or "default" in (a[1], b[1]))


class FenceIndex:
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
        m = FENCE.match(self.lines[i][2])
        assert m is not None, "close() is called on fence lines only"
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
            if t[:1] == ch and len(t) >= size and t == ch * len(t) and indent(self.lines[j][2]) < 4:
                result = j
                break
        if result < 0:
            self.unclosed[ch] = (i, size)
        self.cache[i] = result
        return result


# --- inline scanner -----------------------------------------------------------


@functools.cache
def _pair_chars(open_ch: str, close_ch: str) -> re.Pattern[str]:
    """The characters :func:`pairs` acts on."""
    return re.compile("[" + re.escape("\\`" + open_ch + close_ch) + "]")


def pairs(t: str, skip: dict[int, int], open_ch: str, close_ch: str) -> dict[int, int]:
    """Matching ``close_ch`` of every ``open_ch`` in ``t``, outside code spans and escapes."""
    out: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    n = len(t)
    special = _pair_chars(open_ch, close_ch).search
    while i < n:
        # every other character is passed over one at a time (``i += 1``)
        m = special(t, i)
        if m is None:
            break
        i = m.start()
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


def code_spans(t: str) -> dict[int, int]:
    """start -> end of every code span: a backtick run closed by the next run of
    the same length (pandoc, like CommonMark)."""
    if "`" not in t:
        return {}
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(t) if not escaped(t, m.start())]
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


def escaped(t: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and t[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


# --- entry point ------------------------------------------------------------


# A fence line anywhere in a text. pandoc: a backtick fence's info string has
# no backticks ("```a`b" is a paragraph that starts with a code span).
FENCE_LINE = re.compile(r"^ {0,3}(?:(`{3,})[^`\n]*|(~{3,}).*)$", re.M)
CODE_SPAN_RUN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)


def fence_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of every fenced code block of ``text``, from its opening
    fence line to the end of its closing one, read line by line (not through
    the block structure: a fence in a list item or note is found as well).
    An unclosed fence is text, as pandoc reads it."""
    ranges: list[tuple[int, int]] = []
    if "```" not in text and "~~~" not in text:
        return ranges
    # char -> shortest fence length already known to have no closing fence
    # after it: later fences of that char and at least that length have none
    # either, so a file of unclosed fences is read once, not once per fence
    unclosed: dict[str, int] = {}
    pos = 0
    while True:
        m = FENCE_LINE.search(text, pos)
        if not m:
            return ranges
        fence = m.group(1) or m.group(2)
        ch, size = fence[0], len(fence)
        line_end = text.find("\n", m.end())
        if line_end < 0:
            return ranges
        if size >= unclosed.get(ch, 1 << 30):
            pos = line_end + 1
            continue
        close = re.compile(r"^ {0,3}" + re.escape(ch) + "{" + str(size) + r",}[ \t]*$", re.M)
        c = close.search(text, line_end + 1)
        if not c:
            unclosed[ch] = size
            pos = line_end + 1
            continue
        ranges.append((m.start(), c.end()))
        pos = c.end()


def code_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of every fenced code block and code span, in order."""
    ranges = fence_ranges(text)
    if "`" not in text:
        return ranges
    spans = []
    starts = [a for a, _ in ranges]
    pos = 0
    while True:
        m = CODE_SPAN_RUN.search(text, pos)
        if not m:
            break
        k = bisect.bisect_right(starts, m.start())
        if inside(ranges, m.start()):
            pos = ranges[k - 1][1]
        elif k < len(starts) and starts[k] < m.end():
            # a span cannot run into a fenced code block (the fence ends the
            # paragraph): its backticks are literal, the next run is tried
            pos = m.start() + len(m.group(1))
        else:
            spans.append((m.start(), m.end()))
            pos = m.end()
    return sorted(ranges + spans)


def inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(ranges, (offset, 1 << 62)) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def comment_spans(text: str, code: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """[start, end) of every HTML comment outside code (``code``: the text's
    :func:`code_ranges`, computed when not given). Both policies: "<!--" in
    code is printed by pandoc, and a needle made of printed text would only
    give false findings. A "<!--" inside code does not swallow a comment after
    the code (`` `<!--` ... <!-- x --> ``)."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        i = text.find("<!--", pos)
        if i < 0:
            return out
        if code is None:
            code = code_ranges(text)
        if inside(code, i):
            pos = i + 4
            continue
        j = text.find("-->", i + 4)
        if j < 0:
            return out  # unclosed: pandoc prints it as text
        if _leaves_item(text, i, j):
            pos = i + 4  # pandoc prints it as text (a later "<!--" may still open one)
            continue
        out.append((i, j + 3))
        pos = j + 3


def _leaves_item(text: str, i: int, j: int) -> bool:
    """Whether the "<!--" at ``i`` is in a list item that ends before the
    "-->" at ``j``: pandoc reads an item's lines apart from the rest, so
    such a comment never closes and is text (``- a\n  <!-- x\n- b\n  -->``)."""
    start = text.rfind("\n", 0, i) + 1
    lines = text[start:j].split("\n")
    first = lines[0]
    lm = list_marker(first)
    if lm is not None:
        col = lm[1] + 1
    else:
        col = indent(first)
        if col == 0:
            return False
        # in an item: the nearest line above that is indented less starts one
        above = text[:start].split("\n")[:-1]
        for s in reversed(above):
            if blank(s) or indent(s) >= col:
                continue
            if list_marker(s) is None:
                return False
            break
        else:
            return False
    after_blank = False
    for s in lines[1:]:
        if blank(s):
            after_blank = True
            continue
        if indent(s) < col and (after_blank or list_marker(s) is not None):
            return True
        after_blank = False
    return False


# --- the two policies ------------------------------------------------------------


class Policy(enum.Enum):
    """How a chapter is read; see the module docstring for where they differ."""

    PANDOC = "pandoc"  # as pandoc reads it: what is printed, where the checks point
    DRAFTER = "drafter"  # as the drafter meant it: what must never be printed


@dataclass(frozen=True)
class Hidden:
    """An ``::: intern`` block or an HTML comment: its lines and its text
    (an intern block's lines between its fences, a comment's text between
    ``<!--`` and ``-->``)."""

    line: int  # an intern block: its opening fence; a comment: its "<!--"
    end_line: int  # an intern block: its closing fence (the last line when unclosed)
    text: str


# DRAFTER: a ":::" line in any container and at any indentation ("> ::: intern",
# a fence indented in a nested list item) and with any words after it
# ("::: intern notitie", which pandoc reads as paragraph text)
DRAFTER_DIV_OPEN = re.compile(r"^[ \t>]*:{3,}\s*(\S.*?)\s*:*\s*$")
DRAFTER_DIV_CLOSE = re.compile(r"^[ \t>]*:{3,}\s*$")


def _is_intern(attrs: str) -> bool:
    """Whether the attributes after a fence's colons name a drafters' note,
    by the one definition (:func:`.model.is_intern`: any case, pandoc's
    punctuation in a bare word); "intern notitie" too (pandoc reads that
    line as text, the drafter meant a note)."""
    attrs = attrs.strip()
    if attrs.startswith("{"):
        return is_intern(m.group(2) for m in ATTR_TOKEN.finditer(attrs) if m.group(2)) or is_intern([attrs])
    return is_intern(attrs.split()[:1])


_QUOTE_MARKS = re.compile(r"(?:[ \t]{0,3}> ?)*")


def front_matter_lines(text: str) -> int:
    """The number of lines of a chapter's YAML front matter, its ``---`` and
    closing ``---``/``...`` lines included; 0 when it has none. pandoc: a
    ``---`` followed by a blank line is a horizontal rule, not metadata."""
    head = text.split("\n", 2)
    if head[0].rstrip() != "---" or len(head) < 2 or not head[1].strip():
        return 0
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if lines[k].rstrip() in ("---", "..."):
            return k + 1
    return 0


def _fence_indent(line: str) -> int:
    """Columns before a ``:::`` fence, after any quote marks."""
    m = _QUOTE_MARKS.match(line)
    return indent(line[m.end() if m else 0 :])


def drafter_hidden(text: str) -> tuple[list[Hidden], list[Hidden]]:
    """Every ``::: intern`` block and HTML comment of a chapter, read the
    DRAFTER way: div fences line by line wherever they stand, outside fenced
    code; the whole file, front matter included. Never raises."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The front matter is YAML, not Markdown: "``" in it opens no code span,
    # and a "<!--" in it does not run on into the chapter. A comment inside
    # it still counts.
    k = front_matter_lines(text)
    yaml_end = len("\n".join(text.split("\n", k)[:k])) if k else 0
    markdown = re.sub(r"[^\n]", " ", text[:yaml_end]) + text[yaml_end:] if k else text
    comments = []
    spans = comment_spans(text[:yaml_end], []) + comment_spans(markdown)
    for start, end in spans:
        first_line = text.count("\n", 0, start) + 1
        last_line = first_line + text.count("\n", start, end)
        comments.append(Hidden(first_line, last_line, text[start + 4 : end - 3]))
    # the blocks are read with the comments taken out, as parse_chapter does
    # ("<!--\n~~~\n-->" holds no fence)
    if spans:
        parts, last = [], 0
        for start, end in spans:
            parts += [markdown[last:start], re.sub(r"[^\n]", " ", markdown[start:end])]
            last = end
        markdown = "".join([*parts, markdown[last:]])
    fences = fence_ranges(markdown)
    interns: list[Hidden] = []
    # one entry per open div: is it (inside) intern, and the indentation of
    # its fence
    stack: list[tuple[bool, int]] = []
    current: list[str] | None = None
    first = 0
    offset = 0
    lines = text.split("\n")
    for no, line in enumerate(lines, 1):
        in_code = inside(fences, offset)
        offset += len(line) + 1
        if in_code:  # a "::: intern" in a code block is printed as code
            if current is not None:
                current.append(line)
            continue
        # a closing fence indented 4 columns or more (deeper than its opening
        # one) is an indented code block inside the div, as pandoc reads it:
        # closing there would let the rest of an intern block out. Not
        # closing where pandoc would only makes the block longer.
        if stack and DRAFTER_DIV_CLOSE.match(line) and _fence_indent(line) <= max(stack[-1][1], 3):
            was, _ = stack.pop()
            if was and not (stack and stack[-1][0]) and current is not None:
                interns.append(Hidden(first, no, "\n".join(current)))
                current = None
            continue
        m = DRAFTER_DIV_OPEN.match(line)
        if m and not DRAFTER_DIV_CLOSE.match(line):
            inner = bool(stack and stack[-1][0])
            intern = inner or _is_intern(m.group(1))
            stack.append((intern, _fence_indent(line)))
            if intern and not inner:
                current, first = [], no
            continue
        if current is not None:
            current.append(line)
    if current is not None:  # unclosed: pandoc renders it to the end as a div
        interns.append(Hidden(first, len(lines), "\n".join(current)))
    return interns, comments


# --- plain text of a piece of Markdown (DRAFTER) --------------------------------------
# What a renderer would print, approximately and generously: used for the
# text of an intern block, which the audit looks for in the outputs. Markup is
# removed wherever it might be markup (a note reference with spaces, an
# attribute block anywhere), so no syntax is left in a needle to stop it from
# matching the printed words.

_PLAIN_CITE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
_PLAIN_NOTE_REF = re.compile(r"\[\^[^\]]*\]")
_PLAIN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_PLAIN_ATTRS = re.compile(r"\{[^{}]*\}")
_PLAIN_LINE_MARKUP = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s?|\|)+", re.M)
_PLAIN_INLINE_MARKUP = re.compile(r"[*_`~|]+|\^\[|!\[|[\[\]]")


def plain_text(md: str) -> str:
    """Markdown without its syntax (citations, note references, link targets,
    attributes, list/heading/quote markers, emphasis): the words."""
    s = _PLAIN_CITE.sub(" ", md)
    s = _PLAIN_NOTE_REF.sub(" ", s)
    s = _PLAIN_LINK_TARGET.sub(" ", s)
    s = _PLAIN_ATTRS.sub(" ", s)
    s = _PLAIN_LINE_MARKUP.sub("", s)
    return _PLAIN_INLINE_MARKUP.sub(" ", s)
