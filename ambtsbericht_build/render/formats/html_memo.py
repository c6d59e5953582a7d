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
these steps took 0.5 s of CPU a rebuild when every block went through them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from ... import block_memo
from ..ast import Node
from .html_notes import NoteBlocks, renumbered
from .transforms import add_abbr, unwrap_citations

if TYPE_CHECKING:
    from ..facts import RenderFacts

# a table or a figure in json.dumps's text (a quote in a string is escaped:
# no drafter's text looks like this)
_MADE_UP_IDS = ('"t": "Table"', '"t": "Figure"')


class _Pieces(Protocol):
    head: str

    def run_blocks(self, blocks: list[str]) -> list[str]: ...


def body_html(
    memo: block_memo.BlockMemo,
    pieces: _Pieces,
    blocks: Iterable[Node],
    screen: Callable[[list[Node]], list[Node]],
    notes: NoteBlocks,
    facts: RenderFacts,
) -> str:
    """What html.py's ``_Pieces.html`` gives for the body and its notes."""
    from .html import HTML_ARGS

    settings = block_memo.context(pieces.head, *HTML_ARGS)
    kept_under = block_memo.context("html block", settings, repr(sorted(facts.glossary.items())), facts.lang)
    # [pandoc's JSON text or, when ready, its HTML; the number its notes count from; ready]
    body: list[list[Any]] = []
    taken: list[list[Any]] = []
    to_keep: list[tuple[bytes, int, int, int, int, int]] = []
    for block in blocks:
        text = memo.finished(block)
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
        for b in screen(add_abbr(unwrap_citations([block]), facts.glossary)):
            at = notes.count  # a note in ``b`` is numbered from the first after those before it
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
