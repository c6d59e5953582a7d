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
one :func:`~ambtsbericht_build.load.load_report` gives: chapters re-parsed
(``parse_chapter``) from their translated Markdown, ``report.language`` set
to ``lang``, the title, country, issuer, place, responsible unit, ToR title,
requester, themes and questions and the glossary's full forms translated.
Headings keep the ids pandoc gave the Dutch ones (written out when they were
automatic), so cross-references still land.

A unit shown in Dutch (untranslated, fuzzy, or with broken placeholders or
markup) is marked in the chapter text: a paragraph of its own as a fenced
Div ``::: {.untranslated lang=nl}``, every other unit (list item, heading
text, table cell, caption, figure caption, footnote text, inline note) as a
Span ``[...]{.untranslated lang=nl}``, so that every writer can mark it and
give it its language. A Span needs paired brackets: a unit whose Dutch has
an unpaired ``[`` or ``]`` is shown unmarked (and counted). A YAML value
shown in Dutch is counted; of those, a glossary meaning is marked in the
list of abbreviations (``glossary_untranslated``), the others are not. See docs/translation.md.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..models import REVIEW_PATH
from .catalog import LANGUAGES, REPORT_FIELDS

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..load import LoadedReport
    from ..load.markdown import Heading
    from .state import FileState

__all__ = ["LANGUAGES", "TranslatedReport", "translate_report"]


@dataclass
class TranslatedReport:
    report: LoadedReport  # the report as it reads in ``lang``
    lang: str
    # entries shown in the source language because they are untranslated or
    # fuzzy; a vastgesteld edition is refused when this or ``broken`` is not 0
    untranslated: int = 0
    broken: int = 0  # entries whose placeholders or markup a translator broke (shown in the source language too)
    fuzzy: int = 0  # of ``untranslated``: entries marked fuzzy (the Dutch changed since they were translated)
    translated: int = 0
    # per translated chapter (its index): (start, end, msgid) of each translated
    # unit in its text, and the PO file it came from (the check's positions)
    origins: dict[int, tuple[FileState, list[tuple[int, int, str]]]] = field(default_factory=dict)
    # the abbreviations whose meaning is shown in the source language (no valid
    # translation in glossary.po): the list of abbreviations marks them
    glossary_untranslated: frozenset[str] = frozenset()


def translate_report(
    lr: LoadedReport, lang: str, diags: Diagnostics, states: list[FileState] | None = None
) -> TranslatedReport:
    """``lr`` in ``lang`` from ``reports/<slug>/translations/<lang>/*.po``.

    A PO file that cannot be read is an AB603 in ``diags`` and its entries
    stay Dutch; broken entries are counted (``abuild check`` says where).
    ``states``: the PO files as :func:`.state.translation_state` read them,
    when the caller has them already (the check: not read and judged twice)."""
    from ..load import LoadedChapter
    from ..load.markdown import parse_chapter
    from .apply import Tally, translate_chapter
    from .po import duplicate_keys
    from .state import translation_state

    ids = _dutch_header_ids(lr)
    if states is None:
        states = translation_state(lr, lang, diags)
    tally = Tally()
    out = copy.copy(lr)
    out.chapters = []
    where: dict[int, tuple[FileState, list[tuple[int, int, str]]]] = {}
    by_chapter = {id(fs.catalog.chapter): fs for fs in states if fs.catalog is not None and fs.catalog.chapter}
    for lc in lr.chapters:
        fs = by_chapter.get(id(lc))
        po = fs.po if fs is not None else None
        units = fs.catalog.chapter_units if fs is not None and fs.catalog is not None else None
        # keyed as check and status key them, (msgctxt, msgid): a chapter unit has no
        # msgctxt, so an entry with one (or a duplicate, AB603) never replaces its translation
        live = [e for e in po if not e.obsolete and not e.msgctxt] if po else []
        dup = duplicate_keys(po) if po else set()
        good = {e.msgid: e.msgstr for e in live if e.msgstr and "fuzzy" not in e.flags and ("", e.msgid) not in dup}
        fuzzy = {e.msgid for e in live if "fuzzy" in e.flags}
        origins: list[tuple[int, int, str]] = []
        text = translate_chapter(lc.chapter, good.get, fuzzy.__contains__, tally, ids.get(id(lc)), units, origins)
        if fs is not None and origins:
            where[len(out.chapters)] = (fs, origins)
        out.chapters.append(LoadedChapter(lc.file, parse_chapter(lc.file, text), lc.meta))
    yaml = {fs.catalog.kind: fs for fs in states if fs.catalog is not None and fs.catalog.kind != "chapter"}
    for fs in yaml.values():
        tally.translated += fs.translated
        tally.fuzzy += fs.fuzzy
        tally.broken += fs.broken
        tally.untranslated += fs.untranslated + fs.fuzzy
    _yaml(out, lr, lang, yaml)
    gl = yaml.get("glossary")
    dutch = frozenset(k for k, v in lr.glossary.items() if gl is None or (f"glossary {k}", v) not in gl.good)
    return TranslatedReport(out, lang, tally.untranslated, tally.broken, tally.fuzzy, tally.translated, where, dutch)


_PLAIN = re.compile(r"(?:[^\W_]|[ .,;:!?'\"()\u2013\u2014-])*")


def plain_heading(text: str, h: Heading) -> bool:
    """Whether the scanner's automatic id of ``h`` is surely pandoc's: its
    line is words and punctuation (a link, a note, code, an entity, emphasis
    or a brace is left to pandoc); a heading with an id of its own needs none."""
    if h.attrs.id is not None:
        return True
    k = text.count("\n", 0, len(text)) + 1
    line = text.split("\n", h.line)[h.line - 1] if 0 < h.line <= k else ""
    return bool(_PLAIN.fullmatch(line.lstrip("#").strip().rstrip("#").strip()))


def _dutch_header_ids(lr: LoadedReport) -> dict[int, list[str]]:
    """The ids pandoc gives each Dutch chapter's headings (id(LoadedChapter) ->
    ids): from the analysis's reading when there is one, else one pandoc
    process reads them all (about 0.1 s for the example report)."""
    from ..load.markdown.pandoc_batch import READER, parse_batch
    from ..tools import pandoc_path
    from .apply import header_ids

    out: dict[int, list[str]] = {}
    todo = []
    for lc in lr.chapters:
        ch = lc.chapter
        if ch.pandoc_ast is not None and ch.pandoc_reader == READER and ch.pandoc_text == ch.text:
            out[id(lc)] = header_ids(ch.pandoc_ast)
        elif not all(plain_heading(ch.text, h) for h in ch.headings):
            todo.append(lc)
    if todo:
        try:
            read = parse_batch([lc.chapter.text for lc in todo], pandoc_path())
        except Exception:  # noqa: BLE001 - pandoc cannot read it: the scanner's ids are used (the check says why)
            return out
        for lc, parsed in zip(todo, read, strict=True):
            if parsed.ast is not None:
                out[id(lc)] = header_ids(parsed.ast)
    return out


def _yaml(out: LoadedReport, lr: LoadedReport, lang: str, yaml: dict[str, FileState]) -> None:
    def tr(kind: str, ctxt: str, value: str) -> str:
        fs = yaml.get(kind)
        return fs.good.get((ctxt, value), value) if fs is not None else value

    if lr.report is not None:
        upd: dict[str, object] = {"language": lang}
        for name in REPORT_FIELDS:
            value = getattr(lr.report, name)
            if isinstance(value, str):
                upd[name] = tr("report", name, value)
        # a free-text review step's name as the colofon prints it (a path step's is a label)
        upd["review"] = [
            step.model_copy(update={"step": tr("report", f"review {i + 1}", step.step)})
            if step.step not in REVIEW_PATH
            else step
            for i, step in enumerate(lr.report.review)
        ]
        out.report = lr.report.model_copy(update=upd)
    if lr.tor is not None:
        tor = lr.tor.model_copy(deep=True)
        tor.title = tr("tor", "tor title", tor.title)
        tor.requested_by = tr("tor", "tor requested_by", tor.requested_by)
        for theme in tor.themes:
            theme.title = tr("tor", f"theme {theme.id}", theme.title)
            for q in theme.questions:
                q.text = tr("tor", f"question {q.id}", q.text)
        out.tor = tor
    from ..render.csl_items import EditionGlossary

    # the sources are not translated: their organisation names are matched
    # with the meanings as the report's language writes them (csl_items, rule 3)
    out.glossary = EditionGlossary({k: tr("glossary", f"glossary {k}", v) for k, v in lr.glossary.items()}, lr.glossary)
