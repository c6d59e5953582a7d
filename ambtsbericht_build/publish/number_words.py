"""Numbers spelt out in words, read as their digits (red team pass 4 left
``nul zes een twee drie vier vijf zes zeven nul`` unfound; pass 5 closes it).

A phone number or a reference is read aloud digit by digit or in pairs:
``nul zes een twee ...``, ``nul zes twaalf vierendertig ...``, ``zero six
one two ...``, ``oh six twelve thirty-four ...``. :func:`digit_runs` finds
each run of number words (and digit groups between them) in a text's folded
tokens and gives each word its digits, so the fingerprint index
(:class:`.fingerprint_index.Index`) matches the run as the glued digit
groups of one number. Dutch and English, 0-99: a number of five digits or
more is read in groups of one or two digits, never as "vierhonderdduizend".

A run is read as digits only where it has :data:`MIN_RUN` tokens or more:
a secret number has at least 5 digits (fingerprint.MIN_DIGITS), which takes
3 words of at most 2 digits each. The reading is an extra one (the words
stay words for every other fingerprint), and a match needs the exact digits
of a secret: "een of twee" matches nothing.
"""

from __future__ import annotations

import re
from functools import cache

_UNITS_NL = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS_NL = [
    "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien",
]  # fmt: skip
_TENS_NL = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
_UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS_EN = [
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _table() -> dict[str, str]:
    words: dict[str, str] = {}
    for units, teens, tens in ((_UNITS_NL, _TEENS_NL, _TENS_NL), (_UNITS_EN, _TEENS_EN, _TENS_EN)):
        words.update({w: str(d) for d, w in enumerate(units)})
        words.update({w: str(10 + d) for d, w in enumerate(teens)})
        words.update({w: str(20 + 10 * d) for d, w in enumerate(tens)})
    # Dutch 21-99 is one word, unit first: "vierendertig", "tweeëntwintig"
    # (folded: accents gone, "tweeentwintig"), "eenenveertig"
    for d, ten in enumerate(_TENS_NL):
        for u in range(1, 10):
            words[_UNITS_NL[u] + "en" + ten] = str(20 + 10 * d + u)
    # said for zero ("oh six") and the Dutch "één" folds to "een"
    words["oh"] = "0"
    return words


WORDS: dict[str, str] = _table()
# English tens followed by a unit ("thirty four", "thirty-four": two tokens)
# are one two-digit group
_TENS = frozenset(_TENS_EN)
_UNIT_DIGIT = frozenset(_UNITS_EN[1:])
MIN_RUN = 3


def digit_runs(texts: list[str], cls: bytes | None = None) -> list[list[tuple[str, int, int]]] | None:
    """Each run of :data:`MIN_RUN`+ tokens that are number words or digit
    groups, with at least one word, as its groups: ``(digits, first token,
    end token)``; an English tens word and the unit after it are one group
    (``thirty four``: ``34``). None when there is none. ``cls``: the
    tokens' :func:`.token_runs.classes`, if made already."""
    from . import token_runs  # (it imports WORDS from here)

    if cls is None:
        cls = token_runs.classes(texts)
    numberish, a_word = _patterns()
    out: list[list[tuple[str, int, int]]] = []
    n = len(texts)
    # the runs are found in the tokens' class bytes at C speed: a Python step
    # per number word ("een" is everywhere) cost the benchmark report's audit
    # 0.06 s. A run is a stretch of such tokens, as long as it goes, that
    # holds a word
    for a, end in token_runs.runs(numberish, texts, cls):
        if a_word.search(cls, a, end) is None:
            continue  # digit groups only: a number, not one spoken
        groups: list[tuple[str, int, int]] = []
        j = a
        while j < end:
            t = texts[j]
            if t.isdigit():
                groups.append((t, j, j + 1))
            elif t in _TENS and j + 1 < n and texts[j + 1] in _UNIT_DIGIT:
                groups.append((str(int(WORDS[t]) + int(WORDS[texts[j + 1]])), j, j + 2))
                j += 2
                continue
            else:
                groups.append((WORDS[t], j, j + 1))
            j += 1
        out.append(groups)
    return out or None


@cache
def _patterns() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """A run of number words and digit groups (class bytes), and a number word."""
    from .token_runs import DIGITS, NUMBER_WORD, with_bits

    return re.compile(with_bits(NUMBER_WORD | DIGITS) + b"{%d,}" % MIN_RUN), re.compile(with_bits(NUMBER_WORD))
