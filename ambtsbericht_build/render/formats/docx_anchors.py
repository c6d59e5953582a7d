"""Stable, invisible anchors in the DOCX, so that ``abuild review import``
can map a reviewer's comment or tracked change back to its source.

In the main process (:func:`source_anchors`), every top-level block of the
resolved document that comes from a chapter is placed on the scanner's
blocks of that chapter (the checker's positions, :mod:`...load.markdown`)
by its letters and digits, in document order, the way the checker aligns
pandoc's units (``pandoc_align.py``). The result travels to the DOCX writer
in :class:`..facts.RenderFacts` (``anchors``); there only
(:func:`anchor_blocks`), each placed block is wrapped in a Div whose id
pandoc's DOCX writer turns into a Word bookmark around the block:
``ab_<file>_<line>_<column>``: at most 5 + 3 x 6 characters for a chapter
of 999 999 lines, under Word's limit of 40; a letter first, as Word
requires (pandoc replaces an id that Word would refuse, one starting with
an underscore, by a hash). Word and LibreOffice keep bookmarks through
editing; a bookmark deleted with its text is the reviewer's, and the
import then matches by text. HTML, PDF and ODT never see the anchors.

The custom properties (:func:`anchor_properties`, ``docProps/custom.xml``,
which Word and LibreOffice keep) say which report it is and which chapter
file ``<file>`` is, with the SHA-256 of the text the DOCX was made from:
a DOCX of another report is refused, a chapter edited since is said.
Each property value stays under Word's 255 characters for a text property.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import TYPE_CHECKING, Any

from .. import ast as A
from ..ast import Node
from ..facts import SourceAnchors

if TYPE_CHECKING:
    from ...load import LoadedReport
    from ..document import Document
    from ..facts import RenderFacts

PREFIX = "ab_"
REPORT_PROPERTY = "abuild-report"
FILE_PROPERTY = "abuild-source-"  # + the file's number
# a block's first letters and digits that must agree with a scanner block's
_PREFIX_LEN = 20
# a scanner block shorter than this is not taken as part of a block by its letters alone
_MIN_INSIDE = 8
# how far ahead of the last placed scanner block a block is looked for: a
# block the scanner does not have (none should) costs at most this many
# comparisons, and never skips a chapter's worth of blocks
_WINDOW = 60
# the fuzzy comparison: the first 80 letters, three quarters of them in
# common (a filled-in "tabel 2" or a formatted citation changes a few)
_FUZZY_LEN = 80
_FUZZY_RATIO = 0.75
# characters of a block's text read for the comparison: twice the fuzzy
# length, as markup-free text has a space or punctuation every few letters
_READ = 2 * _FUZZY_LEN
# blocks that hold blocks: the scanner's blocks inside them are passed over
_CONTAINERS = {"BulletList", "OrderedList", "Div", "BlockQuote", "Figure"}


def bookmark(file_no: int, line: int, column: int) -> str:
    return f"{PREFIX}{file_no}_{line}_{column}"


def parse_bookmark(name: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(re.escape(PREFIX) + r"(\d{1,6})_(\d{1,7})_(\d{1,6})", name)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def file_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def signature(text: str) -> str:
    """The letters and digits the checker compares (pandoc_units.signature), casefolded."""
    from ...load.markdown.pandoc_units import signature as letters

    return letters(text).casefold()


class _Enough(Exception):
    """The text read so far is all the comparison needs."""


def _text(node: Any, out: list[str], budget: list[int]) -> None:
    """The text a reader sees in a block, without notes and without the
    numbers abuild adds (section numbers, "Figuur 1:"), table captions left
    out (the scanner has them as blocks of their own); stops (:class:`_Enough`)
    once ``budget[0]`` characters are read."""
    if isinstance(node, list):
        for n in node:
            _text(n, out, budget)
        return
    if not isinstance(node, dict) or "t" not in node:
        return
    t = node["t"]
    if t == "Note":
        return
    if t == "Str":
        out.append(node["c"])
        budget[0] -= len(node["c"])
        if budget[0] <= 0:
            raise _Enough
    elif t == "Span" and {"header-section-number", "caption-label"} & set(node["c"][0][1]):
        return
    elif t == "Table":
        _text(node["c"][3:], out, budget)  # head, bodies, foot: not the caption
    elif t == "Header":
        _text(node["c"][2], out, budget)
    elif "c" in node:
        _text(node["c"], out, budget)


def block_signature(block: Node) -> str:
    """The block's letters and digits: all of a list's or a div's (the
    scanner's blocks inside it are looked for in them), the first
    :data:`_READ` characters of any other block (what :func:`_agrees`
    compares; reading all of them took 1.0 of the 1.4 s this module spent
    on the benchmark report under a profiler)."""
    out: list[str] = []
    try:
        _text(block, out, [1 << 62 if block.get("t") in _CONTAINERS else _READ])
    except _Enough:
        pass
    return signature(" ".join(out))


def _agrees(doc_sig: str, src_sig: str) -> bool:
    if not doc_sig or not src_sig:
        return False
    n = min(_PREFIX_LEN, len(doc_sig), len(src_sig))
    if doc_sig[:n] == src_sig[:n]:
        return True
    # an empty cross-reference filled in ("tabel 2"), a citation key the
    # scanner reads and the render formats: most letters still agree
    if min(len(doc_sig), len(src_sig)) < _PREFIX_LEN:
        return False
    a, b = doc_sig[:_FUZZY_LEN], src_sig[:_FUZZY_LEN]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= _FUZZY_RATIO


def _inside(src: tuple[int, int, int, str], no: int, doc_sig: str) -> bool:
    """A scanner block that is part of this block (a list item, a paragraph in a div)."""
    return src[0] == no and len(src[3]) >= _MIN_INSIDE and src[3][:_PREFIX_LEN] in doc_sig


def source_anchors(lr: LoadedReport, doc: Document) -> SourceAnchors:
    """Place the document's top-level blocks on their chapters' lines."""
    from ...load.markdown.pandoc_align import block_signature as scanner_signature

    files: list[str] = []
    scanner: list[tuple[int, int, int, str]] = []  # (file number, line, column, signature)
    for no, lc in enumerate(lr.chapters):
        try:
            rel = lc.file.resolve().relative_to(lr.dir.resolve()).as_posix()
        except ValueError:
            rel = lc.file.name
        files.append(f"{rel} {file_digest(lc.chapter.text)}")
        for b in lc.chapter.blocks:
            if b.note is None and b.kind not in ("unread", "raw", "hr"):
                scanner.append((no, b.line, b.column, signature(scanner_signature(b))))
    placed: list[list[int]] = []
    pos = 0
    for index, block in enumerate(doc.pandoc["blocks"]):
        if pos >= len(scanner):
            break
        sig = block_signature(block)
        for j in range(pos, min(pos + _WINDOW, len(scanner))):
            no, line, column, src = scanner[j]
            if _agrees(sig, src):
                placed.append([index, no, line, column])
                pos = j + 1
                # a list's items, a div's paragraphs: the scanner's blocks inside this one
                while block["t"] in _CONTAINERS and pos < len(scanner) and _inside(scanner[pos], no, sig):
                    pos += 1
                break
    return SourceAnchors(lr.slug, files, placed)


def anchor_names(facts: RenderFacts, count: int) -> dict[int, list[str]]:
    """The bookmark ids to wrap each of ``count`` blocks in, innermost first."""
    names: dict[int, list[str]] = {}
    seen: set[str] = set()
    for index, no, line, column in facts.anchors.blocks:
        name = bookmark(no, line, column)
        if 0 <= index < count and name not in seen:
            seen.add(name)
            names.setdefault(index, []).append(name)
    return names


def anchor_blocks(doc: dict[str, Any], facts: RenderFacts) -> dict[str, Any]:
    """Wrap each anchored block in a Div with its bookmark's id (DOCX only)."""
    blocks = doc["blocks"]
    for index, names in anchor_names(facts, len(blocks)).items():
        for name in names:
            blocks[index] = A.Div([blocks[index]], name, [])
    return doc


def anchor_properties(facts: RenderFacts) -> list[tuple[str, str]]:
    """The custom properties that say which report and files the anchors refer to."""
    if not facts.anchors.report:
        return []
    props = [(REPORT_PROPERTY, facts.anchors.report)]
    props += [(f"{FILE_PROPERTY}{no}", entry) for no, entry in enumerate(facts.anchors.files)]
    return props
