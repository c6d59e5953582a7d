"""LEXER_DOC"""

from __future__ import annotations

import bisect
import re

from .model import Attrs

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
COMMENT = re.compile(r"<!--.*?-->", re.S)
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


def pairs(t: str, skip: dict[int, int], open_ch: str, close_ch: str) -> dict[int, int]:
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


FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
CODE_SPAN_RUN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks and code spans, in order."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = FENCE_LINE.search(text, pos)
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
    for m in CODE_SPAN_RUN.finditer(text):
        if not inside(ranges, m.start()):
            spans.append((m.start(), m.end()))
    return sorted(ranges + spans)


def inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]
