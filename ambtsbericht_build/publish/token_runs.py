"""Runs of tokens of one kind (one-letter tokens, pieces of one to three
letters, number words and digit groups), found by a regex over one byte
per token instead of over the tokens' text.

The fingerprint index looks in every window of every output for a word
written letter by letter (``W i e l e w a a l``), in pieces (``Wi el ew
aal``) and as spoken digits (``nul zes twaalf``): runs of three tokens or
more of a kind. Found by regexes over the NUL-joined tokens, which the
engine tried at each of the 950,000 tokens of the benchmark report's audit
windows with a Unicode class test per character, and by a Python step per
number word (Dutch "een" is everywhere), these took 0.30 of the 0.53 s the
index spent there (``_pieces`` 0.12 s, ``spaced_runs`` 0.06 s,
``digit_runs`` 0.06 s, the NUL joins). Here each token is classified once
per distinct word (:func:`classes`, kept between windows) and the runs are
found at C speed in the bytes of its classes, one per token: a match's
span is the run's span of tokens.

A token's class is tested with the very patterns the runs were found with
(``[^\\W\\d_]``: a letter as the regex engine has it, not ``str.isalpha``),
and the property tests (tests/publish/test_token_runs.py) compare both
forms on random tokens.
"""

from __future__ import annotations

import re
from itertools import repeat

from .number_words import WORDS

# the bits of a token's class
LETTER = 1  # one letter: [^\W\d_]
PIECE = 2  # one to three letters: [^\W\d_]{1,3}
NUMBER_WORD = 4  # a number word (number_words.WORDS)
DIGITS = 8  # str.isdigit()
HARD = 16  # a hard token (:func:`hard`): where the audit's windows are cut (match_memo.py)

_ONE_LETTER = re.compile(r"[^\W\d_]")
_ONE_TO_THREE = re.compile(r"[^\W\d_]{1,3}")


def hard(token: str) -> bool:
    """A token no reading of the index joins to its neighbours: a word of 4+
    letters that is not a number word (see :mod:`.match_memo`)."""
    return len(token) >= 4 and token.isalpha() and token not in WORDS


def class_of(token: str) -> int:
    """The class bits of one token."""
    c = HARD if hard(token) else 0
    if _ONE_LETTER.fullmatch(token):
        c |= LETTER
    if _ONE_TO_THREE.fullmatch(token):
        c |= PIECE
    if token in WORDS:
        c |= NUMBER_WORD
    if token.isdigit():
        c |= DIGITS
    return c


def with_bits(bits: int) -> bytes:
    """A regex class (bytes) of every class value with any of ``bits``."""
    return b"[" + b"".join(re.escape(bytes([v])) for v in range(32) if v & bits) + b"]"


# the classes of the distinct tokens seen so far: one report's words, a
# few tens of thousands, up to this many (a hostile text's are classified for
# it alone, never emptied: another thread may be reading it)
_CACHE: dict[str, int] = {}
_CACHE_MAX = 200_000
_UNSEEN = 255


def classes(texts: list[str]) -> bytes:
    """One class byte per token of ``texts``."""
    cache = _CACHE
    # (a byte no class has for a word not seen yet: no exception that throws away the work)
    got = bytes(map(cache.get, texts, repeat(_UNSEEN)))
    if _UNSEEN not in got:
        return got
    new = set(texts).difference(cache)
    if len(cache) + len(new) > _CACHE_MAX:
        local = {t: class_of(t) for t in set(texts)}
        return bytes(map(local.__getitem__, texts))
    for t in new:
        cache[t] = class_of(t)
    return bytes(map(cache.__getitem__, texts))


def runs(pattern: re.Pattern[bytes], texts: list[str], cls: bytes | None = None) -> list[tuple[int, int]]:
    """[start, end) of each match of ``pattern`` (over class bytes: :func:`with_bits`) in the tokens."""
    return [m.span() for m in pattern.finditer(classes(texts) if cls is None else cls)]
