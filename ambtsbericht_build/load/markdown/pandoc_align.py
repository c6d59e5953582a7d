"""Which of pandoc's units (``pandoc_units.py``) is which of the scanner's
blocks: step 2 of ``pandoc_ast.py``, by signature (letters and digits), in
document order."""

from __future__ import annotations

import difflib
import re

from .model import Block
from .pandoc_units import Unit, signature

_SPAN_ATTRS = re.compile(r"\{[#.\-][^{}]*\}|\{[A-Za-z_][\w.:-]*=[^{}]*\}")
_REF_LABEL = re.compile(r"\](?:\[[^\[\]\n]*\])")


# --- the scanner's side -------------------------------------------------------------


def block_signature(b: Block) -> str:
    """A scanner block's signature, markup that pandoc does not print taken
    out: notes (they are units of their own), note references, link targets
    and attributes, raw HTML."""
    if b.kind in ("code", "raw", "unread"):
        return signature(b.text)
    t = b.text
    cuts: list[tuple[int, int, str]] = []
    for n in b.inline_notes:
        cuts.append((n.offset, n.end, ""))
    for r in b.note_refs:
        cuts.append((r.offset, r.offset + len(r.label) + 3, ""))
    for h in b.raw_html:
        cuts.append((h.offset, h.end, ""))
    for link in b.links:
        if link.end > link.offset:
            cuts.append((link.offset, link.end, link.text))
    cuts.sort()
    parts: list[str] = []
    last = 0
    for s, e, keep in cuts:
        if s < last:
            continue  # nested in a cut already made (a link in a note)
        parts += [t[last:s], keep]
        last = e
    parts.append(t[last:])
    # "[HRW][hrw]": a reference link prints its text only
    return signature(_REF_LABEL.sub("]", _SPAN_ATTRS.sub(" ", "".join(parts))))


# --- alignment ---------------------------------------------------------------------------


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 8:
        return False
    if a.startswith(b[:24]) or b.startswith(a[:24]):
        return True
    m = difflib.SequenceMatcher(None, a[:400], b[:400], autojunk=False)
    return m.quick_ratio() >= 0.85 and m.ratio() >= 0.85


def align(units: list[Unit], blocks: list[Block]) -> list[tuple[Unit | None, Block | None]]:
    """Pairs of (unit, block) in document order; None where one side has
    nothing the other aligns with. A unit refused inside a table or a
    definition comes right after it, alone: it is looked for there, and takes
    no block from elsewhere (a nested definition list in a cell has the
    letters of one below the table)."""
    groups: list[list[Unit]] = []
    for u in units:
        if u.within and groups:
            groups[-1].append(u)
        else:
            groups.append([u])
    rest = {id(g[0]): g[1:] for g in groups}
    out: list[tuple[Unit | None, Block | None]] = []
    for u0, b in _align([g[0] for g in groups], blocks):
        out.append((u0, b))
        out += [(w, None) for w in rest[id(u0)]] if u0 is not None else []
    return out


def _align(units: list[Unit], blocks: list[Block]) -> list[tuple[Unit | None, Block | None]]:
    sigs = [block_signature(b) for b in blocks]
    # a table is only ever the scanner's table: its few letters ("a | b")
    # must not match a paragraph's
    tabled = ["\0" + s if b.kind == "table" else s for b, s in zip(blocks, sigs, strict=True)]
    sm = difflib.SequenceMatcher(
        None, ["\0" + u.sig if u.kind == "table" else u.sig for u in units], tabled, autojunk=False
    )
    out: list[tuple[Unit | None, Block | None]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out += [(units[i1 + k], blocks[j1 + k]) for k in range(i2 - i1)]
            continue
        # a changed region: pair similar signatures in order, the rest alone
        j = j1
        for i in range(i1, i2):
            table = units[i].kind == "table"
            hit = next(
                (x for x in range(j, j2) if table == (blocks[x].kind == "table") and _similar(units[i].sig, sigs[x])),
                -1,
            )
            if hit < 0:
                out.append((units[i], None))
                continue
            out += [(None, blocks[x]) for x in range(j, hit)]
            out.append((units[i], blocks[hit]))
            j = hit + 1
        out += [(None, blocks[x]) for x in range(j, j2)]
    # a table left alone is the scanner's table left alone, whatever their
    # letters (a cell's lines interleave with its neighbours', a list in a
    # cell prints no numbers): its citations must not be lost
    lone = [k for k, (u, b) in enumerate(out) if b is None and u is not None and u.kind == "table"]
    tables = [k for k, (u, b) in enumerate(out) if u is None and b is not None and b.kind == "table"]
    if lone and len(lone) == len(tables):
        for ku, kb in zip(lone, tables, strict=True):
            out[ku], out[kb] = (out[ku][0], out[kb][1]), (None, None)
        out = [pair for pair in out if pair != (None, None)]
    return out
