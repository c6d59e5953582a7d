"""Each chapter assembled, and prepared for citeproc, on its own: reused
while everything it depends on is the same.

``build_document`` used to walk the whole document a dozen times every
build (sanitising, unique ids, numbering, cross-references, images, the
citations' keys, neutral ids): 0.5 s of CPU on the benchmark report (155,000
nodes, 12 chapters), for an edit of one paragraph. Each of those steps
reads one chapter and a little state:

1. :func:`assemble_chapter` (sanitise, unique ids, headings, figures and
   tables numbered) reads the chapter's text (pandoc's reading of it is a
   function of it: cache/chapters.py), whether it is numbered, the language
   and what the chapters before it left (:class:`Carry`: the counters, the
   ids taken, the last heading); it records what it gives the whole: its
   headings, cross-reference targets, ToR answers, the keys it cites (in
   the order the renaming visits them) and its images;
2. :func:`prepare_chapter` (empty cross-references filled, images embedded,
   citations' keys renamed, ids neutralised) reads the chapter as 1 left it,
   every chapter's targets, the images' bytes, the neutral names of the
   keys (made from every chapter's cited keys, in order) and the language.

With a memo (:mod:`..block_memo`: the preview's, in memory; a render with
its cache: cache/blocks.py, on disk) each step's result is kept as JSON
text under a hash of exactly those inputs (step 1's without the blocks:
they are made again on the rare build that runs step 2 on a chapter whose
step 1 was kept, when a heading or a source's key changed), and a chapter
whose inputs are the ones of an earlier build is not walked at all: its
prepared blocks go to citeproc's memo as the JSON text they were kept as. Without one, the
steps run on the objects as before, nothing is serialised.

A cross-reference that is empty can lose what it holds when it is filled
(a link holding only a note with a citation): the keys step 1 recorded
would then not be the ones renamed. Such a chapter is ``risky`` and the
build then fills every chapter first and collects the keys after
(:func:`prepare_all`), without the memo.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .. import block_memo
from . import ast as A
from .ast import Node

if TYPE_CHECKING:
    from ..block_memo import BlockMemo
    from ..load import LoadedChapter, LoadedReport
    from .document import Heading

# raise when what a step keeps changes meaning (its text is then never read again)
STEP_VERSION = "1"


@dataclass
class Carry:
    """What a chapter's assembly leaves the next one."""

    counters: list[int] = field(default_factory=lambda: [0] * 6)
    figures: int = 0
    tables: int = 0
    seen: set[str] = field(default_factory=set)
    last: list[Any] | None = None  # the last heading: [level, number, ident, title]

    def text(self) -> str:
        return json.dumps([self.counters, self.figures, self.tables, sorted(self.seen), self.last])


@dataclass
class Assembled:
    """One chapter after step 1; ``blocks`` None: kept as ``text`` (not read yet)."""

    key: bytes
    blocks: list[Any] | None
    text: str
    headings: list[list[Any]]  # [level, number, ident, title]
    targets: dict[str, str]
    tor: list[list[Any]]  # [question, ident, label, geen-informatie]
    cites: list[str]
    images: list[str]
    risky: bool
    carry: list[Any]  # Carry's counters, figures, tables, the ids it added, last
    api: list[int] | None = None  # pandoc's pandoc-api-version
    # the blocks made again (step 1 from what the chapters before left) when
    # step 2 is to run on a chapter whose step 1 was kept: the memo keeps
    # what a chapter gives the whole, not its blocks (5 MB a build less)
    remake: Callable[[], list[Any]] | None = None

    def objects(self) -> list[Any]:
        if self.blocks is None:
            self.blocks = json.loads(self.text) if self.text or self.remake is None else self.remake()
        return self.blocks

    def record(self) -> str:
        """What the memo keeps: a JSON line of the rest, then the blocks' JSON
        when known (none: :attr:`remake`)."""
        rest = [self.headings, self.targets, self.tor, self.cites, self.images, self.risky, self.carry, self.api]
        return json.dumps(rest) + "\n" + self.text

    @classmethod
    def from_record(cls, key: bytes, record: str) -> Assembled | None:
        head, sep, text = record.partition("\n")
        try:
            headings, targets, tor, cites, images, risky, carry, api = json.loads(head)
            counters, figures, tables, ids, last = carry
        except (ValueError, TypeError):
            return None
        fine = (
            sep
            and all(_shaped(h, (int, str, str, str)) for h in [*headings, *([last] if last is not None else [])])
            and isinstance(targets, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in targets.items())
            and all(_shaped(t, (str, str, str, bool)) for t in tor)
            and all(isinstance(x, str) for x in [*cites, *images, *ids])
            and isinstance(risky, bool)
            and _shaped(counters, (int,) * 6)
            and type(figures) is int
            and type(tables) is int
            and (api is None or all(type(n) is int for n in api))
        )
        return cls(key, None, text, headings, targets, tor, cites, images, risky, carry, api) if fine else None

    def advance(self, carry: Carry) -> None:
        counters, figures, tables, ids, last = self.carry
        carry.counters, carry.figures, carry.tables = list(counters), figures, tables
        carry.seen.update(ids)
        carry.last = last


def _shaped(value: Any, types: tuple[type, ...]) -> bool:
    """``value`` is a list of exactly these types (a kept record is checked before it is used)."""
    return (
        isinstance(value, list)
        and len(value) == len(types)
        and all(type(v) is t for v, t in zip(value, types, strict=True))
    )


def assemble_chapter(lc: LoadedChapter, blocks: list[Any], carry: Carry, lang: str, key: bytes) -> Assembled:
    """Step 1 of one chapter, in place; ``carry`` moves past it."""
    from .document import _mark_table_length, _prefix_caption, _sanitise
    from .labels import labels

    L = labels(lang)
    blocks = _sanitise(blocks)
    ids = _unique_ids(blocks, carry.seen)
    headings: list[list[Any]] = []
    targets: dict[str, str] = {}
    tor: list[list[Any]] = []
    numbered, counters = lc.meta.numbered, carry.counters

    def last() -> list[Any] | None:
        return headings[-1] if headings else carry.last

    def number(node: Node) -> Any:
        t = node["t"]
        if t == "Header":
            level, attr, inl = node["c"]
            title = A.stringify(inl, cites=False)  # a cited key is no title (and may be confidential)
            num = ""
            if numbered:
                if level == 1:
                    counters[0] += 1
                    counters[1:] = [0] * 5
                else:
                    counters[level - 1] += 1
                    counters[level:] = [0] * (6 - level)
                num = ".".join(str(c) for c in counters[:level])
                if any(c == 0 for c in counters[:level]):
                    num = ""  # a ### directly under a # has no 1.0.1
            if num:
                node["c"][2] = [A.Span([A.Str(num)], ["header-section-number"]), A.Space(), *inl]
            else:
                attr[1] = [*attr[1], "unnumbered"]
            ident = attr[0]
            headings.append([level, num, ident, title])
            if ident:
                label = (L["chapter"] if level == 1 else L["section"]) + (" " + num if num else "")
                targets[ident] = label if num else title
            answer = [ident, (num + " " if num else "") + title, "geen-informatie" in attr[1]]
            _tor_answers(attr, answer, tor)
            attr[2] = [kv for kv in attr[2] if kv[0] != "tor"]
            return node
        if t == "Div":
            attr = node["c"][0]
            if dict(attr[2]).get("tor"):
                h = last()
                label = ((h[1] + " ") if h and h[1] else "") + (h[3] if h else "")
                _tor_answers(attr, [h[2] if h else "", label, "geen-informatie" in attr[1]], tor)
                attr[2] = [kv for kv in attr[2] if kv[0] != "tor"]
            return node
        return None

    _walk_topdown(blocks, number)  # headings must be numbered in document order

    def figures_tables(node: Node) -> Any:
        t = node["t"]
        if t == "Figure":
            carry.figures += 1
            label = f"{L['figure']} {carry.figures}"
        elif t == "Table":
            carry.tables += 1
            label = f"{L['table']} {carry.tables}"
            _mark_table_length(node)
        else:
            return None
        _prefix_caption(node["c"][1], label)
        if node["c"][0][0]:
            targets[node["c"][0][0]] = label.lower() if lang == "nl" else label
        return None

    _walk_topdown(blocks, figures_tables)
    carry.seen.update(ids)
    carry.last = last()
    cites, images, risky = _census(blocks)
    return Assembled(
        key,
        blocks,
        "",
        headings,
        targets,
        tor,
        cites,
        images,
        risky,
        [list(counters), carry.figures, carry.tables, ids, carry.last],
    )


def _tor_answers(attr: list[Any], answer: list[Any], tor: list[list[Any]]) -> None:
    """A ``tor="1.1 1.2"`` attribute: the answers it gives."""
    questions = dict(attr[2]).get("tor")
    if questions:
        for q in questions.split():
            tor.append([q, *answer])


def _unique_ids(blocks: list[Any], seen: set[str]) -> list[str]:
    """Make the chapter's ids unique across the report (``seen``: the ids of
    the chapters before it), renaming later duplicates and the links to
    them inside the chapter. Returns the ids it holds, in order."""
    renames: dict[str, str] = {}
    mine: dict[str, None] = {}

    def collect(node: Node) -> Any:
        attr = A.attr_of(node)
        if attr is not None and node["t"] in ("Header", "Div", "Figure", "Table", "Span") and attr[0]:
            ident = attr[0]
            if ident in seen or ident in mine:
                k = 1
                while f"{ident}-{k}" in seen or f"{ident}-{k}" in mine:
                    k += 1
                renames[ident] = f"{ident}-{k}"
                attr[0] = renames[ident]
            mine[attr[0]] = None
        return None

    A.visit(blocks, collect)
    if renames:

        def relink(node: Node) -> Any:
            if node["t"] == "Link" and node["c"][2][0].startswith("#"):
                target = node["c"][2][0][1:]
                if target in renames:
                    node["c"][2][0] = "#" + renames[target]
            return None

        A.visit(blocks, relink)
    return list(mine)


def _census(blocks: list[Any]) -> tuple[list[str], list[str], bool]:
    """The keys cited (in the order the renaming visits them: bottom-up), the
    images' targets, and whether an empty link to ``#...`` holds a citation
    (filling it would drop the citation: see the module docstring)."""
    cites: list[str] = []
    images: list[str] = []
    risky = False

    def fn(node: Node) -> Any:
        nonlocal risky
        t = node["t"]
        if t == "Cite":
            cites.extend(c["citationId"] for c in node["c"][0])
        elif t == "Image":
            images.append(node["c"][2][0])
        elif t == "Link" and node["c"][2][0].startswith("#") and not A.stringify(node["c"][1]):
            risky = risky or '"Cite"' in json.dumps(node["c"][1])
        return None

    A.visit(blocks, fn)
    return cites, images, risky


def _walk_topdown(blocks: list[Any], fn: Callable[[Node], Any]) -> None:
    from .document import _walk_topdown as walk

    walk(blocks, fn)


def assemble_all(
    lr: LoadedReport, chapter_ast: Callable[[int], dict[str, Any]], lang: str, memo: BlockMemo | None
) -> list[Assembled]:
    """Step 1 of every chapter, in order: reused from ``memo`` where the
    chapter's text and what the chapters before it left are the same
    (``chapter_ast(i)``: pandoc's reading of chapter i, asked for only then)."""
    carry = Carry()
    out = []
    for i, lc in enumerate(lr.chapters):
        key = block_memo.context("assemble", STEP_VERSION, lc.chapter.text, repr(lc.meta.numbered), lang, carry.text())
        kept = memo.kept_text(key) if memo is not None else None
        part = Assembled.from_record(key, kept) if kept is not None else None
        if part is None:
            ast = chapter_ast(i)
            part = assemble_chapter(lc, ast["blocks"], carry, lang, key)
            part.api = ast.get("pandoc-api-version")
            if memo is not None:
                memo.keep_text(key, part.record())
        else:
            before = Carry(list(carry.counters), carry.figures, carry.tables, set(carry.seen), carry.last)
            part.remake = _remake(lc, i, chapter_ast, before, lang, key)
            part.advance(carry)
        out.append(part)
    return out


def _remake(
    lc: LoadedChapter, i: int, chapter_ast: Callable[[int], dict[str, Any]], before: Carry, lang: str, key: bytes
) -> Callable[[], list[Any]]:
    def remake() -> list[Any]:
        made = assemble_chapter(lc, chapter_ast(i)["blocks"], before, lang, key).blocks
        assert made is not None
        return made

    return remake


def headings_of(parts: list[Assembled]) -> list[Heading]:
    from .document import Heading

    return [Heading(level, num, ident, title) for p in parts for level, num, ident, title in p.headings]


def prepare_chapter(
    blocks: list[Any], targets: dict[str, str], lr: LoadedReport, neutral: dict[str, str], lang: str
) -> None:
    """Step 2 of one chapter, in place."""
    from .document import _embed_images, _fill_cross_references

    _fill_cross_references(blocks, targets)
    _embed_images(blocks, lr)
    _cite_ready(blocks, neutral, lang)


def _cite_ready(blocks: list[Any], neutral: dict[str, str], lang: str) -> None:
    from .citation_keys import _neutral_blocks
    from .citations import _prepare_cites

    _prepare_cites(blocks, neutral, lang)
    _neutral_blocks(blocks, neutral)


# an image target the embedding never reads (document.py's _embed_images)
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//|^/")


def _images_key(lr: LoadedReport, targets: list[str]) -> str:
    """What the embedding of these images reads: each file's place and bytes
    (read only inside the repository, as the embedding reads them). A file
    that cannot be hashed makes a key no later build has: never reused."""
    from ..cache.inputs import file_hash

    out: list[Any] = []
    for target in sorted(set(targets)):
        rel = unquote(target.split("#", 1)[0].split("?", 1)[0])
        path = lr.dir / rel
        if _REMOTE.match(target) or not rel or not lr.repo.contains(path) or not path.is_file():
            out.append([target])
            continue
        try:
            out.append([target, str(path.resolve()), file_hash(path)])
        except (OSError, ValueError, RuntimeError):
            out.append([target, secrets.token_hex(16)])
    return json.dumps(out)


def prepare_all(
    lr: LoadedReport,
    parts: list[Assembled],
    targets: dict[str, str],
    keys: Callable[[list[str]], dict[str, str]],
    lang: str,
    memo: BlockMemo | None,
) -> tuple[list[Any], list[str] | None, dict[str, str]]:
    """Step 2 of every chapter: (the blocks, their JSON texts when a memo
    keeps them -- a block given as text is None in the blocks --, the
    neutral names). ``keys(cited)``: the neutral name of every key, given
    the keys cited in order."""
    if any(p.risky for p in parts):  # the keys are known only once every chapter is filled
        from .document import _embed_images, _fill_cross_references

        chapters = [p.objects() for p in parts]
        for blocks in chapters:
            _fill_cross_references(blocks, targets)
            _embed_images(blocks, lr)
        neutral = keys(_census(chapters)[0])
        for blocks in chapters:
            _cite_ready(blocks, neutral, lang)
        return [b for blocks in chapters for b in blocks], None, neutral
    neutral = keys([k for p in parts for k in p.cites])
    shared = (json.dumps(targets, sort_keys=True), json.dumps(sorted(neutral.items())), lang)
    out: list[Any] = []
    texts: list[str] = []
    for p in parts:
        key = block_memo.context("prepare", STEP_VERSION, p.key, *shared, _images_key(lr, p.images))
        kept = memo.kept_text(key) if memo is not None else None
        if kept is not None:
            got = kept.split("\n") if kept else []
            out += [None] * len(got)
            texts += got
            continue
        blocks = p.objects()
        prepare_chapter(blocks, targets, lr, neutral, lang)
        out += blocks
        if memo is not None:
            made = [json.dumps(b) for b in blocks]  # a block's JSON has no line break (escaped in strings)
            memo.keep_text(key, "\n".join(made))
            texts += made
    return out, texts if memo is not None else None, neutral
