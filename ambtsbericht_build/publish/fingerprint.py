"""Fingerprints of a secret value: the pieces of it that identify someone.

A drafter does not paste a whole ``internal.notes`` into the text; they paste
the code name, the reference number, a name, a phone number, half a sentence.
So every internal value (and every field of a confidential source that is
not printed) is cut into *fingerprints*, each a sequence of folded tokens
(:func:`.text.tokens`), and each of them is looked for on its own:

=================  ==================================================================
what               which pieces of the value
=================  ==================================================================
e-mail address     ``x@y.z``
quoted name        a term in quotes (``contact 'Kompas'``): a code name, even a common word
code name          a term recorded as a name without quotes (:func:`code_names`): the
                   whole value under a key that says so (``codenaam: Kompas``), the key
                   of such a value (``Kompas: codenaam``), a capitalised term in
                   parentheses or emphasis (``contact (Kompas)``, ``*Kompas*``); a common
                   word is then found only where it is not written in lower case
reference number   letters and digits joined by ``-/._:#`` (``AMB-VB/2025/0218``), or
                   glued (``BZ2025``)
number             5 digits or more once separators are removed (``06-1234 5670``),
                   unless it is a date
name               two or more capitalised words in a row (``Piet Jansen``,
                   ``Jan de Vries``)
rare word          a capitalised word of 3+ letters, or any word of 6+ letters, that is
                   not a common Dutch or English word (:func:`common`); one of 6+
                   letters not in the list at all also at the start or the end of a
                   longer word, or split by a hyphen or space (:class:`Index`)
run of words       every 3 consecutive words of the value with at least 2 content words
                   (not function words, not on the allow list), one of them rare
                   (outside the ~10,000 most frequent) or a number of 5+ digits
=================  ==================================================================

Not looked for alone: a common word (even capitalised), a date, a number of
fewer than 5 digits, a word on the report's allow list (``public_terms``).
They are found as part of a run of words. A date in ``internal``
(``gesprek: 2026-09-01``) identifies nobody and the report's own date is
printed on every page: it is never a fingerprint alone (YAML 1.1 would have
read it as a date; abuild keeps it as text, see models.yaml11_date_or_bool).

Other writings of every fingerprint (red team pass 4): :class:`Index` also
looks for it backwards (:func:`backwards`: ``laaweleiW``, or stored so
behind a right-to-left override, which a viewer shows forwards) and reads a
run of one-letter tokens joined (``W i e l e w a a l``: :func:`spaced_runs`);
a reference is looked for with its segments in any order and its year
written short (``4471-TR-2026``, ``TR/26/4471``). Red team pass 5: a number
spelt out in words (:mod:`.number_words`), text upside down
(:func:`.text.upright`), a word in pieces of two or three letters
(:class:`Index`), and a name's first word with the surname's initial
(``Marleen O.``, below).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .fingerprint_forms import _contains, _date_digits, _phone_forms, _reference_forms
from .fingerprint_index import Index, backwards, spaced_runs
from .fingerprint_names import HOLDER, code_names
from .fingerprint_words import (
    COMMON_CAPITALISED,
    COMMON_LOWER,
    FUNCTION_WORD,
    RUN_LENGTH,
    RUN_RARE,
    common,
    compound,
    token_seq,
)
from .text import Token, joined, tokens

# what importers take from here (the split modules hold the code)
__all__ = [
    "CODE_NAME", "EMAIL", "HOLDER", "NAME", "NUMBER", "QUOTED", "QUOTES", "RARE", "REFERENCE", "RUN", "WHOLE",
    "Index", "Print", "allow_set", "backwards", "common", "compound", "fingerprints", "spaced_runs", "token_seq",
]  # fmt: skip

EMAIL = "e-mail address"
QUOTED = "quoted name"
REFERENCE = "reference number"
NUMBER = "number"
NAME = "name"
RARE = "rare word"
RUN = "run of words"
WHOLE = "whole value"
CODE_NAME = "code name"

MIN_DIGITS = 5

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REFERENCE = re.compile(r"[^\W_]+(?:[-/._:#][^\W_]+)+")
# any quote-like character: ASCII ' " `, every initial and final quote of
# Unicode (Pi, Pf: ‘ ’ “ ” « » ‹ ›), the low-9 and reversed ones, CJK corner
# brackets, fullwidth forms, primes. Any two of them around a short phrase,
# not inside a word (an apostrophe: "'s-Gravenhage"), make a quoted name:
# ’Kompas’ (two right quotes, an autocorrect result), bron=“Kompas”, `Kompas`
QUOTES = (
    "'\"`\u00b4\u201a\u201e\u2032\u2033\u300c\u300d\u300e\u300f\u301d\u301e\u301f\uff02\uff07"
    # Pi and Pf of Unicode 14
    "\u00ab\u00bb\u2018\u2019\u201b\u201c\u201d\u201f\u2039\u203a\u2e02\u2e03\u2e04\u2e05\u2e09\u2e0a"
    "\u2e0c\u2e0d\u2e1c\u2e1d\u2e20\u2e21"
)
_Q = "[" + re.escape(QUOTES) + "]"
_QUOTED = re.compile(f"(?<![^\\W_]){_Q}([^\\n{re.escape(QUOTES)}]{{1,60}})(?={_Q}(?![^\\W_]))")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}")
# between the words of one name: spaces or a hyphen, not a comma or a full stop
_NAME_GAP = re.compile(r"[\s\-\u2010\u2011]*")
_PARTICLES = {"de", "van", "der", "den", "het", "ten", "ter", "te", "la", "le", "di", "da", "el", "al", "bin", "ibn"}


@dataclass(frozen=True)
class Print:
    tokens: tuple[str, ...]
    what: str  # one of the names above: how a finding describes it


def allow_set(terms: list[str] | tuple[str, ...]) -> set[tuple[str, ...]]:
    """The report's ``public_terms`` as token sequences."""
    return {t for t in (token_seq(term) for term in terms) if t}


def _span_tokens(toks: list[Token], start: int, end: int) -> tuple[str, ...]:
    return tuple(t.text for t in toks if t.start >= start and t.end <= end)


def fingerprints(
    value: str, allow: set[tuple[str, ...]] | frozenset[tuple[str, ...]] = frozenset(), label: str = ""
) -> list[Print]:
    """Every fingerprint of ``value`` (see the module docstring). ``label``:
    the key ``value`` is written under, or for a key the value it holds
    (``codenaam`` of ``codenaam: Kompas`` and of ``Kompas: codenaam``)."""
    if "&" in value:
        # pasted from an HTML e-mail (Zw&#97;rtvoet): what pandoc prints
        value = html.unescape(value)
    groups = tokens(value)
    toks = joined(groups)
    if not toks:
        return []
    freq = common()
    allowed_words = {a[0] for a in allow if len(a) == 1}
    out: dict[tuple[str, ...], str] = {}

    longer = [a for a in allow if len(a) > 1]

    def add(seq: tuple[str, ...], what: str) -> None:
        if not seq or seq in allow or seq in out:
            return
        # a piece of an allowed name ("ministerie van binnenlandse" of
        # "Ministerie van Binnenlandse Zaken") is public too; a single word
        # inside a longer entry is not (red team pass 5: "Wielewaal is een
        # vogel" allowed the code name Wielewaal): an entry allows what it
        # says, and a word alone is its own entry
        if len(seq) > 1 and any(_contains(a, seq) for a in longer):
            return
        out[seq] = what

    for m in _EMAIL.finditer(value):
        add(_span_tokens(toks, m.start(), m.end()), EMAIL)
        # the words of its local part are a handle, as rare as a capitalised
        # word must be: "wielewaal" (Zipf 2.5) of wielewaal-7731@veilig.example;
        # not "secretariaat" (3.4) or "info" (4.6)
        at = value.index("@", m.start())
        for t in toks:
            if m.start() <= t.start and t.end <= at and not t.digits and len(t.text) >= 3:
                if freq.get(t.text, "00") < COMMON_CAPITALISED and t.text not in allowed_words:
                    add((t.text,), RARE)
    for m in _QUOTED.finditer(value):
        inner = m.group(1)
        if not inner.strip() or (inner != inner.strip() and inner[0] != " "):
            continue  # "'s-Gravenhage en '": an apostrophe, then the next quote's
        seq = token_seq(inner)
        if 0 < len(seq) <= 5:
            add(seq, QUOTED)
    dates = [(m.start(), m.end()) for m in _DATE.finditer(value)]

    def is_date(t: Token) -> bool:
        return any(a <= t.start and t.end <= b for a, b in dates)

    in_reference: set[int] = set()
    for m in _REFERENCE.finditer(value):
        chunk = m.group(0)
        if any(c.isdigit() for c in chunk) and any(c.isalpha() for c in chunk):
            seq = _span_tokens(toks, m.start(), m.end())
            add(seq, REFERENCE)
            for other in _reference_forms(chunk, seq):
                add(other, REFERENCE)
            # its short letter groups ("AMB" of AMB-VB/2025/0218) are not
            # looked for alone; a word ("Wielewaal" of Wielewaal-7731) is
            in_reference.update(k for k, t in enumerate(toks) if t.start >= m.start() and t.end <= m.end())
    # numbers: every run of digit groups of 5+ digits ("tel. 0612345670 /
    # 0687654321" is two numbers, or one: both are looked for)
    for i, g in enumerate(groups):
        if not g.digits or (g.glue and i and groups[i - 1].digits):
            continue
        run = [g]
        while i + len(run) < len(groups) and groups[i + len(run)].glue:
            run.append(groups[i + len(run)])
        for a in range(len(run)):
            for b in range(a + 1, len(run) + 1):
                sub = run[a:b]
                digits = "".join(x.text for x in sub)
                span = Token(digits, sub[0].start, sub[-1].end)
                if len(digits) >= MIN_DIGITS and not is_date(span) and not _date_digits(digits):
                    add((digits,), NUMBER)
                    if a == 0 and b == len(run):  # the whole number, as written
                        plus = value[max(0, sub[0].start - 2) : sub[0].start].rstrip().endswith("+")
                        for form in _phone_forms(digits, plus):
                            add((form,), NUMBER)
    for i, t in enumerate(toks):
        if t.digits:
            # glued to letters in one word (BZ2025): a reference
            if i and toks[i - 1].start == t.start and not toks[i - 1].digits:
                add((toks[i - 1].text, t.text), REFERENCE)
            continue
        if t.text in allowed_words or (i in in_reference and len(t.text) <= 4):
            continue  # the prefix of a reference ("AMB" of AMB-VB/2025/0218), not a name
        z = freq.get(t.text, "00")
        if t.cap and len(t.text) >= 3 and z < COMMON_CAPITALISED:
            add((t.text,), RARE)
        elif len(t.text) >= 6 and z < COMMON_LOWER and not compound(t.text, freq):
            add((t.text,), RARE)
    # names: capitalised words in a row, Dutch particles allowed between them
    i = 0
    while i < len(toks):
        if not (toks[i].cap and not toks[i].digits) or i in in_reference:
            i += 1
            continue
        j = i + 1
        caps = 1
        last = i
        while (
            j < len(toks)
            and (toks[j].cap or toks[j].text in _PARTICLES)
            and not toks[j].digits
            and j not in in_reference
            and _NAME_GAP.fullmatch(value, toks[j - 1].end, toks[j].start) is not None
        ):
            if toks[j].cap:
                caps += 1
                last = j
            j += 1
        if caps >= 2:
            name = tuple(t.text for t in toks[i : last + 1])
            add(name, NAME)
            if len(name[0]) >= 2 and name[0] not in _PARTICLES:
                # "Bakker, Piet" (a list of names) and "P. Bakker" (an initial)
                add(name[1:] + name[:1], NAME)
                add((name[0][0],) + name[1:], NAME)
                if len(name[0]) >= 3 and len(name[-1]) >= 2:
                    # "Marleen O." (red team pass 5): the first name with the
                    # surname's initial names the person to anyone who knows
                    # the surname; only this secret's own name is looked for
                    add((name[0], name[-1][0]), NAME)
        i = max(last + 1, i + 1)
    # runs of words: a date or a short number counts as a word here (it is
    # part of what the drafter wrote), but a run needs a rare word or a
    # distinctive number besides it: "van 2 april" is in every output that
    # prints a source of 2 April (the render writes dates the check never sees)
    for i in range(len(toks) - RUN_LENGTH + 1):
        run = toks[i : i + RUN_LENGTH]
        content = sum(
            1 for t in run if t.text not in allowed_words and (t.digits or freq.get(t.text, "00") < FUNCTION_WORD)
        )
        rare = any(
            (t.digits and len(t.text) >= MIN_DIGITS and not is_date(t) and not _date_digits(t.text))
            or (not t.digits and t.text not in allowed_words and freq.get(t.text, "00") < RUN_RARE)
            for t in run
        )
        if content >= 2 and rare:
            add(tuple(t.text for t in run), RUN)
    # last: a term that is already a rare word or a name stays one (found in
    # any case); what is left is a common word, found only as a name
    for seq in code_names(value, label, freq):
        if not all(t in allowed_words for t in seq):
            add(seq, CODE_NAME)
    return [Print(seq, what) for seq, what in out.items()]
