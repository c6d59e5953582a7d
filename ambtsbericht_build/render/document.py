"""Build the one pandoc document all four formats are written from.

Chapters are parsed by pandoc one at a time (footnote labels are per chapter),
then joined and transformed: drafters' notes (``::: intern``), comments and
any raw HTML are dropped; sections, figures and tables are numbered;
empty cross-references get their label; images are embedded; the annexes
(sources, abbreviations, ToR) are generated. Citations are then resolved by
one citeproc pass, so a footnote's text is the same in every format.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .. import signals
from ..house_style import HouseStyle
from ..load import LoadedChapter, LoadedReport
from ..load.markdown import is_intern
from ..tools import PandocError, run_pandoc
from . import ast as A
from .ast import Node
from .labels import bcp47, labels, long_date

if TYPE_CHECKING:
    from .chapter_parts import Assembled

CSL = "csl/ambtsbericht.csl"  # the house citation style, in the house style's templates
# raw HTML is parsed (so it can be dropped) but never turned into divs/spans
# that would carry its attributes (onclick=...) into the output
READER = (
    "markdown-raw_tex-raw_attribute-native_divs-native_spans-markdown_in_html_blocks"
    "-tex_math_dollars-tex_math_single_backslash"
)


class RenderError(Exception):
    """A failure with a message for the drafter (file:line where known)."""


@dataclass
class Heading:
    level: int
    number: str  # "" when unnumbered
    ident: str
    title: str  # without the number
    annex: bool = False


@dataclass
class TorEntry:
    qid: str
    text: str
    theme: str
    answers: list[tuple[str, str, bool]] = field(default_factory=list)  # (heading id, label, geen-informatie)


@dataclass
class Document:
    """The resolved pandoc document plus what templates need to know about it."""

    pandoc: dict[str, Any]
    headings: list[Heading]
    meta: dict[str, Any]
    lang: str
    notes: int = 0
    tor: list[TorEntry] = field(default_factory=list)
    # each top-level block's json.dumps text where citeproc's memo made it
    # (block_memo.py; None: not known), for write_document not to make it again
    texts: list[str | None] | None = None


def _run_pandoc(args: list[str], stdin: str, what: str) -> str:
    try:
        return run_pandoc(args, stdin, what)
    except PandocError as exc:
        raise RenderError(str(exc)) from None


def parse_chapters(lr: LoadedReport) -> list[dict[str, Any]]:
    """pandoc ASTs of the chapters, in order: the check's reading of a
    chapter when it read the same text with this reader, else pandoc's now
    (in parallel)."""

    def one(lc: LoadedChapter) -> dict[str, Any]:
        ast: dict[str, Any] | None = lc.chapter.take_pandoc_ast(READER)
        if ast is None:
            ast = json.loads(_run_pandoc(["-f", READER, "-t", "json"], lc.chapter.text, str(lc.file)))
        return ast

    with ThreadPoolExecutor(max_workers=4) as pool:
        return signals.map_all(pool, one, lr.chapters)


# --- sanitising ---------------------------------------------------------------


def _sanitise(blocks: list[Any]) -> list[Any]:
    """Drop what must never be rendered: intern blocks, raw HTML/TeX, comments."""

    def fn(node: Node) -> Any:
        t = node["t"]
        if t in ("RawBlock", "RawInline"):
            return []
        if t == "Div":
            classes = node["c"][0][1]
            if is_intern(classes):  # any case or spelling: load/markdown/model.py
                return []
            if "geen-bron" in classes:
                return node["c"][1]  # unwrap: an exemption, not a visible box
        return None

    out: list[Any] = A.walk(blocks, fn)
    return out


# --- assembling ----------------------------------------------------------------


def assemble(lr: LoadedReport, chapter_asts: list[dict[str, Any]]) -> Document:
    """The chapters joined, numbered, their cross-references filled and
    images embedded, and the annexes; citations not yet resolved."""
    from .chapter_parts import assemble_all

    lang = lr.report.language if lr.report else "nl"
    parts = assemble_all(lr, lambda i: chapter_asts[i], lang, None)
    targets = {k: v for p in parts for k, v in p.targets.items()}
    blocks = [b for p in parts for b in p.objects()]
    _fill_cross_references(blocks, targets)
    _embed_images(blocks, lr)
    api = chapter_asts[0]["pandoc-api-version"] if chapter_asts else [1, 23, 1]
    doc = with_annexes(lr, parts, targets, api)
    doc.pandoc["blocks"][:0] = blocks
    return doc


def with_annexes(lr: LoadedReport, parts: list[Assembled], targets: dict[str, str], api: Any) -> Document:
    """The document of the annexes alone (sources, abbreviations, ToR), with
    every heading and the ToR's answers: the chapters' blocks go before them.
    ``targets`` gets the annexes' labels."""
    from .chapter_parts import headings_of

    lang = lr.report.language if lr.report else "nl"
    L = labels(lang)
    headings = headings_of(parts)
    tor_answers: dict[str, list[tuple[str, str, bool]]] = {}
    for p in parts:
        for q, ident, label, geen in p.tor:
            tor_answers.setdefault(q, []).append((ident, label, geen))
    tor_entries = []
    if lr.tor:
        for theme in lr.tor.themes:
            for q in theme.questions:
                tor_entries.append(TorEntry(q.id, q.text, f"{theme.id} {theme.title}", tor_answers.get(q.id, [])))
    annexes: list[Any] = []
    annex_no = 0

    def annex(title: str, ident: str) -> list[Any]:
        nonlocal annex_no
        annex_no += 1
        num = f"{L['annex']} {annex_no}"
        headings.append(Heading(1, num, ident, title, annex=True))
        targets[ident] = num.lower() if lang == "nl" else num
        return [
            A.Header(1, [A.Span(A.text(num), ["header-section-number"]), A.Space(), *A.text(title)], ident, ["annex"])
        ]

    annexes += annex(L["sources"], "bijlage-bronnen")
    annexes.append(A.Div([], "refs", ["references"]))
    if lr.glossary:
        annexes += annex(L["abbreviations"], "bijlage-afkortingen")
        annexes.append(_glossary_table(lr.glossary, L))
    if tor_entries:
        annexes += annex(L["tor"], "bijlage-tor")
        annexes.append(A.Div(_tor_blocks(lr, tor_entries, L), "", ["tor-annex"]))

    meta = _metadata(lr, lang)
    doc: dict[str, Any] = {"pandoc-api-version": api, "meta": {}, "blocks": annexes}
    return Document(doc, headings, meta, lang, tor=tor_entries)


def _walk_topdown(blocks: list[Any], fn: Callable[[Node], Any]) -> None:
    """Pre-order visit (document order) of every node but the leaves
    (:data:`.ast.LEAVES`: ``fn`` does nothing to them); ``fn`` edits in place."""
    stack = [iter(blocks)]
    while stack:
        for node in stack[-1]:
            if isinstance(node, dict) and "t" in node:
                if node["t"] in A.LEAVES:
                    continue
                fn(node)
                c = node.get("c")
                if isinstance(c, list):
                    stack.append(iter(c))
                    break
            elif isinstance(node, list):
                stack.append(iter(node))
                break
        else:
            stack.pop()


# a short table is kept on one page with its caption; a longer one may break
# between rows (its header row repeats), so it never leaves a heading alone
SHORT_TABLE_ROWS = 15


def _mark_table_length(table: dict[str, Any]) -> None:
    rows = sum(len(body[3]) for body in table["c"][4])
    cls = "short-table" if rows <= SHORT_TABLE_ROWS else "long-table"
    table["c"][0][1] = [*table["c"][0][1], cls]


def _fill_cross_references(blocks: list[Any], targets: dict[str, str]) -> None:
    """An empty link to ``#id`` gets its target's label ("figuur 1",
    "paragraaf 2.3"), capitalised where it starts a sentence ("Tabel 1 geeft")."""
    from ..analyse.sentences import word_ends_sentence

    def fill(inlines: list[Any], sentence_start: bool) -> None:
        for node in inlines:
            if not isinstance(node, dict):
                continue
            t = node.get("t")
            if t == "Link":
                target = node["c"][2][0]
                if target.startswith("#") and not A.stringify(node["c"][1]):
                    label = targets.get(target[1:], target[1:])
                    if sentence_start:
                        label = label[:1].upper() + label[1:]
                    node["c"][1] = A.text(label)
            if t in ("Space", "SoftBreak", "LineBreak", "Cite", "Note"):
                continue  # a citation after the full stop does not start a sentence
            sentence_start = t == "Str" and word_ends_sentence(node["c"])

    def fn(node: Node) -> Any:
        if node["t"] in ("Para", "Plain"):
            fill(node["c"], True)
        elif node["t"] in ("Emph", "Strong", "Underline", "SmallCaps", "Span", "Quoted"):
            fill(node["c"][1] if node["t"] in ("Span", "Quoted") else node["c"], False)
        return None

    A.visit(blocks, fn)


def _prefix_caption(caption: list[Any], label: str) -> None:
    """Caption is [short, blocks]; prefix the first block with "Figuur 1: "."""
    blocks = caption[1]
    prefix = [A.Span([A.Str(label + ":")], ["caption-label"]), A.Space()]
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        blocks[0]["c"] = prefix + blocks[0]["c"]
    else:
        blocks.insert(0, A.Plain(prefix[:1]))


def _embed_images(blocks: list[Any], lr: LoadedReport) -> None:
    """Replace image paths by ``data:`` URIs of the image without its
    metadata (EXIF with GPS, XMP, IPTC, text chunks, comments:
    :func:`...publish.image_metadata.strip_metadata`), so every format gets
    the same clean bytes. Only files inside the repository are read, and
    only after :func:`...load.images.inspect_image` accepted them: the type
    comes from the content (never from a symlink's name), the size and the
    pixel count are limited before anything is decoded. Anything else
    (remote, outside, missing, refused) becomes a visible placeholder with
    the alt text, never a silently missing figure; the check (AB401/AB405/AB408)
    has reported why."""
    from ..load.images import ImageError, inspect_image
    from ..publish.image_metadata import ImageDataError, strip_metadata

    cache: dict[tuple[Path, str], str | None] = {}
    missing = labels(lr.report.language if lr.report else "nl")["missing_image"]

    def placeholder(node: Node) -> None:
        # the image node becomes the placeholder, in place (A.visit replaces no node)
        span = A.Span([A.Str(f"[{missing}:"), A.Space(), *node["c"][1], A.Str("]")], ["missing-image"])
        node.clear()
        node.update(span)

    def fn(node: Node) -> Any:
        if node["t"] != "Image":
            return None
        target = node["c"][2][0]
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//|^/", target):
            return placeholder(node)
        rel = unquote(target.split("#", 1)[0].split("?", 1)[0])
        path = lr.dir / rel
        if not rel or not lr.repo.contains(path) or not path.is_file():
            return placeholder(node)
        key = (path.resolve(), Path(rel).name)
        if key not in cache:
            try:
                info = inspect_image(path, key[1])
                clean = strip_metadata(path.read_bytes())
                cache[key] = f"data:{info.mime};base64,{base64.b64encode(clean).decode('ascii')}"
            except (ImageError, ImageDataError, OSError):
                cache[key] = None
        uri = cache[key]
        if uri is None:
            return placeholder(node)
        node["c"][2][0] = uri
        return None

    A.visit(blocks, fn)


def _glossary_table(glossary: dict[str, str], L: dict[str, Any]) -> dict[str, Any]:
    items = sorted(glossary.items(), key=lambda kv: kv[0].lower())

    def cell(inl: list[Node]) -> list[Any]:
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [A.Plain(inl)]]

    rows = [[["", [], []], [cell([A.Str(k)]), cell(A.text(v))]] for k, v in items]
    head = [["", [], []], [cell([A.Str(L["abbr"])]), cell([A.Str(L["meaning"])])]]
    return {
        "t": "Table",
        "c": [
            ["tbl-afkortingen", ["glossary"], []],
            [None, []],
            [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.2}], [{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.8}]],
            [["", [], []], [head]],
            [[["", [], []], 0, [], rows]],
            [["", [], []], []],
        ],
    }


def _tor_blocks(lr: LoadedReport, entries: list[TorEntry], L: dict[str, Any]) -> list[Any]:
    out = []
    if lr.tor:
        out.append(
            A.Para(
                A.text(
                    f"{lr.tor.title}. {L['requested_by']} {lr.tor.requested_by}, "
                    f"{long_date(lr.tor.date, lr.report.language if lr.report else 'nl')}."
                )
            )
        )
    theme = None
    items: list[Any] = []
    themes = 0
    for e in entries:
        if e.theme != theme:
            if items:
                out.append(A.BulletList(items))
                items = []
            theme, themes = e.theme, themes + 1  # the id: a table of contents (DOCX, ODT) links to it
            out.append(A.Header(2, A.text(e.theme), f"tor-thema-{themes}", ["unnumbered", "tor-theme"]))
        where: list[Any] = []
        for i, (ident, label, geen) in enumerate(e.answers):
            if i:
                where += [A.Str(";"), A.Space()]
            link = A.Link(A.text(label), "#" + ident, ["tor-ref"]) if ident else A.Span(A.text(label))
            where.append(link)
            if geen:
                where += [A.Space(), A.Str(f"({L['geen_informatie']})")]
        if not e.answers:
            where = [A.Emph(A.text(L["unanswered"]))]
        items.append(
            [
                A.Para([A.Strong([A.Str(e.qid)]), A.Space(), *A.text(e.text)]),
                A.Para([A.Span(A.text(L["answered_in"] + ":"), ["tor-label"]), A.Space(), *where]),
            ]
        )
    if items:
        out.append(A.BulletList(items))
    return out


def _metadata(lr: LoadedReport, lang: str) -> dict[str, Any]:
    r = lr.report
    L = labels(lang)
    if r is None:
        return {"title": lr.slug, "lang": bcp47(lang)}
    return {
        "title": r.title,
        "kind": L["kind"][r.kind.value],
        "country": r.country,
        "date": long_date(r.date, lang),
        "period": f"{long_date(r.reference_period.start, lang)} {L['to']} {long_date(r.reference_period.end, lang)}",
        "issuer": r.issuer,
        "version": r.version,
        "status": r.status.value,
        "draft": not r.status.final,
        "previous": long_date(r.previous, lang) if r.previous else "",
        "lang": bcp47(lang),
    }


def build_document(lr: LoadedReport, style: HouseStyle) -> Document:
    """The resolved document: chapters assembled, then citations resolved
    with the house citation style of ``style``. With a memo (the preview's;
    a render's cache: cache/blocks.py) each chapter's steps and each block's
    citations are reused where their inputs are the same (chapter_parts.py)."""
    from .. import block_memo
    from ..cache.blocks import memo as stored
    from .chapter_parts import _census, _cite_ready, assemble_all, prepare_all
    from .citation_keys import named, source_keys
    from .citations import Prepared, resolve_citations
    from .typography import typeset

    lang = lr.report.language if lr.report else "nl"
    asts: dict[int, dict[str, Any]] = {}

    def chapter_ast(i: int) -> dict[str, Any]:
        if i not in asts:
            lc = lr.chapters[i]
            got = lc.chapter.take_pandoc_ast(READER)
            asts[i] = got or json.loads(_run_pandoc(["-f", READER, "-t", "json"], lc.chapter.text, str(lc.file)))
        return asts[i]

    # a render with its cache: what an earlier render kept (cache/blocks.py)
    with stored(), tempfile.TemporaryDirectory(prefix="abuild-") as tmp:
        memo = block_memo.current()
        parts = assemble_all(lr, chapter_ast, lang, memo)
        api = next((p.api for p in parts), None) or [1, 23, 1]
        targets = {k: v for p in parts for k, v in p.targets.items()}
        doc = with_annexes(lr, parts, dict(targets), api)
        annexes = doc.pandoc["blocks"]
        keys = source_keys(lr)
        unknown = labels(doc.lang)["unknown_source"]
        later = _census(annexes)[0]
        blocks, texts, neutral = prepare_all(
            lr, parts, targets, lambda cited: named(keys, cited + later, unknown), lang, memo
        )
        order = [k for p in parts for k in p.cites] + later
        _cite_ready(annexes, neutral, lang)
        doc.pandoc["blocks"] = blocks + annexes
        cited = list(dict.fromkeys(neutral.get(k, k) for k in order))
        given = texts + [None] * len(annexes) if texts is not None else None
        # after citeproc: its text is typeset too
        resolve_citations(
            doc, lr, Path(tmp), style.path(CSL), lambda b: typeset(b, lang=doc.lang), Prepared(neutral, cited, given)
        )
    return doc
