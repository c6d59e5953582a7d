"""DOCX and ODT: pandoc with the house reference documents, then a
deterministic repack (:mod:`...publish.office`)."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .. import ast as A
from ..ast import Node
from ..labels import labels
from .base import Priority, Writer, WriterError, pandoc, register
from .transforms import unwrap_citations

if TYPE_CHECKING:
    from ..facts import RenderFacts

# Office outputs list chapters and sections (levels 1 and 2) in their table of
# contents, as the HTML and PDF do.
OFFICE_TOC_DEPTH = 2
# headings inside generated annexes (source groups, ToR themes) sit one level
# below the TOC depth there, so the TOC lists the annex but not its parts
_ANNEX_SUBHEADINGS = {"source-group", "tor-theme"}


def _simple_table(rows: list[tuple[str, str]]) -> Node:
    def cell(inl: list[Node]) -> list[Any]:
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

    def document(self, doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
        meta = facts.meta
        L = labels(facts.lang)

        def demote(node: Node) -> None:
            if node["t"] == "Header" and _ANNEX_SUBHEADINGS & set(node["c"][1][1]):
                node["c"][0] = OFFICE_TOC_DEPTH + 1
            return None

        doc["blocks"] = A.walk(unwrap_citations(doc["blocks"]), demote)

        def ms(s: str) -> dict[str, Any]:
            return {"t": "MetaInlines", "c": A.text(s)}

        rows = [
            (L["country"], meta.country),
            (L["date"], meta.date),
            (L["period"], meta.period),
            (L["issuer"], meta.issuer),
            (L["version"], meta.version),
            (L["status"], meta.status),
        ]
        if meta.previous:
            rows.append((L["previous"], meta.previous))
        # the colofon goes where pandoc's templates put an abstract: after the
        # title block and before the table of contents, and not in it
        colofon = [_simple_table(rows)]
        if self.colofon_title:
            colofon.insert(0, A.Para([A.Strong(A.text(L["colofon"]))]))
        if meta.draft:
            colofon.insert(0, A.Para([A.Strong(A.text(f"{L['concept']} – {L['status']}: {meta.status}"))]))
        if self.page_break:
            colofon.append(A.RawBlock(*self.page_break))
        doc["meta"] = {
            "title": ms(meta.title),
            "subtitle": ms(f"{meta.kind} – {meta.date}"),
            "author": {"t": "MetaList", "c": [ms(meta.issuer)]},
            "date": ms(meta.date),
            "lang": {"t": "MetaString", "c": meta.lang},
            "toc-title": ms(L["toc"]),
            "description": ms(f"{meta.kind} {meta.country}"),
            "abstract": {"t": "MetaBlocks", "c": colofon},
            "abstract-title": ms(L["colofon"]),
        }
        return doc

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        env = dict(os.environ)
        env["SOURCE_DATE_EPOCH"] = str(facts.epoch)
        reference = facts.house_style.path(self.reference)
        pandoc(
            ["-t", self.name, "--toc", f"--toc-depth={OFFICE_TOC_DEPTH}", "--reference-doc", str(reference)]
            + ["-o", str(out)],
            self.document(doc, facts),
            self.name.upper(),
            env=env,
        )

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
    return (
        '<text:table-of-content text:name="Inhoudsopgave" text:protected="true">'
        f'<text:table-of-content-source text:outline-level="{OFFICE_TOC_DEPTH}">'
        f'<text:index-title-template text:style-name="Contents_20_Heading">{escape(title)}</text:index-title-template>'
        + "".join(entry.format(level) for level in range(1, OFFICE_TOC_DEPTH + 1))
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

    def document(self, doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
        doc = super().document(doc, facts)
        abstract = doc["meta"].pop("abstract", None)
        colofon = abstract["c"] if abstract and abstract.get("t") == "MetaBlocks" else []
        toc = A.RawBlock("opendocument", _odt_toc(labels(facts.lang)["toc"]))
        doc["blocks"] = [*colofon, A.RawBlock(*_ODT_BREAK), toc, *doc["blocks"]]
        return doc

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        from .odt_package import OdtPackageError, finish_odt

        env = dict(os.environ)
        env["SOURCE_DATE_EPOCH"] = str(facts.epoch)
        reference = facts.house_style.path(self.reference)
        args = ["-t", "odt", "--reference-doc", str(reference), "-o", str(out)]
        pandoc(args, self.document(doc, facts), "ODT", env=env)
        try:
            finish_odt(out, facts)
        except OdtPackageError as exc:
            from ...house_style import template_path

            where = "abuild's reference.odt" if reference == template_path(self.reference) else str(reference)
            raise WriterError(f"ODT: {exc} (its page and paragraph styles come from {where})") from None
