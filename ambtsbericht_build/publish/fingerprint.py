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
written short (``4471-TR-2026``, ``TR/26/4471``).
"""

from __future__ import annotations

import gzip
import html
import itertools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .text import Token, dehyphenated, fold_token, folded_words, joined, tokens

EMAIL = "e-mail address"
QUOTED = "quoted name"
REFERENCE = "reference number"
NUMBER = "number"
NAME = "name"
RARE = "rare word"
RUN = "run of words"
WHOLE = "whole value"
CODE_NAME = "code name"

# Zipf frequency x10, as two-digit strings (common() keeps them so), from
# which a word is common: 3.0 = once per million
# words. Measured on the example report's internal values: "kantoor" 4.9,
# "ambassade" 4.1, "Havenstad" 3.6 (a Dutch noun, too) are common;
# "Lindenplein" (absent), "Karimi" 2.1, "Westmark" 1.8 are rare.
COMMON_CAPITALISED = "30"
# a lower-case word is distinctive only when it is not in the list at all
# (Zipf < 2.5): Dutch compounds ("gespreksverslag") are often rare in
# wordfreq and yet ordinary in a report, so they must also be 6+ letters
COMMON_LOWER = "25"
# function words ("de", "in", "van", "met", "niet"; Zipf >= 5.5): a run of
# words needs two words that are not
FUNCTION_WORD = "55"
# a run of words needs one word outside the ~10,000 most frequent ones (or
# a number of MIN_DIGITS digits that is not a date)
# (Zipf < 4.5): "lokale journalist uit" (5.0, 4.6, 6.6) is in any report,
# "medewerker westerse ambassade" (4.7, 4.4, 4.1) points at a person
RUN_RARE = "45"
RUN_LENGTH = 3
# a number is written in at most this many groups (0 6 1 2 3 4 5 6 7 0: 10)
MAX_GROUPS = 12
MIN_DIGITS = 5
# a rare word this long (not in the common list at all) is found as the start
# of a longer word: Zwartvoets, Lindenpleinbuurt
PREFIX = 6
_HEAD = operator.itemgetter(slice(0, PREFIX))
_TAIL = operator.itemgetter(slice(-PREFIX, None))
# a rare word at the end of a compound may take an ending (Oudzwartvoets)
ENDINGS = ("", "s", "e", "en")
# masked matching (red team pass 3, NL10): a look-alike no table knows
# (Cyrillic ь for b, Armenian լ for l, Georgian Ⴝ for S, Gothic 𐌺 for K)
# stays a letter of another script in the folded token. A single-word
# secret of MASK_MIN+ letters is found where a token differs from it only at
# one position (two, from MASK_TWO letters) and there the token has a
# character outside :data:`EXPECTED`. Only such tokens are looked up: on
# Dutch text (whose accents fold away) that is none
MASK_MIN = 4
MASK_TWO = 9
_MASK = "\x00"
# what a folded Latin word is written in: a-z, digits and what the letters
# of European orthographies (Latin-1 Supplement and Latin Extended-A,
# U+00C0-U+017F) fold to (æ, ø, ð, þ, đ, ħ, ł ...)
EXPECTED = frozenset(
    "abcdefghijklmnopqrstuvwxyz0123456789" + "".join(fold_token(chr(c)) for c in range(0xC0, 0x180) if chr(c).isalpha())
)
# a split rare word is looked for from a first part this long (Zwa-rtvoet,
# not Zw-artvoet): "de", "en", "in" would start a join in every sentence
MIN_PART = 3
# ... in at most this many pieces (Moer-bei-boom: 3), so a text of n tokens
# costs at most 3n joins whatever the words
MAX_PIECES = 4

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


@lru_cache(maxsize=1)
def common() -> dict[str, str]:
    """Folded word -> Zipf frequency x10 (Dutch or English, whichever is
    higher), for words with a Zipf frequency of 2.5 or more. Generated by
    scripts/gen_common_words.py from wordfreq 3.1.1; 91,294 words, loaded
    in ~40 ms when the first secret is fingerprinted."""
    data = resources.files(__package__).joinpath("data/common_words.txt.gz").read_bytes()
    # two-digit strings compare like the numbers; one split is 3x faster
    # than parsing 91,294 ints (35 ms instead of 110 ms)
    words = gzip.decompress(data).decode("utf-8").split()
    return dict(zip(words[0::2], words[1::2], strict=True))


def token_seq(text: str) -> tuple[str, ...]:
    """``text`` as a sequence to look for (numbers joined)."""
    return tuple(t.text for t in joined(tokens(text)))


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
        # "Ministerie van Binnenlandse Zaken") is public too
        if any(_contains(a, seq) for a in longer):
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


# Keys that say their value is a name (NL3 of the second red-team report:
# ``codenaam: Kompas`` is the natural way to record a code name): any value
# of 1-3 words under them is one. Folded key words, matched whole or, for
# the ``-naam``/``-name`` family, as a word's end (codenaam, schuilnaam,
# bijnaam, roepnaam, deknaam, voornaam, nickname, codename)
NAME_KEYS = frozenset({"code", "codes", "alias", "aliassen", "aliases", "pseudoniem", "pseudonym", "handle", "nick"})
NAME_KEY_ENDS = ("naam", "namen", "name", "names")
# Keys that hold a person, or a description of one (``who: diplomatiek
# medewerker``): only a value of one capitalised word is a name under them
PERSON_KEYS = frozenset(
    {"who", "wie", "bron", "source", "informant", "contact", "contactpersoon", "tipgever", "persoon", "person"}
)
MAX_CODE_WORDS = 3
# a label of more words is a note, not a name for its key
MAX_LABEL_WORDS = 4
MAX_LABEL_CHARS = 200
# the first part of a value, before a comma, semicolon or parenthesis
_FIRST = re.compile(r"[^,;(\[\n]+")
# a capitalised term of 1-3 words in parentheses or in Markdown emphasis
# (``*x*``, ``_x_``, ``**x**``), not inside a word
# ... or in square brackets, braces or angle brackets, as plainly marked
# (``contact [Komeet]``, ``{Komeet}``, ``<Komeet>``: red team pass 3, Q12, Q21, Q22)
_PARENS = re.compile(r"[(\[{<]([^()\[\]{}<>\n]{1,60})[)\]}>]")
# the label of a key that holds a mapping or a list (``Komeet: {rol:
# informant}``, ``Komeet: [informant]``): the key names what it holds, so
# one capitalised word is a name (red team pass 3, Q09, Q19)
HOLDER = "{}"
_EMPHASIS = re.compile(r"(?<![^\W_])([*_]{1,3})(?=[^\s*_])([^*_\n]{1,60}?)(?<=[^\s*_])\1(?![^\W_])")


# Keys whose one capitalised word describes rather than names: a place, a
# language, a nationality, a role (``plaats: Havenstad``, ``taal: Engels``:
# printed everywhere, always capitalised). Under any other key one
# capitalised word is a code name (red team pass 3, NL11: ``codewoord:``,
# ``aka:``, ``dekmantel:``, ``label:``, ``ook bekend als:``)
DESCRIBING_KEYS = frozenset(
    {
        "plaats", "locatie", "stad", "dorp", "wijk", "regio", "provincie", "land", "adres", "waar",
        "place", "location", "city", "town", "region", "province", "country", "address", "where",
        "taal", "talen", "language", "languages", "nationaliteit", "nationality", "etniciteit", "ethnicity",
        "religie", "geloof", "religion", "rol", "role", "functie", "function", "beroep", "job",
        "organisatie", "organization", "organisation", "werkgever", "employer", "status", "type", "soort", "kind",
        "categorie", "category", "partij", "party",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)
def _names_any(label: str) -> bool:
    """Is one capitalised word under ``label`` a name? Under any key but one
    that describes (:data:`DESCRIBING_KEYS`) or a long note's label."""
    words = token_seq(label) if label and len(label) <= MAX_LABEL_CHARS else ()
    return 0 < len(words) <= MAX_LABEL_WORDS and not any(w in DESCRIBING_KEYS for w in words)


@lru_cache(maxsize=4096)  # the same few keys (who, notes) on every source
def _key_says(label: str) -> str:
    """The kind of name ``label`` says its value is: "name", "person" (it holds
    a person or a description of one) or "" (nothing)."""
    words = token_seq(label) if label and len(label) <= MAX_LABEL_CHARS else ()
    if len(words) > MAX_LABEL_WORDS:
        return ""  # a note that mentions a code name ("notes: ... codenaam ...") says nothing of its key
    if any(w in NAME_KEYS or w.endswith(NAME_KEY_ENDS) for w in words):
        return "name"
    if any(w in PERSON_KEYS for w in words):
        return "person"
    return ""


def code_names(value: str, label: str, freq: dict[str, str]) -> Iterator[tuple[str, ...]]:
    """Terms ``value`` records as a name without quotes: the whole value
    under a name key (``codenaam: Kompas``; under a person key only one
    capitalised word: ``bron: Kompas``) and, under a name key, its first
    part when capitalised (``Kompas (sinds 2024)``); a capitalised term of
    1-3 words in parentheses or emphasis (``contact (Kompas)``,
    ``contact *Kompas*``). Function words alone ("(De)", "*niet*") are none."""

    def term(text: str, capitalised: bool) -> tuple[str, ...] | None:
        text = text.strip()
        seq = token_seq(text)
        if not 0 < len(seq) <= MAX_CODE_WORDS or (capitalised and not text[:1].isupper()):
            return None
        letters = sum(len(t) for t in seq if not t.isdigit())
        if letters < 3 or all(t.isdigit() or freq.get(t, "00") >= FUNCTION_WORD for t in seq):
            return None
        return seq

    # under any other key, one capitalised word is a name too: a drafter
    # records a code name under any key (``codewoord:``, ``aka:``,
    # ``dekmantel:``, ``label:``, ``ook bekend als:``; red team pass 3, NL11),
    # and a single capitalised word is not a note. The example and the
    # benchmark report have no such value that their public text prints.
    # (A value without a key, as :func:`fingerprints` is called alone, is not
    # read so: "Havenstad" alone is a common word)
    says = "person" if label == HOLDER else (_key_says(label) or ("person" if _names_any(label) else ""))
    whole = term(value, says == "person") if says else None
    if whole is not None and (says == "name" or len(whole) == 1):
        yield whole
    if says == "name":
        # the name before a comment: "Kompas (sinds 2024)", "Kompas, ook Anker"
        first = _FIRST.match(value)
        head = term(first.group(0), True) if first and first.end() < len(value.rstrip()) else None
        if head is not None:
            yield head
    for rx, group in ((_PARENS, 1), (_EMPHASIS, 2)):
        for m in rx.finditer(value):
            inner = term(m.group(group), True)
            if inner is not None:
                yield inner


def _reference_forms(chunk: str, seq: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Other writings of the reference ``chunk`` (tokens ``seq``): its letter
    groups glued (``AMBVB20250218``, ``AMBVB/2025/0218``) and its last 2+
    segments when they hold letters and a number of 4+ digits
    (``VB/2025/0218`` of ``AMB-VB/2025/0218``; not ``2025/0218``, a date)."""
    glued: list[str] = []
    for t in seq:
        if glued and t.isalpha() and glued[-1].isalpha():
            glued[-1] += t
        else:
            glued.append(t)
    yield tuple(glued)
    segs = re.split(r"[-/._:#]", chunk)
    for k in range(2, len(segs)):
        tail = segs[len(segs) - k :]
        if _distinctive(tail):
            yield token_seq("/".join(tail))
    # its segments in another order (4471-TR-2026 of TR/2026/4471) and a year
    # written short (TR/26/4471): red team pass 4, R07. Every order of up to 3
    # segments; a longer reference reversed only (AMB-VB/2025/0218 has 24
    # orders, each a print: 24 per reference cost the benchmark's check 0.1 s),
    # and its tails above in their order
    shorts = [segs[:k] + [g[2:]] + segs[k + 1 :] for k, g in enumerate(segs) if _YEAR.fullmatch(g)]
    if len(segs) <= MAX_REORDERED:
        orders = [p for base in [segs, *shorts] for p in itertools.permutations(base)]
    else:
        orders = [tuple(base) for base in [*shorts]] + [tuple(reversed(base)) for base in [segs, *shorts]]
    # (dict, not set: the prints' order, so the findings', stays the same run to run)
    for form in dict.fromkeys(orders):
        if _distinctive(form):
            yield token_seq("/".join(form))


# a reference's segments are looked for in any order up to this many
MAX_REORDERED = 3
_YEAR = re.compile(r"(?:19|20)\d\d")


def _distinctive(segs: list[str] | tuple[str, ...]) -> bool:
    """Segments that identify a reference alone: letters and 4+ digits."""
    text = "".join(segs)
    return any(c.isalpha() for c in text) and sum(c.isdigit() for c in text) >= 4


def _phone_forms(digits: str, plus: bool) -> list[str]:
    """A Dutch number in its other writings: national 06 12345670 as
    +31 6 12345670, 0031 6 12345670 and +31 (0)6 12345670, and back."""
    if digits.startswith("0031"):
        national = "0" + digits[4:].removeprefix("0")
    elif plus and digits.startswith("31"):
        national = "0" + digits[2:].removeprefix("0")
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits
    else:
        return []
    rest = national[1:]
    return [f for f in (national, "31" + rest, "0031" + rest, "310" + rest, "00310" + rest) if f != digits]


def _contains(hay: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    k = len(seq)
    return any(hay[i : i + k] == seq for i in range(len(hay) - k + 1))


def _date_digits(digits: str) -> bool:
    """Digits that a date prints as once its separators are gone (20260428,
    28042026, 202604): in the report's dates and its sources' dates, so a
    number like this is never a fingerprint alone (the reference
    AMB-ML/2026/0428 it came from still is)."""
    import datetime as dt

    def ok(y: str, m: str, d: str = "01") -> bool:
        try:
            dt.date(int(y), int(m), int(d))
        except ValueError:
            return False
        return 1900 <= int(y) <= 2100

    if len(digits) == 8:
        return ok(digits[:4], digits[4:6], digits[6:]) or ok(digits[4:], digits[2:4], digits[:2])
    if len(digits) == 6:
        return ok(digits[:4], digits[4:]) or ok(digits[2:], digits[:2])
    return False


def compound(word: str, freq: dict[str, str]) -> bool:
    """A Dutch compound of two common words, with or without a linking
    ``s``/``e``/``en`` ("gespreksverslag", "detentiecentra",
    "documentdeskundige"): ordinary report vocabulary that wordfreq does not
    list, not a fingerprint. Measured: the 5 lower-case words of the example
    report's internal notes that occur in its public text are all compounds."""
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if freq.get(tail, "00") < COMMON_CAPITALISED:
            continue
        for link in ("", "s", "e", "en"):
            if head.endswith(link) and freq.get(head[: len(head) - len(link)], "00") >= COMMON_CAPITALISED:
                return True
    return False


# a word written letter by letter (``W i e l e w a a l``, ``K.o.m.p.a.s``,
# ``A M B - V B / 2025 / 0218``; red team pass 4, R03) is read joined too: a
# run of this many one-letter tokens or more. Not two: "s en a" and initials
# ("J. de Vries") would join everywhere, and two letters spell no secret
MIN_SPACED = 3
# where such a run may be (the cheap test of :meth:`Index.may_match`): a
# letter alone, then twice a separator and another letter alone
_SPACED_RUN = re.compile(r"(?<![^\W_])[^\W\d_](?:[\W_]{1,3}[^\W\d_](?![^\W_])){2}")


# ... in the tokens joined by NUL: one regex at C speed instead of a loop
# over every token (0.17 s of the example's audit under a profiler)
_RUN_OF_LETTERS = re.compile(rf"(?<![^\x00])[^\W\d_](?:\x00[^\W\d_]){{{MIN_SPACED - 1},}}(?![^\x00])")


# ... and a run of pieces of one or two letters (``W i el e w a a l``)
_RUN_OF_PIECES = re.compile(r"(?<![^\x00])[^\W\d_]{1,2}(?:\x00[^\W\d_]{1,2}){2,}(?![^\x00])")


def spaced_runs(texts: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each run of :data:`MIN_SPACED`+ one-letter tokens."""
    joined = "\x00".join(texts)
    runs: list[tuple[int, int]] = []
    for m in _RUN_OF_LETTERS.finditer(joined):
        start = joined.count("\x00", 0, m.start())
        runs.append((start, start + (m.end() - m.start() + 1) // 2))
    return runs


# a secret written backwards is looked for from this many letters or digits
# on: a reversed word of 3-4 letters ("Ali": "ila") is too often a
# word or an abbreviation of its own
MIN_BACKWARDS = 5


def backwards(seq: tuple[str, ...]) -> tuple[str, ...] | None:
    """``seq`` as it reads written backwards (``laawelieW``, ``0765 4321-60``,
    ``1744/6202/RT``): the tokens in reverse order, each reversed. None when
    that is the same sequence (a palindrome), shorter than
    :data:`MIN_BACKWARDS`, only common words (``Lager`` backwards is
    ``regal``) or three words or more without a digit (a run of words):
    those are not looked for backwards."""
    if len(seq) >= RUN_LENGTH and all(t.isalpha() for t in seq):
        # a run of words (or a name of three): its rare words and the name's
        # parts are looked for backwards on their own; a hostile note of
        # 1 MB has 120,000 runs, whose backwards doubled the check's time
        return None
    back = tuple(t[::-1] for t in reversed(seq))
    if back == seq or sum(map(len, back)) < MIN_BACKWARDS:
        return None
    freq = common()
    if all(t.isalpha() and t in freq for t in back):
        return None
    return back


class Index:
    """Token sequences to look for, indexed by their first token: one dict
    lookup per token of the text searched.

    A rare word of :data:`PREFIX`+ letters that is not in the common list at
    all is also found inside the morphology a drafter gives it (NL4 of the
    second red-team report), by dict lookups on each token, never a
    substring search over the text: as the start of a longer word
    (``Zwartvoets``, ``Lindenpleinbuurt``: its first PREFIX letters), as the
    end of one (``Oudzwartvoet``, ``Nieuwlindenplein``: its last PREFIX
    letters) and split over tokens (``Zwart-voet``, ``Zwart- voet``,
    ``Moerbei-boom``: a token that is one of its first parts, of 3+ letters,
    is joined to the next while the join still is one). Across any
    separator, as the audit's tokens have none: ``Zwart voet`` is found too.

    A sequence added ``cased`` (a code name that is a common word:
    ``Kompas``) is found only where it is not written in plain lower case
    (``het kompas`` is the common noun): a capital, small capitals or a
    look-alike letter count as a name. :meth:`find_texts`, which has no
    case, finds it everywhere; :meth:`find` with the text, or
    :meth:`confirm`, tells."""

    def __init__(self) -> None:
        # first token -> (sequence, payload, found in any case: a secret
        # written backwards, whose capital is at its end)
        self.by_first: dict[str, list[tuple[tuple[str, ...], int, bool]]] = {}
        self.count = 0
        self.digit_first = False
        self.digit_prefixes: set[str] = set()
        # rare words of PREFIX+ letters, by their first PREFIX letters: found
        # as the start of a longer word too (genitive Zwartvoets, compound
        # Lindenpleinbuurt)
        self.stems: dict[str, list[tuple[str, int]]] = {}
        # ... by their last PREFIX letters: the end of a compound (Oudzwartvoet)
        self.tails: dict[str, list[tuple[str, int]]] = {}
        # ... their first parts of 3+ letters (zwa, zwar, zwart, zwartv, ...):
        # where a split word may start
        self.heads: set[str] = set()
        # ... and rare words the list has (with their endings), found split
        # only, never as part of a longer word
        self.split_words: dict[str, list[int]] = {}
        self.cased: set[int] = set()
        # every start of a one-word secret (w, wi, wie, ...): how far a word
        # written in pieces (Index._pieces) is worth joining
        self.word_starts: set[str] = set()
        # single-word secrets by each of their one- (and two-) position
        # masked forms: "zwart\x00oet" for zwartvoet (see MASK_MIN)
        self.masked: dict[str, list[int]] = {}

    def add(self, seq: tuple[str, ...], payload: int, cased: bool = False) -> None:
        self._add(seq, payload, cased)
        back = backwards(seq)
        if back is not None:
            # written backwards (red team pass 4, R01): ``laawelieW``, or
            # stored so behind a right-to-left override (U+202E), which every
            # viewer shows as ``Wielewaal``. Not cased: the capital is at the end
            self._add(back, payload, False, True)

    def _add(self, seq: tuple[str, ...], payload: int, cased: bool, any_case: bool = False) -> None:
        self.by_first.setdefault(seq[0], []).append((seq, payload, any_case))
        self.count += 1
        if cased:
            self.cased.add(payload)
        w = seq[0]
        if len(seq) == 1 and w.isalpha():
            self.word_starts.update(w[:k] for k in range(1, len(w)))
        if len(seq) == 1 and len(w) >= MASK_MIN and w.isalpha() and w.isascii():
            n = len(w)
            for i in range(n):
                self.masked.setdefault(w[:i] + _MASK + w[i + 1 :], []).append(payload)
                for j in range(i + 1, n) if n >= MASK_TWO else ():
                    key = w[:i] + _MASK + w[i + 1 : j] + _MASK + w[j + 1 :]
                    self.masked.setdefault(key, []).append(payload)
        if len(seq) == 1 and len(w) >= PREFIX and w.isalpha() and cased:
            # a code name at the start of a compound, capitalised (Komeetgroep;
            # red team pass 3, Q25): only as a start, as a common word ends
            # many compounds
            self.stems.setdefault(w[:PREFIX], []).append((w, payload))
        elif len(seq) == 1 and len(w) >= PREFIX and w.isalpha() and w not in common():
            self.stems.setdefault(w[:PREFIX], []).append((w, payload))
            for end in ENDINGS:  # Oudzwartvoet, Oudzwartvoets
                self.tails.setdefault((w + end)[-PREFIX:], []).append((w + end, payload))
            self.heads.update(w[:k] for k in range(MIN_PART, len(w)))
        elif len(seq) == 1 and len(w) >= PREFIX and w.isalpha() and common()[w] < COMMON_CAPITALISED:
            # a rare word the list has (Wielewaal, Zipf 2.5) split by a hyphen
            # or space (Wiele-waal, Wiele waal; red team pass 4, R06), whole or
            # with an ending; not inside a compound (Wielewaalkoning): a
            # listed word is a word of the language, and starts and ends others
            for end in ENDINGS:
                self.split_words.setdefault(w + end, []).append(payload)
            self.heads.update(w[:k] for k in range(MIN_PART, len(w)))
        if seq[0].isdigit():
            self.digit_first = True
            # a number may start with any of its groups' prefix: "2025" of "20250218"
            self.digit_prefixes.update(seq[0][:k] for k in range(1, len(seq[0]) + 1))

    def may_match(self, text: str) -> bool:
        """False when no sequence can start in ``text`` (no need to tokenise it)."""
        if not self.count:
            return False
        words = folded_words(text)
        if words is None:
            return True
        if not words.isdisjoint(self.by_first):
            return True
        if any(len(w) == 1 for w in words) and _SPACED_RUN.search(text):
            return True  # a word written letter by letter
        if self.masked and not all(map(str.isascii, words)):
            return True  # a letter no table knows (masked matching)
        if self.digit_first and not words.isdisjoint(self.digit_prefixes):
            return True  # a number may be spelt by several groups
        # (the first and last PREFIX letters of every word, sliced at C
        # speed: a loop over the words cost 0.05 s on the benchmark report)
        return bool(self.stems) and (
            not self.stems.keys().isdisjoint(map(_HEAD, words))
            or not self.tails.keys().isdisjoint(map(_TAIL, words))
            or not words.isdisjoint(self.heads)
        )

    def find(self, toks: list[Token], text: str | None = None) -> list[tuple[int, int, int]]:
        """(first token, end token, payload) of every occurrence. A digit
        token of a sequence matches any run of glued digit groups of the
        text that spells it (``06-1234 5670`` for ``0612345670``). With
        ``text`` (the one ``toks`` are of), a ``cased`` sequence is not found
        where each of its words starts with a lower-case a-z."""
        lower = None
        if text is not None and self.cased:
            lower = [(c := text[t.start]) >= "a" and c <= "z" for t in toks]
        return self.find_texts([t.text for t in toks], [t.glue for t in toks], lower)

    def confirm(self, text: str, hits: set[int]) -> set[int]:
        """``hits`` (payloads :meth:`find_texts` found in ``text``) without
        the ``cased`` ones that ``text`` writes only in lower case."""
        cased = hits & self.cased
        if not cased:
            return hits
        toks = tokens(text)
        readings = [toks]
        broken = dehyphenated(text, toks)
        if broken is not None:
            readings.append(broken)
        seen = {p for r in readings for _, _, p in self.find(r, text) if p in cased}
        return (hits - cased) | seen

    def find_texts(
        self, texts: list[str], glue: list[bool], lower: list[bool] | None = None
    ) -> list[tuple[int, int, int]]:
        """:meth:`find` on the folded texts and glue flags of the tokens
        (``lower``: the token is written in lower case)."""
        n = len(texts)
        get = self.by_first.get

        def units(i: int) -> Iterator[tuple[str, int]]:
            yield texts[i], i + 1
            if texts[i].isdigit():
                s = texts[i]
                j = i + 1
                while j < n and glue[j] and j - i < MAX_GROUPS:
                    s += texts[j]
                    j += 1
                    yield s, j

        def rest(seq: tuple[str, ...], k: int, pos: int) -> int:
            if k == len(seq):
                return pos
            if pos >= n:
                return -1
            for key, nxt in units(pos):
                if key == seq[k]:
                    end = rest(seq, k + 1, nxt)
                    if end >= 0:
                        return end
            return -1

        out = []
        free: list[tuple[int, int, int]] = []
        stems, tails, heads = self.stems, self.tails, self.heads
        if stems:
            # most texts have no word that starts or ends like a rare word,
            # nor one of its first parts: each test once, at C speed
            distinct = set(texts)
            if stems.keys().isdisjoint(map(_HEAD, distinct)):
                stems = {}
            if tails.keys().isdisjoint(map(_TAIL, distinct)):
                tails = {}
            if heads.isdisjoint(distinct):
                heads = set()
        morph = bool(stems or tails or heads)  # one test per token when none can match
        masked = self.masked
        for i, w in enumerate(texts):
            if masked and not w.isascii():
                out += [(i, i + 1, p) for p in self._masked(w)]
            if morph:
                if stems and len(w) > PREFIX and w[:PREFIX] in stems:
                    out += [(i, i + 1, p) for st, p in stems[w[:PREFIX]] if len(w) > len(st) and w.startswith(st)]
                if tails and len(w) > PREFIX and w[-PREFIX:] in tails:
                    out += [(i, i + 1, p) for st, p in tails[w[-PREFIX:]] if len(w) > len(st) and w.endswith(st)]
                if heads and w in heads:
                    out += self._split(texts, i)
            if w not in self.by_first and w not in self.digit_prefixes:
                continue
            for key, nxt in units(i):
                cands = get(key)
                if cands is None:
                    continue
                for seq, payload, any_case in cands:
                    end = nxt if len(seq) == 1 else rest(seq, 1, nxt)
                    if end >= 0:
                        (free if any_case else out).append((i, end, payload))
        if lower is not None:
            out = [h for h in out if not (h[2] in self.cased and all(lower[h[0] : h[1]]))]
        runs = spaced_runs(texts) if n >= MIN_SPACED else []
        if runs:
            out += self._spaced(texts, glue, lower, runs)
            out += self._pieces(texts, lower)
        return out + free

    def _pieces(self, texts: list[str], lower: list[bool] | None) -> list[tuple[int, int, int]]:
        """A one-word secret written in pieces of one or two letters
        (``W i el e w a a l``; red team pass 4, R04), looked for where the
        text spaces letters (:func:`spaced_runs` found a run): every stretch
        of 3+ such pieces that spells one."""
        out: list[tuple[int, int, int]] = []
        joined = "\x00".join(texts)
        starts = self.word_starts
        for m in _RUN_OF_PIECES.finditer(joined):
            a = joined.count("\x00", 0, m.start())
            pieces = m.group(0).split("\x00")
            for i in range(len(pieces)):
                s = pieces[i]
                # grown only while it still starts a secret word: a hostile
                # run of 200,000 letters costs a set lookup or two per piece
                for j in range(i + 1, len(pieces)):
                    if s not in starts:
                        break
                    s += pieces[j]
                    if j - i + 1 < MIN_SPACED:
                        continue
                    for seq, payload, any_case in self.by_first.get(s, ()):
                        if len(seq) == 1 and (
                            any_case or lower is None or payload not in self.cased or not lower[a + i]
                        ):
                            out.append((a + i, a + j + 1, payload))
        return out

    def _spaced(
        self, texts: list[str], glue: list[bool], lower: list[bool] | None, runs: list[tuple[int, int]]
    ) -> list[tuple[int, int, int]]:
        """:meth:`find_texts` on the tokens with each run of one-letter
        tokens joined into one (``w i e l e w a a l``: ``wielewaal``), the
        hits given as spans of the original tokens."""
        texts2: list[str] = []
        glue2: list[bool] = []
        lower2: list[bool] = []
        spans: list[tuple[int, int]] = []
        k = 0
        for a, b in runs + [(len(texts), len(texts))]:
            for x in range(k, a):
                texts2.append(texts[x])
                glue2.append(glue[x])
                lower2.append(lower[x] if lower is not None else False)
                spans.append((x, x + 1))
            if a < b:
                texts2.append("".join(texts[a:b]))
                glue2.append(False)
                lower2.append(lower[a] if lower is not None else False)
                spans.append((a, b))
            k = b
        found = self.find_texts(texts2, glue2, lower2 if lower is not None else None)
        return [(spans[i][0], spans[j - 1][1], p) for i, j, p in found]

    def _masked(self, w: str) -> list[int]:
        """Payloads of the single-word secrets ``w`` is with one (two, if
        long) letters outside :data:`EXPECTED` in their place."""
        odd = [k for k, c in enumerate(w) if c not in EXPECTED]
        if not odd or len(odd) > 2 or (len(odd) == 2 and len(w) < MASK_TWO) or len(w) < MASK_MIN:
            return []
        key = "".join(_MASK if k in odd else c for k, c in enumerate(w))
        return self.masked.get(key, [])

    def _split(self, texts: list[str], i: int) -> list[tuple[int, int, int]]:
        """A rare word split over the tokens from ``i`` on (``zwart``,
        ``voet``), whole or with an ending (``zwart``, ``voets``)."""
        out: list[tuple[int, int, int]] = []
        s = texts[i]
        j = i + 1
        while j < len(texts) and j - i < MAX_PIECES and s in self.heads and not texts[j].isdigit():
            s += texts[j]
            j += 1
            if s[:PREFIX] in self.stems:
                out += [(i, j, p) for stem, p in self.stems[s[:PREFIX]] if s.startswith(stem)]
            out += [(i, j, p) for p in self.split_words.get(s, ())]
        return out
