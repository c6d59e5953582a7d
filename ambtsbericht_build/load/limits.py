"""Limits on hostile Markdown that pandoc cannot take: checked in one linear
pass over a chapter's text, with no recursion, before pandoc sees it.

Measured with pandoc 3.9 (``-f markdown -t json``, one chapter):

- **nested brackets**: exponential. 12 nested ``[`` take 0.4 s, 14 take
  1.9 s, 20 more than a minute (closed or not); a real report nests three
  (``^[... [zie [@key]] ...]``). Limit: :data:`MAX_BRACKETS`.
- **nested blocks** (block quotes, list items, fenced divs): pandoc is
  quadratic (4,000 ``>`` take 2 s, 10,000 over a minute), and every level is
  two or three levels of JSON, which Python's ``json`` (a recursion limit of
  1,000) and abuild's walks over the document cannot take beyond ~300
  levels (a ``RecursionError``). A real report nests four. Limit:
  :data:`MAX_BLOCKS`.
- **nested emphasis** (``*a _b *c ... c* b_ a*``): pandoc is fast (3,000
  levels in 0.3 s) but writes two levels of JSON per level: 500 levels are a
  ``RecursionError`` in ``json.loads``. Limit: :data:`MAX_EMPHASIS`, counted
  as emphasis runs that open (after a space, before a word) minus those that
  close, an upper bound of the real nesting.
- **unclosed HTML comments**: quadratic. pandoc looks for the ``-->`` of
  every ``<!--`` up to the end of the text: 200 KB of ``<!--`` took more than
  four minutes. One unclosed comment is a mistake already; limit
  :data:`MAX_UNCLOSED_COMMENTS`.

:func:`limits` returns what exceeds them, each as (line, column, message),
in plain words. A chapter with any is never given to pandoc: the check
reports each as AB008 (``check/loading.py``) and reads the chapter with its
own scanner only (``pandoc_batch.hostile``), so ``abuild check`` ends in
seconds; the render refuses it (``render/pipeline.py``). The three callers
share one scan of each text (:func:`limits_of`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

MAX_BRACKETS = 8  # nested [ ... ] in one paragraph; pandoc: 8 levels 0.14 s, each one more doubles it
MAX_BLOCKS = 50  # nested block quotes + list items + fenced divs
MAX_UNCLOSED_COMMENTS = 20  # "<!--" with no "-->" after it
MAX_EMPHASIS = 50  # emphasis opened inside emphasis (``*a _b *c``) in one paragraph

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV = re.compile(r"^ {0,3}(:{3,})\s*(\S)?")
_LIST = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?: |\t|$)")
_SPECIAL = re.compile(r"[*_\\`\[\]]")  # the characters the scan below counts


def _block_depth(line: str) -> tuple[int, int]:
    """(depth, column) of one line's block containers: each ``>`` of its
    prefix, and list levels (one per list marker in the prefix, and one per
    two columns of indentation: a nested item is indented by its parent's
    marker width, at least two)."""
    depth, i, n, indent = 0, 0, len(line), 0
    while i < n:
        c = line[i]
        if c == ">":
            depth += 1
            i += 1
            indent = 0
        elif c == " ":
            indent += 1
            i += 1
        elif c == "\t":
            indent += 4
            i += 1
        else:
            m = _LIST.match(line, i)
            if not m:
                break
            depth += 1 + indent // 2
            indent = 0
            i = m.end()
    return depth + indent // 2, i + 1


def limits(text: str) -> list[tuple[int, int, str]]:
    """What in ``text`` (one chapter) exceeds the limits: (line, column, message)."""
    found: list[tuple[int, int, str]] = []
    fence = ""
    divs = 0
    brackets = emphasis = 0  # in the current paragraph
    reported_brackets = reported_blocks = reported_emphasis = False
    for no, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            continue
        if m:
            fence = m.group(1)
            continue
        if not line.strip():
            brackets = emphasis = 0
            continue
        d = _DIV.match(line)
        if d:
            divs = divs + 1 if d.group(2) else max(0, divs - 1)
        depth, col = _block_depth(line)
        if depth + divs > MAX_BLOCKS and not reported_blocks:
            reported_blocks = True
            found.append(
                (
                    no,
                    col,
                    f"block quotes, lists and ::: blocks are nested {depth + divs} deep here; "
                    f"at most {MAX_BLOCKS} levels can be rendered",
                )
            )
        i, n = 0, len(line)
        while i < n and not (reported_brackets and reported_emphasis):
            special = _SPECIAL.search(line, i)  # skip plain text in C: 1.0 s -> 0.3 s on 4.8 MB
            if special is None:
                break
            i = special.start()
            c = line[i]
            if c in "*_":
                j = i
                while j < n and line[j] == c:
                    j += 1
                before = line[i - 1] if i else " "
                after = line[j] if j < n else " "
                if before.isspace() and not after.isspace():
                    emphasis += 1
                    if emphasis > MAX_EMPHASIS and not reported_emphasis:
                        reported_emphasis = True
                        found.append(
                            (
                                no,
                                i + 1,
                                f"emphasis (* or _) is nested more than {MAX_EMPHASIS} deep in this paragraph; "
                                f"at most {MAX_EMPHASIS} levels can be rendered",
                            )
                        )
                elif after.isspace() or not after.isalnum():
                    emphasis = max(0, emphasis - 1)
                i = j
                continue
            if c == "\\":
                i += 2
                continue
            if c == "`":  # a code span: skip to its closing run of as many backticks
                j = i
                while j < n and line[j] == "`":
                    j += 1
                close = line.find(line[i:j], j)
                i = close + (j - i) if close >= 0 else j
                continue
            if c == "[":
                brackets += 1
                if brackets > MAX_BRACKETS and not reported_brackets:
                    reported_brackets = True
                    found.append(
                        (
                            no,
                            i + 1,
                            f"square brackets are nested more than {MAX_BRACKETS} deep in this paragraph; "
                            "pandoc cannot render that in reasonable time (each level doubles its work)",
                        )
                    )
            elif c == "]" and brackets:
                brackets -= 1
            i += 1
    found += _unclosed_comments(text)
    return found


@functools.lru_cache(maxsize=32)  # a report has 10-20 chapters; the texts are held by the report anyway
def limits_of(text: str) -> tuple[tuple[int, int, str], ...]:
    """:func:`limits`, once per text: the check's reading, the AB008 rule and
    the render ask about the same chapter (0.3 s each on 4.8 MB)."""
    return tuple(limits(text))


def _unclosed_comments(text: str) -> list[tuple[int, int, str]]:
    """More than :data:`MAX_UNCLOSED_COMMENTS` ``<!--`` after the last ``-->``."""
    last_close = text.rfind("-->")
    start = last_close + 3 if last_close >= 0 else 0
    count = text.count("<!--", start)
    if count <= MAX_UNCLOSED_COMMENTS:
        return []
    first = text.index("<!--", start)
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    return [
        (
            line,
            column,
            f"{count:,} HTML comments (<!--) are never closed with -->; "
            f"at most {MAX_UNCLOSED_COMMENTS} unclosed ones can be rendered",
        )
    ]


def over_limits(chapters: Iterable[tuple[Path, str, int]]) -> list[str]:
    """One line per excess, ``file:line:column: message``, for chapters given
    as (file, text, number of the text's first line in the file)."""
    from ..diagnostics import display_path

    return [
        f"{display_path(path)}:{line + first - 1}:{column}: {message}"
        for path, text, first in chapters
        for line, column, message in limits_of(text)
    ]
