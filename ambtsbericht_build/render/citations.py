"""Citations: resolved by pandoc's citeproc with the house style, in pieces
side by side; the source annex grouped; confidential sources never named.

pandoc's citeproc with ``templates/csl/ambtsbericht.csl`` formats every
citation as a footnote. Confidential sources get neutral keys before pandoc
sees them and are printed only as "Vertrouwelijke bron, <datum>"; they never
appear in the source annex.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import block_memo, signals
from ..load import LoadedReport
from . import ast as A
from .ast import Node
from .citation_keys import _neutral_ids, source_keys
from .csl_items import to_csl_items
from .document import Document, RenderError, _run_pandoc, _walk_topdown
from .labels import labels
from .note_punctuation import punctuate_note_references
from .source_order import sort_key
from .typography import is_note_call

# pandoc's memory grows with its input: citeproc's pandoc on half of a
# 100,000-note document (~55 MB of JSON) took 1.3 GiB (two at once: over the
# render's 2 GiB budget, docs/render.md). Pieces of at most 2 MB, at most
# one more at a time than ``parts``, keep each pandoc to ~0.1 GiB (20,000
# notes, three at a time: 8 MB pieces 0.65 GiB of pandoc, 2 MB 0.31 GiB,
# while abuild itself holds the document); the benchmark report (960 notes,
# 3.9 MB of body) stays in two pieces of 1.94 MB on two cores, as before.
PIECE_BYTES = 2_000_000

_GROUP_OF_TYPE = {
    "article-newspaper": "news",
    "article-magazine": "news",
    "broadcast": "news",
    "post": "news",
    "webpage": "web",
    "post-weblog": "web",
    "website": "web",
    "legislation": "law",
    "legal_case": "law",
    "bill": "law",
    "treaty": "law",
    "regulation": "law",
}


@dataclass
class Prepared:
    """The document's blocks already prepared for citeproc (chapter_parts.py):
    the names their keys got, the keys cited in order, and the blocks' JSON
    text where a memo kept it (its block is None then)."""

    neutral: dict[str, str]
    cited: list[str]
    texts: list[str | None] | None = None


def resolve_citations(
    doc: Document,
    lr: LoadedReport,
    workdir: Path,
    csl: Path,
    then: Callable[[list[Any]], Any] | None = None,
    prepared: Prepared | None = None,
) -> None:
    """Resolve every citation with the citation style ``csl``; then group the
    source annex, and ``then`` (the typography) on the resolved blocks."""
    sk = source_keys(lr)
    raw = sk.raw
    if prepared is None:
        # a key that is in no bibliography (AB104) would print as "Key?": a
        # mistyped confidential key says as much as the key itself, so every
        # unknown key gets a neutral name too (a concept shows "onbekende-bron-1?")
        neutral = dict(sk.neutral)
        cited = _prepare_cites(doc.pandoc["blocks"], neutral, doc.lang, sk.known, labels(doc.lang)["unknown_source"])
        _neutral_ids(doc, neutral)  # the unknown keys' names included
    else:
        neutral, cited = prepared.neutral, prepared.cited
        _neutral_ids(doc, prepared.neutral, blocks=False)
    items, keys = _csl_items(raw, lr.glossary, doc.lang)
    bib = workdir / "bibliography.json"
    bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    confidential = set(neutral.values())
    types = {s.source.id: s.source.type for s in lr.sources}
    L = labels(doc.lang)

    def group_refs(node: Node) -> Any:
        if node["t"] == "Div" and node["c"][0][0] == "refs":
            groups: dict[str, list[Any]] = {k: [] for k in L["groups"]}
            for entry in node["c"][1]:
                key = entry["c"][0][0].removeprefix("ref-") if entry["t"] == "Div" else ""
                if not key or key in confidential:
                    continue
                groups[_GROUP_OF_TYPE.get(types.get(key, ""), "reports")].append(entry)
            blocks = []
            for gkey, entries in groups.items():
                entries.sort(key=lambda e: keys.get(e["c"][0][0].removeprefix("ref-"), ()))
                if entries:
                    blocks.append(
                        A.Header(2, A.text(L["groups"][gkey]), f"bronnen-{gkey}", ["unnumbered", "source-group"])
                    )
                    blocks.append(A.Div(entries, "", ["csl-bib-body"]))
            node["c"][1] = blocks
            # not "refs"/"references": pandoc would make the wrapper an ARIA
            # list, which may hold only list items (not the group headings)
            node["c"][0] = ["bronnen", ["source-list"], []]
        return None

    def finish(blocks: list[Any]) -> list[Any]:
        # each top-level block on its own (the preview redoes only the
        # blocks an edit changed: block_memo.py): what these read besides
        # the block is in ``settings``
        A.visit(blocks, group_refs)
        _separate_adjacent_notes(blocks)
        punctuate_note_references(blocks, doc.lang)
        if then is not None:
            then(blocks)
        return blocks

    # what ``finish`` reads besides a block: the language; for the source
    # annex also the confidential keys, the types and the order of every source
    annex = repr((sorted(confidential), sorted(types.items()), sorted(keys.items())))
    cites: dict[str, str] | None = {
        str(item.get("id")): json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items
    }
    if cites is not None and len(cites) != len(items):
        cites = None  # two entries under one key (1 and "1"): every block keyed by the whole bibliography
    lang = doc.meta.get("lang", "nl-NL")
    texts = prepared.texts if prepared is not None else None
    resolved = block_memo.citeproc(_citeproc, doc.pandoc, bib, csl, lang, cited, finish, doc.lang, cites, annex, texts)
    resolved["meta"] = {}
    doc.pandoc = resolved
    doc.notes = _count_notes(resolved["blocks"])
    memo = block_memo.current()
    doc.texts = [memo.finished(b) for b in resolved["blocks"]] if memo is not None else None


def _csl_items(
    raw: list[dict[str, Any]], glossary: dict[str, str], lang: str
) -> tuple[list[dict[str, Any]], dict[str, tuple[Any, ...]]]:
    """The bibliography as citeproc gets it, and each entry's place in the
    source annex. citeproc's order compares characters ("nr. 31" before
    "nr. 7"): the annex is sorted again, naturally and in Dutch collation
    (source_order.py). In the preview the last build's are reused while the
    sources, glossary and language are the same (0.04 s of CPU a rebuild on
    the benchmark report's 350 sources); neither is ever changed by its users."""

    def make() -> tuple[list[dict[str, Any]], dict[str, tuple[Any, ...]]]:
        items = to_csl_items(raw, glossary, lang)
        return items, {str(item.get("id")): sort_key(item) for item in items}

    memo = block_memo.current()
    if memo is None:
        return make()
    # repr: a date and a string that reads like one differ (a string is quoted)
    return memo.value(block_memo.context("csl items", repr((raw, sorted(glossary.items()), lang))), make)


def _citeproc(
    pandoc: dict[str, Any],
    bib: Path,
    csl: Path,
    lang: str,
    cited: list[str],
    parts: int | None = None,
    *,
    consume: bool = False,
    then: Callable[[list[Any]], list[Any]] | None = None,
) -> dict[str, Any]:
    """Resolve every citation with pandoc's citeproc, in parallel.

    The house style prints the full reference in every note (no ibid., no
    short form, no disambiguation), so a citation's text does not depend on
    the citations before it: the body is cut into ``parts`` pieces at
    top-level blocks (more when a piece would pass :data:`PIECE_BYTES`),
    each resolved by its own pandoc process without a bibliography, at most
    ``parts`` at a time, while one more process builds the bibliography (the
    ``refs`` div of the source annex) from the cited keys (as ``nocite``).
    On the benchmark report (960 notes) this takes the document stage from
    3.8 s to 3.1 s on two cores; ``tests/render/test_document.py`` checks
    that the result is the one a single pass gives.

    ``consume``: ``pandoc`` loses its blocks once they are serialised, so
    that the document is not held twice, as objects before and after
    citeproc (see :data:`PIECE_BYTES` for the figures).

    ``then``: done to each piece's resolved blocks (the finishing of
    :func:`resolve_citations`, which does each top-level block on its own)
    in the thread that waited for its pandoc, as soon as that pandoc is
    done, while the later pieces' pandocs still run; not to all of them
    after the last. On the benchmark report its two pieces end together
    (no gain, the document byte-identical); a report of more pieces than
    run at a time (:data:`PIECE_BYTES`) finishes the first ones meanwhile.
    """
    parts = parts or max(1, min(4, os.cpu_count() or 1))
    blocks = pandoc["blocks"]
    # a block may come as its JSON text (block_memo.py's, never the source annex's)
    refs_at = next(
        (i for i, b in enumerate(blocks) if type(b) is dict and b["t"] == "Div" and b["c"][0][0] == "refs"), None
    )
    body = blocks if refs_at is None else blocks[:refs_at] + blocks[refs_at + 1 :]
    version = pandoc["pandoc-api-version"]
    args = ["-f", "json", "-t", "json", "--citeproc", "--csl", str(csl), "--bibliography", str(bib)]
    meta = {"lang": {"t": "MetaString", "c": lang}, "link-citations": {"t": "MetaBool", "c": False}}

    jobs = A.piece_documents(
        version, dict(meta, **{"suppress-bibliography": {"t": "MetaBool", "c": True}}), body, parts, PIECE_BYTES
    )
    body_jobs, body_blocks = len(jobs), len(body)
    refs_block = blocks[refs_at] if refs_at is not None else None
    if refs_block is not None and cited:
        nocite = [
            {
                "t": "Cite",
                "c": [
                    [
                        {
                            "citationId": key,
                            "citationPrefix": [],
                            "citationSuffix": [],
                            "citationMode": {"t": "NormalCitation"},
                            "citationNoteNum": 0,
                            "citationHash": 0,
                        }
                    ],
                    [],
                ],
            }
            for key in cited
        ]
        jobs += A.piece_documents(version, dict(meta, nocite={"t": "MetaInlines", "c": nocite}), [refs_block], 1)
    del body, blocks
    if consume:
        pandoc["blocks"] = []

    def resolve(i: int) -> list[Any]:
        # each piece's text, and pandoc's, goes as soon as it is parsed
        job, jobs[i] = jobs[i], ""
        out: dict[str, Any] = json.loads(_run_pandoc(args, job, "citations"), object_hook=_shared_strings())
        del job
        if i == 0:
            nonlocal version
            version = out["pandoc-api-version"]
        resolved: list[Any] = out["blocks"]
        return resolved if then is None else then(resolved)

    with ThreadPoolExecutor(max_workers=min(len(jobs), parts + 1) or 1) as pool:
        outs = signals.map_all(pool, resolve, range(len(jobs)))
    unresolved = [refs_block] if refs_block is not None else []  # nothing cited: no job for the annex
    refs = (
        outs[body_jobs]
        if len(outs) > body_jobs
        else (then(unresolved) if then is not None and unresolved else unresolved)
    )
    resolved_body = [b for o in outs[:body_jobs] for b in o]
    del outs
    if len(resolved_body) != body_blocks or len(refs) != (1 if refs_at is not None else 0):
        raise RenderError(
            "citations: pandoc's citeproc changed the number of blocks; "
            "please report this with the report that caused it"
        )
    at = len(resolved_body) if refs_at is None else refs_at
    return {"pandoc-api-version": version, "meta": {}, "blocks": resolved_body[:at] + refs + resolved_body[at:]}


def _shared_strings() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A ``json.loads`` hook that makes equal node types and words one string
    object: ``json`` makes a new one for every value, and the resolved
    document is mostly ``{"t": "Str", "c": "Watch,"}`` and ``{"t": "Space"}``
    (every note repeats its source's words). Measured on pandoc's AST of
    20,000 notes: 112 MiB of objects, 87 MiB with the hook (22 % less; the
    document's peak is in ``abuild`` right after citeproc, docs/render.md).
    Strings cannot change, so sharing them changes nothing else."""
    seen: dict[str, str] = {}
    share = seen.setdefault

    def hook(node: dict[str, Any]) -> dict[str, Any]:
        t = node.get("t")
        if t is not None:
            node["t"] = share(t, t)
            c = node.get("c")
            if type(c) is str and len(c) <= 32:
                node["c"] = share(c, c)
        return node

    return hook


def _separate_adjacent_notes(blocks: list[Any]) -> None:
    """Two note calls in a row ("...dodencel.[@a]^[Zie ...]") would read as
    one number ("99100"): put a superscript comma between them ("99,100")."""

    def fix(inlines: list[Any]) -> None:
        i = 1
        while i < len(inlines):
            if is_note_call(inlines[i]) and is_note_call(inlines[i - 1]):
                inlines.insert(i, {"t": "Superscript", "c": [A.Str(",")]})
                i += 1
            i += 1

    def fn(node: Node) -> Any:
        t = node["t"]
        if t in ("Para", "Plain", "Emph", "Strong", "Underline", "SmallCaps", "Superscript", "Subscript"):
            fix(node["c"])
        elif t in ("Span", "Quoted", "Link"):
            fix(node["c"][1])
        return None

    A.visit(blocks, fn)


# A locator label of the other language ("para. 2" in a Dutch report) is not
# recognised by citeproc in this one and would be printed as typed: it is
# replaced by this language's label, which citeproc then prints with the
# style's term (Dutch "par.", "§"; English "para.", "sec.").
LOCATOR_ALIASES = {
    "nl": {"para.": "par.", "paras.": "par.", "sec.": "§", "secs.": "§§", "arts.": "artt."},
    "en": {"par.": "para.", "artt.": "arts."},
}


def _prepare_cites(
    blocks: list[Any], neutral: dict[str, str], lang: str = "nl", known: set[str] | None = None, unknown: str = ""
) -> list[str]:
    """Rename confidential keys, and (given the ``known`` ones) every key in
    no bibliography to ``unknown``-N, in citing order, added to ``neutral``;
    inside a footnote, print a citation without the parentheses a note style
    would otherwise add ("Zie ook HRW, ..."); a locator label in this report's
    language. Returns the (renamed) keys in the order they are first cited."""
    cited: dict[str, None] = {}
    taken = len(neutral)
    aliases = LOCATOR_ALIASES["en" if lang.lower().startswith("en") else "nl"]
    _adjacent_bracketed_cites(blocks)

    def rename(node: Node) -> Any:
        if node["t"] == "Cite":
            for c in node["c"][0]:
                key = c["citationId"]
                if known is not None and key not in known and key not in neutral:
                    neutral[key] = f"{unknown}-{len(neutral) - taken + 1}"
                c["citationId"] = neutral.get(key, key)
                cited[c["citationId"]] = None
                words = [x for x in c["citationSuffix"] if x.get("t") == "Str" and x["c"] != ","]
                if words and words[0]["c"] in aliases:
                    words[0]["c"] = aliases[words[0]["c"]]
            # the literal "[@key]" text pandoc keeps beside a citation
            node["c"][1] = []
        return None

    A.visit(blocks, rename)

    def in_note(node: Node) -> Any:
        if node["t"] == "Note":

            def first_in_text(n: Node) -> Any:
                if n["t"] == "Cite" and n["c"][0] and n["c"][0][0]["citationMode"]["t"] == "NormalCitation":
                    n["c"][0][0]["citationMode"] = {"t": "AuthorInText"}
                return None

            A.visit(node["c"], first_in_text)
            _space_before_cites(node["c"])
        return None

    A.visit(blocks, in_note)
    return list(cited)


def _space_before_cites(node: Any) -> None:
    """In a note, a citation glued to the sentence before it (``procent.[@a]``)
    printed run together, "procent.Human Rights Watch, ...": the source is
    its own sentence after the explanation (docs/house-style.md), so a space
    goes between a sentence's closing mark and the citation."""
    if isinstance(node, list):
        i = 1
        while i < len(node):
            before, here = node[i - 1], node[i]
            if (
                isinstance(here, dict)
                and here.get("t") == "Cite"
                and isinstance(before, dict)
                and before.get("t") == "Str"
                and before["c"][-1:] in (".", "!", "?", ";", ":")
            ):
                node.insert(i, {"t": "Space"})
                i += 1
            i += 1
        for item in node:
            _space_before_cites(item)
    elif isinstance(node, dict) and "c" in node:
        _space_before_cites(node["c"])


def _adjacent_bracketed_cites(blocks: list[Any]) -> None:
    """``[@a][@b]`` is two citations side by side to a drafter, but pandoc
    reads ``[@a]`` as the text of a reference link ``[...][@b]`` that does
    not exist, and keeps it as "[", an author-in-text citation of ``a``, "]":
    the note then printed "[Human Rights Watch (HRW)¹¹]¹²". Such a bracketed
    citation before another citation becomes an ordinary one again."""

    def bracketed(node: Any) -> bool:
        if not (isinstance(node, dict) and node.get("t") == "Cite" and len(node["c"][0]) == 1):
            return False
        c = node["c"][0][0]
        return bool(
            c["citationMode"]["t"] == "AuthorInText"
            and not c["citationPrefix"]
            and not c["citationSuffix"]
            and node["c"][1] == [A.Str("@" + c["citationId"])]
        )

    def fix(inl: list[Any]) -> None:
        i = 1
        while i + 2 < len(inl):
            before, cite, after, nxt = inl[i - 1], inl[i], inl[i + 1], inl[i + 2]
            if (
                bracketed(cite)
                and before.get("t") == "Str"
                and before["c"].endswith("[")
                and after == A.Str("]")
                and isinstance(nxt, dict)
                and nxt.get("t") == "Cite"
            ):
                cite["c"][0][0]["citationMode"] = {"t": "NormalCitation"}
                del inl[i + 1]
                before["c"] = before["c"][:-1]
                if not before["c"]:
                    del inl[i - 1]
                    i -= 1
            i += 1

    def fn(node: Node) -> Any:
        t = node["t"]
        if t in ("Para", "Plain", "Emph", "Strong", "Underline", "SmallCaps"):
            fix(node["c"])
        elif t in ("Span", "Quoted", "Link"):
            fix(node["c"][1])
        return None

    A.visit(blocks, fn)


def _count_notes(blocks: list[Any]) -> int:
    memo = block_memo.current()
    texts = [memo.finished(b) for b in blocks] if memo is not None else []
    # the preview: a Note node is this in json.dumps's text (a quote in a string is escaped)
    if texts and None not in texts:
        return sum(t.count('"t": "Note"') for t in texts if t is not None)
    n = 0

    def fn(node: Node) -> Any:
        nonlocal n
        if node["t"] == "Note":
            n += 1

    _walk_topdown(blocks, fn)
    return n
