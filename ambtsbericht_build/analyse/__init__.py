"""Stage 2, analyse: indexes over a loaded report that the checks share.

Computed once per report, in time linear in the number of blocks: which keys
are cited where, which ToR questions are answered where, which ids exist,
which notes cite, which blocks the claims rules exempt. Checks only read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..load import LoadedChapter, LoadedReport
from ..load.markdown import Attrs, Block, Chapter, Cite, Div, Heading
from ..load.markdown.pandoc_ast import READER, reconcile
from ..load.markdown.pandoc_batch import Batch, read_ahead
from ..tools import ToolMissing, pandoc_path

# classes of a fenced div whose text needs no source (SPEC §3, §5)
EXEMPT_DIV_CLASSES = ("geen-bron", "intern", "geen-informatie")


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
    # id() of every block the claims rules do not apply to
    exempt_blocks: set[int] = field(default_factory=set)
    # per chapter: list id -> its items, in order
    list_items: dict[Path, dict[int, list[Block]]] = field(default_factory=dict)

    def answered(self) -> dict[str, list[Answer]]:
        out: dict[str, list[Answer]] = {}
        for a in self.answers:
            out.setdefault(a.qid, []).append(a)
        return out

    def is_exempt(self, block: Block) -> bool:
        """True when the claims rules do not apply to ``block``."""
        return id(block) in self.exempt_blocks


def section_parents(ch: Chapter) -> dict[int, Heading | None]:
    """id(heading) -> the heading of the section that contains it (or None)."""
    parents: dict[int, Heading | None] = {}
    stack: list[Heading] = []
    for h in ch.headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        parents[id(h)] = stack[-1] if stack else None
        stack.append(h)
    return parents


def _div_exempt(d: Div | None) -> bool:
    while d is not None:
        if d.intern or any(c in d.attrs.classes for c in EXEMPT_DIV_CLASSES):
            return True
        d = d.parent
    return False


def _block_cites(b: Block, notes: dict[str, bool]) -> int:
    return len(b.cites) + sum(1 for r in b.note_refs if notes.get(r.label))


def read_with_pandoc(
    lr: LoadedReport,
    started: Callable[[], None] | None = None,
    read: Callable[[LoadedChapter], None] | None = None,
    placed: Callable[[], None] | None = None,
) -> None:
    """Place pandoc's reading of every chapter on the scanner's positions
    (load/markdown/pandoc_ast.py), once: the checks judge what is published.

    The chapters offered to pandoc while loading (``reading_ahead``) are
    taken from there; the others are read by one pandoc process now. Each
    chapter is reconciled as soon as pandoc has read it, while pandoc reads
    the next. pandoc's AST stays on the chapter for the render.

    ``started()`` is called once pandoc has every chapter (work that needs
    no chapter is done then, while pandoc reads), and ``read(lc)`` for every
    chapter, in order, once it is pandoc's reading (while pandoc reads the
    next): see check/__init__.py run_checks. ``placed()``: once every
    chapter is pandoc's reading, before ``read`` is called for any (the
    render forks its document build there, render/early_document.py: on the
    benchmark report pandoc had read every chapter before the rules' work
    on the first began, and that work, 0.3-1.3 s, came before the fork);
    ``read`` is then called for every chapter after it."""
    started = started or (lambda: None)
    read = read or (lambda _lc: None)
    if placed is not None:
        return _placed_first(lr, started, read, placed)
    todo = [lc.chapter for lc in lr.chapters if not lc.chapter.pandoc_read]
    ahead = read_ahead()
    if ahead is not None:
        ahead.close()  # every chapter is loaded: pandoc ends after the last
    pandoc = ""
    if todo:
        try:
            pandoc = pandoc_path()
        except ToolMissing as exc:
            for ch in todo:
                ch.read_problems = [("AB006", 1, 1, f"abuild cannot read this chapter as pandoc does: {exc}")]
                ch.pandoc_read = True
            todo = []
    if not todo:
        started()
        for lc in lr.chapters:
            read(lc)
        return
    ahead_of: dict[int, bool] = {}
    rest: list[int] = []
    for k, ch in enumerate(todo):
        ahead_of[k] = ahead is not None and ahead.offered(ch.text)
        if not ahead_of[k]:
            rest.append(k)
    batch = Batch(pandoc) if rest else None
    try:
        index = {k: batch.add(todo[k].text) for k in rest} if batch is not None else {}
        if batch is not None:
            batch.close()
        started()
        k = 0
        for lc in lr.chapters:
            ch = lc.chapter
            if k < len(todo) and ch is todo[k]:
                if ahead_of[k]:
                    assert ahead is not None
                    parsed = ahead.take(ch.text)
                else:
                    assert batch is not None
                    parsed = batch.result(index[k])
                ch.read_problems = [(x.code, x.line, x.column, x.message) for x in reconcile(ch, parsed)]
                ch.pandoc_read = True
                ch.pandoc_ast, ch.pandoc_reader, ch.pandoc_text = parsed.ast, READER, ch.text
                k += 1
            read(lc)
    finally:
        if batch is not None:
            batch.abandon()


def _placed_first(
    lr: LoadedReport, started: Callable[[], None], read: Callable[[LoadedChapter], None], placed: Callable[[], None]
) -> None:
    """:func:`read_with_pandoc` with ``placed()`` between the chapters' readings
    and ``read``; ``started()`` after it too when pandoc has read every chapter
    by then (nothing to wait for: it would only come before the fork)."""
    chapters: list[LoadedChapter] = []
    later: list[Callable[[], None]] = []

    def start() -> None:
        texts = [lc.chapter.text for lc in lr.chapters if not lc.chapter.pandoc_read]
        ahead = read_ahead()
        if not texts or (ahead is not None and ahead.read_all(texts)):
            later.append(started)
        else:
            started()  # while pandoc reads

    read_with_pandoc(lr, start, chapters.append)
    placed()
    for then in later:
        then()
    for lc in chapters:
        read(lc)


def _answers(
    lc: LoadedChapter,
    attrs: Attrs,
    pos: tuple[int, int],
    title: str,
    geen_informatie: bool,
    cites: int,
    *,
    heading: Heading | None = None,
    div: Div | None = None,
) -> list[Answer]:
    """One :class:`Answer` per question id in a heading's or div's ``tor=``,
    at the attribute (else at ``pos``)."""
    line, col = attrs.kv_pos.get("tor", pos)
    return [
        Answer(qid, lc.file, line, col, title, geen_informatie, cites, heading=heading, div=div, chapter=lc)
        for qid in attrs.kv["tor"].split()
    ]


def analyse(
    lr: LoadedReport,
    started: Callable[[], None] | None = None,
    read: Callable[[LoadedChapter], None] | None = None,
    placed: Callable[[], None] | None = None,
) -> Analysis:
    """The indexes; ``started``, ``read`` and ``placed``: see :func:`read_with_pandoc`."""
    read_with_pandoc(lr, started, read, placed)
    a = Analysis()
    for lc in lr.chapters:
        _analyse_chapter(a, lc)
    return a


def _analyse_chapter(a: Analysis, lc: LoadedChapter) -> None:
    ch = lc.chapter
    notes: dict[str, bool] = {}
    for nd in ch.notes:
        notes[nd.label] = notes.get(nd.label, False) or any(b.cites for b in nd.blocks)
    a.note_cites[lc.file] = notes

    for b in ch.all_blocks():  # heading text is a block too: its citations count once
        for c in b.cites:
            a.cites.append((lc, c))
            a.cited_keys.add(c.key)
    for i in ch.ids:
        a.ids.setdefault(i, (lc.file, 0))

    # sections: which are .geen-informatie (or inside one), and their citations
    parents = section_parents(ch)
    no_info: set[int] = set()
    for h in ch.headings:
        p = parents[id(h)]
        if "geen-informatie" in h.attrs.classes or (p is not None and id(p) in no_info):
            no_info.add(id(h))
    section_cites: dict[int, int] = {id(h): 0 for h in ch.headings}
    div_cites: dict[int, int] = {}
    items: dict[int, list[Block]] = {}
    for b in ch.blocks:
        n = _block_cites(b, notes)
        if n:
            if b.section is not None:
                section_cites[id(b.section)] += n
            d = b.div
            while d is not None:
                div_cites[id(d)] = div_cites.get(id(d), 0) + n
                d = d.parent
        if b.kind == "item":
            items.setdefault(b.list_id, []).append(b)
    a.list_items[lc.file] = items
    for h in reversed(ch.headings):  # a section's citations include its subsections'
        p = parents[id(h)]
        if p is not None:
            section_cites[id(p)] += section_cites[id(h)]

    for b in ch.all_blocks():
        if _div_exempt(b.div) or (b.section is not None and id(b.section) in no_info):
            a.exempt_blocks.add(id(b))

    for h in ch.headings:
        if "tor" in h.attrs.kv:
            a.answers += _answers(
                lc,
                h.attrs,
                (h.line, h.column),
                h.text,
                "geen-informatie" in h.attrs.classes,
                section_cites[id(h)],
                heading=h,
            )
    last_heading: Heading | None = None
    hi = 0
    for d in ch.divs:  # divs and headings are both in document order
        while hi < len(ch.headings) and ch.headings[hi].line <= d.line:
            last_heading = ch.headings[hi]
            hi += 1
        if "tor" in d.attrs.kv:
            a.answers += _answers(
                lc,
                d.attrs,
                (d.line, d.column),
                last_heading.text if last_heading else "",
                d.has_class("geen-informatie"),
                div_cites.get(id(d), 0),
                div=d,
            )
