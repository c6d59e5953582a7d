"""One long text (the preview page's text) matched piece by piece, with
each piece's tokens and each window's findings kept between rebuilds, so
that an edit re-reads only the piece it is in: exactly what
:meth:`.audit.Matcher.match` finds in the whole text (the property test,
tests/publish/test_match_pieces.py, compares both on random texts cut at
random places).

The whole text's matching cost a preview rebuild 0.28 s of CPU on the
benchmark report (750,000 characters): folding and tokenising 0.17 s
(:func:`.text.token_texts`), cutting and hashing the memo's windows 0.08 s
(:meth:`.match_memo.WindowMemo.find`), the path patterns 0.01 s.

Why pieces give the whole text's tokens:

- the text is cut only after a line end (``\\n``). No step of
  :func:`.text.fold_text` reads across one: the percent and entity
  sequences, the look-alike words and numbers hold no line end; NFKC and NFD
  compose nothing across it (a line end is a starter no mark combines
  with, and every ASCII character is one no earlier character combines
  with); the rest maps one character at a time. The only step that looks
  further is :func:`.text._in_words`, which looks across spaces for the
  nearest character: :func:`.text.quiet_edge` says when that stays inside
  each piece, and a cut where it does not is not made;
- no token holds a line end, so the tokens are the pieces' tokens in a
  row; what joins tokens across a separator is decided again at each cut:
  two digit groups glued (:func:`.text.glued_across`: the flag is set
  here), a word broken by a hyphen at the line end (:func:`.text.joined_across`:
  no cut there), a note call inside a word (needs an empty separator: a cut
  always has the line end);
- a reading the whole text has (line-end hyphens joined, note calls
  joined, text turned upright) is the pieces' readings in a row, each piece
  read as it stands where it has nothing to join or turn.

Why windows give the whole text's findings: as in :mod:`.match_memo`, a
window starts at a hard token (here the first of each piece) and runs
:func:`.match_memo.span` tokens past the next window's start, to a hard
token. A window is known by the pieces it covers and where in them it
starts and ends (its tokens are a function of those pieces' texts alone:
a hard token is never a glued digit group).

The phrases found this way decide only whether the whole text holds none:
when any is found the whole text is matched as before
(:meth:`.audit.Matcher.match`: the page is then refused anyway), and the
path patterns run on each piece (they match no line end)."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from .forbidden import GENERIC_PATHS, Needle
from .match_memo import hard, window_end
from .text import Readings, glued_across, has_turned, joined_across, quiet_edge, token_readings, upright

if TYPE_CHECKING:
    from .audit import Matcher
    from .extract import Part

K = TypeVar("K")
V = TypeVar("V")

# a line end is a cut in one of EVERY (by the CRC-32 of the 32 characters
# before it: an edit moves no cut outside its own piece), and only after
# MIN_PIECE characters: on the benchmark report's text (750,000 characters;
# a window runs span = 677 tokens past the next piece's start) 200 pieces,
# the first match 0.43 s and an edit's 0.02 s of CPU (with 512: 400
# pieces, 0.65 s and 0.03 s; with 8192: 0.42 s and 0.03 s). At most one
# window per MIN_PIECE characters, on any text
EVERY = 8
MIN_PIECE = 2048


def cut(text: str) -> list[str]:
    """``text`` in pieces, each but the last ending with a line end."""
    return cut_at(text, "\n", EVERY, MIN_PIECE)


def cut_at(text: str, sep: str, every: int, minimum: int) -> list[str]:
    """``text`` in content-defined pieces: cut after the line end of a
    ``sep`` (a line end and what must start the next line) in one of
    ``every`` (by the CRC-32 of the 32 characters before it, so an edit moves
    no cut outside its own piece), once the piece holds ``minimum``
    characters; each piece but the last ends with that line end, and each
    but the first starts with the rest of ``sep``. Also the preview's page
    (preview/extract_memo.py, at ``"\n<"``)."""
    head = sep[1:]
    lines = text.split(sep)
    out: list[str] = []
    start = size = 0
    for j, line in enumerate(lines[:-1]):
        size += len(line) + len(sep)
        if size >= minimum and zlib.crc32(line[-32:].encode("utf-8", "surrogatepass")) % every == 0:
            out.append((head if start else "") + sep.join(lines[start : j + 1]) + "\n")
            start, size = j + 1, 0
    out.append((head if start else "") + sep.join(lines[start:]))
    return out


class Reading(NamedTuple):
    """One reading of a piece: its tokens, their glue flags, the index of
    its first hard token (-1: none)."""

    texts: list[str]
    glue: list[bool]
    first_hard: int


def _reading(texts: list[str], glue: list[bool]) -> Reading:
    return Reading(texts, glue, next((i for i, t in enumerate(texts) if hard(t)), -1))


@dataclass
class Family:
    """A piece as it stands, or turned upright: its readings (base, hyphens
    joined, note calls joined; the base where there is nothing to join),
    and what its edges need."""

    base: Reading
    hyphen: Reading | None
    note: Reading | None
    first_sep: str
    last_sep: str

    @classmethod
    def of(cls, r: Readings) -> Family:
        base = _reading(r.texts, r.glue)
        hyphen = _reading(*r.hyphen) if r.hyphen is not None else None
        note = _reading(*r.note) if r.note is not None else None
        return cls(base, hyphen, note, r.first_sep, r.last_sep)

    def kind(self, name: str) -> Reading:
        got = self.hyphen if name == "hyphen" else self.note if name == "note" else None
        return got if got is not None else self.base


@dataclass
class Piece:
    text: str
    digest: bytes
    plain: Family
    turned: Family  # the plain family itself where nothing is upside down

    def family(self, turned: bool) -> Family:
        return self.turned if turned else self.plain


def _joins(a: Family, b: Family) -> bool:
    """Would the whole text join ``a``'s last word to ``b``'s first (a
    line-end hyphen), or is either without a token (a separator across
    more than one cut)?"""
    if not a.base.texts or not b.base.texts:
        return True
    last, first = a.base.texts[-1], b.base.texts[0]
    return not last.isdigit() and not first.isdigit() and joined_across(a.last_sep + b.first_sep)


def _glue_at(a: Family, b: Family) -> bool:
    """The glue flag of ``b``'s first token in the whole text."""
    return a.base.texts[-1].isdigit() and b.base.texts[0].isdigit() and glued_across(a.last_sep + b.first_sep)


def _kept(store: tuple[dict[K, V], dict[K, V]], key: K, make: Callable[[], V]) -> V:
    """``make()``, or what it gave under ``key`` in this match or the last."""
    last, now = store
    if key in now:
        return now[key]
    value = last[key] if key in last else make()
    now[key] = value
    return value


class Tokens:
    """Pieces by their text, with their tokens, and the path patterns'
    verdict on each: of the last match and this one only. They do not
    depend on what is looked for: a change of the forbidden values (a new
    matcher, a new :class:`Memo`) keeps them (the benchmark report's text:
    0.17 s of tokenising)."""

    def __init__(self) -> None:
        self._pieces: tuple[dict[tuple[str, bool], Piece], dict[tuple[str, bool], Piece]] = ({}, {})
        self._paths: tuple[dict[bytes, tuple[bool, ...]], dict[bytes, tuple[bool, ...]]] = ({}, {})
        self.read = 0  # pieces read (not found in the memo)

    def piece(self, text: str, turned: bool) -> Piece:
        def make() -> Piece:
            self.read += 1
            plain = Family.of(token_readings(text))
            up = upright(text) if turned else None
            return Piece(text, _digest(text), plain, Family.of(token_readings(up)) if up is not None else plain)

        return _kept(self._pieces, (text, turned), make)

    def paths(self, p: Piece) -> tuple[bool, ...]:
        return _kept(self._paths, p.digest, partial(_paths_in, p.text))

    def end(self) -> None:
        self._pieces = (self._pieces[1], {})
        self._paths = (self._paths[1], {})


class Memo:
    """The findings of each window over a :class:`Tokens`' pieces, by what
    it covers: of the last match and this one only, for one matcher."""

    def __init__(self, matcher: Matcher, tokens: Tokens | None = None) -> None:
        if matcher.memo is None:
            raise ValueError("a piece memo needs a matcher with a window memo (its span)")
        self.matcher = matcher
        self.span = matcher.memo.span
        self.tokens = tokens if tokens is not None else Tokens()
        self._windows: tuple[dict[bytes, frozenset[int]], dict[bytes, frozenset[int]]] = ({}, {})
        self.windows_matched = 0

    @property
    def pieces_read(self) -> int:
        return self.tokens.read

    def piece(self, text: str, turned: bool) -> Piece:
        return self.tokens.piece(text, turned)

    def pieces(self, text: str) -> tuple[list[Piece], bool]:
        """The pieces (joined where a cut would change the reading) and
        whether the text has a turned reading."""
        turned = not text.isascii() and has_turned(text)
        out: list[Piece] = []
        for chunk in cut(text):
            if out and not self._may_cut(out[-1], chunk, turned):
                out[-1] = self.piece(out[-1].text + chunk, turned)
            else:
                out.append(self.piece(chunk, turned))
        return out, turned

    def _may_cut(self, prev: Piece, chunk: str, turned: bool) -> bool:
        if not quiet_edge(prev.text, chunk):
            return False
        nxt = self.piece(chunk, turned)
        if turned and not quiet_edge(_upright(prev.text), _upright(chunk)):
            return False
        return not any(_joins(prev.family(t), nxt.family(t)) for t in ((False, True) if turned else (False,)))

    def readings(self, pieces: list[Piece], turned: bool) -> list[tuple[str, list[Reading], list[str], list[bool]]]:
        """The whole text's readings, in :func:`.text.token_texts`' order:
        (a label, each piece's reading, the tokens, their glue flags)."""
        out = []
        for t in (False, True) if turned else (False,):
            fams = [p.family(t) for p in pieces]
            names = ["base"]
            names += ["hyphen"] if any(f.hyphen is not None for f in fams) else []
            names += ["note"] if any(f.note is not None for f in fams) else []
            for name in names:
                readings = [f.kind(name) for f in fams]
                texts = list(chain.from_iterable(r.texts for r in readings))
                glue = list(chain.from_iterable(r.glue for r in readings))
                at = 0
                for i, r in enumerate(readings):
                    if i and r.texts:  # the first token's flag, as the whole text has it
                        glue[at] = _glue_at(fams[i - 1], fams[i])
                    at += len(r.texts)
                out.append((f"{int(t)}{name}", readings, texts, glue))
        return out

    def phrases_found(self, pieces: list[Piece], turned: bool) -> bool:
        """Does any reading of the pieces' text hold a phrase the matcher looks for?"""
        return any(self._found_in(pieces, *r) for r in self.readings(pieces, turned))

    def _found_in(
        self, pieces: list[Piece], label: str, readings: list[Reading], texts: list[str], glue: list[bool]
    ) -> bool:
        offsets = [0]
        for r in readings:
            offsets.append(offsets[-1] + len(r.texts))
        at = [0] + [offsets[i] + r.first_hard for i, r in enumerate(readings) if i and r.first_hard >= 0]
        at.append(len(texts))
        owner = 0  # the piece the window starts in
        for i in range(len(at) - 1):
            a = at[i]
            b = window_end(texts, at[i + 1] + self.span) if i + 2 < len(at) else len(texts)
            while owner + 1 < len(pieces) and offsets[owner + 1] <= a:
                owner += 1
            last = owner
            while last + 1 < len(pieces) and offsets[last + 1] < b:
                last += 1
            h = hashlib.blake2b(label.encode(), digest_size=20)
            for p in pieces[owner : last + 1]:
                h.update(p.digest)
            h.update(b"%d %d" % (a - offsets[owner], b - offsets[last]))

            def match(a: int = a, b: int = b) -> frozenset[int]:
                self.windows_matched += 1
                return self.matcher.index.payloads(texts[a:b], glue[a:b])

            if _kept(self._windows, h.digest(), match):
                return True
        return False

    def paths_in(self, pieces: list[Piece]) -> list[bool]:
        """For each of :data:`.forbidden.GENERIC_PATHS`: does a piece hold a match?"""
        found = [False] * len(GENERIC_PATHS)
        for p in pieces:
            found = [a or b for a, b in zip(found, self.tokens.paths(p), strict=True)]
        return found

    def end(self) -> None:
        """This match's pieces and windows are what the next may reuse."""
        self.tokens.end()
        self._windows = (self._windows[1], {})


def _paths_in(text: str) -> tuple[bool, ...]:
    return tuple(rx.search(text) is not None for rx in GENERIC_PATHS)


def _upright(text: str) -> str:
    return upright(text) or text


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def match(memo: Memo, part: Part) -> list[tuple[Needle | None, str]]:
    """``memo.matcher.match(part)``, reading only what changed since the last call."""
    m = memo.matcher
    lines = m.by_lines(part)
    try:
        if lines:
            return m.match(part)  # every line read for keys: the whole text, as ever
        pieces, turned = memo.pieces(part.text)
        if memo.phrases_found(pieces, turned):
            return m.match(part)  # a phrase to confirm (and a page refused): the whole text, as ever
        return m.paths_and_logins(part, memo.paths_in(pieces))  # no phrase: paths and users, as Matcher.match
    finally:
        memo.end()


__all__ = ["Memo", "cut", "match"]
