"""The diff's two files, written by the render's own HTML and DOCX writers
from the compared document (:mod:`.compare`), then audited as a render's
outputs are, and only then moved into the output directory.

- ``<slug>.diff.html``: the report's page and stylesheet; a summary of the
  changes per chapter, with a link to each, before the text; inserted text
  in ``<ins>`` (underlined), deleted text in ``<del>`` (struck through):
  readable without colour (the tint behind them is a help, not the sign).
- ``<slug>.diff.docx``: NEW's document with Word's tracked changes
  (``w:ins``/``w:del``, author the issuer, date NEW's commit time; pandoc's
  DOCX writer makes them from ``insertion``/``deletion`` spans), so that
  accepting every change gives NEW and rejecting every change gives OLD.
  It has no summary: every unmarked word in it is NEW's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..render import ast as A
from ..render.ast import Node
from .compare import DEL, INS, Changes

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..publish.audit import AuditFinding
    from ..publish.forbidden import Forbidden
    from ..render.facts import RenderFacts
    from .sides import OldSide, Side


class Pending(Protocol):
    def result(self) -> list[AuditFinding]: ...
    def stop(self) -> None: ...


DIFF_CSS = """
ins { text-decoration: underline; text-decoration-thickness: 0.12em; background: #e6f4ea; }
del { text-decoration: line-through; background: #fce8e6; }
ins:target, del:target { outline: 0.15em solid #154273; }
.diff-summary ul { padding-left: 1.2em; }
"""

WORDS = {
    "nl": {
        "changes": "Wijzigingen",
        "title": "Wijzigingen in",
        "compared": "Vergeleken: {old} met {new}.",
        "counts": "{ins} invoeging(en), {dels} verwijdering(en), {notes} gewijzigde noot/noten.",
        "legend": "Ingevoegde tekst is onderstreept, verwijderde tekst doorgehaald.",
        "none": "Geen wijzigingen.",
        "change": "wijziging",
        "before": "Vóór het eerste hoofdstuk",
    },
    "en": {
        "changes": "Changes",
        "title": "Changes in",
        "compared": "Compared: {old} with {new}.",
        "counts": "{ins} insertion(s), {dels} deletion(s), {notes} changed note(s).",
        "legend": "Inserted text is underlined, deleted text struck through.",
        "none": "No changes.",
        "change": "change",
        "before": "Before the first chapter",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["nl"])


def summary_blocks(changes: Changes, old: str, new: str, lang: str) -> list[Node]:
    """The summary of the HTML: counts, then per chapter a link to each change."""
    W = words(lang)
    counts = W["counts"].format(ins=changes.count(INS), dels=changes.count(DEL), notes=changes.notes)
    blocks: list[Node] = [
        A.Header(1, A.text(W["changes"]), "wijzigingen", ["unnumbered", "diff-summary-title"]),
        A.Para(A.text(W["compared"].format(old=old, new=new) + " " + counts)),
        A.Para(A.text(W["legend"])),
    ]
    chapters: dict[str, list[Any]] = {}
    for c in changes.changes:
        chapters.setdefault(c.chapter, []).append(c)
    items = []
    for chapter, found in chapters.items():
        n_ins = sum(c.kind == INS for c in found)
        notes = changes.chapter_notes.get(chapter, 0)
        line = [A.Strong(A.text(chapter or W["before"])), A.Str(":"), A.Space()]
        line += A.text(W["counts"].format(ins=n_ins, dels=len(found) - n_ins, notes=notes).rstrip(".") + ":")
        for k, c in enumerate(found):
            line += [A.Str(",")] if k else []
            line += [A.Space(), A.Link(A.text(f"{W['change']} {c.ident.rsplit('-', 1)[1]}"), "#" + c.ident)]
        items.append([A.Plain(line)])
    blocks.append(A.Div([A.BulletList(items)] if items else [A.Para(A.text(W["none"]))], "", ["diff-summary"]))
    return blocks


def for_html(blocks: list[Node]) -> list[Node]:
    def fn(node: Node) -> Any:
        if node["t"] == "Span" and node["c"][0][1] in ([INS], [DEL]):
            tag = "ins" if node["c"][0][1] == [INS] else "del"
            ident = html.escape(node["c"][0][0], quote=True)
            return [A.RawInline("html", f'<{tag} id="{ident}">'), *node["c"][1], A.RawInline("html", f"</{tag}>")]
        return None

    out: list[Node] = A.walk(blocks, fn)
    return out


def for_docx(blocks: list[Node], author: str, date: str) -> list[Node]:
    def fn(node: Node) -> Any:
        if node["t"] == "Span" and node["c"][0][1] in ([INS], [DEL]):
            kind = "insertion" if node["c"][0][1] == [INS] else "deletion"
            return A.Span(node["c"][1], [kind], "", [["author", author], ["date", date]])
        return None

    out: list[Node] = A.walk(blocks, fn)
    return out


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def finish_tracked_changes(path: Path, epoch: int) -> None:
    """Two things pandoc's DOCX writer leaves undone:

    - a paragraph wholly inserted or deleted has its paragraph mark marked
      too (``w:pPr/w:rPr/w:ins|w:del``), so that accepting a deleted
      paragraph removes it instead of leaving an empty one;
    - the space after a deleted note's number is no deleted text;
    - pandoc numbers every tracked change ``w:id="1"``; an id must be unique
      in the package (Word's annotation ids): renumbered from 1,000,000 on,
      above the ids of pandoc's bookmarks.

    Regular expressions on pandoc's own markup, as docx_package.py does: a
    paragraph of pandoc's holds no paragraph (no text boxes).

    The package is written as the render's normalisation writes it
    (publish/office.py ``write_package``, for ``epoch``; its entries read as
    ``normalise_package`` reads them), so the normalisation after this finds
    it written so and leaves it: written as a plain zip, it was compressed
    once here and once more there (0.15 s of CPU each, benchmark report)."""
    from ..publish.office import write_package

    entries: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if not info.is_dir() and info.filename not in entries:
                entries[info.filename] = z.read(info)
    counter = iter(range(1_000_000, 2**31))
    for name, data in entries.items():  # in the package's order: the ids count on through both parts
        if name in ("word/document.xml", "word/footnotes.xml"):
            text = _PARAGRAPH.sub(_mark_paragraph, data.decode("utf-8"))
            text = _NOTE_SPACE.sub(_note_space, text)
            text = _CHANGE_ID.sub(lambda m: f'<w:{m.group(1)} w:id="{next(counter)}"', text)
            entries[name] = text.encode("utf-8")
    write_package(path, entries, epoch, "docx")


_PARAGRAPH = re.compile(r"(<w:p(?: [^>]*)?>)(<w:pPr>.*?</w:pPr>)?(.*?)(</w:p>)", re.S)
_BOOKMARK = re.compile(r"<w:bookmark(?:Start|End) [^>]*/>")
# runs of one kind of change only: nothing between them but white space
_WHOLLY = re.compile(r"(?:\s*<w:(ins|del) (w:id=\"\d+\" [^>]*)>(?:(?!</w:\1>).)*</w:\1>)+\s*", re.S)
_CHANGE_ID = re.compile(r'<w:(ins|del) w:id="\d+"')
# the space pandoc puts after a note's own number: in a deleted note it is
# written as deleted text outside any w:del (nothing Word can accept or reject)
# (after the number's period or tab, which the DOCX writer adds: docx_notes.py)
_NOTE_SPACE = re.compile(
    r'(<w:footnoteRef ?/>\s*</w:r>(?:<w:r><w:t xml:space="preserve">\.</w:t></w:r>)?(?:<w:r>\s*<w:tab ?/>\s*</w:r>)?)'
    r'<w:r><w:delText xml:space="preserve"> </w:delText></w:r>'
)


def _note_space(m: re.Match[str]) -> str:
    """The space after a deleted note's number as plain text; none after a tab (docx_notes.py)."""
    return m.group(1) + ("" if "<w:tab" in m.group(1) else '<w:r><w:t xml:space="preserve"> </w:t></w:r>')


def _mark_paragraph(m: re.Match[str]) -> str:
    start, ppr, content, end = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    rest = _BOOKMARK.sub("", content)
    whole = _WHOLLY.fullmatch(rest)
    if not rest or whole is None or len(set(re.findall(r"<w:(ins|del) w:id=", rest))) != 1:
        return m.group(0)
    mark = f"<w:{whole.group(1)} {whole.group(2)}/>"  # ins/del come first in a paragraph mark's properties
    if not ppr:
        ppr = f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>"
    elif "<w:rPr>" in ppr:
        ppr = ppr.replace("<w:rPr>", "<w:rPr>" + mark, 1)
    else:  # rPr is the last of pandoc's paragraph properties (no sectPr in them)
        ppr = ppr.replace("</w:pPr>", f"<w:rPr>{mark}</w:rPr></w:pPr>")
    return start + ppr + content + end


def diff_facts(facts: RenderFacts, title: str | None) -> RenderFacts:
    """NEW's facts; for the HTML a title that says it is a diff and the summary in its table of contents."""
    if title is None:
        return facts
    from ..render.facts import HeadingFact

    meta = dataclasses.replace(facts.meta, title=title)
    headings = [HeadingFact(1, "", "wijzigingen", title.split(":")[0]), *facts.headings]
    return dataclasses.replace(facts, meta=meta, headings=headings)


def write_outputs(
    blocks: list[Node],
    changes: Changes,
    old: OldSide,
    new: Side,
    labels: tuple[str, str],
    epoch: int,
    formats: tuple[str, ...],
    out_dir: Path,
    docx_elsewhere: Callable[[tuple[Any, ...]], Pending] | None = None,
) -> tuple[dict[str, Path], list[AuditFinding]]:
    """Write, audit, then move into ``out_dir``; nothing is moved when the audit finds anything.

    The DOCX is written and audited while the HTML is made here: by
    ``docx_elsewhere`` (another process, given ``_write_docx``'s arguments:
    sides.py's :meth:`~.sides.PendingSide.write_docx`), else in a thread.
    Measured on the benchmark report (CPU s): the HTML 2.5 s of Python and
    0.8 s of pandoc, the DOCX 0.9 s of Python and 0.8 s of pandoc; in a
    thread the two outputs' Python took turns at the GIL."""
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    from .. import signals
    from ..publish import forbidden as F
    from ..render.facts import SourceAnchors, render_facts

    # no review anchors: they name NEW's blocks by position, and the redline's blocks are others
    facts = dataclasses.replace(render_facts(new.lr, new.doc, epoch, new.style), anchors=SourceAnchors())
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".abuild-diff-", dir=out_dir))
    stop: Callable[[], None] = lambda: None  # noqa: E731 - the DOCX's process, which writes into tmp
    try:
        forbid = [old.forbidden, F.collect(new.lr, paths=[tmp, out_dir.resolve(), out_dir])]
        merged = F.Forbidden([n for f in forbid for n in f.needles], [p for f in forbid for p in f.public])
        doc = {"pandoc-api-version": new.doc.pandoc["pandoc-api-version"], "meta": {}, "blocks": blocks}
        written: dict[str, Path] = {}
        findings: list[AuditFinding] = []
        with ThreadPoolExecutor(max_workers=1) as pool:
            docx: Pending | Future[list[AuditFinding]] | None = None
            if "docx" in formats:
                issuer = new.lr.report.issuer if new.lr.report else ""
                path = tmp / f"{new.lr.slug}.diff.docx"
                if docx_elsewhere is not None:  # pickled for the other process before the HTML changes the blocks
                    # asked and known to the clean-up at once: interrupted in between, the
                    # process wrote into tmp after its removal, leaving an empty staging
                    # directory in out_dir (test_an_interrupted_diff_writes_nothing...: 1 run in 12)
                    with signals.held():
                        elsewhere = docx_elsewhere((doc, facts, issuer, epoch, path, merged, bool(changes.changes)))
                        docx, stop = elsewhere, elsewhere.stop
                else:
                    # each format's transforms change their blocks in place: the DOCX gets a copy
                    # (pickle: 0.25 s on the benchmark report, copy.deepcopy 0.41 s)
                    mine = pickle.loads(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)) if "html" in formats else doc  # noqa: S301
                    docx = signals.submit(
                        pool, _write_docx, mine, facts, issuer, epoch, path, merged, bool(changes.changes)
                    )
            if "html" in formats:
                path = tmp / f"{new.lr.slug}.diff.html"
                findings += _write_html(doc, changes, facts, labels, new.doc.lang, path, merged)
                written["html"] = path
            if docx is not None:
                findings += docx.result()
                written["docx"] = tmp / f"{new.lr.slug}.diff.docx"
        if findings:
            return {}, sorted(findings)
        final = {}
        for fmt in sorted(written, key=formats.index):  # in the order asked for: html, docx
            final[fmt] = out_dir / written[fmt].name
            os.replace(written[fmt], final[fmt])
        return final, []
    finally:
        stop()  # stopped first: a file it wrote after the removal would keep the directory
        shutil.rmtree(tmp, ignore_errors=True)


def load_docx_writer() -> None:
    """Import what :func:`_write_docx` uses (a process that will write the DOCX, while it waits)."""
    from ..publish import audit  # noqa: F401
    from ..render.formats import office  # noqa: F401


def _write_docx(
    doc: dict[str, Any],
    facts: RenderFacts,
    issuer: str,
    epoch: int,
    path: Path,
    forbidden: Forbidden,
    changed: bool = True,
) -> list[AuditFinding]:
    """``changed``: the document has changes (so, almost always, Word's
    tracked changes: written by pandoc's run on the whole document at once,
    docx_write.py)."""
    from ..render.formats.office import DocxWriter

    date = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc["blocks"] = for_docx(doc["blocks"], issuer, date)
    writer = DocxWriter()
    writer.tracked_changes = changed
    writer.write(doc, facts, path)
    finish_tracked_changes(path, facts.epoch)
    DocxWriter().normalise(path, facts)
    return audited(path, forbidden)


def _write_html(
    doc: dict[str, Any],
    changes: Changes,
    facts: RenderFacts,
    labels: tuple[str, str],
    lang: str,
    path: Path,
    forbidden: Forbidden,
) -> list[AuditFinding]:
    from ..render.formats.html import HtmlWriter, html_page, label_note_links, pandoc_in_pieces
    from ..render.formats.html_blocks import screen_tables_and_figures
    from ..render.formats.html_notes import notes_section, take_notes
    from ..render.formats.transforms import add_abbr, unwrap_citations
    from ..render.labels import labels as report_labels

    W = words(lang)
    hfacts = diff_facts(facts, f"{W['title']}: {facts.meta.title}")
    L = report_labels(lang)
    body = summary_blocks(changes, labels[0], labels[1], lang) + for_html(doc["blocks"])
    body = screen_tables_and_figures(add_abbr(unwrap_citations(body), facts.glossary), L)
    page_doc = {"pandoc-api-version": doc["pandoc-api-version"], "meta": {}}
    page_doc["blocks"], token = take_notes(body)
    page = label_note_links(notes_section(_in_halves(pandoc_in_pieces, page_doc), token, L["notes"]), lang)
    path.write_text(html_page(hfacts, page, "screen", DIFF_CSS), encoding="utf-8")
    HtmlWriter().normalise(path, hfacts)
    return audited(path, forbidden)


def audited(path: Path, forbidden: Forbidden) -> list[AuditFinding]:
    """The audit's findings in ``path``, as ``publish.audit.audit_files``
    gives them, with the render's memo of matched windows
    (``Matcher(memo=True)``, publish/match_memo.py): a window of tokens
    seen before in the file (a note's citation, a source's title, repeated
    in hundreds of notes) is not matched again. Same findings by design
    (tests/publish/test_match_memo.py); on the benchmark report's diff the
    HTML's audit took 0.97 s of CPU and the DOCX's 0.84 s without it."""
    from ..publish import audit
    from ..publish.extract import extract

    ex = extract(path, full=True)
    matcher = audit.Matcher(forbidden, memo=True)
    found = {audit.AuditFinding(path.name, part, kind, what) for part, kind, what in ex.problems}
    for part in ex.parts:
        found.update(audit.finding(path.name, part.name, needle, kind) for needle, kind in matcher.match(part))
    return sorted(found)


def _in_halves(html: Callable[[dict[str, Any]], str], doc: dict[str, Any]) -> str:
    """``html`` (html.py's ``pandoc_in_pieces``) of the two halves of
    ``doc``'s blocks at once, joined as it joins its pieces (pandoc writes a
    block the same whatever surrounds it once the notes are abuild's): its
    one pandoc run of the benchmark report's diff, 0.8 s of CPU, was the
    longest wait of the HTML, while the DOCX's process leaves the other core
    half idle. Halves of the blocks' JSON text (``ast.pieces``), not of
    their number: cut at the middle block, the first half took pandoc 0.62 s
    of CPU and the second 0.14 s (the list of sources and the annexes are
    many short blocks); cut at the middle byte, 0.40 and 0.39 s."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from .. import signals
    from ..render.formats.base import pandoc
    from ..render.formats.html import HTML_ARGS, PIECE_BYTES

    blocks, doc["blocks"] = doc["blocks"], []
    texts: list[Node | str] = [json.dumps(b) for b in blocks]  # as pandoc_in_pieces serialises them
    # more pieces where a half is larger than html's own pieces (a 100,000-note report)
    halves = A.piece_documents(doc["pandoc-api-version"], doc["meta"], texts, 2, PIECE_BYTES)
    del texts
    if len(halves) < 2:
        return html(dict(doc, blocks=blocks))
    with ThreadPoolExecutor(max_workers=2) as pool:
        outs = signals.map_all(pool, lambda half: pandoc(HTML_ARGS, half, "HTML"), halves)
    if not all(out.strip("\n") for out in outs):  # a half that writes nothing: no line break for it either
        return html(dict(doc, blocks=blocks))
    return "\n".join(out.rstrip("\n") for out in outs) + "\n"
