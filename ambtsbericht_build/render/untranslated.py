"""Text of a translated edition still shown in the report's own language:
marked, and in its language (WCAG 3.1.2, language of parts).

The translation (:mod:`..translate`) gives an untranslated or fuzzy entry
as ``::: {.untranslated lang=nl}`` (a block) or ``[…]{.untranslated lang=nl}``
(inline text). In a concept edition they stay; this makes each of them

- carry the source language as a BCP 47 tag (``lang="nl-NL"``), which the
  writers turn into ``lang`` (HTML), ``/Lang`` on its tag (PDF, :mod:`.pdf_lang`),
  ``w:lang`` (DOCX) and ``fo:language``/``fo:country`` (ODT), so a screen reader
  reads it as Dutch and the hyphenation is Dutch;
- visibly marked in words, not by colour only: a block is preceded by a
  line "Not yet translated (Dutch)", inline text by a badge "[NL]" whose title
  says the same. The marker itself is in the edition's language, outside the
  Dutch element.

A final edition with any such unit is refused before it gets here
(:mod:`.edition`).
"""

from __future__ import annotations

from typing import Any

from . import ast as A
from .labels import bcp47, labels

CLASS = "untranslated"


def mark_untranslated(doc: dict[str, Any], lang: str, source_lang: str) -> int:
    """Mark every untranslated unit of the pandoc document ``doc`` (the
    edition is in ``lang``, the units in ``source_lang``); returns how many."""
    L = labels(lang)
    said = L["untranslated"].format(language=L["language_names"].get(source_lang, source_lang))
    tag = bcp47(source_lang)
    count = 0

    def fn(node: dict[str, Any]) -> Any:
        nonlocal count
        t = node["t"]
        if t not in ("Div", "Span"):
            return None
        ident, classes, kv = node["c"][0]
        if CLASS not in classes:
            return None
        count += 1
        node["c"][0] = [ident, classes, [[k, v] for k, v in kv if k != "lang"] + [["lang", tag]]]
        if t == "Span":
            badge = A.Span(A.text(f"[{source_lang.upper()}]"), ["untranslated-badge"], kv=[["title", said]])
            return [badge, A.Space(), node]
        label = A.Para([A.Strong(A.text(said))])
        return A.Div([A.Div([label], classes=["untranslated-label"]), node], classes=["untranslated-unit"])

    doc["blocks"] = A.walk(doc["blocks"], fn)
    return count
