"""The preview's HTML of the document's body (a :class:`~...block_memo.BlockMemo`
is active): the HTML of each block an edit did not change is kept, not
made again.

The screen writer's steps before pandoc (citations unwrapped, abbreviations
marked, the notes taken out) are functions of one top-level block, its
notes numbered from its first (html_notes.Numbered); so is pandoc's HTML of
it. A block's HTML and its notes' HTML are therefore kept under its
finished JSON text (citeproc's, block_memo.py), the glossary and the
language, and put back with the notes before it counted. A table or a
figure gets ids made up in document order (html_blocks.py's ScreenBlocks):
such a block is written every time. On the benchmark report (931 blocks)
these steps took 0.5 s of CPU a rebuild when every block went through them.

A render with a cache does the same with :class:`StoredBlocks`, which keeps
the blocks' HTML in the cache (cache/html_parts.py) instead of a process:
its blocks come as the document file's JSON text (html.py's ``write_path``),
and a block found there is not even parsed. On the benchmark report a
one-paragraph edit then gives pandoc's HTML writer 12 blocks (the changed one,
tables and figures) instead of 931."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ... import block_memo
from ..ast import Node
from .html_notes import NoteBlocks, renumbered
from .transforms import add_abbr, unwrap_citations

if TYPE_CHECKING:
    from ...cache.html_parts import HtmlPartCache
    from ..facts import RenderFacts

# a table or a figure in json.dumps's text (a quote in a string is escaped:
# no drafter's text looks like this)
_MADE_UP_IDS = ('"t": "Table"', '"t": "Figure"')


class _Pieces(Protocol):
    head: str

    def run_blocks(self, blocks: list[str]) -> list[str]: ...


class _Memo(Protocol):
    token: str

    def finished(self, block: Any) -> str | None: ...

    def kept(self, key: bytes) -> Any: ...

    def keep(self, key: bytes, value: Any) -> None: ...

    def convert(
        self, stage: str, settings: bytes, blocks: Sequence[str], run: Callable[[list[str]], list[str]]
    ) -> list[str]: ...


def body_html(
    memo: _Memo,
    pieces: _Pieces,
    blocks: Iterable[Node | str],
    screen: Callable[[list[Node]], list[Node]],
    notes: NoteBlocks,
    facts: RenderFacts,
) -> str:
    """What html.py's ``_Pieces.html`` gives for the body and its notes.
    ``blocks``: the document's (the preview's, whose finished JSON text the
    memo knows) or their JSON text (a render's)."""
    from .html import HTML_ARGS

    settings = block_memo.context(pieces.head, *HTML_ARGS)
    kept_under = block_memo.context("html block", settings, repr(sorted(facts.glossary.items())), facts.lang)
    abbr = abbreviations(facts.glossary)
    # [pandoc's JSON text or, when ready, its HTML; the number its notes count from; ready]
    body: list[list[Any]] = []
    taken: list[list[Any]] = []
    to_keep: list[tuple[bytes, int, int, int, int, int]] = []
    for item in blocks:
        text = item if isinstance(item, str) else memo.finished(item)
        key = None
        if text is not None and not any(m in text for m in _MADE_UP_IDS):
            key = block_memo.context(kept_under, text)
            kept = memo.kept(key)
            if kept is not None:
                base = notes.count
                body += [[h, base + k, True] for h, k in kept[0]]
                taken += [[h, base + k, True] for h, k in kept[1]]
                notes.skip(max((k for _, k in kept[1]), default=0))
                continue
        base, b0, t0 = notes.count, len(body), len(taken)
        if isinstance(item, str) and as_it_is(item, abbr):  # a render's block that no step changes
            body.append([item, base, False])
            if key is not None:
                to_keep.append((key, base, b0, len(body), t0, len(taken)))
            continue
        block = json.loads(item) if isinstance(item, str) else item
        for b in screen_form(block, text, screen, abbr, facts.glossary):
            at = notes.count  # a note in ``b`` is numbered from the first after those before it
            if text is None or _NOTE in text or _ASCII_ESCAPE.search(text) is not None:
                taken += [[t, n, False] for t, n in notes.take([b])]
            body.append([notes.dumps(b, at), at, False])
        if key is not None:
            to_keep.append((key, base, b0, len(body), t0, len(taken)))
    entries = body + taken
    todo = [e for e in entries if not e[2]]
    for e, h in zip(todo, memo.convert("html", settings, [e[0] for e in todo], pieces.run_blocks), strict=True):
        e[0] = h
    for key, base, b0, b1, t0, t1 in to_keep:
        made = ([(e[0], e[1] - base) for e in body[b0:b1]], [(e[0], e[1] - base) for e in taken[t0:t1]])
        memo.keep(key, made)
    return block_memo.join_html([renumbered(e[0], memo.token, e[1]) for e in entries])


# the JSON escape of a printable ASCII character ("\u004e" for "N"), which
# json.dumps never writes: a tag could hide behind it
_ASCII_ESCAPE = re.compile(r"\\u00[2-7]")


# a note in json.dumps's text of a block (a JSON escape in its name is
# caught by _ASCII_ESCAPE)
_NOTE = '"Note"'


def as_it_is(text: str, abbr: re.Pattern[str] | None) -> bool:
    """Whether a block's JSON ``text`` (json.dumps's, the document file's)
    goes to pandoc as it is: no citation to unwrap, no abbreviation, no
    table or figure, no note: on the benchmark report 293 of 931 blocks
    (and 617 hold no note, whose walk the note taker is spared). With the
    steps each walking only what they change, the HTML writer's Python
    took 0.96 s of CPU instead of 1.28 s (lazy font subsets and no
    pydantic included; mean of four runs, load 3)."""
    return not (
        _NOTE in text
        or '"Cite"' in text
        or any(m in text for m in _MADE_UP_IDS)
        or _ASCII_ESCAPE.search(text) is not None
        or (abbr is not None and abbr.search(text) is not None)
    )


def abbreviations(glossary: dict[str, str]) -> re.Pattern[str] | None:
    """What a block's JSON text holds if a glossary abbreviation is in its
    text: the key as json.dumps writes it (character by character, so a key
    in a string is this in its JSON)."""
    if not glossary:
        return None
    return re.compile("|".join(re.escape(json.dumps(k)[1:-1]) for k in sorted(glossary, key=len, reverse=True)))


def screen_form(
    block: Node,
    text: str | None,
    screen: Callable[[list[Node]], list[Node]],
    abbr: re.Pattern[str] | None,
    glossary: dict[str, str],
) -> list[Node]:
    """``screen(add_abbr(unwrap_citations([block])))``, each walk done only
    where the block's JSON ``text`` (None: not known) says it can change
    something: on the benchmark report's 931 blocks the three walks took
    0.3 s of CPU, and 314 cite nothing, 308 name no abbreviation, 920 hold no table or figure
    (whose ids ScreenBlocks makes up; the ids it could collide with are
    in its ``seen`` from the start, html.py's ``_stem_ids``)."""
    if text is None or _ASCII_ESCAPE.search(text) is not None:
        return screen(add_abbr(unwrap_citations([block]), glossary))
    blocks = [block]
    if '"Cite"' in text:
        blocks = unwrap_citations(blocks)
    if abbr is not None and abbr.search(text) is not None:
        blocks = add_abbr(blocks, glossary)
    if any(m in text for m in _MADE_UP_IDS):
        blocks = screen(blocks)
    return blocks


# a note's number in pandoc's HTML of a block, relative to the block's first
# (html_notes.Numbered): "<!--TOKEN:call:3-->"
_LOCAL = "<!--{}:(call|back|mark):(\\d+)-->"
_KINDS = ("call", "back", "mark")


class StoredBlocks:
    """:func:`body_html`'s memo in a render with a cache: the HTML of each
    block and of its notes, from the cache's entry of the last render
    (cache/html_parts.py) and into the one of this render (:meth:`save`).

    The numbers in the kept HTML are comments with a token (:class:`.html_notes.Numbered`);
    each render draws its own, as secret as ever, so the HTML is kept cut
    at those comments, as text and [kind, number] in turn, and joined with
    this render's token when it is used."""

    def __init__(self, cache: HtmlPartCache) -> None:
        self.cache = cache
        self.token = secrets.token_hex(16)
        self._local = re.compile(_LOCAL.format(self.token))
        self._last = cache.blocks()
        self._now: dict[str, Any] = {}
        self.hits = self.misses = 0

    def finished(self, block: Any) -> str | None:
        return None  # a render's blocks come as their text (body_html)

    def kept(self, key: bytes) -> Any:
        name = self.cache.block_key(key)
        rec = self._now.get(name) or self._last.get(name)
        value = self._joined(rec)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._now[name] = rec
        return value

    def keep(self, key: bytes, value: Any) -> None:
        body, notes = value
        self._now[self.cache.block_key(key)] = [[[self._cut(h), k] for h, k in part] for part in (body, notes)]

    def convert(
        self, stage: str, settings: bytes, blocks: Sequence[str], run: Callable[[list[str]], list[str]]
    ) -> list[str]:
        return run(list(blocks)) if blocks else []

    def save(self) -> None:
        self.cache.keep_blocks(self._now)

    def _cut(self, html: str) -> list[Any]:
        parts = self._local.split(html)  # text, kind, number, text, ...
        return [p if i % 3 == 0 else [parts[i], int(parts[i + 1])] for i, p in enumerate(parts) if i % 3 != 2]

    def _joined(self, rec: Any) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
        """A kept block's (body, notes) with this render's token; None for
        anything but what :meth:`keep` kept."""
        if not isinstance(rec, list) or len(rec) != 2:
            return None
        out: list[list[tuple[str, int]]] = [[], []]
        for part, into in zip(rec, out, strict=True):
            if not isinstance(part, list):
                return None
            for entry in part:
                if not isinstance(entry, list) or len(entry) != 2 or type(entry[1]) is not int or entry[1] < 0:
                    return None
                html = self._join(entry[0])
                if html is None:
                    return None
                into.append((html, entry[1]))
        return out[0], out[1]

    def _join(self, cut: Any) -> str | None:
        if not isinstance(cut, list) or len(cut) % 2 != 1:
            return None
        text: list[str] = []
        for i, p in enumerate(cut):
            if i % 2 == 0:
                if not isinstance(p, str):
                    return None
                text.append(p)
            elif isinstance(p, list) and len(p) == 2 and p[0] in _KINDS and type(p[1]) is int and p[1] >= 0:
                text.append(f"<!--{self.token}:{p[0]}:{p[1]}-->")
            else:
                return None
        return "".join(text)
