"""The translated text held to the rules of the Dutch text (red team T1).

A translation is typed by someone outside the team, and what the English
edition prints is the translated report (:func:`..translate.translate_report`),
not the Dutch one. The chapter-text rules that guard what is printed (AB306
drafters' notes, AB307 mixed scripts, AB402 raw HTML, AB406 characters the
font lacks) therefore also run on the translated chapters, read exactly as
the render reads them. A finding inside a translated unit is reported at
that entry's msgstr in its PO file; one in text kept in Dutch is the Dutch
check's (it is dropped here, else it would be reported twice).

Only chapters with translated units are read again (a report with no
``translations/`` directory costs nothing).
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..load import LoadedChapter
from ..translate import LANGUAGES, TranslatedReport, translate_report
from ..translate.catalog import translations_dir
from ..translate.po import msgstr_position
from . import Context, Finding
from .translations import translation_states


@dataclass
class _Translated:
    """Each language's translated report, made once per check."""

    reports: dict[str, TranslatedReport] = field(default_factory=dict)

    def chapter(self, lc: LoadedChapter) -> None:
        """Nothing to do per chapter (the Early protocol)."""


def _translated(ctx: Context) -> _Translated:
    got = ctx.early.get("translated text")
    if isinstance(got, _Translated):
        return got
    out = _Translated()
    for lang in LANGUAGES:
        if translations_dir(ctx.report, lang).is_dir():
            # its reading problems are AB603's, its broken entries AB602/AB604's
            # the PO files as the AB60x rules read them (translations.py): read and judged once
            states = translation_states(ctx).files.get(lang)
            out.reports[lang] = translate_report(ctx.report, lang, Diagnostics(), states)
    ctx.early["translated text"] = out
    return out


def in_translations(ctx: Context, rule: Callable[[Context], Iterable[Finding]]) -> Iterator[Finding]:
    """``rule``'s findings in the translated units of every translation, at
    the msgstr of the entry each is in (the start of the msgstr: a position
    inside it goes through the placeholders, which the msgstr does not hold)."""
    for tr in _translated(ctx).reports.values():
        if not tr.origins:
            continue
        sub = copy.copy(tr.report)
        sub.chapters = [tr.report.chapters[i] for i in sorted(tr.origins)]
        where: dict[Path, int] = {tr.report.chapters[i].file: i for i in tr.origins}
        for f in rule(Context(sub, ctx.analysis, {})):
            k = where.get(Path(f.file))
            if k is None:
                continue  # not a chapter's text (a YAML file: the Dutch check's)
            found = _entry(tr, k, f)
            if found is not None:
                yield found


def _entry(tr: TranslatedReport, k: int, f: Finding) -> Finding | None:
    fs, origins = tr.origins[k]
    text = tr.report.chapters[k].chapter.text
    starts = [0]
    starts += [i + 1 for i, c in enumerate(text) if c == "\n"]
    if not 0 < f.line <= len(starts):
        return None
    offset = starts[f.line - 1] + max(0, f.column - 1)
    i = bisect.bisect_right([o[0] for o in origins], offset) - 1
    if i < 0 or not origins[i][0] <= offset < origins[i][1] or fs.po is None:
        return None  # text kept in Dutch: the Dutch check reports it
    msgid = origins[i][2]
    entry = next((e for e in fs.po if not e.obsolete and not e.msgctxt and e.msgid == msgid), None)
    if entry is None:
        return None
    line, col = msgstr_position(fs.text.split("\n"), entry, 0)
    return Finding(fs.path, line, col, f"in this translation ('{tr.lang}'): {f.message}")
