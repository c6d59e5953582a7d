"""Translated editions (issue #15): gettext PO files beside the Dutch text.

The seam between the two halves of the English edition:

- this package reads and writes the PO files (``abuild translate extract``,
  the msgmerge-like update, the placeholders, the PO checks) and applies them:
  :func:`translate_report` gives the report as it reads in another language;
- the render (``abuild render --lang en``) builds its one resolved document
  from that report exactly as from a Dutch one, with that language's labels,
  dates, citation locale and ``lang`` attributes, and writes
  ``<slug>.<lang>.<ext>``.

What comes back is a :class:`~ambtsbericht_build.load.LoadedReport` like the
one :func:`~ambtsbericht_build.load.load_report` gives: chapters re-parsed from
their translated Markdown, ``report.language`` set to ``lang``, the title,
ToR questions, glossary and chapter titles translated. A block shown in Dutch
(untranslated, or fuzzy) is a pandoc Div ``::: {.untranslated lang=nl}`` in
the chapter text, so that every writer can mark it and give it its language.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..load import LoadedReport

__all__ = ["LANGUAGES", "TranslatedReport", "translate_report"]

# the languages an edition may be rendered in besides the report's own
LANGUAGES = ("en",)


@dataclass
class TranslatedReport:
    report: LoadedReport  # the report as it reads in ``lang``
    lang: str
    untranslated: int = 0  # entries shown in the source language (untranslated or fuzzy)
    broken: int = 0  # entries whose placeholders a translator broke (shown in the source language too)


def translate_report(lr: LoadedReport, lang: str, diags: Diagnostics) -> TranslatedReport:
    """``lr`` in ``lang`` from ``reports/<slug>/translations/<lang>/*.po``.

    Until the PO reading lands this gives the report's own text with the
    target language's labels, every entry counted as untranslated: never a
    silent "done" (a vastgesteld edition with untranslated entries is refused)."""
    out = copy.copy(lr)
    if lr.report is not None:
        out.report = lr.report.model_copy(update={"language": lang})
    entries = sum(1 for lc in lr.chapters for line in lc.chapter.text.split("\n\n") if line.strip())
    return TranslatedReport(out, lang, untranslated=entries)
