"""The PDF's parts kept between renders (:mod:`..render.pdf_layout_parts`).

Two kinds of entry, both of kind ``pdfpart``:

- a part's *layout*: its number of pages and the pages of its anchors
  (counted from its first page), under the key of everything that shapes
  its layout: its HTML (which holds the CSS and names the fonts), the
  house style's font files, the tools and abuild's code
  (:func:`.outputs.writer_environment`);
- a part's *PDF*: the file WeasyPrint wrote, under that key plus the
  numbers written into its pages: where it starts, the whole's number of
  pages and the page of every anchor of another part it links to.

A part is a function of exactly that, so a PDF joined from the cache's
parts is byte for byte the one joined from parts written now (the tests
render both). An entry that is corrupt, of another version or under
another key is ignored (:class:`.store.Store`), and a layout that does
not match the part laid out again makes the writer lay the whole out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .inputs import file_hash
from .outputs import writer_environment
from .store import Store, digest

KIND = "pdfpart"
# PDF parts over this size are not kept (a chapter of the benchmark report is ~0.15 MB)
MAX_PART = 16 * 1024 * 1024


class PartCache:
    """The parts of one PDF writer's render."""

    def __init__(self, store: Store, fonts: list[Path]) -> None:
        self.store = store
        self._base = digest(
            "pdfpart/1",
            writer_environment(),
            json.dumps(sorted((p.name, file_hash(p)) for p in fonts)),
        )

    def layout_key(self, html: str) -> str:
        return digest(self._base, "layout", html)

    def get_layout(self, key: str) -> dict[str, Any] | None:
        """A part's layout as :class:`..render.pdf_layout_parts.Layout`'s fields, or None."""
        rec = self.store.get_json(KIND, key)
        if not isinstance(rec, dict) or set(rec) != {"pages", "anchors", "refused", "file_links"}:
            return None
        pages, anchors, refused, links = rec["pages"], rec["anchors"], rec["refused"], rec["file_links"]
        if not isinstance(pages, int) or pages < 1 or not isinstance(anchors, dict) or not isinstance(refused, list):
            return None
        if not all(isinstance(k, str) and type(v) is int and 0 <= v < pages for k, v in anchors.items()):
            return None
        if not all(isinstance(u, str) for u in refused) or type(links) is not int or links < 0:
            return None
        return rec

    def put_layout(self, key: str, layout: Any) -> None:
        fields = ("pages", "anchors", "refused", "file_links")
        self.store.put_json(KIND, key, {f: getattr(layout, f) for f in fields})

    def pdf_key(self, layout_key: str, first: int, total: int, targets: dict[str, int]) -> str:
        return digest(layout_key, "pdf", json.dumps([first, total, sorted(targets.items())]))

    def restore_pdf(self, key: str, path: Path) -> bool:
        raw = self.store.get(KIND, key)
        if raw is None or not raw.startswith(b"%PDF-"):
            return False
        path.write_bytes(raw)
        return True

    def keep_pdf(self, key: str, path: Path) -> None:
        try:
            if path.stat().st_size <= MAX_PART:
                self.store.put(KIND, key, path.read_bytes())
        except OSError:  # the cache never fails a render
            pass


def open_cache(root: str, repo: str, fonts: list[Path]) -> Any:
    """The parts' cache in ``root`` (``build/.cache``), None when there is
    none to use (no root given: ``--no-cache``)."""
    if not root:
        return None
    return PartCache(Store(Path(root), repo=Path(repo) if repo else None), fonts)
