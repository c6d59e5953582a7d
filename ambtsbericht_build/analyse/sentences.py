"""Dutch sentence boundaries: the one splitter and the one abbreviation list.

Used for "sentence after the last citation" (AB102, :func:`sentence_ends`),
for the pieces of a confidential text the audit looks for (:func:`segments`)
and for the sentence starts the render finds in pandoc's AST
(:func:`word_ends_sentence`).

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
    art arts p pp o.a i.h.b bijv e.d resp nr nrs z.g ca cf vgl zgn m.b.t m.n d.w.z i.v.m t.a.v t.o.v e.a
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


# the audit's pieces: besides the sentence ends, a clause mark or "!?"
# followed by white space, and a blank line (pieces of a note are matched on
# their own, so a note leaked in part is found)
_CLAUSE_END = re.compile(r"(?<=[;:!?])\s+|\n\s*\n")


def segments(text: str, min_len: int) -> list[str]:
    """The whole text and its sentences and clauses, white space collapsed,
    each at least ``min_len`` characters, the whole text first (when long
    enough): a leak of one sentence is caught as well as a leak of the whole.

    A full stop after an abbreviation, an initial or inside a number does not
    cut ("Zie o.a. het verslag" stays one piece): a fragment like "het
    verslag ..." is no sentence of the note and would match public text."""
    out: list[str] = []
    whole = " ".join(text.split())
    if len(whole) >= min_len:
        out.append(whole)
    cuts = sorted({0, len(text), *sentence_ends(text), *(m.start() for m in _CLAUSE_END.finditer(text))})
    for a, b in zip(cuts, cuts[1:], strict=False):
        part = " ".join(text[a:b].split()).strip(" .;:!?")
        if len(part) >= min_len and part not in out:
            out.append(part)
    return out


_WORD_END = re.compile(r"[.!?][\"'”’)\]]*$")


def word_ends_sentence(word: str) -> bool:
    """Whether a word (pandoc's ``Str``) ends its sentence: it ends in a full
    stop, "!" or "?" (and closing quotes) and is no abbreviation ("o.a.")."""
    return bool(_WORD_END.search(word)) and word.lower().rstrip(".") not in ABBREVIATIONS
