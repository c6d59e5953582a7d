"""DOCX and ODT: pandoc with the house reference documents, then a
deterministic repack (:mod:`...publish.office`)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .. import ast as A
from ..ast import Node
from ..colofon import PAGES
from ..labels import labels, title_says_kind
from .base import TOC_DEPTH, Priority, Writer, WriterError, register
from .docx_layout import TOR_QUESTION
from .docx_package import NUMPAGES_FIELD
from .transforms import unwrap_citations

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..facts import RenderFacts

# Office outputs list chapters, sections and subsections (levels 1 to 3) in
# their table of contents, as the HTML and PDF do.
OFFICE_TOC_DEPTH = TOC_DEPTH
# headings inside generated annexes (source groups, ToR themes) sit one level
# below their annex's heading (level 1): a skipped level would break the
# outline of a word processor's navigation pane
_ANNEX_SUBHEADINGS = {"source-group", "tor-theme"}
_ANNEX_SUBLEVEL = 2
# the paragraph style of a source entry: the reference document gives it a
# hanging indent
_SOURCE_STYLE = "Bibliography"


def _office_blocks(node: Node, tor_style: str) -> Any:
    """The office formats' own shape of the generated annexes; a ToR
    question's paragraph gets the paragraph style ``tor_style``, which keeps
    it on the page of its "Beantwoord in" line (docx_layout.py, odt_pages.py)."""
    t = node["t"]
    if t == "Header" and _ANNEX_SUBHEADINGS & set(node["c"][1][1]):
        node["c"][0] = _ANNEX_SUBLEVEL
    elif t == "Div":
        attr = node["c"][0]
        if "csl-entry" in attr[1]:
            attr[2] = [kv for kv in attr[2] if kv[0] != "custom-style"] + [["custom-style", _SOURCE_STYLE]]
        elif "tor-annex" in attr[1]:
            # a ToR question carries its own number ("2.1"): a bullet in
            # front of it would be a second marker, so the list becomes one
            # block per question; the style on the question only: on its
            # answer too, the whole annex would be one chain kept together
            blocks: list[Node] = []
            for block in node["c"][1]:
                if block["t"] == "BulletList":
                    blocks += [
                        A.Div([A.Div(item[:1], "", [], [["custom-style", tor_style]]), *item[1:]], "", ["tor-question"])
                        for item in block["c"]
                    ]
                else:
                    blocks.append(block)
            node["c"][1] = blocks
    return None


def _simple_table(rows: list[tuple[str, list[Node]]]) -> Node:
    def cell(inl: list[Node]) -> list[Any]:
        return [["", [], []], {"t": "AlignDefault"}, 1, 1, [A.Plain(inl)]]

    body = [[["", [], []], [cell([A.Strong(A.text(k))]), cell(v)]] for k, v in rows]
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


# what :meth:`OfficeWriter.office_blocks` changes, in a block's JSON text
# (json.dumps escapes a quote inside a string: a drafter's text can match
# only by naming one of these classes, and is then parsed, to no effect)
_CHANGED = re.compile(r'"t": "Cite"|"(?:source-group|tor-theme|csl-entry|tor-annex)"')


class OfficeWriter(Writer):
    """What DOCX and ODT share: title block, colofon, TOC, real footnotes."""

    priority = Priority.YIELD
    # where the house style's reference document is: "reference.docx"
    reference: ClassVar[str]
    # the colofon's own title, for a format whose writer does not title the
    # abstract (pandoc's DOCX writer does: "abstract-title" below)
    colofon_title: ClassVar[bool] = True
    # a page break after the colofon, in the format's raw markup
    page_break: ClassVar[tuple[str, str] | None] = None

    # the page-count field for the colofon's number of pages, in the format's raw markup
    page_count: ClassVar[tuple[str, str] | None] = None
    # a ToR question's paragraph style, by the name pandoc writes for the format
    tor_style: ClassVar[str]

    def colofon(self, facts: RenderFacts) -> list[Node]:
        """The colofon (rows from :mod:`..colofon`) and its disclaimer."""
        meta = facts.meta
        L = labels(facts.lang)
        rows: list[tuple[str, list[Node]]] = []
        for key, label, value in meta.colofon:
            if key == PAGES:
                if self.page_count is None:
                    continue  # a format without a page-count field leaves the row out
                rows.append((label, [A.RawInline(*self.page_count)]))
            else:
                rows.append((label, A.text(value)))
        # no rows, no table (ODF requires a table to have columns and rows)
        blocks: list[Node] = [_simple_table(rows)] if rows else []
        if self.colofon_title:
            blocks.insert(0, A.Para([A.Strong(A.text(L["colofon"]))]))
        if meta.draft:
            # the status itself is a colofon row: the cover says only that this is a concept
            blocks.insert(0, A.Para([A.Strong(A.text(L["concept"]))]))
        if meta.disclaimer:
            blocks.append(A.Para([A.Strong(A.text(meta.disclaimer_title))]))
            blocks += [A.Para(A.text(p)) for p in meta.disclaimer]
        return blocks

    def office_blocks(self, blocks: list[Node]) -> list[Node]:
        """The text's blocks as the format writes them (one for one)."""
        out: list[Node] = A.walk(unwrap_citations(blocks), lambda node: _office_blocks(node, self.tor_style))
        return out

    def office_text(self, text: str) -> str:
        """:meth:`office_blocks` of one top-level block given as its JSON
        text, only where :data:`_CHANGED` says it changes something, and in
        one walk instead of two (citations unwrapped, then the annexes'
        shape: both bottom-up, and the second never looks inside a
        citation's text). On the benchmark report (931 blocks, 620 with
        citations) parsing, walking and writing out every block took 0.35 s
        of CPU in each office writer."""
        if not _CHANGED.search(text):
            return text

        def fn(node: Node) -> Any:
            return node["c"][1] if node["t"] == "Cite" else _office_blocks(node, self.tor_style)

        out: list[Node] = A.walk([json.loads(text)], fn)
        return json.dumps(out[0])

    def wrappers(self, facts: RenderFacts, count: int) -> dict[int, list[str]]:
        """The ids of the Divs :meth:`document` wraps a block of the text in, by index."""
        return {}

    def document(self, doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
        meta = facts.meta
        L = labels(facts.lang)
        doc["blocks"] = self.office_blocks(doc["blocks"])

        def ms(s: str) -> dict[str, Any]:
            return {"t": "MetaInlines", "c": A.text(s)}

        # the colofon goes where pandoc's templates put an abstract: after the
        # title block and before the table of contents, and not in it
        colofon = self.colofon(facts)
        if self.page_break:
            colofon.append(A.RawBlock(*self.page_break))
        doc["meta"] = {
            "title": ms(meta.title),
            "author": {"t": "MetaList", "c": [ms(meta.issuer)]},
            "date": ms(meta.date),
            "lang": {"t": "MetaString", "c": meta.lang},
            "toc-title": ms(L["toc"]),
            "description": ms(f"{meta.kind} {meta.country}"),
            "abstract": {"t": "MetaBlocks", "c": colofon},
            "abstract-title": ms(L["colofon"]),
        }
        # the kind as a subtitle, unless the title already says it ("Algemeen
        # ambtsbericht Voorbeeldland"); the date has its own line
        if not title_says_kind(meta.title, meta.kind, facts.lang):
            doc["meta"]["subtitle"] = ms(meta.kind)
        return doc

    def finish(self, out: Path, facts: RenderFacts) -> None:
        """What the format adds to pandoc's package (before :meth:`normalise`)."""

    def normalise(self, path: Path, facts: RenderFacts) -> None:
        # pandoc's sandbox dates every document 1970 and every zip entry 1980
        from ...publish.office import normalise_package

        normalise_package(path, facts.epoch, self.name)


@register
class DocxWriter(OfficeWriter):
    name = "docx"
    suffix = ".docx"
    reference = "reference.docx"
    colofon_title = False
    page_break = ("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    page_count = ("openxml", NUMPAGES_FIELD)
    tor_style = TOR_QUESTION
    # the document most likely holds tracked changes (abuild diff's redline):
    # pandoc's run on the whole document first (docx_write.py)
    tracked_changes = False

    def document(self, doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
        from .docx_anchors import anchor_blocks  # review anchors: the DOCX only

        return anchor_blocks(super().document(doc, facts), facts)

    def wrappers(self, facts: RenderFacts, count: int) -> dict[int, list[str]]:
        from .docx_anchors import anchor_names

        return anchor_names(facts, count)

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        from .docx_write import write_docx  # the body a chapter at a time, kept in the cache

        head = {k: v for k, v in doc.items() if k != "blocks"}
        write_docx(self, head, [json.dumps(b) for b in doc["blocks"]], facts, out)

    def write_path(self, path: Path, facts: RenderFacts, out: Path) -> None:
        from ..worker import read_document
        from .docx_write import write_docx

        head, lines = read_document(path)
        write_docx(self, head, list(lines), facts, out)

    def finish(self, out: Path, facts: RenderFacts) -> None:
        from .docx_package import finish_docx

        finish_docx(out, facts)


# an empty paragraph that ends the cover (odt_pages.py defines its style)
_ODT_BREAK = ("opendocument", '<text:p text:style-name="Abuild_Page_Break"/>')


def _odt_toc(title: str) -> str:
    """The table of contents, without entries (odt_package.py writes them)."""
    entry = (
        '<text:table-of-content-entry-template text:outline-level="{0}" text:style-name="Contents_20_{0}">'
        '<text:index-entry-link-start text:style-name="Index_20_Link"/><text:index-entry-text/>'
        '<text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/>'
        "<text:index-entry-link-end/></text:table-of-content-entry-template>"
    )
    # the heading styles, not the outline levels: an annex's source groups
    # and ToR themes (odt_package.ANNEX_HEADING) stay out, as in the PDF,
    # also when LibreOffice updates the index
    sources = (
        '<text:index-source-styles text:outline-level="{0}">'
        '<text:index-source-style text:style-name="Heading_20_{0}"/></text:index-source-styles>'
    )
    return (
        # its name shows in LibreOffice's Navigator: the edition's word ("Contents" in English)
        f'<text:table-of-content text:name="{escape(title)}" text:protected="true">'
        f'<text:table-of-content-source text:outline-level="{OFFICE_TOC_DEPTH}"'
        ' text:use-outline-level="false" text:use-index-source-styles="true">'
        f'<text:index-title-template text:style-name="Contents_20_Heading">{escape(title)}</text:index-title-template>'
        + "".join(entry.format(level) for level in range(1, OFFICE_TOC_DEPTH + 1))
        + "".join(sources.format(level) for level in range(1, OFFICE_TOC_DEPTH + 1))
        + "</text:table-of-content-source><text:index-body/></text:table-of-content>"
    )


@register
class OdtWriter(OfficeWriter):
    """pandoc's ODT writer prints the abstract (the colofon) as loose runs
    and line breaks between the title block and the TOC, not inside a
    paragraph, which ODF does not allow: here the colofon is body text, on
    the cover below the title block as in the PDF, the TOC on the next page;
    pandoc's TOC (whose entries it leaves empty) is replaced by one that
    :mod:`.odt_package` fills."""

    name = "odt"
    suffix = ".odt"
    reference = "reference.odt"
    page_count = ("opendocument", "<text:page-count>1</text:page-count>")
    # pandoc writes a custom style's name as the ODF style name, unencoded
    # (a space would make it invalid): the encoded name of "ToR Question"
    tor_style = TOR_QUESTION.replace(" ", "_20_")

    def document(self, doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
        doc = super().document(doc, facts)
        abstract = doc["meta"].pop("abstract", None)
        colofon = abstract["c"] if abstract and abstract.get("t") == "MetaBlocks" else []
        toc = A.RawBlock("opendocument", _odt_toc(labels(facts.lang)["toc"]))
        doc["blocks"] = [*colofon, A.RawBlock(*_ODT_BREAK), toc, *doc["blocks"]]
        return doc

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        head = {k: v for k, v in doc.items() if k != "blocks"}
        self.write_pieces(head, (json.dumps(b) for b in doc.get("blocks", [])), facts, out)

    def write_path(self, path: Path, facts: RenderFacts, out: Path) -> None:
        from ..worker import read_document

        head, lines = read_document(path)
        self.write_pieces(head, lines, facts, out)

    def write_pieces(self, head: dict[str, Any], lines: Iterable[str], facts: RenderFacts, out: Path) -> None:
        """The ODT a chapter at a time, each chapter's pandoc output kept in
        the cache (:mod:`.odt_pieces`). ``lines``: the text's blocks as JSON text."""
        from ...cache.odt_parts import open_cache
        from .odt_package import OdtPackageError
        from .odt_pieces import Job, document_text, lang_head, split, write_odt

        def office(texts: list[str]) -> list[str]:
            return [self.office_text(t) for t in texts]

        reference = facts.house_style.path(self.reference)
        cache = open_cache(facts.pdf_cache, reference)
        front, chapters = split(lines)
        shell = self.document({**head, "blocks": []}, facts)
        head_text = json.dumps({"pandoc-api-version": shell["pandoc-api-version"], "meta": shell["meta"]})
        cover = [json.dumps(b) for b in shell["blocks"]] + office(front)
        key = cache.key if cache else (lambda *parts: "")
        jobs = [Job(key("cover", str(facts.epoch), document_text(head_text, cover)), lambda: cover)]
        chapter_head = lang_head(shell["pandoc-api-version"], facts.meta.lang)
        jobs += [Job(key("chapter", chapter_head, *texts), lambda t=texts: office(t)) for texts in chapters]  # type: ignore[misc]
        args = ["-t", "odt", "--reference-doc", str(reference)]
        try:
            write_odt(head_text, jobs, args, cache, facts, out)
        except OdtPackageError as exc:
            from ...house_style import template_path

            where = "abuild's reference.odt" if reference == template_path(self.reference) else str(reference)
            raise WriterError(f"ODT: {exc} (its page and paragraph styles come from {where})") from None
