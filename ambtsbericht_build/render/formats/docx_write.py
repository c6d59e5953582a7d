"""The DOCX writer's way through pandoc (:mod:`.docx_pieces` says why):
the document cut into pieces at its level-1 headings, each piece looked up
in the cache (cache/docx_parts.py), the missing ones through pandoc in one
run, the package joined from all of them and finished
(:func:`.docx_package.finish_docx`). Without a cache every piece is
missing: the same path, the same bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .docx_pieces import (
    _UNSPLITTABLE,
    Piece,
    Unsplittable,
    _text,
    boundaries,
    cut,
    join,
    marked_document,
    new_token,
    piece_key,
    read_package,
    reference_styles,
)

if TYPE_CHECKING:
    from ..facts import RenderFacts
    from .office import DocxWriter


def write_docx(writer: DocxWriter, head: dict[str, Any], texts: list[str], facts: RenderFacts, out: Path) -> None:
    """pandoc's DOCX of the document (its head and its top-level blocks'
    JSON text, as :meth:`.office.OfficeWriter.write_path` has them) at
    ``out``, made from pieces, then finished (:func:`.docx_package.finish_docx`)."""
    from ...cache.docx_parts import open_cache
    from ...cache.inputs import file_hash
    from .base import pandoc
    from .docx_package import finish_docx
    from .office import OFFICE_TOC_DEPTH

    shell = writer.document({**head, "blocks": []}, facts)  # the meta, and any blocks before the text
    wrap = writer.wrappers(facts, len(texts))

    def wrapped(i: int, text: str) -> str:
        """The block in the Divs of its review anchors."""
        for name in wrap.get(i, ()):
            text = '{"t": "Div", "c": [[' + json.dumps(name) + ", [], []], [" + text + "]]}"
        return text

    # a heading's level is what office_blocks may change (an annex's
    # subheadings): headings are made ready now, the rest when their piece
    # goes through pandoc (office_blocks on the benchmark's 620 blocks with
    # citations took 0.3 s of CPU)
    ready = {i: writer.office_text(t) for i, t in enumerate(texts) if t.startswith('{"t": "Header"')}
    bare = [ready.get(i, t) for i, t in enumerate(texts)]
    starts = [*boundaries(bare), len(texts)]
    spans = [(a, b) for a, b in zip(starts, starts[1:], strict=False) if b > a]
    pre = [json.dumps(b) for b in shell["blocks"]]
    head_text = json.dumps({"pandoc-api-version": shell["pandoc-api-version"], "meta": shell["meta"]})
    reference = facts.house_style.path(writer.reference)
    args = ["-t", "docx", "--toc", f"--toc-depth={OFFICE_TOC_DEPTH}", "--reference-doc", str(reference)]
    cache = open_cache(facts.pdf_cache, json.dumps([head_text, args[:-1], file_hash(reference)]))

    def final(span: tuple[int, int]) -> list[str]:
        return [wrapped(i, ready.get(i) or writer.office_text(texts[i])) for i in range(*span)]

    keys: list[str | None] = []
    kept: list[Piece | None] = []
    for a, b in spans:
        key = None
        if cache is not None:
            key = piece_key(
                cache, (t + "\x00" + "\x00".join(wrap.get(i, ())) for i, t in zip(range(a, b), texts[a:b], strict=True))
            )
        keys.append(key)
        kept.append(Piece.from_json(cache.get(key)) if cache is not None and key is not None else None)
    missing = [k for k, p in enumerate(kept) if p is None]
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(facts.epoch)

    def whole_run() -> None:
        """The whole document in one run, as pandoc writes it (module docstring)."""
        whole = pre + [t for span in spans for t in final(span)]
        pandoc([*args, "-o", str(out)], head_text[:-1] + ', "blocks": [' + ",\n".join(whole) + "]}", "DOCX", env=env)

    if writer.tracked_changes:
        # abuild diff's redline: the pieces' run below finds its tracked
        # changes and gives the pieces up for this run (0.65 s of pandoc CPU
        # of two runs, benchmark report); its package is this run's exactly
        # when the run holds what makes the pieces unsplittable
        whole_run()
        if any(_UNSPLITTABLE.search(_text(read_package(out), n)) for n in ("word/document.xml", "word/footnotes.xml")):
            finish_docx(out, facts)
            return
    token = new_token()
    run_pieces = [pre] if pre else []
    run_pieces += [final(spans[k]) for k in missing]
    pandoc([*args, "-o", str(out)], marked_document(head_text, run_pieces, token), "DOCX", env=env)
    entries = read_package(out)
    try:
        kept_styles = {s[0] for p in kept if p is not None for s in p.styles}
        run = cut(entries, token, len(run_pieces), reference_styles(reference), kept_styles)
    except Unsplittable:
        whole_run()
        finish_docx(out, facts)
        return
    fresh = iter(run[1 + bool(pre) : -1])
    pieces = [run[0], *run[1 : 1 + bool(pre)]]
    for k, piece in enumerate(kept):
        if piece is None:
            piece = next(fresh)
            key = keys[k]
            if cache is not None and key is not None:
                cache.put(key, piece.to_json())
        pieces.append(piece)
    pieces.append(run[-1])
    join(entries, run, pieces)
    finish_docx(out, facts, entries)
