"""The runs of tokens found in their class bytes (publish/token_runs.py)
are the runs the fingerprint index found before in the NUL-joined tokens
(one-letter tokens, pieces of one to three letters) and by a step per
number word (spoken numbers): the earlier forms are kept here and compared
on random tokens of every kind, with the class cache both empty and full."""

from __future__ import annotations

import re
from itertools import compress

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish import fingerprint_index, token_runs
from ambtsbericht_build.publish.number_words import _TENS, _UNIT_DIGIT, MIN_RUN, WORDS, digit_runs
from ambtsbericht_build.publish.text import token_texts

# the regexes over the tokens joined by NUL, as fingerprint_index had them
_RUN_OF_LETTERS = re.compile(r"\x00([^\W\d_](?:\x00[^\W\d_]){2,})(?![^\x00])")
_RUN_OF_PIECES = re.compile(r"\x00([^\W\d_]{1,3}(?:\x00[^\W\d_]{1,3}){2,})(?![^\x00])")


def _nul_runs(pattern: re.Pattern[str], texts: list[str]) -> list[tuple[int, int]]:
    joined = "\x00" + "\x00".join(texts)
    out = []
    for m in pattern.finditer(joined):
        a = joined.count("\x00", 0, m.start(1)) - 1
        out.append((a, a + m.group(1).count("\x00") + 1))
    return out


def _digit_runs_before(texts: list[str]) -> list[list[tuple[str, int, int]]] | None:
    """number_words.digit_runs as it was: a step per number word."""
    out: list[list[tuple[str, int, int]]] = []
    n = len(texts)
    i = 0
    for start in compress(range(n), map(WORDS.__contains__, texts)):
        if start < i:
            continue
        i = start
        a = i
        while a and texts[a - 1].isdigit():
            a -= 1
        groups: list[tuple[str, int, int]] = []
        j = a
        while j < n:
            t = texts[j]
            if t.isdigit():
                groups.append((t, j, j + 1))
            elif t in WORDS:
                if t in _TENS and j + 1 < n and texts[j + 1] in _UNIT_DIGIT:
                    groups.append((str(int(WORDS[t]) + int(WORDS[texts[j + 1]])), j, j + 2))
                    j += 2
                    continue
                groups.append((WORDS[t], j, j + 1))
            else:
                break
            j += 1
        if j - a >= MIN_RUN:
            out.append(groups)
        i = max(j, i + 1)
    return out or None


# tokens of every class and of none: letters of other scripts, a letter
# that is no \w letter for the regex engine (ª is, ² is not: NFKC folds it,
# but a reading's joined token may hold anything), digits of other scripts,
# number words (three letters or more: "een" is a piece too), mixed tokens
# of the note-call reading ("merel21hof")
_TOKENS = [
    "a", "b", "é", "ß", "ª", "ǅ", "ab", "abc", "abcd", "ka", "rel", "sm", "it", "wielewaal",
    "1", "12", "0218", "٣", "²", "_", "a1", "merel21hof", "",
    "een", "twee", "nul", "zes", "twaalf", "oh", "one", "thirty", "four", "twenty", "vierendertig",
]  # fmt: skip


@example(["thirty", "four", "twenty"], True)
@example(["a", "b", "c", "een", "twee", "drie"], False)
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=60), st.booleans())
def test_runs_are_the_runs_found_before(texts: list[str], cold: bool) -> None:
    if cold:
        token_runs._CACHE.clear()  # noqa: SLF001
    assert fingerprint_index.spaced_runs(texts) == _nul_runs(_RUN_OF_LETTERS, texts)
    assert token_runs.runs(fingerprint_index._PIECE_RUN, texts) == _nul_runs(_RUN_OF_PIECES, texts)  # noqa: SLF001
    assert digit_runs(texts) == _digit_runs_before(texts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aéß ªb1²٣-\n.een twee nul zes"), max_size=80))
def test_runs_of_real_readings_are_the_runs_found_before(s: str) -> None:
    for texts, _ in token_texts(s):
        assert fingerprint_index.spaced_runs(texts) == _nul_runs(_RUN_OF_LETTERS, texts)
        assert digit_runs(texts) == _digit_runs_before(texts)


def test_a_full_cache_is_emptied_not_grown(monkeypatch) -> None:
    monkeypatch.setattr(token_runs, "_CACHE_MAX", 5)
    token_runs._CACHE.clear()  # noqa: SLF001
    texts = ["a", "b", "c", "d", "e", "f", "g"]
    assert token_runs.classes(texts) == bytes([token_runs.LETTER | token_runs.PIECE]) * 7
    assert len(token_runs._CACHE) <= 7  # noqa: SLF001
    assert token_runs.classes(["een", "12"]) == bytes([token_runs.PIECE | token_runs.NUMBER_WORD, token_runs.DIGITS])
    assert len(token_runs._CACHE) <= 5  # noqa: SLF001
