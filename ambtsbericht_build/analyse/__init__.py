"""Stage 2, analyse: indexes over a loaded report that the checks share.

Computed once per report: which keys are cited where, which ToR questions are
answered where, which ids exist, which notes cite. Checks only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import LoadedChapter, LoadedReport
from ..load.markdown import Block, Chapter, Cite, Div, Heading


@dataclass
class Answer:
    """A heading or fenced div that answers ToR questions."""

    qid: str
    file: Path
    line: int
    column: int  # of the tor= attribute
    title: str
    geen_informatie: bool
    cites: int
    heading: Heading | None = None
    div: Div | None = None
    chapter: LoadedChapter | None = None


@dataclass
class Analysis:
    cites: list[tuple[LoadedChapter, Cite]] = field(default_factory=list)
    cited_keys: set[str] = field(default_factory=set)
    answers: list[Answer] = field(default_factory=list)
    ids: dict[str, tuple[Path, int]] = field(default_factory=dict)
    # per chapter: note label -> True if the note cites a source
    note_cites: dict[Path, dict[str, bool]] = field(default_factory=dict)

    def answered(self) -> dict[str, list[Answer]]:
        out: dict[str, list[Answer]] = {}
        for a in self.answers:
            out.setdefault(a.qid, []).append(a)
        return out


def section_range(ch: Chapter, h: Heading) -> tuple[int, int]:
    """Lines [start, end) of the section that heading ``h`` opens."""
    end = 10**9
    started = False
    for other in ch.headings:
        if other is h:
            started = True
            continue
        if started and other.level <= h.level:
            end = other.line
            break
    return h.line, end


def _cites_in_lines(ch: Chapter, start: int, end: int, notes: dict[str, bool]) -> int:
    n = 0
    for b in ch.blocks:
        if start <= b.line < end:
            n += len(b.cites) + sum(1 for r in b.note_refs if notes.get(r.label))
    for h in ch.headings:
        if start <= h.line < end:
            n += len(h.cites)
    return n


def _div_blocks_cites(ch: Chapter, d: Div, notes: dict[str, bool]) -> int:
    n = 0
    for b in ch.blocks:
        dd = b.div
        while dd is not None and dd is not d:
            dd = dd.parent
        if dd is d:
            n += len(b.cites) + sum(1 for r in b.note_refs if notes.get(r.label))
    return n


def analyse(lr: LoadedReport) -> Analysis:
    a = Analysis()
    for lc in lr.chapters:
        ch = lc.chapter
        notes = {}
        for nd in ch.notes:
            notes[nd.label] = notes.get(nd.label, False) or any(b.cites for b in nd.blocks)
        a.note_cites[lc.file] = notes
        for b in ch.all_blocks():
            for c in b.cites:
                a.cites.append((lc, c))
                a.cited_keys.add(c.key)
        for h in ch.headings:
            for c in h.cites:
                a.cites.append((lc, c))
                a.cited_keys.add(c.key)
        for i in ch.ids:
            a.ids.setdefault(i, (lc.file, 0))
        for h in ch.headings:
            tor = h.attrs.kv.get("tor")
            if tor is None:
                continue
            line, col = h.attrs.kv_pos.get("tor", (h.line, h.column))
            start, end = section_range(ch, h)
            cites = _cites_in_lines(ch, start, end, notes)
            for qid in tor.split():
                a.answers.append(Answer(qid, lc.file, line, col, h.text, "geen-informatie" in h.attrs.classes,
                                        cites, heading=h, chapter=lc))
        for d in ch.divs:
            tor = d.attrs.kv.get("tor")
            if tor is None:
                continue
            line, col = d.attrs.kv_pos.get("tor", (d.line, d.column))
            cites = _div_blocks_cites(ch, d, notes)
            title = next((h.text for h in reversed(ch.headings) if h.line <= d.line), "")
            for qid in tor.split():
                a.answers.append(Answer(qid, lc.file, line, col, title, d.has_class("geen-informatie"), cites,
                                        div=d, chapter=lc))
    return a


def exempt(block: Block, ch: Chapter) -> bool:
    """True when the claims rules do not apply to ``block``."""
    if block.div is not None and (block.div.has_class("geen-bron") or block.div.has_class("intern")
                                  or block.div.has_class("geen-informatie")):
        return True
    h = block.section
    # a .geen-informatie section exempts everything up to the next heading of its level or higher
    for heading in reversed(ch.headings):
        if heading.line > block.line:
            continue
        if "geen-informatie" in heading.attrs.classes:
            start, end = section_range(ch, heading)
            if start <= block.line < end:
                return True
    del h
    return False
