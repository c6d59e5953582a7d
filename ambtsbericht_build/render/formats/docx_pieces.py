"""pandoc's DOCX of the body a chapter at a time, so that after an edit only
the changed chapter goes through pandoc.

The body is cut into pieces at its level-1 headings (a chapter or an annex
each; the blocks before the first, if any, are a piece of their own).
pandoc's DOCX writer writes a piece the same whatever surrounds it, but for
what it numbers through the whole document: one counter for bookmark ids,
note ids, drawing ids (``wp:docPr``) and relationship ids (``rId``, which
also name the images, ``media/rId342.png``), list numbers (``w:numId``) and
the styles a custom style adds to ``styles.xml``. So each render is one
pandoc run on the pieces the cache (cache/docx_parts.py) does not hold,
each after a marker (an XML comment with a token of this render's), and
then :func:`join` builds the package from all pieces in one canonical pass:
each piece's ids are numbered afresh, in document order, and the numbering,
styles, relationships and images are made from what the pieces use. A
render without a cache takes the same path with every piece missing, so
the DOCX is byte for byte the same with and without it (tests/cache/).

Anything in a piece whose numbering this module does not renumber (tracked
changes, comments, an image in a note, raw markup with ids of its own)
makes the render give up the pieces: one pandoc run on the whole document,
its package as pandoc wrote it, nothing kept. Every render of that
document takes that way, so the two are the same again.

Measured on the benchmark report (931 blocks, 960 notes, 16 pieces): the
whole document's pandoc run takes ~0.8 s of CPU, one chapter's ~0.15 s.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...cache.docx_parts import DocxPartCache

# a level-1 heading's JSON text (json.dumps escapes a quote in a string: no
# drafter's text starts like this)
H1 = '{"t": "Header", "c": [1, '
FORMAT = 1

# what pandoc numbers with its one counter: bookmarks, notes, drawings, relationships
# (one group for what precedes the number: a third of the CPU of one group
# each, 0.010 s instead of 0.036 s a pass over the benchmark's markup)
_ID = re.compile(
    r'(<w:(?:bookmarkStart|bookmarkEnd|footnoteReference|footnote) w:id="'
    r'|<(?:wp:docPr|pic:cNvPr)\b[^<>]*?\sid="'
    r'| r:(?:id|embed)="rId)(\d+)"'
)
_NUM_ID = re.compile(r'(<w:numId w:val=")(\d+)(")')
_STYLE_REF = re.compile(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]*)"')
_NOTE = re.compile(r'<w:footnote w:id="(\d+)">.*?</w:footnote>', re.S)
_NOTE_REF = re.compile(r'<w:footnoteReference w:id="(\d+)"')
_REL = re.compile(r"<Relationship\b[^>]*>")
_REL_ID = re.compile(r'\bId="rId(\d+)"')
_TARGET = re.compile(r'\bTarget="([^"]*)"')
_NUM = re.compile(r'<w:num w:numId="(\d+)">.*?</w:num>', re.S)
_ABSTRACT = re.compile(r'<w:abstractNum w:abstractNumId="(\d+)">.*?</w:abstractNum>', re.S)
_ABSTRACT_REF = re.compile(r'<w:abstractNumId w:val="(\d+)"')
_STYLE = re.compile(r'<w:style\b[^>]*\bw:styleId="([^"]*)"[^>]*>.*?</w:style>', re.S)
_STYLE_ID = re.compile(r'<w:style\b[^>]*\bw:styleId="([^"]*)"')
_OVERRIDE = re.compile(r'<Override PartName="/(word/media/[^"]*)" ContentType="([^"]*)"\s*/>')
# every numeric id: each must be one :data:`_ID` renumbers; a named one
# (the reference document's "rIdAbuildFooter1") is no counter's
_ANY_ID = re.compile(r'(?:id|embed|link|pict)="(?:rId)?-?\d+"')
# what pandoc numbers that this module does not: tracked changes, comments, endnotes
_UNSPLITTABLE = re.compile(r"<w:(?:ins|del|moveFrom|moveTo|comment\w*|endnote\w*)\b")
# the styles pandoc's DOCX writer adds to every document (syntax highlighting)
_ALWAYS = re.compile(r"SourceCode|[A-Za-z]+Tok")


class Unsplittable(Exception):
    """A piece holds something :func:`join` cannot renumber."""


@dataclass
class Piece:
    """One piece as pandoc wrote it, with pandoc's ids of the run it came from."""

    body: str
    notes: list[str] = field(default_factory=list)
    rels: list[list[Any]] = field(default_factory=list)  # [rId number, <Relationship .../>]
    media: list[list[str]] = field(default_factory=list)  # [part name, content type, base64]
    nums: list[list[Any]] = field(default_factory=list)  # [numId, <w:num>...</w:num>]
    abstracts: list[list[Any]] = field(default_factory=list)  # [abstractNumId, <w:abstractNum>...]
    styles: list[list[str]] = field(default_factory=list)  # [styleId, <w:style>...</w:style>]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}

    @classmethod
    def from_json(cls, rec: Any) -> Piece | None:
        """A kept piece, or None for anything that is not one."""
        if not isinstance(rec, dict) or rec.get("format") != FORMAT or not isinstance(rec.get("body"), str):
            return None
        try:
            piece = cls(
                rec["body"],
                _strs(rec["notes"]),
                [[_int(r[0]), _str(r[1])] for r in _pairs(rec["rels"], 2)],
                [[_str(m[0]), _str(m[1]), _str(m[2])] for m in _pairs(rec["media"], 3)],
                [[_int(n[0]), _str(n[1])] for n in _pairs(rec["nums"], 2)],
                [[_int(a[0]), _str(a[1])] for a in _pairs(rec["abstracts"], 2)],
                [[_str(s[0]), _str(s[1])] for s in _pairs(rec["styles"], 2)],
            )
            for _name, _type, data in piece.media:
                base64.b64decode(data, validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            return None
        return piece


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("not a string")
    return v


def _int(v: Any) -> int:
    if type(v) is not int or v < 0:
        raise TypeError("not a number")
    return v


def _strs(v: Any) -> list[str]:
    if not isinstance(v, list):
        raise TypeError("not a list")
    return [_str(s) for s in v]


def _pairs(v: Any, n: int) -> list[list[Any]]:
    if not isinstance(v, list) or not all(isinstance(x, list) and len(x) == n for x in v):
        raise TypeError("not a list of records")
    return v


def boundaries(texts: list[str]) -> list[int]:
    """Where each piece starts, by block index: 0, and each level-1 heading's."""
    starts = [i for i, t in enumerate(texts) if i and t.startswith(H1)]
    return [0, *starts] if texts else []


def piece_key(cache: DocxPartCache, texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        b = t.encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(b))
        h.update(b)
    return cache.key(h.digest())


# --- one pandoc run -----------------------------------------------------------------------------


def marked_document(head_text: str, pieces: list[list[str]], token: str) -> str:
    """The document pandoc is given: each piece in a Div of its own (pandoc's
    DOCX writer makes a heading's bookmark span its section, which would
    otherwise end at the next piece's heading, past the marker), after a
    marker; a marker after the last."""
    mark = json.dumps({"t": "RawBlock", "c": ["openxml", f"<!--abuild-piece-{token}-->"]})
    blocks = [b for piece in pieces for b in (mark, '{"t": "Div", "c": [["", [], []], [' + ",\n".join(piece) + "]]}")]
    return head_text[:-1] + ', "blocks": [' + ",\n".join([*blocks, mark]) + "]}"


def read_package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def _text(entries: dict[str, bytes], name: str) -> str:
    return entries[name].decode("utf-8") if name in entries else ""


def cut(
    entries: dict[str, bytes], token: str, count: int, reference_styles: set[str], kept_styles: set[str]
) -> list[Piece]:
    """The run's document as [head, piece, ..., piece, tail] (``count``
    pieces), each with what it uses; :class:`Unsplittable` if a piece holds
    something :func:`join` cannot renumber. ``kept_styles``: the styles the
    pieces from the cache use."""
    parts = _text(entries, "word/document.xml").split(f"<!--abuild-piece-{token}-->")
    if len(parts) != count + 2:
        raise Unsplittable(f"{len(parts) - 2} markers for {count} pieces")
    notes = {m.group(1): m.group(0) for m in _NOTE.finditer(_text(entries, "word/footnotes.xml"))}
    rels = {
        int(i.group(1)): r
        for r in _REL.findall(_text(entries, "word/_rels/document.xml.rels"))
        for i in [_REL_ID.search(r)]
        if i
    }
    note_rels = _text(entries, "word/_rels/footnotes.xml.rels")
    for r in _REL.findall(note_rels):
        i = _REL_ID.search(r)
        if i:
            rels.setdefault(int(i.group(1)), r)
    types = dict((name, ctype) for name, ctype in _OVERRIDE.findall(_text(entries, "[Content_Types].xml")))
    numbering = _text(entries, "word/numbering.xml")
    nums = {int(m.group(1)): m.group(0) for m in _NUM.finditer(numbering)}
    abstracts = {int(m.group(1)): m.group(0) for m in _ABSTRACT.finditer(numbering)}
    styles = {m.group(1): m.group(0) for m in _STYLE.finditer(_text(entries, "word/styles.xml"))}
    out: list[Piece] = []
    used_styles = set(kept_styles)
    for body in parts:
        piece = Piece(body, [notes[i] for i in _NOTE_REF.findall(body) if i in notes])
        text = body + "".join(piece.notes)
        if any("r:embed=" in n for n in piece.notes):
            raise Unsplittable("an image in a note")
        for number in _check(text):
            rel = rels.get(number)
            if rel is None:
                raise Unsplittable(f"no relationship rId{number}")
            piece.rels.append([number, rel])
            target = _TARGET.search(rel)
            if target and target.group(1).startswith("media/"):
                name = "word/" + target.group(1)
                if name not in entries or name not in types:
                    raise Unsplittable(f"no image {name}")
                piece.media.append([name, types[name], base64.b64encode(entries[name]).decode("ascii")])
        seen_nums = list(dict.fromkeys(int(m.group(2)) for m in _NUM_ID.finditer(text)))
        for number in seen_nums:
            if number not in nums:
                raise Unsplittable(f"no list numbering {number}")
            piece.nums.append([number, nums[number]])
            for a in _ABSTRACT_REF.findall(nums[number]):
                if int(a) not in abstracts:
                    raise Unsplittable(f"no abstract numbering {a}")
                piece.abstracts.append([int(a), abstracts[int(a)]])
        for sid in sorted(set(_STYLE_REF.findall(text))):
            if sid not in reference_styles and sid in styles:
                piece.styles.append([sid, styles[sid]])
                used_styles.add(sid)
        out.append(piece)
    # what no piece refers to is in a run only with its piece, not from the cache: it goes (test_red2_docx_styles.py)
    if unused := {s for s in styles if s not in reference_styles and s not in used_styles and not _ALWAYS.fullmatch(s)}:
        xml = _STYLE.sub(lambda m: "" if m.group(1) in unused else m.group(0), _text(entries, "word/styles.xml"))
        entries["word/styles.xml"] = xml.encode()
    return out


def _check(text: str) -> list[int]:
    """The relationship ids (numbers) of a piece's markup; :class:`Unsplittable`
    if it holds what pandoc numbers and :func:`join` does not renumber, or a
    bookmark that starts or ends outside it. One pass of :data:`_ID`: on
    the benchmark's 1.7 MB of markup each pass takes ~0.035 s of CPU."""
    if _UNSPLITTABLE.search(text):
        raise Unsplittable("tracked changes, comments or endnotes")
    starts: set[str] = set()
    ends: set[str] = set()
    rids: set[int] = set()
    known = 0
    for prefix, number in _ID.findall(text):
        known += 1
        if prefix.endswith("rId"):
            rids.add(int(number))
        elif prefix == '<w:bookmarkStart w:id="':
            starts.add(number)
        elif prefix == '<w:bookmarkEnd w:id="':
            ends.add(number)
    if starts != ends:
        raise Unsplittable("a bookmark that does not end in its piece")
    if known != len(_ANY_ID.findall(text)):
        raise Unsplittable("an id pandoc's numbering does not account for")
    return sorted(rids)


# --- the package from its pieces ------------------------------------------------------------------


def _renumber(text: str, ids: Callable[[int], int], nums: Callable[[int], int]) -> str:
    # split, not sub with a function: text, prefix, number, text, ... (a
    # third of the CPU on the benchmark's 5,225 ids)
    parts = _ID.split(text)
    parts[2::3] = [f'{ids(int(n))}"' for n in parts[2::3]]
    text = "".join(parts)
    return (
        _NUM_ID.sub(lambda m: f"{m.group(1)}{nums(int(m.group(2)))}{m.group(3)}", text) if "<w:numId" in text else text
    )


def _opened(xml: str, tag: str) -> str:
    """``xml`` whose root element ``tag`` has an end tag (pandoc writes an
    empty one as ``<tag ... />``, which nothing can be added to)."""
    if f"</{tag}>" in xml:
        return xml
    return re.sub(rf"<{tag}\b([^>]*?)\s*/>", lambda m: f"<{tag}{m.group(1)}></{tag}>", xml, count=1)


def join(entries: dict[str, bytes], run: list[Piece], pieces: list[Piece]) -> None:
    """``entries`` (the run's package, whose document :func:`cut` gave
    ``run``) with the document made of ``pieces`` ([head, pieces..., tail],
    from this run or kept), its ids numbered in document order."""
    owned_rels = {r[0] for p in run for r in p.rels}
    owned_nums = {n[0] for p in run for n in p.nums}
    doc_rels = _opened(_text(entries, "word/_rels/document.xml.rels"), "Relationships")
    fixed = [int(i) for r in _REL.findall(doc_rels) for i in _REL_ID.findall(r) if int(i) not in owned_rels]
    numbering = _opened(_text(entries, "word/numbering.xml"), "w:numbering")
    listed = {int(m.group(1)): m.group(0) for m in _NUM.finditer(numbering)}  # pandoc's first: its no-marker list
    base_nums = [(n, listed[n]) for n in sorted(listed)[:1] if n not in owned_nums]  # not a list of empty items (cut)
    next_id = max(fixed, default=0) + 1
    next_num = max((n for n, _ in base_nums), default=999) + 1
    body: list[str] = []
    notes: list[str] = []
    rels: list[str] = []
    media: list[tuple[str, str, bytes]] = []
    nums: list[str] = []
    abstracts: dict[int, str] = {}
    styles: dict[str, str] = {}
    for piece in pieces:
        ids: dict[int, int] = {}
        numbers: dict[int, int] = {}

        def new_id(old: int, ids: dict[int, int] = ids) -> int:
            nonlocal next_id
            if old not in ids:
                ids[old] = next_id
                next_id += 1
            return ids[old]

        def new_num(old: int, numbers: dict[int, int] = numbers) -> int:
            nonlocal next_num
            if old not in numbers:
                numbers[old] = next_num
                next_num += 1
            return numbers[old]

        body.append(_renumber(piece.body, new_id, new_num))
        notes += [_renumber(n, new_id, new_num) for n in piece.notes]
        kept_media = {m[0]: m for m in piece.media}
        for old, rel in piece.rels:
            new = new_id(old)
            rel = rel.replace(f'Id="rId{old}"', f'Id="rId{new}"')
            target = _TARGET.search(rel)
            if target and target.group(1).startswith("media/"):
                name = "word/" + target.group(1)
                renamed = re.sub(r"rId\d+(?=\.[A-Za-z0-9]+$|$)", f"rId{new}", target.group(1), count=1)
                rel = rel.replace(f'Target="{target.group(1)}"', f'Target="{renamed}"')
                m = kept_media.get(name)
                if m is not None:
                    media.append(("word/" + renamed, m[1], base64.b64decode(m[2])))
            rels.append(rel)
        for old, num in piece.nums:
            nums.append(num.replace(f'w:numId="{old}"', f'w:numId="{new_num(old)}"', 1))
        for a, element in piece.abstracts:
            abstracts.setdefault(a, element)
        for sid, element in piece.styles:
            styles.setdefault(sid, element)
    entries["word/document.xml"] = "".join(body).encode("utf-8")
    # notes: the run's separators, then every piece's notes
    footnotes = _NOTE.sub("", _text(entries, "word/footnotes.xml"))
    entries["word/footnotes.xml"] = footnotes.replace("</w:footnotes>", "".join(notes) + "</w:footnotes>").encode()

    # relationships: the run's own (styles, numbering, ...), then the pieces'
    def without_owned(xml: str) -> str:
        return _REL.sub(
            lambda m: "" if (i := _REL_ID.search(m.group(0))) and int(i.group(1)) in owned_rels else m.group(0), xml
        )

    entries["word/_rels/document.xml.rels"] = (
        without_owned(doc_rels).replace("</Relationships>", "".join(rels) + "</Relationships>").encode()
    )
    if "word/_rels/footnotes.xml.rels" in entries:
        links = "".join(r for r in rels if "/hyperlink" in r)
        entries["word/_rels/footnotes.xml.rels"] = (
            without_owned(_opened(_text(entries, "word/_rels/footnotes.xml.rels"), "Relationships"))
            .replace("</Relationships>", links + "</Relationships>")
            .encode()
        )
    # images: the pieces', named by their new ids (the run's own, for the
    # pieces of this run, go; any other, a reference document's, stays)
    types = _text(entries, "[Content_Types].xml")
    owned_media = {m[0] for p in run for m in p.media}
    for name in owned_media:
        entries.pop(name, None)
    types = _OVERRIDE.sub(lambda m: "" if m.group(1) in owned_media else m.group(0), types)
    types = types.replace(
        "</Types>", "".join(f'<Override PartName="/{n}" ContentType="{t}" />' for n, t, _ in media) + "</Types>"
    )
    entries["[Content_Types].xml"] = types.encode()
    for name, _type, data in media:
        entries[name] = data
    # lists: every abstract numbering used, the run's own lists, the pieces'
    if numbering:
        for _n, element in base_nums:
            for a in _ABSTRACT_REF.findall(element):
                found = re.search(rf'<w:abstractNum w:abstractNumId="{a}">.*?</w:abstractNum>', numbering, re.S)
                if found:
                    abstracts.setdefault(int(a), found.group(0))
        opening = re.search(r"<w:numbering\b[^>]*>", numbering)
        start = opening.end() if opening else 0
        entries["word/numbering.xml"] = (
            numbering[:start]
            + "".join(abstracts[a] for a in sorted(abstracts))
            + "".join(e for _, e in base_nums)
            + "".join(nums)
            + "</w:numbering>"
        ).encode()
    # styles: the reference document's and pandoc's own, then those the pieces added
    if styles:
        xml = _STYLE.sub(lambda m: "" if m.group(1) in styles else m.group(0), _text(entries, "word/styles.xml"))
        xml = xml.replace("</w:styles>", "".join(styles[s] for s in sorted(styles)) + "</w:styles>")
        entries["word/styles.xml"] = xml.encode()


def reference_styles(path: Path) -> set[str]:
    """The style ids of the reference document's styles.xml."""
    with zipfile.ZipFile(path) as z:
        try:
            xml = z.read("word/styles.xml").decode("utf-8")
        except KeyError:
            return set()
    return set(_STYLE_ID.findall(xml))


def new_token() -> str:
    return secrets.token_hex(16)
