"""Text that looks like a citation but is not one (or not the house style's).

Decided, so that ordinary brackets raise no false alarm:

- a bracket without ``@`` counts only when its first word is a known source
  id, or looks like one (letters, a hyphen, a four-digit year:
  ``hrw-2026``, ``ai-2025-rapport``);
- ``(@key)``: a citation in parentheses, which pandoc prints in the text
  (author and year) instead of as a note; so does a bare ``@key`` in a
  sentence (``@hrw-2026 stelt``), outside any bracket, when the key is a
  known source id (an e-mail address or a handle is not: ``@`` must not
  follow a letter, digit or dot);
- ``[@ key]``: a space after ``@`` is no citation;
- a key in code or in a link target counts only when it is a known source id
  written as a citation (`` `[@hrw-2026]` ``, ``(https://x/@hrw-2026)``): code
  that merely contains an ``@`` (an e-mail address, a handle) is not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from ..diagnostics import Severity
from ..load import LoadedChapter, LoadedReport
from ..load.markdown import Block
from ..load.markdown.lexer import KEY, code_spans
from . import ByChapter, Context, Finding, RuleDoc, by_chapter, chapter, rule

# "hrw-2026", "ai-2025-rapport", "vb-2025-11-04": letters, a hyphen, a year
LOOKS_LIKE_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*[-_](?:19|20)\d\d(?:[-_][A-Za-z0-9]+)*")
BRACKET = re.compile(r"(?<![!\]\\^])\[([^\[\]@\n]{1,200})\](?![(\[{:])")
PAREN_CITE = re.compile(r"\((-?@" + KEY + r"[^()\n]{0,200})\)")
SPACED = re.compile(r"\[\s*@\s+([\w][\w:.#$%&\-+?<>~/]*)[^\[\]\n]{0,200}\]")
CODE_CITE = re.compile(r"^\[?-?@" + KEY + r"[^`]*\]?$")
BARE = re.compile(r"(?<![\w.@\[;(-])-?@" + KEY)  # "(@key)" is PAREN_CITE's


def _bracket_depths(t: str) -> Callable[[int], int]:
    """How many unescaped ``[`` are open before an offset of ``t``: from the
    brackets alone, found at C speed, instead of a Python step per character
    of every block with a known key written bare (the benchmark report's
    AB110: 0.035 -> 0.030 s)."""
    at: list[int] = []  # where the depth changes
    after: list[int] = []  # ... and what it is then
    depth = 0
    for m in _UNESCAPED_BRACKET.finditer(t):
        if m.group() == "[":
            depth += 1
        elif depth:
            depth -= 1
        else:
            continue
        at.append(m.start())
        after.append(depth)

    def before(offset: int) -> int:
        k = bisect.bisect_left(at, offset)
        return after[k - 1] if k else 0

    return before


_UNESCAPED_BRACKET = re.compile(r"(?<!\\)[\[\]]")


def _first_word(s: str) -> str:
    return re.split(r"[\s,;]", s.strip(), maxsplit=1)[0]


def findings(b: Block, known: set[str]) -> Iterator[tuple[int, str]]:
    """(offset in the block's text, message) for each citation-like text."""
    t = b.text
    code = code_spans(t)
    in_code = [False] * (len(t) + 1)
    for s, e in code.items():
        for k in range(s, e):
            in_code[k] = True
        inner = t[s:e].strip("`").strip()
        m = CODE_CITE.match(inner)
        if m and (m.group(1) or m.group(2)) in known:
            yield s, f"'{inner}' is in code, so it is printed as written, not cited: write it without backticks"
    for m in BRACKET.finditer(t):
        if in_code[m.start()]:
            continue
        word = _first_word(m.group(1))
        if word in known or LOOKS_LIKE_ID.fullmatch(word):
            yield m.start(), f"'{m.group(0)}' is not a citation (no '@'): write '[@{m.group(1).strip()}]'"
    for m in PAREN_CITE.finditer(t):
        if in_code[m.start()]:
            continue
        yield (
            m.start(),
            f"'{m.group(0)}' prints the author in the text, not a note: write '[{m.group(1)}]'",
        )
    depths: Callable[[int], int] | None = None  # made on the first bare key that needs it
    for m in BARE.finditer(t):
        key = m.group(1) or m.group(2)
        if in_code[m.start()] or key not in known:
            continue
        if depths is None:
            depths = _bracket_depths(t)
        if depths(m.start()):
            continue
        yield (
            m.start(),
            f"'{m.group(0)}' is an in-text citation: the house style puts every source in a note;"
            f" write the claim, then '[@{key}]'",
        )
    for m in SPACED.finditer(t):
        if in_code[m.start()]:
            continue
        yield m.start(), f"'{m.group(0)}' is not a citation (space after '@'): write '[@{m.group(1)}]'"
    for link in b.links:
        for m in re.finditer(r"@" + KEY, link.target):
            key = m.group(1) or m.group(2)
            if key in known:
                yield (
                    link.offset,
                    f"the link target '{link.target}' holds the citation key '{key}': cite [@{key}] instead",
                )


def _known(lr: LoadedReport) -> set[str]:
    return set(lr.source_index())


def _in_chapter(known: set[str], lc: LoadedChapter) -> Iterator[Finding]:
    for b in lc.chapter.all_blocks():
        if b.kind in ("code", "raw", "unread") or (b.div is not None and b.div.intern):
            continue
        for offset, message in findings(b, known):
            line, col = b.pos(offset)
            yield Finding(lc.file, line, col, message)


@rule(
    "AB110",
    Severity.WARNING,
    "text that looks like a citation but is not one, or cites in the text:"
    " `[hrw-2026]`, `(@hrw-2026)`, `@hrw-2026 stelt`, `[@ hrw-2026]`, a key in code",
    RuleDoc(
        finds="""
        Text a drafter probably meant as a citation, which pandoc does not
        read as one (or reads as an in-text citation): a bracket whose first
        word is a source id (known, or shaped like one: `hrw-2026`) without
        `@`, as in `[hrw-2026, p. 14]`; a citation in parentheses,
        `(@hrw-2026)`, which prints the author in the running text instead
        of a note, and so does a bare known key in a sentence
        (`@hrw-2026 stelt`); `[@ hrw-2026]` (a space after `@`); a known
        source id written as a citation in code (`` `[@hrw-2026]` ``) or in a
        link target. Code that merely contains an `@`, an e-mail address or
        a handle is not reported.
        """,
        why="""
        The text reads as sourced to anyone who checks the Markdown, but the
        published report shows brackets and no note: the citation is lost
        where a court looks for it.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025] De opkomst was laag [hrw-2025, p. 3].
            """),
        ),
        fix="Write the citation the pandoc way: `[@hrw-2025, p. 3]`.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Op 1 maart 2025 vonden verkiezingen plaats.[@hrw-2025] De opkomst was laag.[@hrw-2025, p. 3]
            """),
        ),
    ),
    # walked chapter by chapter while pandoc reads (check/__init__.py
    # ByChapter), kept between checks: the known keys are the sources'
    early=lambda lr: ByChapter(lr, _known, _in_chapter, kept_as="AB110"),
)
def citation_like(ctx: Context) -> Iterator[Finding]:
    yield from by_chapter(ctx, "AB110", _known, _in_chapter, kept_as="AB110")
