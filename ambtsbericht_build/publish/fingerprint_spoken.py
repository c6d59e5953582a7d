"""The spoken reading of a text's tokens (:meth:`.fingerprint_index.Index._spoken`):
each run of number words read as the glued digit groups of one number
(``nul zes twaalf``: ``0``, ``6``, ``12``), and the stretches of it that
hold every hit touching such a run (the audit's windows match only those:
the rest of the reading is the plain one's tokens, matched already).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple


class Spoken(NamedTuple):
    """A spoken reading: its tokens, glue flags and lower-case flags (None:
    not asked for), where each run read as digits is in it, and where its
    tokens come from (:meth:`span`)."""

    texts: list[str]
    glue: list[bool]
    lower: list[bool] | None
    runs: list[tuple[int, int]]
    # each run's groups' spans of the original tokens, by their place here
    groups: dict[int, tuple[int, int]]
    # the start of each stretch copied as it was, and how far on its
    # tokens are in the original (a span per token, 1,000,000 tuples for
    # the benchmark report's audit windows, cost 0.03 s; hits are few)
    copied: list[int]
    shift: list[int]

    def span(self, k: int) -> tuple[int, int]:
        """The original tokens the ``k``-th token of this reading reads."""
        got = self.groups.get(k)
        if got is not None:
            return got
        at = k + self.shift[bisect_right(self.copied, k) - 1]
        return at, at + 1


def spoken_reading(
    texts: list[str], glue: list[bool], lower: list[bool] | None, runs: list[list[tuple[str, int, int]]]
) -> Spoken:
    """The tokens with each of ``runs`` (:func:`.number_words.digit_runs`) replaced by its groups."""
    texts2: list[str] = []
    glue2: list[bool] = []
    lower2: list[bool] | None = [] if lower is not None else None
    groups: dict[int, tuple[int, int]] = {}
    copied: list[int] = []
    shift: list[int] = []
    read: list[tuple[int, int]] = []
    k = 0
    # (slices, not a step per token: 1,680,000 appends cost the benchmark
    # report's audit 0.05 s)
    for run in [*runs, [("", len(texts), len(texts))]]:
        a0 = run[0][1]
        copied.append(len(texts2))
        shift.append(k - len(texts2))
        texts2 += texts[k:a0]
        glue2 += glue[k:a0]
        if lower2 is not None and lower is not None:
            lower2 += lower[k:a0]
        start = len(texts2)
        for g, (digits, a, b) in enumerate(run if run[0][0] else ()):
            groups[len(texts2)] = (a, b)
            texts2.append(digits)
            glue2.append(g > 0)
            if lower2 is not None and lower is not None:
                lower2.append(lower[a])
        if len(texts2) > start:
            read.append((start, len(texts2)))
        k = run[-1][2]
    return Spoken(texts2, glue2, lower2, read, groups, copied, shift)


def around(texts: list[str], runs: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
    """Stretches of ``texts`` that hold every hit touching one of ``runs``:
    from the last hard token (:func:`.match_memo.hard`) ``reach``
    (:func:`.match_memo.span`) tokens or more before a run to the first one
    as far after it. A hit in a row is at most that long, and no other hit
    (letter by letter, in pieces) holds a digit group; a stretch is cut only
    at a hard token, over which no reading runs, so it finds there what
    the whole finds (as the memo's windows do). 168 of the benchmark
    report's 582 windows have a run: each was read twice whole, 0.16 s."""
    from .match_memo import hard  # (match_memo imports the index, which imports this)

    out: list[tuple[int, int]] = []
    n = len(texts)
    for r0, r1 in runs:
        a = r0 - reach
        while a > 0 and not hard(texts[a]):
            a -= 1
        b = r1 + reach
        while b < n and not hard(texts[b]):
            b += 1
        a, b = max(a, 0), min(b, n)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
