"""HTML for the screen: one self-contained file (template, CSS inlined)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import __version__, block_memo
from ..ast import Node
from ..labels import labels, title_says_kind
from .base import TOC_DEPTH, Priority, Writer, WriterError, pandoc, register
from .html_blocks import STEMS, ScreenBlocks, ids_of
from .html_notes import NoteBlocks, notes_section

if TYPE_CHECKING:
    import jinja2

    from ...cache.html_parts import HtmlPartCache
    from ...house_style import HouseStyle
    from ..facts import RenderFacts
    from .html_memo import StoredBlocks

# A second line of defence, should anything that loads slip past the audit.
# The page loads nothing: its CSS is inline, its images and its fonts (the
# house font, subset: render/fonts.py) are data: URIs, it has no script, no
# frame and no form. 'unsafe-inline' applies to styles only, and there is
# nothing but our own inline CSS to apply it to.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)

HTML_ARGS = ["-t", "html5", "--wrap=none", "--no-highlight", "--email-obfuscation=none"]


def _env(style: HouseStyle) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=style.jinja_loader(),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def _css(style: HouseStyle, names: list[str]) -> str:
    return "\n".join(style.read_text("css/" + n) for n in names)


def _browser_print_css(lang: str) -> str:
    """Page numbers when the screen HTML is printed from a browser, worded
    as in the PDF ("Pagina 3 van 41")."""
    from .pdf import _css_string

    pre, infix = labels(lang)["page_of"]
    return (
        "@page { @bottom-center {"
        f" content: {_css_string(pre)} counter(page) {_css_string(infix)} counter(pages); }} }}\n"
    )


def html_page(
    facts: RenderFacts,
    body: str,
    mode: str,
    extra_css: str = "",
    font_chars: frozenset[str] = frozenset(),
    fonts: HtmlPartCache | None = None,
) -> str:
    """The page around a pandoc HTML body: ``mode`` is "screen" or "print";
    ``font_chars``: characters the screen fonts hold besides the page's;
    ``fonts``: the render's cache of subset fonts."""
    from markupsafe import Markup

    from .url_breaks import break_urls

    body = break_urls(body, mode)  # a URL breaks after a slash, never at its hyphen
    style = facts.house_style
    lang = facts.lang
    css = _css(style, ["common.css", "screen.css" if mode == "screen" else "print.css"]) + extra_css
    if mode == "print":
        css = style.read_text("fonts/fonts.css") + "\n" + css
    if mode == "screen":
        css += _browser_print_css(lang)

    toc = [h for h in facts.headings if h.level <= TOC_DEPTH]
    from ..toc_numbers import number_width_em

    def render(css: str) -> str:
        page: str = (
            _env(style)
            .get_template("report.html.j2")
            .render(
                meta=facts.meta,
                says_kind=title_says_kind(facts.meta.title, facts.meta.kind, lang),
                L=labels(lang),
                toc=toc,
                toc_number=f"{number_width_em(h.number for h in toc):.1f}",
                body=Markup(body),
                css=Markup(css),
                mode=mode,
                version=__version__,
                created=facts.created,
                csp=Markup(CONTENT_SECURITY_POLICY),  # a constant, without a double quote
            )
        )
        return page

    page = render(css)
    if mode == "screen":
        # the page without its fonts says which characters they need; the
        # fonts (base64, ASCII) add none
        from ..fonts import FontError, embedded_font_css, font_files, page_characters

        chars = page_characters(page) | font_chars
        try:
            if fonts is None:
                font_css = embedded_font_css(style, chars)
            else:
                css_text = style.read_text("fonts/fonts.css")
                font_css = fonts.font_css(
                    css_text, font_files(style, css_text), chars, lambda: embedded_font_css(style, chars)
                )
            page = render(font_css + "\n" + css)
        except FontError as exc:
            raise WriterError(str(exc)) from None
    return page


_NOTEREF = re.compile(r'<a href="#fn(\d+)" class="footnote-ref" id="fnref\1" role="doc-noteref">')
_BACKLINK = re.compile(r'<a href="#fnref(\d+)" class="footnote-back" role="doc-backlink">')


def label_note_links(body: str, lang: str) -> str:
    """Give pandoc's note links names a screen reader can say: "noot 12"
    rather than "12", and "terug naar de tekst bij noot 12" rather than "↩"."""
    L = labels(lang)
    body = _NOTEREF.sub(lambda m: m.group(0)[:-1] + f' aria-label="{L["note"]} {m.group(1)}">', body)
    return _BACKLINK.sub(lambda m: m.group(0)[:-1] + f' aria-label="{L["back_to_note"]} {m.group(1)}">', body)


# pandoc's memory grows with its input: on a chapter of 100,000 notes (a
# 4.8 MB chapter) one run of the HTML writer passed 1.7 GB beside the
# writer's 1.5 GB of document, over the 2 GiB budget (docs/render.md), so
# a document larger than this is written in pieces of whole top-level
# blocks, one after another. pandoc writes a block the same whatever
# surrounds it once the notes are abuild's (pdf.py's pieces rely on it too),
# so the joined pieces are what one run writes (tests/render/test_html_notes.py).
PIECE_BYTES = 8_000_000


# a document larger than this is written without the cache's blocks
# (html_memo.StoredBlocks): each block's HTML is then held once more, cut
# at its notes' numbers, and once more as the entry's JSON text, which for
# the 100,000-note report (0.1 GB of document) would strain the memory
# budget above; the benchmark report's document is 4.8 MB
STORED_MAX = 32_000_000


class _Pieces:
    """pandoc's HTML of blocks given as JSON text one at a time: a piece goes
    to pandoc as soon as the next block would take it past ``piece_bytes``."""

    def __init__(self, head: str, piece_bytes: int) -> None:
        self.head, self.piece_bytes = head, piece_bytes
        self.piece: list[str] = []
        self.size = 0
        self.outs: list[str] = []
        self.memo = block_memo.current()  # the preview: all blocks at the end, unchanged ones reused

    def add(self, text: str) -> None:
        if self.size + len(text) > self.piece_bytes and self.piece and self.memo is None:
            self._run()
        self.piece.append(text)
        self.size += len(text)

    def _run(self) -> None:
        piece, self.piece, self.size = self.piece, [], 0  # its JSON goes once pandoc has written it
        self.outs.append(pandoc(HTML_ARGS, self.head + ',"blocks":[' + ",".join(piece) + "]}", "HTML"))

    def html(self) -> str:
        if self.memo is not None:
            settings = block_memo.context(self.head, *HTML_ARGS)
            return block_memo.join_html(self.memo.convert("html", settings, self.piece, self.run_blocks))
        if self.piece or not self.outs:
            self._run()
        if len(self.outs) == 1:
            return self.outs[0]
        return "\n".join(out.rstrip("\n") for out in self.outs) + "\n"

    def run_blocks(self, blocks: list[str]) -> list[str]:
        out: list[str] = []
        start = size = 0
        for i, b in enumerate(blocks + [""]):  # pieces of at most piece_bytes, as above
            if i == len(blocks) or (size + len(b) > self.piece_bytes and i > start):
                out += block_memo.html_of_blocks(self.head, blocks[start:i], lambda d: pandoc(HTML_ARGS, d, "HTML"))
                start, size = i, 0
            size += len(b)
        return out


def _head(doc: dict[str, Any]) -> str:
    return '{"pandoc-api-version":' + json.dumps(doc["pandoc-api-version"]) + ',"meta":' + json.dumps(doc["meta"])


def pandoc_in_pieces(doc: dict[str, Any], piece_bytes: int = PIECE_BYTES) -> str:
    """pandoc's HTML of ``doc``; its blocks are serialised and then dropped
    (``doc`` loses them), so the tree and pandoc are not in memory at once."""
    pieces = _Pieces(_head(doc), piece_bytes)
    blocks, doc["blocks"] = doc["blocks"], []
    for b in blocks:
        pieces.add(json.dumps(b))
    del blocks
    return pieces.html()


def _stem_ids(path: Path) -> set[str]:
    """The ids of the document at ``path`` that a made-up id could be
    (:data:`.html_blocks.STEMS`): only the lines (blocks) that hold one are parsed."""
    from ..worker import read_document

    marks = tuple(f'"{stem}-' for stem in STEMS)
    _, lines = read_document(path)
    return {i for line in lines if any(m in line for m in marks) for i in ids_of([json.loads(line)])}


@register
class HtmlWriter(Writer):
    name = "html"
    suffix = ".html"
    priority = Priority.YIELD
    # fontTools.subset takes 0.35 s to import: done while the worker waits
    needs = ("jinja2", "fontTools.subset")
    # characters the fonts hold besides the page's (the preview's: fonts.PREVIEW_CHARACTERS)
    font_chars: frozenset[str] = frozenset()

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        blocks, doc["blocks"] = doc["blocks"], []
        blocks.reverse()  # popped from the end: each block goes once written

        def taken() -> Iterator[Node]:
            while blocks:
                yield blocks.pop()

        memo = block_memo.current()
        if memo is not None:  # the preview: the ids a made-up one could be, as write_path finds them
            marks = tuple(f'"{stem}-' for stem in STEMS)
            texts = ((b, memo.finished(b)) for b in blocks)
            seen = {i for b, t in texts if t is None or any(m in t for m in marks) for i in ids_of([b])}
        else:
            seen = ids_of(blocks)
        self._write(_head(doc), taken(), seen, facts, out)

    def write_path(self, path: Path, facts: RenderFacts, out: Path) -> None:
        """:meth:`write` from the document file, a block at a time: the
        100,000-note document took the writer to 1.3 GiB as objects. With
        the render's cache, each block's HTML is kept there (html_memo.py's
        :class:`~.html_memo.StoredBlocks`)."""
        from ...cache.html_parts import open_cache
        from ..worker import read_document

        seen = _stem_ids(path)
        head, lines = read_document(path)
        small = path.stat().st_size <= STORED_MAX
        cache = open_cache(facts.pdf_cache, out.name) if small and block_memo.current() is None else None
        if cache is None:
            self._write(_head(head), lines, seen, facts, out)
            return
        from .html_memo import StoredBlocks

        stored = StoredBlocks(cache)
        self._write(_head(head), lines, seen, facts, out, stored)
        stored.save()

    def _write(
        self,
        head: str,
        blocks: Iterator[Node] | Iterator[str],
        seen: set[str],
        facts: RenderFacts,
        out: Path,
        stored: StoredBlocks | None = None,
    ) -> None:
        L = labels(facts.lang)
        screen = ScreenBlocks(L, seen)
        pieces = _Pieces(head, PIECE_BYTES)
        memo = pieces.memo or stored
        # the notes are abuild's to write: pandoc's writer is quadratic in them (html_notes.py)
        notes = NoteBlocks(memo.token if memo is not None else None)
        if memo is not None:  # the preview, or a render with a cache: the HTML of each unchanged block kept
            from .html_memo import body_html

            html = body_html(memo, pieces, blocks, screen, notes, facts)
        else:
            from .html_memo import abbreviations, as_it_is, screen_form

            abbr = abbreviations(facts.glossary)
            taken: list[tuple[str, int]] = []
            for item in blocks:
                text = item if isinstance(item, str) else None
                if text is not None and as_it_is(text, abbr):
                    pieces.add(text)  # the document file's JSON, which no step changes
                    continue
                block = json.loads(item) if isinstance(item, str) else item
                # each step only where the text says it changes something (html_memo.py)
                for b in screen_form(block, text, screen, abbr, facts.glossary):
                    taken += notes.take([b])
                    pieces.add(notes.dumps(b, 0))
            for text, _ in taken:
                pieces.add(text)
            del taken
            html = pieces.html()
        body = label_note_links(notes_section(html, notes.token, L["notes"]), facts.lang)
        fonts = stored.cache if stored is not None else None
        out.write_text(html_page(facts, body, "screen", font_chars=self.font_chars, fonts=fonts), encoding="utf-8")
