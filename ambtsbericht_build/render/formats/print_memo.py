"""The PDF's print HTML a top-level block at a time, each block's HTML kept
in the render's cache (cache/html_parts.py, kind ``printhtml``).

The print HTML's steps before pandoc (citations unwrapped, a word joiner
after each URL's ``://``, the notes made spans, the tables' captions moved
above them: pdf.py's ``print_html``) are functions of one top-level block
but for the notes' numbers (``data-note``), which count on from the notes
before it. Here a block's notes are numbered from its own first, as
``data-note="TOKEN:k"`` with this render's random token (no drafter's text
holds it); pandoc's HTML of the block is kept cut at those numbers and
joined with the real ones (the notes before it, plus ``k``) when it is
used. So a block's HTML is filed under its JSON text alone (as the
document file holds it), the document's head and pandoc's arguments (and
the tools and abuild's code: the cache's base), whatever comes before it:
after a one-paragraph edit, or a note added that renumbers every note
after it, pandoc is given the changed block only, and a block found in the
cache is not even parsed. The page is byte for byte the one the whole
document gives in one go (pdf.py's ``print_html``; tests/cache/test_print_html.py).

A block's HTML comes from pandoc as the screen writer's does
(:func:`...block_memo.html_of_blocks`: the blocks of one run cut apart at
raw comments), in runs side by side as :func:`.base.pandoc_fragments`'.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ... import block_memo, signals
from .base import pandoc, pieces_for_cores
from .transforms import captions_above_tables, notes_to_spans

if TYPE_CHECKING:
    from ...cache.html_parts import HtmlPartCache


# the JSON escape of a printable ASCII character ("\u004e" for "N"),
# which json.dumps never writes: a tag could hide behind it
_ASCII_ESCAPE = re.compile(r"\\u00[2-7]")


def print_block(line: str, number: Callable[[int], str] = str) -> str:
    """One top-level block (its JSON text) as the print HTML gives it to
    pandoc (pdf.py's ``print_html``), its notes numbered ``number(1)``,
    ``number(2)``, ... from its own first. Each of the three walks is done
    only where the text says it can change something (the benchmark
    report's 931 blocks: 312 need none, 10 hold a table; 0.15 s of CPU
    a walk over them all); a text with a JSON escape of a printable ASCII
    character is walked whole."""
    from .pdf import _print_inlines

    walk = _ASCII_ESCAPE.search(line) is not None
    inlines = walk or '"Cite"' in line or "://" in line
    notes = walk or '"Note"' in line
    tables = walk or '"Table"' in line
    if not (inlines or notes or tables):
        return line
    blocks = [json.loads(line)]
    if inlines:
        blocks = _print_inlines(blocks)
    if notes:
        blocks = notes_to_spans(blocks, number)
    if tables:
        blocks = captions_above_tables(blocks)
    return ",".join(json.dumps(b) for b in blocks)


def print_blocks(lines: Iterable[str]) -> list[str]:
    """:func:`print_block` of each top-level block (JSON text), its notes
    numbered on from the blocks before it: the blocks pdf.py's ``print_html``
    gives pandoc, without the render's cache. Read as text, a block that
    needs none of the walks is not even parsed (313 of the benchmark
    report's 931): loading the whole document, the three walks over all of
    it and serialising it again took 0.39 s of CPU on the way to the
    layout, and the PDF writer's own Python took 1.46 s instead of 1.72 s
    (no pydantic included; mean of three runs, load 3)."""
    out: list[str] = []
    base = 0
    for line in lines:
        last = [0]  # the block's notes

        def number(k: int, base: int = base) -> str:
            last[0] = k
            return str(base + k)

        out.append(print_block(line, number))
        base += last[0]
    return out


class _Count:
    """The notes of one block, numbered as ``TOKEN:k`` (k from 1)."""

    def __init__(self, token: str) -> None:
        self.token, self.n = token, 0

    def __call__(self, k: int) -> str:
        self.n = k
        return f"{self.token}:{k}"


def body(head: str, lines: Iterable[str], cache: HtmlPartCache, pandoc_args: list[str]) -> str:
    """pandoc's print HTML of the document whose head (``{"pandoc-api-version":
    ...,"meta":...``) and top-level blocks (JSON text, a line of the document
    file each) are given: each block's kept HTML, or pandoc's now."""
    from .html import HTML_ARGS

    token = secrets.token_hex(16)
    number = re.compile(f'data-note="{token}:(\\d+)"')
    settings = block_memo.context("print html", head, *HTML_ARGS)
    last = cache.blocks()
    now: dict[str, Any] = {}
    # per block: [its kept (cut) HTML or None, its number of notes, its entry name]
    made: list[list[Any]] = []
    todo: list[tuple[int, str]] = []
    for line in lines:
        name = cache.block_key(block_memo.context(settings, line))
        rec = now.get(name) or last.get(name)
        if rec is not None and _valid(rec):
            now[name] = rec
            made.append([rec[0], rec[1], name])
            continue
        count = _Count(token)
        text = print_block(line, count)
        made.append([None, count.n, name])
        todo.append((len(made) - 1, text))
    for (i, _), html in zip(todo, _convert(head, [t for _, t in todo], pandoc_args), strict=True):
        parts = number.split(html)  # text, number, text, ...
        cut = [p if j % 2 == 0 else int(p) for j, p in enumerate(parts)]
        made[i][0] = cut
        now[made[i][2]] = [cut, made[i][1]]
    cache.keep_blocks(now)
    out: list[str] = []
    base = 0
    for cut, notes, _ in made:
        out.append("".join(p if j % 2 == 0 else f'data-note="{base + p}"' for j, p in enumerate(cut)))
        base += notes
    return block_memo.join_html(out)


def _valid(rec: Any) -> bool:
    """What :func:`body` keeps: [[text, k, text, ..., text], notes], each k in 1..notes."""
    if not isinstance(rec, list) or len(rec) != 2 or type(rec[1]) is not int or rec[1] < 0:
        return False
    cut, notes = rec
    if not isinstance(cut, list) or len(cut) % 2 != 1:
        return False
    for j, p in enumerate(cut):
        if j % 2 == 0:
            if not isinstance(p, str):
                return False
        elif type(p) is not int or not 1 <= p <= notes:
            return False
    return True


def _convert(head: str, texts: list[str], pandoc_args: list[str]) -> list[str]:
    """pandoc's HTML of each block (JSON text), in runs of about equal size
    side by side, as many as :func:`.base.pandoc_fragments` runs."""
    if not texts:
        return []
    parts = min(pieces_for_cores(), len(texts))
    total = sum(map(len, texts)) or 1
    runs: list[list[str]] = [[]]
    done = 0
    for t in texts:
        if runs[-1] and len(runs) < parts and done >= total * len(runs) / parts:
            runs.append([])
        runs[-1].append(t)
        done += len(t)

    def run(blocks: list[str]) -> list[str]:
        return block_memo.html_of_blocks(head, blocks, lambda d: pandoc(pandoc_args, d, "PDF (HTML)"))

    if len(runs) == 1:
        return run(runs[0])
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        return [h for out in signals.map_all(pool, run, runs) for h in out]
