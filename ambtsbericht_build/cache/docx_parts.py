"""The DOCX's chapters as pandoc wrote them, kept between renders
(render/formats/docx_pieces.py).

One entry (kind ``docxparts``) a piece of the body: the blocks from one
level-1 heading to the next. It is filed under the hash of everything that
shapes pandoc's DOCX of those blocks: their JSON text and the review
anchors wrapped round them, the document's head as the writer sees it
(title, colofon, language), pandoc's arguments, the reference document (by
content), the tools and abuild's code (:func:`.outputs.writer_environment`).
A piece is only ever looked up by that hash, so whatever render wrote it,
it is right for the render that finds it.

The payload is JSON (the store never unpickles): the piece's
``document.xml`` and its notes with pandoc's own ids, and what they refer
to (relationships, images, list numbering, styles). What is inside is
checked again where it is used (docx_pieces.py): anything malformed is a
miss, and the piece goes through pandoc again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .outputs import writer_environment
from .store import Store, digest

KIND = "docxparts"


class DocxPartCache:
    """The pieces of the DOCX writer's renders, by :meth:`key`."""

    def __init__(self, store: Store, settings: str) -> None:
        self.store = store
        self.base = digest("docxparts/1", writer_environment(), settings)

    def key(self, text: bytes) -> str:
        return digest(self.base, text)

    def get(self, key: str) -> dict[str, Any] | None:
        rec = self.store.get_json(KIND, key)
        return rec if isinstance(rec, dict) else None

    def put(self, key: str, piece: dict[str, Any]) -> None:
        payload = json.dumps(piece, sort_keys=True, separators=(",", ":")).encode()
        if len(payload) <= self.store.limit // 64:  # a piece must not push out the rest
            self.store.put(KIND, key, payload)


def open_cache(cache: list[str], settings: str) -> DocxPartCache | None:
    """The pieces' cache of the render's cache ``[build/.cache, the
    repository]`` (:attr:`..render.facts.RenderFacts.pdf_cache`); None when
    the render has none (``--no-cache``)."""
    if len(cache) != 2 or not cache[0]:
        return None
    return DocxPartCache(Store(Path(cache[0]), repo=Path(cache[1]) if cache[1] else None), settings)
