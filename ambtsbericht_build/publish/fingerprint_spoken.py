"""The spoken reading of a text's tokens (:meth:`.fingerprint_index.Index._spoken`):
each run of number words read as the glued digit groups of one number
(``nul zes twaalf``: ``0``, ``6``, ``12``), and the stretches of it that
hold every hit touching such a run (the audit's windows match only those:
the rest of the reading is the plain one's tokens, matched already).
"""

from __future__ import annotations

from typing import NamedTuple


class Spoken(NamedTuple):
    """A spoken reading: its tokens, glue flags and lower-case flags (None:
    not asked for), each token's span of the original tokens, and where
    each run read as digits is in it."""

    texts: list[str]
    glue: list[bool]
    lower: list[bool] | None
    spans: list[tuple[int, int]]
    runs: list[tuple[int, int]]


def spoken_reading(
    texts: list[str], glue: list[bool], lower: list[bool] | None, runs: list[list[tuple[str, int, int]]]
) -> Spoken:
    """The tokens with each of ``runs`` (:func:`.number_words.digit_runs`) replaced by its groups."""
    texts2: list[str] = []
    glue2: list[bool] = []
    lower2: list[bool] = []
    spans: list[tuple[int, int]] = []
    read: list[tuple[int, int]] = []
    k = 0
    # (slices, not a step per token: 1,680,000 appends cost the benchmark
    # report's audit 0.05 s)
    for groups in [*runs, [("", len(texts), len(texts))]]:
        a0 = groups[0][1]
        texts2 += texts[k:a0]
        glue2 += glue[k:a0]
        lower2 += lower[k:a0] if lower is not None else [False] * (a0 - k)
        spans += zip(range(k, a0), range(k + 1, a0 + 1), strict=True)
        start = len(texts2)
        for g, (digits, a, b) in enumerate(groups if groups[0][0] else ()):
            texts2.append(digits)
            glue2.append(g > 0)
            lower2.append(lower[a] if lower is not None else False)
            spans.append((a, b))
        if len(texts2) > start:
            read.append((start, len(texts2)))
        k = groups[-1][2]
    return Spoken(texts2, glue2, lower2 if lower is not None else None, spans, read)


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
