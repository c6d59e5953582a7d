"""The comments and tracked changes in a returned DOCX, each with the anchor
it sits in (``ab_<file>_<line>_<column>``, render/formats/docx_anchors.py).

The body (``word/document.xml``) and the notes (``word/footnotes.xml``)
are walked in document order, keeping which anchor bookmarks are open and
the text of the current paragraph as the source has it (deleted text in,
inserted text out): that text before and after an item is what the import
looks for in the chapter to find its line and column. A comment in a note,
or a change there, takes the anchor of the note's call in the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .docx_package import Package, W

COMMENT, INSERTION, DELETION = "comment", "insertion", "deletion"


@dataclass
class ReviewItem:
    kind: str  # comment | insertion | deletion
    author: str
    date: str
    text: str  # the comment, or the inserted or deleted text
    anchored: str = ""  # a comment: the text it is anchored to
    anchor: str = ""  # the enclosing anchor bookmark ("" when the reviewer deleted it)
    region: str = ""  # the last other bookmark before it (a heading's id, "ref-<source>")
    before: str = ""  # the paragraph's text before the item
    paragraph: str = ""  # the whole paragraph, as the source has it
    note: str = ""  # the footnote's id when the item is in a note
    order: tuple[int, int] = (0, 0)  # (part, position): the order of the document


@dataclass
class _Walk:
    part: int
    note: str = ""
    marks: dict[str, str] = field(default_factory=dict)  # open anchor bookmarks: id -> name
    region: str = ""
    para: list[str] = field(default_factory=list)
    para_items: list[ReviewItem] = field(default_factory=list)
    ranges: dict[str, ReviewItem] = field(default_factory=dict)  # open comment ranges
    items: list[ReviewItem] = field(default_factory=list)
    comments: dict[str, ReviewItem] = field(default_factory=dict)
    calls: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # note id -> anchor, region, before, para
    count: int = 0

    def anchor(self) -> str:
        return next(reversed(self.marks.values()), "")

    def item(self, kind: str, author: str, date: str, text: str) -> ReviewItem:
        self.count += 1
        it = ReviewItem(kind, author, date, text, anchor=self.anchor(), region=self.region, note=self.note)
        it.before, it.order = "".join(self.para), (self.part, self.count)
        self.para_items.append(it)
        return it

    def visit(self, el: ET.Element, *, inserted: bool = False, in_props: bool = False) -> None:
        tag = el.tag
        if tag == f"{W}p":
            outer, outer_items = self.para, self.para_items
            self.para, self.para_items = [], []
            for child in el:
                self.visit(child, inserted=inserted)
            text = "".join(self.para)
            for it in self.para_items:
                it.paragraph = text
            self.para, self.para_items = outer, outer_items
            return
        if tag == f"{W}bookmarkStart":
            name = el.get(f"{W}name") or ""
            if name.startswith("ab_"):
                self.marks[el.get(f"{W}id") or name] = name
            elif not name.startswith("_"):
                self.region = name
        elif tag == f"{W}bookmarkEnd":
            self.marks.pop(el.get(f"{W}id") or "", None)
        elif tag in (f"{W}commentRangeStart", f"{W}commentReference"):
            cid = el.get(f"{W}id") or ""
            if cid not in self.comments:
                self.comments[cid] = self.ranges[cid] = self.item(COMMENT, "", "", "")
        elif tag == f"{W}commentRangeEnd":
            self.ranges.pop(el.get(f"{W}id") or "", None)
        elif tag in (f"{W}t", f"{W}delText"):
            text = el.text or ""
            for it in self.ranges.values():
                it.anchored += text
            if not inserted:
                self.para.append(text)
        elif tag in (f"{W}ins", f"{W}del") and not in_props:
            deleted = tag == f"{W}del"
            text = "".join(t.text or "" for t in el.iter(f"{W}delText" if deleted else f"{W}t"))
            if text:
                kind = DELETION if deleted else INSERTION
                self.items.append(self.item(kind, el.get(f"{W}author") or "", el.get(f"{W}date") or "", text))
            for child in el:
                self.visit(child, inserted=inserted or not deleted)
            return
        elif tag == f"{W}footnoteReference":
            self.calls[el.get(f"{W}id") or ""] = (self.anchor(), self.region, "".join(self.para), "")
        for child in el:
            self.visit(child, inserted=inserted, in_props=in_props or tag in (f"{W}rPr", f"{W}pPr"))


def _comment_texts(pkg: Package, name: str) -> dict[str, tuple[str, str, str]]:
    if not pkg.has(name):
        return {}
    out = {}
    for c in pkg.xml(name).iter(f"{W}comment"):
        paras = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p")]
        out[c.get(f"{W}id") or ""] = (c.get(f"{W}author") or "", c.get(f"{W}date") or "", "\n".join(paras).strip())
    return out


def review_items(pkg: Package) -> list[ReviewItem]:
    """Every comment and tracked insertion or deletion, in document order (notes after the body)."""
    body = _Walk(0)
    body.visit(pkg.xml("word/document.xml"))
    walks = [body]
    if pkg.has("word/footnotes.xml"):
        for note in pkg.xml("word/footnotes.xml").iter(f"{W}footnote"):
            nid = note.get(f"{W}id") or ""
            walk = _Walk(1 + len(walks), note=nid, comments=body.comments)
            walk.visit(note)
            anchor, region, before, _ = body.calls.get(nid, ("", "", "", ""))
            for it in walk.items + [c for c in walk.comments.values() if c.note == nid]:
                it.anchor, it.region = anchor, region
            walks.append(walk)
    texts = _comment_texts(pkg, "word/comments.xml")
    items: list[ReviewItem] = []
    for walk in walks:
        items += walk.items
    for cid, it in body.comments.items():
        author, date, text = texts.get(cid, ("", "", ""))
        it.author, it.date, it.text = author, date, text
        items.append(it)
    items.sort(key=lambda it: it.order)
    return items
