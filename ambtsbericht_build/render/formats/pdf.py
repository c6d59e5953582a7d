"""The PDF: the print variant of the HTML, laid out by WeasyPrint (:mod:`..pdf`).

Notes on the page of their call: WeasyPrint 70 sometimes keeps a line with a
note call on one page and sets the note on the next (when the note does not
fit and orphans/widows forbid moving the line), and in rare cases then loses
the note altogether. The writer therefore lays the document out, finds every
note that is not on its call's page, moves the block that calls it (or the
headings just above it) to a new page, and lays out again until every note
sits with its call.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import ast as A
from .. import page_numbers
from ..labels import labels
from .base import AuditPart, Priority, Writer, pandoc_fragments, register
from .html import HTML_ARGS, STORED_MAX, html_page
from .transforms import captions_above_tables, notes_to_spans

if TYPE_CHECKING:
    from ...cache.html_parts import HtmlPartCache
    from ..facts import RenderFacts

PANDOC_ARGS = HTML_ARGS


def _css_string(s: str) -> str:
    """``s`` as a CSS string that is safe inside an HTML ``<style>``: every
    character but letters, digits, spaces and harmless punctuation is a CSS
    escape (``\\3c ``), so a title with ``</style>`` cannot end the style
    element and a newline or quote cannot end the string."""
    return '"' + "".join(c if c.isalnum() or c in _CSS_PLAIN else f"\\{ord(c):x} " for c in s) + '"'


# kept as they are in a CSS string: none of them ends a string, an escape or a <style>
_CSS_PLAIN = frozenset(" .,;:!?-–—'()[]/+*#%=_|~^$@{}")


# the watermark's font: abuild's own bold house font (a repository's font
# override does not change the watermark's letter shapes)
WATERMARK_FONT = "fonts/NotoSans-Bold.ttf"


def watermark_path(text: str) -> tuple[str, int, int]:
    """``text`` as one SVG path in the house font's bold outlines, in font
    units (y up, baseline at y=0 from x=0), its advance width and the font's
    units per em. Drawn as a shape, not as text: as SVG ``<text>`` the word
    was the first line of every page's text layer (copy and paste and screen
    readers read "CONCEPT" before each page). In font units the coordinates
    are whole numbers. WeasyPrint 70 writes the background once per page: 1.5
    KB of compressed PDF per page (the SVG text was 0.85 KB; measured on 20
    pages). A character the font lacks is left out."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    from ...house_style import template_path

    font = TTFont(str(template_path(WATERMARK_FONT)), lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{round(v)}")
    x = 0
    for ch in text:
        name = cmap.get(ord(ch))
        if name is None:
            continue
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, 1, x, 0)))
        x += glyphs[name].width
    return pen.getCommands(), x, font["head"].unitsPerEm


def _watermark_css(text: str) -> str:
    d, width, em = watermark_path(text)
    scale = 34 / em  # an em of 34 mm, the SVG text's font-size
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
        f'<path d="{html.escape(d)}" fill="#b00020" fill-opacity="0.12" '
        f'transform="rotate(-55 105 148.5) translate({105 - width * scale / 2:.2f} 160) scale({scale:g} -{scale:g})"/>'
        "</svg>"
    )
    # in front of the page, not its background: a full-width image (the
    # example's map, p. 6) covered a page background; DOCX and ODT put it in
    # front too. The template's empty .watermark div (print, concept) runs
    # into the top-left corner box, whose origin is the page's; its page-
    # sized child draws the SVG above everything (z-index). WeasyPrint 70
    # draws a background as an artifact and leaves a margin box out of the
    # structure tree, so the word is neither content nor a tag.
    url = f'url("data:image/svg+xml;charset=utf-8,{quote(svg)}")'
    return (
        "@page { @top-left-corner { content: element(abuild-watermark); } }\n"
        ".watermark { position: running(abuild-watermark); }\n"
        ".watermark > div { position: fixed; left: 0; top: 0; width: 210mm; height: 297mm; z-index: 100;"
        f" background: {url} no-repeat center / 100% 100%; }}\n"
    )


def _margins(facts: RenderFacts) -> str:
    """The running header (title, month) and footer ("Pagina 7 van 234")."""
    return (
        f"@top-left {{ content: {_css_string(facts.meta.title)}; }}"
        f" @top-right {{ content: {_css_string(facts.month_year)}; }}"
        f" @bottom-center {{ content: {_footer(facts, page_numbers.DIGITS)}; }}"
    )


def _footer(facts: RenderFacts, digits: int) -> str:
    pre, infix = labels(facts.lang)["page_of"]
    zeros = page_numbers.placeholder(digits)
    return f"{_css_string(pre)} '{zeros}' {_css_string(infix)} '{zeros}'"


def placeholder_css(facts: RenderFacts, digits: int = page_numbers.DIGITS) -> str:
    """The rules that set a placeholder where a page number goes: the TOC's,
    the colofon's, the terms of reference's "(p. 000)" and the footer's
    "Pagina 000 van 000"; :mod:`..page_numbers` writes the numbers into the
    laid-out pages (every part of the document is laid out before anyone
    knows where it starts: :mod:`..pdf_parts`). As one string, so a report of
    more than 999 pages can have it replaced by wider placeholders."""
    zeros = page_numbers.placeholder(digits)
    page = _css_string(labels(facts.lang)["page"])
    return (
        f"@page {{ @bottom-center {{ content: {_footer(facts, digits)}; }} }}\n"
        # "p." and its number tied (docs/house-style.md), as the typography pass ties them in the text
        f'a.tor-ref::after {{ content: " (" {page} "\\a0" \'{zeros}\' ")"; font-variant-numeric: tabular-nums; }}\n'
        + page_numbers.print_css(digits)
    )


def continuation_css(facts: RenderFacts) -> str:
    """For a part after the first (:mod:`..pdf_parts`): its first page is not
    the document's, and has the running header and footer of any page."""
    return f"@page :first {{ {_margins(facts)} }}\n"


def print_css(facts: RenderFacts) -> str:
    L = labels(facts.lang)
    css = f"@page {{ {_margins(facts)} }}\n" + placeholder_css(facts)
    # the TOC's number column per level, fitted (render/toc_numbers.py)
    from ..toc_numbers import level_columns_css
    from .base import TOC_DEPTH

    css += level_columns_css((h.level, h.number) for h in facts.headings if h.level <= TOC_DEPTH)
    if facts.meta.draft:
        css += _watermark_css(L["concept"])
    return css


WORD_JOINER = "\u2060"


def _print_inlines(blocks: list[Any]) -> list[Any]:
    """:func:`.transforms.unwrap_citations`, and in the same walk a WORD
    JOINER after the ``://`` of every URL in the text: Pango may break a line
    after a slash, and the page read of issue #11 found "https://" alone at a
    line's end 15 times in the example and 53 in the benchmark (the line now
    breaks before the URL or inside its path). The joiner prints nothing, is
    not in the PDF's text and the audit's folding drops it (a format
    character); the link's target is not touched."""

    def fn(node: dict[str, Any]) -> Any:
        t = node["t"]
        if t == "Cite":
            return node["c"][1]
        if t == "Str" and "://" in node["c"]:
            return {"t": "Str", "c": node["c"].replace("://", "://" + WORD_JOINER)}
        return None

    out: list[Any] = A.walk(blocks, fn)
    return out


def print_html(doc: dict[str, Any], facts: RenderFacts) -> str:
    """The HTML WeasyPrint lays out (changes ``doc``)."""
    # no <abbr> here: WeasyPrint 70 does not carry its title into the PDF's
    # tags, and 2,700 extra inline boxes cost a tenth of the layout time; the
    # PDF has the abbreviations annex
    doc["blocks"] = captions_above_tables(notes_to_spans(_print_inlines(doc["blocks"])))
    body = pandoc_fragments(PANDOC_ARGS, doc, "PDF (HTML)")
    return html_page(facts, body, "print", print_css(facts))


def print_html_lines(path: Path, facts: RenderFacts) -> str:
    """:func:`print_html` of the document file at ``path``, a block's JSON
    text at a time (print_memo.py's ``print_blocks``): the same page."""
    from ..worker import read_document
    from .print_memo import print_blocks

    head, lines = read_document(path)
    head["blocks"] = print_blocks(lines)
    return html_page(facts, pandoc_fragments(PANDOC_ARGS, head, "PDF (HTML)"), "print", print_css(facts))


def print_html_stored(path: Path, facts: RenderFacts, cache: HtmlPartCache) -> str:
    """:func:`print_html` of the document file at ``path``, each block's
    HTML kept in the render's cache (print_memo.py): the same page."""
    from ..worker import read_document
    from . import print_memo
    from .html import _head

    head, lines = read_document(path)
    return html_page(facts, print_memo.body(_head(head), lines, cache, PANDOC_ARGS), "print", print_css(facts))


# --- footnotes on the page that calls them -----------------------------------------------

MAX_NOTE_PASSES = 4
_BLOCK_START = re.compile(r'<(p|li|figcaption|tr|div class="table-caption")\b[^>]*>')
_HEADING_BEFORE = re.compile(r"<(h[2-6])\b[^>]*>(?:(?!<h[1-6]\b).)*</\1>\s*$", re.S)


def misplaced_notes(document: Any) -> list[str]:
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


def keep_notes_with_calls(document: Any, html: str) -> str:
    """Given a layout of ``html``, the HTML with a page break before the first
    block on each page whose note WeasyPrint set elsewhere (unchanged when
    every note sits with its call)."""
    fixed = html
    for note in misplaced_notes(document):
        fixed = break_before_note(fixed, note)
    return fixed


# --- the writer ---------------------------------------------------------------------------


def _sidecar(path: Path, kind: str) -> Path:
    """A file :func:`..pdf.html_to_pdf` writes beside the PDF: "print.html", "tools.json"."""
    return path.with_name(f"{path.name}.{kind}")


def _part_cache(facts: RenderFacts) -> Any:
    """The render cache's PDF parts (None: no cache)."""
    if len(facts.pdf_cache) != 2:
        return None
    from ...cache.pdf_parts import open_cache

    fonts = [f.path for f in facts.house_style.files() if f.rel.startswith("fonts/")]
    return open_cache(facts.pdf_cache[0], facts.pdf_cache[1], fonts)


@register
class PdfWriter(Writer):
    name = "pdf"
    suffix = ".pdf"
    priority = Priority.FIRST  # the long pole: four times the other formats together
    # WeasyPrint: 0.7 s; jinja2 (the page's template) and the print HTML's
    # memo: 0.1 s that came after the document was ready
    needs = ("ambtsbericht_build.render.pdf", "jinja2", "ambtsbericht_build.render.formats.print_memo")

    def prepare(self) -> None:
        super().prepare()
        from .. import pdf_lang, pydyf_speed, weasy_footnotes, weasy_leaders, weasy_lines, weasy_speed, weasy_svg_memo

        weasy_footnotes.apply()
        weasy_leaders.apply()
        weasy_lines.apply()  # no word alone on a line before a link (issue #11)
        weasy_svg_memo.apply()  # the CONCEPT watermark's SVG parsed and drawn once, not on every page
        weasy_speed.apply()  # WeasyPrint's work done once for equal inputs (weasy_speed.py lists the patches)

        pydyf_speed.apply()
        pdf_lang.apply()  # /Lang on the tags of text in another language (an English edition's Dutch parts)

    def write_path(self, path: Path, facts: RenderFacts, out: Path) -> None:
        """:meth:`write` from the document file; with the render's cache,
        the print HTML of each block an edit left alone is the cache's
        (print_memo.py: pandoc took 0.8 s of CPU for the benchmark report's
        931 blocks on every render, on the way to the layout)."""
        from ...cache.html_parts import PRINT, open_cache

        # a document larger than this (the 100,000-note report's 0.1 GB)
        # is written without the cache: its kept HTML would strain the memory budget
        cache = open_cache(facts.pdf_cache, out.name, PRINT) if path.stat().st_size <= STORED_MAX else None
        if cache is None:
            self.write_html(print_html_lines(path, facts), facts, out)
        else:
            self.write_html(print_html_stored(path, facts, cache), facts, out)

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        self.write_html(print_html(doc, facts), facts, out)

    def write_html(self, page: str, facts: RenderFacts, out: Path) -> None:
        """Lay out the print HTML ``page`` and write the PDF."""
        from ..pdf import LocalOnlyFetcher, environ_set, html_to_pdf

        def in_parts(html: str, fetcher: LocalOnlyFetcher) -> tuple[int, dict[str, int]] | None:
            from .. import pdf_layout_parts as parts

            if not parts.enabled(len(html)):
                return None
            return parts.write_in_parts(
                html,
                out,
                fetcher,
                revise=keep_notes_with_calls,
                max_passes=MAX_NOTE_PASSES,
                continuation_css=continuation_css(facts),
                cache=_part_cache(facts),
            )

        # fontTools stamps every subset font's head.modified with the clock
        # unless SOURCE_DATE_EPOCH is set: two renders of the same inputs in
        # different seconds gave PDFs that differed in one compressed font
        # stream (the benchmark report: 1,737,901-1,737,910 bytes from render
        # to render, and a flaky test_reproducible); with the render's epoch,
        # here and in the layout workers forked meanwhile, the same bytes
        with environ_set("SOURCE_DATE_EPOCH", str(facts.epoch)):
            html_to_pdf(
                page,
                out,
                style=facts.house_style,
                sidecars=facts.sidecars,
                revise=keep_notes_with_calls,
                max_passes=MAX_NOTE_PASSES,
                placeholders=lambda digits: placeholder_css(facts, digits),
                in_parts=in_parts,
            )

    def audit_parts(self, path: Path) -> list[AuditPart]:
        from ...publish.extract import Extracted, extract, extract_html

        def page_text() -> Extracted:
            ex = Extracted(path)
            extract_html(_sidecar(path, "print.html").read_text(encoding="utf-8"), ex, "print HTML (PDF text)")
            return ex

        # the PDF's page text is audited as the HTML WeasyPrint was given,
        # which exists before the layout is written out
        return [
            AuditPart(path, lambda: extract(path, full=False)),
            AuditPart(_sidecar(path, "print.html"), page_text, early=True),
        ]

    def _tools_json(self, path: Path) -> dict[str, Any]:
        sidecar = _sidecar(path, "tools.json")
        if not sidecar.exists():
            return {}
        data: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
        return data

    def tools(self, path: Path) -> dict[str, str] | None:
        tools: dict[str, str] | None = self._tools_json(path).get("tools")
        return tools

    def note(self, path: Path) -> str:
        """What the PDF writer refused to fetch or dropped (counts only)."""
        data = self._tools_json(path)
        parts = []
        if data.get("refused"):
            parts.append(f"refused to fetch {len(data['refused'])} resource(s)")
        if data.get("dropped_file_links"):
            parts.append(f"dropped {data['dropped_file_links']} link(s) to local files")
        laid = data.get("parts")
        if isinstance(laid, dict) and laid.get("reused"):  # the render cache's parts (render/pdf_layout_parts.py)
            parts.append(f"{laid.get('parts')} parts: {laid.get('laid')} laid out, {laid.get('reused')} from the cache")
        return "; ".join(parts)
