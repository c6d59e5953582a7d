"""Stage 4, render: write one format from the resolved document.

Each writer takes the resolved pandoc document (JSON, citations already
formatted) and the document facts, and writes exactly one file. Writers run in
separate processes (see :mod:`.worker`), so they must not share state.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2

from .. import __version__
from ..house_style import TEMPLATES
from ..tools import PandocError, run_pandoc
from . import ast as A
from .labels import labels


class WriterError(Exception):
    pass


def _pandoc(args: list[str], doc: dict | str, what: str, env: dict | None = None) -> str:
    """pandoc from a JSON document (a dict, or already serialised)."""
    try:
        return run_pandoc(["-f", "json", *args], doc if isinstance(doc, str) else json.dumps(doc), what, env=env)
    except PandocError as exc:
        raise WriterError(str(exc)) from None


def _pandoc_fragments(args: list[str], doc: dict, what: str, parts: int | None = None) -> str:
    """An HTML fragment written by ``parts`` pandoc processes side by side,
    each given a run of whole top-level blocks: pandoc's HTML writer writes
    a block the same whatever surrounds it (notes are already spans, ids
    already set), so the joined pieces are what one run writes (tested).
    One piece more than there are cores: measured on two cores, the
    benchmark report's print HTML took 1.3 s in one run, 0.95 s in two and
    0.8 s in three."""
    parts = parts or min(4, (os.cpu_count() or 1) + 1)
    pieces = A.piece_documents(doc["pandoc-api-version"], doc["meta"], doc["blocks"], parts)
    if len(pieces) < 2:
        return _pandoc(args, doc, what)
    with ThreadPoolExecutor(max_workers=len(pieces)) as pool:
        outs = pool.map(lambda piece: _pandoc(args, piece, what), pieces)
        return "\n".join(out.rstrip("\n") for out in outs) + "\n"


# --- shared transforms -------------------------------------------------------------


def unwrap_citations(blocks: list) -> list:
    """After citeproc a Cite keeps its keys (pandoc writes them as data-cites);
    only its formatted text may reach an output."""

    def fn(node):
        if node["t"] == "Cite":
            return node["c"][1]
        return None

    return A.walk(blocks, fn)


def add_abbr(blocks: list, glossary: dict[str, str]) -> list:
    """Wrap glossary abbreviations in ``<abbr title="...">`` (HTML only)."""
    if not glossary:
        return blocks
    keys = sorted(glossary, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")

    def fn(node):
        if node["t"] != "Str" or not pattern.search(node["c"]):
            return None
        out = []
        pos = 0
        s = node["c"]
        for m in pattern.finditer(s):
            if m.start() > pos:
                out.append(A.Str(s[pos : m.start()]))
            key = m.group(1)
            out.append(
                A.RawInline("html", f'<abbr title="{html.escape(glossary[key], quote=True)}">{html.escape(key)}</abbr>')
            )
            pos = m.end()
        if pos < len(s):
            out.append(A.Str(s[pos:]))
        return out

    # headings stay plain: their text is reused for the TOC and PDF bookmarks
    out = []
    for b in blocks:
        out.extend([b] if b["t"] == "Header" else A.walk([b], fn))
    return out


def notes_to_spans(blocks: list) -> list:
    """For WeasyPrint: a note becomes ``<span class="footnote">`` at its call
    site (CSS ``float: footnote`` moves it to the bottom of the page)."""

    def flatten(note_blocks: list) -> list:
        out: list = []
        for b in note_blocks:
            if b["t"] in ("Para", "Plain"):
                if out:
                    out.append(A.Space())
                out.extend(b["c"])
            else:
                out.append(A.Str(A.stringify([b])))
        return out

    count = 0

    def fn(node):
        nonlocal count
        if node["t"] == "Note":
            count += 1
            return A.Span(flatten(node["c"]), ["footnote"], kv=[["note", str(count)]])
        return None

    return A.walk(blocks, fn)


def captions_above_tables(blocks: list) -> list:
    """For WeasyPrint: a table's caption becomes a block of its own above the
    table, both in a wrapper that carries the table's id and classes.

    WeasyPrint cannot move a ``<caption>`` line to the next page when a note it
    calls does not fit (``footnote-policy``), and then prints the note a page
    late; an ordinary block it can move. The screen HTML keeps ``<caption>``."""

    def fn(node):
        if node["t"] != "Table":
            return None
        caption_blocks = node["c"][1][1]
        if not caption_blocks:
            return None
        ident, classes, kv = node["c"][0]
        table = copy.deepcopy(node)
        table["c"][0] = ["", [], []]
        table["c"][1] = [None, []]
        caption = A.Div(caption_blocks, "", ["table-caption"])
        return A.Div([caption, table], ident, ["table-figure", *classes], kv)

    return A.walk(blocks, fn)


# --- HTML ---------------------------------------------------------------------------


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "html")),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def _css(names: list[str]) -> str:
    return "\n".join((TEMPLATES / "css" / n).read_text(encoding="utf-8") for n in names)


def html_page(facts: dict, body: str, mode: str, extra_css: str = "") -> str:
    lang = facts["lang"]
    css = _css(["common.css", "screen.css" if mode == "screen" else "print.css"]) + extra_css
    if mode == "print":
        css = (TEMPLATES / "fonts" / "fonts.css").read_text(encoding="utf-8") + "\n" + css
    if mode == "screen":
        body = body.replace("<hr />\n<ol>", f'<h2 class="notes-title">{labels(lang)["notes"]}</h2>\n<ol>', 1)
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            meta=facts["meta"],
            L=labels(lang),
            toc=[h for h in facts["headings"] if h["level"] <= 2],
            body=jinja2.utils.markupsafe.Markup(body),
            css=jinja2.utils.markupsafe.Markup(css),
            mode=mode,
            version=__version__,
            created=facts["created"],
        )
    )


_NOTEREF = re.compile(r'<a href="#fn(\d+)" class="footnote-ref" id="fnref\1" role="doc-noteref">')
_BACKLINK = re.compile(r'<a href="#fnref(\d+)" class="footnote-back" role="doc-backlink">')


def label_note_links(body: str, lang: str) -> str:
    """Give pandoc's note links names a screen reader can say: "noot 12"
    rather than "12", and "terug naar de tekst bij noot 12" rather than "↩"."""
    L = labels(lang)
    body = _NOTEREF.sub(lambda m: m.group(0)[:-1] + f' aria-label="{L["note"]} {m.group(1)}">', body)
    return _BACKLINK.sub(lambda m: m.group(0)[:-1] + f' aria-label="{L["back_to_note"]} {m.group(1)}">', body)


def _own(doc: dict, consume: bool) -> dict:
    """The document a writer may change: ``doc`` itself when the caller hands
    it over (``consume=True``, as the worker process does: copying the
    benchmark report's document costs 0.6 s), else a copy."""
    return doc if consume else copy.deepcopy(doc)


def write_html(doc: dict, facts: dict, out: Path, *, consume: bool = False) -> None:
    doc = _own(doc, consume)
    doc["blocks"] = add_abbr(unwrap_citations(doc["blocks"]), facts["glossary"])
    body = _pandoc(["-t", "html5", "--wrap=none", "--no-highlight", "--email-obfuscation=none"], doc, "HTML")
    body = label_note_links(body, facts["lang"])
    out.write_text(html_page(facts, body, "screen"), encoding="utf-8")


# --- PDF ----------------------------------------------------------------------------


def _css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _watermark_css(text: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
        '<text x="105" y="160" font-family="sans-serif" font-size="34" font-weight="bold" fill="#b00020" '
        f'fill-opacity="0.12" text-anchor="middle" transform="rotate(-55 105 148.5)">{html.escape(text)}</text></svg>'
    )
    from urllib.parse import quote

    return (
        f'@page {{ background: url("data:image/svg+xml;charset=utf-8,{quote(svg)}") no-repeat center / 100% 100%; }}\n'
    )


def print_css(facts: dict) -> str:
    L = labels(facts["lang"])
    meta = facts["meta"]
    pre, infix = L["page_of"]
    css = (
        f"@page {{ @top-left {{ content: {_css_string(meta['title'])}; }}"
        f" @top-right {{ content: {_css_string(facts['month_year'])}; }}"
        f" @bottom-center {{ content: {_css_string(pre)} counter(page) {_css_string(infix)} counter(pages); }} }}\n"
        f'a.tor-ref::after {{ content: " (" {_css_string(L["page"])} " " target-counter(attr(href), page) ")"; }}\n'
    )
    if meta.get("draft"):
        css += _watermark_css(L["concept"])
    return css


def print_html(doc: dict, facts: dict, *, consume: bool = False) -> str:
    # no <abbr> here: WeasyPrint 70 does not carry its title into the PDF's
    # tags, and 2,700 extra inline boxes cost a tenth of the layout time; the
    # PDF has the abbreviations annex
    doc = _own(doc, consume)
    doc["blocks"] = captions_above_tables(notes_to_spans(unwrap_citations(doc["blocks"])))
    body = _pandoc_fragments(
        ["-t", "html5", "--wrap=none", "--no-highlight", "--email-obfuscation=none"], doc, "PDF (HTML)"
    )
    return html_page(facts, body, "print", print_css(facts))


# --- footnotes on the page that calls them -----------------------------------------------
#
# WeasyPrint 70 sometimes keeps a line with a note call on one page and sets the
# note on the next (when the note does not fit and orphans/widows forbid moving
# the line), and in rare cases then loses the note altogether. The PDF writer
# therefore lays the document out, finds every note that is not on its call's
# page, moves the block that calls it (or the headings just above it) to a new
# page, and lays out again until every note sits with its call.

MAX_NOTE_PASSES = 4
_BLOCK_START = re.compile(r'<(p|li|figcaption|tr|div class="table-caption")\b[^>]*>')
_HEADING_BEFORE = re.compile(r"<(h[2-6])\b[^>]*>(?:(?!<h[1-6]\b).)*</\1>\s*$", re.S)


def misplaced_notes(document) -> list[str]:
    """For each page whose calls include a note that is not on that page, the
    first such note's number (``data-note``): moving its block moves the rest."""
    bad: list[str] = []
    for page in document.pages:
        calls: list[str] = []
        notes: set[str] = set()
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if type(box).__name__ == "FootnoteAreaBox":
                notes.update(
                    child.element.get("data-note")
                    for child in box.children
                    if getattr(child, "element", None) is not None
                )
                continue
            footnote = getattr(box, "footnote", None)
            if footnote is not None and getattr(footnote, "element", None) is not None:
                calls.append(footnote.element.get("data-note"))
            stack.extend(reversed(getattr(box, "children", None) or []))  # document order
        missing = [n for n in calls if n not in notes]
        if missing:
            bad.append(missing[0])
    return bad


def break_before_note(html: str, note: str) -> str:
    """Start a new page at the block that calls ``note`` (at the headings right
    above it, if any, so a heading is not left alone at the foot of a page)."""
    at = html.find(f'<span class="footnote" data-note="{note}">')
    if at < 0:
        return html
    starts = list(_BLOCK_START.finditer(html, 0, at))
    if not starts:
        return html
    start = starts[-1]
    pos, tag = start.start(), start.group(0)
    while True:
        heading = _HEADING_BEFORE.search(html, max(0, pos - 2000), pos)
        if not heading:
            break
        pos = heading.start()
        tag = html[pos : html.index(">", pos) + 1]
    if "note-break" in tag:
        return html
    if ' class="' in tag:
        new = tag.replace(' class="', ' class="note-break ', 1)
    else:
        new = tag[:-1].rstrip("/").rstrip() + ' class="note-break">'
    return html[:pos] + new + html[pos + len(tag) :]


def keep_notes_with_calls(document, html: str) -> str:
    """Given a layout of ``html``, the HTML with a page break before the first
    block on each page whose note WeasyPrint set elsewhere (unchanged when
    every note sits with its call)."""
    fixed = html
    for note in misplaced_notes(document):
        fixed = break_before_note(fixed, note)
    return fixed


def write_pdf(doc: dict, facts: dict, out: Path, *, consume: bool = False) -> None:
    from .pdf import html_to_pdf

    html_to_pdf(
        print_html(doc, facts, consume=consume), facts, out, revise=keep_notes_with_calls, max_passes=MAX_NOTE_PASSES
    )


# --- DOCX / ODT -----------------------------------------------------------------------


# Office outputs list chapters and sections (levels 1 and 2) in their table of
# contents, as the HTML and PDF do.
OFFICE_TOC_DEPTH = 2
# headings inside generated annexes (source groups, ToR themes) sit one level
# below the TOC depth there, so the TOC lists the annex but not its parts
_ANNEX_SUBHEADINGS = {"source-group", "tor-theme"}
_PAGE_BREAK = {"docx": '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'}


def _office_doc(doc: dict, facts: dict, fmt: str, consume: bool = False) -> dict:
    meta = facts["meta"]
    L = labels(facts["lang"])
    d = _own(doc, consume)

    def demote(node):
        if node["t"] == "Header" and _ANNEX_SUBHEADINGS & set(node["c"][1][1]):
            node["c"][0] = OFFICE_TOC_DEPTH + 1
        return None

    d["blocks"] = A.walk(unwrap_citations(d["blocks"]), demote)

    def ms(s: str) -> dict:
        return {"t": "MetaInlines", "c": A.text(s)}

    rows = [
        (L["country"], meta["country"]),
        (L["date"], meta["date"]),
        (L["period"], meta["period"]),
        (L["issuer"], meta["issuer"]),
        (L["version"], meta["version"]),
        (L["status"], meta["status"]),
    ]
    if meta.get("previous"):
        rows.append((L["previous"], meta["previous"]))
    # the colofon goes where pandoc's templates put an abstract: after the
    # title block and before the table of contents, and not in it
    # (pandoc's DOCX writer titles an abstract itself: "abstract-title" below)
    colofon = (
        [_simple_table(rows)] if fmt == "docx" else [A.Para([A.Strong(A.text(L["colofon"]))]), _simple_table(rows)]
    )
    if meta.get("draft"):
        colofon.insert(0, A.Para([A.Strong(A.text(f"{L['concept']} – {L['status']}: {meta['status']}"))]))
    if fmt in _PAGE_BREAK:
        colofon.append(A.RawBlock("openxml", _PAGE_BREAK[fmt]))
    d["meta"] = {
        "title": ms(meta["title"]),
        "subtitle": ms(f"{meta['kind']} – {meta['date']}"),
        "author": {"t": "MetaList", "c": [ms(meta["issuer"])]},
        "date": ms(meta["date"]),
        "lang": {"t": "MetaString", "c": meta["lang"]},
        "toc-title": ms(L["toc"]),
        "description": ms(f"{meta['kind']} {meta['country']}"),
        "abstract": {"t": "MetaBlocks", "c": colofon},
        "abstract-title": ms(L["colofon"]),
    }
    return d


def _simple_table(rows: list[tuple[str, str]]) -> dict:
    def cell(inl):
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [A.Plain(inl)]]

    body = [[["", [], []], [cell([A.Strong(A.text(k))]), cell(A.text(v))]] for k, v in rows]
    return {
        "t": "Table",
        "c": [
            ["", ["colofon"], []],
            [None, []],
            [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.3}], [{"t": "AlignLeft"}, {"t": "ColWidth", "c": 0.7}]],
            [["", [], []], []],
            [[["", [], []], 0, [], body]],
            [["", [], []], []],
        ],
    }


def _office_env(facts: dict) -> dict:
    import os

    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(facts["epoch"])
    return env


def write_docx(doc: dict, facts: dict, out: Path, *, consume: bool = False) -> None:
    _pandoc(
        [
            "-t",
            "docx",
            "--toc",
            f"--toc-depth={OFFICE_TOC_DEPTH}",
            "--reference-doc",
            str(TEMPLATES / "reference.docx"),
            "-o",
            str(out),
        ],
        _office_doc(doc, facts, "docx", consume),
        "DOCX",
        env=_office_env(facts),
    )


def write_odt(doc: dict, facts: dict, out: Path, *, consume: bool = False) -> None:
    _pandoc(
        [
            "-t",
            "odt",
            "--toc",
            f"--toc-depth={OFFICE_TOC_DEPTH}",
            "--reference-doc",
            str(TEMPLATES / "reference.odt"),
            "-o",
            str(out),
        ],
        _office_doc(doc, facts, "odt", consume),
        "ODT",
        env=_office_env(facts),
    )


WRITERS = {"html": write_html, "pdf": write_pdf, "docx": write_docx, "odt": write_odt}


def created_iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
