"""One font configuration for the parts of a PDF laid out in one process, in WeasyPrint 70.

WeasyPrint makes a new font configuration for every document it lays out
(``Document._render``): a new Fontconfig configuration, a new Pango font map
with empty caches, and the document's ``@font-face`` fonts added to it. The
PDF writer lays the benchmark report out in 16 parts, so each layout worker
made ~8 font maps, and each font map found its fonts again: Pango sorts the
fonts for each new font description in a thread of its own (~40 "[pango]"
threads a part, ~640 for the report) and shapes with fonts it loads anew.

The fonts a document can use are the configuration's: Fontconfig's own
(``FONTCONFIG_FILE``: only abuild's fonts directory, :func:`.pdf.package_fonts_only`)
and the ``@font-face`` rules the document adds with its URL fetcher. Two
documents that add the same rules, in the same order, with the same fetcher
have equal configurations. :func:`render` lays a document out with the
configuration an earlier document of this process made (within one
``package_fonts_only``, the same fetcher) when the document adds exactly the
rules that one added while it was laid out: an ``add_font_face`` is checked
against that list as it comes, and WeasyPrint's own answers it (the font is
there already); one that differs, or a list that ends early, is refused
(:class:`_Differs`) and the document is laid out again with a new
configuration of its own, as WeasyPrint does. A font added to a shared
configuration after its layout (an SVG's ``@font-face``, drawn with the
PDF) is added, and the configuration is not shared again. The PDF is byte
for byte the same (the tests compare).

Its temporary font files go to the ``package_fonts_only`` directory, which
the PDF writer removes (a layout worker ends without running finalisers).

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = HTML.render


class _Differs(Exception):
    """A document adds other fonts than the shared configuration's."""


class _Shared(FontConfiguration):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A font configuration, and the ``@font-face`` rules its first document added."""

    def __init__(self, key: tuple[Any, ...]) -> None:
        super().__init__()
        self.key = key
        self.added: list[tuple[Any, Any]] = []  # (rule descriptors, fetcher), as the first document added them
        self.recording = True  # the first document's layout
        self.replaying: int | None = None  # a later document's layout: how many it added so far
        self.spent = False  # a font added outside a layout: not shared again

    def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
        if self.replaying is not None:
            at = self.replaying
            if at >= len(self.added) or self.added[at] != (rule_descriptors, url_fetcher):
                raise _Differs
            self.replaying += 1
        elif self.recording:
            self.added.append((dict(rule_descriptors), url_fetcher))
        else:
            self.spent = True
        return super().add_font_face(rule_descriptors, url_fetcher)


_kept: list[_Shared] = []  # this process's shared configuration (at most one)


def _key(url_fetcher: Any) -> tuple[Any, ...] | None:
    conf = os.environ.get("FONTCONFIG_FILE")
    if not conf:  # outside package_fonts_only: WeasyPrint's own configuration
        return None
    return (conf, os.getpid(), url_fetcher)


def render(self: Any, font_config: Any = None, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's ``HTML.render``, with the process's shared font configuration where it is equal."""
    key = None if font_config is not None else _key(self.url_fetcher)
    if key is None:
        return _original(self, font_config, *args, **kwargs)
    shared = _kept[0] if _kept else None
    if shared is None or shared.key != key or shared.spent:
        shared = _Shared(key)
        shared._folder = Path(tempfile.mkdtemp(prefix="weasyprint-", dir=Path(key[0]).parent))
        _kept[:] = [shared]
        try:
            return _original(self, shared, *args, **kwargs)
        except BaseException:
            _kept.clear()
            raise
        finally:
            shared.recording = False
    shared.replaying = 0
    try:
        document = _original(self, shared, *args, **kwargs)
        if shared.replaying != len(shared.added):
            raise _Differs
        return document
    except _Differs:
        pass
    except BaseException:
        _kept.clear()
        raise
    finally:
        shared.replaying = None
    return _original(self, None, *args, **kwargs)  # fonts of its own: a configuration of its own


def forget() -> None:
    _kept.clear()


_SWAPS = Swaps(
    "abuild's shared font configuration (render/weasy_font_config.py)",
    [(HTML, "render", render)],
    SUPPORTED,
    cleared=forget,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
