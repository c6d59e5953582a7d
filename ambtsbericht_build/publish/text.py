"""Text normalisation shared by the check (source text) and the audit (outputs).

Two views of one normaliser:

- :func:`fold` makes a string comparable: NFKC, case-folded, invisible and
  format characters dropped, curly quotes and dashes made straight, spaces
  collapsed. Used for whole-phrase comparisons (user names, the issuer).
- :func:`tokens` cuts a text into folded *tokens* with their offsets in the
  original text: what the secret fingerprints (:mod:`.fingerprint`) are
  matched on, by the check in the Markdown and YAML a drafter wrote and by
  the audit in every string of every output. A token is a run of letters or
  of digits; everything between tokens (spaces, punctuation, dashes, line
  breaks, markup) is a separator and does not matter, so ``--``/``---``
  turned into dashes, quotes made curly or a value wrapped over two lines
  cannot hide it.

What is folded away (:func:`fold_token`), and why:

- NFKC, then look-alike letters of any script to the Latin letter they
  imitate (:data:`LOOKALIKES`, Unicode's UTS #39 confusables and the small
  capitals: Greek ``Μ``, dotless ``ı``, ``ɑ``, ``ᴍ``, ``ǀ``, ``ѡ``, ``օ``),
  *before* case folding (Greek ``Μ`` folds to ``μ``, which looks like ``u``),
  then case folding: fullwidth ``ＫＯＭＰＡＳ``, ligatures (``ﬁ``),
  superscript digits and ``ß``/``ss`` compare equal; the lower-case Cyrillic
  and Greek of :data:`CONFUSABLES` after it;
- every character that prints as nothing or only decorates a letter, inside
  a word: each Default_Ignorable_Code_Point, assigned or not (zero-width
  spaces and joiners, soft hyphens, bidi marks, tag characters, U+E0080,
  U+FFF0), each format character (Cf: U+13430) and each combining mark (Mn,
  Mc, Me: accents after NFD, variation selectors, U+05B0, U+0903):
  ``Gen\u200beve``, ``Genève`` and ``Geneve`` are one token. Dropping accents
  costs nothing here: both sides are folded alike;
- percent-encoding (``Jan%20de%20Vries`` in a link target) and HTML character
  references (``Zw&#97;rtvoet``) are decoded first;
- before a text is cut into words (:func:`_in_words`, one character for one):
  a symbol UTS #39 lists as a Latin letter (``Zwartvo℮t``, ``Zw⍺rtvoet``)
  unless it stands next to a digit, a digit of another script listed so inside
  a word (``M০erbeiboom``), and O, o, l, I in a word otherwise a number
  (``O6-1234 567O``) are read as the letter or digit a reader sees;
- in a token, letters and digits are split (``BZ2025`` is ``bz``, ``2025``) and
  digit groups separated by up to 12 characters that are not letters or
  digits may be joined (``06-1234 5670``, ``(06) 1234 5670``, ``06·1234·5670``,
  ``06 -//- 1234 -//- 5670`` and ``0612345670`` are one number): the matcher
  tries every run of such groups.

Line-end hyphenation (``Kwar-`` / ``tel`` in a PDF's text) is undone by
:func:`tokens` with ``dehyphenate=True``: it returns a second token list in
which a word broken at a line end is joined; the matcher tries both.
"""

from __future__ import annotations

import html
import operator
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from itertools import compress
from typing import NamedTuple
from urllib.parse import unquote

_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
}
_SPECIAL = re.compile("[" + "".join(_MAP) + "]")


def _data(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


# every character that prints as nothing or only decorates a letter, so may
# sit inside a word unseen: each Default_Ignorable_Code_Point, assigned or not
# (U+E0080 and U+FFF0 print as nothing), each format character (Cf: U+13430),
# each combining mark (Mn, Mc, Me: U+05B0, U+0903) and each private-use
# character (Co: no font a reader has draws one); 316 ranges, generated
# by scripts/gen_confusables.py from Unicode's data
_RANGES = [(int(a, 16), int(b, 16)) for a, b in _data("hidden.txt")]
_BMP = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _RANGES if b <= 0xFFFF)
_ASTRAL = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _RANGES if a > 0xFFFF)
# one hidden character. The regex engine looks a character up in a class of
# the BMP in one step, but tries the 115 ranges above U+FFFF one by one: only
# after a cheap test that the character is above U+FFFF (one class of all 313
# ranges made the benchmark report's check 20 % slower)
_HIDDEN = f"(?:[{_BMP}]|(?=[\\U00010000-\\U0010ffff])[{_ASTRAL}])"
# a hidden character, or any character above U+FFFF: where only the slow,
# exact path (:func:`tokens`) can tell
_MAY_HIDE = f"[{_BMP}\\U00010000-\\U0010ffff]"
# letters of any script that imitate a Latin letter (Greek capital Μ, dotless
# ı, Latin ɑ, small capital ᴍ, click ǀ, Cyrillic ѡ, Armenian օ), to that
# letter: UTS #39's confusables, Latin letters with a stroke or hook by their
# names (ŧ, ʋ), schwa (1,674 letters, scripts/gen_confusables.py). Applied
# before case folding: Greek Μ folds to μ, which looks like u
_ROWS = _data("confusables.txt")
LOOKALIKES = str.maketrans({chr(int(c, 16)): t for c, t, kind in _ROWS if kind == "L"})
# symbols (℮ U+212E, ⍺ U+237A) and digits of other scripts (Bengali ০) that
# UTS #39 lists as look-alikes of a Latin letter: 83, read as that letter
# only inside a word (:func:`_in_words`), so that a symbol between two digit
# groups still glues them and ٠٦١٢٣٤٥٦٧٠ stays a number
IN_WORD = {chr(int(c, 16)): t for c, t, kind in _ROWS if kind in "SN"}
_IN_WORD_TABLE = str.maketrans(IN_WORD)
# characters with a digit value that NFKC leaves alone or makes more than a
# digit (dingbat ❶ U+2776, ➀ U+2780, double circled ⓵ U+24F5, ⓿ U+24FF,
# parenthesized ⑴): 98, read as the digit before NFKC, anywhere (red team
# pass 4, R08: ⓿❻-❶❷❸❹ ❺❻❼⓿ printed a phone number)
_DIGIT_SYMBOLS = {chr(int(c, 16)): t for c, t, kind in _ROWS if kind == "D"}
_DIGIT_TABLE = str.maketrans(_DIGIT_SYMBOLS)
_DIGIT_SYMBOL_RE = re.compile("[" + "".join(re.escape(c) for c in _DIGIT_SYMBOLS) + "]")
_DIGIT_SYMBOL_SET = frozenset(_DIGIT_SYMBOLS)
# is there one? (a text without any is not translated character by character:
# 0.018 s on the benchmark report's check otherwise)
_LOOKALIKE_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in LOOKALIKES if c <= 0xFFFF) + "]|[\U00010000-\U0010ffff]"
)
_INVISIBLE_RE = re.compile(_HIDDEN)
_IN_WORD_RUN = re.compile("[" + "".join(re.escape(c) for c in IN_WORD) + "]+")
# is there one? The 30 above U+FFFF only after a test that the character is
# above U+FFFF (as :data:`_HIDDEN`): 3x faster on the benchmark report's text
_IN_WORD_ANY = re.compile(
    "["
    + "".join(re.escape(c) for c in IN_WORD if ord(c) <= 0xFFFF)
    + "]|(?=[\U00010000-\U0010ffff])["
    + "".join(re.escape(c) for c in IN_WORD if ord(c) > 0xFFFF)
    + "]"
)
# a digit of another script read as a letter: only alone or two in a row
# (M০০n); a longer run of digits is a number
_IN_WORD_DIGITS = 2
# the letter O for zero and l or I for one, in a word otherwise a number:
# O6-1234 567O. Only where a digit touches such a letter: one C-speed search
# that starts with the digit, so the regex engine skips to digits (3x faster
# than two alternatives, one of which starts with the frequent o and l); the
# benchmark report has no such place in its 1,028 paragraphs
# ideographic zero 〇 U+3007 too: UTS #39 lists it as O (〇6-1234 567〇)
_NUMBER_LOOKALIKE = re.compile(r"[0-9](?:[OolI\u3007]|(?<=[OolI\u3007][0-9]))")
_NUMBER_WORD = re.compile(r"(?<![^\W_])[0-9OolI\u3007]+(?![^\W_])")
_AS_DIGITS = str.maketrans("OolI\u3007", "00110")
# each such group after a number, and every further group after it: "O6-OOOO
# OOOO" (0600000000) is three groups; matched one at a time, the third group
# followed a letter in the text as written and stayed letters (CI's property
# test found it)
# (the digit before is part of the match, which translating leaves as it is: a
# pattern that starts with a look-behind is tried at every character, one that
# starts with a digit only at digits, 0.0079 -> 0.0044 s on the benchmark
# report's HTML text; a match ends with a letter, so no digit is in two)
_LETTERS_BESIDE_A_NUMBER = re.compile(r"[0-9](?:(?:[^\w\n]{0,4}|\[\^[^\]\s]{1,12}\])[OolI\u3007]+(?![^\W_]))+")
# a raw word: a letter or digit, then letters, digits, marks and invisible
# characters (so an invisible character cannot cut a word in two)
_WORD = re.compile(f"[^\\W_](?:[^\\W_]|{_HIDDEN})*")
# (led by its "%", which the regex engine skips to: 0.0098 -> 0.0002 s on the
# benchmark report's HTML text, the same matches as (?:%[0-9A-Fa-f]{2})+)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_PIECES = re.compile(r"[^\W\d_]+|\d+")
# between two digit groups of one number: any run of at most 12 characters
# that are not letters or digits, hidden characters not counted: (06) 1234
# 5670, 06·1234·5670, 06,12,34,56,70, 06-1234<U+2028>5670, +31 6 1234 5670,
# 06 -//- 1234 -//- 5670. Any marks, as many as fit: a number is matched only
# when its digits spell a secret's, so a generous gap costs nothing but the
# look. 12 is the bound because a reader still reads "06 -//-//-//- 1234" as
# one number, and no longer does across a clause; a letter always ends it
_NUMBER_GLUE = re.compile(r"[\W_]{0,12}")
# what joins two groups into one number of a fingerprint (Token.tight): a
# space, a dash, "--", a dot, a slash or "_" (0214_0377), spaced or not
_TIGHT_GLUE = re.compile(r"[ \u00a0\u2009\u202f]?(?:-{1,3}|[./_])?[ \u00a0\u2009\u202f]?")
# an HTML character reference (pandoc decodes them in Markdown and YAML)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# a hyphen at a line end (PDF text, a wrapped line): the word may go on
_LINE_HYPHEN = re.compile(r"\s*[-\u2010\u00ad]\s*\n\s*")
# where to look for one: starts with the hyphen, so a search does not retry
# every run of spaces (the \s* form took 0.9 s on the example's outputs)
_LINE_HYPHEN_AT = re.compile(r"[-\u2010\u00ad][^\S\n]*\n")

# Cyrillic and Greek letters that look like Latin letters (after case folding)
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "г": "r",
        "ѕ": "s",
        "т": "t",
        "ц": "u",
        "ѵ": "v",
        "ԝ": "w",
        "х": "x",
        "у": "y",
        "з": "3",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ζ": "z",
        "μ": "u",
    }
)
_CONFUSABLE_SET = frozenset(map(chr, CONFUSABLES))


# look-alikes that NFKC would first turn into a letter the table does not
# read as Latin: Greek lunate Ϲ U+03F9 (UTS #39: C) becomes Σ. Applied before
# NFKC, only these (1 of the 1,676 letters; ſ, whose NFKC is s, is not one)
def _after_nfkc(c: str) -> str:
    """``c`` folded as :func:`fold_token` folds it without this table."""
    s = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", c)).translate(LOOKALIKES)
    s = unicodedata.normalize("NFD", s.casefold())
    s = unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.category(c).startswith(("M", "C"))))
    return "".join(c for c in s.translate(CONFUSABLES) if c.isalnum())


def _before_nfkc(c: str, t: str) -> bool:
    """Must ``c`` be read as ``t`` before NFKC? When NFKC makes it one other
    letter read otherwise (Ϲ: Σ; ϲ: σ, read as o), letters with a mark
    between them that cuts the word (Ŀ: L·) or a letter that stays no Latin
    one (ẚ: aʾ); not when NFKC makes it ASCII
    (ſ: s) or two letters (ǅ: Dž, read as dz)."""
    n = unicodedata.normalize("NFKC", c)
    if n.isascii() and n.isalnum():
        return False
    return (len(n) == 1 and _after_nfkc(c) != t) or not n.isalnum() or not _after_nfkc(c).isascii()


_PRE_NFKC = {c: t for c, t in ((chr(int(c, 16)), t) for c, t, kind in _ROWS if kind == "L") if _before_nfkc(c, t)}
_PRE_NFKC_RE = re.compile("[" + "".join(re.escape(c) for c in _PRE_NFKC) + "]")


def fold(s: str) -> str:
    """Case-folded, NFKC-normalised text without invisible characters, with
    unified quotes/dashes and whitespace runs (any Unicode space) collapsed to
    one space."""
    if not s.isascii():
        if not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
        s = _SPECIAL.sub(lambda m: _MAP[m.group(0)], s)
        s = _INVISIBLE_RE.sub("", s)
    return " ".join(s.casefold().split())


_TOKEN_CACHE: dict[str, str] = {}


def _pre_nfkc(m: re.Match[str]) -> str:
    return _PRE_NFKC[m.group(0)]


def fold_token(word: str) -> str:
    """One raw word folded (see the module docstring): lower-case letters
    a-z (and other scripts' letters), digits, nothing else."""
    hit = _TOKEN_CACHE.get(word)
    if hit is not None:
        return hit
    if word.isascii():
        out = word.lower()
    else:
        # hidden characters first: NFKC makes the Hangul filler U+3164 the
        # letter U+1160, which isalnum() would keep
        if _DIGIT_SYMBOL_RE.search(word):
            word = word.translate(_DIGIT_TABLE)
        s = unicodedata.normalize("NFKC", _PRE_NFKC_RE.sub(_pre_nfkc, word))
        s = unicodedata.normalize("NFD", _STRIP.sub("", s)).translate(LOOKALIKES)
        s = unicodedata.normalize("NFD", s.casefold())
        s = "".join(c for c in s if unicodedata.category(c) not in ("Mn", "Cf", "Me", "Mc"))
        out = unicodedata.normalize("NFC", s).translate(CONFUSABLES)
        out = "".join(c for c in out if c.isalnum())
        if out.isdecimal() and not out.isascii():
            # digits of another script (Arabic-Indic ٠٦, Devanagari ०६) are
            # the same number: NFKC leaves them as they are
            out = "".join(str(unicodedata.decimal(c)) for c in out)
    if len(_TOKEN_CACHE) < 200_000:
        _TOKEN_CACHE[word] = out
    return out


class Token(NamedTuple):
    """A NamedTuple, not a dataclass: the benchmark report's public text has
    ~115,000 tokens, and a frozen dataclass made tokenising 3x slower."""

    text: str  # folded
    start: int  # [start, end) in the original text
    end: int
    cap: bool = False  # starts with a capital letter in the original
    digits: bool = False
    # a digit group that may continue the number before it (``06-1234 5670``,
    # ``(06) 1234 5670``); the matcher tries every run of such groups
    # (fingerprint.Index)
    glue: bool = False
    # ... and is joined to it in a fingerprint's sequence (:func:`joined`):
    # only across a space, dash, dot, slash or "_", so the run of words
    # "BZ-2025/0412, 06-1234" keeps two numbers
    tight: bool = False


def _percent_decoded(text: str) -> str:
    """%XX sequences decoded in place, padded with zero-width spaces so every
    other character keeps its offset."""

    def dec(m: re.Match[str]) -> str:
        s = unquote(m.group(0), errors="replace")
        return s + "\u200b" * (len(m.group(0)) - len(s))

    return _PERCENT.sub(dec, text)


def _entities_decoded(text: str) -> str:
    """HTML character references decoded in place (``Zw&#97;rtvoet``), padded
    with zero-width spaces so every other character keeps its offset."""

    def dec(m: re.Match[str]) -> str:
        raw = m.group(0).replace("\u200b", "")
        s = html.unescape(raw)
        return s + "\u200b" * (len(m.group(0)) - len(s)) if s != raw else m.group(0)

    # after percent-decoding (`%26%2397%3B` is `&#97;`), the padding may sit
    # inside a reference: it is read through
    return (_ENTITY_PADDED if "\u200b" in text else _ENTITY).sub(dec, text)


_Z = "\u200b*"
_ENTITY_PADDED = re.compile(
    f"&{_Z}(?:#{_Z}(?:[0-9]{_Z}){{1,7}}|#{_Z}[xX]{_Z}(?:[0-9a-fA-F]{_Z}){{1,6}}|[A-Za-z]{_Z}(?:[A-Za-z0-9]{_Z}){{1,31}});"
)


_ASCII_PIECES = re.compile(r"[A-Za-z]+|[0-9]+")
_PLAIN_PIECES = re.compile(r"[^\W\d_]+|\d+")
_HIDING = re.compile(_MAY_HIDE)


def _raw_tokens(text: str) -> list[Token]:
    if text.isascii():  # nothing to fold but case: one regex does it all
        return [
            Token(w.lower(), m.start(), m.end(), w[0].isupper(), w[0].isdigit())
            for m in _ASCII_PIECES.finditer(text)
            for w in (m.group(0),)
        ]
    out: list[Token] = []
    if _HIDING.search(text) is None:
        # no invisible character or combining mark cuts a word: split at once
        # (3x faster on the benchmark report, whose Dutch has é, ë and –)
        for m in _PLAIN_PIECES.finditer(text):
            w = m.group(0)
            f = w.lower() if w.isascii() else fold_token(w)
            if f.isalpha() or f.isdigit():
                out.append(Token(f, m.start(), m.end(), w[0].isupper(), f.isdigit()))
            else:
                out += [
                    Token(p.group(0), m.start(), m.end(), w[0].isupper(), p.group(0).isdigit())
                    for p in _PIECES.finditer(f)
                ]
        return out
    for m in _WORD.finditer(text):
        word = m.group(0)
        start = m.start()
        folded = fold_token(word)
        if not folded:
            continue
        cap = word[0].isupper()
        if folded.isalpha() or folded.isdigit():
            out.append(Token(folded, start, m.end(), cap, folded.isdigit()))
            continue
        # letters and digits mixed: split (offsets: the whole word's)
        first = True
        for p in _PIECES.finditer(folded):
            piece = p.group(0)
            out.append(Token(piece, start, m.end(), cap and first, piece.isdigit()))
            first = False
    return out


def _mark_glue(text: str, toks: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in toks:
        if t.digits and out and out[-1].digits and _glued(text, out[-1].end, t.start):
            t = t._replace(glue=True, tight=_glued(text, out[-1].end, t.start, _TIGHT_GLUE))
        out.append(t)
    return out


def joined(toks: list[Token]) -> list[Token]:
    """``toks`` with every number's digit groups joined into one token. Not
    done by :func:`tokens` itself: whether "2025/0412 06-1234" is one number
    or two is not known, so the matcher tries every run of groups."""
    out: list[Token] = []
    for t in toks:
        if t.tight and out and out[-1].digits:
            prev = out[-1]
            out[-1] = Token(prev.text + t.text, prev.start, t.end, prev.cap, True)
        else:
            out.append(t._replace(glue=False, tight=False))
    return out


def _glued(text: str, a: int, b: int, rx: re.Pattern[str] | None = None) -> bool:
    """Is text[a:b] what may separate two digit groups of one number? Any
    short run of characters that are not letters or digits, in any Unicode
    form, with invisible characters around it; with ``rx`` (:data:`_TIGHT_GLUE`)
    only what that matches."""
    if a == b:
        return True
    sep = text[a:b]
    if not sep.isascii():
        sep = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", sep))
        if rx is not None:
            sep = _SPECIAL.sub(lambda m: _MAP[m.group(0)], sep)
    if rx is not None:
        return rx.fullmatch(sep) is not None
    return _NUMBER_GLUE.fullmatch(sep) is not None


def _near(text: str, i: int, step: int, spaces: bool = True) -> str:
    """The first character from ``i`` on (going by ``step``) that is not
    hidden (nor a space, with ``spaces``); "" at either end."""
    n = len(text)
    while 0 <= i < n:
        c = text[i]
        if not (spaces and c.isspace()) and _INVISIBLE_RE.match(c) is None:
            return c
        i += step
    return ""


def _in_words(text: str) -> str:
    """``text`` with each look-alike read as the letter or digit a reader
    sees, one character for one (every offset stays): a symbol that UTS #39
    lists as a Latin letter (:data:`IN_WORD`: ``Zwartvo℮t``, ``⍺. Bakker``),
    unless it stands next to a digit (``06 ∣ 1234`` is one number); a digit of
    another script listed so, next to a letter and not in a run of more than
    two digits (``M০erbeiboom``; ``Tel٠٦١٢...`` is a number); O, o, l and I in a
    word that is otherwise a number (``O6-1234 567O``)."""
    if not text.isascii() and _IN_WORD_ANY.search(text) and (runs := list(_IN_WORD_RUN.finditer(text))):
        chars = list(text)
        for m in runs:
            a, b = m.span()
            before, after = _near(text, a - 1, -1), _near(text, b, 1)
            digits = sum(1 for c in m.group(0) if c.isdigit())
            if not digits:
                if before.isdigit() or after.isdigit():
                    continue  # a separator between digit groups
            elif (
                not (_near(text, a - 1, -1, False).isalpha() or _near(text, b, 1, False).isalpha())
                or digits > _IN_WORD_DIGITS
                or (a and text[a - 1].isdigit())
                or (b < len(text) and text[b].isdigit())
            ):
                continue  # a number
            chars[a:b] = m.group(0).translate(_IN_WORD_TABLE)
        text = "".join(chars)
    if _NUMBER_LOOKALIKE.search(text):
        text = _NUMBER_WORD.sub(_as_digits, text)
    # groups of look-alike letters only, glued to a number by at most a few
    # separators: the rest of that number ("O6OOO[^9]OOOOO", a phone number
    # split by a note call; the CI's property test found it). Not only after
    # a mixed word: in "06-OOOO OOOO" no letter touches a digit
    text = _LETTERS_BESIDE_A_NUMBER.sub(lambda m: m.group(0).translate(_AS_DIGITS), text)
    if not text.isascii() and _LONE_DIGIT.search(text):
        text = _LONE_DIGIT.sub(_unknown_digit, text)
    return text


def _unknown_digit(m: re.Match[str]) -> str:
    # a fullwidth or mathematical digit (２, 𝟐) is the ASCII digit to NFKC: it stays one
    d = m.group(0)
    return d if unicodedata.normalize("NFKC", d).isascii() else UNKNOWN_LETTER


# a digit of another script that no table lists as a letter, alone between
# two letters (Vai digit zero ꘠ U+A620 in Zwartv꘠et; red team pass 3, V06):
# read as a letter no word is spelt with, so the word is one token and the
# masked matching of the fingerprints (fingerprint.Index) finds it. Starts
# with the digit, then asks whether it is no ASCII one (with a look-ahead
# first, the engine tried every character: 0.0106 -> 0.0045 s on the
# benchmark report's HTML text, the same matches)
_LONE_DIGIT = re.compile(r"\d(?<![0-9])(?<=[^\W\d_]\d)(?=[^\W\d_])")
# LATIN LETTER SINOLOGICAL DOT: a letter (isalpha) that no table reads as
# another and that is outside the expected alphabet (fingerprint.EXPECTED)
UNKNOWN_LETTER = "\ua78f"


def _as_digits(m: re.Match[str]) -> str:
    w = m.group(0)
    return w.translate(_AS_DIGITS) if not w.isalpha() and not w.isdigit() else w


def tokens(text: str) -> list[Token]:
    """The folded tokens of ``text``, with offsets into ``text``; digit groups
    of one number are separate tokens marked ``glue``."""
    if "%" in text:
        text = _percent_decoded(text)
    if "&" in text:
        text = _entities_decoded(text)
    text = _in_words(text)
    return _mark_glue(text, _raw_tokens(text))


# percent-encoding, an invisible character or mark, a line-end hyphen, a
# look-alike read in place: one scan instead of three (26,730 searches took 0.23 s on the benchmark report)
_LOWER_ASCII_PIECES = re.compile(r"[a-z]+|[0-9]+")
# a look-alike :func:`_in_words` reads (a symbol, a digit of another script, a
# letter in a number: astral ones are in _MAY_HIDE) is one more alternative
# of the same scan, not a scan of its own (a second scan of the 22,539 texts
# of the benchmark report cost its check about 0.03 s)
_NEEDS_TOKENS = re.compile(
    f"%[0-9A-Fa-f]{{2}}|&#?[0-9A-Za-z]+;|{_MAY_HIDE}|[-\u2010\u00ad][^\\S\n]*\n"
    f"|{_NUMBER_LOOKALIKE.pattern}|[{''.join(re.escape(c) for c in IN_WORD if ord(c) <= 0xFFFF)}]"
)


def folded_words(text: str) -> set[str] | None:
    """The folded words of ``text`` as a set, cheaply (one regex at C speed,
    then each distinct word once); None when only :func:`tokens` can tell
    (an invisible character or mark inside a word, percent-encoding, a
    hyphen at a line end, a look-alike :func:`_in_words` reads). Lets the
    matcher skip a text in which no sequence can start: a 1.5 MB paragraph
    is then 0.1 s instead of 3 s."""
    if _NEEDS_TOKENS.search(text) or (not text.isascii() and _LONE_DIGIT.search(text)):
        return None
    if text.isascii():
        # the same words: an ASCII letter or digit run is lower-cased and kept
        # whole (2.5x faster; 937 of the benchmark report's 1,100 blocks)
        return set(_LOWER_ASCII_PIECES.findall(text.lower()))
    out: set[str] = set()
    for w in set(_PLAIN_PIECES.findall(text)):
        f = w.lower() if w.isascii() else fold_token(w)
        if f.isalpha() or f.isdigit():
            out.add(f)
        else:
            out.update(_PIECES.findall(f))
    return out


def dehyphenated(text: str, toks: list[Token]) -> list[Token] | None:
    """``toks`` with every word broken by a hyphen at a line end joined again
    (``Kwar-\\ntel``: ``kwartel``); None when there is none."""
    if "\n" not in text or _LINE_HYPHEN_AT.search(text) is None:
        return None
    out: list[Token] = []
    joined = False
    for t in toks:
        if out and not out[-1].digits and not t.digits and _LINE_HYPHEN.fullmatch(text, out[-1].end, t.start):
            prev = out[-1]
            out[-1] = Token(prev.text + t.text, prev.start, t.end, prev.cap, False)
            joined = True
        else:
            out.append(t)
    return out if joined else None


_STRIP = re.compile(f"{_HIDDEN}+")
_SPLIT = re.compile(r"([^\W\d_]+|\d+)")


def fold_text(text: str) -> str:
    """``text`` folded as a whole, as :func:`fold_token` folds a word; the
    offsets are lost (the audit does not need them)."""
    if _PERCENT.search(text):
        text = _percent_decoded(text)
    if "&" in text:
        text = _entities_decoded(text)
    text = _in_words(text)
    if text.isascii():
        return text.lower()
    # (set membership at C speed: on the 750,000 characters of the benchmark
    # report's HTML text the character-class search took 0.11 s, this 0.01 s)
    if not _DIGIT_SYMBOL_SET.isdisjoint(text):
        text = text.translate(_DIGIT_TABLE)
    s = unicodedata.normalize("NFKC", _PRE_NFKC_RE.sub(_pre_nfkc, text))
    s = _SPECIAL.sub(lambda m: _MAP[m.group(0)], s)
    s = unicodedata.normalize("NFD", s)
    if _LOOKALIKE_RE.search(s):
        s = s.translate(LOOKALIKES)
    s = unicodedata.normalize("NFD", s.casefold())
    s = _STRIP.sub("", s)
    if not _CONFUSABLE_SET.isdisjoint(s):  # (translate with a dict: 0.055 s on that text)
        s = s.translate(CONFUSABLES)
    return _OTHER_DIGIT.sub(_ascii_digit, s) if not s.isascii() else s


# a decimal digit of another script (Arabic-Indic ٠٦, Devanagari ०६): the
# same number, which NFKC leaves as it is
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(m: re.Match[str]) -> str:
    return str(unicodedata.decimal(m.group(0)))


# a note number between two letters, no space: "Merel21hof"
# (starts with the digit, so the regex engine skips to digits: 7x faster than
# a pattern that starts with the look-behind)
_NOTE_CALL = re.compile(r"[0-9](?<=[^\W\d_][0-9])[0-9]{0,2}(?=[^\W\d_])")


def token_texts(text: str) -> list[tuple[list[str], list[bool]]]:
    """The folded tokens of ``text`` and their ``glue`` flags, without
    offsets: what the audit matches on. One regex split at C speed instead
    of a Token per word (the example's outputs: 0.15 s instead of 0.7 s).
    Two readings when a word is broken by a hyphen at a line end: as it
    stands and joined (see :func:`dehyphenated`); one more of text written
    upside down, turned upright (:func:`upright`)."""
    turned = None if text.isascii() else upright(text)
    if turned is not None:
        return _token_texts(text) + _token_texts(turned)
    return _token_texts(text)


def _token_texts(text: str) -> list[tuple[list[str], list[bool]]]:
    return token_readings(text).as_list()


class Readings(NamedTuple):
    """The readings of one text (:func:`token_readings`): as it stands;
    with the words broken at a line end joined (None: none is); with the
    note calls inside words joined (None: there is no such call); and the
    folded separators before its first token and after its last (a piece
    of a longer text joins its neighbours there: publish/match_pieces.py)."""

    texts: list[str]
    glue: list[bool]
    hyphen: tuple[list[str], list[bool]] | None
    note: tuple[list[str], list[bool]] | None
    first_sep: str
    last_sep: str

    def as_list(self) -> list[tuple[list[str], list[bool]]]:
        out = [(self.texts, self.glue)]
        if self.hyphen is not None:
            out.append(self.hyphen)
        if self.note is not None:
            out.append(self.note)
        return out


def glued_across(sep: str) -> bool:
    """Are two digit groups with the folded ``sep`` between them one number?"""
    return not sep or _glued(sep, 0, len(sep))


def joined_across(sep: str) -> bool:
    """Does the folded ``sep`` join the words either side (a line-end hyphen)?"""
    return _LINE_HYPHEN.fullmatch(sep) is not None


def quiet_edge(before: str, after: str) -> bool:
    """True when :func:`_in_words` reads ``before + after`` as it reads each
    alone: no look-alike it reads in place (:data:`IN_WORD`) is the first
    character that is neither a space nor hidden on either side of the
    edge, nor among the spaces and hidden characters up to it, and there
    is such a character on both sides (``_near`` looks across spaces)."""

    def first(chars: Iterable[str]) -> bool:
        for c in chars:
            if c in IN_WORD:
                return False
            if not c.isspace() and _INVISIBLE_RE.match(c) is None:
                return True
        return False

    return first(reversed(before)) and first(after)


def token_readings(text: str) -> Readings:
    """The folded tokens of ``text`` in each of its readings (not turned
    upright: :func:`token_texts` adds those)."""
    s = fold_text(text)
    parts = _SPLIT.split(s)
    texts = parts[1::2]
    seps = parts[0::2]  # seps[k]: before texts[k]; seps[-1]: after the last
    # (map and compress at C speed: the loop over every token cost 0.3 s of
    # the benchmark report's audit, whose 600,000 tokens have 45,000 digit groups)
    isdigit = list(map(str.isdigit, texts))
    glue = [False] * len(texts)
    for k in compress(range(1, len(texts)), map(operator.and_, isdigit[1:], isdigit)):
        if not seps[k] or _glued(seps[k], 0, len(seps[k])):
            glue[k] = True
    hyphen = note = None
    if _LINE_HYPHEN_AT.search(s):
        jt: list[str] = []
        jg: list[bool] = []
        for k, t in enumerate(texts):
            if jt and not isdigit[k] and not jt[-1].isdigit() and _LINE_HYPHEN.fullmatch(seps[k]):
                jt[-1] += t
            else:
                jt.append(t)
                jg.append(glue[k])
        if len(jt) != len(texts):
            hyphen = (jt, jg)
    if _NOTE_CALL.search(s):
        # a note call printed inside a word (a citation glued in it:
        # "Merel[@key]hof" prints "Merel21hof"): read it joined too
        nt: list[str] = []
        ng: list[bool] = []
        join = False
        for k, t in enumerate(texts):
            if join:
                nt[-1] += t
                join = False
            elif (
                isdigit[k]
                and len(t) <= 3
                and nt
                and k + 1 < len(texts)
                and not seps[k]
                and not seps[k + 1]
                and not nt[-1].isdigit()
                and not isdigit[k + 1]
            ):
                join = True
            else:
                nt.append(t)
                ng.append(glue[k])
        note = (nt, ng)
    return Readings(texts, glue, hyphen, note, seps[0], seps[-1])


def squash_ws(s: str) -> str:
    return " ".join(s.split())


# Text written upside down (red team pass 5; pass 4 left ``lɐɐʍǝlǝıM``
# unfound): an "upside-down text" generator reverses the text and writes each
# character as the one that looks like it turned by 180 degrees: a as ɐ, e as
# ǝ, W as M, n as u, 6 as 9. :func:`upright` reads such a stretch back. The
# turned forms of a-z, A-Z and 0-9 that the common generators use, and the
# plain letters that are another letter upside down; a letter not listed
# stays itself (l, o, s, x, z, N, S, H, I, O, X, Z look the same turned)
_UPSIDE = {
    "ɐ": "a", "ɔ": "c", "ǝ": "e", "ə": "e", "ɟ": "f", "ƃ": "g", "ɥ": "h", "ı": "i", "ᴉ": "i", "ɾ": "j",
    "ʞ": "k", "ɯ": "m", "ɹ": "r", "ʇ": "t", "ʌ": "v", "ʍ": "w", "ʎ": "y", "ʅ": "l",
    "∀": "A", "Ɐ": "A", "ᗺ": "B", "𐐒": "B", "Ɔ": "C", "ᗡ": "D", "Ǝ": "E", "Ⅎ": "F", "⅁": "G", "ſ": "J",
    "ꓘ": "K", "⋊": "K", "˥": "L", "⅂": "L", "Ԁ": "P", "Ό": "Q", "ᴚ": "R", "ꓤ": "R", "⊥": "T", "┴": "T",
    "ꓕ": "T", "∩": "U", "Λ": "V", "⅄": "Y", "Ɩ": "1", "⇂": "1", "ᄅ": "2", "↊": "2", "Ɛ": "3", "↋": "3",
    "ㄣ": "4", "ϛ": "5", "ㄥ": "7", "פ": "G",
    # plain letters and digits that read as another one turned
    "n": "u", "u": "n", "p": "d", "d": "p", "b": "q", "q": "b", "M": "W", "W": "M", "6": "9", "9": "6",
}  # fmt: skip
_UPRIGHT = str.maketrans(_UPSIDE)
# a character only upside-down text uses (not the plain letters above)
_TURNED = "".join(c for c in _UPSIDE if not c.isascii())
_TURNED_RE = re.compile("[" + re.escape(_TURNED) + "]")
# a word with a turned character, and the words after it with one, joined by
# spaces or punctuation (not a line break): one upside-down stretch. It
# starts only where a word starts ((?<!\S)): tried at every position inside
# a word, a 19,000-letter word beside "Məmmədov" (ə is Azerbaijani) cost
# 25 s, the square of its length (red team pass 6, H2); now one pass
_TURNED_WORD = f"(?<!\\S)[^\\s]*[{re.escape(_TURNED)}][^\\s]*"
_TURNED_STRETCH = re.compile(f"{_TURNED_WORD}(?:[^\\S\\n]+{_TURNED_WORD})*")


def has_turned(text: str) -> bool:
    """Does ``text`` hold a character only upside-down text uses?"""
    return _TURNED_RE.search(text) is not None


def upright(text: str) -> str | None:
    """``text`` with every upside-down stretch read back: reversed and each
    character turned upright (``lɐɐʍǝlǝıM``: ``Wielewaal``); as long as
    ``text``, so each offset stays in its stretch. None when there is no
    turned character."""
    if _TURNED_RE.search(text) is None:
        return None
    return _TURNED_STRETCH.sub(lambda m: m.group(0)[::-1].translate(_UPRIGHT), text)
