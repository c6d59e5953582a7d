"""The index of fingerprints: every token sequence to look for, and the
other writings it is found in (a longer word, a split word, letter by letter,
backwards, a look-alike letter no table knows).

Split out of fingerprint.py, which makes the fingerprints this looks for.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from itertools import compress, filterfalse

from .fingerprint_spoken import around, spoken_reading
from .fingerprint_words import COMMON_CAPITALISED, RUN_LENGTH, common, ordinary_phrase
from .number_words import WORDS, digit_runs
from .text import Token, dehyphenated, fold_token, folded_words, has_turned, tokens
from .token_runs import LETTER, PIECE, classes, runs, with_bits

# a number is written in at most this many groups (0 6 1 2 3 4 5 6 7 0: 10)
MAX_GROUPS = 12
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
# number words that are also articles: alone they do not make a text worth
# reading for a number in words (may_match)
_ARTICLES = frozenset({"een", "one", "oh"})


# a word written letter by letter (``W i e l e w a a l``, ``K.o.m.p.a.s``,
# ``A M B - V B / 2025 / 0218``; red team pass 4, R03) is read joined too: a
# run of this many one-letter tokens or more. Not two: "s en a" and initials
# ("J. de Vries") would join everywhere, and two letters spell no secret
MIN_SPACED = 3
# where such a run may be (the cheap test of :meth:`Index.may_match`): a
# letter alone, then twice a separator and another letter alone
_SPACED_RUN = re.compile(r"(?<![^\W_])[^\W\d_](?:[\W_]{1,3}[^\W\d_](?![^\W_])){2}")


# ... found in the tokens' class bytes (:mod:`.token_runs`): a run of
# one-letter tokens, and a run of pieces of one to three letters (``W i el
# e w a a l``, ``Wi el ew aal``: red team pass 5; pass 4 joined them only
# where a text also spaced three single letters). Pieces are joined only
# while the join still starts a one-word secret (:data:`Index.word_starts`):
# "is in de" costs a set lookup or two
_LETTER_RUN = re.compile(with_bits(LETTER) + b"{%d,}" % MIN_SPACED)
_PIECE_RUN = re.compile(with_bits(PIECE) + b"{3,}")
# may a text hold such a run? (the cheap test of :meth:`Index.may_match`)
_SHORT_RUN = re.compile(r"(?<![^\W_])[^\W\d_]{1,3}(?:[\W_]{1,3}[^\W\d_]{1,3}(?![^\W_])){2}")


def spaced_runs(texts: list[str], cls: bytes | None = None) -> list[tuple[int, int]]:
    """[start, end) of each run of :data:`MIN_SPACED`+ one-letter tokens
    (``cls``: the tokens' :func:`.token_runs.classes`, if made already)."""
    return runs(_LETTER_RUN, texts, cls)


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
        # ... the first 2-3 letters of those of 6+ letters: where a word
        # written in pieces of 2-3 letters (Wi el ew aal) may start
        self.piece_starts: set[str] = set()
        # single-word secrets by each of their one- (and two-) position
        # masked forms: "zwart\x00oet" for zwartvoet (see MASK_MIN)
        self.masked: dict[str, list[int]] = {}
        self._span: int | None = None  # match_memo.span(self), once it is needed (Index._spoken)

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
        self._span = None
        if cased:
            self.cased.add(payload)
        w = seq[0]
        if len(seq) == 1 and w.isalpha():
            self.word_starts.update(w[:k] for k in range(1, len(w)))
            if len(w) >= PREFIX:
                self.piece_starts.update((w[:2], w[:3]))
        elif w.isalpha():
            # the first word of a name of several (Karel Smit), which may be
            # written in pieces too ("Ka rel Sm it"; red team pass 6, T12)
            self.word_starts.update(w[:k] for k in range(1, len(w)))
            if len(w) > 3:  # a shorter one is a piece itself, and in by_first
                self.piece_starts.update((w[:2], w[:3]))
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
        if words is None or has_turned(text):
            return True  # (upside down: text.upright reads it back)
        if not words.isdisjoint(self.by_first):
            return True
        if any(len(w) == 1 for w in words) and _SPACED_RUN.search(text):
            return True  # a word written letter by letter
        if not self.piece_starts.isdisjoint(words) and _SHORT_RUN.search(text):
            return True  # ... or in pieces of up to three letters
        if self.masked and not all(map(str.isascii, words)):
            return True  # a letter no table knows (masked matching)
        if self.digit_first and not words.isdisjoint(self.digit_prefixes):
            return True  # a number may be spelt by several groups
        if self.digit_first:
            # ... or in words (number_words.py): two different number words,
            # or one that is not also an article ("een", "one")
            spoken = words.intersection(WORDS)
            if len(spoken) >= 2 or not spoken <= _ARTICLES:
                return True
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

    def payloads(self, texts: list[str], glue: list[bool], cls: bytes | None = None) -> frozenset[int]:
        """The payloads :meth:`find_texts` finds in these tokens (what the
        audit's window memo keeps): the spoken reading is matched only
        around its runs of number words (:meth:`_spoken`). ``cls``: the
        tokens' :func:`.token_runs.classes`, if made already."""
        return frozenset(p for _, _, p in self.find_texts(texts, glue, repeats=False, cls=cls))

    def find_texts(
        self,
        texts: list[str],
        glue: list[bool],
        lower: list[bool] | None = None,
        spoken: bool = True,
        *,
        repeats: bool = True,
        cls: bytes | None = None,
    ) -> list[tuple[int, int, int]]:
        """:meth:`find` on the folded texts and glue flags of the tokens
        (``lower``: the token is written in lower case; ``spoken``: also read
        number words as digits, :meth:`_spoken`; without ``repeats``, a hit
        of the spoken reading that the plain one has too may be left out)."""
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
        distinct = set(texts)
        if stems:
            # most texts have no word that starts or ends like a rare word,
            # nor one of its first parts: each test once, at C speed
            if stems.keys().isdisjoint(map(_HEAD, distinct)):
                stems = {}
            if tails.keys().isdisjoint(map(_TAIL, distinct)):
                tails = {}
            if heads.isdisjoint(distinct):
                heads = set()
        morph = bool(stems or tails or heads)
        masked = self.masked
        by_first, digit_prefixes = self.by_first, self.digit_prefixes
        # the tokens the loop below does anything with, found at C speed: a
        # test per token in Python cost 0.17 of the 0.58 s the benchmark
        # report's audit spent here (its 1,040,000 tokens in 582 windows
        # have one distinct word in three); a test per distinct word 0.06 s,
        # these set operations 0.02 s
        wanted = distinct.intersection(by_first)
        wanted.update(distinct.intersection(digit_prefixes))
        if masked:
            wanted.update(filterfalse(str.isascii, distinct))
        if morph:
            words = list(distinct)
            for ends, part in ((stems, _HEAD), (tails, _TAIL)):
                if ends:
                    found = compress(words, map(ends.__contains__, map(part, words)))
                    wanted.update(w for w in found if len(w) > PREFIX)
            if heads:
                wanted.update(distinct.intersection(heads))
        for i in compress(range(n), map(wanted.__contains__, texts)):
            w = texts[i]
            if masked and not w.isascii():
                out += [(i, i + 1, p) for p in self._masked(w)]
            if morph:
                if stems and len(w) > PREFIX and w[:PREFIX] in stems:
                    out += [(i, i + 1, p) for st, p in stems[w[:PREFIX]] if len(w) > len(st) and w.startswith(st)]
                if tails and len(w) > PREFIX and w[-PREFIX:] in tails:
                    out += [(i, i + 1, p) for st, p in tails[w[-PREFIX:]] if len(w) > len(st) and w.endswith(st)]
                if heads and w in heads:
                    out += self._split(texts, i)
            if w not in by_first and w not in digit_prefixes:
                continue
            if not w.isdigit():  # (units(i) yields the word alone: no generator per word)
                for seq, payload, any_case in by_first.get(w, ()):
                    end = i + 1 if len(seq) == 1 else rest(seq, 1, i + 1)
                    if end >= 0:
                        (free if any_case else out).append((i, end, payload))
                continue
            # a digit group, and the groups glued to it (units(i), without a
            # generator per group: 127,000 of the benchmark report's audit),
            # while they still start a number looked for
            key, nxt = w, i + 1
            while True:
                for seq, payload, any_case in get(key, ()):
                    end = nxt if len(seq) == 1 else rest(seq, 1, nxt)
                    if end >= 0:
                        (free if any_case else out).append((i, end, payload))
                if nxt >= n or not glue[nxt] or nxt - i >= MAX_GROUPS or key not in digit_prefixes:
                    break
                key += texts[nxt]
                nxt += 1
        if lower is not None:
            out = [h for h in out if not (h[2] in self.cased and all(lower[h[0] : h[1]]))]
        if cls is None or len(cls) != n:
            cls = classes(texts) if n >= MIN_SPACED else b""
        spaced = spaced_runs(texts, cls) if n >= MIN_SPACED else []
        if spaced:
            out += self._spaced(texts, glue, lower, spaced)
        if n >= MIN_SPACED and self.word_starts:
            out += self._pieces(texts, lower, cls)
        if spoken and self.digit_first and not WORDS.keys().isdisjoint(texts):
            out += self._spoken(texts, glue, lower, repeats, cls or None)
        return out + free

    def _spoken(
        self,
        texts: list[str],
        glue: list[bool],
        lower: list[bool] | None,
        repeats: bool = True,
        cls: bytes | None = None,
    ) -> list[tuple[int, int, int]]:
        """:meth:`find_texts` with each run of number words read as the
        glued digit groups of one number (``nul zes twaalf vierendertig
        ...``: ``0``, ``6``, ``12``, ``34``; red team pass 5), the hits
        given as spans of the original tokens. Without ``repeats``, only
        around each run (:func:`.fingerprint_spoken.around`): elsewhere this
        reading holds the plain one's tokens, and hits."""
        number_runs = digit_runs(texts, cls)
        if number_runs is None:
            return []
        r = spoken_reading(texts, glue, lower, number_runs)
        if repeats:
            found = self.find_texts(r.texts, r.glue, r.lower, spoken=False)
        else:
            from .match_memo import span

            if self._span is None:
                self._span = span(self)
            found = []
            for a, b in around(r.texts, r.runs, self._span):
                low = r.lower[a:b] if r.lower is not None else None
                found += [
                    (i + a, j + a, p) for i, j, p in self.find_texts(r.texts[a:b], r.glue[a:b], low, spoken=False)
                ]
        return [(r.span(i)[0], r.span(j - 1)[1], p) for i, j, p in found]

    def _pieces(
        self, texts: list[str], lower: list[bool] | None, cls: bytes | None = None
    ) -> list[tuple[int, int, int]]:
        """A secret written in pieces of one to three letters (``W i el e w
        a a l``: red team pass 4, R04; ``Wi el ew aal``: pass 5), one word
        or several, each rebuilt from its pieces in turn (``Ka rel Sm it``:
        pass 6, T12): every stretch of 3+ such pieces that spells one and
        is not an ordinary phrase (``van de weg``: :func:`ordinary_phrase`)."""
        out: list[tuple[int, int, int]] = []
        starts = self.word_starts
        firsts = self.by_first.keys()
        for a, b in runs(_PIECE_RUN, texts, cls):
            pieces = texts[a:b]
            if starts.isdisjoint(pieces) and firsts.isdisjoint(pieces):
                continue  # no piece starts a secret nor grows into one: "en in de"
            for i in range(len(pieces)):
                s = pieces[i]
                # grown only while it still starts a secret word: a hostile
                # run of 200,000 letters costs a set lookup or two per piece
                for j in range(i, len(pieces)):
                    if j > i:
                        if s not in starts:
                            break
                        s += pieces[j]
                    for seq, payload, any_case in self.by_first.get(s, ()):
                        if not (any_case or lower is None or payload not in self.cased or not lower[a + i]):
                            continue
                        end = j + 1 if len(seq) == 1 else _rebuilt(pieces, seq, j + 1)
                        if end - i >= MIN_SPACED and not ordinary_phrase(pieces[i:end]):
                            out.append((a + i, a + end, payload))
        return out

    def _spaced(
        self, texts: list[str], glue: list[bool], lower: list[bool] | None, spaced: list[tuple[int, int]]
    ) -> list[tuple[int, int, int]]:
        """:meth:`find_texts` on the tokens with each run of one-letter
        tokens joined into one (``w i e l e w a a l``: ``wielewaal``), the
        hits given as spans of the original tokens."""
        texts2: list[str] = []
        glue2: list[bool] = []
        lower2: list[bool] = []
        spans: list[tuple[int, int]] = []
        k = 0
        for a, b in spaced + [(len(texts), len(texts))]:
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
        # "ter hal" is no Terhal, "van de weg" no Vandeweg (pass 6, FP1)
        return [h for h in out if not ordinary_phrase(texts[h[0] : h[1]])]


def _rebuilt(pieces: list[str], seq: tuple[str, ...], k: int) -> int:
    """Where the words ``seq[1:]`` end, each rebuilt from the pieces from
    ``k`` on (``sm``, ``it``: ``smit``); -1 if they do not. At most one
    piece per letter of the secret: bounded, whatever the text."""
    for word in seq[1:]:
        t = ""
        while k < len(pieces) and len(t) < len(word):
            t += pieces[k]
            k += 1
            if not word.startswith(t):
                return -1
        if t != word:
            return -1
    return k
