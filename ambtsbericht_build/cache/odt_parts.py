"""The ODT's pieces kept between renders (render/formats/odt_pieces.py).

One entry of kind ``odtparts`` per piece of the document (the cover: title
block, colofon, TOC and whatever precedes the first chapter; then each
chapter): pandoc's ``content.xml`` body of it, numbered within the piece,
with the automatic styles, pictures and formulas it uses (the cover's also
the rest of the package: styles, meta, manifest), as JSON. The key is the
hash of everything that shapes it: the piece's blocks as the document file
holds them (the office steps before pandoc are abuild's code), the
document's language (the cover: its whole pandoc input, title block and
colofon included, and the date pandoc stamps), the reference ODT (by
content), and the tools and abuild's code (:func:`.outputs.writer_environment`).
A piece is only ever looked up by that hash, so any entry found is right
for the render that finds it.

One entry a piece, not one for the whole document: an edit writes one
entry of ~0.15 MB, not 1.3 MB, and the pieces of other editions or
branches of the report stay usable side by side. The store checks each
entry whole (:mod:`.store`); a piece that does not parse is made again.
"""

from __future__ import annotations

from pathlib import Path

from .outputs import writer_environment
from .store import Store, digest

KIND = "odtparts"


class OdtPartCache:
    """The pieces of the ODT writer, for the reference ODT ``reference``."""

    def __init__(self, store: Store, reference: Path) -> None:
        from .inputs import file_hash

        self.store = store
        self.base = digest("odtparts/1", writer_environment(), file_hash(reference))

    def key(self, *parts: str) -> str:
        return digest(self.base, *parts)

    def get(self, key: str) -> bytes | None:
        return self.store.get(KIND, key)

    def put(self, key: str, payload: bytes) -> None:
        if len(payload) <= self.store.limit // 8:  # as cache/outputs.py: one entry must not push out the rest
            self.store.put(KIND, key, payload)


def open_cache(cache: list[str], reference: Path) -> OdtPartCache | None:
    """The pieces' cache of the render's cache ``[build/.cache, the
    repository]`` (:attr:`..render.facts.RenderFacts.pdf_cache`); None when
    the render has none (``--no-cache``) or the reference ODT cannot be read
    (the writer then says so)."""
    if len(cache) != 2 or not cache[0]:
        return None
    try:
        return OdtPartCache(Store(Path(cache[0]), repo=Path(cache[1]) if cache[1] else None), reference)
    except OSError:
        return None
