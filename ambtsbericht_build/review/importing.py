"""``abuild review import``: a reviewer's comments and tracked changes in a
DOCX abuild rendered, each placed on the source line it came from.

An item's anchor (``ab_<file>_<line>_<column>``) names the chapter file
(by its number in the DOCX's ``abuild-source-<n>`` properties) and the line
of the block it sits in; the item's own text is then looked for in the
chapter from that line on, to give the line and column of the sentence
(in a note: the footnote definition's). Where the reviewer deleted the
anchor with its block, or the chapter changed since the DOCX was made
(its SHA-256 differs), the item is found by its text alone and says so.
Items in the annexes map to sources.yaml (an entry by its id), glossary.yaml
(an abbreviation) and tor.yaml (a question by its number).

Nothing is fetched, and only files inside the report directory are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..render.formats.docx_anchors import FILE_PROPERTY, REPORT_PROPERTY, file_digest, parse_bookmark
from .docx_package import DocxRefused, Package
from .docx_review import DELETION, INSERTION, ReviewItem, review_items

# the largest source file read (the render's own limit for a chapter is 5 MB)
MAX_SOURCE = 8 * 1024 * 1024
# words of an item's text that are looked for: enough to be unique in a
# chapter, few enough that a reviewer's edit nearby does not break the match
_WORDS = 8
_CONTEXT_WORDS = 5
# what may stand between two words in Markdown: punctuation and spaces,
# a link's target, a citation or note call, an attribute block
_BETWEEN = r"(?:[\W_]|\]\([^)\n]*\)|\[[@^][^\]\n]*\]|\{[^}\n]*\})+"
# typesetting adds these to the words (soft hyphens, zero-width spaces, word joiners)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass
class Placed:
    item: ReviewItem
    file: Path
    line: int
    column: int
    how: str  # "" when placed by its anchor; else why and how it was matched


@dataclass
class _Source:
    rel: str
    path: Path
    text: str
    changed: bool


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.translate(_INVISIBLE))


def _find(text: str, words: list[str], start: int = 0) -> re.Match[str] | None:
    if not words:
        return None
    pattern = re.compile(r"(?<!\w)" + _BETWEEN.join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)
    return pattern.search(text, start) or pattern.search(text)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def _locate(item: ReviewItem, text: str, start: int) -> int | None:
    """Where in ``text`` (from ``start`` on) the item is: a comment at its
    anchored text, a deletion at the deleted text, an insertion after the
    words before it (or before the words after it)."""
    if item.note:
        # the note's definition first (its paragraph), then the item within it
        note = _find(text, _words(item.paragraph)[:_WORDS], 0)
        if note is None:
            return None
        start = note.start()
    if item.kind == INSERTION:
        before = _words(item.before)[-_CONTEXT_WORDS:]
        m = _find(text, before, start)
        if m:
            return m.end()
        after = _words(item.paragraph[len(item.before) :])[:_CONTEXT_WORDS]
        m = _find(text, after, start)
        return m.start() if m else start if item.note else None
    query = item.text if item.kind == DELETION else item.anchored
    m = _find(text, _words(query)[:_WORDS], start)
    if m is None:
        m = _find(text, _words(item.paragraph)[:_WORDS], start)
    return m.start() if m else start if item.note else None


def _annex(item: ReviewItem, report: Path) -> Placed | None:
    """An item in a generated annex, at its entry in the YAML it comes from."""
    region, words = item.region, _words(item.paragraph)
    if region.startswith("ref-"):
        name, pattern = "sources.yaml", r"^\s*-?\s*id:\s*['\"]?" + re.escape(region[4:]) + r"['\"]?\s*$"
    elif region in ("bijlage-afkortingen", "tbl-afkortingen") and words:
        name, pattern = "glossary.yaml", r"^['\"]?" + re.escape(words[0]) + r"['\"]?\s*:"
    elif (region == "bijlage-tor" or region.startswith("tor-thema-")) and re.match(r"\d+(\.\d+)*", item.paragraph):
        qid = re.match(r"\d+(?:\.\d+)*", item.paragraph)
        name, pattern = "tor.yaml", r"^\s*-?\s*id:\s*['\"]?" + re.escape(qid[0] if qid else "") + r"['\"]?\s*$"
    else:
        return None
    path = report / name
    text = _read(path, report)
    m = re.search(pattern, text or "", re.MULTILINE)
    if text is None or m is None:
        return None
    line, _ = _position(text, m.start())
    return Placed(item, path, line, len(m[0]) - len(m[0].lstrip()) + 1, "")


def _read(path: Path, report: Path) -> str | None:
    try:
        real = path.resolve()
        if not real.is_relative_to(report.resolve()) or not real.is_file() or real.stat().st_size > MAX_SOURCE:
            return None
        return real.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _sources(props: dict[str, str], report: Path) -> dict[int, _Source]:
    out: dict[int, _Source] = {}
    for key, value in props.items():
        if not key.startswith(FILE_PROPERTY) or not key[len(FILE_PROPERTY) :].isdigit():
            continue
        rel, _, digest = value.rpartition(" ")
        path = report / rel
        text = _read(path, report)
        if rel and text is not None:
            out[int(key[len(FILE_PROPERTY) :])] = _Source(rel, path, text, file_digest(text) != digest)
    return out


def _place(item: ReviewItem, sources: dict[int, _Source], report: Path) -> Placed:
    mark = parse_bookmark(item.anchor) if item.anchor else None
    src = sources.get(mark[0]) if mark else None
    if mark and src:
        start = 0 if src.changed else _offset(src.text, mark[1])
        at = _locate(item, src.text, start)
        how = f"{src.rel} changed since the DOCX was made: matched by text" if src.changed else ""
        if at is None:
            return Placed(item, src.path, mark[1], mark[2], how or "its text is not in the source: the block's line")
        return Placed(item, src.path, *_position(src.text, at), how)
    annex = _annex(item, report)
    if annex:
        return annex
    for src in sources.values():
        at = _locate(item, src.text, 0)
        if at is not None:
            return Placed(item, src.path, *_position(src.text, at), "its anchor was deleted: matched by text")
    return Placed(item, report / "report.yaml", 0, 0, "not found in the source (its anchor was deleted)")


def import_review(docx: Path, report: Path | None) -> tuple[Path, list[Placed]]:
    """The report directory and every item of ``docx`` placed; raises
    :class:`DocxRefused` for a file that is not an abuild DOCX of that report."""
    with Package(docx) as pkg:
        if not pkg.has("word/document.xml"):
            raise DocxRefused(f"{docx}: not a Word document (no word/document.xml)")
        props = pkg.custom_properties()
        slug = props.get(REPORT_PROPERTY, "")
        if not slug:
            raise DocxRefused(
                f"{docx}: not made by abuild (it has no {REPORT_PROPERTY} property);"
                " import the DOCX that `abuild render` wrote and the reviewer returned"
            )
        items = review_items(pkg)  # a hostile part is refused before the report is looked at
        if report is None:
            report = Path("reports") / slug
        if report.resolve().name != slug:
            raise DocxRefused(f"{docx}: made from report '{slug}', not from {report}; it is not imported")
        if not (report / "report.yaml").is_file():
            raise DocxRefused(f"{docx}: made from report '{slug}', but {report} has no report.yaml")
    sources = _sources(props, report)
    return report, [_place(it, sources, report) for it in items]
