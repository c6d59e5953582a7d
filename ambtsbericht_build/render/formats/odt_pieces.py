"""The ODT written a piece at a time: after an edit, only the changed
chapter goes through pandoc; pandoc's output for the others comes from the
cache (cache/odt_parts.py).

pandoc's ODT writer took 1.5-1.8 s of CPU for the benchmark report (70,000
words, 960 notes) on every render, most of it in the opendocument writer and
its garbage collector: after a one-paragraph edit it was the render's long
pole. Here the document is cut into pieces: the cover (title block,
colofon, TOC and whatever precedes the first chapter) and each chapter (a
level-1 heading and what follows it, up to the next one; short chapters ride
with the piece before them, :data:`MIN_PIECE`).

The pieces not in the cache go to pandoc in one run (the whole document on
an empty cache: one run costs what it did before; separate runs cost ~0.08 s
of CPU each before writing a word, 0.8 s more for the benchmark's pieces),
each after a marker, and its ``content.xml`` is cut at the markers. What
pandoc numbers through a run (the automatic styles ``P``/``T``/``L``/
``Table``, the frames ``img``, the notes ``ftn`` and their citations, the
package's ``Pictures/N`` and ``Formula-N/``) is then numbered again within
each piece, in the order the piece's body first names them
(:func:`canonical`), with the styles it uses: a piece is the same whichever
run wrote it and whatever went before it in that run (pandoc's writer
carries nothing else from one chapter to the next: its paragraph state is
reset by the chapter's heading, lists and indents are closed). :func:`join`
numbers the pieces on, each from where the pieces before it ended. A render
with the cache and one without both take this way (pieces, then the join),
so they are byte-identical whichever pieces came from the cache
(tests/cache/test_odt_parts.py).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from ... import tools
from .base import pandoc
from .odt_package import OdtPackageError, q, write_finished

if TYPE_CHECKING:
    from ...cache.odt_parts import OdtPartCache
    from ..facts import RenderFacts

# a level-1 heading's line in the document file (json.dumps's text of a
# top-level block: a quote in a string is escaped, no drafter's text starts so)
CHAPTER_START = '{"t": "Header", "c": [1, '
# a chapter shorter than this (its blocks' JSON text) is a piece with the
# chapter before it: fewer, larger pieces cost less to look up and join
# (the benchmark's 12 chapters and 3 annexes, 0.01-0.54 MB, are 11 pieces
# and the cover). Each chapter decides for itself, so an edit never moves
# the cut between two other chapters
MIN_PIECE = 128 * 1024

# what pandoc numbers through a run, by where the number stands; the family
# of the name (P, T and L count apart), the number
# (each alternative after the literal '="', which re finds fast: as one
# alternation of the attributes, the 1.3 MB of the benchmark's content.xml
# took 0.3 s to scan, 0.02 s so)
_NUMBERED = re.compile(
    r'="(?:(?:(?<=text:style-name=")|(?<=style:name=")|(?<=style:list-style-name=")|(?<=style:parent-style-name="))'
    r'(?P<s>[PTL])(?P<n1>\d+)(?=")'
    r'|(?:(?<=style:name=")|(?<=table:style-name=")|(?<=table:name="))(?P<t>Table)(?P<n2>\d+)(?=[".])'
    r'|(?<=draw:name=")(?P<i>img)(?P<n3>\d+)(?=")'
    r'|(?<=text:id=")(?P<f>ftn)(?P<n4>\d+)(?=")'
    r'|(?<=xlink:href=")(?:\./)?(?P<p>Pictures/|Formula-)(?P<n5>\d+))'
)
# a note's citation, its id + 1
_CITATION = re.compile(r"<text:note-citation>(\d+)(?=</text:note-citation>)")
# the number a family starts from in a pandoc run (a note's citation is its id + 1)
_FIRST = {"P": 1, "T": 1, "L": 1, "Table": 1, "img": 1, "ftn": 0, "part": 0}
_PART = re.compile(r"(Pictures/|Formula-)(\d+)(.*)", re.S)
_AUTOMATIC = re.compile(r"<office:automatic-styles>(.*?)</office:automatic-styles>", re.S)
_STYLE = re.compile(r"<(style:style|text:list-style)\b[^>]*?(?:/>|>.*?</\1>)", re.S)
_NAME = re.compile(r'\bstyle:name="([^"]*)"')
_NUMBERED_NAME = re.compile(r"([PTL]|Table)(\d+)(\.[A-Z]+\d*)?")
_BODY_START, _BODY_END = "<office:text>", "</office:text>"
# pandoc's runtime for the ODT run: the other writers' (tools.PANDOC_RTS).
# Its own -A4m -O512m (no major collection before 512 MB, against -O256m's
# one more, measured on another machine) gained nothing here: 1.61 s of CPU
# against -A4m -O256m's 1.57 s (median of 5, the benchmark report's run
# replayed alone); PANDOC_RTS's -H4k -A1m -AL8m -O256m 1.44 s, 90,000 minor
# faults (94,500 before), 438 MB resident (456 MB). With -O512m added,
# 1.35 s but 121,500 faults and 561 MB resident; -A2m 1.40 s.
ODT_RTS = tools.PANDOC_RTS


def split(lines: Iterable[str]) -> tuple[list[str], list[list[str]]]:
    """The document file's block lines: those before the first piece, and
    each piece's (a chapter, and the short chapters after it: :data:`MIN_PIECE`)."""
    front: list[str] = []
    chapters: list[list[str]] = [front]
    for line in lines:
        if line.startswith(CHAPTER_START):
            chapters.append([])
        chapters[-1].append(line)
    pieces: list[list[str]] = [front]
    for chapter in chapters[1:]:
        if sum(len(t) for t in chapter) >= MIN_PIECE:
            pieces.append(chapter)
        else:
            pieces[-1] += chapter
    return pieces[0], pieces[1:]


def document_text(head: str, blocks: list[str]) -> str:
    """pandoc's JSON input: ``head`` (the API version and meta, as JSON text) with ``blocks``."""
    return head[:-1] + ', "blocks": [' + ",\n".join(blocks) + "]}"


@dataclass
class Piece:
    """One piece as :func:`canonical` numbers it: its body, the automatic
    styles it uses (fixed names first, then numbered), its pictures and
    formulas ``[path, media type, bytes]``; the cover's also the package
    around it (every entry but ``content.xml``, and ``content.xml``'s text
    before, between and after the automatic styles and the body)."""

    body: str
    styles: list[str]
    parts: list[tuple[str, str, bytes]] = field(default_factory=list)
    entries: dict[str, bytes] = field(default_factory=dict)
    frame: list[str] = field(default_factory=list)

    def dumps(self) -> bytes:
        def b64(data: bytes) -> str:
            return base64.b64encode(data).decode("ascii")

        return json.dumps(
            {
                "body": self.body,
                "styles": self.styles,
                "parts": [[p, m, b64(d)] for p, m, d in self.parts],
                "entries": {k: b64(v) for k, v in self.entries.items()},
                "frame": self.frame,
            },
            ensure_ascii=False,
        ).encode("utf-8")

    @classmethod
    def loads(cls, payload: bytes) -> Piece | None:
        """A piece :meth:`dumps` wrote; None for anything else."""
        try:
            rec = json.loads(payload)
            piece = cls(
                str(rec["body"]),
                [str(s) for s in rec["styles"]],
                [(str(p), str(m), base64.b64decode(d, validate=True)) for p, m, d in rec["parts"]],
                {str(k): base64.b64decode(v, validate=True) for k, v in rec["entries"].items()},
                [str(s) for s in rec["frame"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if piece.frame and len(piece.frame) != 3:
            return None
        return piece


class _Numbers:
    """Each family's numbers, from one naming to another."""

    def __init__(self, offset: dict[str, int] | None = None) -> None:
        self.offset = offset  # None: number anew by first appearance; else shift by these
        self.map: dict[tuple[str, int], int] = {}
        self.count: dict[str, int] = {}

    def new(self, family: str, n: int) -> int:
        if self.offset is not None:
            self.count[family] = max(self.count.get(family, 0), n - _FIRST[family] + 1)
            return n + self.offset.get(family, 0)
        got = self.map.get((family, n))
        if got is None:
            got = self.map[family, n] = _FIRST[family] + self.count.get(family, 0)
            self.count[family] = self.count.get(family, 0) + 1
        return got

    def text(self, text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            group = m.lastindex or 0  # the number's group: the last to close
            name = m.group(_NAMES[group])
            shown = self.new(_FAMILY.get(name, name), int(m.group(group)))
            return m.group(0)[: m.start(group) - m.start(0)] + str(shown)

        def citation(m: re.Match[str]) -> str:
            return "<text:note-citation>" + str(self.new("ftn", int(m.group(1)) - 1) + 1)

        text = _NUMBERED.sub(sub, text)
        return _CITATION.sub(citation, text) if "<text:note-citation>" in text else text

    def path(self, path: str) -> str | None:
        m = _PART.fullmatch(path)
        if m is None:
            return None
        return f"{m.group(1)}{self.new('part', int(m.group(2)))}{m.group(3)}"


# a family's name as its group holds it -> the family
_FAMILY = {"Pictures/": "part", "Formula-": "part"}
# the number's group in :data:`_NUMBERED` -> the group of its family's name
_NAMES = {2: 1, 4: 3, 6: 5, 8: 7, 10: 9}


class _Run:
    """One run's package: its automatic styles by name, its parts and their media types."""

    def __init__(self, package: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(package)) as z:
                self.entries = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
            content = self.entries.pop("content.xml").decode("utf-8")
            manifest = ET.fromstring(self.entries["META-INF/manifest.xml"])
        except (KeyError, zipfile.BadZipFile, UnicodeDecodeError, ET.ParseError) as exc:
            raise OdtPackageError(f"pandoc wrote an ODT abuild cannot read ({exc})") from None
        automatic = _AUTOMATIC.search(content)
        if automatic is None or _BODY_START not in content or _BODY_END not in content:
            raise OdtPackageError("content.xml: no automatic styles or office:text")
        self.styles: dict[str, str] = {}
        for m in _STYLE.finditer(automatic.group(1)):
            name = _NAME.search(m.group(0))
            self.styles.setdefault(name.group(1) if name else m.group(0), m.group(0))
        start = content.index(_BODY_START) + len(_BODY_START)
        end = content.rindex(_BODY_END)
        self.body = content[start:end]
        self.frame = [content[: automatic.start(1)], content[automatic.end(1) : start], content[end:]]
        self.media = {
            e.get(q("manifest:full-path"), ""): e.get(q("manifest:media-type"), "")
            for e in manifest.iter(q("manifest:file-entry"))
        }


def canonical(run: _Run, body: str, cover: bool) -> Piece:
    """The piece whose body is ``body`` (cut from ``run``'s), numbered
    anew (:class:`_Numbers`), with the styles and parts it uses."""
    numbers = _Numbers()
    body = numbers.text(body.strip("\n"))
    fixed = [s for name, s in run.styles.items() if not _NUMBERED_NAME.fullmatch(name) and f'"{name}"' in body]
    # the numbered styles the body names, and those their definitions name
    # (a list's paragraph style names the list), in the order of their new names
    named: dict[tuple[str, int, str], str] = {}
    for name in run.styles:
        m = _NUMBERED_NAME.fullmatch(name)
        if m is not None:
            named[m.group(1), int(m.group(2)), m.group(3) or ""] = name
    numbered: dict[tuple[str, int, str], str] = {}
    while True:
        new = sorted(
            ((family, numbers.map[family, n], suffix), name)
            for (family, n, suffix), name in named.items()
            if (family, n) in numbers.map and (family, numbers.map[family, n], suffix) not in numbered
        )
        if not new:
            break
        for key, name in new:
            numbered[key] = numbers.text(run.styles[name])
    styles = fixed + [numbered[k] for k in sorted(numbered)]
    parts: list[tuple[int, str, str, bytes]] = []
    for path, media in run.media.items():
        m = _PART.fullmatch(path)
        if m and ("part", int(m.group(2))) in numbers.map:
            n = numbers.map["part", int(m.group(2))]
            parts.append((n, f"{m.group(1)}{n}{m.group(3)}", media, run.entries.get(path, b"")))
    parts.sort()
    own = [(path, media, data) for _n, path, media, data in parts]
    if not cover:
        return Piece(body, styles, own)
    entries = {k: v for k, v in run.entries.items() if _PART.fullmatch(k) is None}
    return Piece(body, styles, own, entries, run.frame)


def join(pieces: list[Piece]) -> dict[str, bytes]:
    """The package's entries: the cover's (styles, meta, manifest), with a
    ``content.xml`` holding every piece's body and automatic styles, each
    piece's numbers after those of the pieces before it."""
    offset = dict.fromkeys(_FIRST, 0)
    styles: dict[str, str] = {}
    bodies: list[str] = []
    parts: list[tuple[str, str, bytes]] = []
    for piece in pieces:
        numbers = _Numbers(offset)
        bodies.append(numbers.text(piece.body))
        for style in piece.styles:
            style = numbers.text(style)
            name = _NAME.search(style)
            styles.setdefault(name.group(1) if name else style, style)
        for path, media, data in piece.parts:
            parts.append((numbers.path(path) or path, media, data))
        for family, count in numbers.count.items():
            offset[family] += count
    cover = pieces[0]
    before, between, after = cover.frame
    indent = "\n    "
    content = (
        before + indent + indent.join(styles.values()) + "\n  " + between + "\n" + "\n".join(bodies) + "\n" + after
    )
    entries = dict(cover.entries)
    entries["content.xml"] = content.encode("utf-8")
    entries["META-INF/manifest.xml"] = _manifest(entries.get("META-INF/manifest.xml", b""), parts)
    for path, _media, data in parts:
        if not path.endswith("/"):
            entries[path] = data
    return entries


def _manifest(data: bytes, parts: list[tuple[str, str, bytes]]) -> bytes:
    """The cover's manifest, listing the pieces' pictures and formulas."""
    from .odt_package import _parse, _serialise

    root = _parse(data, "META-INF/manifest.xml")
    for entry in list(root):  # the run's own, numbered through the run
        if _PART.fullmatch(entry.get(q("manifest:full-path"), "")):
            root.remove(entry)
    for path, media, _data in parts:
        attrs = {q("manifest:full-path"): path, q("manifest:media-type"): media}
        ET.SubElement(root, q("manifest:file-entry"), attrs)
    # the white space between the entries anew: what the run's removed ones
    # left depended on which run wrote the cover (a cover from the cache and
    # a formula added gave another manifest than the render without it)
    ET.indent(root, space="  ")
    return _serialise(root)


@dataclass
class Job:
    """One piece to write: its cache key and its blocks as pandoc's JSON text."""

    key: str
    blocks: Callable[[], list[str]]


def write_odt(
    head: str, jobs: list[Job], args: list[str], cache: OdtPartCache | None, facts: RenderFacts, out: Path
) -> tuple[int, int]:
    """Write the ODT at ``out`` from ``jobs`` (the cover's first), the
    pieces not in ``cache`` in one pandoc run (``args``, the document's
    ``head`` as JSON text); (pieces from the cache, pieces made)."""
    pieces: list[Piece | None] = [None] * len(jobs)
    for i, job in enumerate(jobs):
        raw = cache.get(job.key) if cache is not None else None
        piece = Piece.loads(raw) if raw is not None else None
        if piece is not None and bool(piece.frame) == (i == 0):
            pieces[i] = piece
    todo = [i for i, p in enumerate(pieces) if p is None]
    if todo:
        _make(head, jobs, todo, args, facts, out, pieces)
        if cache is not None:
            for i in todo:
                cache.put(jobs[i].key, pieces[i].dumps())  # type: ignore[union-attr]
    write_finished(out, join([p for p in pieces if p is not None]), facts)
    return len(jobs) - len(todo), len(todo)


def _make(
    head: str, jobs: list[Job], todo: list[int], args: list[str], facts: RenderFacts, out: Path, pieces: list[Any]
) -> None:
    """The pieces ``todo`` in one pandoc run, each after a marker of its own."""
    token = secrets.token_hex(16)
    blocks: list[str] = []
    for i in todo:
        if i:
            blocks.append(json.dumps({"t": "RawBlock", "c": ["opendocument", f"<!--{token}:{i}-->"]}))
        blocks += jobs[i].blocks()
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(facts.epoch)
    with tempfile.TemporaryDirectory(prefix=".odt-pieces-", dir=out.parent) as tmp:
        target = Path(tmp) / "pieces.odt"
        pandoc([*ODT_RTS, *args, "-o", str(target)], document_text(head, blocks), "ODT", env=env)
        run = _Run(target.read_bytes())
    cut = re.split(f"<!--{token}:(\\d+)-->", run.body)
    bodies = {0: cut[0]} | {int(cut[k]): cut[k + 1] for k in range(1, len(cut) - 1, 2)}
    if sorted(bodies) != sorted({0, *todo}):
        raise OdtPackageError("pandoc's content.xml lost a piece's marker")
    for i in todo:
        pieces[i] = canonical(run, bodies[i], cover=i == 0)


def lang_head(api: object, lang: str) -> str:
    """What a chapter's piece depends on of the document's head: the
    language (the title block and the rest are the cover's)."""
    return json.dumps({"pandoc-api-version": api, "meta": {"lang": {"t": "MetaString", "c": lang}}})
