"""Dutch sentence boundaries, for "sentence after the last citation" (AB102).

A full stop ends a sentence only when it is followed by white space and then
something that can start a sentence (a capital, a digit, a quote or bracket,
or Dutch "'s"/"'t" as in "'s Avonds"), and when the word before it is not an
abbreviation ("art.", "bijv.", "nr.", "para."), letters with full stops
("o.a.", "d.d.", "t.a.v.", initials as in "J.K. Doe") or part of a number
("1.200", "3.1").
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
    art arts p pp o.a bijv e.d resp nr nrs z.g ca cf vgl zgn m.b.t m.n d.w.z i.v.m t.a.v t.o.v e.a
    enz etc jl jr sr dr mr prof ir ing drs mevr dhr st min afd par hfdst blz red ed eds vs
    jan feb mrt apr jun jul aug sep sept okt nov dec
    i.e e.g al no fig tab incl excl max min mln mld mrd
    ibid evt bv nl gem ong vnl mw stb kst jrg vol nos pag para paras sec hfst fn vert aant
    """.split()
)

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")
_STARTER = re.compile(r"\s+(?:[\"'“‘„«(\[]?[A-ZÀ-ÖØ-Þ0-9]|['‘’][st]\b)")
_WORD_BEFORE = re.compile(r"(\S+)$")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-ending punctuation run in ``text``."""
    ends: list[int] = []
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        if end < len(text) and not _STARTER.match(text, end):
            continue
        if m.group(0)[0] == ".":
            # a bounded look back: searching from 0 would make a long text quadratic
            wm = _WORD_BEFORE.search(text, max(0, m.start() - 64), m.start())
            word = wm.group(1) if wm else ""
            bare = word.lstrip("([\"'“‘").lower()
            if bare in ABBREVIATIONS:
                continue
            # initials: "J." or "J.K." ; ordinals and numbers "3." within enumerations
            if re.fullmatch(r"(?:[A-Za-zÀ-ÿ]\.)*[A-Za-zÀ-ÿ]", bare):
                continue
        ends.append(end)
    return ends


def has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)
