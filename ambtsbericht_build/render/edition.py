"""Which edition a render makes: the report in its own language, or a
translated edition (``abuild render --lang en``, issue #15).

A translated edition is built from what :func:`..translate.translate_report`
gives, after the report itself was checked in its own language (the
findings, the refusals and the confidentiality refusal are the Dutch
check's). Its files are ``<slug>.<lang>.<ext>`` with ``<slug>.<lang>.manifest.json``
beside them, so the Dutch outputs in the same directory are never touched.

A final (vastgesteld, gepubliceerd) edition may not show any text in the
source language: an untranslated, fuzzy or broken entry refuses it. A concept
shows such entries in the source language, marked (:mod:`.untranslated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .labels import labels

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..load import LoadedReport


@dataclass(frozen=True)
class Edition:
    report: LoadedReport  # the report as it reads in ``lang``
    lang: str  # the edition's language: "en"
    source_lang: str  # the language it was written in: "nl"
    stem: str  # the outputs' file name before the suffix: "voorbeeldland" or "voorbeeldland.en"
    untranslated: int = 0  # entries shown in the source language (untranslated, fuzzy or broken)
    broken: int = 0  # of those, entries whose placeholders a translator broke
    refusal: str = ""  # why this edition may not be rendered ("" when it may)
    glossary: frozenset[str] = frozenset()  # abbreviations whose meaning is shown in the source language

    @property
    def translated(self) -> bool:
        return self.lang != self.source_lang


def shown(untranslated: int, broken: int, source_lang: str) -> str:
    """ "3 entries shown in Dutch (untranslated, fuzzy or broken; 1 with broken placeholders)"."""
    name = labels("en")["language_names"].get(source_lang, source_lang)  # abuild's messages are English
    return (
        f"{untranslated} entr{'y' if untranslated == 1 else 'ies'} shown in {name}"
        f" (untranslated, fuzzy or broken; {broken} with broken placeholders)"
    )


def edition(lr: LoadedReport, lang: str | None, diags: Diagnostics) -> Edition:
    """The edition of the (checked) report ``lr`` in ``lang`` (None: its own language)."""
    assert lr.report is not None  # the pipeline refuses an unloadable report before
    own = lr.report.language
    if not lang or lang == own:
        return Edition(lr, own, own, lr.slug)
    from ..translate import LANGUAGES, translate_report

    if lang not in LANGUAGES:  # `--lang nl` of an English report; a caller of the API
        known = ", ".join(LANGUAGES)
        why = f"the report is written in {own!r}, and abuild makes no {lang!r} edition of it (editions: {known})"
        return Edition(lr, lang, own, f"{lr.slug}.{lang}", refusal=why)
    tr = translate_report(lr, lang, diags)
    refusal = ""
    if lr.report.status.final and (tr.untranslated or tr.broken):
        refusal = (
            f"the report's status is {lr.report.status.value}, and its {lang!r} edition has"
            f" {shown(tr.untranslated, tr.broken, own)}:"
            f" a final edition is translated completely (translations/{lang}/*.po; a concept shows"
            f" such entries in the report's language, marked)"
        )
    return Edition(
        tr.report, lang, own, f"{lr.slug}.{lang}", tr.untranslated, tr.broken, refusal, tr.glossary_untranslated
    )
