"""The fingerprint matcher's findings for stretches of a text's tokens,
remembered by the tokens themselves, so that text the render has already
matched (the same part after a one-paragraph edit; a font embedded in both
the DOCX and the ODT) is not matched again.

:meth:`.fingerprint_index.Index.find_texts` is what costs: 60 % of the
render-time audit of the benchmark report (2.9 of 4.0 s CPU), run on the
whole text of each part. Here the tokens of a part (one reading of
:func:`.text.token_texts`) are cut into *chunks*, and each chunk is matched
as its *window*: the chunk and the :func:`span` tokens after it, looked up
first by the digest of its tokens (:meth:`WindowMemo.find`). That finds
exactly what one run over the whole text finds, because:

- a window starts and ends only at a *hard* token (or the text's end): a
  word of 4+ letters that is not a number word (:func:`hard`). No reading
  of the index runs over one: not a word written letter by letter or in
  pieces of 1-3 letters, not glued digit groups, not a run of number words.
  So nothing is found in a window that the whole text does not hold there
  (no run cut short, no digits glued across its edge), and a match that is
  one such run lies inside one chunk;
- any other match is one needle's tokens in a row, at most :func:`span`
  tokens long (each needle token in at most its letters, or in 2 x
  MAX_GROUPS tokens for spoken or glued numbers), so it lies in the window
  of the chunk it starts in.

The property test (tests/publish/test_match_memo.py) matches random texts
of planted secrets in every writing both ways.

Where a chunk starts is decided by the tokens themselves (content-defined,
as rsync cuts files: :func:`cuts`), so an edit changes the window it is in
and the one before it; every other window keeps its digest. A memo belongs
to one matcher (:attr:`WindowMemo.signature` covers every token sequence
the index looks for, the code that matches them and the Python whose
Unicode tables fold the text, :func:`runtime`): a changed secret,
``public_terms`` entry, matcher or Python is a new memo, empty.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
import zlib
from collections.abc import Iterable
from importlib import resources
from itertools import compress

from .fingerprint_index import MAX_GROUPS, MAX_PIECES, Index
from .token_runs import HARD, classes
from .token_runs import hard as hard  # (where the windows' modules look for it)

# the modules and data whose behaviour the memo's findings depend on: a
# change to any of them is another signature (a stale memo never hides a
# leak a newer matcher finds)
_CODE = (
    "audit.py",
    "near_miss.py",
    "text.py",
    "fingerprint.py",
    "fingerprint_index.py",
    "fingerprint_spoken.py",
    "fingerprint_words.py",
    "number_words.py",
    "token_runs.py",
    "match_memo.py",
    "data/common_words.txt.gz",
    "data/confusables.txt",
    "data/hidden.txt",
)
_code_digest: str | None = None


def code_digest() -> str:
    """sha256 of the matcher's own modules and data (read once a process)."""
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        root = resources.files(__package__ or "ambtsbericht_build.publish")
        for name in _CODE:
            data = root.joinpath(name).read_bytes()
            h.update(b"%s %d\n" % (name.encode(), len(data)))
            h.update(data)
        _code_digest = h.hexdigest()
    return _code_digest


def runtime() -> bytes:
    """What the findings depend on besides the matcher's code: Python's
    Unicode tables (NFKC, a character's category, ``str.isalpha``, ``\\w``),
    which text.py folds with. Python 3.11 has Unicode 14.0, 3.12 15.0, 3.14
    16.0: a letter assigned in a newer table folds otherwise, so a memo
    filled by one Python is not another's (the render cache keys on
    ``sys.version`` too, cache/inputs.py). Read at each signature, not once."""
    return b"python %s\nunicode %s\n" % (sys.version.encode(), unicodedata.unidata_version.encode())


def span(index: Index) -> int:
    """How many tokens one match of a needle sequence covers at most."""
    longest = 0
    for cands in index.by_first.values():
        for seq, _, _ in cands:
            longest = max(longest, sum(len(t) + 2 * MAX_GROUPS for t in seq))
    return longest + MAX_PIECES + 2


def cuts(texts: list[str], least: int, cls: bytes | None = None) -> list[int]:
    """Where each chunk starts, and the end: ``[0, ..., len(texts)]``. A
    chunk starts at a hard token whose pair with the token before it hashes
    to a multiple of ``least`` (:func:`cut_before`): decided by the two tokens alone, so an
    edit moves no cut outside it. At least ``least // 2`` tokens apart, so
    that a text of one pair over and over costs at most 3 x a plain match
    (each token is in at most three windows). ``cls``: the tokens'
    :func:`.token_runs.classes`, if made already."""
    out = [0]
    n = len(texts)
    every = max(1, least)
    apart = max(1, least // 2)
    # the hard tokens (from the first that may be a cut) found in their
    # class bytes at C speed, and :func:`cut_before` of each with the token
    # before it inline, each word's CRC-32 kept between readings: a set of
    # the words, a test and a CRC of each and a call per hard token cost
    # 0.135 s of the benchmark report's audit (its 171 readings, 967,000
    # tokens), this 0.097 s and the class bytes its windows use too
    if cls is None:
        cls = classes(texts)
    crc = _crc_of(texts)
    mix = _MIX
    at = [
        i
        for i in compress(range(apart, n), cls.translate(_HARD_ONLY)[apart:])
        if not (crc[texts[i]] ^ (crc[texts[i - 1]] * mix)) % every
    ]
    nxt = apart
    for i in at:
        if i >= nxt:
            out.append(i)
            nxt = i + apart
    out.append(n)
    return out


# a class byte with the HARD bit -> 1, any other -> 0
_HARD_ONLY = bytes(1 if v & HARD else 0 for v in range(256))
_MIX = 0x9E3779B1
# each word's CRC-32, kept between readings: a report's vocabulary, up to
# this many words (a hostile text's are made for it alone, never emptied:
# another thread may be reading it)
_CRC: dict[str, int] = {}
_CRC_MAX = 200_000


def _crc_of(texts: list[str]) -> dict[str, int]:
    """A dict that has the CRC-32 of every token of ``texts``."""
    crc = _CRC
    new = set(texts).difference(crc)
    if len(crc) + len(new) > _CRC_MAX:
        return {t: zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in set(texts)}
    for t in new:
        crc[t] = zlib.crc32(t.encode("utf-8", "surrogatepass"))
    return crc


def cut_before(prev: int, code: int, every: int) -> bool:
    """Does a chunk start at a hard token (CRC-32 ``code``) after the token
    with CRC-32 ``prev``? One pair in ``every``."""
    return (code ^ (prev * _MIX)) % every == 0


def window_end(texts: list[str], at: int) -> int:
    """The first hard token from ``at`` on (or the end): where a window may end."""
    n = len(texts)
    while at < n and not hard(texts[at]):
        at += 1
    return min(at, n)


def window_key(texts: list[str], glue: list[bool]) -> str:
    """The digest of a window's tokens and glue flags (tokens hold no NUL)."""
    h = hashlib.blake2b(digest_size=20)
    h.update("\x00".join(texts).encode("utf-8", "surrogatepass"))
    h.update(b"\x01" + bytes(glue))
    return h.hexdigest()


class WindowMemo:
    """Findings (payloads of the index) by window digest, for one index."""

    def __init__(
        self, index: Index, sequences: Iterable[tuple[tuple[str, ...], bool]], keys: Iterable[str] = ()
    ) -> None:
        self.index = index
        self.span = span(index)
        h = hashlib.sha256(b"abuild-audit-windows\n" + code_digest().encode() + b"\n" + runtime())
        # the confidential keys whose near-misses are looked for, in order (a
        # part's finding names one by its place)
        self.keys = 0
        for key in keys:
            self.keys += 1
            h.update(b"key %d:" % len(key) + key.encode("utf-8", "surrogatepass") + b"\n")
        self.payloads = 0  # the payloads are 0 .. payloads - 1, in this order
        for seq, cased in sequences:
            self.payloads += 1
            h.update(b"%d %d:" % (cased, len(seq)) + "\x00".join(seq).encode("utf-8", "surrogatepass") + b"\n")
        self.signature = h.hexdigest()
        self.results: dict[str, frozenset[int]] = {}
        # a line of attributes -> the confidential key it is a near-miss of
        # (audit.Matcher; in memory only, one render)
        self.key_lines: dict[str, str | None] = {}
        self.used: set[str] = set()  # the windows this render matched or looked up (kept in the cache)
        self.matched = 0  # windows matched, not found in the memo
        self.reused = 0
        # a whole part's text (and whether its lines are read for keys) ->
        # (its phrases, its key's place or -1): an unchanged part is not even
        # tokenised again
        self.parts: dict[str, tuple[frozenset[int], int]] = {}
        # ... and the windows its text was matched in: kept in the store while
        # the part is (a part served whole uses them)
        self.part_windows: dict[str, tuple[str, ...]] = {}
        self._windows: list[str] = []  # of the part being matched
        self.used_parts: set[str] = set()
        self.parts_seen = 0
        self.parts_reused = 0

    @staticmethod
    def part_key(text: str, lines: bool) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update(b"lines\n" if lines else b"text\n")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def part(self, text: str, lines: bool) -> tuple[frozenset[int], int] | None:
        """What :meth:`keep_part` kept for this very text, or None."""
        key = self.part_key(text, lines)
        known = self.parts.get(key)
        self.parts_seen += 1
        if known is not None:
            self.used_parts.add(key)
            self.used.update(self.part_windows.get(key, ()))
            self.parts_reused += 1
        self._windows = []
        return known

    def keep_part(self, text: str, lines: bool, hits: frozenset[int], key: int) -> None:
        """Keep what a part's text holds (after :meth:`part` said None)."""
        k = self.part_key(text, lines)
        self.parts[k] = (hits, key)
        self.part_windows[k] = tuple(dict.fromkeys(self._windows))
        self.used_parts.add(k)

    def find(self, texts: list[str], glue: list[bool]) -> frozenset[int]:
        """The payloads :meth:`Index.find_texts` finds in these tokens: each
        chunk's window is the chunk and, after it, :attr:`span` tokens more
        (up to a hard token), so it holds every match that starts in the chunk.

        Windows not in the memo that follow each other are matched as one
        stretch, and each keeps the hits of it that lie inside it: a window
        overlaps the next by :attr:`span` tokens or more, and matching each
        alone matched the overlaps twice (the benchmark report's 550 new
        windows hold 950,000 tokens, their stretches 0.4 as many fewer). A
        stretch, like a window, starts and ends at a hard token or the
        text's end, over which no reading runs: what it finds inside a
        window is what the window finds, and a window still holds every
        match that starts in its chunk (the property tests in
        tests/publish/test_match_memo.py)."""
        cls = classes(texts)
        at = cuts(texts, self.span, cls)
        windows: list[tuple[int, int, str]] = []
        new: list[bool] = []
        seen: set[str] = set()  # matched in this reading (a window repeated counts as reused, as ever)
        for i in range(len(at) - 1):
            a = at[i]
            b = window_end(texts, at[i + 1] + self.span) if i + 2 < len(at) else len(texts)
            key = window_key(texts[a:b], glue[a:b])
            fresh = key not in self.results and key not in seen
            if fresh:
                seen.add(key)
                self.matched += 1
            else:
                self.reused += 1
            windows.append((a, b, key))
            new.append(fresh)
        i = 0
        while i < len(windows):
            if not new[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(windows) and new[j + 1]:
                j += 1
            start, end = windows[i][0], windows[j][1]
            hits = self.index.find_texts(texts[start:end], glue[start:end], repeats=False, cls=cls[start:end])
            for a, b, key in windows[i : j + 1]:
                lo, hi = a - start, b - start
                self.results[key] = frozenset(p for s, e, p in hits if s >= lo and e <= hi)
            i = j + 1
        found: set[int] = set()
        for _, _, key in windows:
            self.used.add(key)
            self._windows.append(key)
            found |= self.results[key]
        return frozenset(found)
