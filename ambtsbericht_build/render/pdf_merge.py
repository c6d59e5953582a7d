"""Join the PDF files of parts laid out separately into one tagged PDF/UA-1
file, as if WeasyPrint had laid the whole document out at once.

The print HTML is split at its chapters (every ``h1`` starts a page) and the
parts are laid out in parallel (``render/pdf_parts*.py``); each part is a
complete PDF/UA-1 file written by WeasyPrint 70. :func:`merge_parts` joins
them with pikepdf:

- the first part is the base: its catalog, XMP metadata, /Info, /Lang,
  /MarkInfo, /ViewerPreferences and output intents are the document's; the
  other parts' pages are appended (``Pdf.pages.extend``: pikepdf keeps one
  foreign-object map per source, so the structure tree, outlines and
  destinations copied afterwards point at the copied pages);
- the structure trees, parent tree, /RoleMap and /ClassMap are joined in
  :mod:`.pdf_merge_struct`;
- outlines are concatenated, named destinations united, and a link to
  another part (``PART_LINK`` + id, see below) becomes a link to the named
  destination, as WeasyPrint writes an internal link;
- the subsets of one house font, one per part, are united into one font
  (:mod:`.pdf_merge_fonts`).

A part cannot link to an id in another part: WeasyPrint would drop the link.
So the splitter writes such a link as ``PART_LINK + id`` (an external URI
under the reserved ``.invalid`` domain) and the merge turns it back.

The output is deterministic: the same parts and ``identifier`` give the same
bytes (trailer /ID: ``identifier`` and a digest of the content, as WeasyPrint
writes it; no timestamp is added).
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .errors import RenderFailed
from .pdf_merge_fonts import unite_fonts
from .pdf_merge_struct import PartTree, join_structure, unique_ids
from .pdf_parts import PART_LINK  # a part's link to an anchor in another part: href=PART_LINK+name (one definition)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartFile:
    # one part, written by WeasyPrint 70: write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=...)
    path: Path
    # how many levels of this part's first structure-element chain continue the previous part's last chain
    # (e.g. 1: the part's top-level element is the same element as the previous part's last one).
    # 0 for parts cut at page breaks: WeasyPrint 70 builds the tree page by page, so each page's piece
    # of <main> is a /Part of its own and no element of a single layout spans a page break; with 1 the
    # benchmark report's joined tree had 420 /Document kids against the single layout's 423.
    continues: int = 0


@dataclass
class Merged:
    """What :func:`merge_parts` did that the caller should tell the drafter."""

    pages: int = 0
    # PART_LINK targets no part has: the link was removed, its text kept
    unresolved_links: list[str] = field(default_factory=list)
    fonts_united: int = 0  # font objects replaced by a united one


def merge_parts(parts: list[PartFile], out: Path, *, identifier: bytes) -> Merged:
    """Write ``out`` (atomically: a .part file then os.replace): the parts' pages in order, one PDF/UA-1 document."""
    if not parts:
        raise RenderFailed("no PDF parts to join")
    tmp = out.with_name(out.name + ".part")
    with contextlib.ExitStack() as stack:
        # the sources stay open until the file is written: pikepdf reads the
        # streams of copied objects (page contents, images) while saving
        sources = [stack.enter_context(_open(p.path)) for p in parts]
        pdf = sources[0]
        try:
            merged = _join(pdf, sources[1:], parts)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError, KeyError) as exc:
            # a part WeasyPrint did not write as it writes them (damaged, or not its)
            raise RenderFailed(f"the PDF parts cannot be joined ({type(exc).__name__}: {exc})") from None
        pdf.trailer.ID = Array([String(identifier), String(identifier)])
        try:
            # deterministic_id: the second /ID string is a digest of the
            # content, the first is kept (``identifier``)
            pdf.save(
                tmp,
                deterministic_id=True,
                fix_metadata_version=False,  # the first part's XMP as it is (pikepdf would rewrite it)
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                compress_streams=True,
            )
            os.replace(tmp, out)
        except (pikepdf.PdfError, OSError) as exc:
            raise RenderFailed(f"{out.name}: the joined PDF cannot be written ({exc})") from None
        finally:
            tmp.unlink(missing_ok=True)
    for name in merged.unresolved_links:
        log.warning("a link to #%s was removed from the PDF (its text stays): no part has that anchor", name)
    return merged


def _join(pdf: pikepdf.Pdf, others: list[pikepdf.Pdf], parts: list[PartFile]) -> Merged:
    """Append ``others`` to ``pdf`` (the first part), in place."""
    merged = Merged()
    trees = [PartTree(pdf.Root.get("/StructTreeRoot"), range(0, len(pdf.pages)), 0)]
    outlines = [pdf.Root.get("/Outlines")]
    dests = [_dests(pdf)]
    ids: set[str] = set()
    unique_ids(pdf, ids, 0)
    for no, (part, src) in enumerate(zip(parts[1:], others, strict=True), 1):
        unique_ids(src, ids, no)  # in the source, before its tree is copied
        first = len(pdf.pages)
        with warnings.catch_warnings():
            # "named destinations are not preserved": they are united below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            pdf.pages.extend(src.pages)
        # copied after the pages, with the same foreign-object map: their
        # page references resolve to the pages just appended
        pages = range(first, len(pdf.pages))
        trees.append(PartTree(_copy(pdf, src, src.Root.get("/StructTreeRoot")), pages, part.continues))
        outlines.append(_copy(pdf, src, src.Root.get("/Outlines")))
        dests.append([(name, _copy(pdf, src, d)) for name, d in _dests(src)])
    names = _unite_dests(pdf, dests)
    merged.unresolved_links = _resolve_part_links(pdf, names, trees)
    join_structure(pdf, trees)
    _join_outlines(pdf, outlines)
    merged.fonts_united = unite_fonts(pdf)
    merged.pages = len(pdf.pages)
    return merged


def _open(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        raise RenderFailed(f"{path.name}: the PDF part cannot be read ({exc})") from None


def _copy(pdf: pikepdf.Pdf, src: pikepdf.Pdf, obj: Any) -> Any:
    """``obj`` of ``src`` copied into ``pdf`` (a direct one made indirect in
    ``src`` first: pikepdf copies only indirect objects)."""
    if not isinstance(obj, (Array, Dictionary)):
        return obj
    if not obj.is_indirect:
        obj = src.make_indirect(obj)
    return pdf.copy_foreign(obj)


# --- named destinations and links between parts -----------------------------------------


def _dests(pdf: pikepdf.Pdf) -> list[tuple[String, object]]:
    """The named destinations of ``pdf`` (its /Names /Dests tree), keys as
    written: WeasyPrint writes a non-ASCII name in UTF-16 and its links'
    /Dest with the same bytes, which a key decoded and encoded again by
    pikepdf (PDFDocEncoding) would no longer match."""
    names = pdf.Root.get("/Names")
    out: list[tuple[String, object]] = []
    stack = [names.get("/Dests") if isinstance(names, Dictionary) else None]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary) or (node.is_indirect and node.objgen in seen):
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        pairs = node.get("/Names")
        items = list(pairs) if isinstance(pairs, Array) else []
        out += [(k, items[i + 1]) for i, k in enumerate(items[:-1]) if i % 2 == 0 and isinstance(k, String)]
        kids = node.get("/Kids")
        stack += reversed(list(kids)) if isinstance(kids, Array) else []
    return out


def _unite_dests(pdf: pikepdf.Pdf, parts: list[list[tuple[String, object]]]) -> dict[str, String]:
    """One /Names /Dests tree of every part's destinations (ids are unique
    across the document; should one repeat, the first part's wins, as a
    browser follows the first element with an id). Returns {name: its key}."""
    keys: dict[str, String] = {}
    values: dict[str, object] = {}
    for dests in parts:
        for key, d in dests:
            if str(key) not in keys:
                keys[str(key)], values[str(key)] = key, d
    if not keys:
        return keys
    flat: list[object] = []
    # a name tree's keys are sorted by their bytes (PDF 32000-1, 7.9.6)
    for name in sorted(keys, key=lambda n: bytes(keys[n])):
        value = values[name]
        # direct again, as WeasyPrint writes them (a later part's were made indirect to be copied)
        flat += [keys[name], Array(list(value)) if isinstance(value, Array) and value.is_indirect else value]
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.Dests = pdf.make_indirect(Dictionary(Names=Array(flat)))
    return keys


def _resolve_part_links(pdf: pikepdf.Pdf, names: dict[str, String], trees: list[PartTree]) -> list[str]:
    """A link annotation to ``PART_LINK + name`` becomes a link to the named
    destination, as WeasyPrint writes an internal link (/Dest and /Contents
    the name); one to a name no part has is removed (its text stays: the
    structure element keeps its marked content, only its OBJR goes).
    Returns the names not found, in page order."""
    missing: list[str] = []
    for no, page in enumerate(pdf.pages):
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        keep = []
        for annot in annots:
            target = _part_link(annot)
            if target is None:
                keep.append(annot)
            elif target in names:
                del annot["/A"]
                annot.Dest = names[target]  # the key's own bytes
                annot.Contents = names[target]
                keep.append(annot)
            else:
                missing.append(target)
                # the annotation's /StructParent is a key of its own part's parent tree
                next(t for t in trees if no in t.pages).drop_annotation(annot)
        if len(keep) != len(annots):
            if keep:
                page.obj.Annots = Array(keep)
            else:
                del page.obj["/Annots"]
    return missing


def _part_link(annot: object) -> str | None:
    if not isinstance(annot, Dictionary) or annot.get("/Subtype") != Name.Link:
        return None
    action = annot.get("/A")
    if not isinstance(action, Dictionary) or action.get("/S") != Name.URI:
        return None
    uri = str(action.get("/URI", ""))
    # WeasyPrint writes the href as an IRI turned URI: non-ASCII ids percent-encoded
    return unquote(uri[len(PART_LINK) :]) if uri.startswith(PART_LINK) else None


# --- outlines -----------------------------------------------------------------------------


def _join_outlines(pdf: pikepdf.Pdf, parts: Sequence[object]) -> None:
    """The parts' bookmarks, in order, under the first part's outline root;
    levels are kept (only the top-level items are relinked) and the root's
    /Count is the sum of the parts' (the items visible when opened)."""
    items: list[Dictionary] = []
    count = 0
    for outline in parts:
        if not isinstance(outline, Dictionary):
            continue
        item = outline.get("/First")
        seen: set[tuple[int, int]] = set()
        while isinstance(item, Dictionary) and item.objgen not in seen:
            seen.add(item.objgen)
            items.append(item)
            item = item.get("/Next")
        c = outline.get("/Count", 0)
        count += int(c) if isinstance(c, int) and c > 0 else 0
    if not items:
        return
    root = pdf.Root.get("/Outlines")
    if not isinstance(root, Dictionary):
        root = pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    for prev, item in zip([None, *items], items, strict=False):
        item.Parent = root
        if prev is None:
            if "/Prev" in item:
                del item["/Prev"]
        else:
            item.Prev = prev
            prev.Next = item
    if "/Next" in items[-1]:
        del items[-1]["/Next"]
    root.First = items[0]
    root.Last = items[-1]
    root.Count = count
