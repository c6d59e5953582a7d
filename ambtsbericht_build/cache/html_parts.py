"""The screen HTML's parts kept between renders (render/formats/html_memo.py).

Two kinds of entry:

- ``htmlblocks``: the HTML of the last render's top-level blocks and their
  notes, one entry for an output file name (``meetland.html``: one report,
  one edition), read once and written once a render. Inside it, each
  block's HTML is filed under the hash of everything that shapes it: the
  block's finished JSON text, the document's head, pandoc's arguments, the
  glossary and the language (html_memo.py), and the tools and abuild's code
  (:func:`.outputs.writer_environment`). A block is only ever looked up by
  that hash, so what the entry holds is right for any render that finds
  it, whichever render wrote it. One entry rather than one a block: the
  store's atomic write of an entry costs ~0.65 ms of CPU, 0.6 s for the
  benchmark report's 931 blocks on every render from an empty cache; one
  entry of its 3.4 MB costs 0.03 s.
- ``printhtml``: the same for the PDF's print HTML (render/formats/print_memo.py),
  one entry for a PDF's file name, each block's HTML filed under the hash
  of its JSON text, the document's head, pandoc's arguments, the tools
  and abuild's code (the print HTML reads nothing else: no glossary, no
  language), its note numbers counted from the block's first.
- ``htmlfonts``: the house fonts as subset ``@font-face`` rules, under
  the hash of ``fonts/fonts.css``, the font files it names (by content),
  the page's characters and the tools (fontTools: 0.65 s of CPU a render).

The store checks each entry whole (:mod:`.store`); what is inside is
checked again where it is used (a malformed block is made again).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .outputs import writer_environment
from .store import Store, digest

BLOCKS = "htmlblocks"
PRINT = "printhtml"
FONTS = "htmlfonts"
_HEX = re.compile(r"[0-9a-f]{64}")


class HtmlPartCache:
    """The parts of one HTML writer's render of the output ``name``
    (``kind``: :data:`PRINT` for the PDF writer's print HTML)."""

    def __init__(self, store: Store, name: str, kind: str = BLOCKS) -> None:
        self.store = store
        self.kind = kind
        self.base = digest(f"{kind}/1", writer_environment())
        self._index = digest(f"{kind}/1 index", name)

    def block_key(self, key: bytes) -> str:
        """The entry's name of a block whose HTML ``key`` (html_memo.py's hash) describes."""
        return digest(self.base, key)

    def blocks(self) -> dict[str, Any]:
        """The blocks the last render of this output kept, by :meth:`block_key`."""
        rec = self.store.get_json(self.kind, self._index)
        if not isinstance(rec, dict):
            return {}
        return {k: v for k, v in rec.items() if _HEX.fullmatch(k)}

    def keep_blocks(self, blocks: dict[str, Any]) -> None:
        """Keep ``blocks`` (those this render used or made: the entry holds
        one render's worth, however many edits there were)."""
        payload = json.dumps(blocks, sort_keys=True, separators=(",", ":")).encode()
        if len(payload) <= self.store.limit // 8:  # as cache/outputs.py: one entry must not push out the rest
            self.store.put(self.kind, self._index, payload)

    def font_css(self, css: str, fonts: list[Path], chars: frozenset[str], make: Callable[[], str]) -> str:
        """``make()`` (the ``@font-face`` rules of ``css`` with the ``fonts``
        it names subset to ``chars``), or what it gave before."""
        from .inputs import file_hash

        try:
            files = [file_hash(p) for p in fonts]
        except OSError:
            return make()  # a font gone: make() says so
        key = digest("htmlfonts/1", self.base, css, json.dumps(files), "".join(sorted(chars)))
        raw = self.store.get(FONTS, key)
        if raw is not None:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
        made = make()
        self.store.put(FONTS, key, made.encode("utf-8"))
        return made


def open_cache(cache: list[str], name: str, kind: str = BLOCKS) -> HtmlPartCache | None:
    """The parts' cache of the render's cache ``[build/.cache, the
    repository]`` (:attr:`..render.facts.RenderFacts.pdf_cache`); None when
    the render has none (``--no-cache``)."""
    if len(cache) != 2 or not cache[0]:
        return None
    return HtmlPartCache(Store(Path(cache[0]), repo=Path(cache[1]) if cache[1] else None), name, kind)
