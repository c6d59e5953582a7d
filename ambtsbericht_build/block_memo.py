"""pandoc's output for each top-level block, kept between the builds of one
long-running process (``abuild preview``), so that an edit sends pandoc
only the blocks it changed.

Two pandoc stages are pure functions of one top-level block once their
settings are fixed, and both already rely on it to run in pieces:
citeproc (the house style prints the full reference in every note, so a
citation's text does not depend on the ones before it: citations.py) and
the HTML writer (the notes are abuild's, ids already set: html.py). On the
benchmark report (931 top-level blocks, 5.3 MB of JSON) a one-paragraph
edit changes one block, and a rebuild's pandoc CPU went from 3.1 s to
0.7 s (the rest is the check's reading of the chapters).

A :class:`BlockMemo` is active only inside :meth:`BlockMemo.build` (a
context variable: the preview's, ``abuild diff``'s, and a render's with
its cache only inside ``build_document``: cache/blocks.py). Its
key is a hash of the stage, the stage's settings (the contents of the files
it reads, never their paths) and the block's JSON, so a reused output is
exactly the one pandoc would give. It holds the outputs of the last build
and of the one running, nothing older: its size is bounded by two builds'
worth of output (6.4 MB a build of the benchmark report, and 10 MB of each
chapter's steps as text: render/chapter_parts.py), whatever the number of
edits. A render with its cache uses one too, kept on disk
(cache/blocks.py)."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

V = TypeVar("V")

_CURRENT: contextvars.ContextVar[BlockMemo | None] = contextvars.ContextVar("abuild_block_memo", default=None)


def current() -> BlockMemo | None:
    """The memo of the build running in this thread (None: no reuse)."""
    return _CURRENT.get()


def context(*parts: str | bytes) -> bytes:
    """A stage's settings as one hash (the contents of its files, not their names)."""
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        data = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class BlockMemo:
    def __init__(self) -> None:
        self._last: dict[bytes, str] = {}
        self._now: dict[bytes, str] = {}
        self.hits = self.misses = 0
        # whole results of other stages (a chapter's findings of one rule:
        # check/memo.py), with the same lifetime: the last build's and this one's
        self._values_last: dict[bytes, Any] = {}
        self._values_now: dict[bytes, Any] = {}
        self.value_hits = self.value_misses = 0
        self._build: dict[object, Any] = {}  # made once a build (check/memo.py's hash of the inputs)
        # this build's finished blocks (after citeproc and the typography) and
        # their JSON text, by the block's id (the block kept: the id is its own)
        self._finished: dict[int, tuple[Any, str]] = {}
        # each chapter's assembly and preparation (render/chapter_parts.py), as JSON text
        self._texts_last: dict[bytes, str] = {}
        self._texts_now: dict[bytes, str] = {}
        # pandoc's readings of the chapters (load/markdown/pandoc_batch.py's
        # Shared, by pandoc, reader and text), of the last build: with the
        # render's cache off, pandoc read all 12 chapters of the benchmark
        # report again on every edit (1.0 s of pandoc CPU on 2 loaded cores)
        self._readings: dict[tuple[str, str, bytes], tuple[bytes, str]] = {}
        # the HTML writer's notes are numbered in comments with this token
        # (render/formats/html_notes.py's Numbered): the same in every build,
        # as secret as the render's random one (no drafter's text holds it)
        self.token = secrets.token_hex(16)

    def __len__(self) -> int:
        """The outputs held (of the last build and the running one)."""
        return len(self._last) + len(self._now)

    @contextlib.contextmanager
    def build(self) -> Iterator[None]:
        """One build: what it converted or reused is what the next may reuse."""
        token = _CURRENT.set(self)
        self.hits = self.misses = 0
        self.value_hits = self.value_misses = 0
        try:
            yield
        finally:
            _CURRENT.reset(token)
            self._last, self._now = self._now, {}
            self._values_last, self._values_now = self._values_now, {}
            self._texts_last, self._texts_now = self._texts_now, {}
            self._build = {}
            self._finished = {}

    @contextlib.contextmanager
    def readings(self) -> Iterator[None]:
        """The chapters the last build read, not read by pandoc again: the
        next build gets only the readings this one used or made (the
        current version of each chapter, not every version ever saved)."""
        from .load.markdown import pandoc_batch

        given = _Used(self._readings)
        shared = pandoc_batch.Shared(given, {})
        try:
            with pandoc_batch.sharing(shared):
                yield
        finally:
            self._readings = {k: self._readings[k] for k in given.used} | shared.made

    def per_build(self, key: object, make: Callable[[], V]) -> V:
        """``make()``, once in this build."""
        if key not in self._build:
            self._build[key] = make()
        return self._build[key]  # type: ignore[no-any-return]

    def value(self, key: bytes, make: Callable[[], V]) -> V:
        """``make()``, or what it gave under the same ``key`` (a :func:`context`
        of everything it reads) in this build or the last. The value is
        shared between builds: it must not be changed by its users."""
        if key in self._values_now:
            self.value_hits += 1
            return self._values_now[key]  # type: ignore[no-any-return]
        if key in self._values_last:
            self.value_hits += 1
            v: V = self._values_last[key]
        else:
            self.value_misses += 1
            v = make()
        self._values_now[key] = v
        return v

    def kept(self, key: bytes) -> Any:
        """What :meth:`keep` kept under ``key`` in this build or the last (None: nothing)."""
        if key in self._values_now:
            self.value_hits += 1
            return self._values_now[key]
        if key in self._values_last:
            self.value_hits += 1
            self._values_now[key] = self._values_last[key]
            return self._values_now[key]
        self.value_misses += 1
        return None

    def keep(self, key: bytes, value: Any) -> None:
        """``value`` under ``key`` for the next build (shared: never changed by its users)."""
        self._values_now[key] = value

    def kept_text(self, key: bytes) -> str | None:
        """The text :meth:`keep_text` kept under ``key`` in this build or the last (None: none)."""
        got = self._texts_now.get(key)
        if got is None:
            got = self._texts_last.get(key)
            if got is not None:
                self._texts_now[key] = got
        return got

    def keep_text(self, key: bytes, text: str) -> None:
        """``text`` under ``key`` for the next build (render/chapter_parts.py's steps)."""
        self._texts_now[key] = text

    def finished(self, block: Any) -> str | None:
        """The JSON text of ``block``, a block of this build's finished
        document (:meth:`citeproc`'s), as it was made; None for any other.
        Nothing changes the blocks between citeproc's finishing and the
        HTML writer in the preview (preview/build.py)."""
        got = self._finished.get(id(block))
        return got[1] if got is not None and got[0] is block else None

    def forget_values(self) -> None:
        """This build's values are not kept (check/memo.py: its files
        changed while it ran): the next build makes them again."""
        self._values_now = {}

    def outputs(self) -> dict[bytes, str]:
        """The outputs of the running build, by key (``abuild diff`` hands NEW's to OLD's process)."""
        return dict(self._now)

    def add(self, outputs: dict[bytes, str]) -> None:
        """Outputs made elsewhere (:meth:`outputs` of another memo) for this build to reuse."""
        self._last.update(outputs)

    def _lookup(self, stage: str, key: bytes) -> str | None:
        """The output kept under ``key`` (this build's or the last's), or None."""
        return self._now.get(key) or self._last.get(key)

    def _made(self, stage: str, key: bytes, output: str) -> None:
        """``output`` was made now under ``key`` (cache/blocks.py keeps it on disk too)."""

    def convert(
        self,
        stage: str,
        settings: bytes,
        blocks: Sequence[str],
        run: Callable[[list[str]], list[str]],
        same: Sequence[str] | None = None,
    ) -> list[str]:
        """The output of each block (JSON text) of ``blocks``: reused, or made
        by ``run``, which is given the blocks not seen before (in order) and
        must return one output for each. ``same``: for each block, a text
        that is equal exactly when the outputs are (default: the block)."""
        keys = [context(stage, settings, b) for b in (blocks if same is None else same)]
        out: list[str | None] = [self._lookup(stage, k) for k in keys]
        missing = [i for i, o in enumerate(out) if o is None]
        self.hits += len(blocks) - len(missing)
        self.misses += len(missing)
        if missing:
            made = run([blocks[i] for i in missing])
            if len(made) != len(missing):
                raise ValueError(f"{stage}: {len(made)} outputs for {len(missing)} blocks")
            for i, o in zip(missing, made, strict=True):
                out[i] = o
                self._made(stage, keys[i], o)
        done = [o for o in out if o is not None]
        for k, o in zip(keys, done, strict=True):
            self._now[k] = o
        return done

    def citeproc(
        self,
        citeproc: Callable[..., dict[str, Any]],
        pandoc: dict[str, Any],
        bib: Path,
        csl: Path,
        lang: str,
        cited: list[str],
        finish: Callable[[list[Any]], list[Any]],
        finish_settings: str,
        items: dict[str, str] | None = None,
        annex_settings: str = "",
        given: Sequence[str | None] | None = None,
    ) -> dict[str, Any]:
        """render/citations.py's ``_citeproc`` (given as ``citeproc``) and
        then ``finish`` (the source annex grouped, the notes punctuated, the
        typography) of the blocks not seen before; the others' finished
        blocks reused. Each top-level block is resolved on its own there too
        (see there), the source annex with every cited key (nocite).

        A block's key: its JSON (note numbers counted from its first
        citation's), the style, the locale, ``finish_settings`` (all
        ``finish`` reads of a block besides the block: the language) and
        the bibliography entries it cites as they are given to citeproc
        (``items``: the JSON of each, by the key the block cites it under,
        a confidential one's neutral key). The source annex, and any block
        holding a ``refs`` div (grouped like it), are keyed by the whole
        bibliography, every cited key and ``annex_settings`` (the
        confidential keys, the types, the order). A style that numbers,
        disambiguates or abbreviates by what else is cited (positions,
        year suffixes) keys every block by the whole bibliography. On the
        benchmark report the finishing took 0.5 s of CPU a rebuild when it
        was done on every block. ``given``: the JSON text of each block
        where it is known (render/chapter_parts.py: a chapter kept as
        text; its blocks are None in ``pandoc``, read only if resolved)."""
        style = csl.read_bytes()
        bib_bytes = bib.read_bytes()
        positions = any(w in style for w in _POSITIONS)
        whole = items is None or positions or any(w in style for w in _WHOLE_BIBLIOGRAPHY)
        api = json.dumps(pandoc["pandoc-api-version"])
        settings = context(bib_bytes if whole else b"", style, lang, api, finish_settings)
        blocks = pandoc["blocks"]
        texts = [
            t if t is not None else json.dumps(b) for b, t in zip(blocks, given or [None] * len(blocks), strict=True)
        ]
        refs_at = next((i for i, t in enumerate(texts) if t.startswith(_REFS)), None)
        plain = list(texts)  # each block's JSON text: what citeproc's pieces are made of
        if refs_at is not None:
            texts[refs_at] += json.dumps(cited)
        # a citation's note number (pandoc's reader counts the notes) tells
        # citeproc a position, which a style without positions never prints:
        # a block is then the same block after a note added before it
        # (numbered from its first citation's note), and its output is kept
        # with the numbers counted the same way and given back this block's
        firsts = [_first_note_number(t) for t in texts]
        relative = [_shift_note_numbers(t, -at) for t, at in zip(texts, firsts, strict=True)]
        same = list(texts if positions else relative)
        known = items or {}
        bib_text = bib_bytes.decode("utf-8", "surrogateescape")
        for i, t in enumerate(same):
            if i == refs_at or '"refs"' in t:  # the source annex, or a block with a div grouped like it
                same[i] = "\0".join((t, "annex", annex_settings, bib_text))
            elif not whole:
                keys = dict.fromkeys(json.loads(f'"{k}"') for k in _CITATION_ID.findall(t))
                same[i] = "\0".join((t, *(f"{k}\0{known.get(k, 'null')}" for k in keys)))
        index = {t: i for i, t in enumerate(texts)}
        # the blocks made now, by their JSON: not read back from it (a
        # first build, abuild diff's NEW: 930 blocks, 5 MB of JSON, 0.1 s)
        fresh: dict[str, list[Any]] = {}

        def block(i: int) -> Any:
            # the source annex as an object (citeproc looks for it); any other
            # block as its text, not serialised again (0.06 s on the benchmark report)
            if i == refs_at:
                return blocks[i] if blocks[i] is not None else json.loads(plain[i])
            return plain[i]

        def run(missing: list[str]) -> list[str]:
            out = citeproc(dict(pandoc, blocks=[block(index[t]) for t in missing]), bib, csl, lang, cited, then=finish)
            done = out["blocks"]
            made = []
            for t, b in zip(missing, done, strict=True):
                text = json.dumps(b)
                fresh.setdefault(text, []).append(b)
                made.append(_shift_note_numbers(text, -firsts[index[t]]))
            return made

        kept = self.convert("citeproc", settings, texts, run, same)
        done = [_shift_note_numbers(t, at) for t, at in zip(kept, firsts, strict=True)]
        pandoc["blocks"] = []  # as the render's citeproc leaves it (consume)
        resolved = [fresh[t].pop() if fresh.get(t) else json.loads(t) for t in done]  # each object once
        self._finished = {id(b): (b, t) for b, t in zip(resolved, done, strict=True)}
        return {"pandoc-api-version": pandoc["pandoc-api-version"], "meta": {}, "blocks": resolved}


# what a CSL style says when a citation's text depends on the ones before it
_POSITIONS = (b"position", b"first-reference-note-number", b"near-note")
# a citation's note number in json.dumps's output (a quote in a string is
# escaped there: no text a drafter wrote can look like this)
_NOTE_NUM = re.compile(r', "citationNoteNum": (-?\d+)')


# the source annex's div (the first top-level one with this id: as _citeproc finds it), as json.dumps writes it
_REFS = '{"t": "Div", "c": [["refs", '
# what a style prints from the other sources cited (a year suffix, "idem")
_WHOLE_BIBLIOGRAPHY = (b"disambiguat", b"year-suffix", b"subsequent-author-substitute")
# a cited key in json.dumps's output (its quotes and backslashes escaped)
_CITATION_ID = re.compile(r'"citationId": "((?:[^"\\]|\\.)*)"')


def _first_note_number(text: str) -> int:
    first = _NOTE_NUM.search(text)
    return 0 if first is None else int(first.group(1))


def _shift_note_numbers(text: str, by: int) -> str:
    """``text`` with every citation's note number plus ``by``."""
    if not by:
        return text
    return _NOTE_NUM.sub(lambda m: f', "citationNoteNum": {int(m.group(1)) + by}', text)


class _Used(dict[tuple[str, str, bytes], tuple[bytes, str]]):
    """A dict that remembers which keys were found by ``get``."""

    def __init__(self, items: dict[tuple[str, str, bytes], tuple[bytes, str]]) -> None:
        super().__init__(items)
        self.used: set[tuple[str, str, bytes]] = set()

    def get(self, key: tuple[str, str, bytes], default: Any = None) -> Any:
        if key in self:
            self.used.add(key)
            return self[key]
        return default


def citeproc(
    resolve: Callable[..., dict[str, Any]],
    pandoc: dict[str, Any],
    bib: Path,
    csl: Path,
    lang: str,
    cited: list[str],
    finish: Callable[[list[Any]], list[Any]],
    finish_settings: str,
    items: dict[str, str] | None = None,
    annex_settings: str = "",
    given: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """Every citation of ``pandoc`` resolved by ``resolve`` (citations.py's
    ``_citeproc``), then ``finish`` of its blocks: with a memo (the preview,
    a render with its cache: cache/blocks.py) only the blocks not seen
    before, else all of them (consuming ``pandoc``'s blocks)."""
    memo = current()
    if memo is None:
        return resolve(pandoc, bib, csl, lang, cited, consume=True, then=finish)  # each piece as it is resolved
    return memo.citeproc(resolve, pandoc, bib, csl, lang, cited, finish, finish_settings, items, annex_settings, given)


def html_of_blocks(head: str, blocks: Sequence[str], html: Callable[[str], str]) -> list[str]:
    """The HTML of each block (JSON text) in one pandoc run (``html`` of a
    whole JSON document): the blocks are separated by raw HTML comments with
    a random name that pandoc passes through as they are, then cut apart
    there. ``head``: the document's ``{"pandoc-api-version":...,"meta":...``."""
    mark = f"<!--abuild-block-{secrets.token_hex(12)}-->"
    sep = '{"t":"RawBlock","c":["html",' + f'"{mark}"' + "]}"
    text = html(head + ',"blocks":[' + f",{sep},".join(blocks) + "]}")
    parts = text.split(mark)
    if len(parts) != len(blocks):  # cannot happen: the mark is random and pandoc keeps raw HTML
        raise ValueError(f"HTML: {len(parts) - 1} separators for {len(blocks)} blocks")
    return [p.strip("\n") for p in parts]


def join_html(parts: Sequence[str]) -> str:
    """The blocks' HTML as pandoc writes the whole: one line break between
    blocks, none for a block that writes nothing."""
    return "".join(p + "\n" for p in parts if p)
