"""Screen-HTML forms of tables and figures (the PDF keeps pandoc's own).

A table becomes ``<figure>``: its caption a ``<figcaption>`` above, the
table itself in a scroll container of its own, so on a phone (375 px) a
table wider than the screen scrolls sideways under a caption that stays
where it is. The container is focusable (keyboard users can scroll it) and
named by the caption; the table is named by it too (it no longer has a
``<caption>``).

A figure gets a link that opens its image at full size in the page
(``:target``; the page has no script and loads nothing, so the image is not
opened by a URL of its own) and a link that closes it again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .. import ast as A
from ..ast import Node


@dataclass
class _Pending:
    """Nodes made during the walk whose ids are given after it, when every
    id of the document is known: a made-up id must not be an author's."""

    seen: set[str] = field(default_factory=set)
    fill: list[tuple[str, Any]] = field(default_factory=list)  # (stem, callback(id))

    def unique(self, stem: str) -> str:
        k = 1
        while f"{stem}-{k}" in self.seen:
            k += 1
        ident = f"{stem}-{k}"
        self.seen.add(ident)
        return ident


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _table(node: Node, pending: _Pending, L: dict[str, Any]) -> list[Node]:
    ident, classes, kv = node["c"][0]
    caption_blocks = node["c"][1][1]
    scroll = A.Div([node], "", ["table-scroll"], [["role", "region"], ["tabindex", "0"]])
    if not caption_blocks:  # (the glossary) keeps its id on the table
        scroll["c"][0][2].append(["aria-label", L["table"]])
        return [scroll]
    # the id goes to the figure: a cross-reference shows the caption
    node["c"][0] = ["", classes, kv]
    node["c"][1] = [None, []]
    head = A.RawBlock("html", "")
    cls = " ".join(["table-figure", *classes])
    id_attr = f' id="{_esc(ident)}"' if ident else ""

    def give(cap: str) -> None:
        head["c"][1] = f'<figure{id_attr} class="{_esc(cls)}">\n<figcaption id="{_esc(cap)}">'
        scroll["c"][0][2].append(["aria-labelledby", cap])
        kv.append(["aria-labelledby", cap])

    pending.fill.append(("caption", give))
    return [head, *caption_blocks, A.RawBlock("html", "</figcaption>"), scroll, A.RawBlock("html", "</figure>")]


def _caption_label(caption: list[Node]) -> str:
    """ "Figuur 1" of a caption that document.py numbered, else ""."""
    first = caption[0]["c"] if caption and caption[0]["t"] in ("Plain", "Para") else []
    for inline in first[:1]:
        if inline["t"] == "Span" and "caption-label" in inline["c"][0][1]:
            return A.stringify(inline["c"][1]).rstrip(":").strip()
    return ""


def _figure(node: Node, pending: _Pending, L: dict[str, Any]) -> None:
    attr, caption, blocks = node["c"]
    images = [b for b in blocks if b["t"] in ("Plain", "Para") and any(i["t"] == "Image" for i in b["c"])]
    if not images:
        return  # a missing image (a concept) has nothing to enlarge
    label = _caption_label(caption[1])
    opener = A.RawBlock("html", "")
    closer = A.RawBlock("html", "")
    blocks[:0] = [closer]
    # the link below the caption, which says what it opens (above it, it read
    # as part of the image); a figure without a caption has it below the image
    (caption[1] if caption[1] else blocks).append(opener)

    def give(zoom: str) -> None:
        if not attr[0]:
            attr[0] = pending.unique("figure")
        # the target comes first, so Tab after opening reaches "close" next
        closer["c"][1] = (
            f'<span class="figure-zoom-target" id="{_esc(zoom)}"></span>'
            f'<a class="figure-close" href="#{_esc(attr[0])}">{_esc(L["close_figure"])}</a>'
        )
        text = f"{label} {L['full_size']}" if label else L["full_size"].capitalize()
        opener["c"][1] = f'<a class="figure-enlarge" href="#{_esc(zoom)}">{_esc(text)}</a>'

    pending.fill.append(("full-size", give))


# the stems of the ids made up here ("caption-1", "full-size-2", "figure-3")
# and pandoc's own ids in the screen HTML (notes, their calls, the notes section)
STEMS = ("caption", "full-size", "figure")
PANDOC_IDS = ("footnotes", "inhoud", "toc-title")


def ids_of(blocks: list[Node]) -> set[str]:
    """Every id of ``blocks`` (what a made-up id must not be)."""
    seen: set[str] = set()

    def fn(node: Node) -> Any:
        attr = A.attr_of(node)
        if attr is not None and attr[0]:
            seen.add(attr[0])
        return None

    A.walk(blocks, fn)
    return seen


class ScreenBlocks:
    """:func:`screen_tables_and_figures` a run of top-level blocks at a time,
    in document order (the HTML writer reads the document a block at a
    time). ``seen`` holds every id of the whole document that a made-up one
    could be (all ids; at least those of the :data:`STEMS`): ids are then
    given as each run is done, the same ones as after a walk of the whole."""

    def __init__(self, L: dict[str, Any], seen: set[str]) -> None:
        self.L = L
        self.pending = _Pending(set(seen) | set(PANDOC_IDS))

    def __call__(self, blocks: list[Node]) -> list[Node]:
        pending, L = self.pending, self.L

        def fn(node: Node) -> Any:
            attr = A.attr_of(node)
            if attr is not None and attr[0]:
                pending.seen.add(attr[0])
            t = node["t"]
            if t == "Table":
                return _table(node, pending, L)
            if t == "Figure":
                _figure(node, pending, L)
            return None

        out: list[Node] = A.walk(blocks, fn)
        for stem, give in pending.fill:
            give(pending.unique(stem))
        pending.fill.clear()
        return out


def screen_tables_and_figures(blocks: list[Node], L: dict[str, Any]) -> list[Node]:
    """Tables in scroll containers under their captions, figures that open
    at full size (see the module docstring)."""
    return ScreenBlocks(L, ids_of(blocks))(blocks)
